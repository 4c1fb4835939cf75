"""Maths in questions, drawn by Chromium from MathML: a deck on a phone and a projector, JupyterLab, a printed quiz.

The bank (tests/maths_bank/contingency-why.yaml, written for these tests) uses every construct the maths issue
names (\\mid, \\cap, \\cup, \\in, \\overline, \\mbox, \\emptyset, \\mskip, sets in braces, fractions, roots,
sub- and superscripts, Greek letters, cases on a line of their own) in prompts, options and feedback. It replaces
the module's own bank in a copy of the course. "Drawn" is checked by where the browser lays the parts out: a
fraction's top above its bottom, a bar over its letter, a power raised, a root wider than what it holds. A
browser that did not draw MathML would run the parts along one line, and these checks would fail.
"""
import json
from pathlib import Path

import pytest

from conftest import REPO, SlideServer, free_port, make_course_copy, screenshot_dir
from decks import CLIPPED, deck_url, open_deck, saved_answers, wait_settled
from test_lab_browser import choose_name, lab, lab_env, lab_server, run_all  # noqa: F401  (fixtures)
from test_quiz_types_browser import VERDICT, answer, fits_across, go_to

BANK = Path(__file__).parent / "maths_bank" / "contingency-why.yaml"
SLIDES = [  # (slide title, question id, words of its prompt)
    ("Maths: a condition", "maths-conditional", "batch is late"),
    ("Maths: sets", "maths-sets", "delivery days are"),
    ("Maths: numbers", "maths-numbers", "A bonus of"),
    ("Maths: a rule in cases", "maths-bonus-rule", "pays per piece"),
    ("Maths: a poll", "maths-poll", "easier for you to read"),
]


def _cell(kind: str, source: str, slide: str) -> dict:
    cell = {"cell_type": kind, "metadata": {"slideshow": {"slide_type": slide}}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


MATHS_DECK = {
    "cells": [_cell("code", "from artisan_course import quiz", "skip")] + [
        c for title, qid, _ in SLIDES for c in (_cell("markdown", f"## {title}", "slide"),
                                                 _cell("code", f'quiz("contingency-why", ids=["{qid}"])', "-"))],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}

# Where the browser put each part of the maths in ``q``; what is wrong, and how many formulas there are.
DRAWN = """q => {
  const box = e => e.getBoundingClientRect();
  const wrong = [];
  const maths = Array.from(q.querySelectorAll('math'));
  for (const m of maths) if (box(m).width < 4 || box(m).height < 4) wrong.push('not drawn: ' + m.textContent);
  for (const f of q.querySelectorAll('mfrac')) {
    const [top, bottom] = f.children;
    if (!(box(top).bottom <= box(bottom).top + 1)) wrong.push('fraction on one line: ' + f.textContent);
  }
  for (const o of q.querySelectorAll('mover')) {
    const [base, over] = o.children;
    if (!(box(over).bottom <= box(base).top + 3)) wrong.push('bar not over its letter: ' + o.textContent);
  }
  for (const s of q.querySelectorAll('msup')) {
    const [base, up] = s.children;
    if (!(box(up).bottom < box(base).bottom - 1)) wrong.push('power not raised: ' + s.textContent);
  }
  for (const s of q.querySelectorAll('msub')) {
    const [base, down] = s.children;
    if (!(box(down).bottom > box(base).bottom)) wrong.push('subscript not lowered: ' + s.textContent);
  }
  for (const r of q.querySelectorAll('msqrt')) {
    if (!(box(r).width > box(r.firstElementChild).width + 3)) wrong.push('root without its sign: ' + r.textContent);
  }
  for (const t of q.querySelectorAll('mtable')) {
    const rows = Array.from(t.querySelectorAll('mtr')).map(box);
    if (!rows.every((r, i) => i === 0 || r.top >= rows[i - 1].bottom - 1)) wrong.push('cases on one line');
  }
  const tex = (q.innerText.match(/\\\\[A-Za-z]+|\\$/g) || []);
  return {formulas: maths.length, wrong, tex, kinds: Array.from(new Set(Array.from(q.querySelectorAll('*'))
    .map(e => e.tagName.toLowerCase()).filter(t => t.startsWith('m'))))};
}"""
# The size of maths on screen: the smallest formula's or fraction part's font (CSS size times reveal's scale).
MATHS_PX = """q => Math.min(...Array.from(q.querySelectorAll('math, mfrac > *'))
  .map(m => parseFloat(getComputedStyle(m).fontSize) * (window.Reveal ? Reveal.getScale() : 1)))"""


def with_maths_bank(root: Path) -> Path:
    """``root``, a course copy, with the maths bank in place of the module's own and a deck that asks it."""
    data = root / "data"
    data.unlink()  # a link to the repository's data: replaced by a folder of links, with the maths bank in it
    data.mkdir()
    for item in (REPO / "data").iterdir():
        if item.name != "quizzes":
            (data / item.name).symlink_to(item)
    (data / "quizzes").mkdir()
    for item in (REPO / "data" / "quizzes").iterdir():
        if item.name != BANK.name:
            (data / "quizzes" / item.name).symlink_to(item)
    (data / "quizzes" / BANK.name).symlink_to(BANK)
    (root / "notebooks" / "zz-fixture-maths.ipynb").write_text(json.dumps(MATHS_DECK))
    return root


@pytest.fixture(scope="module")
def maths_server(tmp_path_factory):
    root = with_maths_bank(make_course_copy(tmp_path_factory.mktemp("maths-course")))
    server = SlideServer(root, tmp_path_factory.mktemp("maths-store"), free_port())
    yield server
    server.stop()


@pytest.fixture
def lab_course(tmp_path):
    return with_maths_bank(make_course_copy(tmp_path / "course"))


def check_drawn(question, everywhere=("mfrac", "mover", "mi")) -> dict:
    drawn = question.evaluate(DRAWN)
    assert drawn["formulas"] > 0 and drawn["wrong"] == [] and drawn["tex"] == [], drawn
    assert set(everywhere) <= set(drawn["kinds"]), drawn["kinds"]
    return drawn


def test_every_construct_is_drawn_on_a_phone_fits_and_is_graded_and_saved(maths_server, offline, learner):
    view = offline(390, 844, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = view.page
    url = deck_url(maths_server, "zz-fixture-maths.ipynb", learner=learner)
    open_deck(page, url)
    kinds = set()
    for title, qid, words in SLIDES:
        question = go_to(page, title, words)
        wait_settled(page)
        kinds |= set(check_drawn(question, everywhere=())["kinds"])
        assert question.evaluate(MATHS_PX) >= 18  # readable on a phone
        assert fits_across(page, ".course-question") and page.evaluate(CLIPPED) == [], title
        page.screenshot(path=screenshot_dir("maths") / f"phone-{qid}.png")
    assert {"mfrac", "msqrt", "msup", "msub", "mover", "mtable", "mspace", "mtext", "mo", "mi", "mn"} <= kinds

    # The options are drawn too, and a choice with maths is answered, checked and saved like any other.
    condition = go_to(page, "Maths: a condition", "batch is late")
    options = condition.locator(".course-choices")
    assert options.locator("input[type=radio]").count() == 3 and options.locator("math").count() == 3
    condition.locator("input[value=union]").check()
    condition.get_by_role("button", name="Check").click()
    condition.locator(".course-feedback-wrong").wait_for(timeout=15_000)
    check_drawn(condition.locator(".widget-html").last, everywhere=("mo",))  # the feedback's maths: L ∪ E
    condition.locator("input[value=rest]").check()
    condition.get_by_role("button", name="Check").click()
    condition.locator(".course-feedback-right").wait_for(timeout=15_000)
    check_drawn(condition.locator(".widget-html").last, everywhere=("mover",))  # P(L̅ | E) in the feedback
    page.screenshot(path=screenshot_dir("maths") / "phone-maths-conditional-right.png")

    sets = go_to(page, "Maths: sets", "delivery days are")
    assert sets.locator(".course-choices input[type=checkbox]").count() == 4
    for key in ("member", "none"):
        sets.locator(f"input[value={key}]").check()
    sets.get_by_role("button", name="Check").click()
    sets.locator(".course-feedback-right").wait_for(timeout=15_000)

    numbers = go_to(page, "Maths: numbers", "A bonus of")
    mistake = answer(numbers, "12")
    assert mistake.startswith("✗ Not quite.") and "You left out" in mistake
    check_drawn(numbers.locator(".widget-html").last, everywhere=("mfrac", "msub"))
    assert answer(numbers, "11.5", verdict_before=mistake).startswith("✓ Right.")

    saved = [(a.item, a.value["response"], a.score) for a in saved_answers(maths_server, learner, kind="quiz")]
    assert saved == [("maths-conditional", "union", 0.0), ("maths-conditional", "rest", 1.0),
                     ("maths-sets", ["member", "none"], 1.0), ("maths-numbers", "12", 0.0),
                     ("maths-numbers", "11.5", 1.0)]

    # A reload shows the last answers again, ticked in the drawn options.
    page.reload()
    open_deck(page, url)
    condition = go_to(page, "Maths: a condition", "batch is late")
    page.wait_for_function("q => q.querySelector('input[value=rest]').checked", arg=condition.element_handle(),
                           timeout=15_000)
    sets = go_to(page, "Maths: sets", "delivery days are")
    page.wait_for_function("q => ['member', 'none'].every(k => q.querySelector(`input[value=${k}]`).checked)"
                           " && !q.querySelector('input[value=union]').checked", arg=sets.element_handle(),
                           timeout=15_000)
    assert sets.locator(VERDICT).first.inner_text() == "✓ Right."
    assert view.external_requests() == [] and view.console_errors == []


def test_every_construct_is_drawn_on_the_projector_and_a_poll_with_maths_is_sent(maths_server, offline, learner):
    view = offline(1280, 720)
    page = view.page
    open_deck(page, deck_url(maths_server, "zz-fixture-maths.ipynb", learner=learner))
    for title, qid, words in SLIDES:
        question = go_to(page, title, words)
        wait_settled(page)
        check_drawn(question, everywhere=())
        assert page.evaluate(CLIPPED) == [], title
        page.screenshot(path=screenshot_dir("maths") / f"projector-{qid}.png")
    poll = go_to(page, "Maths: a poll", "easier for you to read")
    poll.locator("input[value=fraction]").check()
    poll.get_by_role("button", name="Send").click()
    poll.get_by_text("Thank you for answering.").wait_for(timeout=15_000)
    assert [(a.item, a.value["response"]) for a in saved_answers(maths_server, learner, kind="quiz")] == [
        ("maths-poll", "fraction")]
    assert view.external_requests() == [] and view.console_errors == []


def test_every_construct_is_drawn_in_jupyterlab(lab_server, learner_home, offline):  # noqa: F811
    work, url = lab_server
    choose_name(learner_home, "Noy")  # this notebook has no course header to ask it
    notebook = work / "notebooks" / "maths.ipynb"
    notebook.write_text(json.dumps(MATHS_DECK))
    view = offline(1280, 900)
    page = view.page
    page.goto(url.replace("00-welcome.ipynb", notebook.name))
    run_all(page, notebook)
    panel = page.locator(".jp-NotebookPanel:visible")
    questions = panel.locator(".course-question")
    questions.nth(len(SLIDES) - 1).wait_for(timeout=30_000)
    assert panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    kinds = set()
    for n in range(len(SLIDES)):
        questions.nth(n).scroll_into_view_if_needed()
        kinds |= set(check_drawn(questions.nth(n), everywhere=())["kinds"])
    assert {"mfrac", "msqrt", "msup", "msub", "mover", "mtable", "mspace", "mtext"} <= kinds
    condition = questions.nth(0)
    condition.scroll_into_view_if_needed()
    assert condition.locator(".course-choices math").count() == 3
    condition.locator("input[value=rest]").check()
    condition.get_by_role("button", name="Check").click()
    condition.locator(".course-feedback-right").wait_for(timeout=15_000)
    check_drawn(condition.locator(".widget-html").last, everywhere=("mover",))
    page.screenshot(path=screenshot_dir("maths") / "lab-maths.png")
    for n, (_, qid, _) in enumerate(SLIDES[1:], 1):
        questions.nth(n).screenshot(path=screenshot_dir("maths") / f"lab-{qid}.png")
    assert view.external_requests() == []


def test_every_construct_is_drawn_on_the_printed_quiz(tmp_path, monkeypatch, offline):
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(with_maths_bank(make_course_copy(tmp_path / "course"))))
    from artisan_course.content.course_map import load_course_map
    from artisan_course.documents.materials import paper_quiz_html
    html = paper_quiz_html(load_course_map().module("contingency-why"))
    view = offline(794, 1123)  # an A4 page at 96 dots per inch
    page = view.page
    page.emulate_media(media="print")
    page.set_content(html, wait_until="load")
    body = page.locator("body")
    drawn = check_drawn(body, everywhere=("mfrac", "mover", "msqrt", "msup", "msub", "mtable"))
    assert drawn["formulas"] >= 30
    options = page.locator(".question li")
    assert options.locator("math").count() >= 10  # the options' maths is drawn, not printed as TeX
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing runs off the page
    pdf = screenshot_dir("maths") / "paper-quiz-maths.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 10_000
    assert view.external_requests() == []
