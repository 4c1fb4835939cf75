"""Words in what learners write, in English and in Lao: one way to split them, and the cloud's stop words.

Lao is written without spaces between words, and its vowel and tone marks are not letters to Python's ``\\w``, so
a pattern such as ``[^\\W\\d_]+`` cuts ການຟັງ after ການຟ and takes a whole Lao phrase for one word. Here each run of
Lao script is split with ICU's word break rules and its Lao dictionary (through ``icu4py``, whose wheels carry ICU
for Windows, macOS and Linux: the same dictionary browsers use to break Lao lines). Everything else is split as
before: letters and digits, with a hyphen or any punctuation between words ("long-term" is two words).

Before splitting, a text is brought to one spelling of each Lao letter that has two (ຳ or ໍ + າ, ໜ or ຫ + ນ, ໝ or
ຫ + ມ, ຫຼ or ຫ + ລ), because keyboards type either and ICU's dictionary knows only the first; zero-width spaces,
which some Lao keyboards put between words, count as spaces. The words are for checking and counting only: what a
learner typed is saved and shown as typed.

The models take these words through a splitting function (``words``), so they stay pure.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..text import comparable
from .reader import ContentError

# Lao letters, vowel signs, tone marks and the repetition mark ໆ (digits ໐-໙ are numbers, split as other digits).
_LAO = "\u0e81-\u0ecf\u0edc-\u0edf"
_TOKEN = re.compile(rf"(?P<lao>[{_LAO}]+)|(?P<other>(?:(?![{_LAO}])[^\W_])+(?:'(?:(?![{_LAO}])[^\W_])+)?)")
_HAS_LAO = re.compile(f"[{_LAO}]")
REPEAT = "\u0ec6"  # ໆ: says the word before it twice, so it belongs to that word


def normal(text) -> str:
    """``text`` in the form words are compared in (``text.comparable``: one spelling of each Lao letter, and so on)."""
    return comparable(text)


def has_lao(text) -> bool:
    return bool(_HAS_LAO.search(str(text or "")))


@lru_cache(maxsize=1)
def _breaker():
    """ICU's word breaker class, or None when icu4py is not installed (the course then says Lao is checked roughly)."""
    try:
        from icu4py.breakers import WordBreaker
    except ImportError:
        return None
    return WordBreaker


def segmenter_available() -> bool:
    """Can Lao text be split into words here? (icu4py is a requirement; this is False only on a broken install.)"""
    return _breaker() is not None


def _lao_words(run: str) -> list[str]:
    breaker = _breaker()
    if breaker is None:
        return [run]
    found: list[str] = []
    for piece in breaker(run, "lo"):
        if found and piece.startswith(REPEAT):
            found[-1] += piece  # ຫຼາຍໆ is one word, not ຫຼາຍ and ໆ
        else:
            found.append(piece)
    return found


def words(text) -> list[str]:
    """The words of ``text``, lower-case, in reading order: Lao split by ICU's dictionary, the rest at punctuation."""
    found: list[str] = []
    for match in _TOKEN.finditer(normal(text).casefold()):
        if match.group("lao"):
            found += _lao_words(match.group("lao"))
        else:
            found.append(match.group("other"))
    return found


def is_lao(word: str) -> bool:
    return has_lao(word)


# -- the word cloud's stop words (data/stop_words.txt) ------------------------------------------------------------
def _read_stop_words(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ContentError(f"{path}: the file of stop words is missing.") from None
    except UnicodeDecodeError:
        raise ContentError(f"{path}: the file is not UTF-8 text; save it again as UTF-8.") from None
    stops: set[str] = set()
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if len(line.split()) > 1:
            raise ContentError(f"{path}: line {number} ('{line}') holds more than one word; write one word a line.")
        pieces = words(line)
        if not pieces:
            raise ContentError(f"{path}: line {number} ('{line}') has no letters.")
        stops.update(pieces)
        stops.add(normal(line).casefold())
    return frozenset(stops)


@lru_cache(maxsize=4)
def _stop_words(path: str, mtime: float) -> frozenset[str]:
    return _read_stop_words(Path(path))


def stop_words(path: Path | None = None) -> frozenset[str]:
    """The words a word cloud leaves out, in their compared form (cached until the file changes)."""
    path = path or paths.data_dir() / "stop_words.txt"
    if not path.is_file():
        raise ContentError(f"{path}: the file of stop words is missing.")
    return _stop_words(str(path), path.stat().st_mtime)


def cloud_counts(texts, stops: frozenset[str] | None = None) -> Counter:
    """How often each word that says something appears in ``texts``: no numbers, no stop words, no English word of
    one or two letters (a Lao word is often two letters long, as ດີ, "good", so Lao words are kept unless listed)."""
    stops = stop_words() if stops is None else stops
    counts: Counter = Counter()
    for text in texts:
        for word in words(text):
            if any(ch.isdigit() for ch in word) or word in stops:
                continue
            if not is_lao(word) and len(word) <= 2:
                continue
            counts[word] += 1
    return counts
