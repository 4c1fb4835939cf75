"""Question banks: ``data/quizzes/<module id>.yaml``, one file per module of the course map.

Each file is validated on load against :data:`SCHEMA` with jsonschema, then
checked for what a schema cannot say (duplicate ids, answers that are not
among the options, missing feedback). Every error names the file, the
question id and the problem, so a non-programmer can fix it.

Question types and their fields (all also have id, type, seed_section,
prompt, explanation and an optional source):

- single, scenario: options [{key, text, feedback}], answer: key
  (scenario also has a situation)
- multi (select all that apply): options [...], answers: [key, ...]
- truefalse: answer: true|false, feedback: {true: ..., false: ...}
- ordering: items [{key, text, feedback}] written in the correct order
- categorise: categories [names], items [{key, text, category, feedback}]
- numeric: answer, tolerance, units, feedback: {correct, low, high}; or, for several accepted values,
  ranges and common mistakes, answers [{value, tolerance} or {min, max or below}, correct, feedback],
  checked in order (the first that matches decides), with precision (significant digits the typed
  number is rounded to) or decimals (decimal places; 0 for a whole number), optional units and
  feedback: {wrong, or low and high; correct for right answers without feedback of their own}
- text (free text): answers [{text, correct, feedback, match_case, fuzzy, within}] checked in order, where
  fuzzy (0-1] also accepts near spellings, within: true also finds the answer as whole words inside a longer
  one (Lao split with a word dictionary), and feedback: {wrong; correct as for numeric}
- poll: options [{key, text}], no right answer; scale: true keeps the order

Any question may also have an image {file, alt} (a file under data/), a code block (code) and
TeX maths between $ signs in its texts (see content.quiz_markup); review lists the fields
import-quiz filled with a default, for an author to rewrite.
"""
from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import paths
from .quiz_markup import problems as markup_problems
from .course_map import load_course_map
from .reader import ContentError, jsonschema_module, read_yaml

TYPES = ("single", "multi", "truefalse", "ordering", "categorise", "numeric", "scenario", "poll", "text")

_text = {"type": "string", "minLength": 1}
_key = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_option = {"type": "object", "required": ["key", "text", "feedback"], "additionalProperties": False,
           "properties": {"key": _key, "text": _text, "feedback": _text}}
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
IMAGE_MAX_BYTES = 1_000_000  # a photo for a phone: larger files slow every learner's page in a room on one wifi
_common = {"id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}, "type": {"enum": list(TYPES)},
           "seed_section": _text, "prompt": _text, "explanation": _text, "source": _text,
           "image": {"type": "object", "required": ["file", "alt"], "additionalProperties": False,
                     "properties": {"file": _text, "alt": _text}},
           "code": _text,
           "review": {"type": "array", "items": _text}}
_number = {"type": "number"}
_numeric_answer = {"type": "object", "additionalProperties": False, "minProperties": 1,
                   "properties": {"value": _number, "tolerance": {"type": "number", "minimum": 0},
                                  "min": _number, "max": _number, "below": _number,
                                  "correct": {"type": "boolean"}, "feedback": _text}}
_text_answer = {"type": "object", "required": ["text"], "additionalProperties": False,
                "properties": {"text": _text, "correct": {"type": "boolean"}, "feedback": _text,
                               "match_case": {"type": "boolean"}, "within": {"type": "boolean"},
                               "fuzzy": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}}}
_side_feedback = {"type": "object", "additionalProperties": False,
                  "properties": {"correct": _text, "low": _text, "high": _text, "wrong": _text}}


def _question(required: list[str], **extra) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": ["id", "type", "seed_section", "prompt", "explanation", *required],
            "properties": {**_common, **extra}}


SCHEMA = {
    "type": "object",
    "required": ["module", "questions"],
    "additionalProperties": False,
    "properties": {
        "module": _key,
        "questions": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["type"],
            "properties": {"type": {"enum": list(TYPES)}},
            "allOf": [
                {"if": {"properties": {"type": {"const": t}}}, "then": schema}
                for t, schema in {
                    "single": _question(["options", "answer"],
                                        options={"type": "array", "minItems": 2, "items": _option}, answer=_key),
                    "scenario": _question(["situation", "options", "answer"], situation=_text,
                                          options={"type": "array", "minItems": 2, "items": _option}, answer=_key),
                    "multi": _question(["options", "answers"],
                                       options={"type": "array", "minItems": 2, "items": _option},
                                       answers={"type": "array", "minItems": 1, "items": _key, "uniqueItems": True}),
                    "truefalse": _question(["answer", "feedback"], answer={"type": "boolean"},
                                           feedback={"type": "object", "required": ["true", "false"],
                                                     "additionalProperties": False,
                                                     "properties": {"true": _text, "false": _text}}),
                    "ordering": _question(["items"], items={"type": "array", "minItems": 3, "items": _option}),
                    "categorise": _question(["categories", "items"],
                                            categories={"type": "array", "minItems": 2, "uniqueItems": True,
                                                        "items": _text},
                                            items={"type": "array", "minItems": 2, "items": {
                                                "type": "object", "required": ["key", "text", "category", "feedback"],
                                                "additionalProperties": False,
                                                "properties": {"key": _key, "text": _text, "category": _text,
                                                               "feedback": _text}}}),
                    # Two forms (one answer and a tolerance, or a list of answers); _check_numeric tells them apart.
                    "numeric": _question(["feedback"], answer={"type": "number"},
                                         tolerance={"type": "number", "minimum": 0}, units=_text,
                                         answers={"type": "array", "minItems": 1, "items": _numeric_answer},
                                         precision={"type": "integer", "minimum": 1, "maximum": 15},
                                         decimals={"type": "integer", "minimum": 0, "maximum": 15},
                                         feedback=_side_feedback),
                    "text": _question(["answers", "feedback"],
                                      answers={"type": "array", "minItems": 1, "items": _text_answer},
                                      feedback=_side_feedback),
                    "poll": _question(["options"], options={"type": "array", "minItems": 2, "items": {
                        "type": "object", "required": ["key", "text"], "additionalProperties": False,
                        "properties": {"key": _key, "text": _text}}}, scale={"type": "boolean"}),
                }.items()
            ],
        }},
    },
}


class QuizBankError(ContentError):
    """A problem in a question bank, naming the file, the question and what is wrong."""


@dataclass(frozen=True)
class Question:
    module: str
    data: dict

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def type(self) -> str:
        return self.data["type"]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def option_keys(self) -> list[str]:
        return [o["key"] for o in self.data.get("options", self.data.get("items", []))]


def _problem(path: Path, qid: str | None, message: str) -> QuizBankError:
    where = f", question '{qid}'" if qid else ""
    return QuizBankError(f"{path}{where}: {message}")


def _check_semantics(path: Path, q: dict, seed_map: tuple[str, ...]) -> None:
    qid, kind = q["id"], q["type"]
    if seed_map and q["seed_section"] not in seed_map:
        raise _problem(path, qid, f"seed_section '{q['seed_section']}' is not a row of the course map's seed_map.")
    for where, text in _texts(q):
        for trouble in markup_problems(text):
            raise _problem(path, qid, f"{where}: {trouble}.")
    if "image" in q:
        _check_image(path, q)
    if kind == "numeric":
        _check_numeric(path, q)
    if kind == "text":
        _check_text(path, q)
    entries = q.get("options") or q.get("items") or []
    keys = [e["key"] for e in entries]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise _problem(path, qid, f"option key '{duplicates[0]}' is used twice.")
    if kind in ("single", "scenario") and q["answer"] not in keys:
        raise _problem(path, qid, f"the answer '{q['answer']}' is not among the options ({', '.join(keys)}).")
    if kind == "multi":
        missing = [a for a in q["answers"] if a not in keys]
        if missing:
            raise _problem(path, qid, f"the answer '{missing[0]}' is not among the options ({', '.join(keys)}).")
    if kind == "categorise":
        wrong = [i for i in q["items"] if i["category"] not in q["categories"]]
        if wrong:
            raise _problem(path, qid, f"item '{wrong[0]['key']}' has category '{wrong[0]['category']}', "
                                      f"which is not among the categories ({', '.join(q['categories'])}).")


def _check_numeric(path: Path, q: dict) -> None:
    qid, feedback = q["id"], q["feedback"]
    if "answers" in q:
        if "answer" in q or "tolerance" in q:
            raise _problem(path, qid, "give either answer and tolerance, or a list of answers, not both.")
        if "precision" in q and "decimals" in q:
            raise _problem(path, qid, "give precision (significant digits) or decimals (decimal places), not both.")
        for number, a in enumerate(q["answers"], 1):
            bounds = [b for b in ("min", "max", "below") if b in a]
            if ("value" in a) == bool(bounds):
                raise _problem(path, qid, f"answer {number}: give a value, or a range (min, and max or below).")
            if "max" in a and "below" in a:
                raise _problem(path, qid, f"answer {number}: give max (included) or below (not included), not both.")
            if "tolerance" in a and "value" not in a:
                raise _problem(path, qid, f"answer {number}: a tolerance goes with a value, not with a range.")
            top = a.get("max", a.get("below"))
            if "min" in a and top is not None and (top < a["min"] or (top == a["min"] and "below" in a)):
                raise _problem(path, qid, f"answer {number}: the range is empty ({a['min']} to {top}).")
            if a.get("correct", True) is False and "feedback" not in a:
                raise _problem(path, qid,
                               f"answer {number} is a common mistake: feedback is missing (say what went wrong).")
        if not any(a.get("correct", True) for a in q["answers"]):
            raise _problem(path, qid, "no answer is marked right; a numeric question needs at least one.")
        if not ("wrong" in feedback or {"low", "high"} <= set(feedback)):
            raise _problem(path, qid, "feedback is missing: give wrong (or both low and high), for a number that "
                                      "matches no answer.")
        _check_right_feedback(path, q)
    else:
        missing = [f for f in ("answer", "tolerance", "units") if f not in q]
        if missing:
            raise _problem(path, qid, f"'{missing[0]}' is missing: give answer, tolerance and units, "
                                      "or a list of answers.")
        absent = [side for side in ("correct", "low", "high") if side not in feedback]
        if absent:
            raise _problem(path, qid, f"feedback is missing: '{absent[0]}' is a required property")
        for rounding in ("precision", "decimals"):
            if rounding in q:
                raise _problem(path, qid, f"{rounding} goes with a list of answers; with one answer, use tolerance.")


def _check_text(path: Path, q: dict) -> None:
    qid, feedback = q["id"], q["feedback"]
    if not any(a.get("correct", True) for a in q["answers"]):
        raise _problem(path, qid, "no answer is marked right; a text question needs at least one.")
    for number, a in enumerate(q["answers"], 1):
        if a.get("correct", True) is False and "feedback" not in a:
            raise _problem(path, qid, f"answer {number} ('{a['text']}') is a common mistake: feedback is missing.")
    if "wrong" not in feedback:
        raise _problem(path, qid, "feedback is missing: give wrong, for an answer that matches none of the answers.")
    _check_right_feedback(path, q)


def _check_right_feedback(path: Path, q: dict) -> None:
    if "correct" not in q["feedback"] and any(a.get("correct", True) and "feedback" not in a for a in q["answers"]):
        raise _problem(path, q["id"], "feedback is missing: a right answer has no feedback of its own, so give "
                                      "feedback: correct.")


def _texts(q: dict):
    """(where, text) for every text a learner reads, to check its markup."""
    for field in ("prompt", "situation", "explanation"):
        if q.get(field):
            yield field, q[field]
    for side, text in (q.get("feedback") or {}).items():
        yield f"feedback.{side}", text
    for kind in ("options", "items", "answers"):
        for number, entry in enumerate(q.get(kind) or [], 1):
            if isinstance(entry, dict):
                for field in ("text", "feedback"):
                    if entry.get(field) and not (kind == "answers" and field == "text"):
                        yield f"{kind} {number} {field}", entry[field]


def image_path(q: dict) -> Path:
    return paths.data_dir() / q["image"]["file"]


def image_data_uri(q: dict) -> str:
    """The question's picture as a data: address, so a page shows it offline, wherever the page is opened."""
    file = image_path(q)
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def _check_image(path: Path, q: dict) -> None:
    image = q["image"]
    data = paths.data_dir().resolve()
    file = image_path(q).resolve()
    if not file.is_relative_to(data):
        raise _problem(path, q["id"], f"image '{image['file']}' must be a file inside the data folder.")
    if file.suffix.lower() not in IMAGE_TYPES:
        raise _problem(path, q["id"], f"image '{image['file']}' must be one of {', '.join(IMAGE_TYPES)}.")
    if not file.is_file():
        raise _problem(path, q["id"], f"image '{image['file']}' is not in the data folder ({data}).")
    if file.stat().st_size > IMAGE_MAX_BYTES:
        raise _problem(path, q["id"], f"image '{image['file']}' is {file.stat().st_size // 1000} kB; "
                                      f"keep it under {IMAGE_MAX_BYTES // 1000} kB so phones load it quickly.")
    alt = " ".join(image["alt"].split())
    if len(alt) < 10 or alt.lower() in (file.name.lower(), file.stem.lower()):
        raise _problem(path, q["id"], "the image's alt text must say what the picture shows, for a learner "
                                      "who cannot see it.")


def _schema_message(error, raw: dict, path: Path) -> QuizBankError:
    where = list(error.absolute_path)
    qid = None
    if len(where) >= 2 and where[0] == "questions" and isinstance(where[1], int):
        item = raw["questions"][where[1]]
        qid = item.get("id", f"number {where[1] + 1}") if isinstance(item, dict) else f"number {where[1] + 1}"
    message = error.message
    if error.validator == "required" and "feedback" in message:
        message = "feedback is missing: " + message
    if error.validator == "enum" and where[-1:] == ["type"]:
        message = f"unknown question type {error.instance!r}; use one of {', '.join(TYPES)}."
    field_path = ".".join(str(p) for p in where[2:])
    return _problem(path, qid, f"{field_path + ': ' if field_path else ''}{message}")


def _best_error(errors: list, raw: dict):
    # jsonschema reports an if/then failure at the question; prefer the deepest, most specific error.
    def depth(e):
        leaf = e
        while leaf.context:
            leaf = max(leaf.context, key=lambda c: len(list(c.absolute_path)))
        return leaf
    leaves = [depth(e) for e in errors]
    return max(leaves, key=lambda e: (len(list(e.absolute_path)), e.validator == "required"))


def parse_bank(path: Path, seed_map: tuple[str, ...] = (), lang: str = "en") -> list[Question]:
    """The questions of a bank, checked, with their texts in ``lang`` where its catalog has them (i18n.content)."""
    raw = read_yaml(path, QuizBankError, "question bank")
    if not isinstance(raw, dict):
        raise QuizBankError(f"{path}: expected 'module' and a list of 'questions'.")
    # Unknown types first, with a message that lists the known ones.
    for number, q in enumerate(raw.get("questions") or []):
        if isinstance(q, dict) and q.get("type") not in TYPES:
            raise _problem(path, q.get("id", f"number {number + 1}"),
                           f"unknown question type {q.get('type')!r}; use one of {', '.join(TYPES)}.")
    errors = list(jsonschema_module().Draft202012Validator(SCHEMA).iter_errors(raw))
    if errors:
        raise _schema_message(_best_error(errors, raw), raw, path)
    if raw["module"] != path.stem:
        raise QuizBankError(f"{path}: 'module' is '{raw['module']}', but the file is named for '{path.stem}'.")
    if lang != "en":
        from ..i18n.content import translate_data
        raw = translate_data(f"quizzes.{path.stem}", raw, lang)
    seen: set[str] = set()
    questions = []
    for q in raw["questions"]:
        if q["id"] in seen:
            raise _problem(path, q["id"], "this id is used twice.")
        seen.add(q["id"])
        _check_semantics(path, q, seed_map)
        questions.append(Question(raw["module"], learner_texts_with_kip(q)))
    return questions


def learner_texts_with_kip(q: dict) -> dict:
    """A copy of ``q`` whose texts a learner reads (those ``_texts`` lists) show kip beside each amount in USD.

    Only those: an option's key, a text answer to type or the units stay as written."""
    from .currency import kip_setting
    from ..text import with_kip
    local = kip_setting()
    if local is None:
        return q
    q = copy.deepcopy(q)
    for field in ("prompt", "situation", "explanation"):
        if q.get(field):
            q[field] = with_kip(q[field], local)
    if isinstance(q.get("feedback"), dict):
        q["feedback"] = {side: with_kip(text, local) for side, text in q["feedback"].items()}
    for kind in ("options", "items", "answers"):
        for entry in q.get(kind) or []:
            if isinstance(entry, dict):
                for field in ("text", "feedback"):
                    if entry.get(field) and not (kind == "answers" and field == "text"):
                        entry[field] = with_kip(entry[field], local)
    return q


def quiz_dir() -> Path:
    return paths.data_dir() / "quizzes"


@lru_cache(maxsize=32)
def _load(path: str, mtime: float, seed_map: tuple[str, ...], kip_mtime: float, lang: str = "en",
          catalog_mtime: float = 0.0) -> tuple[Question, ...]:
    return tuple(parse_bank(Path(path), seed_map, lang))


def load_bank(module_id: str) -> list[Question]:
    """A module's questions, in the language this process speaks (English where the translation has no entry)."""
    from .currency import setting_mtime
    from ..i18n import language
    from ..i18n.content import catalog_mtime
    path = quiz_dir() / f"{module_id}.yaml"
    if not path.is_file():
        raise QuizBankError(f"{path}: there is no question bank for module '{module_id}'.")
    lang = language()
    return list(_load(str(path), path.stat().st_mtime, load_course_map().seed_map, setting_mtime(), lang,
                      catalog_mtime(f"quizzes.{module_id}", lang)))


def load_all_banks() -> dict[str, list[Question]]:
    """Every bank, keyed by module id. Raises on the first malformed bank; ids must be unique across banks."""
    banks: dict[str, list[Question]] = {}
    seen: dict[str, str] = {}
    for path in sorted(quiz_dir().glob("*.yaml")):
        questions = load_bank(path.stem)
        for q in questions:
            if q.id in seen:
                raise _problem(path, q.id, f"this id is also used in {seen[q.id]}.yaml.")
            seen[q.id] = path.stem
        banks[path.stem] = questions
    return banks


def _question_errors(raw: dict, path: Path) -> list[tuple[str, str]]:
    """(question id, problem) for every question that breaks the schema: one, the most specific, per question."""
    by_question: dict[Any, list] = {}
    for error in jsonschema_module().Draft202012Validator(SCHEMA).iter_errors(raw):
        where = list(error.absolute_path)
        at = where[1] if len(where) >= 2 and where[0] == "questions" else None
        by_question.setdefault(at, []).append(error)
    found = []
    for at, errors in by_question.items():
        message = str(_schema_message(_best_error(errors, raw), raw, path))
        qid = "*"
        if isinstance(at, int):
            item = raw["questions"][at]
            qid = item.get("id", f"number {at + 1}") if isinstance(item, dict) else f"number {at + 1}"
        found.append((str(qid), message.split(": ", 1)[1] if message.startswith(str(path)) else message))
    return found


def check_bank_file(path: Path) -> list[tuple[str, str, str]]:
    """Every problem in one bank file, as (file, question id, problem): what the loader would refuse, the
    guessability cues (judged with the rest of the course's banks), and fields import-quiz left for review.
    A problem about the whole bank has the id "*"."""
    from .quiz_cues import COURSE, check_banks  # the cues module is pure and imports nothing back

    path = Path(path)
    shown = str(path)
    try:
        raw = read_yaml(path, QuizBankError, "question bank")
    except QuizBankError as error:
        return [(shown, "*", str(error).split(": ", 1)[-1])]
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        return [(shown, "*", "expected 'module' and a list of 'questions'.")]
    problems = [(shown, qid, problem) for qid, problem in _question_errors(raw, path)]
    broken = {qid for _, qid, _ in problems}
    module = raw.get("module")
    if isinstance(module, str) and module != path.stem:
        problems.append((shown, "*", f"'module' is '{module}', so the bank must be saved as data/quizzes/{module}.yaml "
                                     f"to be used (this file is named for '{path.stem}')."))
    try:
        course = load_course_map()
        seed_map = course.seed_map
        known_modules = {m.id for m in course.modules}
    except ContentError:
        seed_map, known_modules = (), set()
    if module not in known_modules and isinstance(module, str):
        problems.append((shown, "*", f"module '{module}' is not in the course map (data/course_map.yaml); "
                                     "add it there, or import into an existing module's bank."))
    good, seen = [], {}
    for number, q in enumerate(raw["questions"]):
        if not isinstance(q, dict):
            continue
        qid = str(q.get("id", f"number {number + 1}"))
        if qid in broken:
            continue
        if qid in seen:
            problems.append((shown, qid, "this id is used twice."))
            continue
        seen[qid] = q
        try:
            _check_semantics(path, q, seed_map)
        except QuizBankError as error:
            problems.append((shown, qid, str(error).split(f"question '{qid}': ", 1)[-1]))
            continue
        good.append(learner_texts_with_kip(q))  # the cues are judged on what a learner reads
        if q.get("review"):
            problems.append((shown, qid, f"import-quiz filled {', '.join(q['review'])} with a default; "
                                         "rewrite it, then remove it from review."))
    # Ids must be unique across the course, and the cues are judged with the course's other banks.
    others: dict[str, list[dict]] = {}
    for other in sorted(quiz_dir().glob("*.yaml")):
        if other.resolve() == path.resolve() or other.stem == module:
            continue
        try:
            others[other.name] = [q.data for q in parse_bank(other, seed_map)]
        except QuizBankError:
            continue
    elsewhere = {q["id"]: name for name, qs in others.items() for q in qs}
    problems += [(shown, q["id"], f"this id is also used in {elsewhere[q['id']]}.") for q in good
                 if q["id"] in elsewhere]
    name = f"{module}.yaml" if isinstance(module, str) else path.name
    before = {p.problem for p in check_banks(others) if p.file == COURSE}
    for cue in check_banks({**others, name: good}):
        if cue.file == name:
            problems.append((shown, cue.question, cue.problem))
        elif cue.file == COURSE and cue.problem not in before:
            problems.append((shown, "*", f"with this bank, the course has a new problem: {cue.problem}"))
    return problems
