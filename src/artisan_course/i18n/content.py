"""What the course says, in other languages: one translation catalog (PO file) per notebook and per data file.

A translator works in a PO editor (Poedit, Lokalize, Weblate) or a spreadsheet made from the PO file, never in a
notebook or a YAML file. Each entry is one unit of text:

- in a notebook, one Markdown paragraph, heading, list item, quote or table cell, of a slide or of its speaker
  notes (the label "**Facilitator note:** Core slide. About N minutes." is an entry of its own), and each text a
  ``reflect(...)`` call shows (its question and its hints);
- in a data file, one field a learner reads (a question's prompt, an option's text, a term's meaning...).

Each entry's ``msgctxt`` is a stable key: the notebook cell's id and the unit's number in the cell
(``44d1994c.2``), or the data item's path built from ids, keys and terms (``questions[welcome-three-parts].prompt``,
``terms[anchor].meaning``). The ``msgid`` is the English text itself, so a changed paragraph is a changed entry:
:func:`update` marks its old translation fuzzy (with the previous English beside it), and a fuzzy or missing
translation falls back to English, entry by entry.

Files: ``locale/content/<name>.pot`` (the English, made from the sources) and ``locale/<lang>/content/<name>.po``
(one per language), where ``<name>`` is the notebook's file name without ``.ipynb`` or the data file's path under
``data/`` with ``/`` as ``.`` (``quizzes.welcome``). :func:`problems` is the check: it fails when a template is older
than its source, when a translation still stands for English that changed, and when a translation drops a number, a
price, a link, a placeholder, inline code or an HTML tag of its English.
"""
from __future__ import annotations

import ast
import copy
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from .. import paths
from . import DEFAULT, LANGUAGES, language

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

# Babel is imported where a catalog is read or written: an English deck's kernel loads it only to show the glossary's
# Lao column.

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
PROJECT = "Warm with the people, tough on business needs (artisan course)"
# A fixed date keeps a template byte for byte the same until its English changes (git shows only real changes).
TEMPLATE_DATE = datetime(2026, 12, 7, tzinfo=timezone.utc)
DRAFT_NOTE = {
    "lo": ("Lao translation of the course's content (first draft).\n"
           "DRAFT: to be reviewed and corrected by a Lao-speaking trainer before a workshop.\n"
           "See 'Translating the course' in docs/facilitator-guide.md."),
}

# Data files with text a learner reads, and the loaders that give it in the learner's language
# (content.quiz_bank for the question banks, content.communication for the message checklists, the channel chooser,
# the conflict plan and the listening practice, content.course_map for the modules' titles and objectives and the
# Pillar 4 tactics, content.negotiation for the negotiation simulator, content.activities for the others).
# data/knowledge_check.yaml has none: it names modules and question ids only (its questions' words are in the banks'
# catalogs, quizzes.welcome and quizzes.wrap-up).
DATA_FILES = ("glossary.yaml", "persuader_styles.yaml", "review_questions.yaml", "orange_story.yaml",
              "evaluation.yaml", "role_cards.yaml", "run_sheets.yaml", "message_checklists.yaml", "course_map.yaml",
              "channels.yaml",
              "conflict_plan.yaml",
              "pillar_tactics.yaml",
              "listening.yaml",
              "negotiation.yaml",
              )
# Fields that are not words to translate: ids and keys the course looks up, answers it matches, citations
# (a source is cited as published), file names, text answers a learner types (matched as written), and the words a
# message checklist looks for in a draft (its ``check``: a Lao list goes beside the English there, as written), and
# the course map's seed sections, notebooks and statuses; the listening practice's ``keywords`` (matched against the
# trainee's summary: its Lao key words stand beside the English in data/listening.yaml), and the negotiation
# simulator's ``control`` (typed or list).
NOT_TEXT = {"id", "key", "type", "module", "answer", "seed_section", "source", "file", "code", "review", "style",
            "cost", "follett", "category", "number", "minutes", "right", "check", "seed_map", "seed_sections",
            "notebook", "status", "keywords", "control"}
# And, in one file only, fields whose English text is what the course saves and counts: the end-of-day evaluation keeps
# each answer as its label (models/evaluation.py), so its scale and its pace options stay English until it keeps keys.
# The channel chooser's answers name their default and their channels by key ("default", "channel"); a conflict plan
# step's "how soon" ("when") is saved as the English of one of the plan's "times", which is its key: the Lao of a time
# is the translation of that entry of "times" (the builder shows it and saves the English).
# The negotiation simulator saves the order's sentence and each package as the text it shows (the options' labels:
# a quality check's text, the weeks and scarves after a number) in its snapshot and its history
# (widgets/negotiation.py, models/negotiation.py), so those stay English until it saves them from the English game.
KEPT_IN = {"evaluation": {"scale", "options"}, "channels": {"default", "channel"}, "conflict_plan": {"when"},
           "negotiation": {"order", "options", "suffix"}}
# Files whose questions' answers have a "text" that is a menu's label (shown, never typed): translated. In a quiz bank
# the "text" of an answer is what a learner types, matched as written.
SHOWN_ANSWERS = {"channels"}
# And, in one file only, fields NOT_TEXT keeps elsewhere that are a sentence a learner reads there: the Pillar 4 list's
# "source" is a line about where the list comes from (its translation keeps the author, the title and the year).
TEXT_IN = {"pillar_tactics": {"source"}}
# A list item is named by the first of these it has (else by its position): a stable key for the translator.
ITEM_NAMES = ("id", "key", "term")

NOTE_LABEL = re.compile(r"^\*\*Facilitator note:\*\* (?:Core|Optional) slide\. About \d+ minutes?\.")
LIST_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+\.)\s+)(.*)$")
HTML_BLOCK = re.compile(r"^(<(p|div|span)\b[^>]*>)(.*)(</\2>)$", re.DOTALL)
PROMPT_CALLS = {"reflect"}


class CatalogError(ValueError):
    """A catalog the course cannot use; the message names the file and the entry."""


# -- the sources: units of text with their keys ------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    key: str    # msgctxt
    text: str   # msgid: the English
    note: str = ""  # for the translator (a PO editor shows it beside the entry): where the text is shown


def _letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _markdown_pieces(source: str) -> list[str | tuple[str]]:
    """A Markdown cell as pieces: plain strings are kept as written, 1-tuples are units of text to translate.

    Joining the pieces (each unit by its text) gives the cell back, with a paragraph's lines joined by a space
    (the same Markdown)."""
    pieces: list[str | tuple[str]] = []

    def unit(text: str) -> None:
        text = " ".join(text.split())
        pieces.append((text,) if _letters(text) else text)

    blocks = re.split(r"(\n[ \t]*\n+)", source)
    for number, block in enumerate(blocks):
        if number % 2:      # a blank line between blocks
            pieces.append(block)
            continue
        lines = block.split("\n")
        if not block.strip() or block.lstrip().startswith("```"):
            pieces.append(block)
        elif all(line.lstrip().startswith("|") for line in lines):      # a table: one unit per cell
            for row_number, line in enumerate(lines):
                if row_number:
                    pieces.append("\n")
                cells = line.split("|")
                for cell_number, cell in enumerate(cells):
                    if cell_number:
                        pieces.append("|")
                    if _letters(cell):
                        lead = cell[:len(cell) - len(cell.lstrip())]
                        trail = cell[len(cell.rstrip()):]
                        pieces.append(lead)
                        unit(cell)
                        pieces.append(trail)
                    else:
                        pieces.append(cell)
        elif LIST_ITEM.match(lines[0]):                                  # a list: one unit per item
            items: list[list[str]] = []
            for line in lines:
                match = LIST_ITEM.match(line)
                if match:
                    items.append([match.group(1), match.group(2)])
                else:
                    items[-1][1] += " " + line.strip()
            for item_number, (marker, text) in enumerate(items):
                pieces.append(("\n" if item_number else "") + marker)
                unit(text)
        elif lines[0].startswith("#"):
            heading = re.match(r"^(#+\s*)(.*)$", block, re.DOTALL)
            pieces.append(heading.group(1))
            unit(heading.group(2))
        elif all(line.startswith(">") for line in lines):
            pieces.append("> ")
            unit(" ".join(line[1:] for line in lines))
        elif HTML_BLOCK.match(block.strip()):
            match = HTML_BLOCK.match(block.strip())
            pieces.append(match.group(1))
            unit(match.group(3))
            pieces.append(match.group(4))
        else:
            label = NOTE_LABEL.match(block)
            if label:
                unit(label.group(0))
                rest = block[label.end():]
                if rest.strip():
                    pieces.append(" ")
                    unit(rest)
            else:
                unit(block)
    return pieces


def _code_strings(source: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each string a learner reads in a code cell: the question and hints of ``reflect``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line.encode("utf-8")))
    raw = source.encode("utf-8")

    def span(node) -> tuple[int, int, str]:
        start = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        return (len(raw[:start].decode("utf-8")), len(raw[:end].decode("utf-8")), node.value)

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in PROMPT_CALLS:
            texts = list(node.args[1:2]) + [kw.value for kw in node.keywords if kw.arg == "prompt"]
            for kw in node.keywords:
                if kw.arg == "hints" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    texts += kw.value.elts
            found += [span(t) for t in texts if isinstance(t, ast.Constant) and isinstance(t.value, str)]
    return sorted(found)


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebook_units(notebook: dict) -> list[Unit]:
    units = []
    slide, title = 0, ""
    for cell in notebook["cells"]:
        source = _cell_source(cell)
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        if kind == "slide":
            slide += 1
            heading = re.search(r"^#+\s*(.+)$", source, re.MULTILINE)
            title = heading.group(1).strip() if heading else ""
        where = f"slide {slide}" + (f" ({title})" if title else "") if slide else "before the first slide (JupyterLab)"
        if cell["cell_type"] == "markdown":
            texts = [p[0] for p in _markdown_pieces(source) if isinstance(p, tuple)]
            what = "speaker note" if kind == "notes" else "slide text"
            units += [Unit(f"{cell['id']}.{n}", text, f"{what}, {where}") for n, text in enumerate(texts)]
        elif cell["cell_type"] == "code":
            units += [Unit(f"{cell['id']}.code.{n}", text, f"{'reflection question' if n == 0 else 'hint'}, {where}")
                      for n, (_, _, text) in enumerate(_code_strings(source))]
    return units


def _item_name(item, index: int) -> str:
    if isinstance(item, dict):
        for field in ITEM_NAMES:
            if isinstance(item.get(field), (str, int)) and not isinstance(item.get(field), bool):
                return str(item[field]).strip('"')
    return str(index)


def _walk(data, path: str, kept: frozenset | set = frozenset(), typed_answers: bool = True,
          also: frozenset | set = frozenset()):
    """(key, text) of each translatable string in ``data``, and a function that sets it. Under ``answers``, the keys
    of a multi question and the text a learner types for a text question stay as written (only feedback moves);
    with ``typed_answers`` False (SHOWN_ANSWERS), an answer's text is a label shown, and translated. ``also``: fields of
    NOT_TEXT that are text in this file (TEXT_IN)."""
    answers = typed_answers and path.endswith("]") and path.rsplit("[", 1)[0].endswith("answers")
    if isinstance(data, dict):
        for field, value in data.items():
            if ((field in NOT_TEXT and field not in also) or field in kept or isinstance(field, bool)
                    or (answers and field == "text")):
                continue
            where = f"{path}.{field}" if path else str(field)
            if isinstance(value, str):
                yield where, value, (lambda text, d=data, f=field: d.__setitem__(f, text))
            else:
                yield from _walk(value, where, kept, typed_answers, also)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            where = f"{path}[{_item_name(item, index)}]"
            if isinstance(item, str) and path.endswith("answers"):
                continue
            if isinstance(item, str):
                yield where, item, (lambda text, d=data, i=index: d.__setitem__(i, text))
            else:
                yield from _walk(item, where, kept, typed_answers, also)


def data_units(data, name: str = "") -> list[Unit]:
    return [Unit(key, " ".join(text.split()))
            for key, text, _ in _walk(data, "", KEPT_IN.get(name, set()), name not in SHOWN_ANSWERS,
                                      TEXT_IN.get(name, set()))
            if _letters(text)]


# -- sources and catalog files --------------------------------------------------------------------------
def sources() -> dict[str, Path]:
    """Every translatable source by catalog name: the English notebooks, the question banks, the data files."""
    found = {p.stem: p for p in sorted(paths.notebooks_dir().glob("*.ipynb")) if not p.stem.startswith("zz-")}
    found.update({f"quizzes.{p.stem}": p for p in sorted((paths.data_dir() / "quizzes").glob("*.yaml"))})
    found.update({Path(name).stem: paths.data_dir() / name for name in DATA_FILES})
    return found


def source_units(path: Path) -> list[Unit]:
    """The units of text of a notebook or a data file; a file that cannot be read is a CatalogError naming it."""
    import yaml
    try:
        if path.suffix == ".ipynb":
            return notebook_units(json.loads(path.read_text(encoding="utf-8")))
        name = f"quizzes.{path.stem}" if path.parent.name == "quizzes" else path.stem
        return data_units(yaml.safe_load(path.read_text(encoding="utf-8")), name)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: cannot be read for its translations ({type(exc).__name__}).") from None


def template_path(name: str, locale_dir: Path | None = None) -> Path:
    return (locale_dir or LOCALE_DIR) / "content" / f"{name}.pot"


def catalog_path(name: str, lang: str, locale_dir: Path | None = None) -> Path:
    return (locale_dir or LOCALE_DIR) / lang / "content" / f"{name}.po"


def make_template(name: str, units: list[Unit], source: str | None = None) -> Catalog:
    """The English of one source as a catalog: each unit with its key, its source file and a note on where it shows."""
    from babel.messages.catalog import Catalog
    catalog = Catalog(project=PROJECT, version="1", creation_date=TEMPLATE_DATE, revision_date=TEMPLATE_DATE,
                      header_comment=f"# English of {name}, made by `artisan-course build-translations`.\n"
                                     "# Do not edit: edit the notebook or the data file, then run the command again.",
                      fuzzy=False)
    for unit in units:
        if (unit.text, unit.key) in catalog:
            continue
        catalog.add(unit.text, context=unit.key, locations=[(source, None)] if source else (),
                    auto_comments=[unit.note] if unit.note else ())
    return catalog


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    from babel.messages.pofile import read_po
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale, abort_invalid=True)
    except FileNotFoundError:
        raise CatalogError(f"{path}: the catalog is missing.") from None
    except Exception as exc:  # Babel's PoFileError, or a file that is not UTF-8
        raise CatalogError(f"{path}: this is not a PO file the course can read ({exc}).") from None


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` unless the file already says the same; True when the file changed."""
    from babel.messages.pofile import write_po
    out = io.BytesIO()
    write_po(out, catalog, width=0, include_previous=True)
    text = out.getvalue()
    if path.is_file() and path.read_bytes() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)
    return True


def _entries(catalog: Catalog) -> dict[str, tuple[str, str, bool]]:
    """key -> (English, translation, fuzzy) of a catalog's entries (the header left out)."""
    return {m.context: (m.id, m.string, m.fuzzy) for m in catalog if m.id and m.context}


def update(locale_dir: Path | None = None, langs: tuple[str, ...] | None = None) -> list[Path]:
    """Make every template from its source, and bring each language's catalog up to it (Babel's update: a changed
    English paragraph keeps its old translation marked fuzzy, with the previous English beside it; an entry whose
    paragraph is gone becomes obsolete). Returns the files written."""
    from babel.messages.catalog import Catalog  # a new source's first catalog
    written = []
    langs = langs if langs is not None else tuple(code for code in LANGUAGES if code != DEFAULT)
    for name, path in sources().items():
        template = make_template(name, source_units(path), path.relative_to(paths.course_root()).as_posix())
        if write_catalog(template_path(name, locale_dir), template):
            written.append(template_path(name, locale_dir))
        for lang in langs:
            po = catalog_path(name, lang, locale_dir)
            if po.is_file():
                catalog = read_catalog(po, lang)
            else:
                catalog = Catalog(locale=lang, project=PROJECT, creation_date=TEMPLATE_DATE,
                                  revision_date=TEMPLATE_DATE, fuzzy=False)
            catalog.header_comment = "\n".join(f"# {line}" for line in DRAFT_NOTE.get(
                lang, f"{LANGUAGES[lang]} translation of the course's content.").split("\n"))
            catalog.update(template, update_header_comment=False, update_creation_date=False)
            catalog.revision_date = TEMPLATE_DATE
            catalog.fuzzy = False
            catalog.version = "1"
            catalog.last_translator = "first draft, to be reviewed by a Lao-speaking trainer"
            catalog.language_team = LANGUAGES[lang]
            if write_catalog(po, catalog):
                written.append(po)
    return written


# -- the check ---------------------------------------------------------------------------------------
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
LINK = re.compile(r"\]\(([^)\s]+)\)|href=[\"']([^\"']+)")
PLACEHOLDER = re.compile(r"\{[^{}\s]*\}|%(?:\([a-z_]+\))?[sd]")
INLINE_CODE = re.compile(r"`[^`]+`")
HTML_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^>]*>")


def kept_marks(english: str) -> list[tuple[str, list[str]]]:
    """What a translation must keep of its English, by kind."""
    targets = [a or b for a, b in LINK.findall(english) if a or b]  # a Markdown link's target, an href
    bare = [url for url in re.findall(r"https?://[^\s)\"'<>]+", english) if url not in targets]
    links = targets + bare
    return [("number", NUMBER.findall(english)), ("link", [x for x in links if x]),
            ("placeholder", PLACEHOLDER.findall(english)), ("inline code", INLINE_CODE.findall(english)),
            ("HTML tag", HTML_TAG.findall(english))]


def dropped(english: str, translation: str) -> list[str]:
    """Sentences naming each number, price, link, placeholder, inline code or HTML tag the translation lost."""
    lost = []
    for kind, marks in kept_marks(english):
        remaining = translation
        for mark in marks:
            if mark in remaining:
                remaining = remaining.replace(mark, "", 1)
            else:
                what = "price" if kind == "number" and re.search(rf"(\$|USD\s*){re.escape(mark)}", english) else kind
                lost.append(f"the {what} {mark!r} is missing from the translation")
    return lost


@dataclass(frozen=True)
class Coverage:
    name: str
    lang: str
    total: int
    translated: int
    fuzzy: int

    @property
    def missing(self) -> int:
        return self.total - self.translated


def problems(locale_dir: Path | None = None) -> list[str]:
    """Everything that makes the catalogs unfit, one sentence each (an empty list when they are sound)."""
    return [sentence for _, sentence in _problems(locale_dir)]


def problems_by_kind(locale_dir: Path | None = None) -> dict[str, list[str]]:
    """The same sentences by kind: "stale" (English changed since the catalogs were made: the course shows the new
    English there, so nothing wrong reaches a learner) and "lost" (a translation shown today lost a number, a price,
    a link or a placeholder of its English)."""
    found: dict[str, list[str]] = {"stale": [], "lost": []}
    for kind, sentence in _problems(locale_dir):
        found[kind].append(sentence)
    return found


def _problems(locale_dir: Path | None = None):
    for name, path in sources().items():
        units = source_units(path)
        template = template_path(name, locale_dir)
        if not template.is_file():
            yield "stale", f"{template}: missing; run `artisan-course build-translations`."
            continue
        wanted = {u.key: u.text for u in units}
        have = {key: english for key, (english, _, _) in _entries(read_catalog(template)).items()}
        for key in sorted(set(wanted) | set(have)):
            if wanted.get(key) != have.get(key):
                what = "is new" if key not in have else "is gone" if key not in wanted else "changed"
                yield "stale", (f"{path.name}: {key}: the English {what} since {template.name} was made; "
                                f"run `artisan-course build-translations` (its translations then need review).")
        for lang in LANGUAGES:
            po = catalog_path(name, lang, locale_dir)
            if lang == DEFAULT or not po.is_file():
                continue
            where = f"{lang}/content/{po.name}"
            for key, (english, translation, fuzzy) in _entries(read_catalog(po, lang)).items():
                if not translation or fuzzy:
                    continue
                if wanted.get(key) != english:
                    yield "stale", (f"{where}: {key}: translated from English that is no longer the source; run "
                                    "`artisan-course build-translations` and review the entry.")
                for problem in dropped(english, translation):
                    yield "lost", f"{where}: {key}: {problem}."


def coverage(lang: str, locale_dir: Path | None = None) -> list[Coverage]:
    """How much of each source is translated into ``lang`` (fuzzy entries count as missing: English is shown)."""
    result = []
    for name, path in sources().items():
        units = source_units(path)
        po = catalog_path(name, lang, locale_dir)
        entries = _entries(read_catalog(po, lang)) if po.is_file() else {}
        done = fuzzy = 0
        for unit in units:
            english, translation, is_fuzzy = entries.get(unit.key, ("", "", False))
            if english == unit.text and translation:
                fuzzy += is_fuzzy
                done += not is_fuzzy
        result.append(Coverage(name, lang, len(units), done, fuzzy))
    return result


def coverage_sentence(lang: str, locale_dir: Path | None = None) -> str:
    rows = coverage(lang, locale_dir)
    total = sum(r.total for r in rows)
    done = sum(r.translated for r in rows)
    started = [f"{r.name} {100 * r.translated // max(r.total, 1)}%" for r in rows if r.translated]
    review = sum(r.fuzzy for r in rows)
    return (f"Content in {LANGUAGES[lang]} ({lang}): {done} of {total} entries translated "
            f"({total - done} shown in English){'; ' + ', '.join(started) if started else ''}"
            f"{f'; {review} to review after English changes' if review else ''}.")


# -- using the translations ------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _translations(po: str, mtime: float, lang: str) -> dict[tuple[str, str], str]:
    catalog = read_catalog(Path(po), lang)
    return {(m.context, m.id): m.string for m in catalog if m.id and m.context and m.string and not m.fuzzy}


def translations(name: str, lang: str, locale_dir: Path | None = None) -> dict[tuple[str, str], str]:
    """(key, English) -> translation for the sound entries of a catalog (none for English or a missing file)."""
    po = catalog_path(name, lang, locale_dir)
    if lang == DEFAULT or not po.is_file():
        return {}
    return _translations(str(po), po.stat().st_mtime, lang)


def catalog_mtime(name: str, lang: str) -> float:
    """When ``lang``'s catalog of ``name`` last changed (0 for English or none): part of a loader's cache key."""
    po = catalog_path(name, lang)
    return po.stat().st_mtime if lang != DEFAULT and po.is_file() else 0.0


def translate_data(name: str, data, lang: str | None = None):
    """A copy of a data file's content with each field in ``lang`` (default: the process's language) where the
    catalog has it, English elsewhere.

    A quiz's categories are what its answers save (``{item: category}``) and what its items are checked against, so
    they stay English; their translations go to the question's ``category_labels`` (English -> shown), which the
    quiz's menus, feedback and room results show. An answer saved in one language then reads in any other."""
    lang = lang or language()
    table = translations(name, lang)
    if not table:
        return data
    data = copy.deepcopy(data)
    for key, text, put in list(_walk(data, "", KEPT_IN.get(name, set()), name not in SHOWN_ANSWERS,
                                     TEXT_IN.get(name, set()))):
        found = table.get((key, " ".join(text.split())))
        if not found:
            continue
        where, _, rest = key.rpartition(".categories[")
        if where and rest.endswith("]") and where.startswith("questions["):
            qid = where[len("questions["):-1]
            question = next((q for q in data.get("questions", []) if q.get("id") == qid), None)
            if question is not None:
                question.setdefault("category_labels", {})[text] = found
            continue
        put(found)
    return data


def translate_notebook(notebook: dict, name: str, lang: str, locale_dir: Path | None = None) -> dict:
    """The notebook in ``lang``: each unit translated where the catalog has it, and a first code cell that makes
    the kernel speak ``lang`` (so its widgets and content loaders do)."""
    table = translations(name, lang, locale_dir)
    notebook = copy.deepcopy(notebook)
    first_code = True
    for cell in notebook["cells"]:
        source = _cell_source(cell)
        if cell["cell_type"] == "markdown":
            pieces, n = [], 0
            for piece in _markdown_pieces(source):
                if isinstance(piece, tuple):
                    pieces.append(table.get((f"{cell['id']}.{n}", piece[0]), piece[0]))
                    n += 1
                else:
                    pieces.append(piece)
            cell["source"] = "".join(pieces)
        elif cell["cell_type"] == "code":
            strings = _code_strings(source)
            for n, (start, end, text) in reversed(list(enumerate(strings))):
                found = table.get((f"{cell['id']}.code.{n}", text))
                if found:
                    source = source[:start] + json.dumps(found, ensure_ascii=False) + source[end:]
            if first_code:
                source = source.rstrip("\n") + f'\nfrom artisan_course.i18n import use\nuse("{lang}")'
                first_code = False
            cell["source"] = source
    title = notebook["metadata"].get("title")
    for (key, english), text in table.items():
        if title and english == title and key.endswith(".0"):
            notebook["metadata"]["title"] = text
            break
    notebook["metadata"]["artisan_course"] = {
        "language": lang,
        "built_from": f"../{name}.ipynb",
        "note": "Made by `artisan-course build-translations` from the English notebook and "
                f"locale/{lang}/content/{name}.po; edit those, not this file.",
    }
    return notebook


def build_decks(locale_dir: Path | None = None, check_only: bool = False) -> list[Path]:
    """Write ``notebooks/<lang>/<deck>.ipynb`` for each translated deck; returns the files that changed (or, with
    ``check_only``, the files that would change)."""
    changed = []
    for name, path in sources().items():
        if path.suffix != ".ipynb":
            continue
        for lang in LANGUAGES:
            if lang == DEFAULT or not translations(name, lang, locale_dir):
                continue
            notebook = translate_notebook(json.loads(path.read_text(encoding="utf-8")), name, lang, locale_dir)
            text = json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"
            out = path.parent / lang / path.name
            if out.is_file() and out.read_text(encoding="utf-8") == text:
                continue
            changed.append(out)
            if not check_only:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(text, encoding="utf-8")
    return changed
