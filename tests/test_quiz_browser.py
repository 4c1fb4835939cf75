"""A quiz in the Voilà slides, offline, answered with the keyboard only."""
from conftest import screenshot_dir
from decks import deck_url, open_deck, saved_answers

GOTO_CHECK = "Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.innerText.includes('A quick check')))"


def test_a_question_answered_with_the_keyboard_is_graded_saved_and_restored(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner=learner))
    page.locator(".course-quiz").first.wait_for(state="attached")
    page.evaluate(GOTO_CHECK)
    question = page.locator(".course-quiz").last.locator(".course-question").first
    question.wait_for()
    page.screenshot(path=screenshot_dir("quiz") / "quick-check-before.png")

    # Tab into the first option, move with the arrow keys, then Tab to Check and press Enter.
    # One choice only: ipywidgets holds a second change back until the kernel has answered the first, and
    # the Check press does not wait for it (a learner who changes their mind and presses Check at once,
    # on a slow server, is graded on the first choice).
    first_radio = question.locator("input[type=radio]").first
    first_radio.focus()
    slide = page.evaluate("Reveal.getIndices().h")
    page.keyboard.press("ArrowDown")  # selects the second option
    assert page.evaluate("Reveal.getIndices().h") == slide  # the arrow worked the widget, not the slides
    chosen = question.locator("input[type=radio]:checked").evaluate("e => e.closest('label').innerText")
    check = question.get_by_role("button", name="Check")
    check.focus()
    page.keyboard.press("Enter")
    feedback = question.locator(".course-feedback-right, .course-feedback-wrong, .course-feedback-partial").first
    feedback.wait_for(timeout=15_000)
    verdict = feedback.inner_text()
    page.screenshot(path=screenshot_dir("quiz") / "quick-check-after.png")
    # Focus is on the Check button now; the arrow keys move the slides again.
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"Reveal.getIndices().h === {slide + 1}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"Reveal.getIndices().h === {slide}")
    score = page.locator(".course-quiz").last.locator(".course-score").inner_text()
    assert "answered" in score

    attempts = saved_answers(slide_server, learner, kind="quiz")
    assert len(attempts) == 1
    attempt = attempts[0]
    assert attempt.value["attempt"] == 1 and attempt.value["revealed"] is False
    assert (attempt.score == 1.0) == verdict.startswith("✓")
    # Module 00's quiz line counts its ten questions (two are polls). Module 00 holds the knowledge check, whose
    # answers wait for module 08, so its line counts answers and says nothing of right or wrong
    # (test_knowledge_check.py); other modules say answered and right, never a share ("score 33%").
    assert "Module quiz: 1 of 10 answered</strong>" in question.page.locator(".course-quiz").last.inner_html()
    assert "%" not in score and "right" not in score

    page.reload()
    open_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner=learner))
    page.locator(".course-quiz").first.wait_for(state="attached")
    page.evaluate(GOTO_CHECK)
    question = page.locator(".course-quiz").last.locator(".course-question").first
    question.locator("input[type=radio]:checked").wait_for(state="attached", timeout=15_000)
    assert question.locator("input[type=radio]:checked").evaluate("e => e.closest('label').innerText") == chosen
    assert question.locator(".course-feedback-right, .course-feedback-wrong").first.inner_text() == verdict
    assert view.external_requests() == [] and view.console_errors == []


def test_a_poll_shows_the_rooms_answers(slide_server, offline, learner):
    names = [f"{learner} one", f"{learner} two"]
    for name in names:
        view = offline()
        page = view.page
        open_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner=name))
        poll = page.locator(".course-question", has_text="matters most").first
        poll.wait_for(state="attached")
        page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.innerText.includes('Two "
                      "quick polls')))")
        poll.locator("input[type=radio]").first.check()
        poll.get_by_role("button", name="Send").click()
        poll.locator(".course-poll").wait_for(timeout=15_000)
    text = poll.locator(".course-poll").inner_text()
    assert all(name not in text for name in names)
    assert "Answers so far from everyone" in poll.inner_text()
    page.screenshot(path=screenshot_dir("quiz") / "poll.png")
