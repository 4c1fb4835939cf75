"""How long a deck's kernel lives on the workshop server: as long as its page, and through a phone's sleep.

A page's kernel is shut down once the page has been gone for a while (10 minutes by default; 4 s here), even when
the browser never sent its shutdown request (a phone that locked and never came back, a killed tab, a page left
while it was loading). A page that stays connected keeps its
kernel. When the machine is full, a new page gets a plain "room is full" answer instead of a kernel.
"""
from __future__ import annotations

import time

import pytest

from artisan_course.serving.kernel_pools import PAGE_GONE_SECONDS, REAP_EVERY_SECONDS
from conftest import free_port, make_course_copy, wait_until
from room import RoomServer, Trainee

pytestmark = pytest.mark.browser  # a live server and kernels: not part of the quick run

GONE = 4  # seconds, for the test server (--page-gone-seconds)
DECK = "zz-fixture-empty.ipynb"


def test_a_page_away_for_ten_minutes_by_default_finds_its_kernel_and_a_closed_page_frees_it_soon_after():
    # The figures the facilitator guide promises: a phone asleep through a group discussion (a few minutes) comes
    # back to its own kernel; a page that never returns frees its kernel at most a reap round after 10 minutes.
    assert PAGE_GONE_SECONDS == 600 and REAP_EVERY_SECONDS <= 10


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    server = RoomServer(root, tmp_path_factory.mktemp("store"), free_port(), "--page-gone-seconds", str(GONE),
                        "--max-kernels", "2")
    yield server
    server.stop()


def in_use(server) -> int:
    return server.status()["in_use"]


def wait_for_no_page_kernels(server, started: float, what: str) -> float:
    wait_until(lambda: in_use(server) == 0, GONE + 3 * REAP_EVERY_SECONDS + 20, what)
    return time.monotonic() - started


def test_a_page_that_never_connects_loses_its_kernel(room):
    trainee = Trainee(room, "Never Connects")
    trainee.join()
    status, _, kernel = trainee.open_deck(room.deck(DECK))
    assert status == 200 and kernel
    sent = time.monotonic()
    assert in_use(room) == 1
    waited = wait_for_no_page_kernels(room, sent, "the kernel of a page that never connected to be shut down")
    assert waited >= GONE - 1  # not at once: a page gets time to connect
    assert f"Shutting down kernel {kernel}: its page is gone." in room.log_path.read_text()


def test_a_page_that_drops_its_connection_without_a_shutdown_request_loses_its_kernel(room):
    trainee = Trainee(room, "Drops Out")
    trainee.join()
    _, _, kernel = trainee.open_deck(room.deck(DECK))
    socket = trainee.connect(kernel)
    # Connected for longer than the grace period: the kernel stays all along.
    watch_until = time.monotonic() + GONE + 2 * REAP_EVERY_SECONDS
    while time.monotonic() < watch_until:
        assert in_use(room) == 1, "a connected page lost its kernel"
        trainee.ping(socket)
    socket.close()  # no shutdown request, as when a phone locks or a tab is killed
    closed = time.monotonic()
    wait_for_no_page_kernels(room, closed, "the kernel of a page that went away to be shut down")


def test_the_room_full_page_instead_of_a_kernel_beyond_the_cap(room):
    first, second, third = (Trainee(room, name) for name in ("Cap One", "Cap Two", "Cap Three"))
    for trainee in (first, second, third):
        trainee.join()
    sockets = []
    try:
        for trainee in (first, second):
            status, _, kernel = trainee.open_deck(room.deck(DECK))
            assert status == 200
            sockets.append(trainee.connect(kernel))
        status, html, kernel = third.open_deck(room.deck(DECK))
        assert status == 503 and kernel is None
        assert "The room is full" in html and "2 decks" in html
    finally:
        for socket in sockets:
            socket.close()
    wait_for_no_page_kernels(room, time.monotonic(), "the closed pages' kernels to be freed")
    status, _, kernel = third.open_deck(room.deck(DECK))
    assert status == 200 and kernel


def test_at_the_cap_a_new_page_takes_the_place_of_the_page_away_longest(tmp_path_factory):
    # The default lifetime (10 minutes), so that only the cap can free the sleeping phone's kernel.
    room = RoomServer(make_course_copy(tmp_path_factory.mktemp("course")), tmp_path_factory.mktemp("store"),
                      free_port(), "--max-kernels", "2")
    first, second, third = (Trainee(room, name) for name in ("Away One", "Here Two", "New Three"))
    for trainee in (first, second, third):
        trainee.join()
    _, _, away = first.open_deck(room.deck(DECK))
    first.connect(away).close()  # a phone that locked: no shutdown request
    _, _, here = second.open_deck(room.deck(DECK))
    socket = second.connect(here)
    try:
        status, _, kernel = third.open_deck(room.deck(DECK))
        assert status == 200 and kernel not in (away, here)
        assert f"Shutting down kernel {away}: the room needs its memory and its page is away." in \
            room.log_path.read_text()
        second.ping(socket)  # the connected page keeps its kernel
    finally:
        socket.close()
        room.stop()


def test_a_client_of_the_old_kernel_protocol_is_refused_and_the_room_keeps_answering(room):
    # Voilà reads binary messages as the v1 protocol only; an old-protocol client would freeze the whole server.
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect
    trainee = Trainee(room, "Old Protocol")
    trainee.join()
    _, _, kernel = trainee.open_deck(room.deck(DECK))
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://127.0.0.1:{room.port}/api/kernels/{kernel}/channels", additional_headers=trainee.headers(),
                open_timeout=30)
    assert refused.value.response.status_code == 400
    trainee.connect(kernel).close()  # the protocol the page speaks still works
    assert room.status()["kernels"] >= 1


def test_ctrl_c_stops_the_workshop_server_even_while_a_deck_is_being_run(tmp_path):
    """Found by benchmarks/field.py: Ctrl-C while a deck ran (a page's, or a pool kernel warming, which is most of
    the time in a room) did nothing, because the library that runs decks takes Ctrl-C for itself meanwhile."""
    import json
    import signal
    import threading
    from conftest import code_deck
    root = make_course_copy(tmp_path / "course")
    (root / "notebooks" / "zz-slow.ipynb").write_text(json.dumps(code_deck("import time\ntime.sleep(60)")))
    server = RoomServer(root, tmp_path / "store", free_port())
    try:
        trainee = Trainee(server, "Noy Slow")
        assert trainee.join() == 200
        threading.Thread(target=trainee.open_deck, args=(server.deck("zz-slow.ipynb"),), kwargs={"timeout": 120},
                         daemon=True).start()
        wait_until(lambda: "Kernel started" in server.log_path.read_text(), 120, "the deck's kernel to start")
        wait_until(lambda: server.status()["kernels"] >= 1, 60, "the deck to be running")
        time.sleep(3)  # the deck's cell is running now
        stopped = time.monotonic()
        server.process.send_signal(signal.SIGINT)
        wait_until(lambda: server.process.poll() is not None, 30, "the server to stop on Ctrl-C")
        assert time.monotonic() - stopped < 30 and "Stopping..." in server.log_path.read_text()
    finally:
        server.stop()
