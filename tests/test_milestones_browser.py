"""The milestone planner in the Voilà slides, offline: typed changes move the table and the chart, a too-early
deadline shows the warning, and the downloaded calendar and table are valid files."""
import base64
import io
import re
from datetime import date, timedelta

import pandas as pd
from icalendar import Calendar

from conftest import screenshot_dir
from decks import (assert_readable_slide, chart_source, deck_url, field, open_deck, saved_answers, text_of,
                   wait_changed,
                   wait_chart_changed, wait_settled)


def type_into(page, label, text):
    """Select what the box holds and type over it, as a person would."""
    box = field(page, label).locator("input")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    box.press("Tab")


def decoded(link) -> bytes:
    href = link.get_attribute("href")
    assert href.startswith("data:")
    return base64.b64decode(href.split(";base64,", 1)[1])


def check_the_slide(page, name):
    wait_settled(page)
    page.screenshot(path=screenshot_dir("simulators") / f"{name}.png")
    assert_readable_slide(page)


def test_milestone_planner_in_the_slides(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-milestones.ipynb", learner))
    page.locator(".sim-milestones").wait_for()
    check_the_slide(page, "milestones")
    assert page.locator(".course-ms-late").count() == 0
    assert "On time" in text_of(page, ".course-ms-verdict")

    # More artisans, typed with the keyboard: shorter batches, so the table and the chart change.
    table, chart = text_of(page, ".sim-milestones"), chart_source(page)
    type_into(page, "Number of artisans", "12")
    page.get_by_text("Output: 24 pieces per working day.").wait_for()  # each key press updates; wait for the last
    wait_changed(page, ".sim-milestones", table)
    wait_chart_changed(page, chart)
    assert page.evaluate("Reveal.getIndices().h") == 0

    # A deadline that is too early: a clear warning with how late, and what would fix it.
    table, chart = text_of(page, ".sim-milestones"), chart_source(page)
    early = date.today() + timedelta(days=20)
    field(page, "Buyer's deadline").locator("input").fill(early.isoformat())
    page.locator(".course-ms-late").wait_for()
    warning = text_of(page, ".course-ms-late")
    assert re.search(r"Too late: .* \d+ days? after the buyer's deadline", warning)
    # Each fix is named, with a number where one change alone is enough.
    assert "More artisans" in warning and "A later deadline: ask the buyer for" in warning and "Fewer pieces" in warning
    wait_chart_changed(page, chart)
    assert f"deadline {early:%a} {early.day} {early:%b %Y}" in text_of(page, ".sim-milestones")
    page.locator(".course-ms-late").scroll_into_view_if_needed()
    check_the_slide(page, "milestones-late")

    # Bad input: one plain sentence, and the last valid plan stays.
    table = text_of(page, ".sim-milestones")
    type_into(page, "Number of artisans", "many")
    page.get_by_text("is not a number").wait_for()
    assert text_of(page, ".sim-milestones") == table
    type_into(page, "Number of artisans", "12")
    page.locator(".course-sim-message .course-warning").wait_for(state="detached")
    page.wait_for_function("t => document.querySelector('.sim-milestones').innerText === t", arg=table)
    field(page, "Start date").locator("input").fill((date.today() - timedelta(days=3)).isoformat())
    page.get_by_text("The start date is in the past").wait_for()
    assert text_of(page, ".sim-milestones") == table
    field(page, "Start date").locator("input").fill((date.today() + timedelta(days=7)).isoformat())
    page.locator(".course-sim-message .course-warning").wait_for(state="detached")

    # A later deadline again, then download the files and read them as a calendar app and pandas would.
    field(page, "Buyer's deadline").locator("input").fill((date.today() + timedelta(days=63)).isoformat())
    page.locator(".course-ms-late").wait_for(state="detached")
    page.get_by_role("button", name=re.compile("Make the files")).click()
    calendar_link = page.locator("a.course-download", has_text="calendar")
    calendar_link.wait_for()
    table_link = page.locator("a.course-download", has_text="CSV")
    assert calendar_link.get_attribute("download") == "milestone-plan.ics"
    page.locator(".course-ms-files").scroll_into_view_if_needed()
    check_the_slide(page, "milestones-files")
    calendar = Calendar.from_ical(decoded(calendar_link))
    events = calendar.walk("VEVENT")
    assert len(events) == 4 * 3 + 1  # making, check, feedback and check-in for 3 batches, and the deadline
    csv = pd.read_csv(io.BytesIO(decoded(table_link)))
    assert csv["pieces"].sum() == 240 and len(csv) == 3
    making = {str(e["SUMMARY"]): e["DTSTART"].dt for e in events if "making" in str(e["SUMMARY"])}
    assert sorted(making.values()) == [date.fromisoformat(d) for d in csv["batch_start"]]

    page.get_by_role("button", name="Save this scenario").click()
    page.get_by_text("Saved to your journal.").wait_for()
    saved = saved_answers(slide_server, learner, kind="scenario", item="milestone-plan")
    assert saved and sum(m["pieces"] for m in saved[-1].value["milestones"]) == 240
    assert [c["mode"] for c in saved[-1].value["checkins"]] == ["in person", "video", "in person"]
    assert view.external_requests() == [] and view.console_errors == []
