"""Widgets of the walkthrough and home screens."""
