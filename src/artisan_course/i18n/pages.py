"""The server's pages in their reader's language: which language a request asks for, and templates that speak it.

A page's language is, in order: ``?lang=`` in its address (a chooser's link; it is then remembered in the
:data:`~artisan_course.i18n.COOKIE`), the cookie, what a workshop keeps for the trainee, and the server's ``--lang``.
Templates mark their wording with ``_()`` and ``ngettext()`` (Jinja's i18n extension, new style: placeholders are
named, ``_("Hello, %(name)s", name=name)``, and what fills them is escaped).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import jinja2

from . import COOKIE, DEFAULT, LANGUAGES, gettext_in, ngettext_in, server_language, valid

COOKIE_DAYS = 365


@jinja2.pass_context
def _gettext(context, message: str) -> str:
    return gettext_in(context.get("lang") or DEFAULT, message)


@jinja2.pass_context
def _ngettext(context, singular: str, plural: str, n: int) -> str:
    return ngettext_in(context.get("lang") or DEFAULT, singular, plural, n)


@jinja2.pass_context
def _when(context, moment) -> str:
    """5 December, 14:05 in English; in another language, its own month names (Babel's CLDR data: 7 ທັນວາ, 12:02)."""
    from ..text import _moment, date_and_clock

    lang = context.get("lang") or DEFAULT
    if lang == DEFAULT:
        return date_and_clock(moment)
    from babel.dates import format_datetime

    moment = _moment(moment)
    return "" if moment is None else format_datetime(moment, "d MMMM, HH:mm", locale=lang)


def environment(folder: Path | str) -> jinja2.Environment:
    """A Jinja environment for the HTML pages in ``folder``, escaping, with the interface's catalogs."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                             autoescape=jinja2.select_autoescape(["html"]), extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks and indents are not in its message
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.globals["languages"] = LANGUAGES
    env.filters["when"] = _when
    return env


def request_language(handler, kept: Callable[[], str | None] | None = None,
                     keep: Callable[[str], None] | None = None) -> str:
    """The language ``handler``'s page speaks; a ``?lang=`` choice is remembered in the cookie for later pages.

    ``kept`` gives what a workshop keeps for the trainee, if anything (asked only when neither the address nor the
    cookie says); ``keep`` stores this browser's choice (address or cookie) with the trainee, so their other devices
    speak it too (a choice made before joining becomes the trainee's once they have joined).
    """
    chosen = valid(handler.get_argument("lang", None))
    if chosen:
        handler.set_cookie(COOKIE, chosen, path=getattr(handler, "base_url", "/") or "/", samesite="Lax",
                           expires_days=COOKIE_DAYS)
    chosen = chosen or valid(handler.get_cookie(COOKIE))
    if chosen:
        if keep is not None:
            keep(chosen)
        return chosen
    if kept is not None:
        stored = valid(kept())
        if stored:
            return stored
    return server_language()


def chooser(handler, lang: str) -> list[dict]:
    """The language chooser's links: this page's own address in each language (its other query values kept)."""
    from urllib.parse import urlencode

    kept = [(name, value) for name, values in handler.request.query_arguments.items() if name != "lang"
            for value in (v.decode("utf-8", "replace") for v in values)]
    return [{"code": code, "name": name, "current": code == lang,
             "href": f"{handler.request.path}?{urlencode(kept + [('lang', code)])}"}
            for code, name in LANGUAGES.items()]
