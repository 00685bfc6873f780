"""A long crash-injection soak: `python -m tests.reliability.soak --kills 500`.

Runs the same campaign as `test_crash_injection.py` and prints its figures.
Exit status 0 when nothing was lost, 1 otherwise.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from .crash import run_campaign


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.soak")
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(10**6))
    parser.add_argument("--keep", metavar="DIR", help="run in DIR and keep the sessions")
    args = parser.parse_args(argv)
    if args.keep:
        root = Path(args.keep)
        root.mkdir(parents=True, exist_ok=True)
        figures, failures = run_campaign(
            root, kills=args.kills, seed=args.seed, workers=args.workers
        )
    else:
        with tempfile.TemporaryDirectory(prefix="auditui-soak-") as folder:
            figures, failures = run_campaign(
                Path(folder), kills=args.kills, seed=args.seed, workers=args.workers
            )
    print(f"seed {args.seed}: {figures.summary()}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
