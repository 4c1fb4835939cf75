"""The deck page's own words, in the reader's language: the script /course/words.js that the deck template loads.

course-deck.js draws the phone bar, "More below", the connection line and the room's pace control with them.

``/course/words.js`` answers ``window.COURSE_WORDS = {english: translation, ...}``. Its language is the deck's when
the page asking is a translated deck (``voila/render/lo/...``, read from the Referer the browser sends with a
same-origin script), else the reader's choice (cookie, or what a workshop keeps for the trainee), else ``--lang``.
A word the catalog lacks, or a page whose script did not load, shows in English.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import tornado.web

from .. import i18n
from ..i18n import N_
from ..i18n import pages as i18n_pages
from .workshop import workshop_of

WORDS = (
    N_("Slides"), N_("Previous slide"), N_("Next slide"), N_("‹ Back"), N_("Next ›"), N_("More below ↓"),
    N_("Scroll down this slide"),
    N_("Offline: no connection to the course. What you type is kept here and sent when it is back."),
    N_("This page closed while you were away. It opens again by itself, with your work, when the connection is "
       "back."),
    N_("This page closed while you were away. It opens again now, with your work."), N_("Back online."),
    N_("Back to the room"), N_("Let everyone move freely"), N_("Bring everyone to my slide"),
    N_("On this slide: {here} of {of}"), N_("Self-paced: phones move on their own."), N_("The room"),
    N_("Getting this tool ready…"), N_("This tool could not be shown. Reload the page to try again."),
)
_TRANSLATED_DECK = re.compile(r"/voila/render/([a-z]{2,3})/")


def page_language(handler: tornado.web.RequestHandler) -> str:
    """The language of the deck page that loads this script (see the module's docstring)."""
    found = _TRANSLATED_DECK.search(urlparse(handler.request.headers.get("Referer", "")).path)
    if found and i18n.valid(found.group(1)) and found.group(1) != i18n.DEFAULT:
        return found.group(1)
    workshop = workshop_of(handler)
    return workshop.language_of(handler) if workshop is not None else i18n_pages.request_language(handler)


class DeckWordsHandler(tornado.web.RequestHandler):
    def initialize(self, base_url: str = "/", **kwargs):
        self.base_url = base_url

    def get(self):
        lang = page_language(self)
        words = {word: i18n.gettext_in(lang, word) for word in WORDS}
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Vary", "Referer, Cookie")
        body = json.dumps(words, ensure_ascii=False).replace("</", "<\\/")
        self.finish(f"window.COURSE_WORDS = {body};\nwindow.COURSE_LANG = {json.dumps(lang)};\n")
