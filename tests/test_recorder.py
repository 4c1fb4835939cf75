"""The one save path: rows belong to the learner who wrote them, and a failing store never raises into a tool."""
import sqlite3
from datetime import date, timedelta


import pytest

from artisan_course.state import recorder
from artisan_course.state.recorder import AutoSave, Kind
from artisan_course.state.store import Store


# Every test here runs on both backends (SQLite, PostgreSQL) unless marked sqlite_only.
pytestmark = pytest.mark.usefixtures("store_backend")

LATER = date.today() + timedelta(days=30)


def rows(home, name, item):
    store = Store(home)
    learner = store.find_learner(name)
    return [] if learner is None else store.answers(learner_id=learner.id, item=item)


def test_after_a_name_change_the_action_plan_starts_a_new_row_for_the_new_learner(learner_home, fresh_session):
    """Regression: the plan kept the old learner's row, so the next edit overwrote the previous learner's words."""
    from artisan_course.widgets.action_plan import ActionPlan
    fresh_session.set_learner("Noy")
    view = ActionPlan()
    view.fields[0]["action"].value = "Visit the weavers in Ban Phanom"
    fresh_session.set_learner("Khamla")  # "Change name" in JupyterLab
    assert view.fields[0]["action"].value == "", "the new learner must not see the previous learner's plan"
    view.fields[0]["action"].value = "Call the dyers' group"
    noy, khamla = rows(learner_home, "Noy", "action-plan"), rows(learner_home, "Khamla", "action-plan")
    assert [r.value["commitments"][0]["action"] for r in noy] == ["Visit the weavers in Ban Phanom"]
    assert [r.value["commitments"][0]["action"] for r in khamla] == ["Call the dyers' group"]


def test_after_a_name_change_the_conflict_plan_and_checklist_keep_each_learner_apart(learner_home, fresh_session):
    from artisan_course.widgets.communication import ConflictPlanBuilder, MessageDrafting
    fresh_session.set_learner("Noy")
    plan, draft = ConflictPlanBuilder(), MessageDrafting("gratitude")
    plan.team.value = "Noy's team"
    first_box = next(iter(draft.boxes.values()))
    first_box.value = True
    fresh_session.set_learner("Khamla")
    assert plan.team.value == "" and not first_box.value
    plan.team.value = "Khamla's team"
    assert [r.value["team"] for r in rows(learner_home, "Noy", "conflict-plan")] == ["Noy's team"]
    assert [r.value["team"] for r in rows(learner_home, "Khamla", "conflict-plan")] == ["Khamla's team"]
    assert len(rows(learner_home, "Noy", "communication-gratitude-checklist")) == 1
    assert rows(learner_home, "Khamla", "communication-gratitude-checklist") == []


def test_autosave_updates_one_row_per_sitting(learner_home, fresh_session):
    fresh_session.set_learner("Noy")
    save = AutoSave("welcome", "note", Kind.SCENARIO)
    for text in ("a", "ab", "abc"):
        assert save.save({"text": text}).ok
    save.new_sitting()
    save.save({"text": "abcd"})
    assert [r.value["text"] for r in rows(learner_home, "Noy", "note")] == ["abc", "abcd"]


def test_without_a_name_nothing_is_saved_and_the_learner_is_told(learner_home, fresh_session, monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5")  # a slide page opened without ?learner=
    saved = recorder.record("welcome", "note", Kind.SCENARIO, {"x": 1})
    assert not saved.ok and saved.no_learner and "name" in saved.message


class BrokenStore(Store):
    def record(self, *args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    def update(self, *args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")


def test_a_failing_store_shows_a_warning_and_a_download_never_a_traceback(learner_home, fresh_session):
    from artisan_course.widgets.action_plan import ActionPlan
    from artisan_course.widgets.communication import ChannelChooser
    fresh_session.set_learner("Noy")
    fresh_session.store = BrokenStore(learner_home)
    plan = ActionPlan()
    plan.fields[0]["action"].value = "Visit <b>the group</b>"  # must not raise
    assert "could not be saved" in plan.saved.value and "course-download" in plan.saved.value
    assert "<b>the group</b>" not in plan.saved.value  # the message is escaped; the copy is a data: link
    chooser = ChannelChooser()
    chooser.save()
    assert "could not be saved" in chooser.note.value and "download" in chooser.note.value.lower()
    assert fresh_session.store_warning and "the disk could not be read or written" in fresh_session.store_warning


def test_every_kind_saved_by_the_course_is_in_the_enumeration():
    import re
    from pathlib import Path
    src = Path(recorder.__file__).resolve().parents[1]
    loose = [f"{p.relative_to(src)}:{m.group(0)}" for p in src.rglob("*.py") if p.name != "recorder.py"
             for m in re.finditer(r"\.record\([^)]*\"(quiz|reflection|scenario|visit|exercise)\"", p.read_text())]
    assert loose == [], "save through the recorder with a Kind, not a loose string"
    assert {k.value for k in Kind} >= {"quiz", "reflection", "scenario", "visit", "exercise", "action-plan", "draft"}


# -- a page whose learner was forgotten or merged away -----------------------------------------------------------------
def workshop_page(monkeypatch, session, store, name):
    """This process as the workshop kernel of one trainee's page (the server gives it the learner's id)."""
    from artisan_course.state.learner import LEARNER_ID_ENV, WORKSHOP_ENV
    monkeypatch.setenv("VOILA_KERNEL_ID", "test-kernel")
    monkeypatch.setenv(WORKSHOP_ENV, "1")
    monkeypatch.setenv(LEARNER_ID_ENV, str(store.learner(name).id))
    session.learner = None
    return session.start()


def test_after_forget_the_old_page_never_writes_into_the_next_trainees_rows(learner_home, fresh_session, monkeypatch):
    """Issue 25, case 3: the next trainee to join inherited the forgotten trainee's id, and the old page saved "Saved"
    into the newcomer's record."""
    from artisan_course.widgets.reflection import Reflection
    store = Store(learner_home)
    fresh_session.store = store
    noy = workshop_page(monkeypatch, fresh_session, store, "Noy")
    box = Reflection("welcome-think", "Which soft skills matter most?")
    box.value = "Patience with the weavers"
    assert box.saved_text == "Patience with the weavers" and box.problem == ""
    store.forget_id(noy.id)  # the facilitator presses Forget; Noy's page stays open
    keo = store.learner("Keo")  # the next trainee joins
    keo_row = store.record(keo.id, "welcome", "welcome-think", "reflection", "Keo's own words")
    box.value = "Patience with the weavers, and trust"  # typed on the forgotten page
    box.autosave.new_sitting()
    box.value = "Patience with the weavers, and trust."  # a new sitting: a new row
    assert box.saved_text == "Patience with the weavers"  # never shown as saved
    assert box.problem == recorder.LEARNER_GONE and "no longer in the course" in box.problem
    assert [(a.id, a.value) for a in store.answers()] == [(keo_row, "Keo's own words")]
    plain = recorder.record("welcome", "q1", Kind.QUIZ, {"response": "a"})
    assert not plain.ok and plain.message == recorder.LEARNER_GONE
    assert len(store.answers()) == 1


def test_after_a_merge_the_merged_away_page_refuses_and_the_merged_words_stay(learner_home, fresh_session, monkeypatch):
    store = Store(learner_home)
    fresh_session.store = store
    noy = store.learner("Noy")
    mistake = workshop_page(monkeypatch, fresh_session, store, "Noy second phone")  # the newest id
    save = AutoSave("welcome", "welcome-think", Kind.REFLECTION)
    assert save.save("typed on the second phone").ok
    assert store.merge(mistake.id, noy.id) == 1
    newcomer = store.learner("Bounmy")
    again = save.save("typed on the second phone, later")
    assert not again.ok and again.message == recorder.LEARNER_GONE
    assert [(a.learner_id, a.value) for a in store.answers()] == [(noy.id, "typed on the second phone")]
    assert store.answers(learner_id=newcomer.id) == []


def test_an_autosave_whose_row_is_gone_keeps_the_words_in_a_new_row_of_its_own_learner(learner_home, fresh_session):
    fresh_session.set_learner("Noy")
    store = fresh_session.get_store()
    save = AutoSave("welcome", "note", Kind.SCENARIO)
    first = save.save({"text": "a"})
    store._retry(lambda conn: conn.execute("DELETE FROM answers WHERE id = ?", (first.row_id,)))
    again = save.save({"text": "ab"})
    assert again.ok and again.row_id != first.row_id
    assert [r.value["text"] for r in rows(learner_home, "Noy", "note")] == ["ab"]
