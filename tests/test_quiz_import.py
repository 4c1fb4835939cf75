"""import-quiz and check-quiz: jupyterquiz banks convert, load and grade as jupyterquiz grades them.

The example bank below is written for these tests in jupyterquiz's JSON format (every field its README and
schemas describe: single and many choice, code answers, numeric values, ranges, precision and default
feedback, strings with case, fuzzy matching and default feedback), plus questions the course cannot show.
``jupyterquiz_says`` restates, in Python, how jupyterquiz's own JavaScript decides right and wrong, so that
every converted question can be checked against it over many typed answers.
"""
import base64
import itertools
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from artisan_course.content.course_map import load_course_map
from artisan_course.content.jupyterquiz import convert, read_source
from artisan_course.content.quiz_bank import Question, parse_bank
from artisan_course.models.grading import ResponseError, grade

REPO = Path(__file__).resolve().parents[1]

SOURCE = [
    {"type": "multiple_choice", "question": "Which rule splits the profit <b>evenly</b>?",
     "answers": [{"answer": "Equality", "correct": True, "feedback": "Equal shares for all."},
                 {"answer": "Equity", "correct": False, "feedback": "Shares follow contribution."},
                 {"answer": "Needs", "correct": False}]},
    {"type": "many_choice", "question": "Which of these are integrative issues? Select all that apply.",
     "answer_cols": 2,
     "answers": [{"answer": "Delivery date", "correct": True, "feedback": "Both sides can trade on it."},
                 {"answer": "Packaging", "correct": True},
                 {"answer": "Price alone", "correct": False, "feedback": "One side's gain is the other's loss."},
                 {"answer": "Training", "correct": True, "feedback": "It helps both."}]},
    {"type": "multiple_choice", "question": "Which line adds a row to the order list?",
     "code": "orders = []\n# add one order of 20 scarves",
     "answers": [{"code": "orders.append(20)", "correct": True},
                 {"code": "orders + 20", "correct": False, "feedback": "This raises an error."},
                 {"code": "orders = 20", "correct": False, "feedback": "This replaces the list."}]},
    {"type": "multiple_choice", "question": "Two answers marked right make a many-choice question: which are $\\le 3$?",
     "answers": [{"answer": "2", "correct": True}, {"answer": "3", "correct": True},
                 {"answer": "4", "correct": False}]},
    {"type": "numeric", "question": "What is $\\frac{3}{4}$ of 20 scarves?",
     "answers": [{"type": "value", "value": 15, "correct": True, "feedback": "Right."},
                 {"type": "value", "value": 5, "correct": False, "feedback": "That is the quarter left over."},
                 {"type": "range", "range": [10, 15], "correct": False, "feedback": "A little low."},
                 {"type": "range", "range": [15, 20], "correct": True, "feedback": "Close enough."},
                 {"type": "default", "feedback": "Multiply 20 by three quarters."}]},
    {"type": "numeric", "question": "Give $\\pi$ to three significant digits.", "precision": 3,
     "answers": [{"type": "value", "value": 3.14159, "correct": True, "feedback": "Yes."},
                 {"type": "range", "range": [3, 3.1], "correct": False, "feedback": "Too small."},
                 {"type": "default", "feedback": "Think of 22/7."}]},
    {"type": "numeric", "question": "How many baskets in 3 crates of 12?",
     "answers": [{"value": 36, "correct": True}, {"value": 15, "correct": False}]},
    {"type": "string", "question": "Which word did the copy-machine study show matters?",
     "answers": [{"answer": "because", "correct": True, "feedback": "Yes.", "fuzzy_threshold": 0.75},
                 {"answer": "please", "correct": False, "feedback": "Polite, but no."},
                 {"answer": "Reason", "correct": True, "match_case": True},
                 {"type": "default", "feedback": "A word that introduces a reason."}]},
    {"type": "string", "question": "Name the stage after the opening.", "input_width": 20,
     "answers": [{"answer": "Moving", "correct": True, "fuzzy_threshold": 0.8, "match_case": True},
                 {"answer": "closing", "correct": False, "feedback": "That comes last."}]},
    # An opinion question: no answer is marked right, so it becomes a poll.
    {"type": "multiple_choice", "question": "Which do you prefer?", "answers": [{"answer": "A", "correct": False},
                                                                               {"answer": "B", "correct": False,
                                                                                "feedback": "B it is."}]},
    {"type": "numeric", "question": "The determinant of $\\begin{bmatrix}1&0\\\\0&2\\end{bmatrix}$?",
     "answers": [{"value": 2, "correct": True}]},
    # precision 0 asks for a whole number (jupyterquiz before 2.8 counted decimal places).
    {"type": "numeric", "question": "In how many ways can you choose 2 of 5 scarves, $\\binom{5}{2}$?", "precision": 0,
     "answers": [{"type": "value", "value": 10, "correct": True, "feedback": "Yes: $\\frac{5 \\times 4}{2}$."},
                 {"type": "value", "value": 20, "correct": False, "feedback": "That counts each pair twice."},
                 {"type": "range", "range": [-1000, 0], "correct": False, "feedback": "A count is never negative."},
                 {"type": "default", "correct": False, "feedback": "List the pairs."}]},
    # A value written as text, and false for 0 (both as authors write them, and as JavaScript's == reads them).
    {"type": "numeric", "question": "What share of 8 baskets is 2 baskets?",
     "answers": [{"type": "value", "value": "0.25", "correct": True, "feedback": "A quarter."},
                 {"type": "value", "answer": "0", "value": False, "feedback": "Two baskets are not nothing."},
                 {"type": "default", "feedback": "Divide 2 by 8."}]},
    # Every way jupyterquiz's text carries maths, a lone dollar sign, a link and paragraphs.
    {"type": "many_choice", "question": "Sets \\(A\\) and \\(B\\) are events.<p>The space is \\[S = \\{a, b, c\\}\\] "
                                        "and $$A \\cap B = \\emptyset.$$ Which hold?",
     "answers": [{"answer": "$P(A \\cup B) = P(A) + P(B)$", "correct": True,
                  "feedback": "Right: see <a href='https://example.org/sets'>the chapter</a>."},
                 {"answer": "$P(A \\mid B) = 1$", "correct": False, "feedback": "Costs $5 to think so."},
                 {"answer": "$F(x) = $ \\begin{cases} 0 & x < 0 \\\\ 1 & x \\ge 0 \\end{cases}", "correct": True}]},
    # What the course cannot represent, each for its own reason:
    {"type": "multiple_choice", "question": "",
     "answers": [{"answer": "A", "correct": True}, {"answer": "B", "correct": False}]},
    {"type": "multiple_choice", "question": "Which scarf is this? <img src='https://example.org/s.png'>",
     "answers": [{"answer": "Silk", "correct": True}, {"answer": "Cotton", "correct": False}]},
    {"type": "essay", "question": "Write about fairness.", "answers": []},
]
REPRESENTABLE = 14
CANNOT = {15: "question text is empty", 16: "shows an image from HTML", 17: "is not one of jupyterquiz's"}


# -- jupyterquiz's rules, restated ------------------------------------------------------------------------------------
def js_number(text: str) -> float:
    """JavaScript's Number(text) for what jupyterquiz's number box lets through."""
    text = text.strip()
    if text == "":
        return 0.0
    try:
        return float(text)
    except ValueError:
        return float("nan")


def js_to_precision(x: float, digits: int) -> float:
    """Number.prototype.toPrecision: the nearest number with ``digits`` significant digits, ties upward in size."""
    if x == 0 or x != x:
        return x
    exact = Fraction(abs(x))
    e = 0
    while exact >= 10 ** (e + 1):
        e += 1
    while exact < Fraction(10) ** e:
        e -= 1
    step = Fraction(10) ** (e - digits + 1)
    n = (exact / step + Fraction(1, 2)).__floor__()
    return float(n * step) * (1 if x > 0 else -1)


@lru_cache(maxsize=None)
def levenshtein(a: str, b: str) -> int:
    if not a or not b:
        return len(a) + len(b)
    return min(levenshtein(a[1:], b) + 1, levenshtein(a, b[1:]) + 1, levenshtein(a[1:], b[1:]) + (a[0] != b[0]))


def jupyterquiz_says(q: dict, response) -> bool:
    """Is ``response`` right, as jupyterquiz would mark it? Choices: the set of answer numbers picked."""
    if q["type"] in ("multiple_choice", "many_choice"):
        right = {i for i, a in enumerate(q["answers"]) if a.get("correct")}
        if len(right) <= 1:
            (picked,) = response
            return picked in right
        return set(response) == right  # every right one pressed, and no wrong one since
    if q["type"] == "numeric":
        typed = response
        if "/" in typed:
            top, bottom = typed.split("/", 1)
            value = js_number(top) / js_number(bottom) if js_number(bottom) else float("inf")
        else:
            value = js_number(typed)
        if q.get("precision") == 0:  # jupyterquiz before 2.8: decimal places, Math.round((x + EPSILON) * 1) / 1
            value = float(math.floor(value + 2.220446049250313e-16 + 0.5)) if value == value else value
        elif "precision" in q:
            value = js_to_precision(value, q["precision"])
        for a in q["answers"]:
            if "value" in a:
                target = js_number(str(a["value"])) if isinstance(a["value"], str) else float(a["value"])
                if "precision" in q and q["precision"]:
                    target = js_to_precision(target, q["precision"])
                if value == target:
                    return bool(a.get("correct"))
            elif "range" in a:
                if a["range"][0] <= value < a["range"][1]:
                    return bool(a.get("correct"))
        return False
    typed = response.strip()
    for a in q["answers"]:
        if a.get("type") == "default":
            continue
        mine, theirs = (typed, a["answer"]) if a.get("match_case") else (typed.lower(), a["answer"].lower())
        if mine == theirs:
            return bool(a.get("correct"))
        if a.get("fuzzy_threshold"):
            if 1 - levenshtein(mine, theirs) / max(len(mine), len(theirs)) >= a["fuzzy_threshold"]:
                return bool(a.get("correct"))
    return False


# -- responses to try --------------------------------------------------------------------------------------------------
def number_responses(q: dict) -> list[str]:
    tried = {"0", "1", "-1", "1/3", "22/7", "2/3", "100", "7.5e1", "9.5", "10.49", "10.5"}
    for a in q["answers"]:
        points = [float(a["value"])] if "value" in a else list(a.get("range", []))
        if "range" in a:
            low, high = a["range"]
            points += [(low + high) / 2, high - 1e-9, low - 1e-9]
        for p in points:
            tried |= {repr(p), repr(p + 0.001), repr(p - 0.001), f"{p:.2f}", f"{p:.4f}"}
            if float(p).is_integer():
                tried |= {f"{int(p) * 4}/4", f"{int(p)}"}
    return sorted(tried)


def text_responses(q: dict) -> list[str]:
    tried = {"x", "nothing like it", "reasons"}
    for a in q["answers"]:
        word = a.get("answer", "")
        if word:
            tried |= {word, word.upper(), word.lower(), word.title(), f" {word} ", word[1:], word[:-1],
                      word[1] + word[0] + word[2:], word + "s", word[:-2]}
    return sorted(t for t in tried if t.strip())


def ours(converted: dict) -> Question:
    return Question("fairness-culture", converted)


def our_response(converted: dict, source_q: dict, response):
    if converted["type"] == "single":
        (picked,) = response
        return converted["options"][picked]["key"]
    if converted["type"] == "multi":
        return sorted(converted["options"][i]["key"] for i in response)
    return response


def choice_responses(q: dict):
    n, right = len(q["answers"]), sum(bool(a.get("correct")) for a in q["answers"])
    if right <= 1:
        return [(i,) for i in range(n)]
    return [c for r in range(1, n + 1) for c in itertools.combinations(range(n), r)]


@pytest.fixture(scope="module")
def conversion():
    return convert(SOURCE, "fairness-culture", "Fairness")


def test_every_question_jupyterquiz_can_grade_is_kept_and_the_others_are_named(conversion):
    assert [number for number, *_ in conversion.kept] == list(range(1, REPRESENTABLE + 1))
    assert [t for *_, t in conversion.kept] == ["single", "multi", "single", "multi", "numeric", "numeric", "numeric",
                                               "text", "text", "poll", "numeric", "numeric", "numeric", "multi"]
    skipped = dict(conversion.skipped)
    assert set(skipped) == set(CANNOT)
    for number, reason in CANNOT.items():
        assert reason in skipped[number], skipped[number]


def test_the_converted_bank_loads_with_defaults_marked_for_review(tmp_path, conversion):
    from artisan_course.content.jupyterquiz import to_yaml
    path = tmp_path / "fairness-culture.yaml"
    path.write_text(to_yaml("fairness-culture", conversion.questions, "example.json"))
    questions = parse_bank(path, load_course_map().seed_map)
    assert len(questions) == REPRESENTABLE
    assert all("explanation" in q["review"] for q in questions)
    first = questions[0]
    assert first["prompt"] == "Which rule splits the profit evenly?"  # the <b> is gone, its words stay
    assert first["options"][2]["feedback"] and "options.c.feedback" in first["review"]
    assert (questions[2]["code"].startswith("orders = []")
            and questions[2]["options"][0]["text"] == "`orders.append(20)`")
    assert questions[5]["precision"] == 3
    assert questions[4]["answers"][2] == {"min": 10, "below": 15, "correct": False, "feedback": "A little low."}
    assert questions[4]["feedback"] == {"wrong": "Multiply 20 by three quarters."}
    assert questions[7]["answers"][0]["fuzzy"] == 0.75 and questions[7]["answers"][2]["match_case"] is True


def test_every_converted_question_grades_as_jupyterquiz_does(conversion):
    checked = 0
    for (number, _, _, _), converted in zip(conversion.kept, conversion.questions):
        source_q = SOURCE[number - 1]
        if converted["type"] == "poll":  # jupyterquiz marks every answer wrong; a poll is not graded
            continue
        if source_q["type"] == "numeric":
            responses = number_responses(source_q)
        elif source_q["type"] == "string":
            responses = text_responses(source_q)
        else:
            responses = choice_responses(source_q)
        for response in responses:
            expected = jupyterquiz_says(source_q, response)
            try:
                got = grade(ours(converted), our_response(converted, source_q, response)).correct
            except ResponseError:
                got = False
            assert got == expected, (number, response)
            checked += 1
    assert checked > 150


def test_the_sources_right_answers_are_right_and_its_wrong_answers_wrong(conversion):
    for (number, _, _, _), converted in zip(conversion.kept, conversion.questions):
        source_q, q = SOURCE[number - 1], ours(conversion.questions[number - 1])
        if q.type == "poll":
            continue
        if source_q["type"] == "numeric":
            for a in source_q["answers"]:
                if "value" in a:
                    typed = a["value"] if isinstance(a["value"], str) else repr(int(a["value"]) if isinstance(
                        a["value"], bool) else a["value"])
                    assert grade(q, typed).correct == a.get("correct", False), (number, a)
                elif "range" in a:
                    assert grade(q, repr(a["range"][0])).correct == a["correct"], (number, a)
        elif source_q["type"] == "string":
            for a in source_q["answers"]:
                if "answer" in a:
                    assert grade(q, a["answer"]).correct == a["correct"], (number, a)
        else:
            right = [i for i, a in enumerate(source_q["answers"]) if a["correct"]]
            if q.type == "multi":
                assert grade(q, our_response(converted, source_q, right)).correct
            for i, a in enumerate(source_q["answers"]):
                if not a["correct"]:
                    picked = our_response(converted, source_q, (i,)) if q.type == "single" else \
                        our_response(converted, source_q, right + [i])
                    assert not grade(q, picked).correct, (number, a)


def test_polls_whole_numbers_and_loose_values_are_kept_as_jupyterquiz_means_them(conversion):
    by_number = {number: (qid, q) for (number, qid, _, _), q in zip(conversion.kept, conversion.questions)}
    notes = {}
    for qid, note in conversion.notes:
        notes.setdefault(qid, []).append(note)

    qid, poll = by_number[10]
    assert poll["type"] == "poll" and poll["options"] == [{"key": "a", "text": "A"}, {"key": "b", "text": "B"}]
    assert any("kept as a poll" in n and "feedback on answers b is left out" in n for n in notes[qid])

    qid, whole = by_number[12]
    assert whole["decimals"] == 0 and "precision" not in whole
    assert any("precision 0 asks for a whole number" in n for n in notes[qid])
    assert grade(ours(whole), "10").correct and grade(ours(whole), "10.4").correct  # rounded to 10
    assert grade(ours(whole), "20").feedback == ["That counts each pair twice."]

    qid, loose = by_number[13]
    assert [a.get("value") for a in loose["answers"]] == [0.25, 0]
    assert any("written as text" in n for n in notes[qid]) and any("compares as 0" in n for n in notes[qid])
    assert grade(ours(loose), "0").feedback == ["Two baskets are not nothing."]


def test_every_way_jupyterquiz_writes_maths_becomes_the_courses_markup(conversion):
    by_number = {number: (qid, q) for (number, qid, _, _), q in zip(conversion.kept, conversion.questions)}
    qid, sets = by_number[14]
    assert sets["prompt"] == ("Sets $A$ and $B$ are events.\nThe space is $$S = \\{a, b, c\\}$$ "
                              "and $$A \\cap B = \\emptyset.$$ Which hold?")
    texts = [o["text"] for o in sets["options"]]
    assert texts[0] == "$P(A \\cup B) = P(A) + P(B)$" and texts[2].startswith("$F(x) =$ $$\\begin{cases}")
    feedback = [o["feedback"] for o in sets["options"]]
    assert feedback[0] == "Right: see the chapter (https://example.org/sets)."
    assert feedback[1] == "Costs \\$5 to think so."  # a lone $ is a dollar sign, not the start of maths
    notes = [note for q, note in conversion.notes if q == qid]
    assert any("has no closing $" in n for n in notes) and any("link" in n for n in notes)


def test_hidden_and_base64_questions_are_found_in_a_notebook(tmp_path):
    plain, hidden = SOURCE[:2], SOURCE[4:6]
    encoded = base64.b64encode(json.dumps(hidden).encode()).decode()
    notebook = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "Questions for you:\n",
            f'<span style="display:none" id="q1">{json.dumps(plain).replace(chr(34), "&quot;")}</span>\n']},
        {"cell_type": "markdown", "metadata": {}, "source": f'<div style="display:none" class="q2">{encoded}</div>'},
        {"cell_type": "code", "metadata": {}, "source": "display_quiz('#q1')", "outputs": [], "execution_count": None}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "hidden.ipynb"
    path.write_text(json.dumps(notebook))
    assert read_source(path) == plain + hidden
    (tmp_path / "encoded.txt").write_text(base64.b64encode(json.dumps(SOURCE).encode()).decode())
    assert read_source(tmp_path / "encoded.txt") == SOURCE


# -- the commands ----------------------------------------------------------------------------------------------------
def run(*args):
    result = subprocess.run([sys.executable, "-m", "artisan_course.cli", *args], capture_output=True, text=True,
                            env=dict(os.environ), timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_import_quiz_writes_a_bank_reports_what_it_left_out_and_never_overwrites(tmp_path):
    source = tmp_path / "jq.json"
    source.write_text(json.dumps(SOURCE))
    out = tmp_path / "fairness-culture.yaml"
    result = run("import-quiz", str(source), "--module", "fairness-culture", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Wrote {REPRESENTABLE} of {len(SOURCE)} questions to {out}" in result.stdout
    assert "The bank loads." in result.stdout
    for number in CANNOT:
        assert f"skipped  question {number}:" in result.stdout
    assert re.search(r"kept     question 10 \(multiple_choice\) as \S+ \(poll\)", result.stdout)
    assert re.search(r"note     \S+-10: no answer is marked correct, so it is kept as a poll", result.stdout)
    bank = yaml.safe_load(out.read_text())
    assert bank["questions"][0]["seed_section"] == "Fairness" and "seed_section" in bank["questions"][0]["review"]

    again = run("import-quiz", str(source), "--module", "fairness-culture", "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    wrong_seed = run("import-quiz", str(source), "--module", "fairness-culture", "--seed-section", "Pillar 9",
                     "--out", str(tmp_path / "x.yaml"))
    assert wrong_seed.returncode == 2 and "is not a row of the course map's seed_map" in wrong_seed.stderr


def test_check_quiz_prints_every_problem_as_file_id_problem(tmp_path):
    path = tmp_path / "fairness-culture.yaml"
    path.write_text("""module: fairness-culture
questions:
  - id: no-feedback
    type: text
    seed_section: Because
    prompt: Which word?
    answers: [{text: because}]
    explanation: The word.
  - id: gives-it-away
    type: text
    seed_section: Because
    prompt: The word because matters. Which word matters?
    answers: [{text: because, feedback: "It was in the question, which is the problem being tested here."}]
    feedback: {wrong: Read the study again and look for the word that introduces a reason.}
    explanation: The word.
  - id: imported
    type: numeric
    seed_section: Because
    prompt: How many?
    answers: [{value: 3, feedback: Three is right because the study counted three groups of people.}]
    feedback: {wrong: Count the groups of people the study compared once more.}
    explanation: Three groups.
    review: [explanation]
  - id: fairness-culture-three-rules
    type: truefalse
    seed_section: Because
    prompt: Equal shares are equality.
    answer: true
    feedback: {"true": "Right. Equal shares for everyone keep relationships smooth, as Deutsch found.", "false": "Not quite. Splitting the same amount to every member is exactly what the equality rule means."}
    explanation: Equality.
""")  # noqa: E501 (the bank file the test writes, kept as a learner's file would be)
    result = run("check-quiz", str(path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert all(re.fullmatch(rf"{re.escape(str(path))}:[\w*-]+:.+", line) for line in lines), lines
    problems = {(line.split(":")[1], line.split(":", 2)[2]) for line in lines}
    ids = {qid for qid, _ in problems}
    assert {"no-feedback", "gives-it-away", "imported"} <= ids
    assert any(qid == "no-feedback" and "feedback" in p for qid, p in problems)
    assert any(qid == "gives-it-away" and "written in the prompt" in p for qid, p in problems)
    assert any(qid == "imported" and "filled explanation with a default" in p for qid, p in problems)
    # Replacing the course's own bank: its other questions' ids are not clashes, since this file takes its place.
    assert not any("also used in" in p for _, p in problems)

    clean = run("check-quiz", str(REPO / "data" / "quizzes" / "fairness-culture.yaml"))
    assert clean.returncode == 0 and "No problems in" in clean.stdout


def test_check_before_a_workshop_names_questions_still_marked_for_review(tmp_path):
    import shutil
    root = tmp_path / "course"
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    bank = root / "data" / "quizzes" / "anchoring.yaml"
    text = bank.read_text(encoding="utf-8")
    marker = "  - id: anchoring-chart-pull\n"
    bank.write_text(text.replace(marker, marker.replace("\n", "") + "\n    review: [explanation]\n", 1),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "artisan_course.cli", "check", "--port", "0"], capture_output=True,
                            text=True, env=dict(os.environ, ARTISAN_COURSE_ROOT=str(root)), timeout=120)
    assert result.returncode == 1
    assert ("data/quizzes/anchoring.yaml: anchoring-chart-pull: import-quiz filled explanation with a default"
            in result.stdout)
