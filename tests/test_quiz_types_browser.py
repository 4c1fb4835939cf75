"""The new kinds of question in a browser: free text and numbers on a phone, a chart on the projector, and in
JupyterLab."""
import json
import re

from conftest import screenshot_dir
from decks import deck_url, open_deck, saved_answers, wait_settled
from test_lab_browser import choose_name, lab, lab_course, lab_env, lab_server, run_all  # noqa: F401  (fixtures)

VERDICT = ".course-feedback-right, .course-feedback-wrong, .course-feedback-partial"


def go_to(page, title: str, prompt: str):
    """Show the slide whose heading is ``title`` and return its question, the one whose prompt has ``prompt``.

    The course's phone view keeps reveal's slides (one slide a screen), so the same move works at both sizes; the
    scroll view branch is for a deck whose template falls back to reveal's own scroll view."""
    question = page.locator(".course-question", has=page.locator(".course-q-prompt", has_text=prompt))
    question.wait_for(state="attached")
    if page.evaluate("Reveal.isScrollView()"):
        question.scroll_into_view_if_needed()
        assert page.locator("h2", has_text=title).count() == 1
    else:
        page.evaluate("t => Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => "
                      "Array.from(s.querySelectorAll('h2')).some(h => h.innerText.replace('¶', '').trim() === t)))",
                      title)
        question.wait_for()
        assert question.evaluate("q => Reveal.getCurrentSlide().contains(q)")
    return question


def answer(question, typed: str, verdict_before: str = "") -> str:
    """Type ``typed``, press Check, and return the new verdict once it is shown."""
    question.locator(".course-answer-box input").fill(typed)
    question.get_by_role("button", name="Check").click()
    shown = question.locator(VERDICT).first
    shown.wait_for(timeout=15_000)
    question.page.wait_for_function("([el, before]) => el.innerText !== before",
                                    arg=[question.locator(".widget-html").last.element_handle(), verdict_before],
                                    timeout=15_000)
    return question.locator(".widget-html").last.inner_text()


def fits_across(page, selector: str) -> bool:
    return page.evaluate("""s => Array.from(document.querySelectorAll(s)).filter(e => e.getClientRects().length)
        .every(e => { const r = e.getBoundingClientRect(); return r.left >= -1 && r.right <= window.innerWidth + 1; })""",  # noqa: E501 (JavaScript run in the page, kept as written)
                         selector)


def test_free_text_and_a_fraction_on_a_phone_are_graded_saved_and_restored(slide_server, offline, learner):
    view = offline(390, 844, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = view.page
    url = deck_url(slide_server, "05-fairness-and-culture.ipynb", learner=learner)
    open_deck(page, url)

    word = go_to(page, "Check: the numbers and the word", "copy-machine study")
    first = answer(word, "becuase")  # a slip of two letters is still the word
    assert first.startswith("✓ Right.") and "justification" in first
    page.screenshot(path=screenshot_dir("quiztypes") / "phone-text-right.png")
    assert page.evaluate("document.documentElement.classList.contains('course-phone')")  # the course's phone view
    # The box spans the question's width, and its text is 16 px or more, so the phone does not zoom in on it.
    box = word.locator(".course-answer-box input")
    assert box.bounding_box()["width"] >= 0.8 * word.bounding_box()["width"]
    assert box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    assert fits_across(page, ".course-question")

    share = go_to(page, "Check: goals and an equity share", "three weavers")
    wrong = answer(share, "1/3")
    assert wrong.startswith("✗ Not quite.") and "equality rule" in wrong
    # The maths in the feedback is drawn as a fraction, not shown as TeX.
    assert share.locator(".course-math mfrac").count() >= 1 and "\\frac" not in wrong
    right = answer(share, "2/5", verdict_before=wrong)
    assert right.startswith("✓ Right.")
    assert fits_across(page, ".course-question")
    page.screenshot(path=screenshot_dir("quiztypes") / "phone-fraction-feedback.png")

    # The course's own numbers as maths: the "because" gap is worked out in the feedback, readable on a phone.
    gap = go_to(page, "Check: the numbers and the word", "How many more of every 100")
    worked = answer(gap, "33")
    assert worked.startswith("✓ Right.") and "more in every 100" in worked and "\\" not in worked and "$" not in worked
    maths = gap.locator(".widget-html").last.locator("math")
    assert maths.count() == 1 and maths.first.evaluate("m => parseFloat(getComputedStyle(m).fontSize)") >= 18
    assert fits_across(page, ".course-question")

    saved = [(a.item, a.value["response"], a.score) for a in saved_answers(slide_server, learner, kind="quiz")]
    assert saved == [("fairness-culture-because-word", "becuase", 1.0),
                     ("fairness-culture-equity-share", "1/3", 0.0),
                     ("fairness-culture-equity-share", "2/5", 1.0),
                     ("fairness-culture-because-gap", "33", 1.0)]

    page.reload()
    open_deck(page, url)
    word = go_to(page, "Check: the numbers and the word", "copy-machine study")
    box = word.locator(".course-answer-box input")
    page.wait_for_function("el => el.value === 'becuase'", arg=box.element_handle(), timeout=15_000)
    assert word.locator(VERDICT).first.inner_text() == "✓ Right."
    assert view.external_requests() == [] and view.console_errors == []


def test_a_chart_question_on_the_projector_shows_the_picture_and_names_a_common_mistake(slide_server, offline, learner):
    view = offline(1280, 720)
    page = view.page
    open_deck(page, deck_url(slide_server, "03-anchoring.ipynb", learner=learner))
    chart = go_to(page, "Check: read the chart", "four made-up negotiations")
    image = chart.locator(".course-q-image img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.get_attribute("alt").startswith("Bar chart, same scarf")
    shown = image.bounding_box()
    assert shown["width"] > 250 and shown["y"] + shown["height"] <= 720  # readable, and on screen
    verdict = answer(chart, "6")
    assert verdict.startswith("✗ Not quite.") and "gap between the two first offers" in verdict
    units = chart.locator(".course-units").inner_text()
    assert units == "USD per scarf"
    wait_settled(page)
    page.screenshot(path=screenshot_dir("quiztypes") / "projector-chart-question.png")
    # The feedback can be brought into view on the projector (the slide scrolls), and says what went wrong.
    feedback = chart.locator(".widget-html").last
    feedback.scroll_into_view_if_needed()
    seen = feedback.bounding_box()
    assert seen["y"] >= 0 and seen["y"] + min(seen["height"], 100) <= 720
    page.screenshot(path=screenshot_dir("quiztypes") / "projector-chart-mistake.png")
    assert view.external_requests() == [] and view.console_errors == []


NEW_TYPES_NOTEBOOK = {
    "cells": [{"cell_type": "code", "id": f"cell-{n}", "metadata": {}, "execution_count": None, "outputs": [],
               "source": source}
              for n, source in enumerate(["from artisan_course import quiz",
                             'quiz("fairness-culture", ids=["fairness-culture-because-word", '
                             '"fairness-culture-equity-share"])',
                             'quiz("contingency-why", ids=["contingency-why-late-total"])'])],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_free_text_and_numeric_questions_work_in_jupyterlab(lab_server, offline, learner_home):  # noqa: F811
    work, url = lab_server
    choose_name(learner_home, "Noy")  # this notebook has no course header to ask it
    (work / "notebooks" / "new-types.ipynb").write_text(json.dumps(NEW_TYPES_NOTEBOOK))
    view = offline(1280, 900)
    page = view.page
    page.goto(url.replace("00-welcome.ipynb", "new-types.ipynb"))
    run_all(page, work / "notebooks" / "new-types.ipynb")
    panel = page.locator(".jp-NotebookPanel:visible")
    questions = panel.locator(".course-question")
    questions.nth(2).wait_for(timeout=30_000)
    assert panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0

    word = questions.nth(0)
    assert answer(word, "please").startswith("✗ Not quite.")
    assert "Politeness helps" in word.inner_text()
    late = questions.nth(2)
    late.scroll_into_view_if_needed()
    verdict = answer(late, "120")
    assert "You gave the deduction only" in verdict
    assert answer(late, "780 USD", verdict_before=verdict).startswith("✓ Right.")
    share = questions.nth(1)
    share.scroll_into_view_if_needed()
    assert answer(share, "4/10").startswith("✓ Right.")
    assert share.locator(".course-math mfrac").count() >= 1
    page.screenshot(path=screenshot_dir("quiztypes") / "lab-new-types.png")
    assert re.search(r"Module quiz: \d+ of \d+ answered", panel.inner_text())
    assert view.external_requests() == []
