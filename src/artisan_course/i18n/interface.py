"""The interface catalog: collect the marked wording into interface.pot, carry it into each language's .po, check it.

``python -m artisan_course.i18n.interface extract`` reads babel.cfg (at the checkout's root), writes
``locale/interface.pot`` and updates every language's ``interface.po`` from it: new messages arrive untranslated,
a message whose English changed keeps its old translation marked fuzzy (shown in English until a translator
confirms it), and messages no longer used become obsolete. ``... check`` fails when the .pot is stale (the code's
messages differ from it), when a language lacks a translation, or when a translation drops or adds a placeholder.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from . import DEFAULT, DOMAIN, LANGUAGES, LOCALE_DIR, catalog_path

ROOT = LOCALE_DIR.parent.parent.parent  # the checkout (src/artisan_course/locale -> the repository's root)
POT = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_in": (2,), "ngettext_in": (2, 3)}
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
WIDTH = 120


def extracted(root: Path = ROOT) -> Catalog:
    """Every message marked in the code and the pages, as a fresh template catalog."""
    with (root / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="artisan-course", version="0.1", domain=DOMAIN, charset="utf-8", fuzzy=False,
                      header_comment="# The artisan course's interface wording (made by `python -m "
                                     "artisan_course.i18n.interface extract`; never edit by hand).")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, sort_output=True, include_lineno=False, omit_header=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def _ids(catalog: Catalog) -> set:
    return {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in catalog if m.id}


def extract(root: Path = ROOT) -> list[str]:
    """Write the .pot, then carry it into each language's .po; returns one sentence per file written."""
    template = extracted(root)
    template.creation_date = _read(POT).creation_date if POT.is_file() else template.creation_date
    _write(template, POT)
    said = [f"{POT.relative_to(root)}: {len(template)} messages"]
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        path = catalog_path(lang)
        catalog = _read(path, lang) if path.is_file() else _new_catalog(lang)
        catalog.update(template, no_fuzzy_matching=False)
        _write(catalog, path)
        said.append(f"{path.relative_to(root)}: {coverage(lang)}")
    return said


DRAFT_NOTE = """{name} ({lang}) translation of the artisan course's interface.
DRAFT: a first translation, to be reviewed by a {name}-speaking trainer before a workshop. The reviewer corrects
the msgstr lines in a PO editor (Poedit, or any text editor), then replaces this paragraph with their name and the
date of the review. docs/facilitator-guide.md, "Translating the course", says how."""
HEADER_NAMES = {"lo": "Lao"}


def _new_catalog(lang: str) -> Catalog:
    name = HEADER_NAMES.get(lang, lang)
    return Catalog(locale=lang, domain=DOMAIN, project="artisan-course", version="0.1", fuzzy=False,
                   header_comment="# " + DRAFT_NOTE.format(name=name, lang=lang).replace("\n", "\n# "),
                   language_team=f"{name}-speaking trainers of the course")


@dataclass
class Coverage:
    total: int = 0
    missing: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        done = self.total - len(self.missing) - len(self.fuzzy)
        return (f"{done} of {self.total} messages translated"
                + (f", {len(self.missing)} missing" if self.missing else "")
                + (f", {len(self.fuzzy)} to confirm (the English changed)" if self.fuzzy else ""))


def coverage(lang: str) -> Coverage:
    """How much of the interface ``lang``'s catalog translates (what is missing is shown in English)."""
    path = catalog_path(lang)
    template = _read(POT)
    found = Coverage(total=len([m for m in template if m.id]))
    catalog = _read(path, lang) if path.is_file() else Catalog(locale=lang)
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        strings = () if entry is None else (entry.string if isinstance(entry.string, (tuple, list)) else
                                            (entry.string,))
        if entry is None or not all(strings):
            found.missing.append(label)
        elif entry.fuzzy:
            found.fuzzy.append(label)
    return found


def placeholder_problems(lang: str, path: Path | None = None) -> list[str]:
    """Each translation whose placeholders (``%(name)s``, ``{count}``...) differ from its English."""
    problems = []
    for message in _read(path or catalog_path(lang), lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0])))
        for string in strings:
            if string and sorted(set(PLACEHOLDER.findall(string))) != wanted:
                problems.append(f"{lang}: {ids[0]!r} has placeholders {sorted(set(PLACEHOLDER.findall(string)))}, "
                                f"the English has {wanted}")
    return problems


def stale(root: Path = ROOT) -> list[str]:
    """Messages in the code but not in the .pot, and in the .pot but no longer in the code."""
    if not POT.is_file():
        return [f"{POT} is missing; run python -m artisan_course.i18n.interface extract"]
    code, pot = _ids(extracted(root)), _ids(_read(POT))
    return ([f"not in interface.pot yet: {i[0]!r}" for i in sorted(code - pot, key=str)]
            + [f"in interface.pot but no longer in the code: {i[0]!r}" for i in sorted(pot - code, key=str)])


def problems(root: Path = ROOT) -> list[str]:
    """Everything ``check`` reports: a stale .pot, untranslated or unconfirmed messages, dropped placeholders."""
    found = stale(root)
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        cover = coverage(lang)
        found += [f"{lang}: no translation for {m!r}" for m in cover.missing]
        found += [f"{lang}: translation to confirm (fuzzy) for {m!r}" for m in cover.fuzzy]
        found += placeholder_problems(lang)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m artisan_course.i18n.interface",
                                     description="the interface's translation catalog")
    parser.add_argument("action", choices=("extract", "check"))
    args = parser.parse_args(argv)
    if args.action == "extract":
        for line in extract():
            print(line)
        return 0
    found = problems()
    for line in found:
        print(line)
    for lang in LANGUAGES:
        if lang != DEFAULT:
            print(f"{LANGUAGES[lang]} ({lang}): {coverage(lang)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
