"""Free-text and richer numeric questions, images, code and maths: graded, validated at load, rendered safely."""
from pathlib import Path

import pytest

from artisan_course.content.course_map import load_course_map
from artisan_course.content.quiz_bank import Question, QuizBankError, load_all_banks, parse_bank
from artisan_course.models.grading import (ResponseError, correct_response, edit_distance, grade, parse_number,
                                         round_to_precision)
from artisan_course.content.quiz_markup import problems, to_html, to_plain

REPO = Path(__file__).resolve().parents[1]
BASE = {"seed_section": "Fairness", "prompt": "P?", "explanation": "E."}

TEXT = Question("m", {**BASE, "id": "t", "type": "text", "answers": [
    {"text": "Kham", "correct": False, "match_case": True, "feedback": "Kham is a name, not the word."},
    {"text": "because", "fuzzy": 0.7, "feedback": "Yes: because."},
    {"text": "Reason", "match_case": True},
    {"text": "please", "correct": False, "feedback": "Polite, but not it."},
], "feedback": {"correct": "Right, a reason.", "wrong": "Not that word."}})

NUMBERS = Question("m", {**BASE, "id": "n", "type": "numeric", "units": "USD", "answers": [
    {"value": 120, "correct": False, "feedback": "You gave the deduction only."},
    {"value": 780, "feedback": "Right: 780."},
    {"min": 700, "max": 800, "correct": False, "feedback": "Close, but count again."},
    {"value": 1000},
], "feedback": {"correct": "Right.", "low": "Too low.", "high": "Too high."}})

PRECISE = Question("m", {**BASE, "id": "p", "type": "numeric", "precision": 3, "answers": [
    {"value": 3.14159, "feedback": "Pi to three digits."},
    {"min": 3.0, "below": 3.1, "correct": False, "feedback": "Three and a bit is not enough."},
], "feedback": {"wrong": "Not quite."}})


@pytest.mark.parametrize("typed, right, feedback", [
    ("because", True, "Yes: because."),
    ("  BECAUSE ", True, "Yes: because."),        # case and spaces do not matter here
    ("becuase", True, "Yes: because."),            # two letters swapped: 1 - 2/7 = 0.71, above the 0.7 threshold
    ("becau", True, "Yes: because."),              # two letters short: 1 - 2/7 as well
    ("bec", False, "Not that word."),              # 1 - 4/7 = 0.43: too far
    ("Reason", True, "Right, a reason."),          # no feedback of its own: the question's
    ("reason", False, "Not that word."),           # match_case: exact case only
    ("Kham", False, "Kham is a name, not the word."),
    ("please", False, "Polite, but not it."),
    ("pleas", False, "Not that word."),            # a mistake is matched exactly unless it has a threshold
])
def test_free_text_checks_the_answers_in_order(typed, right, feedback):
    result = grade(TEXT, typed)
    assert (result.correct, result.score, result.feedback) == (right, 1.0 if right else 0.0, [feedback])


def test_free_text_needs_some_text_and_shows_a_right_answer():
    with pytest.raises(ResponseError, match="type an answer"):
        grade(TEXT, "   ")
    assert correct_response(TEXT) == "because" and grade(TEXT, correct_response(TEXT)).correct
    assert edit_distance("kitten", "sitting") == 3 and edit_distance("", "abc") == 3


@pytest.mark.parametrize("typed, right, feedback", [
    ("780", True, "Right: 780."),
    ("780 USD", True, "Right: 780."),
    ("120", False, "You gave the deduction only."),
    ("750", False, "Close, but count again."),
    ("1,000", True, "Right."),        # no feedback of its own: the question's
    ("50", False, "Too low."),        # below every right answer
    ("5,000", False, "Too high."),
    ("850", False, "Too high."),      # between two right answers: told from the nearer, 780
    ("950", False, "Too low."),       # ... and here from 1000
])
def test_numeric_answers_ranges_and_common_mistakes(typed, right, feedback):
    result = grade(NUMBERS, typed)
    assert (result.correct, result.feedback) == (right, [feedback])


def test_a_fraction_is_graded_as_its_value():
    share = Question("m", {**BASE, "id": "f", "type": "numeric", "answers": [{"value": 0.4, "tolerance": 0.005}],
                           "feedback": {"correct": "Two fifths.", "wrong": "No."}})
    assert grade(share, "2/5").correct and grade(share, "4/10").correct and grade(share, "0.404").correct
    assert not grade(share, "1/3").correct


def test_precision_rounds_the_typed_number_and_ranges_leave_out_their_top():
    assert grade(PRECISE, "3.14").correct and grade(PRECISE, "3.1416").correct
    assert grade(PRECISE, "22/7").correct              # 3.142857... is 3.14 to three digits
    assert grade(PRECISE, "3.05").feedback == ["Three and a bit is not enough."]
    assert grade(PRECISE, "3.1").feedback == ["Not quite."]  # below: 3.1 is not in [3.0, 3.1)
    assert round_to_precision(2.5, 1) == 3 and round_to_precision(-0.125, 2) == -0.13
    assert round_to_precision(1234.5, 2) == 1200


def test_numbers_are_read_as_a_learner_types_them():
    assert parse_number("1,000") == 1000 and parse_number("3/4") == 0.75 and parse_number("12 USD", "USD") == 12
    with pytest.raises(ResponseError, match="0 under the line"):
        parse_number("1/0")
    with pytest.raises(ResponseError, match="fraction such as 3/4"):
        parse_number("about ten")


def test_maths_and_code_render_as_escaped_html_and_plain_text():
    text = "Share: $\\frac{2}{5}$, area $\\pi r^2$, code `a<b`, cost \\$5 <script>"
    shown = to_html(text)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "<mfrac><mrow><mn>2</mn></mrow><mrow><mn>5</mn></mrow></mfrac>" in shown  # MathML, drawn by the browser
    assert "<msup><mi>r</mi><mn>2</mn></msup>" in shown and "<mi>π</mi>" in shown
    assert "<code class='course-code'>a&lt;b</code>" in shown and "cost $5" in shown
    assert to_plain(text) == "Share: 2/5, area πr², code a<b, cost $5 <script>"
    assert problems(text) == []
    assert "never closed" in problems("It costs $5.")[0]


@pytest.mark.parametrize("tex, named", [
    ("$\\foo x$", "uses \\foo, which the course cannot show"),          # a command the library does not know
    ("$\\frac{1}$", "a fraction that is not complete"),               # drawn with one part, so refused
    ("$x^$", "a ^ or _ has nothing after it"),
    ("$\\left( x$", "a \\left has no \\right"),
])
def test_maths_the_library_cannot_draw_is_named(tex, named):
    assert named in problems(f"Look: {tex}")[0]


def test_maths_html_keeps_only_what_a_browser_draws_and_escapes_every_text():
    shown = to_html("$\\text{if <b> & x}\\href{javascript:alert(1)}{y}\\color{red\\\" onload=\\\"x}{z}$")
    assert "<b>" not in shown and "&lt;b&gt;" in shown and "&amp;" in shown
    assert "javascript" not in shown and "href" not in shown and "onload" not in shown
    assert "<mi>y</mi>" in shown and "<mi>z</mi>" in shown  # the words stay, the link and the colour go


GOOD_TEXT = """module: fairness-culture
questions:
  - id: word
    type: text
    seed_section: Because
    prompt: Which word?
    answers:
      - {text: because, fuzzy: 0.8, feedback: Yes.}
    feedback: {wrong: No.}
    explanation: The word is because.
"""


@pytest.mark.parametrize("change, expected", [
    (lambda t: t.replace("feedback: {wrong: No.}", "feedback: {}"), "feedback is missing: give wrong"),
    (lambda t: t.replace("fuzzy: 0.8", "fuzzy: 1.5"), "1.5 is greater than the maximum of 1"),
    (lambda t: t.replace("{text: because, fuzzy: 0.8, feedback: Yes.}", "{text: because, correct: false}"),
     "no answer is marked right"),
    (lambda t: t.replace("{text: because, fuzzy: 0.8, feedback: Yes.}",
                         "{text: because, fuzzy: 0.8, feedback: Yes.}\n      - {text: please, correct: false}"),
     "is a common mistake: feedback is missing"),
    (lambda t: t.replace("prompt: Which word?", "prompt: 'Which $\\begin{x}$ word?'"),
     "cannot be shown: a \\begin{x} has no \\end{x}"),
    (lambda t: t.replace("    explanation:",
                         "    image: {file: quizzes/images/nope.png, alt: A chart of prices}\n    explanation:"),
     "image 'quizzes/images/nope.png' is not in the data folder"),
    (lambda t: t.replace("    explanation:",
                         "    image: {file: ../pyproject.toml, alt: A chart of prices}\n    explanation:"),
     "must be a file inside the data folder"),
    (lambda t: t.replace("    explanation:",
                         "    image: {file: quizzes/images/anchoring-first-offers.png, alt: chart}\n"
                                           "    explanation:"), "alt text must say what the picture shows"),
])
def test_a_broken_new_question_is_named_with_its_problem(tmp_path, change, expected):
    path = tmp_path / "fairness-culture.yaml"
    path.write_text(change(GOOD_TEXT))
    with pytest.raises(QuizBankError) as caught:
        parse_bank(path, load_course_map().seed_map)
    assert "question 'word'" in str(caught.value) and expected in str(caught.value)


@pytest.mark.parametrize("answers, expected", [
    ("[{value: 3, min: 1, max: 4}]", "give a value, or a range"),
    ("[{min: 5, max: 4}]", "the range is empty"),
    ("[{min: 1, max: 4, below: 5}]", "max (included) or below (not included)"),
    ("[{value: 3, correct: false}]", "common mistake: feedback is missing"),
    ("[{value: 3, correct: false, feedback: Too few.}]", "no answer is marked right"),
])
def test_a_broken_numeric_answer_list_is_named(tmp_path, answers, expected):
    path = tmp_path / "fairness-culture.yaml"
    path.write_text(GOOD_TEXT.replace("type: text", "type: numeric").replace(
        "      - {text: because, fuzzy: 0.8, feedback: Yes.}\n", "").replace("    answers:\n",
                                                                             f"    answers: {answers}\n"))
    with pytest.raises(QuizBankError, match="question 'word'") as caught:
        parse_bank(path, load_course_map().seed_map)
    assert expected in str(caught.value)


def test_the_course_uses_each_new_kind_of_question():
    questions = [q for qs in load_all_banks().values() for q in qs]
    assert any(q.type == "text" for q in questions)
    rich = [q for q in questions if q.type == "numeric" and q.get("answers")]
    assert any(a.get("correct") is False for q in rich for a in q["answers"])  # a common mistake with feedback
    assert any(q.get("image") for q in questions)
    assert any("$" in str(a.get("feedback", "")) for q in rich for a in q["answers"])  # maths in feedback
    for q in rich + [q for q in questions if q.type == "text"]:
        assert grade(q, correct_response(q)).correct, q.id


def test_an_image_question_shows_the_picture_inline_with_its_alt_text(tmp_path, monkeypatch):
    from artisan_course.state.session import SESSION
    from artisan_course.widgets.quiz import QuizView
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(REPO))
    SESSION.learner = None
    view = QuizView("anchoring", ids=["anchoring-chart-pull"]).views[0]
    head = view.widget.children[0].value
    assert "<img src='data:image/png;base64," in head and "alt='Bar chart, same scarf" in head
    assert view.number.placeholder.endswith("a fraction such as 3/4")


def test_the_maths_test_bank_uses_every_construct_in_prompts_options_and_feedback():
    """tests/maths_bank is the bank the maths browser tests draw: it must go on using what the maths issue names."""
    bank = parse_bank(REPO / "tests" / "maths_bank" / "contingency-why.yaml", load_course_map().seed_map)
    prompts = " ".join(q["prompt"] for q in bank)
    options = " ".join(o["text"] for q in bank for o in q.get("options", []))
    feedback = " ".join([o["feedback"] for q in bank for o in q.get("options", []) if "feedback" in o]
                        + [a["feedback"] for q in bank for a in q.get("answers", []) if isinstance(a, dict)])
    constructs = ["\\mid", "\\cap", "\\cup", "\\in", "\\overline", "\\mbox", "\\emptyset", "\\mskip", "\\{",
                  "\\frac", "\\sqrt", "^", "_", "\\alpha", "\\begin{cases}"]
    assert [c for c in constructs if c not in prompts + options + feedback] == []
    for where in (prompts, options, feedback):
        assert sum(c in where for c in constructs) >= 4, where
    assert all(problems(text) == [] for text in (prompts, options, feedback))
