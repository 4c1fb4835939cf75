"""data/currency.yaml: the rate at which USD prices are also shown in kip (a facilitator's setting)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import paths
from ..text import LocalCurrency
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
