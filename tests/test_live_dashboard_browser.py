"""The facilitator's dashboard brings itself up to date, and the facilitator is never a trainee (issue 26).

In Chromium, on a workshop server of this file's own on 127.0.0.1 (so every count is exact):

- The dashboard, left open, shows each trainee's slide (on the room's slide, or how far behind), "Has not answered
  this question yet" for the question on the room's slide, then whether the answer was right and in how many tries,
  with no reload.
- The facilitator presents from the start page with their own session: no join form, no PIN, no "Not you? Leave".
  What the facilitator's slides save is kept under the facilitator's own learner, which the roster, the roster's
  actions, the dashboard, the projector's counts, the start page's count, the CSVs and the journals zip leave out.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from artisan_course.state.store import Store
from conftest import free_port, make_course_copy, screenshot_dir, wait_until
from decks import open_deck
from test_pacing_browser import PHONE, move, on_slide, present
from test_workshop_browser import WorkshopServer, join, sign_in

pytestmark = pytest.mark.browser

DECK = "zz-dash.ipynb"
WORDS = "dash-reflection"
QUIZ = "welcome-three-parts"
POLL = "welcome-soft-skill-poll"
RIGHT, WRONG = "Negotiation, management and communication", "Pricing, product design"
FACILITATOR_WORDS = "Shown on the projector, not a trainee's words"


def _cell(source: str, kind: str = "code") -> dict:
    cell = {"cell_type": kind, "metadata": {"slideshow": {"slide_type": "slide"}}, "source": source}
    return cell | ({"execution_count": None, "outputs": []} if kind == "code" else {})


DASH_DECK = {
    "cells": [_cell('from artisan_course import course_header\ncourse_header("welcome")'),
              _cell(f'from artisan_course import reflect\nreflect("{WORDS}", "What did you notice?")'),
              _cell(f'from artisan_course import quiz\nquiz("welcome", ids=["{QUIZ}"])'),
              _cell(f'quiz("welcome", ids=["{POLL}"])'),
              _cell("# The end", "markdown")],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.fixture
def workshop(tmp_path):
    root = make_course_copy(tmp_path / "course")
    (root / "notebooks" / DECK).write_text(json.dumps(DASH_DECK))
    server = WorkshopServer(root, tmp_path / "store", free_port())
    yield server
    server.stop()


def trainee(offline, server, name: str):
    view = offline(**PHONE)
    join(view, server, name)
    open_deck(view.page, server.deck(DECK))
    return view


def presenting(offline, server):
    return present(offline, server, DECK)


def row(dashboard, name: str):
    return dashboard.page.locator("#whereabouts tbody tr").filter(has_text=name)


def says(dashboard, name: str, column: str, text: str, timeout: float = 20_000) -> None:
    """The dashboard's row for ``name`` shows ``text`` in ``column``, by itself (the page is never reloaded)."""
    row(dashboard, name).locator(f"td.course-where-{column}", has_text=text).wait_for(timeout=timeout)


def check(view, option: str) -> None:
    question = view.page.locator("section.present .course-question")
    question.get_by_text(option).first.tap()
    question.get_by_role("button", name="Check").tap()


def test_the_dashboard_shows_each_trainee_s_slide_and_answer_by_itself(workshop, offline):
    projector = presenting(offline, workshop)
    dashboard = offline(1280, 720)
    sign_in(dashboard, workshop, "facilitator/dashboard")
    dashboard.page.evaluate("window.notReloaded = true")
    first, second = f"Noy {free_port()}", f"Keo {free_port()}"
    phones = [trainee(offline, workshop, name) for name in (first, second)]
    move(projector, 2)
    for phone in phones:
        on_slide(phone.page, 2)
    phones[1].page.locator(".course-phone-prev").tap()  # the second looks back at the reflection
    on_slide(phones[1].page, 1)

    says(dashboard, first, "slide", "Slide 3 (the room's slide)")
    says(dashboard, second, "slide", "Slide 2 (1 slide behind)")
    for name in (first, second):
        says(dashboard, name, "current", "Has not answered this question yet")
    dashboard.page.locator("#room-on-slide", has_text="On this slide: 1 of 2").wait_for(timeout=20_000)
    assert "This course has three main parts" in dashboard.page.inner_text("#room-question")

    check(phones[0], WRONG)
    says(dashboard, first, "current", "Not right yet: 1 try")
    says(dashboard, first, "last", "Not right, try 1")
    check(phones[0], RIGHT)
    says(dashboard, first, "current", "Right after 2 tries")
    says(dashboard, first, "last", "Right on try 2")
    dashboard.page.locator("#room-answered", has_text="Answered this question: 1 of 2").wait_for(timeout=20_000)
    says(dashboard, second, "current", "Has not answered this question yet")
    assert dashboard.page.evaluate("window.notReloaded === true")  # it came up to date by itself
    assert dashboard.page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    dashboard.page.screenshot(path=str(screenshot_dir("pacing") / "dashboard-live-1280x720.png"))
    for view in (projector, dashboard, *phones):
        assert view.external_requests() == []


def test_the_facilitator_is_left_out_of_the_roster_the_dashboard_the_counts_and_every_export(workshop, offline):
    projector = presenting(offline, workshop)
    header = projector.page.locator(".course-learner").first
    assert "Presenting as the facilitator" in header.inner_text() and header.locator(".course-leave").count() == 0
    assert projector.page.locator("#course-pin").count() == 0
    # The speaker view's kernel-free previews are the facilitator's too (no trainee cookie needed).
    assert projector.context.request.get(workshop.url + f"course/preview/{DECK}").status == 200
    # What the facilitator types on their own slides is saved, under the facilitator's own learner.
    move(projector, 1)
    box = projector.page.locator("section.present .course-reflection textarea")
    box.wait_for()
    projector.page.wait_for_function("!document.querySelector('section.present .course-reflection textarea').disabled")
    box.click()
    box.press_sequentially(FACILITATOR_WORDS, delay=5)
    store = Store(workshop.home)
    try:
        facilitator_id = wait_until(store.facilitator_id, 30, "the facilitator's own learner")
        wait_until(lambda: [a.value for a in store.answers(learner_id=facilitator_id, item=WORDS)][-1:]
                   == [FACILITATOR_WORDS], 30, "the facilitator's words to be saved")
        # A demonstration on the projector saves answers too (the facilitator's own tools): never counted.
        for item, value in ((QUIZ, {"response": "x", "attempt": 1, "correct": True, "revealed": False}),
                            (POLL, {"response": "trust", "attempt": 1, "correct": None, "revealed": False})):
            store.record(facilitator_id, "welcome", item, "quiz", value, score=1.0)
    finally:
        store.close()

    name = f"Lan {free_port()}"
    phone = trainee(offline, workshop, name)
    move(projector, 3)
    on_slide(phone.page, 3)
    question = phone.page.locator("section.present .course-question")
    question.get_by_text("Building trust").first.tap()
    question.get_by_role("button", name="Send").tap()
    projector.page.locator("section.present .course-room-count[data-answered='1']").wait_for(timeout=20_000)
    projector.page.wait_for_timeout(3000)  # three more reads of the room: still the trainee's one answer
    assert projector.page.locator("section.present .course-room-count").get_attribute("data-answered") == "1"
    projector.page.locator(".course-room-pace__count[data-here='1'][data-of='1']").wait_for(timeout=20_000)

    laptop = offline(1280, 720)
    sign_in(laptop, workshop, "facilitator")
    roster = laptop.page.locator("table.course-roster-table")
    assert name in roster.inner_text() and "Facilitator" not in roster.inner_text()
    api = laptop.context.request.get(workshop.url + "facilitator/api/roster").json()
    assert [r["name"] for r in api] == [name] and facilitator_id not in [r["id"] for r in api]
    # No roster action reaches the facilitator's own learner: it is not on the roster.
    xsrf = next(c["value"] for c in laptop.context.cookies() if c["name"] == "_xsrf")
    trainee_id = api[0]["id"]
    for action, form in (("rename", {"learner": facilitator_id, "name": "Someone"}),
                         ("forget", {"learner": facilitator_id}), ("reassign", {"learner": facilitator_id}),
                         ("merge", {"learner": facilitator_id, "into": trainee_id})):
        assert laptop.context.request.post(workshop.url + f"facilitator/{action}",
                                           form={"_xsrf": xsrf, **form}).status == 404, action
    merged = laptop.context.request.post(workshop.url + "facilitator/merge",
                                         form={"_xsrf": xsrf, "learner": trainee_id, "into": facilitator_id})
    assert merged.status == 400

    laptop.page.goto(workshop.url + "facilitator/dashboard")
    who = laptop.page.locator("#whereabouts tbody tr")
    assert who.count() == 1 and name in who.first.inner_text()
    assert "Facilitator" not in laptop.page.inner_text("#whereabouts")
    assert "0% of 0" not in laptop.page.inner_text("main")
    polls = laptop.page.locator("#polls ~ section").first.inner_text()
    assert "1 answered" in polls
    assert "On this slide: 1 of 1" in laptop.page.inner_text("#room-now")

    named = laptop.context.request.get(workshop.url + "facilitator/answers.csv?names=1").text()
    rows = list(csv.DictReader(io.StringIO(named.lstrip("\ufeff"))))
    assert rows and {r["trainee"] for r in rows} == {name} and FACILITATOR_WORDS not in named
    anonymous = list(csv.DictReader(io.StringIO(
        laptop.context.request.get(workshop.url + "facilitator/answers.csv").text().lstrip("\ufeff"))))
    assert {r["trainee"] for r in anonymous} == {"Trainee 1"}
    roster_csv = laptop.context.request.get(workshop.url + "facilitator/roster.csv").text()
    assert name in roster_csv and "Facilitator" not in roster_csv
    journals = zipfile.ZipFile(io.BytesIO(laptop.context.request.get(workshop.url + "facilitator/export").body()))
    assert journals.namelist() and all(n.startswith("journal-lan-") for n in journals.namelist())
    laptop.page.goto(workshop.url + "facilitator/start")
    assert laptop.page.inner_text("#joined-count") == "1 joined so far"
    for view in (projector, laptop, phone):
        assert view.external_requests() == []
