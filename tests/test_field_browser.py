"""A phone whose Wi-Fi drops, on the workshop server, through a relay the test controls (issue 25, case 1).

A trainee's phone (Chromium at 390 x 844) reaches the server through ``relay.Relay``, which cuts every connection
and refuses new ones for a while, as a phone put down during a group discussion does.

- Away for longer than the 30 s after which the server used to shut the page's kernel down: the page says it is
  offline, refuses a tap in one sentence (and the kernel records nothing), keeps what is typed, and within 10 s of
  the network returning carries on with the same kernel, on the same slide: the reflection typed offline is saved
  under its learner, and the quiz answer is recorded when tapped again.
- A laptop away while its kernel is shut down on the server: when the network returns, the page says so in one
  sentence and reloads by itself within 10 s, on the same slide, for the same learner, and saves the words typed offline
  without a "Restore it" button.

- A phone whose page closed while it was away (its browser discarded the tab, or the trainee moved on with the room
  before the words could be saved): the next deck it opens saves the words it kept for the other deck's question
  (found by ``benchmarks/field.py``).

``ARTISAN_FIELD_OFFLINE_SECONDS`` sets the first absence (35 s here; 150 s shows the real default at work, past
the 2 minutes after which Voilà's own front end stops trying).
"""
from __future__ import annotations

import json
import os
import time
import uuid

import pytest

from artisan_course.state.store import Store
from conftest import make_course_copy, free_port, screenshot_dir, wait_until
from decks import open_deck, page_kernel_id
from relay import Relay
from room import RoomServer
from test_phone_browser import PHONE

pytestmark = pytest.mark.browser

OFFLINE_SECONDS = float(os.environ.get("ARTISAN_FIELD_OFFLINE_SECONDS", "35"))
RECOVERS_SECONDS = 10  # what the issue asks: carried on within 10 s of the network returning
DECK = "zz-field.ipynb"
ITEM = "field-reflection"
QUIZ_ID = "contingency-why-late-total"


def _cell(source: str, kind: str = "code") -> dict:
    cell = {"cell_type": kind, "metadata": {"slideshow": {"slide_type": "slide"}}, "source": source}
    return cell | ({"execution_count": None, "outputs": []} if kind == "code" else {})


FIELD_DECK = {
    "cells": [_cell("# Before the break", "markdown"),
              _cell(f'from artisan_course import reflect\nreflect("{ITEM}", "What did you notice today?")'),
              _cell(f'from artisan_course import quiz\nquiz("contingency-why", ids=["{QUIZ_ID}"])')],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


KEPT_DECK = "zz-field-kept.ipynb"
KEPT_ITEM = "anchoring-first-price"  # a question of module 03, asked here on a deck of its own
KEPT = {**FIELD_DECK, "cells": [
    _cell("# The first price", "markdown"),
    _cell(f'from artisan_course import reflect\nreflect("{KEPT_ITEM}", "Who named the first price?")')]}


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    (root / "notebooks" / DECK).write_text(json.dumps(FIELD_DECK))
    (root / "notebooks" / KEPT_DECK).write_text(json.dumps(KEPT))
    server = RoomServer(root, tmp_path_factory.mktemp("store"), free_port(), log_name="field.log")  # defaults
    relay = Relay(server.port)
    yield server, relay
    relay.close()
    server.stop()


def answers(server, name: str, kind: str, item: str) -> list:
    store = Store(server.home)
    try:
        found = store.find_learner(name)
        return store.answers(learner_id=found.id, kind=kind, item=item) if found else []
    finally:
        store.close()


def phone_joins(view, relay, server, name: str):
    page = view.page
    page.goto(relay.url + "join")
    page.fill("#join-code", server.code.lower())
    page.fill("#join-name", name)
    with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST"):
        page.click("button[type=submit]")
    open_deck(page, relay.url + "voila/render/" + DECK + "#/1")
    page.locator(".course-reflection textarea").wait_for()
    page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    return page


def connection(page) -> str | None:
    return page.evaluate("document.documentElement.getAttribute('data-course-connection')")


def slide(page) -> int:
    return page.evaluate("Reveal.getIndices().h")


def shot(page, name: str) -> None:
    page.screenshot(path=screenshot_dir("field") / f"{name}.png")


def test_a_phone_away_for_longer_than_30_s_carries_on_by_itself_with_its_kernel(field, offline):
    server, relay = field
    name = f"Phone {uuid.uuid4().hex[:6]}"
    view = offline(**PHONE)
    page = phone_joins(view, relay, server, name)
    kernel = page_kernel_id(page)
    box = page.locator(".course-reflection textarea")
    box.tap()
    box.press_sequentially("Before the break.")
    wait_until(lambda: [a.value for a in answers(server, name, "reflection", ITEM)][-1:] == ["Before the break."],
               30, "the first words to be saved")

    relay.drop()
    page.wait_for_function("document.documentElement.getAttribute('data-course-connection') === 'offline'",
                           timeout=30_000)
    dropped = time.monotonic()
    assert "Offline" in page.locator(".course-connection").inner_text()
    shot(page, "phone-offline")
    box.tap()
    box.press("End")
    box.press_sequentially(" And after it, offline.")
    # A tap on the quiz while offline: refused in one sentence, and the kernel records nothing.
    page.locator(".course-phone-next").tap()
    page.locator(".course-answer-box input").wait_for()
    page.locator(".course-answer-box input").fill("900")
    page.get_by_role("button", name="Check").tap()
    page.locator(".course-connection", has_text="Not sent: you are offline.").wait_for()
    shot(page, "phone-tap-refused")
    on_slide = slide(page)
    assert on_slide == 2

    time.sleep(max(0.0, OFFLINE_SECONDS - (time.monotonic() - dropped)))
    assert relay.refused > 0  # the page did try, and was refused, as a phone out of the Wi-Fi is
    assert answers(server, name, "quiz", QUIZ_ID) == []
    relay.restore()
    back = time.monotonic()
    page.wait_for_function("['back', 'connected'].includes(document.documentElement.getAttribute("
                           "'data-course-connection'))", timeout=RECOVERS_SECONDS * 1000)
    recovered = time.monotonic() - back
    shot(page, "phone-back")
    assert recovered <= RECOVERS_SECONDS

    # The same kernel, the same slide, and the words typed offline saved under the learner.
    assert page_kernel_id(page) == kernel and kernel in server.log_path.read_text() and \
        f"Shutting down kernel {kernel}" not in server.log_path.read_text()
    assert slide(page) == on_slide
    wait_until(lambda: [a.value for a in answers(server, name, "reflection", ITEM)][-1:] ==
               ["Before the break. And after it, offline."], 30, "the words typed offline to be saved")
    # Tapped again once back, the quiz answer is recorded, for this learner.
    page.get_by_role("button", name="Check").tap()
    page.get_by_text("That is the full price").wait_for(timeout=30_000)
    assert [a.value.get("response") for a in answers(server, name, "quiz", QUIZ_ID)] == ["900"]
    print(f"recovered {recovered:.1f} s after {OFFLINE_SECONDS:.0f} s offline")


def test_a_laptop_whose_kernel_was_shut_down_while_away_reloads_by_itself_and_saves_its_words(field, offline):
    """A trainee's laptop this time (1280 x 720, no touch): the same page, the other screen size."""
    server, relay = field
    name = f"Laptop {uuid.uuid4().hex[:6]}"
    view = offline(1280, 720)
    page = phone_joins(view, relay, server, name)
    kernel = page_kernel_id(page)
    box = page.locator(".course-reflection textarea")
    box.click()
    box.press_sequentially("Written before.")
    wait_until(lambda: [a.value for a in answers(server, name, "reflection", ITEM)][-1:] == ["Written before."],
               30, "the first words to be saved")

    relay.drop()
    page.wait_for_function("document.documentElement.getAttribute('data-course-connection') === 'offline'",
                           timeout=30_000)
    box.click()
    box.press("End")
    box.press_sequentially(" Written while away.")
    shot(page, "laptop-offline")
    # Meanwhile the server shuts the kernel down (the room needed it, or it waited longer than 10 minutes).
    xsrf = next(c["value"] for c in view.context.cookies() if c["name"] == "_xsrf")
    shut = view.context.request.post(server.url + f"voila/api/shutdown/{kernel}", headers={"X-XSRFToken": xsrf},
                                     form={"_xsrf": xsrf})
    assert shut.status in (200, 204)
    wait_until(lambda: view.context.request.get(server.url + f"api/kernels/{kernel}").status == 404, 30,
               "the kernel to be shut down")

    with page.expect_event("framenavigated", timeout=RECOVERS_SECONDS * 1000):
        relay.restore()
        back = time.monotonic()
        page.locator(".course-connection--gone").wait_for(timeout=RECOVERS_SECONDS * 1000)
        assert page.locator(".course-connection").inner_text() == (
            "This page closed while you were away. It opens again now, with your work.")
        shot(page, "laptop-gone")
    reloaded = time.monotonic() - back
    assert reloaded <= RECOVERS_SECONDS
    page.wait_for_selector("body[data-deck-ready]", timeout=90_000)
    assert page_kernel_id(page) != kernel
    page.wait_for_function("Reveal.getIndices().h === 1", timeout=30_000)  # the same slide
    # Saved without a button, under the same learner.
    wait_until(lambda: [a.value for a in answers(server, name, "reflection", ITEM)][-1:] ==
               ["Written before. Written while away."], 60, "the words typed while away to be saved")
    assert page.get_by_role("button", name="Restore it").count() == 0
    page.locator(".course-reflection .course-status--saved").wait_for(timeout=30_000)
    shot(page, "laptop-reopened")


def test_words_kept_for_a_page_that_closed_while_away_are_saved_by_the_next_deck_opened(field, offline):
    server, relay = field
    name = f"Moved on {uuid.uuid4().hex[:6]}"
    view = offline(**PHONE)
    page = view.page
    page.goto(relay.url + "join")
    page.fill("#join-code", server.code.lower())
    page.fill("#join-name", name)
    with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST"):
        page.click("button[type=submit]")
    open_deck(page, relay.url + "voila/render/" + KEPT_DECK + "#/1")
    box = page.locator(".course-reflection textarea")
    box.wait_for()
    page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    box.tap()
    box.press_sequentially("The artisans named it.")
    wait_until(lambda: [a.value for a in answers(server, name, "reflection", KEPT_ITEM)][-1:] ==
               ["The artisans named it."], 30, "the first words to be saved")

    relay.drop()
    page.wait_for_function("document.documentElement.getAttribute('data-course-connection') === 'offline'",
                           timeout=30_000)
    box.tap()
    box.press("End")
    box.press_sequentially(" We met in the middle.")
    page.close()  # the tab is gone with the words only in this browser
    relay.restore()

    other = view.context.new_page()
    open_deck(other, relay.url + "voila/render/" + DECK + "#/1")  # another deck, with a question of its own
    wait_until(lambda: [a.value for a in answers(server, name, "reflection", KEPT_ITEM)][-1:] ==
               ["The artisans named it. We met in the middle."], 60, "the kept words to be saved from the next deck")
    kept = [a for a in answers(server, name, "reflection", KEPT_ITEM) if "middle" in a.value]
    assert [a.module for a in kept] == ["anchoring"]  # in the module that asks the question, for the journal
    # Once saved, the browser lets them go (it keeps no copy of what the store has).
    wait_until(lambda: other.evaluate("item => Object.keys(localStorage).filter(k => k.endsWith(':' + item))",
                                      KEPT_ITEM) == [], 30, "the kept words to leave the browser")


SLOW_DECK = "zz-field-slow.ipynb"
SLOW = {**FIELD_DECK, "cells": [
    _cell("# Opening slowly", "markdown"),
    _cell("import pathlib, time\npathlib.Path('zz-field-slow.running').touch()\ntime.sleep(12)"),
    _cell(f'from artisan_course import reflect\nreflect("{ITEM}", "What did you notice?")')]}


def test_a_page_cut_off_while_it_opened_opens_again_by_itself(field, offline):
    """Found by benchmarks/field.py: a phone whose Wi-Fi dropped (or whose laptop restarted) while a deck was still
    being sent stayed on a blank page for good; only the first lines of the page had arrived."""
    server, relay = field
    (server.root / "notebooks" / SLOW_DECK).write_text(json.dumps(SLOW))
    name = f"Cut off {uuid.uuid4().hex[:6]}"
    view = offline(**PHONE)
    page = view.page
    page.goto(relay.url + "join")
    page.fill("#join-code", server.code.lower())
    page.fill("#join-name", name)
    with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST"):
        page.click("button[type=submit]")
    running = server.root / "notebooks" / "zz-field-slow.running"  # the deck's slow cell marks that it runs
    running.unlink(missing_ok=True)
    page.goto(relay.url + "voila/render/" + SLOW_DECK + "#/1", wait_until="commit")
    wait_until(running.exists, 90, "the deck to be running (its first lines sent)")
    relay.drop()  # the Wi-Fi drops while the deck is still being sent
    # The page noticed (asked from here: Playwright's own waiting does not run in a page that was never drawn).
    wait_until(lambda: page.evaluate("!!document.documentElement && "
                                     "document.documentElement.getAttribute('data-course-connection') === 'cut'"),
               30, "the page to say it was cut off")
    with page.expect_event("framenavigated", timeout=20_000):
        relay.restore()
    page.wait_for_selector("body[data-deck-ready]", timeout=120_000)
    page.wait_for_function("Reveal.getIndices().h === 1", timeout=30_000)  # the same slide
    page.locator(".course-reflection textarea").wait_for(timeout=60_000)
