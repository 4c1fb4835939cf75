"""The course's languages: which there are, which one this kernel or page speaks, and where each deck lives in it.

A deck in a language other than English is a notebook of its own, built from the translation catalogs: the Lao deck
of ``00-welcome.ipynb`` is ``lo/00-welcome.ipynb`` under the same folder, and its first code cell calls
:func:`use` with its language, so the widgets its kernel builds speak that language from the start (a preheated
kernel runs its deck before anyone asks for it). Pages outside the decks (join, landing, roster) read the choice a
person made from the :data:`COOKIE`, or the server's ``--lang``.

The interface's wording is translated with gettext: :func:`_` and :func:`ngettext` in the kernel's language,
:func:`N_` to mark a constant translated where it is shown, :func:`gettext_in` for a page in its reader's language
(``pages.py``: the request's language and the templates). ``interface.py`` extracts and checks the catalog.
"""
from __future__ import annotations

import functools
import gettext
import io
import os
from pathlib import Path

LANGUAGES = {"en": "English", "lo": "ລາວ"}  # each language named in itself, as a chooser shows it
DEFAULT = "en"
COOKIE = "artisan_course_lang"


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


# -- the interface's wording: gettext catalogs ----------------------------------------------------------------------
# The interface's wording (pages, buttons, statuses, errors) is marked in the code with _() and ngettext(), and in the
# pages' templates with _() too; `python -m artisan_course.i18n.interface extract` collects it into interface.pot
# (Babel, with babel.cfg), and each language's interface.po holds its translation. The .po file is read as it is (no
# compiled .mo to keep in step): Babel parses it and writes the .mo in memory for the standard library's gettext.
# A message with no translation, or one marked fuzzy (its English changed since), is shown in English.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "interface"
ENV = "ARTISAN_COURSE_LANG"  # the language `slides --lang`, `workshop --lang` and `lab --lang` chose, for kernels too


def catalog_path(lang: str) -> Path:
    """Where the interface's catalog for ``lang`` lives (``locale/<lang>/LC_MESSAGES/interface.po``)."""
    return LOCALE_DIR / checked(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The interface's translations into ``lang``; English (the messages as written) when it has no catalog."""
    path = catalog_path(lang)
    if lang == DEFAULT or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # untranslated and fuzzy entries stay out: English shows instead
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """``message`` in the language this process speaks (English when the catalog has no translation for it)."""
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form that suits ``n``, in the language this process speaks."""
    return translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a module-level constant for the catalog without translating it yet: pass it to :func:`_` where shown."""
    return message


def gettext_in(lang: str, message: str) -> str:
    """``message`` in ``lang``, whatever this process speaks (a server page speaks its reader's language)."""
    return translations(lang).gettext(message)


def ngettext_in(lang: str, singular: str, plural: str, n: int) -> str:
    """The form of a message that suits ``n``, in ``lang``."""
    return translations(lang).ngettext(singular, plural, n)


def server_language() -> str:
    """The language a server or command was started with (``--lang``, through :data:`ENV`), else English."""
    lang = os.environ.get(ENV, "")
    return lang if lang in LANGUAGES else DEFAULT


def valid(lang: str | None) -> str | None:
    """``lang`` when it is one of the course's languages, else None (for values a browser sends)."""
    return lang if lang in LANGUAGES else None


_current = server_language()
