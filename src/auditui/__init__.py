"""auditui: run ISO 9001 audit checklists from the terminal.

Nothing is imported here on purpose: the headless commands must start fast and
must never pull in Textual, so every module is imported where it is used.
"""

__version__ = "0.1.0"
