"""The one save path: rows belong to the learner who wrote them, and a failing store never raises into a tool."""
import sqlite3
from datetime import date, timedelta

import pytest

from artisan_course.state import recorder
from artisan_course.state.recorder import AutoSave, Kind
from artisan_course.state.store import Store

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
    assert fresh_session.store_warning and "disk I/O error" in fresh_session.store_warning


def test_every_kind_saved_by_the_course_is_in_the_enumeration():
    import re
    from pathlib import Path
    src = Path(recorder.__file__).resolve().parents[1]
    loose = [f"{p.relative_to(src)}:{m.group(0)}" for p in src.rglob("*.py") if p.name != "recorder.py"
             for m in re.finditer(r"\.record\([^)]*\"(quiz|reflection|scenario|visit|exercise)\"", p.read_text())]
    assert loose == [], "save through the recorder with a Kind, not a loose string"
    assert {k.value for k in Kind} >= {"quiz", "reflection", "scenario", "visit", "exercise", "action-plan", "draft"}
