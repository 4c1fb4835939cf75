"""The contingency simulator in the Voilà slides, offline: keyboard, text boxes, a date, bad input and saving."""
from datetime import date, timedelta

import pytest

from artisan_course.models.contingency import long_date
from conftest import screenshot_dir
from decks import (CLIPPED, assert_readable_slide, deck_url, field, open_deck, saved_answers, text_of, wait_changed,
                   wait_settled)


def test_contingency_simulator_in_the_slides(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-contingency.ipynb", learner))
    page.locator(".sim-ontime-with").wait_for()
    wait_settled(page)
    page.screenshot(path=screenshot_dir("simulators") / "contingency.png")
    assert_readable_slide(page)

    # The table, both columns, the seed, and a clause with real dates counted from today.
    table = page.locator(".course-contingency-table")
    assert "With the clause" in table.inner_text() and "Without" in table.inner_text()
    assert "Random seed 2024; same seed, same numbers." in text_of(page, ".sim-seed")
    clause = page.locator("pre.course-clause")
    bonus_day = date.today() + timedelta(days=28)
    assert f"on or before {long_date(bonus_day)}" in clause.inner_text()
    assert "500 × 2 USD = 1,000 USD extra" in clause.inner_text()
    assert "What the model assumes" in page.locator(".course-simulator").inner_text()

    # The keyboard: more effort, a higher chance of delivery on time, a new chart; the slide stays.
    on_time, chart = text_of(page, ".sim-ontime-with"), page.locator(".course-sim-chart").get_attribute("src")
    without = text_of(page, ".sim-ontime-without")
    field(page, "Extra effort the bonus draws out").locator(".noUi-handle, [role=slider]").first.focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    wait_changed(page, ".sim-ontime-with", on_time)
    # ipywidgets holds a slider's newest value back until the kernel has answered the one before, so it can
    # arrive after a later change in a text box. Wait until the kernel has drawn the last press: 10% + 8 x 1%.
    page.locator(".course-assumptions").get_by_text("every delivery time is 18% shorter").wait_for()
    page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=chart)
    assert page.evaluate("Reveal.getIndices().h") == 0
    assert int(text_of(page, ".sim-ontime-with").rstrip("%")) > int(on_time.rstrip("%"))
    assert text_of(page, ".sim-ontime-without") == without  # effort only works through the clause

    # A text box: a new order size changes the clause's sums.
    field(page, "Order size (pieces)").locator("input").fill("300")
    # The clause is drawn after the table in the same update, so the table now shows 300 pieces too.
    page.get_by_text("300 × 2 USD = 600 USD extra").wait_for()

    # Bad input: a clear message, and the last valid numbers stay.
    kept, kept_cost = text_of(page, ".sim-ontime-with"), text_of(page, ".sim-cost-with")
    field(page, "Price per piece (USD)").locator("input").fill("ten")
    page.get_by_text("is not a number").wait_for()
    assert text_of(page, ".sim-ontime-with") == kept and text_of(page, ".sim-cost-with") == kept_cost
    field(page, "Price per piece (USD)").locator("input").fill("10")
    page.wait_for_function("() => !document.querySelector('.course-sim-message').innerText.trim()")
    field(page, "Bonus if delivered on or before").locator("input").fill((date.today() - timedelta(days=3)).isoformat())
    page.get_by_text("is in the past").wait_for()
    assert text_of(page, ".sim-ontime-with") == kept
    assert page.evaluate(CLIPPED) == []
    field(page, "Bonus if delivered on or before").locator("input").fill(bonus_day.isoformat())
    page.wait_for_function("() => !document.querySelector('.course-sim-message').innerText.trim()")

    # Save: the scenario, with its clause, is in the learner's store.
    page.get_by_role("button", name="Save this scenario").click()
    page.get_by_text("Saved to your journal.").wait_for()
    saved = saved_answers(slide_server, learner, item="contingency-clause", kind="scenario")[-1].value
    assert "300 × 2 USD = 600 USD extra" in saved["clause"]
    assert saved["settings"]["pieces"] == 300 and saved["settings"]["bonus_date"] == bonus_day.isoformat()
    assert saved["results"]["on_time_with"] == pytest.approx(int(kept.rstrip("%")) / 100, abs=0.006)
    page.locator(".course-simulator").scroll_into_view_if_needed()
    wait_settled(page)
    page.screenshot(path=screenshot_dir("simulators") / "contingency-after.png", full_page=False)
    assert view.external_requests() == [] and view.console_errors == []
