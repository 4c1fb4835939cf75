"""The facilitator guide (docs/facilitator-guide.md), checked the way a facilitator would use it.

A facilitator finds the guide from the README, types its commands on the day, and runs the day by its
agenda tables. So: the README links to it; every command and flag it names exists in the real CLI (and
every `make` target in the Makefile); every ready module of the course map is in both agendas with its
course-map minutes (or is marked as shortened or self-study); and the clock times of every agenda (the half day,
the full day and the interpreted days) add up to the day lengths the guide states.
"""
from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from artisan_course.cli import build_parser
from artisan_course.content.course_map import load_course_map

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "facilitator-guide.md"
GUIDE_LINK = "docs/facilitator-guide.md"


def sections(markdown: str) -> dict[str, str]:
    """Level-2 sections by heading text (without a leading number such as "6.")."""
    found: dict[str, str] = {}
    parts = re.split(r"^## +(.+)$", markdown, flags=re.MULTILINE)
    for heading, body in zip(parts[1::2], parts[2::2]):
        found[re.sub(r"^\d+\.\s*", "", heading.strip())] = body
    return found


def section(markdown: str, wanted: str) -> str:
    matches = [body for heading, body in sections(markdown).items() if wanted.lower() in heading.lower()]
    assert len(matches) == 1, f"expected one section whose heading contains {wanted!r}"
    return matches[0]


@pytest.fixture(scope="module")
def guide() -> str:
    assert GUIDE.is_file(), f"{GUIDE} is missing"
    return GUIDE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def course():
    return load_course_map()


# -- finding it -------------------------------------------------------------------------------------
def test_readme_links_to_the_guide_where_facilitators_look():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    presenting = section(readme, "Presenting")
    links = re.findall(r"\]\(([^)\s]+)\)", presenting)
    assert GUIDE_LINK in links, "the README's Presenting section should link to the facilitator guide"
    assert (REPO / GUIDE_LINK).is_file()


def test_guide_credits_the_deck_authors_without_contact_details(guide):
    assert "Huyen T.T.P. and Long N.H." in guide and "October 2024" in guide
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w", guide), "no e-mail addresses"
    assert not re.search(r"\+\d[\d ()-]{7,}", guide), "no phone numbers"
    assert not re.search(r"https?://(?!localhost|0\.0\.0\.0|192\.168\.)[\w-]", guide), "no outside web addresses"


# -- commands ---------------------------------------------------------------------------------------
def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the CLI has no sub-commands")


def code_snippets(markdown: str) -> list[str]:
    """Inline code spans and the lines of fenced code blocks."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)
    outside = re.sub(r"^```[^\n]*\n.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    return [s for s in lines if s] + re.findall(r"`([^`\n]+)`", outside)


def cli_invocations(markdown: str) -> list[str]:
    """Every snippet that runs the tool, from the word artisan-course on ("`.venv/bin/` ..." included)."""
    found = []
    for snippet in code_snippets(markdown):
        match = re.search(r"(?:^|[\s/])artisan-course(\s.*)?$", snippet)
        if match and match.group(1):
            found.append(match.group(1).strip())
    return found


def test_every_command_named_in_the_guide_exists(guide):
    commands = subparsers(build_parser())
    named = set(re.findall(r"artisan-course ([a-z][a-z-]*)", guide))
    assert {"slides", "check", "lab", "export-journal", "forget"} <= named, "the guide should teach the day's commands"
    unknown = sorted(named - set(commands))
    assert not unknown, f"the guide names commands the CLI does not have: {unknown}"


def test_every_command_line_in_the_guide_parses(guide):
    parser = build_parser()
    lines = cli_invocations(guide)
    assert any(line.startswith("slides") and "--host 0.0.0.0" in line for line in lines)
    for line in lines:
        argv = shlex.split(line)
        try:
            args, extra = parser.parse_known_args(argv)
        except SystemExit:
            pytest.fail(f"`artisan-course {line}` is not a valid command")
        assert args.command == "test" or not extra, f"`artisan-course {line}`: unknown arguments {extra}"


def test_every_flag_in_the_guide_exists_in_the_cli(guide):
    flags = {option for sub in subparsers(build_parser()).values()
             for action in sub._actions if action.help != argparse.SUPPRESS for option in action.option_strings}
    mentioned = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", guide))
    assert {"--host", "--port", "--idle-minutes", "--learner", "--out"} <= mentioned
    unknown = sorted(mentioned - flags)
    assert not unknown, f"the guide mentions flags the CLI does not have: {unknown}"


def test_every_make_target_in_the_guide_exists():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", makefile, flags=re.MULTILINE))
    used = {m.group(1) for s in code_snippets(GUIDE.read_text(encoding="utf-8"))
            if (m := re.match(r"make ([\w-]+)", s))}
    assert used, "the guide should show the make commands"
    assert used <= targets, f"the guide names make targets that do not exist: {sorted(used - targets)}"


# -- agendas ----------------------------------------------------------------------------------------
@dataclass
class Row:
    start: int
    end: int
    minutes: int
    what: str
    how: str


ROW = re.compile(r"^\|\s*(\d{1,2}):(\d{2})\s*\|\s*(\d{1,2}):(\d{2})\s*\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|(.*)\|\s*$",
                 flags=re.MULTILINE)
MODULE = re.compile(r"Module (\d{2}) · (.+)")


def agenda_rows(text: str) -> list[Row]:
    return [Row(int(h1) * 60 + int(m1), int(h2) * 60 + int(m2), int(n), what, how.strip())
            for h1, m1, h2, m2, n, what, how in ROW.findall(text)]


def clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def stated_length(text: str) -> tuple[int, int, int, int]:
    """(workshop minutes, lunch minutes, start, end) from the section's **Length:** line."""
    match = re.search(r"\*\*Length:\*\*\s+(\d+) hours?(?: (\d+) minutes)?(.*?)\((\d{1,2}:\d{2}) to\s+(\d{1,2}:\d{2})\)",
                      text, flags=re.DOTALL)
    assert match, "the agenda should state its length as '**Length:** H hours M minutes ... (HH:MM to HH:MM)'"
    lunch = re.search(r"plus (\d+) minutes for lunch", match.group(3))
    return (int(match.group(1)) * 60 + int(match.group(2) or 0), int(lunch.group(1)) if lunch else 0,
            clock(match.group(4)), clock(match.group(5)))


def agendas(guide: str) -> dict[str, str]:
    """Every agenda of the guide by name: the half day, the full day, and the interpreted days (one table each)."""
    found = {"Half-day agenda": section(guide, "Half-day agenda"), "Full-day agenda": section(guide, "Full-day agenda")}
    parts = re.split(r"^### +(.+)$", section(guide, "Two days with an interpreter"), flags=re.MULTILINE)
    found |= {f"Interpreted: {heading.strip()}": body for heading, body in zip(parts[1::2], parts[2::2])}
    return found


AGENDAS = ["Half-day agenda", "Full-day agenda", "Interpreted: Day 1", "Interpreted: Day 2",
           "Interpreted: One interpreted day"]


@pytest.mark.parametrize("name", AGENDAS)
def test_agenda_times_add_up_to_the_stated_day(guide, name):
    text = agendas(guide)[name]
    rows = agenda_rows(text)
    assert len(rows) >= 5
    for row in rows:
        assert row.end - row.start == row.minutes, f"{name}: '{row.what}' does not last {row.minutes} minutes"
    for before, after in zip(rows, rows[1:]):
        assert after.start == before.end, f"{name}: a gap or overlap before '{after.what}'"
    workshop, lunch, start, end = stated_length(text)
    assert (rows[0].start, rows[-1].end) == (start, end), f"{name}: the table does not run from start to end"
    lunch_rows = [r for r in rows if r.what.lower().startswith("lunch")]
    assert sum(r.minutes for r in lunch_rows) == lunch
    assert sum(r.minutes for r in rows) - lunch == workshop, f"{name}: the rows do not add up to the stated time"


def test_day_lengths_fit_a_half_day_and_a_full_day(guide):
    half, half_lunch, _, _ = stated_length(section(guide, "Half-day agenda"))
    full, _, _, _ = stated_length(section(guide, "Full-day agenda"))
    assert 210 <= half <= 240 and half_lunch == 0, "a half day is about 3.5 to 4 hours"
    assert 390 <= full <= 450, "a full day is about 7 hours with breaks"
    for name in AGENDAS[2:]:
        day, lunch, start, end = stated_length(agendas(guide)[name])
        assert day <= 450 and lunch >= 45 and end <= 17 * 60, f"{name}: an interpreted day is a working day too"


@pytest.mark.parametrize("name", ["Half-day agenda", "Full-day agenda"])
def test_agenda_has_breaks_and_a_jupyterlab_slot(guide, name):
    rows = agenda_rows(section(guide, name))
    assert any(r.what.lower().startswith("break") for r in rows)
    lab = [r for r in rows if "JupyterLab" in r.what]
    assert lab and all("artisan-course lab" in r.what + r.how for r in lab)
    # JupyterLab answers stay on each trainee's laptop (section 8): the dashboard cannot show that slot.
    assert not [r.how for r in lab if re.search(r"dashboard (shows|tells)", r.how)]


def test_slide_notes_ask_for_no_name_typed_on_the_slide():
    """In workshop mode trainees give their name once, on the join page (section 4); a deck never asks again."""
    import json
    asking = re.compile(r"\btyp(e|ed|es) their names?\b", re.IGNORECASE)
    found = []
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            if text.startswith("**Facilitator note:**") and asking.search(text):
                found.append(path.name)
    assert found == []


def test_module_names_in_the_agendas_match_the_course_map(guide, course):
    by_number = {m.number: m for m in course.modules}
    text = "".join(agendas(guide).values())
    cells = [cell.strip() for line in text.splitlines() if line.startswith("|") for cell in line.split("|")]
    named = [MODULE.fullmatch(cell) for cell in cells if MODULE.fullmatch(cell)]
    assert named
    for match in named:
        module = by_number.get(int(match.group(1)))
        assert module is not None, f"there is no module {match.group(1)} in the course map"
        assert match.group(2) == module.title, f"module {match.group(1)} is called '{module.title}' in the course map"


def label(module) -> str:
    return f"Module {module.number:02d} · {module.title}"


def test_full_day_teaches_every_ready_module_at_its_course_map_time_or_says_it_is_shortened(guide, course):
    rows = agenda_rows(section(guide, "Full-day agenda"))
    for module in course.ready_modules():
        matching = [r for r in rows if r.what == label(module)]
        assert len(matching) == 1, f"the full day should have one row for {label(module)}"
        row = matching[0]
        assert row.minutes == module.minutes or (row.minutes < module.minutes
                                                 and f"shortened from {module.minutes}" in row.how), \
            f"{label(module)} takes {module.minutes} minutes in the course map; say 'shortened from' and what to teach"


def test_half_day_teaches_shortens_or_sets_as_self_study_every_ready_module(guide, course):
    text = section(guide, "Half-day agenda")
    rows = agenda_rows(text)
    self_study_part = text.split("Self-study", 1)[1] if "Self-study" in text else ""
    self_study = {m.group(1).strip(): int(m.group(2))
                  for m in re.finditer(r"^\|\s*(Module \d{2} · [^|]+?)\s*\|\s*(\d+)\s*\|\s*$", self_study_part,
                                       flags=re.MULTILINE)}
    taught = 0
    for module in course.ready_modules():
        matching = [r for r in rows if r.what == label(module)]
        assert len(matching) + (label(module) in self_study) == 1, \
            f"{label(module)} should be in the half day once: taught, or set as self-study"
        if label(module) in self_study:
            assert self_study[label(module)] == module.minutes
            continue
        taught += 1
        row = matching[0]
        if row.minutes != module.minutes:
            assert row.minutes < module.minutes and f"shortened from {module.minutes}" in row.how, \
                f"{label(module)} runs {row.minutes} minutes; say 'shortened from {module.minutes}' and what to cut"
    assert taught >= 3, "a half day should teach at least three decks"
