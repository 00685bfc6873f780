"""The terminal app, built with Textual on top of the core. Nothing in the core imports it."""
