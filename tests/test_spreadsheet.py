"""Every CSV a facilitator opens in a spreadsheet: trainees' formulas stay text, Lao survives Excel."""
from __future__ import annotations

import pytest

from artisan_course.documents.evaluation import evaluation_csv
from artisan_course.documents.room_report import answers_csv, roster_csv
from artisan_course.documents.spreadsheet import BOM, cell, csv_text, read_rows
from artisan_course.models.evaluation import ITEM
from artisan_course.state.store import Store

ATTACKS = ["=HYPERLINK(\"http://example.invalid\",\"click\")", " =1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
LAO = "ການຟັງ ແລະ ຄວາມອົດທົນ"


@pytest.mark.parametrize("text", ATTACKS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(text):
    assert cell(text) == "'" + text


def test_plain_text_and_numbers_stay_as_they_are():
    assert cell("The simulator") == "The simulator"
    assert cell(LAO) == LAO
    assert cell(3) == 3 and cell(2.5) == 2.5 and cell(None) == ""
    assert cell({"a": 1}) == '{"a": 1}'


def test_the_file_starts_with_a_byte_order_mark_and_reads_back():
    text = csv_text(["name", "comment"], [[LAO, "=1+1"], ["Noy", 'say "hi", then go']])
    assert text.startswith(BOM)
    assert read_rows(text) == [["name", "comment"], [LAO, "'=1+1"], ["Noy", 'say "hi", then go']]
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def _store(tmp_path) -> Store:
    return Store(tmp_path / "home")


def test_the_evaluation_export_keeps_a_trainees_formula_as_text_and_lao_intact(tmp_path):
    from artisan_course.content.activities import load_activity
    form = load_activity("evaluation.yaml")
    store = _store(tmp_path)
    comment_id = form["comments"][0]["id"]
    for name, comment in (("Noy", " =HYPERLINK(\"http://example.invalid\")"), ("Kham", LAO)):
        learner = store.learner(name)
        store.record(learner.id, "wrap-up", ITEM, "evaluation", {"comments": {comment_id: comment}})
    text, answered = evaluation_csv(store)
    assert answered == 2 and text.startswith(BOM)
    comments = [row[1] for row in read_rows(text) if row[0] == form["comments"][0]["text"]]
    assert sorted(comments) == sorted(["'=HYPERLINK(\"http://example.invalid\")", LAO])


def test_the_answers_and_roster_exports_use_the_same_guard(tmp_path):
    store = _store(tmp_path)
    learner = store.learner("=cmd|' /C calc'!A0")
    store.record(learner.id, "welcome", "welcome-think", "reflection", "@SUM(1+1)")
    named = read_rows(answers_csv(store, names=True))
    assert named[1][0] == "'=cmd|' /C calc'!A0" and named[1][4] == "'@SUM(1+1)"
    anonymous = read_rows(answers_csv(store))
    assert anonymous[1][0] == "Trainee 1"
    roster = read_rows(roster_csv(store))
    assert roster[0][0] == "trainee" and roster[1][:3] == ["'=cmd|' /C calc'!A0", "1", "0"]
    for text in (answers_csv(store), roster_csv(store)):
        assert text.startswith(BOM)
