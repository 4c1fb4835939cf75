"""data/currency.yaml: the rate at which USD prices are also shown in kip (a facilitator's setting).

The simulators show each price through ``text.money``; everything else a learner reads (quiz questions and their
feedback, role cards, the slides' Markdown, printed quizzes and run sheets) passes through ``with_kip`` here, so
content writes each amount once, in USD, and the kip follows the rate of the day."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import paths
from ..text import LocalCurrency, with_kip as _with_kip
from .reader import ContentError, read_checked_yaml

SCHEMA = {
    "type": "object", "required": ["usd_to_kip", "rate_note", "round_to", "show_kip"],
    "additionalProperties": False,
    "properties": {
        "usd_to_kip": {"type": "number", "exclusiveMinimum": 0},
        "rate_note": {"type": "string", "minLength": 1},
        "round_to": {"type": "number", "minimum": 0},
        "show_kip": {"type": "boolean"},
    },
}


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[LocalCurrency | None, str]:
    data = read_checked_yaml(Path(path), SCHEMA, ContentError, "currency")
    if not data["show_kip"]:
        return None, ""
    return LocalCurrency("kip", float(data["usd_to_kip"]), float(data["round_to"])), data["rate_note"]


def load_currency(path: Path | None = None) -> LocalCurrency | None:
    """The kip setting, or None when the facilitator chose to show US dollars only."""
    return _read(path)[0]


def rate_note(path: Path | None = None) -> str:
    """One line for under a price table: the rate used and where it comes from ('' when kip is off).

    Trainees read it, so it says the rate in plain words; the file that sets it is named in the facilitator guide.
    """
    local, note = _read(path)
    return f"1 USD = {local.rate:,.0f} kip: {note}." if local else ""


def _read(path: Path | None):
    path = path or paths.data_dir() / "currency.yaml"
    if not path.is_file():
        raise ContentError(f"{path}: the file is missing.")
    return _load(str(path), path.stat().st_mtime)


def setting_mtime() -> float:
    """When data/currency.yaml last changed: part of the cache key of every loader that adds kip."""
    path = paths.data_dir() / "currency.yaml"
    return path.stat().st_mtime if path.is_file() else 0.0


def kip_setting() -> LocalCurrency | None:
    """The kip setting for content: as ``load_currency``, but a course folder without data/currency.yaml shows USD
    only instead of failing (a broken file is still named, as every content file is)."""
    if not (paths.data_dir() / "currency.yaml").is_file():
        return None
    return load_currency()


def with_kip(text: str) -> str:
    """``text`` with the kip after each amount in USD, at the course's rate ("12 USD (about 258,000 kip)")."""
    return _with_kip(text, kip_setting())


def strings_with_kip(value):
    """Every string inside ``value`` (a dict, a list or a string, as read from YAML) with ``with_kip`` applied."""
    local = kip_setting()
    if local is None:
        return value

    def walk(item):
        if isinstance(item, str):
            return _with_kip(item, local)
        if isinstance(item, dict):
            return {key: walk(v) for key, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item
    return walk(value)
