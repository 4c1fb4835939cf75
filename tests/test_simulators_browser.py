"""Both simulators in the Voilà slides, offline: a control moved with the keyboard changes the named number and the chart."""
import re

from playwright.sync_api import expect

from artisan_course.widgets.fairness import FairnessSimulator
from conftest import screenshot_dir
from decks import (assert_readable_slide, chart_source, deck_url, field, open_deck, saved_answers, wait_changed,
                   wait_settled)


def test_anchoring_simulator_responds_to_the_keyboard(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-anchoring.ipynb", learner))
    page.locator(".sim-settlement").wait_for()
    wait_settled(page)
    page.screenshot(path=screenshot_dir("simulators") / "anchoring.png")
    assert_readable_slide(page)
    price, chart = page.locator(".sim-settlement").inner_text(), chart_source(page)
    handle = field(page, "Your first offer ($ per piece)").locator(".noUi-handle, [role=slider]").first
    handle.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    wait_changed(page, ".sim-settlement", price)
    page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=chart)
    assert page.evaluate("Reveal.getIndices().h") == 0
    assert page.locator(".sim-settlement").inner_text() != price
    # Bad input keeps the last valid result and says why.
    box = field(page, "Your limit: the most you can pay ($)").locator("input")
    box.fill("abc")
    page.get_by_text("is not a number").wait_for()
    assert page.locator(".sim-settlement").inner_text() != "no deal"
    page.get_by_role("button", name="Save this scenario").click()
    page.get_by_text("Saved to your journal.").wait_for()
    saved = saved_answers(slide_server, learner, kind="scenario", item="anchoring")
    assert saved and saved[-1].value["settings"]["your_offer"] > 0
    assert view.external_requests() == [] and view.console_errors == []


def test_fairness_simulator_responds_to_the_keyboard(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-fairness.ipynb", learner))
    page.locator(".sim-smallest").wait_for()
    wait_settled(page)
    page.screenshot(path=screenshot_dir("simulators") / "fairness.png")
    assert_readable_slide(page)
    smallest, chart = page.locator(".sim-smallest").inner_text(), chart_source(page)
    handle = field(page, "Needs").locator(".noUi-handle, [role=slider]").first
    handle.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_changed(page, ".sim-smallest", smallest)
    page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=chart)
    assert "Needs" in page.locator(".course-simulator").inner_text()
    # Text in a number cell: a clear message, and the last valid result stays.
    page.get_by_text("Needs 17%").wait_for()  # all four presses arrived: weights 1 and 0.2, rescaled
    # The smallest share is drawn after the weights, so wait for the one the model gives for these weights.
    model = FairnessSimulator()
    model.sliders["needs"].value = 0.2
    before = f"${model.last.indicators()['smallest']:,.2f}"
    expect(page.locator(".sim-smallest")).to_have_text(re.compile("^" + re.escape(before) + r" \(about [\d,]+ kip\)$"))
    shown = page.locator(".sim-smallest").inner_text()
    page.get_by_placeholder("Hours").first.fill("ten")
    page.get_by_text("is not a number").wait_for()
    assert page.locator(".sim-smallest").inner_text() == shown
    assert view.external_requests() == [] and view.console_errors == []
