"""What a trainee who opens the browser console can send to their page's kernel, on a real workshop server: comm
messages over the kernel's websocket, exactly as Voilà's widget manager sends them. The kernel, not the page,
decides what a closed or unrevealed question takes (issue 25, case 7), so the store and the room's counts stay
true.
"""
from __future__ import annotations

import json
import time

import pytest

from artisan_course.state.store import Store
from conftest import free_port, make_course_copy
from room import RoomServer, Trainee, _message, _receive, _send
from test_room_browser import POLL, QUIZ, ROOM_DECK, WORDS

pytestmark = pytest.mark.browser  # a live server and kernels: not part of the quick run


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    (root / "notebooks" / "zz-room.ipynb").write_text(json.dumps(ROOM_DECK))
    server = RoomServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def console(trainee: Trainee, ws, comm_id: str, data: dict) -> None:
    """One comm message to a widget's model, as the page's widget manager sends it."""
    _send(ws, _message(trainee.name, "comm_msg", {"comm_id": comm_id, "data": data}))


def settle(trainee: Trainee, ws, timeout: float = 120) -> dict:
    """Wait until every message sent before has been handled (the kernel answers the shell channel in order), and
    return what the kernel changed on the page meanwhile (widget id -> traits)."""
    _send(ws, _message(trainee.name, "kernel_info_request", {}))
    changed: dict = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = _receive(ws, max(0.1, deadline - time.monotonic()))
        if reply["msg_type"] == "kernel_info_reply":
            return changed
        content = reply.get("content", {})
        if reply["msg_type"] == "comm_msg" and content.get("data", {}).get("method") == "update":
            changed.setdefault(content.get("comm_id"), {}).update(content["data"].get("state", {}))
    raise AssertionError("the kernel did not answer")


def answers(home, name: str) -> list:
    store = Store(home)
    try:
        learner = store.find_learner(name)
        return [a for a in store.answers(learner_id=learner.id) if a.kind != "visit"] if learner else []
    finally:
        store.close()


def test_crafted_messages_to_closed_and_unrevealed_questions_record_nothing(room):
    store = Store(room.home)
    for item in (POLL, WORDS):  # what the facilitator's Close buttons write
        store.set_poll_state(item, open=False)
    store.close()
    noy = Trainee(room, f"Noy {free_port()}")
    assert noy.join() == 200
    status, _, kernel = noy.open_deck(room.deck("zz-room.ipynb"))
    assert status == 200 and kernel
    ws = noy.connect(kernel)
    states = noy.widget_states(ws)

    def widget(test) -> str:
        found = [k for k, s in states.items() if test(s)]
        assert found, "the deck's widget is missing"
        return found[0]

    sends = [k for k, s in states.items() if s.get("_model_name") == "ButtonModel" and s.get("description") == "Send"]
    choices = [k for k, s in states.items() if s.get("_model_name") == "RadioButtonsModel"]
    show_answers = [k for k, s in states.items()
                    if s.get("_model_name") == "ButtonModel" and s.get("description") == "Show answer"]
    box = widget(lambda s: "draft_key" in s and "prompt" in s)
    assert len(show_answers) == 2 and states[sends[0]]["disabled"] and states[box]["disabled"]  # the page: closed

    console(noy, ws, sends[0], {"method": "update", "state": {"disabled": False}, "buffer_paths": []})
    console(noy, ws, choices[0], {"method": "update", "state": {"index": 0}, "buffer_paths": []})
    console(noy, ws, sends[0], {"method": "custom", "content": {"event": "click"}})
    for button in show_answers:  # the poll's and the quiz's: no try yet, and not revealed to the room
        console(noy, ws, button, {"method": "custom", "content": {"event": "click"}})
    console(noy, ws, box, {"method": "update", "state": {"disabled": False}, "buffer_paths": []})
    console(noy, ws, box, {"method": "update", "state": {"value": "typed into a closed question"},
                           "buffer_paths": []})
    changed = settle(noy, ws)
    assert answers(room.home, noy.name) == []  # every message above was handled before the reply
    # The kernel says why on the page (the box's plain message, never "Saved") and closes the box again. Its
    # widget updates travel on another channel than the reply, so they may come just after it.
    deadline = time.monotonic() + 30
    while "problem" not in changed.get(box, {}) and time.monotonic() < deadline:
        reply = _receive(ws, max(0.1, deadline - time.monotonic()))
        content = reply.get("content", {})
        if reply["msg_type"] == "comm_msg" and content.get("data", {}).get("method") == "update":
            changed.setdefault(content.get("comm_id"), {}).update(content["data"].get("state", {}))
    ws.close()
    assert "closed this question" in changed.get(box, {}).get("problem", ""), changed
    assert changed[box].get("disabled") is True and "saved_text" not in changed[box]
    store = Store(room.home)
    try:
        assert store.room_since(POLL, "quiz", 0) == [] and store.room_since(QUIZ, "quiz", 0) == []
    finally:
        store.close()
