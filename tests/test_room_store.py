"""The room's reads and the facilitator's choices, in the store and through the widgets, without a browser."""
from __future__ import annotations

import pytest

from artisan_course.state.learner import FACILITATOR_ENV, LEARNER_ID_ENV, WORKSHOP_ENV
from artisan_course.state.store import Store


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
    plan = " ".join(str(r[-1]) for r in store._read(
        "EXPLAIN QUERY PLAN SELECT id FROM answers WHERE item = ? AND kind = ? AND id > ? ORDER BY id",
        ("poll-a", "quiz", 0)))
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
    assert "when the facilitator shows them" in trainee.room.widget.value and "course-room-table" not in trainee.room.widget.value

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
