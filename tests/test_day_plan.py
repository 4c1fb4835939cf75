"""A day that fits: core and optional slides, speaker-note minutes against the agendas, the half day's coverage.

A facilitator runs the day from the guide's agendas and the speaker notes. So: every note says whether its slide
is core or optional, and how long it takes; each module's notes leave slack in its agenda time; its core slides fit
that time even with interpretation; the half day teaches all three parts of the deck from core slides that fit its
rows, lists exactly the quiz items those slides ask, and says the same as notebook 00; and no deck lectures for long
stretches with its quizzes saved for the end.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from artisan_course.content.course_map import load_course_map
from artisan_course.content.notebooks import NotesError, module_slides
from artisan_course.documents.materials import INTERPRETATION, timing

from test_facilitator_guide import GUIDE, agenda_rows, label, section

REPO = Path(__file__).resolve().parents[1]
MAX_LECTURE = 10      # minutes of slides in a row with no question, poll or tool
HALF_DAY_SLACK = 2     # minutes a shortened half-day row keeps free beyond its core slides

COURSE = load_course_map()
MODULES = COURSE.ready_modules()


def module_ids(modules):
    return [f"{m.number:02d}" for m in modules]


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def half_day(guide):
    """{module number: (row minutes, core slides only?)} for the modules the half day teaches."""
    rows = agenda_rows(section(guide, "Half-day agenda"))
    taught = {}
    for module in MODULES:
        for row in rows:
            if row.what == label(module):
                taught[module.number] = (row.minutes, "core slides only" in row.how)
    return taught


@pytest.mark.parametrize("module", MODULES, ids=module_ids(MODULES))
def test_every_note_marks_its_slide_core_or_optional_with_minutes(module):
    slides = module_slides(module)
    assert slides, f"{module.notebook} has no speaker notes"
    assert any(s.core for s in slides) and all(s.minutes >= 1 for s in slides)
    assert sum(s.core for s in slides) / len(slides) < 1 or module.minutes <= 20, "a long module needs optional slides"


def test_a_note_without_the_mark_is_named(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    path = root / "notebooks" / MODULES[1].notebook
    path.write_text(path.read_text(encoding="utf-8").replace("Core slide. About", "About", 1), encoding="utf-8")
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    with pytest.raises(NotesError, match=rf"{MODULES[1].notebook}: the note on '.+' should start"):
        module_slides(load_course_map().module(MODULES[1].id))


@pytest.mark.parametrize("module", MODULES, ids=module_ids(MODULES))
def test_the_notes_leave_slack_in_the_modules_time(module):
    t = timing(module)
    slack = max(3, module.minutes // 15)  # "a few minutes of slack in every module" (the guide)
    assert t["total"] + slack <= module.minutes, \
        f"{module.notebook}: the notes add up to {t['total']} of {module.minutes} minutes; keep {slack} minutes of slack"


@pytest.mark.parametrize("module", MODULES, ids=module_ids(MODULES))
def test_the_core_slides_fit_the_modules_time_with_interpretation(module, guide):
    t = timing(module)
    assert t["interpreted"] <= module.minutes and INTERPRETATION >= 1.5, \
        f"{module.notebook}: core slides take {t['core']} minutes; interpreted, that is more than {module.minutes}"
    text = section(guide, "Full-day agenda")
    assert "Interpretation into Lao" in text and "half as long again" in text and "core slides only" in text


def test_the_half_day_covers_negotiation_management_and_communication(guide):
    taught = half_day(guide)
    assert {1, 2, 3} <= set(taught), "negotiation: modules 01-03"
    assert 6 in taught, "management: module 06"
    assert 7 in taught, "communication: module 07"
    assert 8 in taught


def test_each_half_day_row_fits_what_it_teaches(guide):
    for number, (minutes, shortened) in half_day(guide).items():
        t = timing(COURSE.modules[number])
        if shortened:
            assert t["core"] + HALF_DAY_SLACK <= minutes, \
                f"module {number:02d}: its core slides take {t['core']} minutes, too long for a {minutes}-minute row"
        else:
            assert t["total"] <= minutes, f"module {number:02d}: the full deck takes {t['total']} minutes"


def test_the_half_day_lists_exactly_the_quiz_items_of_its_slides(guide):
    text = section(guide, "Half-day agenda")
    listed = {int(m.group(1)): re.findall(r"`([a-z0-9-]+)`", m.group(2))
              for m in re.finditer(r"^\|\s*(\d{2})\s*\|\s*(`.+)\|\s*$", text, flags=re.MULTILINE)}
    taught = half_day(guide)
    assert set(listed) == set(taught), "one row of quiz items for each module the half day teaches"
    for number, (_, shortened) in taught.items():
        slides = module_slides(COURSE.modules[number])
        asked = [q for s in slides if s.core or not shortened for q in s.quiz_ids]
        assert listed[number] == asked, f"module {number:02d}: the guide lists {listed[number]}, the slides ask {asked}"


def test_notebook_00_describes_the_same_half_day(guide):
    notes = " ".join(s.note for s in module_slides(COURSE.modules[0]))
    sentence = re.search(r"For a half-day workshop, teach (.+?)\.(?:\s|$)", notes, flags=re.DOTALL)
    assert sentence, "notebook 00 should say what a half day teaches"
    said = " ".join(sentence.group(1).split())
    taught = set(half_day(guide))
    named = {int(n) for n in re.findall(r"\b(\d{2})\b", said.split("set")[0])}
    assert named == taught, f"notebook 00 says the half day teaches {sorted(named)}; the guide teaches {sorted(taught)}"
    self_study = {int(n) for n in re.findall(r"\b(\d{2})\b", said.split("set", 1)[1])}
    assert self_study == {m.number for m in MODULES} - taught


@pytest.mark.parametrize("module", MODULES, ids=module_ids(MODULES))
def test_no_long_lecture_and_quizzes_are_spread_through_the_deck(module):
    slides = [s for s in module_slides(module) if s.title != "Opening: the module header"]
    run = longest = 0
    for slide in slides:
        run = 0 if (slide.quiz_ids or slide.tools) else run + slide.minutes
        longest = max(longest, run)
    assert longest <= MAX_LECTURE, f"{module.notebook}: {longest} minutes of slides in a row with nothing to answer or try"
    quiz_places = [i for i, s in enumerate(slides) if s.quiz_ids]
    teaching = [i for i, s in enumerate(slides) if not (s.quiz_ids or s.tools)]
    if len(quiz_places) >= 3:
        assert quiz_places[0] < len(slides) / 2, f"{module.notebook}: the first quiz comes only in the second half"
        assert any(q < teaching[-1] for q in quiz_places), f"{module.notebook}: every quiz comes after the teaching"
