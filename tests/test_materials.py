"""The printed materials and the end-of-day evaluation, as a facilitator uses them.

`artisan-course print-materials` writes a run sheet per module, the paper quizzes with an answer key, the role
cards, the glossary and a paper evaluation, all from the course's own files; a learner's evaluation is saved like
any answer, and `artisan-course export-evaluation` gives the room's results without names.
"""
from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest

from artisan_course.content.activities import load_activity
from artisan_course.content.course_map import load_course_map
from artisan_course.content.notebooks import module_key_messages, module_slides
from artisan_course.content.quiz_bank import load_bank
from artisan_course.documents.materials import paper_quiz_html, run_sheet_html
from artisan_course.models.evaluation import EvaluationIncomplete, check_answers, room_results
from artisan_course.state.session import SESSION
from artisan_course.widgets.course import glossary_html
from artisan_course.widgets.evaluation import Evaluation

from test_cli import REPO, run

COURSE = load_course_map()


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print") / "materials"
    result = run("print-materials", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out / "index.html") in result.stdout
    return out


def test_print_materials_writes_every_page_and_an_index(printed):
    ready = COURSE.ready_modules()
    expected = {f"run-sheet-{m.number:02d}.html" for m in ready} | {f"paper-quiz-{m.number:02d}.html" for m in ready}
    expected |= {"role-cards.html", "glossary.html", "evaluation.html", "index.html"}
    assert {p.name for p in printed.iterdir()} == expected
    index = (printed / "index.html").read_text(encoding="utf-8")
    assert all(f"href='{name}'" in index for name in expected - {"index.html"})
    for page in printed.iterdir():
        content = page.read_text(encoding="utf-8")
        assert "Huyen T.T.P. and Long N.H." in content, f"{page.name} lacks the credit line"
        assert not re.search(r"(src|href)=['\"]?https?:", content), f"{page.name} loads something from the internet"


def test_a_run_sheet_has_objectives_key_messages_materials_and_every_slide_with_its_minutes():
    module = COURSE.module("anchoring")
    page = text_of(run_sheet_html(module))
    for line in (*module.objectives, *module_key_messages(module),
                 *load_activity("run_sheets.yaml")["materials"]["anchoring"]):
        assert line in page
    slides = module_slides(module)
    clock = 0
    for number, slide in enumerate(slides, start=1):
        clock += slide.minutes
        kind = "core" if slide.core else "optional"
        assert f"{number} {slide.title} {kind} {slide.minutes} {clock}" in page, slide.title
    core = sum(s.minutes for s in slides if s.core)
    assert f"{module.minutes} minutes on the agenda. Core slides {core} minutes; all slides {clock} minutes" in page
    assert "Key messages" in page and len(module_key_messages(module)) >= 3


def test_the_paper_quiz_asks_every_question_and_its_key_gives_the_letter_printed_beside_the_answer():
    module = COURSE.module("anchoring")
    page = paper_quiz_html(module)
    sheet, key = page.split("class='key'")
    bank = load_bank(module.id)
    for q in bank:
        assert q["prompt"] in text_of(sheet), q.id
    entries = re.findall(r"<li><strong>(.*?)</strong>", key)
    assert len(entries) == len(bank)
    # a single-choice question: the letter in the key is the letter printed beside the keyed option
    questions = re.split(r"<div class='question'>", sheet)[1:]
    checked = 0
    for (i, block), entry in zip(enumerate(questions), entries):
        if re.fullmatch(r"[A-F]", entry):
            printed = dict(re.findall(r"</span>([A-F])\. (.*?)</li>", block))
            answered = text_of(printed[entry])
            assert any(o["text"] == answered and o["key"] == q["answer"] for q in bank for o in q.get("options", [])), \
                f"question {i + 1}: the key says {entry}, which is not the keyed option"
            checked += 1
    assert checked >= 4
    # the keyed option is not always the first one on paper
    assert len({e for e in entries if re.fullmatch(r"[A-F]", e)}) >= 2


def _printed_questions(module):
    """Each printed question of the module's paper quiz: its lettered lines ("A. text"), in print order."""
    sheet = paper_quiz_html(module).split("class='key'")[0]
    return [[text_of(f"{letter}. {body}") for letter, body in re.findall(r"</span>([A-P])\. (.*?)</li>", block)]
            + [text_of(f"{letter}. {body}") for letter, body in re.findall(r"<li>([A-P])\. (.*?) <div class='line'>",
                                                                          block)]
            for block in re.split(r"<div class='question'>", sheet)[1:]]


@pytest.mark.parametrize("module", COURSE.ready_modules(), ids=lambda m: m.id)
def test_the_paper_quiz_prints_the_letters_the_slides_show(module, monkeypatch, fresh_session):
    """In a room with phones and paper, "who chose B?" must count the same option on both."""
    monkeypatch.setenv("VOILA_KERNEL_ID", "a-deck-kernel")  # the slides: every device sees one order
    from artisan_course.widgets.quiz import QuizView
    slides = [qid for s in module_slides(module) for qid in s.quiz_ids]
    bank = {q.id: q for q in load_bank(module.id)}
    order = slides + [qid for qid in bank if qid not in slides]
    printed = _printed_questions(module)
    assert len(printed) == len(order)
    on_screen = {v.q.id: v for v in QuizView(module.id).views}
    compared = 0
    for qid, lines in zip(order, printed):
        view = on_screen[qid]
        if view.q.type in ("single", "scenario", "multi", "ordering", "categorise"):
            assert lines == [text_of(view.label[k]) for k in view.order], f"{qid}: paper and screen letters differ"
            compared += 1
        if view.q.type == "ordering":
            keyed = [text_of(it["text"]) for it in view.q["items"]]
            assert [line[3:] for line in lines] != keyed, f"{qid} prints already solved"
    assert compared >= 3


def test_a_run_sheet_prints_what_the_speaker_notes_say_to_ask():
    module = COURSE.module("people-persuaders")
    page = text_of(run_sheet_html(module))
    for slide in module_slides(module):
        assert text_of(slide.note.replace("**", "").replace("`", "")) in page, slide.title
    assert "ask two or three people" in page.lower()


def test_role_cards_and_glossary_are_printed_from_the_data(printed):
    cards = text_of((printed / "role-cards.html").read_text(encoding="utf-8"))
    for card in load_activity("role_cards.yaml")["cards"]:
        assert f"Card {card['number']} · {card['title']} · Buyer" in cards and card["leader"] in cards
    glossary = text_of((printed / "glossary.html").read_text(encoding="utf-8"))
    for term in load_activity("glossary.yaml")["terms"]:
        assert term["meaning"] in glossary
    assert "real name" in text_of((printed / "evaluation.html").read_text(encoding="utf-8"))


def test_the_glossary_in_the_course_escapes_its_text(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(REPO / "data", root / "data")
    glossary = root / "data" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        'term: "anchor",', 'term: "<b>anchor</b>",', 1), encoding="utf-8")
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    shown = glossary_html()
    assert "&lt;b&gt;anchor&lt;/b&gt;" in shown and "<b>anchor" not in shown


# -- the evaluation -----------------------------------------------------------------------------------
FORM = load_activity("evaluation.yaml")


def test_an_evaluation_needs_every_rating_and_the_pace():
    ratings = {r["id"]: FORM["scale"][-1] for r in FORM["ratings"]}
    with pytest.raises(EvaluationIncomplete, match="question 5"):
        check_answers(FORM, ratings, None)
    del ratings[FORM["ratings"][1]["id"]]
    with pytest.raises(EvaluationIncomplete, match="question 2"):
        check_answers(FORM, ratings, FORM["pace"]["options"][1])


def test_room_results_count_each_answer_and_keep_every_comment():
    useful = FORM["ratings"][0]["id"]
    answers = [{"ratings": {useful: "Fully"}, "pace": "About right", "comments": {"best": "The simulator"}},
               {"ratings": {useful: "Fully"}, "pace": "Too fast", "comments": {"best": "  "}},
               {"ratings": {useful: "A little"}, "pace": "Too fast", "comments": {}}]
    results = room_results(FORM, answers)
    assert results.responses == 3
    assert results.ratings[useful] == {"Not at all": 0, "A little": 1, "Mostly": 0, "Fully": 2}
    assert results.pace == {"Too slow": 0, "About right": 1, "Too fast": 2}
    assert results.comments["best"] == ["The simulator"]


@pytest.mark.usefixtures("fresh_session")
def test_a_trainees_evaluation_is_saved_comes_back_and_is_exported_without_names(learner_home, tmp_path):
    SESSION.set_learner("Noy Secret-Name")
    form = Evaluation()
    form.save()
    assert "Please choose an answer for question 1." in form.result.value
    for widget in form.ratings.values():
        widget.value = "Mostly"
    form.pace.value = "About right"
    form.comments["change"].value = "More role-plays <please>"
    form.save()
    assert "Thank you. Your evaluation was sent" in form.result.value
    SESSION.listeners.clear()
    again = Evaluation()
    assert again.pace.value == "About right" and again.comments["change"].value == "More role-plays <please>"
    SESSION.set_learner("Kham Other-Name")
    other = Evaluation()
    for widget in other.ratings.values():
        widget.value = "Fully"
    other.pace.value = "Too fast"
    other.save()

    out = tmp_path / "evaluation.csv"
    result = run("export-evaluation", "--out", str(out), env={"ARTISAN_COURSE_HOME": str(learner_home)})
    assert result.returncode == 0, result.stderr
    assert "Wrote the evaluation of 2 trainee(s), without names" in result.stdout
    written = out.read_text(encoding="utf-8")
    assert "Secret-Name" not in written and "Other-Name" not in written
    rows = list(csv.reader(written.splitlines()))
    useful = FORM["ratings"][0]["text"]
    assert [useful, "Mostly", "1"] in rows and [useful, "Fully", "1"] in rows
    assert [FORM["pace"]["text"], "Too fast", "1"] in rows
    assert [FORM["comments"][1]["text"], "More role-plays <please>", ""] in rows
