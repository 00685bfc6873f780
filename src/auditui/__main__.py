"""`python -m auditui` runs the same entry point as the `auditui` command."""

from auditui.cli import main

raise SystemExit(main())
