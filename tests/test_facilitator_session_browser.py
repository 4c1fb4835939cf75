"""The facilitator's key becomes a session: shown once in the terminal, never in an address, never a cookie's value.

Checked over HTTP, on a workshop server on 127.0.0.1 (this computer); the refusals from another device on the network
are in ``test_workshop_network_browser.py``. The browser the server opens at start is a small script (``$BROWSER``)
that only writes down the address it was given, as the process list and the browser's history would keep it.
"""
from __future__ import annotations

import re
import stat
import urllib.parse

import pytest

from artisan_course.state.store import Store
from conftest import free_port, make_course_copy, wait_until
from room import RoomServer, Trainee, room_controls

pytestmark = pytest.mark.browser  # a live server

COOKIE = "artisan_course_facilitator"
PAGES = ["facilitator", "facilitator/start", "facilitator/export", "facilitator/evaluation", "facilitator/api/roster",
         "facilitator/dashboard", "facilitator/answers.csv", "facilitator/answers.csv?names=1",
         "facilitator/roster.csv"]
ACTIONS = ["rename", "merge", "reassign", "forget"]


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """A workshop server started as a facilitator starts it (it opens a browser), and the address it opened."""
    folder = tmp_path_factory.mktemp("session")
    record = folder / "opened.txt"
    browser = folder / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {record}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    root = make_course_copy(folder / "course")
    server = RoomServer(root, folder / "store", free_port(), log_name="session.log", open_browser=True,
                        env={"BROWSER": str(browser)})
    address = wait_until(lambda: record.is_file() and record.read_text().strip(), 60, "the browser to be opened")
    yield server, address
    server.stop()


def get(device: Trainee, path: str, headers: dict | None = None) -> int:
    import urllib.request
    request = urllib.request.Request(device.server.url + path, headers=headers or {})
    try:
        with device.direct.open(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def sign_in(device: Trainee, key: str) -> int:
    return device.sign_in(key)


def test_the_terminal_shows_the_key_once_and_the_browser_gets_a_one_time_address(opened):
    server, address = opened
    printed = server.log_path.read_text()
    assert printed.count(server.key) == 1  # only on its own line, not in any address the terminal prints
    assert server.key not in address  # the address the browser (its history, the process list) holds
    path = urllib.parse.urlsplit(address)
    assert path.path == "/facilitator/start" and "once=" in path.query

    projector = Trainee(server, "projector")
    assert get(projector, address.split("/", 3)[3]) == 303  # the code signs this browser in, and the address is clean
    session = projector.cookie(COOKIE)
    assert session and session != server.key and server.key not in session and len(session) >= 40
    assert get(projector, "facilitator/start") == 200
    # The code worked once: nobody else can use it again, and it signs nobody in.
    again = Trainee(server, "someone later")
    assert get(again, address.split("/", 3)[3]) == 403 and again.cookie(COOKIE) is None


def test_every_facilitator_page_needs_the_key_or_a_session_and_never_takes_the_key_in_the_address(opened):
    server, _ = opened
    trainee = Trainee(server, f"Victim {free_port()}")
    assert trainee.join() == 200
    store = Store(server.home)
    try:
        victim = store.find_learner(trainee.name).id
    finally:
        store.close()
    stranger = Trainee(server, "stranger")
    for page in PAGES:
        assert get(stranger, page) == 403, page
        # The key in the address is refused: it would stay in the history and on the projector's screen.
        separator = "&" if "?" in page else "?"
        assert get(stranger, f"{page}{separator}key={server.key}") == 403, page
        assert stranger.cookie(COOKIE) is None
        assert get(stranger, page, {"X-Facilitator-Key": "not the key"}) == 403, page
    for action in ACTIONS:
        assert stranger.post(f"facilitator/{action}", {"learner": str(victim), "name": "x", "into": "1"}) == 403
    assert sign_in(stranger, "not the key") == 403 and stranger.cookie(COOKIE) is None
    store = Store(server.home)
    try:
        assert store.learner_by_id(victim).name == trainee.name  # nothing was renamed, merged or forgotten
    finally:
        store.close()

    # A script on this computer sends the key in a header.
    script = Trainee(server, "script")
    for page in PAGES:
        assert get(script, page, {"X-Facilitator-Key": server.key}) == 200, page

    # The sign-in page takes the key once and gives this browser a session of its own.
    laptop = Trainee(server, "laptop")
    assert sign_in(laptop, server.key) == 303
    session = laptop.cookie(COOKIE)
    assert session and session != server.key
    for page in PAGES:
        assert get(laptop, page) == 200, page
    # A form posted with the session but without this page's XSRF field is refused (a forged form from elsewhere).
    forged = Trainee(server, "forged")
    forged.jar.set_cookie(next(c for c in laptop.jar if c.name == COOKIE))
    assert forged.post("facilitator/rename", {"learner": str(victim), "name": "Forged"}) == 403
    assert laptop.post("facilitator/rename", {"learner": str(victim), "name": f"Renamed {free_port()}"}) == 200
    # Two sessions are two cookies: each browser signs in on its own.
    other = Trainee(server, "tablet")
    assert sign_in(other, server.key) == 303 and other.cookie(COOKIE) != session


def deck_controls(device: Trainee) -> bool:
    """Open the welcome deck (it has room polls): True if the server made its kernel a facilitator's."""
    status, _, kernel = device.open_deck(device.server.deck("00-welcome.ipynb"))
    assert status == 200 and kernel
    ws = device.connect(kernel)
    try:
        return room_controls(device.widget_states(ws))
    finally:
        ws.close()


def test_an_old_session_is_refused_after_a_restart_and_trainees_stay_signed_in(tmp_path):
    root = make_course_copy(tmp_path / "course")
    server = RoomServer(root, tmp_path / "store", free_port(), log_name="before.log")
    laptop, trainee = Trainee(server, f"Facilitator {free_port()}"), Trainee(server, f"Stays {free_port()}")
    try:
        assert sign_in(laptop, server.key) == 303 and get(laptop, "facilitator") == 200
        assert laptop.join() == 200 and trainee.join() == 200
        assert deck_controls(laptop) and not deck_controls(trainee)  # the session makes the deck the facilitator's
    finally:
        server.stop()
    restarted = RoomServer(root, tmp_path / "store", free_port(), log_name="after.log")  # cookies ignore the port
    try:
        laptop.server = trainee.server = restarted
        assert restarted.key != server.key
        for page in PAGES:
            assert get(laptop, page) == 403, page
        assert not deck_controls(laptop)  # the old session no longer makes a facilitator's deck
        status, html, _ = trainee.open_deck(restarted.url)
        assert status == 200 and re.search(r'id="course-learner-name">Stays', html)  # the course map, not the join page
    finally:
        restarted.stop()
