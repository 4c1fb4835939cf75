"""The one printable page every document uses: its stylesheet, its credit line from the course map, no external assets.

A document (the journal, the agreement, the action plan, the conflict plan) writes only its own body and the few
styles of its own; the fonts, colours, print rules and the credit line are the same everywhere.
"""
from __future__ import annotations

import base64
import re
from functools import lru_cache

from .. import paths
from ..text import escape

# No external assets: system fonts, and for Lao the course's own font, inside the page (with_lao_font).
PAGE_CSS = """
* { box-sizing: border-box; }
html { background: #fff; }
body { font-family: "Course Lao", "Noto Sans", "Noto Sans Lao", "DejaVu Sans", "Segoe UI", Arial, sans-serif;
       color: #1b1f2a;
       max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; font-size: 13pt; }
h1 { color: #23336b; font-size: 1.6em; margin: 0 0 .3em; }
h2 { color: #23336b; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #8a8f9c; padding: .4em .6em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef0f6; }
.note, .credit, .meta { color: #4a5060; }
.credit { margin-top: 2em; font-size: .9em; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } tr, section { break-inside: avoid; } }
"""  # noqa: E501 (CSS; a line break would change the string)

COURSE_TITLE = "Warm with the people, tough on business needs"
_FALLBACK_CREDIT = ("Based on the workshop deck \"Soft skills to build long-term relationships with home-based "
                    "artisans\" by Huyen T.T.P. and Long N.H. (October 2024).")


def credit_line() -> str:
    """The course's credit line, as the course map states it (plain text)."""
    try:
        from ..content.course_map import load_course_map
        course = load_course_map()
        credit = " ".join(course.credit.split())
        return f"From the course \"{course.title}\". {credit}" if credit else f"From the course \"{course.title}\"."
    except Exception:  # a broken course map must not stop a learner from printing their own work
        return f"From the course \"{COURSE_TITLE}\". {_FALLBACK_CREDIT}"


_LAO = re.compile("[\u0e80-\u0eff]")


@lru_cache(maxsize=1)
def lao_font_css() -> str:
    """@font-face rules for the course's Lao font (Noto Sans Lao, SIL Open Font License), the font files inside them
    as data: URLs, so a saved or printed page shows Lao well on any computer with nothing fetched. '' when the font is
    not installed (a checkout before ``artisan-course setup``): the page then falls back to the system's fonts."""
    rules = []
    for name, weight in zip(paths.LAO_FONT_FILES, (400, 700)):
        try:
            data = (paths.lao_font_package() / "files" / name).read_bytes()
        except OSError:
            return ""
        rules.append('@font-face { font-family: "Course Lao"; font-style: normal; font-weight: %d; '
                     'src: url(data:font/woff2;base64,%s) format("woff2"); unicode-range: U+0E80-0EFF, U+200B-200D; }'
                     % (weight, base64.b64encode(data).decode("ascii")))
    return "\n".join(rules)


def with_lao_font(page: str) -> str:
    """``page`` (a whole HTML document) with the Lao font added to its first stylesheet, when it has Lao text in it.

    Only then: the font is about 24 kB, and a page in English does not need it."""
    if not _LAO.search(page) or "</style>" not in page:
        return page
    return page.replace("</style>", lao_font_css() + "</style>", 1)


def print_page(title: str, body_html: str, css: str = "", credit_prefix: str = "") -> str:
    """A standalone HTML page: the shared stylesheet, ``css`` after it, the body, and the credit line at the end.

    ``title`` and ``credit_prefix`` are plain text and are escaped here; ``body_html`` must already be escaped.
    """
    credit = escape(f"{credit_prefix} {credit_line()}".strip())
    return with_lao_font("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                         f"<title>{escape(title)}</title><style>{PAGE_CSS}{css}</style></head><body>"
                         f"{body_html}<p class='credit'>{credit}</p></body></html>\n")
