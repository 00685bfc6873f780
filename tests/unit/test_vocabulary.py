"""Results and grades read and write as the strings the files hold, and every output has
its spelling of each."""

from __future__ import annotations

import csv
import io
import json

import tomli_w

from auditui.session import ANSWERS, GRADES, RESULTS
from auditui.textwidth import cell_width
from auditui.vocabulary import STATUSES, Grade, Result, Status, grade_fits, status_of


def test_members_are_the_strings_the_files_hold():
    assert [str(r) for r in RESULTS] == ["pass", "fail", "na", "unanswered"]
    assert [str(a) for a in ANSWERS] == ["pass", "fail", "na"]
    assert [str(g) for g in GRADES] == ["major", "minor", "observation", "ofi"]
    assert Result("na") is Result.NA and Result.NA == "na"
    assert {"pass": 1}[Result.PASS] == 1
    assert Result.OUT_OF_SCOPE == "out-of-scope"


def test_members_are_saved_as_their_strings():
    document = {"result": Result.NA, "grade": Grade.OFI}
    assert tomli_w.dumps(document) == 'result = "na"\ngrade = "ofi"\n'
    assert json.dumps(document) == '{"result": "na", "grade": "ofi"}'
    out = io.StringIO()
    csv.writer(out).writerow([Result.FAIL, Grade.MAJOR])
    assert out.getvalue() == "fail,major\r\n"
    assert f"{Result.PASS}/{Grade.MINOR}" == "pass/minor"


def test_every_member_has_every_spelling():
    for result in Result:
        assert result.label and result.word and result.short and result.export_label
        assert cell_width(result.glyph) == 1
    for grade in Grade:
        assert grade.words and grade.short and grade.tag and grade.abbrev and grade.style
        assert grade.label == grade.words.capitalize()


def test_nonconformities_go_only_with_a_fail():
    assert [g for g in Grade if not grade_fits(g, "pass")] == [Grade.MAJOR, Grade.MINOR]
    assert not any(grade_fits(g, "na") for g in Grade)
    assert all(grade_fits(g, "fail") for g in Grade)
    assert grade_fits(None, "unanswered")
    assert not grade_fits("critical", "fail")


def test_statuses_are_what_a_person_sets_and_closed_is_worked_out():
    assert [str(s) for s in STATUSES] == ["open", "action", "done"]
    assert status_of("closed") is Status.CLOSED and Status.CLOSED not in STATUSES
    assert status_of("later") is None and status_of(["open"]) is None
    for status in Status:
        assert status.label and status.short and status.choice and status.change
