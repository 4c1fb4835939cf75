"""A self-study learner walks the whole course in the Voilà slides, offline, from 00 to 08.

On every deck they answer every quiz question and write every reflection; at the end they
write their action plan and export the journal. The journal must hold everything they wrote,
escaped, and the learner must show as complete, with a certificate.
"""
from __future__ import annotations

import re
from pathlib import Path

from artisan_course.content.course_map import load_course_map
from artisan_course.models.progress import course_complete
from artisan_course.state.progress import course_progress
from artisan_course.state.store import Store
from conftest import screenshot_dir
from decks import deck_url, open_deck, wait_saved

SHOW_SLIDE_OF = """el => {
  const slides = Reveal.getHorizontalSlides();
  const h = slides.findIndex(s => s.contains(el));
  Reveal.slide(h, 0, 99);
  return h;
}"""


def show(page, locator) -> None:
    """Go to the slide that holds ``locator``, with all its fragments shown."""
    locator.evaluate(SHOW_SLIDE_OF)
    locator.wait_for(state="visible", timeout=15_000)


def answer(page, question) -> None:
    show(page, question)
    radios = question.locator("input[type=radio]")
    boxes = question.locator("input[type=checkbox]")
    selects = question.locator("select")
    text = question.locator("input[type=text]")
    if radios.count():
        radios.first.check()
    elif boxes.count():
        boxes.first.check()
    elif selects.count():
        for i in range(selects.count()):
            options = selects.nth(i).locator("option")
            # Ordering questions need a different step in each slot; categories may repeat.
            selects.nth(i).select_option(index=min(i + 1, options.count() - 1))
    elif text.count():
        text.first.fill("1")
    question.get_by_role("button", name=re.compile("^(Check|Send)$")).click()
    question.locator(".course-feedback-right, .course-feedback-wrong, .course-feedback-partial, .course-poll, "
                     ".course-warning").first.wait_for(state="attached", timeout=15_000)


def write(page, box, text: str) -> None:
    show(page, box)
    page.wait_for_function("el => !el.disabled", arg=box.element_handle(), timeout=15_000)
    box.fill(text)


def fill_action_plan(page, plan) -> None:
    show(page, plan)
    rows = plan.locator(".course-commitment")
    assert rows.count() == 3
    for i in range(3):
        row = rows.nth(i)
        row.locator("textarea, input[type=text]").nth(0).fill(f"Commitment {i + 1} <b>bold</b>")
        row.locator("input[type=date]").fill(f"2099-0{i + 1}-15")
        row.locator("input[type=date]").dispatch_event("change")
        row.locator("textarea, input[type=text]").nth(1).fill(f"reason {i + 1} & more")


def test_a_learner_walks_from_welcome_to_wrap_up_and_leaves_with_journal_and_certificate(slide_server, offline,
                                                                                         learner):
    course = load_course_map()
    assert [m.status for m in course.modules] == ["ready"] * len(course.modules) == ["ready"] * 9
    view = offline()
    page = view.page
    page.set_default_timeout(20_000)
    written: list[str] = []
    for module in course.modules:
        open_deck(page, deck_url(slide_server, module.notebook, learner=learner))
        page.evaluate("Reveal.configure({transition: 'none'})")  # the walk jumps from slide to slide; no fades
        page.locator(".course-header").first.wait_for(state="attached")
        questions = page.locator(".course-question")
        for i in range(questions.count()):
            answer(page, questions.nth(i))
        role_plays = page.locator(".course-role-play")
        for i in range(role_plays.count()):  # the learner observes each role-play: the checklist opens
            show(page, role_plays.nth(i))
            role_plays.nth(i).get_by_role("button", name="Observer").click()
            role_plays.nth(i).locator(".course-reflection").first.wait_for(state="visible")
        boxes = page.locator(".course-reflection textarea")
        for i in range(boxes.count()):
            text = f"{module.id} reflection {i + 1}: <script>alert({i})</script> & ຂອບໃຈ"
            write(page, boxes.nth(i), text)
            written.append(text)
        plan = page.locator(".course-action-plan")
        if plan.count():
            fill_action_plan(page, plan.first)
            wait_saved(slide_server, learner, lambda row: row.value["commitments"][2]["because"] == "reason 3 & more",
                       item="action-plan", kind="action-plan")
        # Before leaving the deck, every box says "Saved at": its text is in the store.
        for i in range(boxes.count()):
            page.locator(".course-reflection").nth(i).locator(".course-status--saved").wait_for(state="attached")
        page.screenshot(path=screenshot_dir("walk") / f"{module.number:02d}-{module.id}.png")

    store = Store(slide_server.home)
    progress = course_progress(store, store.find_learner(learner), course)
    assert [p.module.id for p in progress if not p.complete] == []
    assert course_complete(progress)

    # The journal, exported from the last deck: everything written, escaped, and the certificate.
    button = page.locator("button", has_text="Download my journal").last  # on another slide, so not by role
    show(page, button)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    journal = Path(download.value.path()).read_text(encoding="utf-8")
    for text in written:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in journal, text[:40]
    assert "<script>" not in journal
    assert "Commitment 1 &lt;b&gt;bold&lt;/b&gt;" in journal and "reason 3 &amp; more" in journal
    certificate = journal[journal.index("<section class='certificate'>"):]  # the same page ends with it
    assert "Certificate of completion" in certificate
    assert learner in certificate and all(m.title.replace('"', "&quot;") in certificate for m in course.modules)
    assert view.external_requests() == [] and view.console_errors == []
