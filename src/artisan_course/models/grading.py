"""Grading: pure functions from a question and a response to a score and feedback.

Scoring rules (shown to learners in the quiz footer):
- A question's score is the score of the learner's FIRST attempt. Retries
  are for learning; they do not change the score.
- A question whose answer was revealed with "Show answer" scores 0.
- Partial credit applies only to three types:
  - select all that apply: (right picks - wrong picks) / number of right options, never below 0;
  - categorise: the share of items put in the right category;
  - ordering: the share of items in the right position.
  Every other type scores 1 or 0.
- Polls have no right answer and are not scored.

Numbers and free text are checked against a question's answers in order, and the
first that matches decides, so a common mistake listed before a wide range is
caught first. A number may be typed with thousands commas, as a fraction (22/7)
or followed by its units; with a precision, it is first rounded to that many
significant digits, and with decimals to that many decimal places (0: a whole
number). Free text ignores case and extra spaces unless an answer asks for its
exact case; an answer with a fuzzy threshold also accepts a near spelling
whose similarity (1 - edit distance / length of the longer text) reaches it.
Quotation marks and a full stop around the answer do not count ('because'.),
nor do the spaces inside a Lao answer (Lao is written without spaces between
words, and some people put one between syllables), nor the two ways keyboards
type some Lao letters (text.comparable). An answer marked ``within`` is also
found as whole words inside a longer answer (ຄຳວ່າ ເພາະວ່າ, "the word
because"), split by the ``split`` function the course passes (it splits Lao
with a word dictionary).
"""
from __future__ import annotations

from ..i18n import N_
from ..text import CourseInputError, comparable

import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable


Question = Any  # a question from content.quiz_bank: grading reads only its fields, so any such object will do

SHOW_ANSWER_AFTER = 2  # wrong tries before "Show answer" is offered


@dataclass(frozen=True)
class Grade:
    score: float | None  # 0..1; None for polls
    correct: bool
    feedback: list[str] = field(default_factory=list)
    explanation: str = ""


class ResponseError(CourseInputError):
    """The response cannot be graded yet (nothing chosen, not a number...). The message is for the learner.

    ``template`` is the English message marked with N_() and ``values`` its placeholders, so a widget shows it in
    the kernel's language (``_(exc.template).format(**exc.values)``); ``str(exc)`` is the English."""

    def __init__(self, template: str, **values):
        super().__init__(template.format(**values) if values else template)
        self.template, self.values = template, values

    def shown(self, translate: Callable[[str], str]) -> str:
        """The message in the language ``translate`` speaks (the English when it has no translation)."""
        return translate(self.template).format(**self.values) if self.values else translate(self.template)


def _options(q: Question) -> dict[str, dict]:
    return {o["key"]: o for o in q.get("options") or q.get("items") or []}


def parse_number(text: Any, units: str = "") -> float:
    """A typed number: digits with optional thousands commas, a fraction such as 22/7, optionally followed by units."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    cleaned = " ".join(str(text or "").split()).replace(",", "").replace("$", "")
    for unit in sorted({units, units.rstrip("s")} - {""}, key=len, reverse=True):
        if cleaned.lower().endswith(unit.lower()):
            cleaned = cleaned[:-len(unit)].strip()
            break
    if not cleaned:
        raise ResponseError(N_("Please type a number first."))
    top, slash, bottom = cleaned.partition("/")
    try:
        value = float(top) / float(bottom) if slash else float(cleaned)
    except ZeroDivisionError:
        raise ResponseError(N_("A fraction cannot have 0 under the line. Please check the number.")) from None
    except ValueError:
        raise ResponseError(N_("'{text}' is not a number. Please type digits only, for example 1000, "
                               "or a fraction such as 3/4."), text=text) from None
    return value


def round_to_precision(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits, halves away from zero (as a calculator does)."""
    if value == 0 or value != value or value in (float("inf"), float("-inf")):
        return value
    exact = Decimal(value)
    step = Decimal(1).scaleb(exact.adjusted() - digits + 1)
    return float(exact.quantize(step, rounding=ROUND_HALF_UP))


def round_to_decimals(value: float, places: int) -> float:
    """``value`` rounded to ``places`` decimal places (0: a whole number), halves away from zero."""
    if value != value or value in (float("inf"), float("-inf")):
        return value
    return float(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def rounding(q: Question):
    """How a question rounds a number before checking it: to significant digits (precision), to decimal places
    (decimals), or not at all."""
    if q.get("precision"):
        return lambda x: round_to_precision(x, q["precision"])
    if q.get("decimals") is not None:
        return lambda x: round_to_decimals(x, q["decimals"])
    return None


def numeric_matches(answer: dict, value: float, rounded=None) -> bool:
    if "value" in answer:
        target = float(answer["value"])
        if rounded:
            target = rounded(target)
        return abs(value - target) <= float(answer.get("tolerance", 0)) + 1e-12 * max(1.0, abs(target))
    return (("min" not in answer or value >= answer["min"]) and ("max" not in answer or value <= answer["max"])
            and ("below" not in answer or value < answer["below"]))


def edit_distance(a: str, b: str) -> int:
    """How many single letters must be added, removed or changed to turn ``a`` into ``b`` (Levenshtein)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    return 1.0 if not longest else 1 - edit_distance(a, b) / longest


_AROUND = " \t\n'\"‘’“”«».,!?;:()[]"
_LAO = re.compile("[\u0e81-\u0edf]")


def _comparable(text: str, lao: bool) -> str:
    text = " ".join(comparable(text).split()).strip(_AROUND)
    return text.replace(" ", "") if lao else text


def text_matches(answer: dict, typed: str, split: Callable[[str], list] | None = None) -> bool:
    lao = bool(_LAO.search(str(answer["text"])))
    expected, found = _comparable(answer["text"], lao), _comparable(typed, lao)
    if not answer.get("match_case"):
        expected, found = expected.lower(), found.lower()
    if found == expected:
        return True
    if answer.get("fuzzy") and similarity(found, expected) >= answer["fuzzy"]:
        return True
    if answer.get("within"):
        from .communication import has_phrase
        split = split or (lambda text: comparable(text).lower().split())
        return has_phrase(split(typed), str(answer["text"]), split)
    return False


def _first_match(answers: list[dict], matches) -> dict | None:
    return next((a for a in answers if matches(a)), None)


def _grade_numeric_answers(q: Question, response: Any, explanation: str) -> Grade:
    value = parse_number(response, q.get("units") or "")
    rounded = rounding(q)
    if rounded:
        value = rounded(value)
    found = _first_match(q["answers"], lambda a: numeric_matches(a, value, rounded))
    feedback = q["feedback"]
    if found is not None:
        right = found.get("correct", True)
        return Grade(1.0 if right else 0.0, right, [found.get("feedback") or feedback["correct"]], explanation)
    if "wrong" in feedback:
        return Grade(0.0, False, [feedback["wrong"]], explanation)
    # Too low or too high: against the nearest right answer (a range counts from its nearer end).
    def gap(a: dict) -> float:
        if "value" in a:
            return value - float(a["value"])
        low, high = a.get("min", float("-inf")), a.get("max", a.get("below", float("inf")))
        return value - low if value < low else value - high
    nearest = min((a for a in q["answers"] if a.get("correct", True)), key=lambda a: abs(gap(a)))
    return Grade(0.0, False, [feedback["low" if gap(nearest) < 0 else "high"]], explanation)


def _grade_text(q: Question, response: Any, explanation: str, split=None) -> Grade:
    typed = " ".join(str(response or "").split())
    if not typed:
        raise ResponseError(N_("Please type an answer first."))
    found = _first_match(q["answers"], lambda a: text_matches(a, typed, split))
    if found is None:
        return Grade(0.0, False, [q["feedback"]["wrong"]], explanation)
    right = found.get("correct", True)
    return Grade(1.0 if right else 0.0, right,
                 [found.get("feedback") or q["feedback"]["correct" if right else "wrong"]],
                 explanation)


def grade(q: Question, response: Any, split: Callable[[str], list] | None = None) -> Grade:
    """``split`` splits a free-text answer into words, for answers marked ``within`` (the course passes its Lao-aware
    splitter; without it, words are what spaces separate)."""
    kind = q.type
    explanation = q["explanation"]
    if kind in ("single", "scenario"):
        if response not in _options(q):
            raise ResponseError(N_("Please choose an answer first."))
        right = response == q["answer"]
        return Grade(1.0 if right else 0.0, right, [_options(q)[response]["feedback"]], explanation)

    if kind == "poll":
        if response not in _options(q):
            raise ResponseError(N_("Please choose an answer first."))
        return Grade(None, True, ["Thank you. There is no right answer here."], explanation)

    if kind == "truefalse":
        if response not in (True, False):
            raise ResponseError(N_("Please choose True or False first."))
        right = response == q["answer"]
        return Grade(1.0 if right else 0.0, right, [q["feedback"]["true" if response else "false"]], explanation)

    if kind == "multi":
        chosen = set(response or [])
        if not chosen:
            raise ResponseError(N_("Please tick at least one answer first."))
        options, answers = _options(q), set(q["answers"])
        hits, wrong = len(chosen & answers), len(chosen - answers)
        score = max(0.0, (hits - wrong) / len(answers))
        feedback = [f"{options[k]['text']}: {options[k]['feedback']}" for k in options if k in chosen]
        feedback += [f"You did not tick \"{options[k]['text']}\". {options[k]['feedback']}" for k in options
                     if k in answers - chosen]
        return Grade(score, chosen == answers, feedback, explanation)

    if kind == "ordering":
        items = q["items"]
        order = list(response or [])
        if len(order) != len(items) or any(k is None for k in order):
            raise ResponseError(N_("Please put every step in a place first."))
        if len(set(order)) != len(order):
            raise ResponseError(N_("Each step can be used only once. Please change the repeated step."))
        right_order = [i["key"] for i in items]
        in_place = [a == b for a, b in zip(order, right_order)]
        options = _options(q)
        feedback = [f"{options[k]['text']} is not in the right place. {options[k]['feedback']}"
                    for k, ok in zip(order, in_place) if not ok]
        return Grade(sum(in_place) / len(items), all(in_place), feedback or ["Every step is in the right place."],
                     explanation)

    if kind == "categorise":
        chosen = dict(response or {})
        items = q["items"]
        if any(not chosen.get(i["key"]) for i in items):
            raise ResponseError(N_("Please choose a category for every item first."))
        right = [chosen[i["key"]] == i["category"] for i in items]
        shown = q.get("category_labels") or {}  # a category's name in the deck's language (it is saved in English)
        feedback = [f"\"{i['text']}\" is {shown.get(i['category'], i['category'])}. {i['feedback']}"
                    for i, ok in zip(items, right) if not ok]
        return Grade(sum(right) / len(items), all(right), feedback or ["Every item is in the right category."],
                     explanation)

    if kind == "text":
        return _grade_text(q, response, explanation, split)

    if kind == "numeric" and q.get("answers"):
        return _grade_numeric_answers(q, response, explanation)

    if kind == "numeric":
        value = parse_number(response, q.get("units") or "")
        answer, tolerance = float(q["answer"]), float(q["tolerance"])
        if abs(value - answer) <= tolerance:
            return Grade(1.0, True, [q["feedback"]["correct"]], explanation)
        side = "low" if value < answer else "high"
        return Grade(0.0, False, [q["feedback"][side]], explanation)

    raise ValueError(f"unknown question type {kind!r}")


def correct_response(q: Question) -> Any:
    """The right answer in the same shape as a response (for "Show answer")."""
    kind = q.type
    if kind in ("single", "scenario"):
        return q["answer"]
    if kind == "multi":
        return sorted(q["answers"])
    if kind == "truefalse":
        return q["answer"]
    if kind == "ordering":
        return [i["key"] for i in q["items"]]
    if kind == "categorise":
        return {i["key"]: i["category"] for i in q["items"]}
    if kind == "numeric" and q.get("answers"):
        first = next(a for a in q["answers"] if a.get("correct", True))
        if "value" in first:
            return first["value"]
        return first.get("min", first.get("max", first.get("below", 0) - 1))
    if kind == "numeric":
        return q["answer"]
    if kind == "text":
        return next(a["text"] for a in q["answers"] if a.get("correct", True))
    return None


def answer_may_be_shown(q: Question, attempts: list[dict]) -> bool:
    """True once "Show answer" is earned: a scored question, SHOW_ANSWER_AFTER wrong tries, none right yet."""
    wrong = sum(1 for a in attempts if not a.get("correct"))
    return q.type != "poll" and wrong >= SHOW_ANSWER_AFTER and not any(a.get("correct") for a in attempts)


def counts_as_right(value: dict | None) -> bool:
    """Whether a saved quiz row is a right answer: a shown answer ("Show answer") never is, whatever it holds."""
    value = value or {}
    return bool(value.get("correct")) and not value.get("revealed")


def question_score(attempts: list[dict]) -> float | None:
    """The score that counts, from a question's attempts in order: the first try, or 0 if the answer was shown."""
    if not attempts:
        return None
    if any(a.get("revealed") for a in attempts):
        return 0.0
    return attempts[0].get("score")


# In the slides everyone sees the options in the same order, so "B" means the same to all; the paper quizzes print
# that order too, so "who chose B?" counts a mixed room of phones and paper right.
ROOM_SEED = "room"


def display_order(q: Question, seed: str) -> list[str]:
    """The order options are shown in: shuffled with a stable seed, except where order carries meaning."""
    keys = [o["key"] for o in q.get("options") or q.get("items") or []]
    if q.type in ("poll", "truefalse", "numeric", "text") or q.get("scale"):
        return keys
    shuffled = keys[:]
    random.Random(f"{seed}:{q.id}").shuffle(shuffled)
    if q.type == "ordering" and shuffled == keys and len(keys) > 1:
        shuffled = keys[1:] + keys[:1]  # never show an ordering question already solved
    return shuffled
