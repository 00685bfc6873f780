"""`python -m auditui` runs the same entry point as the `auditui` command."""

from auditui.start import main

raise SystemExit(main())
