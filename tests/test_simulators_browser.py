"""Both simulators in the Voilà slides, offline: a control moved with the keyboard changes the named number and the
chart."""
import re

import pytest
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


# Whether the chart is wholly on screen, inside the slide, and seen (not covered), with the named control's slider.
CHART_AND_SLIDER_SEEN = """(label) => {
  const slide = Reveal.getCurrentSlide(), view = slide.getBoundingClientRect();
  const top = Math.max(view.top, 0), bottom = Math.min(view.bottom, innerHeight);
  const seen = (e) => { const r = e.getBoundingClientRect();
    if (r.height === 0 || r.top < top - 1 || r.bottom > bottom + 1) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === e || e.contains(hit)); };
  const field = Array.from(slide.querySelectorAll('.course-sim-field'))
    .find(f => f.querySelector('label.course-sim-label').innerText === label);
  return {chart: seen(slide.querySelector('.course-sim-chart')),
          slider: seen(field.querySelector('.noUi-handle, .slider-container'))};
}"""


def test_on_a_phone_the_chart_stays_in_view_while_each_slider_moves(slide_server, offline, learner):
    view = offline(390, 844, is_mobile=True, has_touch=True)
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-anchoring.ipynb", learner))
    page.locator(".sim-settlement").wait_for()
    wait_settled(page)
    sliders = ["Your first offer ($ per piece)", "The artisans' first offer ($ per piece)",
               "How well you researched the market", "Weight you put on the long-term relationship"]
    for label in sliders:
        # The trainee scrolls until the slider is in the lower half of the screen, as a thumb would, and moves it.
        page.evaluate("""label => { const slide = Reveal.getCurrentSlide();
          const f = Array.from(slide.querySelectorAll('.course-sim-field'))
            .find(f => f.querySelector('label.course-sim-label').innerText === label);
          slide.scrollTop += f.getBoundingClientRect().bottom - slide.getBoundingClientRect().bottom + 60; }""", label)
        wait_settled(page)
        assert page.evaluate(CHART_AND_SLIDER_SEEN, label) == {"chart": True, "slider": True}, label
        before = chart_source(page)
        field(page, label).locator(".noUi-handle, [role=slider]").first.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=before)
        assert page.evaluate(CHART_AND_SLIDER_SEEN, label) == {"chart": True, "slider": True}, label
    page.screenshot(path=screenshot_dir("simulators") / "anchoring-phone-slider.png")
    assert view.external_requests() == [] and view.console_errors == []


@pytest.mark.parametrize("fixture", ["anchoring", "contingency", "fairness", "milestones", "negotiation"])
def test_on_the_projector_every_chart_text_is_at_least_18_px(slide_server, offline, learner, fixture):
    """The chart is a picture, so its text size on screen is the size drawn in it times the picture's scale."""
    from test_charts import texts_shown, tools
    view = offline(1280, 720)
    page = view.page
    open_deck(page, deck_url(slide_server, f"zz-fixture-{fixture}.ipynb", learner))
    chart = page.locator(".course-sim-chart").first
    chart.wait_for()
    wait_settled(page)
    scale = page.evaluate("i => i.getBoundingClientRect().width / i.naturalWidth", chart.element_handle())
    figure = tools()[fixture]().figure  # the fixture deck shows the tool with its defaults, as here
    drawn_px = {t.get_text(): t.get_fontsize() * figure.dpi / 72 for t in texts_shown(figure)}
    on_screen = {text: round(px * scale, 1) for text, px in drawn_px.items()}
    small = {text: px for text, px in on_screen.items() if px < 18}
    assert small == {}, (fixture, small)
