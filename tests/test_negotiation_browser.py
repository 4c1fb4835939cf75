"""The negotiation simulator in the Voilà slides, offline: ask why, propose, get a counter, close a deal, classify."""
from playwright.sync_api import expect

from artisan_course.content.negotiation import load_game
from conftest import screenshot_dir
from decks import (assert_readable_slide, chart_source, deck_url, field, open_deck, saved_answers, text_of,
                   wait_changed,
                   wait_settled)


def test_negotiation_simulator_asks_why_answers_and_checks(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-negotiation.ipynb", learner))
    page.locator(".neg-you").wait_for()
    wait_settled(page)
    page.screenshot(path=screenshot_dir("simulators") / "negotiation.png")
    assert_readable_slide(page)
    assert "made up" in text_of(page, ".neg-simulator").lower()

    # Ask why: the interest behind their position, and their points for that issue, appear.
    advance = page.locator(".neg-issue-advance")
    assert "Why?" not in advance.inner_text() and text_of(page, ".neg-their-advance") == "?"
    advance.get_by_role("button", name="Ask why").click()
    advance.get_by_text("Why?").wait_for()
    assert "thread" in advance.inner_text()
    table = next(issue for issue in load_game().issues if issue.key == "advance").artisans
    page.wait_for_function("() => document.querySelector('.neg-their-advance').innerText !== '?'")
    assert page.locator(".neg-their-advance").all_inner_texts() == [f"{p:g}" for p in table]
    expect(advance.get_by_role("button", name="Ask why")).to_be_disabled()
    assert text_of(page, ".neg-their-price") == "?"

    # Propose the split-in-the-middle package: the artisans answer with a counter that is better for both.
    you, joint, chart = text_of(page, ".neg-you"), text_of(page, ".neg-joint"), chart_source(page)
    page.get_by_role("button", name="Propose").click()
    page.locator(".neg-counter").wait_for()
    assert "better for both" in text_of(page, ".neg-answer")
    expect(page.locator(".neg-history tr")).to_have_count(4)  # header, their opening, your proposal, their counter
    page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=chart)  # the counter moved
    # Take their counter: the scores and the chart change; propose it back: a deal.
    chart = chart_source(page)
    page.get_by_role("button", name="Use their counter").click()
    wait_changed(page, ".neg-joint", joint)
    assert int(text_of(page, ".neg-joint")) > int(joint) and int(text_of(page, ".neg-you")) > int(you)
    page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=chart)
    page.get_by_role("button", name="Propose").click()
    page.get_by_text("It is a deal.").wait_for()
    # a deal shows all their points
    page.wait_for_function("() => document.querySelector('.neg-their-price').innerText !== '?'")
    expect(page.get_by_role("button", name="Propose")).to_be_disabled()

    # Bad input: a price outside the allowed range gets a clear message; the last valid scores stay.
    before = text_of(page, ".neg-you")
    price = field(page, "Price per piece, from $8 to $12").locator("input")
    price.fill("15")
    price.press("Enter")
    page.get_by_text("Price per piece must be from $8 to $12, not $15.").wait_for()
    assert text_of(page, ".neg-you") == before
    price.fill("9")
    price.press("Enter")
    page.locator(".course-sim-message .course-warning").wait_for(state="detached")
    wait_changed(page, ".neg-you", before)

    # Close: classify the issues; the check marks each answer.
    field(page, "Price per piece: which type?").locator("select").select_option(label="distributive")
    field(page, "Quality checks: which type?").locator("select").select_option(label="integrative")
    page.get_by_role("button", name="Check").click()
    for mark in (".neg-mark-price .course-feedback-right", ".neg-mark-quality .course-feedback-wrong",
                 ".neg-mark-delivery p"):
        page.locator(mark).wait_for()  # each mark is its own widget: they arrive one by one
    assert "Not quite: it is compatible." in text_of(page, ".neg-mark-quality")
    assert "choose a type first" in text_of(page, ".neg-mark-delivery")
    page.locator(".neg-mark-quality").scroll_into_view_if_needed()
    wait_settled(page)
    page.screenshot(path=screenshot_dir("simulators") / "negotiation-close.png")
    assert_readable_slide(page)

    page.get_by_role("button", name="Save this scenario").click()
    page.get_by_text("Saved to your journal.").wait_for()
    saved = saved_answers(slide_server, learner, kind="scenario", item="negotiation")
    assert saved[-1].module == "contingency-why"
    value = saved[-1].value
    assert value["asked_why"] == ["advance"] and value["deal"]["joint"] > 100
    assert value["types"]["right"]["price"] is True and value["types"]["right"]["quality"] is False
    assert view.external_requests() == [] and view.console_errors == []
