"""The communication pieces and the action plan in the Voilà slides, offline.

Each fixture deck shows one piece alone on a slide. Each test: the piece renders readable (text at least
24 px, nothing clipped, no stderr), answers one interaction the way a trainee would see it, saves to the
learner store, and nothing reaches beyond this machine.
"""
import re
from datetime import date, timedelta

from conftest import screenshot_dir
from decks import assert_readable_slide, deck_url, field, open_deck, saved_answers, wait_saved, wait_settled

SHOTS = "communication"


def open_piece(slide_server, offline, name, learner):
    view = offline()
    open_deck(view.page, deck_url(slide_server, f"zz-fixture-{name}.ipynb", learner))
    return view, view.page


def test_channel_chooser_reranks_for_the_situation(slide_server, offline, learner):
    view, page = open_piece(slide_server, offline, "channels", learner)
    first = page.locator(".course-channel-table tr").first
    first.wait_for()
    wait_settled(page)
    page.screenshot(path=screenshot_dir(SHOTS) / "channels.png")
    assert_readable_slide(page)
    field(page, "What do you need to say?").locator("select").select_option(label="Quality feedback with photos")
    page.wait_for_function("() => document.querySelector('.course-channel-table tr').innerText.includes('Video call')")
    field(page, "Do most of the artisans have a smartphone?").locator("select").select_option(label="No, few or none")
    page.wait_for_function("() => !document.querySelector('.course-channel-table tr').innerText.includes('Video call')")
    video = page.locator(".course-channel-table tr", has_text="Video call")
    assert "not a good fit here" in video.inner_text() and "no smartphone" in video.inner_text()
    page.get_by_role("button", name="Save my choice").click()
    page.get_by_text(re.compile(r"^Saved at \d\d:\d\d\.$")).wait_for()
    page.screenshot(path=screenshot_dir(SHOTS) / "channels-changed.png")
    assert_readable_slide(page)
    value = saved_answers(slide_server, learner, item="channel-choice", kind="scenario")[-1].value
    assert value["situation"]["smartphone"] == "no" and value["chosen"] != "video"
    assert "Quality feedback with photos" in value["summary"]
    assert view.external_requests() == [] and view.console_errors == []


def test_conflict_plan_builder_adds_saves_and_offers_a_download(slide_server, offline, learner):
    view, page = open_piece(slide_server, offline, "conflict-plan", learner)
    page.locator(".course-step").first.wait_for()
    wait_settled(page)
    page.screenshot(path=screenshot_dir(SHOTS) / "conflict-plan.png")
    assert_readable_slide(page)
    steps = page.locator(".course-step").count()
    page.get_by_role("button", name="Add a step").click()
    page.wait_for_function("n => document.querySelectorAll('.course-step').length === n + 1", arg=steps)
    new_step = page.locator(".course-step").last.locator("textarea")
    new_step.fill("Thank both sides <b>for</b> their patience.")
    page.get_by_text(re.compile(r"^Saved at \d\d:\d\d\.$")).wait_for()
    # "Saved at" may be the answer to an earlier keystroke: wait for the row that holds the whole step.
    plan = wait_saved(slide_server, learner, lambda row: row.value["steps"][-1]["text"].startswith("Thank both sides"),
                      item="conflict-plan", kind="scenario").value
    assert plan["steps"][-1]["text"] == "Thank both sides <b>for</b> their patience."
    assert len(plan["steps"]) == steps + 1
    page.get_by_role("button", name="Download to share with staff").click()
    link = page.locator("a.course-download", has_text="Printable plan")
    link.wait_for()
    assert link.get_attribute("download").endswith(".html")
    page.screenshot(path=screenshot_dir(SHOTS) / "conflict-plan-download.png")
    assert_readable_slide(page)
    assert view.external_requests() == [] and view.console_errors == []


def test_message_drafting_checks_a_draft(slide_server, offline, learner):
    view, page = open_piece(slide_server, offline, "messages", learner)
    box = page.locator(".course-reflection-text")
    box.wait_for()
    page.wait_for_function("() => !document.querySelector('.course-reflection-text').disabled")
    wait_settled(page)
    page.screenshot(path=screenshot_dir(SHOTS) / "messages.png")
    assert_readable_slide(page)
    box.fill("Thank you for the 30 scarves you wove this month. Because of your work we sold all of them at the "
             "fair, and two shops now want our scarves. We are proud of you. Please send the next order soon.")
    page.get_by_role("button", name="Check my draft").click()
    page.get_by_text("The check found 5 of 6 points").wait_for()
    assert page.locator(".course-checklist input[type=checkbox]:checked").count() == 5
    assert page.get_by_text("The check did not find this.").count() == 1
    page.get_by_label("Ask for nothing new in the same message.").check()  # the learner overrides the rough guide
    page.wait_for_function("() => document.querySelectorAll('.course-checklist "
                           "input[type=checkbox]:checked').length === 6")
    page.screenshot(path=screenshot_dir(SHOTS) / "messages-checked.png")
    assert_readable_slide(page)
    assert saved_answers(slide_server, learner, item="communication-gratitude-message",
                         kind="reflection")[-1].value.startswith("Thank you for")
    ticked = wait_saved(slide_server, learner, lambda row: len(row.value["ticked"]) == 6,
                        item="communication-gratitude-checklist", kind="scenario").value
    assert "6 of 6 points ticked" in ticked["summary"]
    assert view.external_requests() == [] and view.console_errors == []


def test_listening_practice_compares_a_summary(slide_server, offline, learner):
    view, page = open_piece(slide_server, offline, "listening", learner)
    page.locator(".course-statement-text").wait_for()
    page.wait_for_function("() => !document.querySelector('.course-reflection-text').disabled")
    wait_settled(page)
    assert "scarves will be late" in page.locator(".course-statement-text").inner_text()
    page.screenshot(path=screenshot_dir(SHOTS) / "listening.png")
    assert_readable_slide(page)
    page.locator(".course-reflection-text").fill("Her son was sick, and the indigo dye ran out.")
    page.get_by_role("button", name="Compare").click()
    page.get_by_text(re.compile(r"Your summary has 2 of 5 key points")).wait_for()
    assert page.locator(".course-listening-points li.course-found").count() == 2
    assert "A model summary" in page.locator(".course-listening-result").inner_text()
    page.locator(".course-listening-result").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir(SHOTS) / "listening-compared.png")
    assert_readable_slide(page)
    result = saved_answers(slide_server, learner, item="listening-late-scarves", kind="scenario")[-1].value
    assert len(result["found"]) == 2 and "2 of 5" in result["summary"]
    assert saved_answers(slide_server, learner, item="listening-late-scarves",
                         kind="reflection")[-1].value.startswith("Her son was sick")
    assert view.external_requests() == [] and view.console_errors == []


def test_action_plan_flags_problems_and_saves_as_typed(slide_server, offline, learner):
    view, page = open_piece(slide_server, offline, "action-plan", learner)
    page.locator(".course-commitment").first.wait_for()
    wait_settled(page)
    page.screenshot(path=screenshot_dir(SHOTS) / "action-plan.png")
    assert_readable_slide(page)
    first = page.locator(".course-commitment").first
    first.get_by_placeholder(re.compile("^What will you do")).fill("Call Mrs. Phet about the dye")
    first.locator("input[type=date]").fill((date.today() - timedelta(days=3)).isoformat())
    first.get_by_text("is in the past").wait_for()
    first.get_by_text("Add a reason").wait_for()
    page.screenshot(path=screenshot_dir(SHOTS) / "action-plan-warnings.png")
    later = (date.today() + timedelta(days=10)).isoformat()
    first.locator("input[type=date]").fill(later)
    first.get_by_placeholder(re.compile("^Because")).fill("she needs dye money before the next order")
    page.get_by_text("1 of 3 commitments ready").wait_for()
    page.get_by_role("button", name="Download my plan").click()
    page.locator("a.course-download[download$='.ics']").wait_for()
    page.screenshot(path=screenshot_dir(SHOTS) / "action-plan-ready.png")
    assert_readable_slide(page)
    plan = saved_answers(slide_server, learner, item="action-plan", kind="action-plan")[-1].value
    assert plan["commitments"][0] == {"action": "Call Mrs. Phet about the dye", "date": later,
                                      "because": "she needs dye money before the next order"}
    assert plan["summary"].startswith("1 of 3 commitments ready")
    assert view.external_requests() == [] and view.console_errors == []
