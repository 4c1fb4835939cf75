"""The knowledge check: the same questions at the start (module 00) and at the end (module 08) of the course.

A trainee answers five questions in module 00 and sees no answers yet; in module 08 the same questions come back
with their feedback. Their own gain is in their journal; the room's gain is on the facilitator's dashboard.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from artisan_course.content.knowledge_check import check_pairs, load_knowledge_check
from artisan_course.content.quiz_bank import load_bank
from artisan_course.documents.journal import journal_html, journal_markdown
from artisan_course.documents.room_report import dashboard
from artisan_course.models.grading import correct_response
from artisan_course.models.knowledge_check import Gain, sentence, trainee_gain
from artisan_course.state.session import SESSION
from artisan_course.state.store import Store

REPO = Path(__file__).resolve().parents[1]
CHECK = load_knowledge_check()


def test_the_start_and_the_end_ask_the_same_questions():
    assert CHECK.before == "welcome" and CHECK.after == "wrap-up" and len(CHECK.items) >= 3
    before, after = {q.id: q for q in load_bank("welcome")}, {q.id: q for q in load_bank("wrap-up")}
    for first, last in CHECK.pairs():
        assert {k: v for k, v in before[first].data.items() if k != "id"} == \
               {k: v for k, v in after[last].data.items() if k != "id"}
    assert check_pairs() == []


def test_a_copy_that_drifts_is_named(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(REPO / "data", root / "data")
    bank = root / "data" / "quizzes" / "wrap-up.yaml"
    text = bank.read_text(encoding="utf-8")
    asked = next(q for q in load_bank("wrap-up") if q.id == CHECK.after_ids()[0])
    bank.write_text(text.replace(asked["prompt"], asked["prompt"] + " (edited)", 1), encoding="utf-8")
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    problems = check_pairs()
    assert problems == [f"data/knowledge_check.yaml: '{CHECK.before_ids()[0]}' and '{CHECK.after_ids()[0]}' should be "
                        "the same question, but their prompt differ: copy the change to both."]


def test_the_gain_counts_first_tries_and_only_complete_checks():
    ids_before, ids_after = ("a-1", "a-2"), ("b-1", "b-2")
    assert trainee_gain({"a-1": 1, "a-2": 0, "b-1": 1, "b-2": 1}, ids_before, ids_after) == Gain(2, 1.0, 2.0)
    assert trainee_gain({"a-1": 1, "a-2": 0, "b-1": 1}, ids_before, ids_after).gain is None  # not finished at the end
    assert sentence(Gain(5, 2, 4)) == ("Knowledge check: 2 of 5 right at the start of the course, 4 of 5 at the end: "
                                       "2 more right.")
    assert sentence(Gain(5, 3, None)).startswith("Knowledge check: 3 of 5 right at the start of the course. Answer")
    assert sentence(Gain(5, 4, 3)).endswith("1 fewer right.") and sentence(Gain(5, None, None)) == ""


@pytest.fixture
def not_voila(monkeypatch):
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)


def _answer(view, response):
    view.set_response(response)
    view.check.click()


def test_at_the_start_an_answer_is_saved_with_no_feedback_and_at_the_end_the_feedback_shows(
        learner_home, fresh_session, not_voila):
    from artisan_course.widgets.quiz import QuizView
    SESSION.set_learner("Noy")
    start = QuizView("welcome", ids=list(CHECK.before_ids()))
    first = start.views[0]
    assert first.check.description == "Send"
    wrong = next(k for k in first.order if k != first.q["answer"])
    _answer(first, wrong)
    shown = first.feedback.value
    assert "Saved. You will see the answers at the end of the course, in module 08." in shown
    assert "Not quite" not in shown and first.q["explanation"] not in shown  # nothing tells the answer yet
    assert first.check.disabled and first.reveal.layout.display == "none"
    _answer(first, first.q["answer"])  # a second answer is not taken: only the first try counts
    store = Store(learner_home)
    try:
        learner = store.find_learner("Noy")
        rows = store.answers(learner_id=learner.id, item=first.q.id)
        assert [r.score for r in rows] == [0.0]
    finally:
        store.close()
    assert "answered</strong>" in start.summary.value and "%" not in start.summary.value  # a score tells the answers

    end = QuizView("wrap-up", ids=list(CHECK.after_ids()))
    last = end.views[0]
    assert last.check.description == "Check"
    _answer(last, wrong)
    assert "Not quite" in last.feedback.value and last.q["explanation"] in last.feedback.value


def _first_tries(store, learner, ids, right):
    for qid, module in ids:
        q = next(q for q in load_bank(module) if q.id == qid)
        response = correct_response(q) if qid in right else "wrong"
        store.record(learner.id, module, qid, "quiz", {"response": response, "attempt": 1, "correct": qid in right},
                     score=1.0 if qid in right else 0.0)


def test_the_journal_and_the_dashboard_show_the_gain(learner_home):
    store = Store(learner_home)
    try:
        noy, bo, late = store.create_learner("Noy"), store.create_learner("Bo"), store.create_learner("Late")
        before = [(qid, "welcome") for qid in CHECK.before_ids()]
        after = [(qid, "wrap-up") for qid in CHECK.after_ids()]
        _first_tries(store, noy, before + after, set(CHECK.before_ids()[:2]) | set(CHECK.after_ids()[:4]))
        _first_tries(store, bo, before + after, set(CHECK.before_ids()[:1]) | set(CHECK.after_ids()[:4]))
        _first_tries(store, late, before, set(CHECK.before_ids()[:5]))
        # a second, right try after the feedback changes nothing: the first try counts
        store.record(noy.id, "wrap-up", CHECK.after_ids()[4], "quiz", {"response": "x", "attempt": 2, "correct": True},
                     score=1.0)
        n = len(CHECK.items)
        journal = journal_markdown(store, noy)
        assert f"Knowledge check: 2 of {n} right at the start of the course, 4 of {n} at the end: 2 more right." \
            in journal
        assert "2 more right" in journal_html(store, noy)
        assert f"Knowledge check: {n} of {n} right at the start of the course. Answer the same" \
            in journal_markdown(store, late)

        room = dashboard(store)["knowledge"]
        assert (room["started"], room["both"], room["questions"]) == (3, 2, n)
        assert (room["before"], room["after"], room["gain"]) == (1.5, 4.0, 2.5)
        first = room["per_item"][0]
        assert (first["before"], first["answered_before"], first["after"], first["answered_after"]) == (100, 3, 100, 2)
        assert room["per_item"][-1]["after"] == 0  # Noy's later right try does not count
    finally:
        store.close()
