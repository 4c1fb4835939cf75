"""Live polls, a room quiz and free-text cards in Chromium: trainees' browsers and the facilitator's, one workshop.

The facilitator's browser has signed in with the key (a session cookie of its own) and has not joined: it presents
as no trainee. The server, not the page, decides that its kernel shows the room's controls.
"""
from __future__ import annotations

import csv
import io
import json
import time

import pytest

from artisan_course.state.store import Store
from conftest import free_port, make_course_copy, screenshot_dir
from decks import open_deck
from test_workshop_browser import WorkshopServer, join, sign_in

pytestmark = pytest.mark.browser

POLL = "welcome-soft-skill-poll"
QUIZ = "welcome-three-parts"
WORDS = "room-test-words"
HARD = "welcome-lowest-price-success"  # only the dashboard's test answers it
SCRIPT = "<script>window.pwned=1</script><b>loud</b>"


def cell(source: str) -> dict:
    return {"cell_type": "code", "metadata": {"slideshow": {"slide_type": "slide"}}, "execution_count": None,
            "outputs": [], "source": source}


ROOM_DECK = {
    "cells": [
        cell(f'from artisan_course import quiz\nquiz("welcome", ids=["{POLL}"])'),
        cell(f'quiz("welcome", ids=["{QUIZ}"])'),
        cell(f'from artisan_course import reflect\nreflect("{WORDS}", "One word for a good partner?", room=True)'),
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    (root / "notebooks" / "zz-room.ipynb").write_text(json.dumps(ROOM_DECK))
    server = WorkshopServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def facilitator(offline, server, width=1280, height=720):
    view = offline(width, height)
    sign_in(view, server)  # a session of this browser's own: the server, not the page, knows it is the facilitator
    open_deck(view.page, server.deck("zz-room.ipynb"))  # no join: the facilitator presents as no trainee
    return view


def trainee(offline, server, name: str, width=1280, height=720):
    view = offline(width, height)
    join(view, server, name)
    open_deck(view.page, server.deck("zz-room.ipynb"))
    return view


def go_to(view, index: int) -> None:
    view.page.evaluate(f"Reveal.slide({index})")


def answer_choice(view, option_text: str, button: str) -> None:
    question = view.page.locator(".course-question").filter(has=view.page.get_by_text(option_text)).first
    question.get_by_text(option_text).first.click()
    question.get_by_role("button", name=button).click()


def count_is(view, n: int, timeout: float = 10_000):
    """The facilitator's slide shows ``n`` answered on the current slide, without a reload."""
    view.page.locator(f"section.present .course-room-count[data-answered='{n}']").wait_for(timeout=timeout)


def panel(view):
    return view.page.locator("section.present .course-room-facilitator")


def results(view):
    """The results the facilitator revealed: under the question's prompt, where its options were."""
    return view.page.locator("section.present .course-room-results")


def test_a_live_poll_on_the_projector_reveal_hide_close_and_clear(workshop, offline):
    shots = screenshot_dir("polls")
    projector = facilitator(offline, workshop)
    count_is(projector, 0)
    # A trainee's page has no room controls, whatever it claims: the server decides who is the facilitator.
    names = [f"Noy {free_port()}", f"Keo {free_port()}", f"Lan {free_port()}"]
    phones = [trainee(offline, workshop, name, 390, 844) for name in names]
    for phone in phones:
        assert phone.page.locator(".course-room-facilitator").count() == 0
    choices = ["Listening: understanding", "Listening: understanding", "Building trust"]
    started = time.monotonic()
    for phone, choice in zip(phones, choices):
        answer_choice(phone, choice, "Send")
    for phone in phones:
        phone.page.get_by_text("appear here when the facilitator shows them").wait_for(timeout=15_000)
    count_is(projector, 3, timeout=15_000)
    seen_after = time.monotonic() - started
    assert "results hidden" in panel(projector).inner_text() and "Listening" not in panel(projector).inner_text()
    projector.page.screenshot(path=str(shots / "projector-before-reveal.png"))
    phones[0].page.screenshot(path=str(shots / "phone-before-reveal.png"))

    panel(projector).get_by_role("button", name="Reveal results").click()
    bars = results(projector).locator(".course-room-table")
    bars.wait_for(timeout=10_000)
    rows = {r.locator("td").first.inner_text().strip(): r.locator("strong").inner_text()
            for r in bars.locator("tr").all()}
    assert rows[next(k for k in rows if k.startswith("B. Listening"))] == "2"
    assert rows[next(k for k in rows if "trust" in k)] == "1"
    assert not any(name in results(projector).inner_text() for name in names)  # anonymous by default
    # Every trainee sees the room's result once it is revealed, with no reload and never with names.
    for phone in phones:
        shown = phone.page.locator(".course-room-shown")
        shown.wait_for(timeout=10_000)
        assert "The room's answers (3), without names" in shown.inner_text()
        assert not any(name in shown.inner_text() for name in names)
    projector.page.screenshot(path=str(shots / "projector-after-reveal.png"))
    phones[0].page.screenshot(path=str(shots / "phone-after-reveal.png"))

    panel(projector).get_by_role("button", name="Show names").click()
    results(projector).get_by_text(names[2]).wait_for(timeout=10_000)
    panel(projector).get_by_role("button", name="Hide names").click()
    panel(projector).get_by_role("button", name="Hide results").click()
    projector.page.wait_for_function("!document.querySelector('section.present .course-room-table')")
    phones[0].page.locator(".course-room-shown").wait_for(state="detached", timeout=10_000)

    panel(projector).get_by_role("button", name="Close poll").click()
    send = phones[1].page.locator(".course-question").first.get_by_role("button", name="Send")
    phones[1].page.wait_for_function("b => b.disabled", arg=send.element_handle(), timeout=10_000)
    # The button and the sentence are two widget messages: the page may draw the first before the second arrives.
    phones[1].page.locator(".course-room-trainee").first.get_by_text("closed this question").wait_for(timeout=10_000)

    panel(projector).get_by_role("button", name="Reopen poll").click()
    # Clearing is quiet and asks first: the first press only asks, "Keep counting" keeps every answer counted.
    clear = panel(projector).get_by_role("button", name="Clear practice run…")
    assert "mod-warning" not in clear.get_attribute("class") and "mod-primary" not in clear.get_attribute("class")
    clear.click()
    panel(projector).get_by_text("Start the count again from 0?").wait_for(timeout=10_000)
    panel(projector).get_by_role("button", name="Keep counting").click()
    panel(projector).get_by_text("Start the count again from 0?").wait_for(state="detached", timeout=10_000)
    count_is(projector, 3)
    clear.click()
    panel(projector).get_by_role("button", name="Yes, clear the count").click()
    count_is(projector, 0)
    store = Store(workshop.home)
    try:  # the practice run is out of the room's count, but in everyone's journal
        assert len(store.room_since(POLL, "quiz", 0)) == 3
    finally:
        store.close()
    answer_choice(phones[2], "Patience and flexibility", "Send")
    count_is(projector, 1)
    assert seen_after < 30, seen_after
    for view in [projector, *phones]:
        assert view.external_requests() == [] and view.page.evaluate("window.pwned") is None


def test_a_room_quiz_shows_counts_then_the_distribution_and_a_script_answer_stays_text(workshop, offline):
    projector = facilitator(offline, workshop)
    go_to(projector, 1)
    count_is(projector, 0)
    first, second = trainee(offline, workshop, f"Bo {free_port()}"), trainee(offline, workshop, f"Mai {free_port()}")
    for view, choice in ((first, "Negotiation, management and communication"), (second, "Pricing, product design")):
        go_to(view, 1)
        answer_choice(view, choice, "Check")
    count_is(projector, 2, timeout=15_000)
    assert "Right answer" not in projector.page.evaluate("Reveal.getCurrentSlide().innerText")
    panel(projector).get_by_role("button", name="Reveal results").click()
    results(projector).get_by_text("Right answer:").wait_for(timeout=10_000)
    projector.page.screenshot(path=str(screenshot_dir("polls") / "projector-room-quiz-revealed.png"))
    right = results(projector).locator("tr.course-room-right")
    assert ("Negotiation, management and communication" in right.inner_text()
            and right.locator("strong").inner_text() == "1")

    # Free text: a <script> answer arrives on the projector as a card, shown as text.
    go_to(first, 2)
    box = first.page.locator(".course-reflection textarea")
    box.wait_for()
    first.page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    box.click()
    box.press_sequentially(SCRIPT, delay=2)
    first.page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)
    go_to(projector, 2)
    count_is(projector, 1, timeout=15_000)
    panel(projector).get_by_role("button", name="Next card").click()
    card = results(projector).locator(".course-room-card")
    card.wait_for(timeout=10_000)
    assert card.inner_text().strip() == SCRIPT
    assert projector.page.evaluate("window.pwned") is None and card.locator("b").count() == 0
    projector.page.wait_for_function("[...document.querySelectorAll('.reveal .slides > section:not(.present)')]"
                                     ".every(s => getComputedStyle(s).opacity === '0' || "
                                     "getComputedStyle(s).display === 'none'"
                                     " || getComputedStyle(s).visibility === 'hidden')")
    projector.page.screenshot(path=str(screenshot_dir("polls") / "projector-card.png"))
    panel(projector).get_by_role("button", name="Word cloud").click()
    results(projector).locator(".course-room-cloud").get_by_text("loud").wait_for(timeout=10_000)
    assert projector.page.evaluate("window.pwned") is None
    for view in (projector, first, second):
        assert view.external_requests() == []


def test_the_dashboard_is_refused_without_the_key_and_escapes_learner_text(workshop, offline, browser):
    store = Store(workshop.home)
    try:
        loud = store.create_learner("<script>window.pwned=1</script>Bo")
        quiet = store.create_learner(f"Vanh {free_port()}")
        for learner, choice, correct in ((loud, "wrong", False), (quiet, "right", True)):
            store.record(learner.id, "welcome", HARD, "quiz", {"response": choice, "attempt": 1, "correct": correct,
                                                                "revealed": False, "score": 1.0 if correct else 0.0})
        store.record(loud.id, "welcome", POLL, "quiz", {"response": "trust", "attempt": 1, "correct": True})
        store.record(loud.id, "welcome", "welcome-words", "reflection", "=HYPERLINK(\"x\")")
    finally:
        store.close()
    stranger = offline()
    join(stranger, workshop, f"Curious {free_port()}")
    for path in ("facilitator/dashboard", "facilitator/answers.csv", "facilitator/answers.csv?names=1",
                 "facilitator/dashboard?key=wrong"):
        assert stranger.context.request.get(workshop.url + path).status == 403, path
    assert stranger.context.request.get(workshop.url + "facilitator/dashboard",
                                        headers={"X-Facilitator-Key": "wrong"}).status == 403

    laptop = offline(1024, 768)  # a tablet-sized window
    sign_in(laptop, workshop, "facilitator/dashboard")
    assert laptop.page.url.endswith("/facilitator/dashboard")
    who = laptop.page.locator("#whereabouts")
    assert "<script>window.pwned=1</script>Bo" in who.inner_text()
    assert laptop.page.evaluate("window.pwned") is None
    chart = laptop.page.locator("#hardest-chart")
    assert "50% of 2" in chart.text_content()
    assert "Building trust" in laptop.page.locator("#polls ~ section").first.inner_text()
    assert laptop.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    laptop.page.screenshot(path=str(screenshot_dir("polls") / "dashboard-tablet.png"), full_page=True)

    anonymous = laptop.context.request.get(workshop.url + "facilitator/answers.csv")
    assert anonymous.status == 200 and "attachment" in anonymous.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(anonymous.text().lstrip("\ufeff"))))
    assert rows and all(r["trainee"].startswith("Trainee ") for r in rows)
    assert "</script>Bo" not in anonymous.text()  # no names in the anonymous export
    assert any(r["answer"] == "'=HYPERLINK(\"x\")" for r in rows)  # a spreadsheet reads it as text
    named = laptop.context.request.get(workshop.url + "facilitator/answers.csv?names=1").text()
    assert "<script>window.pwned=1</script>Bo" in named
    assert laptop.external_requests() == [] and stranger.external_requests() == []


def test_the_dashboard_shows_the_room_s_gain_on_the_knowledge_check(workshop, offline):
    from artisan_course.content.knowledge_check import load_knowledge_check
    check = load_knowledge_check()
    store = Store(workshop.home)
    try:
        for name, right_before, right_after in ((f"Keo {free_port()}", 1, 4), (f"Phet {free_port()}", 2, 5)):
            learner = store.create_learner(name)
            for ids, module, right in ((check.before_ids(), "welcome", right_before),
                                       (check.after_ids(), "wrap-up", right_after)):
                for n, qid in enumerate(ids):
                    ok = n < right
                    store.record(learner.id, module, qid, "quiz", {"response": "x", "attempt": 1, "correct": ok},
                                 score=1.0 if ok else 0.0)
    finally:
        store.close()
    for width, height, name in ((1280, 720, "dashboard-knowledge-projector"), (390, 844, "dashboard-knowledge-phone")):
        laptop = offline(width, height)
        sign_in(laptop, workshop, "facilitator/dashboard")
        gain = laptop.page.locator("#knowledge-gain")
        gain.wait_for()
        said = " ".join(gain.inner_text().split())
        assert "Gain of the room: +3 right answers out of 5, on average (1.5 at the start, 4.5 at" in said
        rows = laptop.page.locator("#knowledge-items tbody tr")
        assert rows.count() == len(check.items) and "100% of" in rows.first.inner_text()
        assert laptop.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        laptop.page.locator("#knowledge").scroll_into_view_if_needed()
        laptop.page.screenshot(path=str(screenshot_dir("polls") / f"{name}.png"))
        assert laptop.external_requests() == []


# -- the projector at 1280 x 720: the room panel in view with its question ---------------------------------------
# Whether every element matching `selector` inside the current slide's n-th question is wholly inside the part of the
# slide on screen, and is what a person sees there (nothing, such as the "More below" cue, drawn over its middle).
SHOWN = """([n, selector]) => {
  const slide = Reveal.getCurrentSlide();
  const question = slide.querySelectorAll('.course-question')[n];
  const view = slide.getBoundingClientRect();
  const top = Math.max(view.top, 0), bottom = Math.min(view.bottom, innerHeight);
  const found = Array.from(question.querySelectorAll(selector)).filter(e => e.getClientRects().length);
  return found.length > 0 && found.every(e => {
    const r = e.getBoundingClientRect();
    if (r.top < top - 1 || r.bottom > bottom + 1 || r.height === 0) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === e || e.contains(hit));
  });
}"""
# Scroll the current slide so that the n-th question's top (edge "top") or bottom ("bottom") meets the slide's.
SCROLL_TO = """([n, edge]) => {
  const slide = Reveal.getCurrentSlide();
  const question = slide.querySelectorAll('.course-question')[n];
  const view = slide.getBoundingClientRect(), r = question.getBoundingClientRect();
  const scale = view.height / slide.offsetHeight;
  slide.scrollTop += (edge === 'top' ? r.top - view.top : r.bottom - Math.min(view.bottom, innerHeight)) / scale;
  return slide.scrollTop;
}"""
PANEL_PARTS = (".course-room-count", ".course-room-reveal", ".course-room-open")  # the count, Reveal, Close


def panel_shown(view, n: int) -> dict:
    return {part: view.page.evaluate(SHOWN, [n, part]) for part in PANEL_PARTS}


def assert_panel_beside_its_question(view, n: int, where: str) -> None:
    page = view.page
    for edge in ("top", "bottom"):
        page.evaluate(SCROLL_TO, [n, edge])
        page.wait_for_function("() => new Promise(done => requestAnimationFrame(() => done(true)))")
        assert panel_shown(view, n) == dict.fromkeys(PANEL_PARTS, True), (where, n, edge)


@pytest.mark.parametrize("deck, slide_text", [("00-welcome.ipynb", "Two quick polls"),
                                              ("03-anchoring.ipynb", "Check: approach 1")])
def test_on_the_projector_the_room_panel_stays_in_view_with_its_question_before_and_after_reveal(
        workshop, offline, deck, slide_text):
    projector = offline(1280, 720)
    sign_in(projector, workshop)
    join(projector, workshop, f"Facilitator {free_port()}")
    open_deck(projector.page, workshop.deck(deck))
    page = projector.page
    page.evaluate("t => Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.innerText.includes(t)))", slide_text)
    page.locator("section.present .course-room-count").first.wait_for(timeout=30_000)
    questions = page.locator("section.present .course-question")
    assert questions.count() >= 2  # two questions on one slide, each with its own panel
    shots = screenshot_dir("polls")
    for n in range(questions.count()):
        assert_panel_beside_its_question(projector, n, slide_text)
    page.evaluate(SCROLL_TO, [0, "top"])
    page.screenshot(path=str(shots / f"projector-{deck[:2]}-before-reveal.png"))

    # Scrolled down to the first question's last option, the facilitator reveals it: its results take the place of
    # the options, and the question's prompt comes back into view instead of being left above the screen.
    page.evaluate(SCROLL_TO, [0, "bottom"])
    questions.first.get_by_role("button", name="Reveal results").click()
    questions.first.locator(".course-room-table").wait_for(timeout=15_000)
    page.wait_for_function(SHOWN, arg=[0, ".course-q-prompt"], timeout=10_000)
    page.wait_for_function(SHOWN, arg=[0, ".course-room-table tr:first-child"], timeout=10_000)  # the results start
    assert panel_shown(projector, 0) == dict.fromkeys(PANEL_PARTS, True)
    page.screenshot(path=str(shots / f"projector-{deck[:2]}-after-reveal.png"))
    assert_panel_beside_its_question(projector, 0, slide_text + " after Reveal")
    questions.first.get_by_role("button", name="Hide results").click()  # as it was, for the other tests
    questions.first.locator(".course-room-table").wait_for(state="detached", timeout=15_000)
    assert projector.external_requests() == []
