"""Inputs for the benchmarks: checklists and sessions of any size, generated on the spot.

Everything is deterministic (a fixed random seed), so two runs measure the same files.
The text is the size and shape of the shipped checklists: a prompt, guidance on most
items, typical evidence on half of them, and some Thai and Vietnamese.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from auditui.checklist import load_checklist
from auditui.session import Session
from auditui.session_toml import dumps_session

ICT = timezone(timedelta(hours=7))

WORDS = (
    "records", "calibration", "supplier", "batch", "operator", "drawing", "customer",
    "complaint", "review", "training", "competence", "moulding", "printing", "packing",
    "shipment", "label", "register", "sample", "evidence", "procedure", "instruction",
    "machine", "maintenance", "audit", "objective", "risk", "process", "inspection",
    "nonconforming", "product", "release", "traceability", "lot", "order", "contract", "design",
)  # fmt: skip
LOCAL = (
    "ตรวจสอบบันทึกการสอบเทียบ",  # Thai: check the calibration records
    "Kiểm tra hồ sơ hiệu chuẩn của thiết bị đo",  # Vietnamese: the same
)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def checklist_text(checklist_id: str, items: int, *, per_section: int = 25, seed: int = 1) -> str:
    """A valid checklist of `items` items, about 280 bytes of TOML per item."""
    rng = random.Random(seed)
    lines = [
        "[checklist]",
        f'id = "{checklist_id}"',
        f'title = "Benchmark checklist of {items} items"',
        'kind = "internal-audit"',
        'version = "2026.1"',
        'standard = "ISO 9001:2015"',
        "",
    ]
    for number in range(items):
        section = number // per_section
        if number % per_section == 0:
            lines += [
                "[[sections]]",
                f'id = "S{section + 1}"',
                f'title = "{_sentence(rng, 3)}"',
                "",
            ]
        clause = f"{4 + section % 7}.{1 + number % 5}"
        prompt = _sentence(rng, 12) + "?"
        if number % 50 == 7:
            prompt = LOCAL[number % 2] + " " + prompt
        lines += [
            "[[sections.items]]",
            f'id = "{item_id(number)}"',
            f'prompt = "{prompt}"',
            f'clause = "{clause}"',
        ]
        if number % 3:
            lines.append(f'guidance = "{_sentence(rng, 14)}."')
        if number % 2 == 0:
            evidence = ", ".join(f'"{_sentence(rng, 3)}"' for _ in range(1 + number % 3))
            lines.append(f"evidence = [{evidence}]")
        lines.append("")
    return "\n".join(lines)


def item_id(number: int) -> str:
    return f"Q{number + 1:05d}"


def write_checklist(path: Path, checklist_id: str, items: int, *, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(checklist_text(checklist_id, items, seed=seed), encoding="utf-8")
    return path


def write_session(
    folder: Path,
    checklist_path: Path,
    session_id: str,
    *,
    started: datetime,
    answered: float,
    seed: int,
    fail_rate: float = 0.15,
) -> Path:
    """A session of the checklist with the first `answered` share of items marked."""
    rng = random.Random(seed)
    checklist = load_checklist(checklist_path)
    session = Session.start(
        session_id, checklist, started=started, auditor="Somchai", auditee="Moulding line 2"
    )
    cut = int(len(session.records) * answered)
    for position, record in enumerate(session.records[:cut]):
        roll = rng.random()
        record.result = "fail" if roll < fail_rate else "na" if roll < fail_rate + 0.05 else "pass"
        record.recorded = started + timedelta(seconds=20 * position)
        if record.result == "fail":
            record.note = f"Sampled lot {rng.randint(1000, 9999)}: {_sentence(rng, 6).lower()}."
            record.grade = rng.choice(("major", "minor", None))
    session.updated = started + timedelta(seconds=20 * cut)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{session_id}.toml"
    path.write_bytes(dumps_session(session))
    return path


def started_at(days_ago: int) -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=ICT) - timedelta(days=days_ago)
