"""The course's languages: which there are, which one this kernel or page speaks, and where each deck lives in it.

A deck in a language other than English is a notebook of its own, built from the translation catalogs: the Lao deck
of ``00-welcome.ipynb`` is ``lo/00-welcome.ipynb`` under the same folder, and its first code cell calls
:func:`use` with its language, so the widgets its kernel builds speak that language from the start (a preheated
kernel runs its deck before anyone asks for it). Pages outside the decks (join, landing, roster) read the choice a
person made from the :data:`COOKIE`, or the server's ``--lang``.
"""
from __future__ import annotations

LANGUAGES = {"en": "English", "lo": "ລາວ"}  # each language named in itself, as a chooser shows it
DEFAULT = "en"
COOKIE = "artisan_course_lang"

_current = DEFAULT


def checked(lang: str) -> str:
    """The language code itself, or a plain ValueError naming the languages the course has."""
    if lang not in LANGUAGES:
        known = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise ValueError(f"The course has no language {lang!r}. It has: {known}.")
    return lang


def use(lang: str) -> None:
    """Make ``lang`` the language this process (a deck's kernel, or a command) speaks from now on."""
    global _current
    _current = checked(lang)


def language() -> str:
    """The language this process speaks: English unless :func:`use` said otherwise."""
    return _current


def deck_path(deck: str, lang: str) -> str:
    """Where the deck ``deck`` (a notebook's file name, such as ``00-welcome.ipynb``) lives in language ``lang``."""
    checked(lang)
    return deck if lang == DEFAULT else f"{lang}/{deck}"


def deck_language(path: str) -> tuple[str, str]:
    """The language and the English deck's file name of a deck's path (the inverse of :func:`deck_path`)."""
    first, _, rest = path.partition("/")
    if rest and first in LANGUAGES and first != DEFAULT:
        return first, rest
    return DEFAULT, path
