"""The five-issue negotiation's content file, ``data/negotiation.yaml``: read, validated and turned into a Game.

Beyond its schema, the file is checked as the model needs it: each issue's stated type must match its points,
the artisans must be able to make a counter offer, and some package must reach both limits.
"""
from __future__ import annotations

from pathlib import Path

from .. import paths
from ..models.negotiation import TYPES, Game, Issue
from .reader import ContentError, jsonschema_module, read_yaml

_TEXT = {"type": "string", "minLength": 1}
_POINTS = {"type": "array", "minItems": 2, "maxItems": 9, "items": {"type": "number", "minimum": 0, "maximum": 100}}
SCHEMA = {
    "type": "object",
    "required": ["title", "order", "reservation", "counter_margin", "issues"],
    "additionalProperties": False,
    "properties": {
        "title": _TEXT,
        "order": _TEXT,
        "reservation": {"type": "object", "required": ["you", "artisans"], "additionalProperties": False,
                        "properties": {"you": {"type": "number", "minimum": 0},
                                       "artisans": {"type": "number", "minimum": 0}}},
        "counter_margin": {"type": "number", "minimum": 0},
        "issues": {
            "type": "array", "minItems": 2, "maxItems": 6,
            "items": {
                "type": "object",
                "required": ["key", "name", "control", "you", "artisans", "type", "position", "why", "reason"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
                    "name": _TEXT,
                    "control": {"enum": ["typed", "list"]},
                    "prefix": {"type": "string"},
                    "suffix": {"type": "string"},
                    "levels": {"type": "array", "minItems": 2, "maxItems": 9, "items": {"type": "number"}},
                    "options": {"type": "array", "minItems": 2, "maxItems": 9, "items": {
                        "type": "object", "required": ["key", "text"], "additionalProperties": False,
                        "properties": {"key": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}, "text": _TEXT}}},
                    "you": _POINTS,
                    "artisans": _POINTS,
                    "type": {"enum": list(TYPES)},
                    "position": _TEXT,
                    "why": _TEXT,
                    "reason": _TEXT,
                },
            },
        },
    },
}


class NegotiationDataError(ContentError):
    """A problem in data/negotiation.yaml, phrased for the person who edits it."""



# -- reading the file ------------------------------------------------------------------------------------------------
def _where(error, raw) -> str:
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "issues":
        item = raw["issues"][path[1]]
        name = item.get("key", f"number {path[1] + 1}") if isinstance(item, dict) else f"number {path[1] + 1}"
        rest = f" field '{path[2]}'" if len(path) > 2 else ""
        return f"issue '{name}'{rest}: {error.message}"
    return (f"field '{path[0]}': " if path else "") + error.message


def parse_game(raw, path: Path | None = None) -> Game:
    """Validate the content of a negotiation file. Every problem is one sentence naming the file."""
    name = path or "the negotiation data"
    if not isinstance(raw, dict):
        raise NegotiationDataError(f"{name}: expected a title, an order, limits and a list of issues.")
    errors = sorted(jsonschema_module().Draft202012Validator(SCHEMA).iter_errors(raw),
                    key=lambda e: list(e.absolute_path))
    if errors:
        raise NegotiationDataError(f"{name}: {_where(errors[0], raw)}.")
    issues, seen = [], set()
    for item in raw["issues"]:
        key = item["key"]
        where = f"{name}: issue '{key}'"
        if key in seen:
            raise NegotiationDataError(f"{where} appears twice.")
        seen.add(key)
        has_levels, has_options = "levels" in item, "options" in item
        if has_levels == has_options:
            raise NegotiationDataError(f"{where} needs either 'levels' (numbers) or 'options' (a list), not "
                                       "both or neither.")
        if has_options and item["control"] == "typed":
            raise NegotiationDataError(f"{where} has options, so its control must be 'list', not 'typed'.")
        size = len(item.get("levels") or item["options"])
        if len(item["you"]) != size or len(item["artisans"]) != size:
            raise NegotiationDataError(f"{where} needs one 'you' and one 'artisans' point for each of its "
                                       f"{size} options.")
        levels = tuple(float(v) for v in item.get("levels", ()))
        if levels and not (all(a < b for a, b in zip(levels, levels[1:]))
                           or all(a > b for a, b in zip(levels, levels[1:]))):
            raise NegotiationDataError(f"{where} must list its levels from low to high (or high to low), "
                                       "each only once.")
        options = tuple((o["key"], o["text"]) for o in item.get("options", ()))
        if len({k for k, _ in options}) != len(options):
            raise NegotiationDataError(f"{where} lists the same option key twice.")
        issue = Issue(key=key, name=item["name"], control=item["control"], you=tuple(map(float, item["you"])),
                      artisans=tuple(map(float, item["artisans"])), type=item["type"], position=item["position"],
                      why=item["why"], reason=item["reason"], levels=levels, options=options,
                      prefix=item.get("prefix", ""), suffix=item.get("suffix", ""))
        found = issue.type_from_points()
        if found != issue.type:
            raise NegotiationDataError(f"{where} is marked {issue.type}, but its points make it {found}.")
        issues.append(issue)
    game = Game(title=raw["title"], order=raw["order"], issues=tuple(issues),
                limit_you=float(raw["reservation"]["you"]),
                limit_artisans=float(raw["reservation"]["artisans"]), margin=float(raw["counter_margin"]), path=path)
    you, them = game.grid_points
    if them.max() < game.limit_artisans + game.margin:
        raise NegotiationDataError(f"{name}: no package gives the artisans their limit plus the counter margin, "
                                   f"so they could never make a counter offer.")
    if not ((you >= game.limit_you) & (them >= game.limit_artisans)).any():
        raise NegotiationDataError(f"{name}: no package reaches both limits, so a deal would be impossible.")
    return game


def load_game(path: Path | None = None, lang: str | None = None) -> Game:
    """Read and check data/negotiation.yaml (or ``path``), in ``lang`` (default: the language this process speaks)
    where the catalog ``negotiation`` has a translation, English elsewhere.

    The file is checked in English first, so a problem names the file's own words. The order's sentence and the
    options' labels stay English (``KEPT_IN`` in i18n/content.py): the simulator saves them as it shows them. Another
    file (``path``) has no catalog and is read as written."""
    default = paths.data_dir() / "negotiation.yaml"
    path = Path(path) if path else default
    raw = read_yaml(path, NegotiationDataError, "negotiation")
    game = parse_game(raw, path)
    from ..i18n import DEFAULT, language
    lang = lang or language()
    if lang == DEFAULT or path.resolve() != default.resolve():
        return game
    from ..i18n.content import translate_data
    shown = translate_data("negotiation", raw, lang)
    return game if shown is raw else parse_game(shown, path)
