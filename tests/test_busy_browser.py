"""A tap right after typing acts on what was typed, on a busy laptop (issue 25, case 6).

Two processes burn both cores beside the browser, as 40 trainees do on a two-core laptop. On a phone, a trainee
types into a tool and taps its button at once, 20 times: the order agreement's price and "Make the agreement", a
numeric quiz answer and "Check", the contingency simulator's price and "Save this scenario". Every result must be
the one typed. Before the fix (``widgets/frontend/page_actions.js``), ipywidgets held the last keystrokes until the
kernel had answered the first ones and sent the tap at once, so the tool acted on a half-typed value.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import code_deck, wait_until
from decks import deck_url, field, saved_answers, wait_saved
from test_lab_browser import choose_name, lab, lab_course, lab_env, lab_server  # noqa: F401,F811 (fixtures)
from test_phone_browser import PHONE, open_phone_deck

QUIZ_DECK = "zz-busy-quiz.ipynb"
# The quiz's answers, each with its own feedback, so a half-typed number ("9", "12") shows another one.
QUIZ = [("900 USD", "That is the full price"), ("120 USD", "You gave the deduction only"),
        ("13 USD", "That is what one scarf earns")]
AGREEMENT_PRICES = ["13.75", "21.40", "9.95", "14.20", "18.65", "11.30", "16.85"]
SIMULATOR_PRICES = ["17", "23", "31", "19", "27", "13"]
RESULT_MS = 40_000  # a loaded kernel is slow to answer; a tap that acted on an old value never shows the new one
# JupyterLab's own front end shares the two loaded cores with the kernel and the burners: it answers later still (a
# fresh-clone run once waited more than 40 s there for a save the test alone sees in a second).
LAB_RESULT_MS = 90_000


@pytest.fixture
def busy_machine():
    """Two CPU-burning processes for the length of the test."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    yield burners
    for burner in burners:
        burner.kill()
        burner.wait(timeout=30)


def retype(box, text: str) -> None:
    """Clear the box and type ``text`` key by key, as a person does (each key is a change the kernel hears of)."""
    box.fill("")
    box.press_sequentially(text)


def shown_or_fail(locator, expected: str, what: str) -> None:
    try:
        locator.filter(has_text=expected).first.wait_for(timeout=RESULT_MS)
    except Exception:
        raise AssertionError(f"{what}: typed {expected!r}, the tool shows {locator.first.inner_text()!r}") from None


def test_twenty_taps_right_after_typing_on_a_busy_laptop_act_on_what_was_typed(slide_server, offline, learner,
                                                                                  busy_machine):
    (slide_server.root / "notebooks" / QUIZ_DECK).write_text(json.dumps(code_deck(
        'from artisan_course import quiz\nquiz("contingency-why", ids=["contingency-why-late-total"])')))
    view = offline(**PHONE)
    page = view.page
    done = 0

    # The order agreement: the price, then "Make the agreement" at once.
    open_phone_deck(page, deck_url(slide_server, "zz-fixture-agreement.ipynb", learner))
    page.locator(".course-agreement").wait_for()
    field(page, "Product name").locator("input").fill("Silk scarf")
    field(page, "Quantity (pieces)").locator("input").fill("120")
    field(page, "Final delivery date").locator("input").fill("2099-06-30")
    price = field(page, "Price per piece").locator("input")
    make = page.get_by_role("button", name="Make the agreement")
    for typed in AGREEMENT_PRICES:
        retype(price, typed)
        make.tap()
        shown_or_fail(page.locator(".agreement-summary-text"), f"{typed} USD per piece", "the agreement")
        done += 1

    # A numeric quiz question: the answer, then "Check" at once.
    open_phone_deck(page, deck_url(slide_server, QUIZ_DECK, learner))
    answer = page.locator(".course-answer-box input")
    check = page.get_by_role("button", name="Check")
    for round_ in range(7):
        typed, feedback = QUIZ[round_ % len(QUIZ)]
        retype(answer, typed)
        check.tap()
        shown_or_fail(page.locator(".course-question"), feedback, "the quiz")
        done += 1

    # The contingency simulator: the price, then "Save this scenario" at once; the saved row has the typed price.
    open_phone_deck(page, deck_url(slide_server, "zz-fixture-contingency.ipynb", learner))
    price = field(page, "Price per piece (USD)").locator("input")
    save = page.get_by_role("button", name="Save this scenario")
    for typed in SIMULATOR_PRICES:
        before = len(saved_answers(slide_server, learner, item="contingency-clause", kind="scenario"))
        retype(price, typed)
        save.tap()
        row = wait_saved(slide_server, learner, lambda r, n=before: len(saved_answers(
            slide_server, learner, item="contingency-clause", kind="scenario")) > n, timeout=RESULT_MS / 1000,
            item="contingency-clause", kind="scenario")
        assert row.value["settings"]["price"] == float(typed), \
            f"the simulator saved the price {row.value['settings']['price']}, typed {typed}"
        done += 1

    assert done == 20
    # The fix is in force on this page (ipywidgets' internals it relies on are still there).
    assert page.evaluate("document.documentElement.getAttribute('data-course-actions')") == "in-order"
    assert view.console_errors == []


def test_in_jupyterlab_too_a_click_right_after_typing_acts_on_what_was_typed(lab_server, offline, learner_home,  # noqa: F811
                                                                             busy_machine):
    """JupyterLab runs the same ipywidgets front end, with the same fault; the same module fixes it there.

    JupyterLab 4.6 also sends widget messages to a kernel subshell, where ipykernel 7.4 let the click's handler run
    before the price typed just before it (seen here: the messages left the page in order, and the scenario saved
    the half-typed price). The course's JupyterLab settings keep widget messages on the main shell, as Voilà does
    (``serving/workspace.py``); without that setting this test fails too.
    """
    from artisan_course.state.store import Store
    from test_lab_browser import run_all

    choose_name(learner_home, "Noy")  # the learner chose a name before (this notebook has no header to ask it)

    def saved() -> list:
        store = Store(learner_home)
        try:
            found = store.find_learner("Noy")
            return store.answers(learner_id=found.id, item="contingency-clause", kind="scenario") if found else []
        finally:
            store.close()

    work, url = lab_server
    view = offline(1280, 900)
    page = view.page
    page.goto(url.replace("00-welcome.ipynb", "zz-fixture-contingency.ipynb"))
    run_all(page, work / "notebooks" / "zz-fixture-contingency.ipynb")
    price = field(page, "Price per piece (USD)").locator("input")
    price.wait_for(timeout=60_000)
    save = page.get_by_role("button", name="Save this scenario")
    note = page.locator(".course-action-note")  # where page_actions.js says a tap was not sent, in JupyterLab

    def refused() -> str:
        return note.inner_text() if note.count() and note.is_visible() else ""

    for typed in SIMULATOR_PRICES[:4]:
        before = len(saved())
        retype(price, typed)
        for tap in (1, 2):
            save.click()
            try:  # saved, or the page says the tap was not sent (a trainee then taps again, once)
                outcome = wait_until(lambda n=before: ("saved" if len(saved()) > n else None) or
                                     ("refused" if refused() else None), LAB_RESULT_MS / 1000, "the scenario")
            except AssertionError:
                raise AssertionError(f"waited {LAB_RESULT_MS / 1000:g} s for the scenario to be saved (tap {tap}); "
                                     f"the price box shows {price.input_value()!r}, the page says nothing") from None
            if outcome == "saved":
                break
            assert tap == 1, f"the tap was refused twice: {refused()!r}"
            page.wait_for_function("() => { const n = document.querySelector('.course-action-note');"
                                   " return !n || n.hidden; }", timeout=RESULT_MS)
        assert saved()[-1].value["settings"]["price"] == float(typed), \
            f"JupyterLab saved the price {saved()[-1].value['settings']['price']}, typed {typed}"
    assert page.evaluate("document.documentElement.getAttribute('data-course-actions')") == "in-order"
