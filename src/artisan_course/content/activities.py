"""The module activities' content files: persuader styles, the ten review questions, the orange story."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import paths
from .reader import ContentError, read_checked_yaml


_text = {"type": "string", "minLength": 1}


SCHEMAS = {
    "persuader_styles.yaml": {
        "type": "object", "required": ["scale", "styles", "statements", "team"],
        "properties": {
            "scale": {"type": "array", "minItems": 3, "items": _text},
            "styles": {"type": "object", "minProperties": 2, "additionalProperties": {
                "type": "object", "required": ["name", "cost", "summary", "use"],
                "properties": {"name": _text, "cost": {"enum": ["free", "costly"]}, "summary": _text, "use": _text}}},
            "statements": {"type": "array", "minItems": 4, "items": {
                "type": "object", "required": ["style", "text"], "properties": {"style": _text, "text": _text}}},
            "team": _text}},
    "review_questions.yaml": {
        "type": "object", "required": ["scale", "questions"],
        "properties": {"scale": {"type": "array", "minItems": 3, "items": _text},
                       "questions": {"type": "array", "minItems": 10, "maxItems": 10, "items": {
                           "type": "object", "required": ["id", "text", "tip"],
                           "properties": {"id": _text, "text": _text, "tip": _text}}}}},
    "orange_story.yaml": {
        "type": "object", "required": ["intro", "first_choices", "reasons", "second_choices", "lesson", "source"],
        "properties": {
            "intro": _text, "lesson": _text, "source": _text,
            "first_choices": {"type": "array", "minItems": 2, "items": {
                "type": "object", "required": ["key", "text", "follett", "result"],
                "properties": {"key": _text, "text": _text,
                               "follett": {"enum": ["domination", "compromise", "integration"]},
                               "result": _text}}},
            "reasons": {"type": "array", "minItems": 2, "items": {
                "type": "object", "required": ["sister", "wants"], "properties": {"sister": _text, "wants": _text}}},
            "second_choices": {"type": "array", "minItems": 2, "items": {
                "type": "object", "required": ["key", "text", "right", "feedback"],
                "properties": {"key": _text, "text": _text, "right": {"type": "boolean"}, "feedback": _text}}}}},
    "glossary.yaml": {
        "type": "object", "required": ["terms"],
        "properties": {"terms": {"type": "array", "minItems": 10, "items": {
            "type": "object", "required": ["term", "module", "meaning"], "additionalProperties": False,
            "properties": {"term": _text, "module": {"type": "integer", "minimum": 0}, "meaning": _text}}}}},
    "evaluation.yaml": {
        "type": "object", "required": ["intro", "scale", "ratings", "pace", "comments", "privacy"],
        "properties": {
            "intro": _text, "privacy": _text, "scale": {"type": "array", "minItems": 3, "items": _text},
            "ratings": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["id", "text"], "properties": {"id": _text, "text": _text}}},
            "pace": {"type": "object", "required": ["id", "text", "options"],
                     "properties": {"id": _text, "text": _text,
                                    "options": {"type": "array", "minItems": 2, "items": _text}}},
            "comments": {"type": "array", "items": {
                "type": "object", "required": ["id", "text"], "properties": {"id": _text, "text": _text}}}}},
    "role_cards.yaml": {
        "type": "object", "required": ["minutes", "steps", "checklist", "cards"], "additionalProperties": False,
        "properties": {
            "minutes": {"type": "integer", "minimum": 1},
            "steps": {"type": "array", "minItems": 1, "items": _text},
            "checklist": {"type": "array", "minItems": 1, "items": _text},
            "cards": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["id", "number", "module", "title", "buyer", "leader", "aim", "watch"],
                "additionalProperties": False,
                "properties": {"id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                               "number": {"type": "integer"}, "module": {"type": "integer"}, "title": _text,
                               "buyer": _text, "leader": _text, "aim": _text, "watch": _text}}}}},
    "run_sheets.yaml": {
        "type": "object", "required": ["materials"],
        "properties": {"materials": {"type": "object", "additionalProperties": {
            "type": "array", "minItems": 1, "items": _text}}}},
}


class ActivityDataError(ContentError):
    pass


# Files whose texts show prices: each amount in USD gets its kip (content/currency.py).
WITH_KIP = ("role_cards.yaml",)


@lru_cache(maxsize=16)
def _load(path: str, mtime: float, kip_mtime: float = 0.0, lang: str = "en", catalog_mtime: float = 0.0) -> dict:
    name = Path(path).name
    data = read_checked_yaml(Path(path), SCHEMAS[name], ActivityDataError, "activity")
    if lang != "en":
        from ..i18n.content import translate_data
        data = translate_data(Path(name).stem, data, lang)
    if name in WITH_KIP:
        from .currency import strings_with_kip
        data = strings_with_kip(data)
    if name == "persuader_styles.yaml":
        unknown = [s["style"] for s in data["statements"] if s["style"] not in data["styles"]]
        if unknown:
            raise ActivityDataError(f"{path}: statement style '{unknown[0]}' is not one of the styles.")
    return data


def role_play_card(card_id: str) -> dict:
    """One role-play card from data/role_cards.yaml, by its id."""
    data = load_activity("role_cards.yaml")
    for card in data["cards"]:
        if card["id"] == card_id:
            return card
    raise ActivityDataError(f"data/role_cards.yaml has no card '{card_id}'. "
                            f"Known: {', '.join(c['id'] for c in data['cards'])}.")


def observer_items(module_id: str, card: dict) -> list[tuple[str, str]]:
    """(item id, prompt) of each line of the observer's checklist for ``card``, saved like reflections."""
    checklist = load_activity("role_cards.yaml")["checklist"]
    return [(f"{module_id}-observer-{card['id']}-{n}", f"Role-play {card['number']}, {card['title']}: {question}")
            for n, question in enumerate(checklist, start=1)]


def glossary_terms(lang: str | None = None) -> list[dict]:
    """The glossary sorted by its English term: each term with its meaning in ``lang`` (default: the language this
    process speaks) and its Lao name from the Lao catalog ("" until translated), which the Lao column shows."""
    english = load_activity("glossary.yaml", "en")["terms"]
    shown = load_activity("glossary.yaml", lang)["terms"]
    lao = load_activity("glossary.yaml", "lo")["terms"]
    rows = [{"term": e["term"], "module": e["module"], "meaning": s["meaning"],
             "lao": "" if o["term"] == e["term"] else o["term"]} for e, s, o in zip(english, shown, lao)]
    return sorted(rows, key=lambda t: t["term"].strip('"').lower())


def load_activity(name: str, lang: str | None = None) -> dict:
    """A validated activity file from data/ (cached until the file changes), in ``lang`` (default: the language
    this process speaks), entry by entry: English where its catalog has no translation."""
    path = paths.data_dir() / name
    if not path.is_file():
        raise ActivityDataError(f"{path}: the file is missing.")
    from .currency import setting_mtime
    from ..i18n import language
    from ..i18n.content import catalog_mtime
    lang = lang or language()
    return _load(str(path), path.stat().st_mtime, setting_mtime() if name in WITH_KIP else 0.0, lang,
                 catalog_mtime(Path(name).stem, lang))
