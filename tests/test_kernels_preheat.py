"""Preheated kernels in workshop mode: each page gets a kernel that already ran the deck, and that kernel works for
the trainee whose cookie asked for the page, whatever the address says.

Checked over HTTP and the kernel's own websocket, as Voilà's front end talks to it: the widget states the page would
draw, and the rows the kernels wrote in the store.
"""
from __future__ import annotations

import json
import re
import time

import pytest

from artisan_course.state.store import Store
from conftest import free_port, make_course_copy, wait_until
from room import RoomServer, Trainee

pytestmark = pytest.mark.browser  # a live server and kernels: not part of the quick run

DECK = "00-welcome.ipynb"


@pytest.fixture(scope="module")
def warm_room(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    home = tmp_path_factory.mktemp("store")
    server = RoomServer(root, home, free_port(), "--class-size", "2")
    yield server
    server.stop()


def learner_names(states: dict) -> list[str]:
    return [re.sub(r"<[^>]+>", "", s["value"]) for s in states.values()
            if "course-learner-name" in str(s.get("value", ""))]


def rows(home, name: str) -> list:
    store = Store(home)
    try:
        learner = store.find_learner(name)
        return [a for a in store.answers(learner.id) if a.item == "welcome:visit"] if learner else []
    finally:
        store.close()


def test_each_trainee_gets_a_preheated_kernel_that_works_for_them_only(warm_room):
    server = warm_room
    ann, bo = Trainee(server, "Ann Preheat"), Trainee(server, "Bo Preheat")
    assert ann.join() == 200 and bo.join() == 200
    # Both kernels of the first deck have run it to the end before anyone asks for it.
    wait_until(lambda: server.status()["pools"].get(DECK) == 2 and server.status()["ready"] >= 2, 240,
               "two preheated kernels of the welcome deck")
    # A preheated kernel has no learner, so it has written nothing.
    assert rows(server.home, "Ann Preheat") == [] and rows(server.home, "Bo Preheat") == []

    # Ann's address names Bo: in a workshop the address is never read.
    status, _, ann_kernel = ann.open_deck(server.deck(DECK, "?learner=Bo%20Preheat"))
    assert status == 200
    status, _, bo_kernel = bo.open_deck(server.deck(DECK))
    assert status == 200 and ann_kernel != bo_kernel
    log = server.log_path.read_text()
    assert f"Using pre-heated kernel: {ann_kernel}" in log and f"Using pre-heated kernel: {bo_kernel}" in log

    ann_socket, bo_socket = ann.connect(ann_kernel), bo.connect(bo_kernel)
    try:
        wait_until(lambda: learner_names(ann.widget_states(ann_socket)) == ["Learning as Ann Preheat · Not you? Leave"],
                   60, "Ann's page to say it is Ann's")
        assert learner_names(bo.widget_states(bo_socket)) == ["Learning as Bo Preheat · Not you? Leave"]
        # Each kernel wrote one visit, for its own trainee.
        wait_until(lambda: len(rows(server.home, "Ann Preheat")) == 1 and len(rows(server.home, "Bo Preheat")) == 1,
                   30, "one visit row each")
        # Neither trainee can reach the other's kernel.
        with pytest.raises(Exception):
            bo.connect(ann_kernel, timeout=10)
        assert bo.shut_down(ann_kernel) == 403
    finally:
        ann_socket.close()
        bo_socket.close()


def test_the_pool_refills_for_the_class_and_warms_the_next_deck(warm_room):
    status = wait_until(lambda: (lambda s: s if s["ready_by_deck"].get("01-people-and-persuaders.ipynb") == 2
                                 else None)(warm_room.status()), 240, "the next deck's pool, ready")
    assert status["current"] == DECK and status["next"] == "01-people-and-persuaders.ipynb"


NEXT = "01-people-and-persuaders.ipynb"
QUIET = 20  # seconds, for the test server (--quiet-seconds): long enough to watch, short enough to wait for


def test_kernels_warm_in_turns_and_the_next_deck_waits_until_no_one_is_opening_a_deck(tmp_path):
    """Two cores: the room's kernels run their deck two at a time, so the first trainee's page is ready in seconds,
    and the next deck's kernels do not take the cores while trainees are still opening the class's deck."""
    root = make_course_copy(tmp_path / "course")
    server = RoomServer(root, tmp_path / "store", free_port(), "--class-size", "3", "--quiet-seconds", str(QUIET))
    try:
        trainee = Trainee(server, "Early Trainee")
        trainee.join()
        asked = time.monotonic()
        status, _, kernel = trainee.open_deck(server.deck(DECK))
        assert status == 200 and kernel

        # Until the room has been quiet for QUIET seconds, the next deck's kernels wait: none runs its deck, even
        # once the class's deck is ready. Watched with the status the server answers, several times a second.
        next_waited = False
        while time.monotonic() < asked + QUIET - 2:
            now = server.status()
            assert now["warming"] <= now["warm_at_once"], now
            assert now["warming_by_deck"].get(NEXT, 0) == 0, now
            assert now["quiet"] is False
            next_waited |= now["ready_by_deck"].get(DECK, 0) >= 2 and now["pools"].get(NEXT, 0) == 3
            time.sleep(0.2)  # the pace of the watch, not a wait for something to happen
        assert next_waited, "the class's deck should have been ready, with the next deck's kernels waiting"

        # Then the room is quiet and the next deck warms, for the whole class.
        wait_until(lambda: server.status()["ready_by_deck"].get(NEXT) == 3, 240, "the next deck's three kernels")
        turns = [int(m.group(1)) for m in re.finditer(r"Warming a kernel of \S+: (\d+) of (\d+) at once",
                                                      server.log_path.read_text())]
        assert len(turns) >= 6 and max(turns) <= server.status()["warm_at_once"]
    finally:
        server.stop()


def query(server, kernel: str):
    """Connect to a kernel's page-request socket as anyone on the network could (no cookie, no key)."""
    from websockets.sync.client import connect
    return connect(f"ws://127.0.0.1:{server.port}/voila/query/{kernel}", open_timeout=30, max_size=None)


def server_kernels(server) -> set[str]:
    from decks import server_children
    return {m.group(1) for _, line in server_children(server.process.pid)
            for m in [re.search(r"kernel-([0-9a-f-]+)\.json", line)] if m}


def heard(socket, seconds: float) -> list[str]:
    """Every message a socket is sent within ``seconds`` (until it is closed)."""
    from websockets.exceptions import ConnectionClosed
    messages, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            messages.append(socket.recv(timeout=max(0.05, deadline - time.monotonic())))
        except (ConnectionClosed, TimeoutError):
            break
    return messages


def test_only_the_kernel_itself_can_read_its_page_request(tmp_path):
    """Whatever address the server listens on, a caller gets a kernel's page request (whose page, and whether it is
    the facilitator's) only by proving it is that kernel; nobody else can read it, or take it from the kernel."""
    root = make_course_copy(tmp_path / "course")
    server = RoomServer(root, tmp_path / "store", free_port(), "--class-size", "3")
    held = []
    try:
        ann = Trainee(server, "Ann Query")
        assert ann.join() == 200
        wait_until(lambda: server.status()["ready_by_deck"].get(DECK, 0) >= 3, 240, "three warm kernels")
        status, _, ann_kernel = ann.open_deck(server.deck(DECK))
        assert status == 200

        # A stranger asks for Ann's kernel's page request, and guesses an answer to whatever it is asked.
        with query(server, ann_kernel) as socket:
            first = heard(socket, 5)
            socket.send(json.dumps({"proof": "0" * 64}))
            later = heard(socket, 5)
        assert not any("ARTISAN_COURSE_LEARNER_ID" in m or "QUERY_STRING" in m for m in first + later), first + later
        # Every kernel still waiting for its page: a stranger connects to it and holds on.
        for kernel in server_kernels(server) - {ann_kernel}:
            held.append(query(server, kernel))
        bo = Trainee(server, "Bo Query")
        assert bo.join() == 200
        status, _, bo_kernel = bo.open_deck(server.deck(DECK))
        assert status == 200 and f"Using pre-heated kernel: {bo_kernel}" in server.log_path.read_text()
        bo_socket = bo.connect(bo_kernel)
        try:  # Bo's kernel got Bo's page request: the stranger did not take its place
            wait_until(lambda: learner_names(bo.widget_states(bo_socket)) == ["Learning as Bo Query · Not you? Leave"],
                       60, "Bo's page to say it is Bo's")
        finally:
            bo_socket.close()
        for socket in held:  # and the stranger was sent nothing of Bo's page
            assert not any("ARTISAN_COURSE_LEARNER_ID" in m for m in heard(socket, 1))
    finally:
        for socket in held:
            socket.close()
        server.stop()
