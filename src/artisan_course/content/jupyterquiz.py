"""Importing jupyterquiz question banks: its JSON (plain, base64 or hidden in a notebook) turned into our YAML.

jupyterquiz keeps questions as a JSON list; each has a ``type``
(``multiple_choice``, ``many_choice``, ``numeric`` or ``string``), a ``question``
and a list of ``answers``. A teacher may also hide the list, as JSON or as
base64-encoded JSON, in an HTML element of a Markdown cell, so that learners do
not read the answers. :func:`read_source` finds the questions in all of these.

:func:`convert` keeps the grading of every question it can represent:

- a choice question with one right answer becomes ``single``, with several ``multi``
  (jupyterquiz decides by the number of right answers, not by the type's name);
- ``numeric`` keeps its values and ranges in order (a range [a, b) becomes
  ``min: a, below: b``), whether each is right, its feedback and its precision;
- ``string`` becomes ``text``, with its answers in order, their case rule and fuzzy threshold.

What jupyterquiz does not have (seed section, explanation, feedback it left out)
is filled with a default and listed under the question's ``review``, so the bank
loads at once and ``check-quiz`` reminds the author to rewrite it. Questions it
cannot represent are left out, each with the reason.
"""
from __future__ import annotations

import base64
import binascii
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .quiz_markup import problems as markup_problems

KEYS = "abcdefghijklmnopqrstuvwxyz"
DEFAULT_EXPLANATION = "Imported without an explanation. Say here why the right answer is right."
DEFAULT_RIGHT = "Right."
DEFAULT_WRONG = "Not quite. Try again."
DEFAULT_OPTION_WRONG = "This is not the right answer."
# Inline HTML that jupyterquiz shows and plain text can say: the tag goes, its words stay.
PLAIN_TAGS = {"b", "strong", "i", "em", "u", "span", "p", "div", "small", "big", "sup", "sub", "font", "center"}


class ImportProblem(ValueError):
    """Why one jupyterquiz question cannot be represented in the course's format."""


@dataclass
class Conversion:
    questions: list[dict] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)      # (number in the source, reason)
    kept: list[tuple[int, str, str, str]] = field(default_factory=list)  # (number, id, their type, our type)
    notes: list[tuple[str, str]] = field(default_factory=list)        # (id, what changed on the way)


# -- reading ------------------------------------------------------------------------------------------------------
def _decode(text: str) -> Any:
    """JSON, or base64-encoded JSON (as jupyterquiz reads a hidden element); None if it is neither."""
    text = html.unescape(text.strip())
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return json.loads(base64.b64decode("".join(text.split()), validate=True).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _as_questions(found: Any) -> list[dict] | None:
    if isinstance(found, dict) and "type" in found:
        found = [found]
    if isinstance(found, list) and found and all(isinstance(q, dict) and "type" in q for q in found):
        return found
    return None


_ELEMENT = re.compile(r"<(span|div|p|pre|code|script)\b[^>]*>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)


def read_source(path: Path) -> list[dict]:
    """Every jupyterquiz question in ``path``: a JSON file (plain or base64), or a notebook, Markdown or HTML file
    with the questions hidden in HTML elements."""
    text = Path(path).read_text(encoding="utf-8")
    direct = _as_questions(_decode(text))
    if direct is not None:
        return direct
    if isinstance(_decode(text), dict) and "cells" in _decode(text):  # a notebook: look in its cells
        text = "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")
                         for c in _decode(text)["cells"])
    questions: list[dict] = []
    for match in _ELEMENT.finditer(text):
        found = _as_questions(_decode(match.group(2)))
        if found:
            questions += found
    if not questions:
        raise ImportProblem(f"{path}: no jupyterquiz questions found (expected a JSON list of questions, "
                            "base64-encoded JSON, or a hidden HTML element holding either).")
    return questions


# -- text ---------------------------------------------------------------------------------------------------------
# Maths as jupyterquiz shows it: it turns $$...$$ and $...$ into MathJax's \\[...\\] and \\(...\\), and MathJax also
# reads those delimiters and a bare \\begin{...}...\\end{...} written in the text. A delimiter typed with two
# backslashes (JSON written by hand) counts too.
_MATHS = re.compile(r"`[^`]+`"                                          # inline code: left as it is
                    r"|(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$"              # $$ display $$
                    r"|\\\\?\[(?P<db>.+?)\\\\?\]"                      # \[ display \]
                    r"|\\\\?\((?P<ip>.+?)\\\\?\)"                      # \( inline \)
                    r"|(?<!\\)\$(?P<id>.+?)(?<!\\)\$"                    # $ inline $
                    r"|(?P<env>\\begin\{(?P<name>[A-Za-z]+\*?)\}.*?\\end\{(?P=name)\})",  # \begin{cases}...\end{cases}
                    re.DOTALL)


def _maths(text: str, where: str, notes: list[str]) -> str:
    """jupyterquiz's maths delimiters as the course's: $...$ in the line, $$...$$ on a line of its own."""
    out, last, lone = [], 0, False
    for match in _MATHS.finditer(text):
        plain = text[last:match.start()]
        out.append(re.sub(r"(?<!\\)\$", r"\\$", plain))
        lone = lone or plain != out[-1]
        last = match.end()
        if match.group(0).startswith("`"):
            out.append(match.group(0))
        elif match.group("ip") is not None or match.group("id") is not None:
            out.append("$" + (match.group("ip") if match.group("ip") is not None else match.group("id")).strip() + "$")
        else:
            block = next(match.group(g) for g in ("dd", "db", "env") if match.group(g) is not None)
            out.append("$$" + block.strip() + "$$")
    rest = re.sub(r"(?<!\\)\$", r"\\$", text[last:])
    lone = lone or rest != text[last:]
    out.append(rest)
    if lone:
        notes.append(f"a $ in the {where} has no closing $, so it is shown as a dollar sign; "
                     "if it starts maths, add the closing $")
    return "".join(out)


def _link(match: re.Match) -> str:
    """An HTML link as its words, then its address in brackets: the course works offline, so nothing is clicked."""
    address = re.search(r"""\b(?:href|url)\s*=\s*["']([^"']+)["']""", match.group(1), re.IGNORECASE)
    words = match.group(2).strip()
    return f"{words} ({address.group(1)})" if address and address.group(1) not in words else words


def _text(value: Any, where: str, notes: list[str]) -> str:
    """jupyterquiz's HTML and Markdown text as the course's plain text with `code` and $maths$."""
    text = str(value if value is not None else "")
    images = re.findall(r"<img\b[^>]*>", text, re.IGNORECASE)
    if images:
        raise ImportProblem(f"the {where} shows an image from HTML ({images[0][:60]}); add the picture under data/ "
                            "and give the question an image with alt text")
    text = re.sub(r"<br\s*/?>|</?p\b[^>]*>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<code\b[^>]*>(.*?)</code\s*>", lambda m: f"`{m.group(1)}`", text, flags=re.IGNORECASE | re.DOTALL)
    linked = re.sub(r"<a\b([^>]*)>(.*?)</a\s*>", _link, text, flags=re.IGNORECASE | re.DOTALL)
    if linked != text:
        notes.append(f"a link in the {where} is now plain text (the course works offline)")
        text = linked
    for tag in set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>", text)):
        if tag.lower() not in PLAIN_TAGS:
            raise ImportProblem(f"the {where} uses HTML <{tag}>, which the course does not show")
    stripped = re.sub(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^>]*>", "", text)
    if re.sub(r"</?p\b[^>]*>", "", text, flags=re.IGNORECASE) != stripped:
        notes.append(f"HTML formatting in the {where} was removed; its words are kept")
    text = html.unescape(stripped)
    linked = re.sub(r"\[(.*?)\]\((.*?)\)", r"\1 (\2)", text)
    linked = re.sub(r"<(https?://[^>]+)>", r"\1", linked)
    if linked != text:
        notes.append(f"a link in the {where} is now plain text (the course works offline)")
    text = _maths(linked, where, notes)
    trouble = markup_problems(text)
    if trouble:
        raise ImportProblem(f"the {where}: {trouble[0]}")
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _feedback(entry: dict, where: str, notes: list[str]) -> str | None:
    value = entry.get("feedback")
    return _text(value, where, notes) or None if value not in (None, "") else None


# -- one question ---------------------------------------------------------------------------------------------------
def _choice(q: dict, out: dict, review: list[str], notes: list[str]) -> None:
    answers = q.get("answers") or []
    if len(answers) < 2:
        raise ImportProblem("a choice question needs at least two answers")
    if len(answers) > len(KEYS):
        raise ImportProblem(f"it has {len(answers)} answers; the course shows at most {len(KEYS)}")
    options, right = [], []
    for key, a in zip(KEYS, answers):
        if "answer" in a:
            text = _text(a["answer"], f"answer {key}", notes)
        elif "code" in a:
            code = str(a["code"])
            if "`" in code:
                raise ImportProblem(f"answer {key} is code containing a backtick, which the course cannot show as code")
            text = f"`{code}`"
            if "\n" in code.strip():
                notes.append(f"the code in answer {key} has several lines; a choice shows it on one line")
        else:
            raise ImportProblem(f"answer {key} has neither answer text nor code")
        if not text.strip("` "):
            raise ImportProblem(f"answer {key} is empty")
        feedback = _feedback(a, f"feedback on answer {key}", notes)
        if feedback is None:
            feedback = DEFAULT_RIGHT if a.get("correct") else DEFAULT_OPTION_WRONG
            review.append(f"options.{key}.feedback")
        options.append({"key": key, "text": text, "feedback": feedback})
        if a.get("correct") is True:
            right.append(key)
    if "answer_cols" in q:
        notes.append("answer_cols (a layout setting) is not kept")
    if not right:
        # jupyterquiz marks every choice wrong; an opinion question is what the course calls a poll.
        out["type"], out["options"] = "poll", [{"key": o["key"], "text": o["text"]} for o in options]
        dropped = [o["key"] for o, a in zip(options, answers) if _feedback(a, "feedback", []) is not None]
        notes.append("no answer is marked correct, so it is kept as a poll (not scored, the room's answers shown "
                     "without names)" + (f"; the feedback on answers {', '.join(dropped)} is left out, since a poll "
                                         "has none" if dropped else "")
                     + "; if one answer is right, mark it and make it a single-choice question")
        review.append("type")
        review[:] = [r for r in review if not r.startswith("options.")]
        return
    out["options"] = options
    if len(right) == 1:
        out["type"], out["answer"] = "single", right[0]
    else:
        out["type"], out["answers"] = "multi", right


def _number(value: Any, where: str, notes: list[str] | None = None) -> float | int:
    if isinstance(value, bool) and notes is not None:
        # JavaScript's == compares false as 0 and true as 1, so jupyterquiz matches a typed 0 or 1.
        notes.append(f"{where} is {str(value).lower()}, which jupyterquiz compares as {int(value)}; "
                     f"it is kept as {int(value)}")
        return int(value)
    if isinstance(value, str) and notes is not None:
        notes.append(f"{where} is written as text ({value!r}); it is kept as a number")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ImportProblem(f"{where} is not a number ({value!r})") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ImportProblem(f"{where} is not a finite number")
    return int(value) if float(value).is_integer() and abs(value) < 2 ** 53 else value


def _numeric(q: dict, out: dict, review: list[str], notes: list[str]) -> None:
    answers, default = [], None
    for number, a in enumerate(q.get("answers") or [], 1):
        if "value" in a:
            entry = {"value": _number(a["value"], f"answer {number}'s value", notes)}
        elif "range" in a:
            bounds = a["range"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise ImportProblem(f"answer {number}'s range is not two numbers")
            low, high = _number(bounds[0], f"answer {number}'s range"), _number(bounds[1], f"answer {number}'s range")
            if high <= low:
                notes.append(f"answer {number}'s range [{low}, {high}) holds no number, so it is left out")
                continue
            entry = {"min": low, "below": high}
        elif a.get("type") == "default":
            default = _feedback(a, "default feedback", notes)
            continue
        else:
            notes.append(f"answer {number} has no value, range or default, so it is left out")
            continue
        entry["correct"] = a.get("correct") is True
        _keep_answer(a, entry, number, answers, review, notes)
    right = [a for a in answers if a["correct"]]
    if not right:
        raise ImportProblem("no value or range is marked correct, so every number is graded wrong")
    out["type"], out["answers"] = "numeric", answers
    if "precision" in q:
        precision = q["precision"]
        if precision == 0 and not isinstance(precision, bool):
            # jupyterquiz before 2.8 counted decimal places, and 0 asks for a whole number. (From 2.8 on it counts
            # significant digits, and 0 stops its check with an error.)
            out["decimals"] = 0
            notes.append("precision 0 asks for a whole number: the typed number is rounded to a whole number "
                         "(decimals: 0) before it is checked")
        elif not isinstance(precision, int) or isinstance(precision, bool) or not 1 <= precision <= 15:
            raise ImportProblem(f"precision {precision!r} is not a whole number of digits from 0 to 15")
        else:
            out["precision"] = precision
    out["feedback"] = _question_feedback(right, default, review)


def _keep_answer(a: dict, entry: dict, number: int, answers: list, review: list[str], notes: list[str]) -> None:
    """Add one converted answer with its feedback; a wrong answer without any gets the default, marked for review."""
    feedback = _feedback(a, f"feedback on answer {number}", notes)
    if feedback is not None:
        entry["feedback"] = feedback
    elif not entry["correct"]:
        entry["feedback"] = DEFAULT_WRONG
        review.append(f"answers.{len(answers) + 1}.feedback")
    answers.append(entry)


def _string(q: dict, out: dict, review: list[str], notes: list[str]) -> None:
    answers, default = [], None
    for number, a in enumerate(q.get("answers") or [], 1):
        if a.get("type") == "default":
            default = _feedback(a, "default feedback", notes)
            continue
        text = str(a.get("answer", ""))
        if not text.strip():
            notes.append(f"answer {number} is empty, so it is left out")
            continue
        entry: dict = {"text": text.strip(), "correct": a.get("correct") is True}
        if a.get("match_case"):
            entry["match_case"] = True
        threshold = a.get("fuzzy_threshold")
        if threshold:
            threshold = _number(threshold, f"answer {number}'s fuzzy_threshold")
            if threshold > 1:
                notes.append(f"answer {number}'s fuzzy_threshold {threshold} can never be reached, so it is left out")
            elif threshold > 0:
                entry["fuzzy"] = threshold
        _keep_answer(a, entry, number, answers, review, notes)
    right = [a for a in answers if a["correct"]]
    if not right:
        raise ImportProblem("no answer is marked correct, so every text is graded wrong")
    out["type"], out["answers"] = "text", answers
    out["feedback"] = _question_feedback(right, default, review)
    if "input_width" in q:
        notes.append("input_width (a layout setting) is not kept")


def _question_feedback(right: list[dict], default: str | None, review: list[str]) -> dict:
    """wrong: jupyterquiz's default feedback; correct only for right answers that have none of their own."""
    feedback = {}
    if any("feedback" not in a for a in right):
        feedback["correct"] = DEFAULT_RIGHT
        review.append("feedback.correct")
    feedback["wrong"] = default or DEFAULT_WRONG
    if not default:
        review.append("feedback.wrong")
    return feedback


CONVERTERS = {"multiple_choice": _choice, "many_choice": _choice, "numeric": _numeric, "string": _string}


def convert_question(q: dict, qid: str, seed_section: str, seed_is_default: bool) -> tuple[dict, list[str]]:
    """One jupyterquiz question as ours, and notes on what changed. Raises ImportProblem when it cannot be
    represented."""
    kind = q.get("type")
    if kind not in CONVERTERS:
        raise ImportProblem(f"its type {kind!r} is not one of jupyterquiz's ({', '.join(CONVERTERS)})")
    notes: list[str] = []
    prompt = _text(q.get("question", ""), "question", notes)
    if not prompt:
        raise ImportProblem("its question text is empty (jupyterquiz then shows only the answers, under a prompt "
                            "written in the notebook); the course needs the prompt in the question")
    out: dict = {"id": qid, "type": None, "seed_section": seed_section, "prompt": prompt}
    if q.get("code"):
        out["code"] = str(q["code"]).rstrip("\n")
    review: list[str] = ["seed_section"] if seed_is_default else []
    CONVERTERS[kind](q, out, review, notes)
    out["explanation"] = DEFAULT_EXPLANATION
    review.append("explanation")
    out["source"] = "Imported from a jupyterquiz bank"
    out["review"] = review
    order = ["id", "type", "seed_section", "prompt", "code", "options", "answer", "answers", "precision", "decimals",
             "feedback", "explanation", "source", "review"]
    return {k: out[k] for k in order if k in out}, notes


def convert(source: list[dict], module: str, seed_section: str, prefix: str | None = None,
            seed_is_default: bool = False) -> Conversion:
    result = Conversion()
    prefix = prefix or f"{module}-imported"
    for number, q in enumerate(source, 1):
        qid = f"{prefix}-{number:02d}"
        try:
            converted, notes = convert_question(q, qid, seed_section, seed_is_default)
        except ImportProblem as problem:
            result.skipped.append((number, str(problem)))
            continue
        result.questions.append(converted)
        result.kept.append((number, qid, str(q.get("type")), converted["type"]))
        result.notes += [(qid, note) for note in notes]
    return result


def to_yaml(module: str, questions: list[dict], source_name: str) -> str:
    header = (f"# Imported from {source_name} by `artisan-course import-quiz`.\n"
              "# Each question's `review` lists the fields filled with a default: rewrite them, then delete the line.\n"
              "# Check the bank with `artisan-course check-quiz` after each edit.\n")
    body = yaml.safe_dump({"module": module, "questions": questions}, sort_keys=False, allow_unicode=True, width=110)
    return header + body
