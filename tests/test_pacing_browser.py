"""Pacing the room in Chromium: the trainees' phones follow the facilitator's slide (issue 26).

One workshop server on 127.0.0.1; the projector is a browser signed in as the facilitator (a session of its own, and
no trainee identity); each phone is a browser context at 390 x 844 that joined with a name. The server decides which
slide is the room's from the facilitator's session; a trainee's page can neither move the room nor release it.

- Three phones follow the projector; one looks back on its own and returns with one tap on "Back to the room"; one
  is typing in a reflection and is not moved (its words kept); the facilitator releases the room and calls it back.
- A phone whose Wi-Fi drops (``relay.Relay``, as a phone that sleeps) follows again when it is back.
- The projector counts "On this slide: N of M".
- The course map says where the room is, one tap away; a phone follows the facilitator into the next module, and a
  deck opened by hand while the room is elsewhere offers "Back to the room".
"""
from __future__ import annotations

import json
import urllib.request

import pytest

from artisan_course.state.store import Store
from conftest import free_port, make_course_copy, screenshot_dir, wait_until
from decks import open_deck
from relay import Relay
from test_workshop_browser import WorkshopServer, join, sign_in

pytestmark = pytest.mark.browser

DECK = "zz-pace.ipynb"
WORDS = "pace-reflection"
PHONE = dict(width=390, height=844, device_scale_factor=2, is_mobile=True, has_touch=True)
FOLLOW_MS = 15_000  # a phone asks every 1.5 s; a loaded machine answers late


def _cell(source: str, kind: str = "markdown") -> dict:
    cell = {"cell_type": kind, "metadata": {"slideshow": {"slide_type": "slide"}}, "source": source}
    return cell | ({"execution_count": None, "outputs": []} if kind == "code" else {})


PACE_DECK = {
    "cells": [_cell('from artisan_course import course_header\ncourse_header("welcome")', "code"),
              _cell("# Slide two\n\nThe warm-up."),
              _cell(f'from artisan_course import reflect\nreflect("{WORDS}", "What did you notice?")', "code"),
              _cell("# Slide four\n\nThe next idea."),
              _cell("# Slide five\n\nAfter the discussion."),
              _cell("# Slide six\n\nThe end.")],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


NEXT_DECK = "zz-pace-next.ipynb"
NEXT = {**PACE_DECK, "cells": [_cell("# The next module\n\nIts first slide."), _cell("# Its second slide")]}


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    (root / "notebooks" / DECK).write_text(json.dumps(PACE_DECK))
    (root / "notebooks" / NEXT_DECK).write_text(json.dumps(NEXT))
    server = WorkshopServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def present(offline, server, deck: str = DECK):
    """The facilitator's projector: signed in with the key, then "Present the course" from the start page."""
    view = offline(1280, 720)
    sign_in(view, server, "facilitator/start")
    view.console_errors.clear()  # the sign-in page itself answers 403 until the key is typed
    view.page.get_by_role("link", name="Present the course").click()
    view.page.locator("#facilitator-presenting").wait_for()
    assert "/join" not in view.page.url
    view.page.screenshot(path=str(screenshot_dir("pacing") / "projector-course-map-presenting-1280x720.png"))
    open_deck(view.page, server.deck(deck))
    pace(view.page).wait_for(timeout=FOLLOW_MS)
    return view


def phone(offline, server, name: str, url_base: str | None = None):
    view = offline(**PHONE)
    join(view, server, name)
    open_deck(view.page, (url_base or server.url) + "voila/render/" + DECK)
    return view


def pace(page):
    return page.locator(".course-room-pace")


def slide(page) -> int:
    return page.evaluate("Reveal.getIndices().h")


def on_slide(page, index: int, timeout: float = FOLLOW_MS) -> None:
    page.wait_for_function(f"Reveal.getIndices().h === {index}", timeout=timeout)


def count_is(page, here: int, of: int, timeout: float = FOLLOW_MS) -> None:
    page.locator(f".course-room-pace__count[data-here='{here}'][data-of='{of}']").wait_for(timeout=timeout)


def move(projector, index: int) -> None:
    projector.page.evaluate(f"Reveal.slide({index})")


def back_button(page):
    return page.get_by_role("button", name="Back to the room")


def room_state(server) -> dict:
    """What any page is told about the room (asked as the projector would be, with the key)."""
    request = urllib.request.Request(server.url + "course/api/room", data=b'{"deck": ""}', method="POST",
                                     headers={"X-Facilitator-Key": server.key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def answers(server, name: str) -> list[str]:
    store = Store(server.home)
    try:
        learner = store.find_learner(name)
        return [a.value for a in store.answers(learner_id=learner.id, item=WORDS)] if learner else []
    finally:
        store.close()


def test_three_phones_follow_one_looks_back_one_types_and_the_room_is_released_and_called_back(workshop, offline):
    shots = screenshot_dir("pacing")
    projector = present(offline, workshop)
    names = [f"Noy {free_port()}", f"Keo {free_port()}", f"Lan {free_port()}"]
    a, b, c = (phone(offline, workshop, name) for name in names)
    # The facilitator's own deck is no trainee's: no PIN, no join form, and it is not counted.
    assert projector.page.locator(".course-presenting").count() == 1
    count_is(projector.page, 3, 3)

    move(projector, 1)
    for view in (a, b, c):
        on_slide(view.page, 1)
    count_is(projector.page, 3, 3)

    # B looks back on its own: it stays there when the room moves on, with one button to come back.
    b.page.locator(".course-phone-prev").tap()
    on_slide(b.page, 0)
    back_button(b.page).wait_for(timeout=FOLLOW_MS)
    move(projector, 2)
    on_slide(a.page, 2)
    on_slide(c.page, 2)
    count_is(projector.page, 2, 3)
    assert slide(b.page) == 0
    b.page.screenshot(path=str(shots / "phone-back-to-the-room-390x844.png"))

    # C types in the reflection: the room moves on, C is not moved, and keeps every word.
    box = c.page.locator(".course-reflection textarea")
    c.page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled", timeout=60_000)
    box.tap()
    box.press_sequentially("The buyer listened first", delay=30)
    move(projector, 3)
    on_slide(a.page, 3)
    back_button(c.page).wait_for(timeout=FOLLOW_MS)
    box.press_sequentially(", then asked why.", delay=30)
    assert slide(c.page) == 2 and box.input_value() == "The buyer listened first, then asked why."
    c.page.screenshot(path=str(shots / "phone-typing-not-moved-390x844.png"))
    count_is(projector.page, 1, 3)
    projector.page.screenshot(path=str(shots / "projector-on-this-slide-1280x720.png"))

    # One tap brings B back to the room's slide.
    back_button(b.page).tap()
    on_slide(b.page, 3, timeout=5_000)
    assert back_button(b.page).is_hidden()
    count_is(projector.page, 2, 3)

    # A trainee's page can neither release the room nor move it: the server answers 403, and nothing moves.
    for view in (a, b):
        xsrf = next(c["value"] for c in view.context.cookies() if c["name"] == "_xsrf")
        released = view.context.request.post(workshop.url + "course/api/room/pace", data='{"following": false}',
                                             headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"})
        assert released.status == 403
        led = view.context.request.post(workshop.url + "course/api/room",
                                        data=json.dumps({"deck": DECK, "h": 5, "v": 0, "lead": "move"}),
                                        headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"})
        assert led.status == 200 and led.json()["role"] == "trainee"
    assert (room_state(workshop)["h"], room_state(workshop)["following"]) == (3, True)
    wait_until(lambda: answers(workshop, names[2])[-1:] == ["The buyer listened first, then asked why."], 30,
               "C's words to be saved while the room moved on")

    # Released: the phones stay where their trainees take them, and no button calls them.
    pace(projector.page).get_by_role("button", name="Let everyone move freely").click()
    pace(projector.page).get_by_text("Self-paced").wait_for(timeout=FOLLOW_MS)
    projector.page.screenshot(path=str(shots / "projector-released-1280x720.png"))
    move(projector, 4)
    wait_until(lambda: room_state(workshop)["h"] == 4, 30, "the room's slide to be 4")
    a.page.locator(".course-phone-prev").tap()
    on_slide(a.page, 2)
    back_button(c.page).wait_for(state="hidden", timeout=FOLLOW_MS)
    a.page.wait_for_timeout(3000)  # two asks of the room: still where the trainees put them
    assert (slide(a.page), slide(b.page), slide(c.page)) == (2, 3, 2)
    assert back_button(a.page).is_hidden() and back_button(b.page).is_hidden()

    # Called back: every phone goes to the room's slide, except the one still typing, which is offered the button.
    pace(projector.page).get_by_role("button", name="Bring everyone to my slide").click()
    on_slide(a.page, 4)
    on_slide(b.page, 4)
    back_button(c.page).wait_for(timeout=FOLLOW_MS)
    assert slide(c.page) == 2
    count_is(projector.page, 2, 3)
    # C finishes typing and leaves the box: C follows the room too, words kept.
    c.page.keyboard.press("Escape")
    on_slide(c.page, 4, timeout=FOLLOW_MS + 6000)
    count_is(projector.page, 3, 3)
    assert answers(workshop, names[2])[-1] == "The buyer listened first, then asked why."
    for view in (projector, a, b, c):
        assert view.external_requests() == [] and view.console_errors == [], (view.page.url, view.console_errors)


def test_a_phone_whose_wifi_drops_follows_the_room_again_when_it_is_back(workshop, offline):
    relay = Relay(workshop.port)
    try:
        projector = present(offline, workshop)
        move(projector, 1)
        sleeper = phone(offline, workshop, f"Sleeps {free_port()}", url_base=relay.url)
        on_slide(sleeper.page, 1)
        relay.drop()
        refused = relay.refused
        move(projector, 3)
        wait_until(lambda: room_state(workshop)["h"] == 3, 30, "the room's slide to be 3")
        wait_until(lambda: relay.refused >= refused + 3, 60, "the phone's asks to be refused while it is away")
        assert slide(sleeper.page) == 1
        relay.restore()
        on_slide(sleeper.page, 3, timeout=20_000)
        assert sleeper.external_requests() == []
    finally:
        relay.close()


def test_the_room_lands_on_the_projectors_slide_when_the_facilitator_moves_twice_in_a_row(workshop, offline):
    """Two quick presses of the clicker: the second move is made while the first is still being told to the server.
    The room ends on the slide the projector shows, not on the one before."""
    projector = present(offline, workshop)
    projector.page.evaluate("Reveal.slide(1); Reveal.slide(2)")  # the second before the first's answer is back
    wait_until(lambda: room_state(workshop)["h"] == 2, FOLLOW_MS / 1000, "the room on the projector's slide 3")
    assert projector.page.evaluate("Reveal.getIndices().h") == 2
    assert projector.external_requests() == []


def test_the_course_map_is_one_tap_from_the_room_and_phones_follow_it_into_the_next_module(workshop, offline):
    projector = present(offline, workshop)
    move(projector, 2)
    view = offline(**PHONE)
    join(view, workshop, f"Map {free_port()}")
    view.page.get_by_role("link", name="Open the course").tap()
    view.page.locator("#room-now", has_text="The room is on slide 3 of").wait_for(timeout=FOLLOW_MS)
    view.page.screenshot(path=str(screenshot_dir("pacing") / "phone-course-map-room-390x844.png"))
    view.page.get_by_role("link", name="Go to the room's slide").tap()
    view.page.wait_for_selector("body[data-deck-ready]", timeout=90_000)
    on_slide(view.page, 2)
    assert back_button(view.page).is_hidden()

    # The facilitator opens the next module: the phone opens it too, at the facilitator's slide.
    open_deck(projector.page, workshop.deck(NEXT_DECK))
    move(projector, 1)
    view.page.wait_for_url(f"**/{NEXT_DECK}#/1", timeout=60_000)
    view.page.wait_for_selector("body[data-deck-ready]", timeout=90_000)
    on_slide(view.page, 1)

    # A deck opened by hand while the room is in another module: the trainee chose it, and one tap brings them back.
    other = phone(offline, workshop, f"Elsewhere {free_port()}")
    back_button(other.page).wait_for(timeout=FOLLOW_MS)
    assert NEXT_DECK not in other.page.url
    back_button(other.page).tap()
    other.page.wait_for_url(f"**/{NEXT_DECK}#/1", timeout=60_000)
    other.page.wait_for_selector("body[data-deck-ready]", timeout=90_000)
    on_slide(other.page, 1)
    for v in (view, other):
        assert v.external_requests() == [] and v.console_errors == []
