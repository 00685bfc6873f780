"""Sharing the sessions folder between laptops through git (SPEC "sync").

`engine.sync` runs one sync; `git` runs the git command safely; `resolve` settles files
changed on two laptops; `describe` writes commit messages in audit words.
"""
