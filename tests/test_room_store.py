"""The room's reads and the facilitator's choices, in the store and through the widgets, without a browser."""
from __future__ import annotations

import pytest

from artisan_course.state.learner import FACILITATOR_ENV, LEARNER_ID_ENV, WORKSHOP_ENV
from artisan_course.state.store import Store


# Every test here runs on both backends (SQLite, PostgreSQL) unless marked sqlite_only.
pytestmark = pytest.mark.usefixtures("store_backend")


@pytest.fixture
def store(learner_home):
    store = Store(learner_home)
    yield store
    store.close()


def answer(store, name, item, response, correct=None, kind="quiz"):
    learner = store.learner(name)
    value = {"response": response, "attempt": 1, "correct": correct, "revealed": False, "score": None}
    return store.record(learner.id, "welcome", item, kind, value)


def test_rows_since_an_id_are_read_through_the_room_index(store):
    first = answer(store, "Noy", "poll-a", "x")
    answer(store, "Keo", "poll-b", "y")
    second = answer(store, "Keo", "poll-a", "z")
    assert [a.id for a in store.room_since("poll-a", "quiz", 0)] == [first, second]
    assert [a.id for a in store.room_since("poll-a", "quiz", first)] == [second]
    query = "SELECT id FROM answers WHERE item = ? AND kind = ? AND id > ? ORDER BY id"
    if store.postgres:
        # A tiny table is read whole whatever its indexes; with table scans priced out, the planner shows the index
        # it would use for a room of hundreds.
        store._conn.execute("SET enable_seqscan = off")
        plan = " ".join(r[0] for r in store._read(f"EXPLAIN {query}", ("poll-a", "quiz", 0)))
        store._conn.execute("RESET enable_seqscan")
        assert "answers_by_room" in plan and "Seq Scan" not in plan
        return
    plan = " ".join(str(r[-1]) for r in store._read(f"EXPLAIN QUERY PLAN {query}", ("poll-a", "quiz", 0)))
    assert "answers_by_room" in plan and "SCAN answers" not in plan.replace("USING INDEX", "")


def test_clearing_a_practice_run_keeps_every_answer_and_starts_the_count_afresh(store):
    answer(store, "Noy", "poll-a", "x")
    answer(store, "Keo", "poll-a", "y")
    state = store.set_poll_state("poll-a", revealed=True, names=True)
    assert state.revealed and state.names and state.open
    cleared = store.clear_poll("poll-a")
    assert not cleared.revealed and cleared.names and cleared.cleared_after > 0
    assert store.room_since("poll-a", "quiz", cleared.cleared_after) == []
    assert len(store.answers(item="poll-a")) == 2  # the journals keep the practice answers
    answer(store, "Noy", "poll-a", "z")
    assert [a.value["response"] for a in store.room_latest("poll-a", "quiz", cleared.cleared_after)] == ["z"]
    assert store.poll_states(["never-touched"]) == {}
    with pytest.raises(ValueError):
        store.set_poll_state("poll-a", learner_id=3)


def test_first_tries_and_where_each_learner_is(store):
    answer(store, "Noy", "q1", "a", correct=False)
    answer(store, "Noy", "q1", "b", correct=True)
    answer(store, "Keo", "q1", "b", correct=True)
    firsts = {(a.learner_id, a.item): a.value["correct"] for a in store.first_tries()}
    noy, keo = store.find_learner("Noy").id, store.find_learner("Keo").id
    assert firsts == {(noy, "q1"): False, (keo, "q1"): True}
    assert store.whereabouts()[noy].value["response"] == "b"


# -- the widgets, as a kernel of the workshop server runs them ------------------------------------------------
@pytest.fixture
def workshop_kernel(monkeypatch, fresh_session, store):
    """Make this process look like a kernel the workshop server started; returns a function to pick the learner."""
    monkeypatch.setenv("VOILA_KERNEL_ID", "test-kernel")
    monkeypatch.setenv(WORKSHOP_ENV, "1")

    def become(name: str, facilitator: bool = False):
        fresh_session.learner = None
        monkeypatch.setenv(LEARNER_ID_ENV, str(store.learner(name).id))
        monkeypatch.setenv(FACILITATOR_ENV, "1" if facilitator else "0")
        return fresh_session.start()

    return become


def views(module="welcome", ids=("welcome-soft-skill-poll",)):
    from artisan_course.widgets.quiz import QuizView
    return QuizView(module, list(ids)).views


def test_a_trainee_cannot_change_the_room_or_read_names_and_sees_results_only_when_revealed(workshop_kernel, store):
    from artisan_course.state import recorder
    from artisan_course.widgets.room import QuestionPanel, TraineeRoom
    workshop_kernel("Noy")
    assert recorder.set_poll("welcome-soft-skill-poll", revealed=True) is None
    assert recorder.room_names([1]) == {}
    trainee = views()[0]
    assert isinstance(trainee.room, TraineeRoom)
    trainee.control.value = "listening"
    trainee.submit()
    assert ("when the facilitator shows them" in trainee.room.widget.value
            and "course-room-table" not in trainee.room.widget.value)

    workshop_kernel("Facilitator", facilitator=True)
    panel = views()[0].room
    assert isinstance(panel, QuestionPanel) and "1</span> person has answered" in panel.status.value
    panel.reveal.click()
    assert "Listening" in panel.body.value and "Noy" not in panel.body.value
    panel.names.click()
    assert "Noy" in panel.body.value
    panel.openness.click()

    workshop_kernel("Keo")
    keo = views()[0]
    assert keo.check.disabled and "closed" in keo.room.widget.value
    assert "The room's answers (1), without names" in keo.room.widget.value and "Noy" not in keo.room.widget.value
    keo.control.value = "trust"
    keo.submit()
    assert store.find_learner("Keo") and store.room_since("welcome-soft-skill-poll", "quiz", 0)[-1].value[
        "response"] == "listening"  # nothing was saved for Keo


def test_free_text_cards_and_the_word_cloud_escape_learner_text(workshop_kernel, store):
    from artisan_course.widgets.room import TextPanel, cloud_html
    for name, text in (("Noy", "<script>alert(1)</script> trust"), ("Keo", "Trust and patience")):
        store.record(store.learner(name).id, "welcome", "room-words", "reflection", text)
    workshop_kernel("Facilitator", facilitator=True)
    panel = TextPanel("room-words", "One word for a good partner?")
    assert "2</span> answers, 0 shown" in panel.status.value and "card" not in panel.body.value.replace("cards", "")
    panel.next_card.click()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; trust" in panel.body.value and "<script>" not in panel.body.value
    assert "Trust and patience" not in panel.body.value
    panel.as_cloud.click()
    assert "<script" not in panel.body.value
    assert "<script" not in cloud_html(["<script>x</script> <b>bold</b>"])
    panel.reveal.click()
    assert "trust" in panel.body.value and "patience" in panel.body.value


# -- what a trainee's browser console can send: the kernel decides, from the store ---------------------------------
def from_the_page(widget, data: dict) -> None:
    """A comm message as the page's widget manager sends it (``update`` of synced traits, or ``custom``)."""
    widget._handle_msg({"content": {"data": data, "comm_id": widget.model_id}, "buffers": []})


def page_sets(widget, **state) -> None:
    from_the_page(widget, {"method": "update", "state": state, "buffer_paths": []})


def page_clicks(button) -> None:
    from_the_page(button, {"method": "custom", "content": {"event": "click"}})


def facilitator_panel(workshop_kernel, ids):
    workshop_kernel("Facilitator", facilitator=True)
    return views(ids=ids)[0].room


def test_a_crafted_send_to_a_closed_poll_records_nothing_and_the_projector_count_stays(workshop_kernel, store):
    poll = "welcome-soft-skill-poll"
    workshop_kernel("Noy")
    noy_page = views()[0]  # opened while the poll is open
    panel = facilitator_panel(workshop_kernel, (poll,))
    panel.openness.click()  # closed: Noy's page has not seen it yet (its clock has not ticked)
    workshop_kernel("Noy")
    page_sets(noy_page.control, index=0)
    page_clicks(noy_page.check)
    keo_page = views()[0]  # opened after the close: the button is disabled; the console enables it
    assert keo_page.check.disabled
    page_sets(keo_page.check, disabled=False)
    page_sets(keo_page.control, index=1)
    page_clicks(keo_page.check)
    assert store.answers(item=poll) == []
    assert "closed this question" in noy_page.feedback.value and "closed this question" in keo_page.feedback.value
    panel.update(store.poll_states([poll])[poll])
    assert "0</span> people have answered" in panel.status.value


def test_show_answer_before_the_facilitator_reveals_records_nothing_and_never_counts_as_right(workshop_kernel, store):
    from artisan_course.documents.room_report import dashboard
    quiz = "welcome-three-parts"
    workshop_kernel("Noy")
    page = views(ids=(quiz,))[0]
    assert page.reveal.layout.display == "none"
    page_clicks(page.reveal)  # from the console, before any try
    assert store.answers(item=quiz) == []
    for wrong in ("design-price-export", "accounting"):
        page_sets(page.control, index=page.order.index(wrong))
        page_clicks(page.check)
    assert page.reveal.layout.display == "none"  # two wrong tries, but the facilitator has not revealed it
    page_clicks(page.reveal)
    assert [a.value["correct"] for a in store.answers(item=quiz)] == [False, False]
    # A crafted "correct first try" saved by an older course (a "Show answer" row first): never counted as right.
    keo = store.learner("Keo")
    store.record(keo.id, "welcome", quiz, "quiz", {"response": "neg-man-comm", "attempt": 1, "correct": True,
                                                   "revealed": True, "score": 0.0}, score=0.0)
    panel = facilitator_panel(workshop_kernel, (quiz,))
    assert "1</span> person has answered" in panel.status.value  # Noy; Keo's shown answer is not an answer
    panel.reveal.click()
    right_row = panel.body.value.split("course-room-right")[1].split("</tr>")[0]
    assert "<strong>0</strong>" in right_row  # nobody chose the right answer on a first try
    hardest = {h["item"]: h for h in dashboard(store)["hardest"]}
    assert hardest[quiz]["right"] == 0 and hardest[quiz]["tries"] == 2
    # Revealed to the room, Noy may now see it: a shown answer, scored 0, still not a right first try.
    workshop_kernel("Noy")
    page.room.update(store.poll_states([quiz])[quiz])
    assert page.reveal.layout.display == ""
    page_clicks(page.reveal)
    noy = store.find_learner("Noy").id
    assert [a.value["revealed"] for a in store.answers(item=quiz, learner_id=noy)] == [False, False, True]
    assert {h["item"]: h for h in dashboard(store)["hardest"]}[quiz]["right"] == 0


def test_text_sent_to_a_closed_room_reflection_is_refused_in_the_kernel_and_kept_for_download(workshop_kernel, store):
    from artisan_course.widgets.reflection import CLOSED_NOT_SAVED, Reflection
    from artisan_course.widgets.room import TextPanel, _room_reflection_part
    item = "room-words"
    workshop_kernel("Noy")
    box = _room_reflection_part(item, "One word for a good partner?", None, "welcome")
    assert isinstance(box, Reflection) and not box.disabled
    page_sets(box, value="trust")
    assert box.saved_text == "trust"
    workshop_kernel("Facilitator", facilitator=True)
    cards = TextPanel(item, "One word for a good partner?")
    cards.openness.click()  # closed; Noy's box has not ticked yet
    workshop_kernel("Noy")
    page_sets(box, value="trust and patience")
    assert box.problem == CLOSED_NOT_SAVED and box.disabled and box.saved_text == "trust"
    later = _room_reflection_part(item, "One word for a good partner?", None, "welcome")  # opened after the close
    assert later.disabled
    page_sets(later, disabled=False)
    page_sets(later, value="a crafted answer")
    assert later.problem == CLOSED_NOT_SAVED
    assert [a.value for a in store.answers(item=item)] == ["trust"]
    cards.update(store.poll_states([item])[item], force=True)
    assert "1</span> answer," in cards.status.value


def test_after_the_newest_rows_are_deleted_the_room_still_counts_every_new_answer(store, fresh_session):
    """Issue 25, case 3: ``cleared_after`` and the projector's "rows since" mark are ids; a deleted id given again
    hid the next answers from the room."""
    from artisan_course.widgets.room import Tally
    answer(store, "Noy", "poll-a", "x")
    answer(store, "Keo", "poll-a", "y")  # the newest rows
    tally = Tally("poll-a")
    tally.refresh()
    assert tally.answered == 2
    cleared = store.clear_poll("poll-a")
    store.forget("Keo")  # the facilitator forgets the newest trainee
    answer(store, "Bounmy", "poll-a", "z")
    assert [a.value["response"] for a in store.room_since("poll-a", "quiz", cleared.cleared_after)] == ["z"]
    tally.refresh()  # a projector that had read up to Keo's row
    assert "z" in [row.value["response"] for row in tally.latest.values()]


def test_the_facilitator_s_own_learner_is_in_no_view_of_the_room(store):
    noy = store.learner("Noy")
    own = store.facilitator_learner()
    for learner in (noy, own):
        store.record(learner.id, "welcome", "poll-a", "quiz", {"response": "x", "attempt": 1, "correct": None})
        store.record(learner.id, "welcome", "quiz-a", "quiz", {"response": "y", "attempt": 1, "correct": True})
        store.record(learner.id, "welcome", "words", "reflection", "typed")
    assert [learner.id for learner in store.learners()] == [noy.id]
    assert [row.learner.id for row in store.roster()] == [noy.id]
    for rows in (store.room_since("poll-a", "quiz"), store.room_latest("poll-a", "quiz"),
                 store.latest_per_learner("words", "reflection"), store.first_tries(),
                 store.room_answers(["quiz-a", "poll-a"]), list(store.whereabouts().values()),
                 list(store.last_answers().values())):
        assert rows and {a.learner_id for a in rows} == {noy.id}
    assert store.room_changed("poll-a", "quiz")[0] == 1
    assert set(k[0] for k in store.items_done()) == {noy.id}
    # The facilitator's own rows are still theirs (their own journal reads them).
    assert len(store.answers(learner_id=own.id)) == 3
