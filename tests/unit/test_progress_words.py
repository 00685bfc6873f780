"""The progress of a session in words (the home screen's line under the tables and the
command palette): a finished part of a merged audit read "finished merged" before."""

from __future__ import annotations

from history_helpers import at, make_session

from auditui.seal import seal_document
from auditui.session_index import Digest
from auditui.session_toml import session_to_document
from auditui.tui.home_data import progress_words, session_row


def test_progress_in_words_names_finished_sealed_and_merged() -> None:
    session = make_session("s", [("1.1-a", "pass"), ("1.2-a", "unanswered")], started=at(1))
    session.finished = at(2)
    session.seal, session.seal_parts = seal_document(session_to_document(session))
    digest = Digest.of(session)
    assert progress_words(digest, session_row(digest)) == "1/2 answered, finished"
    merged = progress_words(digest, session_row(digest, merged=True))
    assert merged == "1/2 answered, finished, merged into another audit"
    session.seal = "sha256:" + "0" * 64  # changed by hand since it was sealed
    digest = Digest.of(session)
    assert progress_words(digest, session_row(digest)) == "1/2 answered, seal broken"
