"""The headless commands, one module each, plus the two that open the terminal app.

Each module offers `add_parser(subparsers)` and `run(ctx, args) -> int`. Only
`commands.app` imports the terminal UI, and only when it runs.
"""
