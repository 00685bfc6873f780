"""Evidence in reports: each attached file by name, size and hash, photos as thumbnails.

A report is mailed and opened from a USB stick, so a photo goes in as a small JPEG
inside the page (a `data:` address, nothing fetched), scaled so that its longer side
is at most `THUMBNAIL_SIDE` pixels: fifty photos make a report of about a megabyte,
not the hundreds a phone's originals would. A copy that is missing or no longer
matches the hash recorded when it was attached is said so, and not shown.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from auditui.evidence import Attachment, size_text

__all__ = ["STATE_WORDS", "EvidenceView", "copy_states", "size_text", "thumbnail", "views"]

THUMBNAIL_SIDE = 360
JPEG_QUALITY = 70
MAX_PIXELS = 60_000_000
"""Larger images (or files that claim to be) are not decoded: a photo is far below this."""


@dataclass(frozen=True)
class EvidenceView:
    """One attachment as a report shows it."""

    attachment: Attachment
    state: str
    """`ok`, `missing` or `changed` (the copy no longer matches its hash)."""
    thumbnail: str | None = None
    """A `data:image/jpeg;base64,...` address for an image, when one could be made."""


def views(
    attachments: tuple[Attachment, ...],
    sessions_dir: Path | None,
    *,
    pictures: bool = True,
    checked: Mapping[str, str] | None = None,
) -> list[EvidenceView]:
    """What a report shows of each attachment, reading the copies in `sessions_dir`
    (`pictures`: with a thumbnail of each photo, which the Markdown has no use for).
    `checked`: what `copy_states` found of the copies: none is hashed again, and only
    a photo is read, for its thumbnail."""
    return [_view(attachment, sessions_dir, pictures, checked) for attachment in attachments]


STATE_WORDS = {
    "missing": "copy not here",
    "changed": "copy changed since attached",
    "unreadable": "copy cannot be read",
}
"""What the reports say of a copy that is not `ok`."""


def copy_states(attachments: Iterable[Attachment], sessions_dir: Path | None) -> dict[str, str]:
    """The copies of `attachments` that are not as attached, by their `file`: `missing`,
    `changed` or `unreadable`, as `verify` finds them (`evidence.check`: a link, or
    anything but a regular file, in a copy's place is a changed copy)."""
    if sessions_dir is None:
        return {attachment.file: "missing" for attachment in attachments}
    from auditui.evidence import check

    return {attachment.file: state for attachment, state in check(sessions_dir, attachments)}


def _view(
    attachment: Attachment,
    sessions_dir: Path | None,
    pictures: bool,
    checked: Mapping[str, str] | None,
) -> EvidenceView:
    if sessions_dir is None:
        return EvidenceView(attachment, "missing")
    if checked is None:
        checked = copy_states([attachment], sessions_dir)
    state = checked.get(attachment.file, "ok")
    if state != "ok" or not (pictures and attachment.is_image):
        return EvidenceView(attachment, state)
    try:
        data = (sessions_dir / attachment.file).read_bytes()
    except OSError:
        return EvidenceView(attachment, "unreadable")
    return EvidenceView(attachment, "ok", thumbnail(data))


def thumbnail(data: bytes) -> str | None:
    """A small JPEG of an image as a `data:` address; None when it cannot be decoded."""
    try:
        from PIL import Image, ImageOps
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            image.draft("RGB", (THUMBNAIL_SIDE * 2, THUMBNAIL_SIDE * 2))  # JPEG: decode smaller
            small = ImageOps.exif_transpose(image) or image
            small = small.convert("RGB")
            small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            out = io.BytesIO()
            small.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except Exception:  # noqa: BLE001 - any file can be named .jpg: no picture, never a failure
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
