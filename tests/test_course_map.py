from pathlib import Path

import pytest

from artisan_course.content.course_map import CourseMapError, load_course_map, missing_notebooks, parse_course_map

REPO = Path(__file__).resolve().parents[1]


def test_the_course_map_loads_in_reading_order():
    course = load_course_map()
    numbers = [m.notebook[:2] for m in course.modules]
    assert numbers == sorted(numbers)
    assert course.modules[0].id == "welcome"
    assert all(m.minutes > 0 for m in course.modules)


def test_every_seed_row_is_assigned_to_a_module():
    course = load_course_map()
    covered = {s for m in course.modules for s in m.seed_sections}
    assert set(course.seed_map) - covered == set()
    assert len(course.seed_map) == 21  # the rows of the brief's seed-to-course map


def test_every_ready_module_has_its_notebook():
    assert missing_notebooks(load_course_map()) == []


def _write(tmp_path, text):
    path = tmp_path / "course_map.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_MODULE = """
  - id: welcome
    title: Welcome
    notebook: 00-welcome.ipynb
    minutes: 20
    status: ready
    objectives: [Start]
    seed_sections: [Think for a minute]
"""
HEAD = "title: T\nseed_map: [Think for a minute]\nmodules:\n"


@pytest.mark.parametrize("text, expected", [
    ("title: [unclosed\n", "not valid YAML"),
    (HEAD + GOOD_MODULE.replace("    minutes: 20\n", ""), "module 'welcome'"),
    (HEAD + GOOD_MODULE.replace("minutes: 20", "minutes: twenty"), "field 'minutes'"),
    (HEAD + GOOD_MODULE + GOOD_MODULE, "module 'welcome' appears twice"),
    (HEAD + GOOD_MODULE.replace("[Think for a minute]\n", "[Pillar 9]\n"), "seed section 'Pillar 9'"),
    (HEAD + GOOD_MODULE.replace("status: ready", "status: done"), "field 'status'"),
])
def test_a_broken_course_map_names_the_file_and_the_problem(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(CourseMapError) as caught:
        parse_course_map(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_missing_notebook_is_named(tmp_path):
    course = parse_course_map(_write(tmp_path, HEAD + GOOD_MODULE))
    sentences = missing_notebooks(course, tmp_path)
    assert sentences == ["The course map names notebooks/00-welcome.ipynb for module 'welcome', but that file "
                         "does not exist."]


def test_neighbours_skip_planned_modules():
    course = load_course_map()
    before, after = course.neighbours("welcome")
    assert before is None
    ready = course.ready_modules()
    assert after == (ready[1] if len(ready) > 1 else None)


def test_the_pillar_4_tactics_are_carried_through_modules_03_to_05_with_their_source():
    from artisan_course.content.course_map import load_tactics
    from artisan_course.widgets.course import _pillar_line
    tactics = load_tactics()
    assert [m for _, m in tactics.tactics] == ["anchoring"] + ["contingency-why"] * 2 + ["fairness-culture"] * 4
    for module in ("anchoring", "contingency-why", "fairness-culture"):
        line = _pillar_line(module)
        assert "Pillar 4: tactics" in line and "Rares" in line and "(2020)" in line
        assert all(f"<strong>{name}</strong>" in line for name in tactics.taught_in(module))
    assert "Contingency agreement (04)" in _pillar_line("fairness-culture")
    assert _pillar_line("management") == ""


def test_a_tactic_in_an_unknown_module_is_named(tmp_path):
    from artisan_course.content.course_map import CourseMapError, load_tactics
    path = tmp_path / "pillar_tactics.yaml"
    path.write_text("pillar: P\nsource: S\ntactics:\n  - {name: Anchoring, module: haggling}\n", encoding="utf-8")
    with pytest.raises(CourseMapError, match="the tactic 'Anchoring' names the module 'haggling'"):
        load_tactics(path)
