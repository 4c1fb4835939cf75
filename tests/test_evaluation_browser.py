"""The end-of-day evaluation and the glossary, in the Voilà slides as a trainee sees them."""
from __future__ import annotations

from conftest import screenshot_dir
from decks import assert_readable_slide, deck_url, open_deck, wait_saved

GO_TO = "s => Reveal.slide(Reveal.getHorizontalSlides().findIndex(x => x.querySelector(s)))"


def test_a_trainee_sends_the_evaluation_from_the_last_module(slide_server, offline, learner):
    page = offline().page
    open_deck(page, deck_url(slide_server, "08-wrap-up.ipynb", learner=learner))
    form = page.locator(".course-evaluation")
    form.wait_for(state="attached")
    page.evaluate(GO_TO, ".course-evaluation")
    form.wait_for()
    assert "real names" in form.inner_text()

    form.get_by_role("button", name="Send my evaluation").click()
    form.get_by_text("Please choose an answer for question 1.").wait_for()
    for row in form.locator(".widget-toggle-buttons").all()[:-1]:
        row.get_by_role("button", name="Mostly").click()
    form.get_by_role("button", name="About right").click()
    form.locator("textarea").first.fill("The role-plays <b>and</b> the simulator")
    form.locator("textarea").first.blur()
    form.get_by_role("button", name="Send my evaluation").click()
    form.get_by_text("Thank you. Your evaluation was sent").wait_for()
    assert_readable_slide(page)
    page.screenshot(path=screenshot_dir("day") / "evaluation.png")

    saved = wait_saved(slide_server, learner, kind="evaluation",
                       check=lambda row: row.value.get("comments", {}).get("best"))
    assert saved.value["pace"] == "About right"
    assert set(saved.value["ratings"].values()) == {"Mostly"}
    assert saved.value["comments"]["best"] == "The role-plays <b>and</b> the simulator"


def test_the_glossary_slide_is_readable(slide_server, offline, learner):
    page = offline().page
    open_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner=learner))
    glossary = page.locator(".course-glossary")
    glossary.wait_for(state="attached")
    page.evaluate(GO_TO, ".course-glossary")
    glossary.wait_for()
    assert "counter-anchor" in glossary.inner_text()
    assert_readable_slide(page)
    page.screenshot(path=screenshot_dir("day") / "glossary.png")
