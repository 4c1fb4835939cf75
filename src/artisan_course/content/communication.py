"""Module 07's content files: channels, the conflict plan, the message checklists and the listening statements.

Each file is checked against its schema and then for what a schema cannot see (unknown names, repeated ids).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import paths
from .reader import ContentError, read_checked_yaml


_text = {"type": "string", "minLength": 1}


_words = {"type": "array", "minItems": 1, "items": {"type": ["string", "number"]}}


_check = {"type": "object", "minProperties": 1, "additionalProperties": False,
          "properties": {"any": _words, "none": _words, "number": {"type": "boolean"},
                         "min_words": {"type": "integer", "minimum": 0},
                         "max_words": {"type": "integer", "minimum": 1}}}


_message_kind = {"type": "object", "required": ["title", "prompt", "hints", "points"],
                 "properties": {"title": _text, "prompt": _text, "hints": {"type": "array", "items": _text},
                                "points": {"type": "array", "minItems": 2, "items": {
                                    "type": "object", "required": ["id", "text", "check"],
                                    "properties": {"id": _text, "text": _text, "check": _check}}}}}


SCHEMAS = {
    "channels.yaml": {
        "type": "object", "required": ["channels", "questions", "record_tip"],
        "properties": {
            "record_tip": _text,
            "channels": {"type": "array", "minItems": 2, "items": {
                "type": "object", "required": ["id", "name", "start", "about"],
                "properties": {"id": _text, "name": _text, "start": {"type": "integer"}, "about": _text}}},
            "questions": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["id", "short", "label", "default", "answers"],
                "properties": {
                    "id": _text, "short": _text, "label": _text, "default": _text,
                    "answers": {"type": "array", "minItems": 2, "items": {
                        "type": "object", "required": ["key", "text", "effects"],
                        "properties": {"key": _text, "text": _text, "effects": {"type": "array", "items": {
                            "type": "object", "required": ["channel", "points", "why"],
                            "properties": {"channel": _text, "points": {"type": "integer"}, "why": _text}}}}}}}}}}},
    "conflict_plan.yaml": {
        "type": "object", "required": ["times", "steps"],
        "properties": {"times": {"type": "array", "minItems": 2, "items": _text},
                       "steps": {"type": "array", "minItems": 1, "items": {
                           "type": "object", "required": ["text", "who", "when"],
                           "properties": {"text": _text, "who": _text, "when": _text}}}}},
    "message_checklists.yaml": {
        "type": "object", "required": ["gratitude", "vision"],
        "properties": {"gratitude": _message_kind, "vision": _message_kind, "because": _message_kind,
                       "respect": _message_kind},
        "additionalProperties": False},
    "listening.yaml": {
        "type": "object", "required": ["advice", "statements"],
        "properties": {
            "advice": {"type": "array", "minItems": 1, "items": _text}, "check_note": _text,
            "statements": {"type": "array", "minItems": 2, "items": {
                "type": "object", "required": ["id", "title", "speaker", "role", "text", "points", "model_summary"],
                "properties": {"id": {"type": "string", "pattern": "^[a-z0-9-]+$"}, "title": _text, "speaker": _text,
                               "role": _text,
                               "text": _text, "model_summary": _text,
                               "points": {"type": "array", "minItems": 2, "items": {
                                   "type": "object", "required": ["text", "keywords"],
                                   "properties": {"text": _text, "keywords": _words}}}}}}}},
}


class CommunicationDataError(ContentError):
    """A content file the course cannot use. The message names the file and the item, in one sentence."""


def _duplicate(values) -> str | None:
    seen = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def _cross_check(name: str, data: dict) -> str | None:
    """Problems a schema cannot see: unknown names and repeated ids. Returns one sentence, or None."""
    if name == "channels.yaml":
        ids = [c["id"] for c in data["channels"]]
        if (twice := _duplicate(ids)) or (twice := _duplicate(q["id"] for q in data["questions"])):
            return f"the id '{twice}' is used twice."
        for q in data["questions"]:
            keys = [a["key"] for a in q["answers"]]
            if q["default"] not in keys:
                return f"question '{q['id']}' has the default '{q['default']}', which is not one of its answers."
            for answer in q["answers"]:
                for effect in answer["effects"]:
                    if effect["channel"] not in ids:
                        return (f"question '{q['id']}', answer '{answer['key']}' names the channel "
                                f"'{effect['channel']}', which is not in the list of channels.")
    if name == "conflict_plan.yaml":
        for i, step in enumerate(data["steps"]):
            if step["when"] not in data["times"]:
                return f"step {i + 1} has the time '{step['when']}', which is not one of the times."
    if name == "message_checklists.yaml":
        for kind in data:
            if twice := _duplicate(p["id"] for p in data[kind]["points"]):
                return f"{kind}: the point id '{twice}' is used twice."
    if name == "listening.yaml":
        if twice := _duplicate(s["id"] for s in data["statements"]):
            return f"the statement id '{twice}' is used twice."
    return None


@lru_cache(maxsize=16)
def _load(path: str, mtime: float, lang: str = "en", catalog_mtime: float = 0.0) -> dict:
    name = Path(path).name
    data = read_checked_yaml(Path(path), SCHEMAS[name], CommunicationDataError, "communication")
    problem = _cross_check(name, data)
    if problem:
        raise CommunicationDataError(f"{path}: {problem}")
    if lang != "en":
        from ..i18n.content import translate_data
        data = translate_data(Path(name).stem, data, lang)
    return data


def load_data(name: str, lang: str | None = None) -> dict:
    """A validated content file from data/ (cached until the file changes), in ``lang`` (default: the language this
    process speaks) where its catalog has a translation (i18n.content; the words a checklist or the listening
    practice looks for stay as written). A tool that saves what it shows reads the English too (``lang="en"``), so
    every deck saves the same."""
    path = paths.data_dir() / name
    if not path.is_file():
        raise CommunicationDataError(f"{path}: the file is missing.")
    from ..i18n import language
    from ..i18n.content import catalog_mtime
    lang = lang or language()
    return _load(str(path), path.stat().st_mtime, lang, catalog_mtime(Path(name).stem, lang))
