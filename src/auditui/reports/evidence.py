"""Evidence in reports: each attached file by name, size and hash, photos as thumbnails.

A report is mailed and opened from a USB stick, so a photo goes in as a small JPEG
inside the page (a `data:` address, nothing fetched), scaled so that its longer side
is at most `THUMBNAIL_SIDE` pixels: fifty photos make a report of about a megabyte,
not the hundreds a phone's originals would. A copy that is missing or no longer
matches the hash recorded when it was attached is said so, and not shown.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.evidence import Attachment, hash_file, size_text

if TYPE_CHECKING:
    from auditui.session import ItemRecord

__all__ = ["STATE_WORDS", "EvidenceView", "changed_copies", "size_text", "thumbnail", "views"]

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
    attachments: tuple[Attachment, ...], sessions_dir: Path | None, *, pictures: bool = True
) -> list[EvidenceView]:
    """What a report shows of each attachment, reading the copies in `sessions_dir`
    (`pictures`: with a thumbnail of each photo, which the Markdown has no use for)."""
    return [_view(attachment, sessions_dir, pictures) for attachment in attachments]


STATE_WORDS = {"missing": "copy not here", "changed": "copy changed since attached"}
"""What the reports say of a copy that is not `ok`."""


def changed_copies(records: Iterable[ItemRecord], sessions_dir: Path | None) -> list[str]:
    """`<item id> <name>` of each evidence copy that no longer matches the hash recorded
    when it was attached: what the head of a report says, as `verify` does (a copy that is
    not here is said beside the file only: a copied session without its evidence folder)."""
    return [
        f"{record.item_id} {view.attachment.name}"
        for record in records
        for view in views(record.attachments, sessions_dir, pictures=False)
        if view.state == "changed"
    ]


def _view(attachment: Attachment, sessions_dir: Path | None, pictures: bool) -> EvidenceView:
    if sessions_dir is None:
        return EvidenceView(attachment, "missing")
    path = sessions_dir / attachment.file
    try:
        if path.is_symlink() or not path.is_file():
            return EvidenceView(attachment, "missing")
        data = path.read_bytes() if attachment.is_image and pictures else None
        digest = hashlib.sha256(data).hexdigest() if data is not None else hash_file(path)
    except OSError:
        return EvidenceView(attachment, "missing")
    if digest != attachment.sha256:
        return EvidenceView(attachment, "changed")
    return EvidenceView(attachment, "ok", thumbnail(data) if data is not None else None)


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
