"""The wrap-up action plan: its rules, saving as typed, coming back in a new kernel, and the downloads."""
import base64
import re
from datetime import date

import pytest
from icalendar import Calendar

from artisan_course.widgets import action_plan as ap
from artisan_course.documents.journal import journal_markdown
from artisan_course.state.session import SESSION
from artisan_course.state.store import Store

TODAY = date(2026, 3, 10)


pytestmark = pytest.mark.usefixtures("fresh_session")  # see conftest.py


def new_kernel():
    """What a kernel restart does to the course's in-memory state (the store on disk stays)."""
    SESSION.learner = SESSION.store = SESSION.module = None
    SESSION.listeners.clear()


def test_a_commitment_needs_an_action_a_reason_and_a_date_from_today_on():
    assert ap.problems(ap.Commitment(), TODAY) == []  # an empty commitment is not an error yet
    no_reason = ap.Commitment("Visit the group", "2026-03-20", "")
    assert ap.problems(no_reason, TODAY) == ['Add a reason: why will you do it? Always give a "because".']
    past = ap.Commitment("Visit the group", "2026-03-09", "they asked")
    assert ap.problems(past, TODAY) == ["The date 9 March 2026 is in the past. Choose today or a later date."]
    assert ap.problems(ap.Commitment("", "", "they asked"), TODAY) == ["Write the action: what will you do?",
                                                                       "Choose a date."]
    assert ap.is_ready(ap.Commitment("Visit the group", TODAY.isoformat(), "they asked"), TODAY)
    plan = [ap.Commitment("A", "2026-04-01", "b"), past, ap.Commitment("C", "2026-05-01", "d")]
    assert ap.status_line(plan, TODAY) == "2 of 3 commitments ready"


def test_the_plan_saves_as_typed_partial_commitments_too(learner_home):
    SESSION.set_learner("Noy")
    view = ap.ActionPlan(today=TODAY)
    view.fields[0]["action"].value = "Call Mrs. Phet"
    view.fields[1]["because"].value = "the group needs to know"
    store = Store(learner_home)
    rows = store.answers(learner_id=SESSION.learner.id, item="action-plan", kind="action-plan")
    assert len(rows) == 1 and rows[0].module == "wrap-up"
    value = rows[0].value
    assert value["commitments"][0] == {"action": "Call Mrs. Phet", "date": "", "because": ""}
    assert value["commitments"][1]["because"] == "the group needs to know"
    assert value["summary"].startswith("0 of 3 commitments ready.") and "Call Mrs. Phet" in value["summary"]
    assert "Add a reason" in view.fields[0]["note"].value and "Write the action" in view.fields[1]["note"].value
    assert "0 of 3 commitments ready" in view.status.value


def test_the_plan_comes_back_in_a_new_kernel(learner_home):
    SESSION.set_learner("Noy")
    view = ap.ActionPlan(today=TODAY)
    view.fields[2]["action"].value = "Share our three-year plan with the group"
    view.fields[2]["date"].value = date(2026, 4, 2)
    view.fields[2]["because"].value = "they will accept the new quality rules more easily"
    new_kernel()
    SESSION.set_learner("Noy")
    again = ap.ActionPlan(today=TODAY)
    assert again.fields[2]["action"].value == "Share our three-year plan with the group"
    assert again.fields[2]["date"].value == date(2026, 4, 2)
    assert "1 of 3 commitments ready" in again.status.value
    again.fields[0]["action"].value = "Thank the weavers"
    rows = Store(learner_home).answers(learner_id=SESSION.learner.id, item="action-plan")
    assert len(rows) == 2  # a new sitting adds a row; the earlier version stays in the history
    assert rows[-1].value["commitments"][2]["date"] == "2026-04-02"
    assert "Share our three-year plan with the group" in journal_markdown(Store(learner_home), SESSION.learner)


def test_a_damaged_saved_plan_still_opens():
    value = {"commitments": [{"action": "A", "date": "not a date", "because": None}, "junk"]}
    commitments = ap.from_value(value)
    assert len(commitments) == 3 and commitments[0].action == "A" and commitments[0].day() is None
    assert ap.problems(commitments[0], TODAY)[-1] == "Choose a date."


def test_without_a_learner_the_plan_says_nothing_is_saved(monkeypatch):
    monkeypatch.setattr(SESSION, "start", lambda: None)
    view = ap.ActionPlan(today=TODAY)
    view.fields[0]["action"].value = "Visit"
    assert "Type your name at the top first" in view.saved.value


def test_the_download_has_a_printable_page_and_one_calendar_event_per_dated_commitment(learner_home):
    SESSION.set_learner("Keo <admin>")
    view = ap.ActionPlan(today=TODAY)
    for i, (action, day, because) in enumerate([("Visit <b>the</b> group", date(2026, 3, 20),
                                                  "trust grows face to face"),
                                                ("Send photos of the sample", None, "they asked"),
                                                ("Agree the May order", date(2026, 4, 15), "")]):
        view.fields[i]["action"].value = action
        view.fields[i]["date"].value = day
        view.fields[i]["because"].value = because
    view.offer()
    links = dict(re.findall(r"download='([^']+)' href='data:[^;]+;charset=utf-8;base64,([^']+)'", view.links.value))
    page = base64.b64decode(next(v for k, v in links.items() if k.endswith(".html"))).decode()
    assert "Visit &lt;b&gt;the&lt;/b&gt; group" in page and "Keo &lt;admin&gt;" in page and "<b>the</b>" not in page
    assert "1 of 3 commitments ready" in page and "@media print" in page
    calendar = Calendar.from_ical(base64.b64decode(next(v for k, v in links.items() if k.endswith(".ics"))))
    events = [e for e in calendar.walk("VEVENT")]
    assert [(str(e["SUMMARY"]), e["DTSTART"].dt) for e in events] == [("Visit <b>the</b> group", date(2026, 3, 20)),
                                                                        ("Agree the May order", date(2026, 4, 15))]
    assert str(events[0]["DESCRIPTION"]) == "Because trust grows face to face"
    assert len({str(e["UID"]) for e in events}) == 2


def test_no_calendar_file_is_offered_without_a_dated_commitment(learner_home):
    SESSION.set_learner("Keo")
    view = ap.ActionPlan(today=TODAY)
    view.fields[0]["action"].value = "Thank the group"
    view.offer()
    assert ".html'" in view.links.value and ".ics" not in view.links.value


def test_the_notebook_call_works_however_it_is_imported(monkeypatch):
    shown = []
    monkeypatch.setattr(ap, "display", shown.append)
    import artisan_course.widgets.action_plan  # noqa: F401  (importing the module must not shadow the function)
    from artisan_course import action_plan
    action_plan()
    assert shown and "commitments ready" in shown[0].children[0].value
