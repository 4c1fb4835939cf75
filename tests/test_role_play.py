"""The role-plays, as a three in the room uses them: each role reads its own part, the observer's checklist is saved
like a reflection, shown to the pair on the observer's screen, and kept in the observer's journal."""
from __future__ import annotations

import pytest

from artisan_course.content.activities import load_activity, observer_items
from artisan_course.content.course_map import load_course_map
from artisan_course.content.notebooks import module_calls, module_slides
from artisan_course.documents.journal import journal_markdown
from artisan_course.state.session import SESSION
from artisan_course.state.store import Store
from artisan_course.text import escape as esc

DATA = load_activity("role_cards.yaml")
COURSE = load_course_map()


@pytest.mark.parametrize("card", DATA["cards"], ids=[c["id"] for c in DATA["cards"]])
def test_every_card_has_its_slide_with_the_time_it_needs(card):
    module = COURSE.modules[card["module"]]
    assert (card["id"],) in module_calls(module, "role_play"), f"{module.notebook} shows no role_play('{card['id']}')"
    slide = next(s for s in module_slides(module) if "role_play" in s.tools)
    assert slide.minutes >= DATA["minutes"], f"{module.notebook}: the role-play slide gives {slide.minutes} minutes"
    assert "observer" in slide.note.lower() and "swap" in slide.note.lower()


def test_the_debrief_questions_live_in_one_place():
    assert len(DATA["checklist"]) == 4
    words = " ".join(DATA["checklist"]).lower()
    assert all(w in words for w in ("warm", "tough", "tactic", "next time"))
    assert "debrief" not in DATA  # no second list of questions to drift apart


def test_each_role_reads_its_own_part_and_the_observers_checklist_is_kept(learner_home, fresh_session):
    from artisan_course.widgets.role_play import RolePlay
    SESSION.set_learner("Kham")
    view = RolePlay("late-batch")
    card = view.card
    assert view.observer.layout.display == "none" and view.part.value == ""
    view.role.value = "buyer"
    assert esc(card["buyer"]) in view.part.value and esc(card["leader"]) not in view.part.value
    view.role.value = "leader"
    assert esc(card["leader"]) in view.part.value and esc(card["buyer"]) not in view.part.value
    view.role.value = "observer"
    assert view.observer.layout.display == "" and esc(card["leader"]) not in view.part.value
    view.boxes[0].value = "She asked about the sick weavers <b>first</b>."
    view.boxes[3].value = "Offer a trade sooner."
    view.show_pair.click()
    assert "She asked about the sick weavers &lt;b&gt;first&lt;/b&gt;." in view.pair.value  # escaped, as typed
    assert "(nothing written)" in view.pair.value and DATA["checklist"][1] in view.pair.value

    store = Store(learner_home)
    try:
        learner = store.find_learner("Kham")
        item, prompt = observer_items("people-persuaders", card)[0]
        saved = store.latest(learner.id, item, kind="reflection")
        assert saved.value == "She asked about the sick weavers <b>first</b>."
        journal = journal_markdown(store, learner)
        assert f"**{prompt}**" in journal and "> Offer a trade sooner." in journal
    finally:
        store.close()

    SESSION.listeners.clear()
    again = RolePlay("late-batch")  # a reload: the observer's words come back
    assert again.boxes[0].value == "She asked about the sick weavers <b>first</b>."


def test_the_checklist_is_not_needed_to_complete_a_module():
    """Only one trainee in three observes each role-play, so the checklist does not hold back the certificate."""
    from artisan_course.content.notebooks import module_prompts
    module = COURSE.module("people-persuaders")
    items = {p.item for p in module_prompts(module)}
    assert not any("-observer-" in item for item in items)
