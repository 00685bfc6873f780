"""Reports people read: the audit report, the blank checklist for paper, the review pack.

Each report is gathered once into plain data (`audit`, `review`) and rendered by one
module per format; `common` holds the escaping and the page every HTML report shares.
Nothing here imports Textual: the commands and the app both call these modules.
"""
