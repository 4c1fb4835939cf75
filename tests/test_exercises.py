"""Exercises are generated from solutions, never edited by hand; tasks give specific feedback and never raise."""
import json
from pathlib import Path

import nbformat
import pytest

from artisan_course.build_exercises import SolutionMarkerError, build, strip_solution
from artisan_course.exercise_tasks import (anchor_feedback, because_checklist, check_anchor_gaps, check_piece_shares,
                                           issue_feedback, warm_tough_feedback)
from artisan_course.simulators.anchoring_view import load_products

REPO = Path(__file__).resolve().parents[1]


def test_exercises_match_what_the_generator_makes(tmp_path):
    generated = build(REPO / "solutions", tmp_path)
    committed = sorted((REPO / "exercises").glob("*.ipynb"))
    assert [p.name for p in generated] == [p.name for p in committed]
    for new, old in zip(generated, committed):
        assert nbformat.read(new, as_version=4) == nbformat.read(old, as_version=4), (
            f"exercises/{old.name} differs from its solution: run `artisan-course build-exercises`")


def test_every_solution_has_answers_and_every_exercise_hides_them():
    for solution in (REPO / "solutions").glob("*-solution.ipynb"):
        text = solution.read_text()
        exercise = (REPO / "exercises" / solution.name.replace("-solution", "")).read_text()
        if "BEGIN SOLUTION" in text:
            assert "BEGIN SOLUTION" not in exercise and "# Your answer here" in exercise


def test_markers_are_replaced_and_indentation_kept():
    source = "x = None\nif True:\n    ### BEGIN SOLUTION\n    x = 1\n    ### END SOLUTION\ncheck(x)"
    assert strip_solution(source, "t") == "x = None\nif True:\n    # Your answer here\ncheck(x)"


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\nx = 1", "never ended"),
    ("x = 1\n### END SOLUTION", "END SOLUTION without a BEGIN"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another solution"),
])
def test_broken_markers_are_named(source, message):
    with pytest.raises(SolutionMarkerError, match=message):
        strip_solution(source, "05-fairness-solution.ipynb cell 3")


def test_an_extreme_anchor_gets_specific_feedback():
    scarf = load_products()["Woven silk scarf"]
    good, points = anchor_feedback(scarf, first_offer=13.2, limit=25)
    assert not good
    assert points[0].startswith("Your anchor is 40% below the market range (22-38 USD).")
    assert "Schweinsberg" in points[0]
    good, points = anchor_feedback(scarf, first_offer=21, limit=15)
    assert not good and any("below the illustrative fair-price line of 18 USD" in p for p in points)
    good, _ = anchor_feedback(scarf, first_offer=22, limit=28)
    assert good


def test_free_text_gets_guidance_not_a_grade():
    points = because_checklist("Please deliver earlier.")
    assert any("'because'" in p for p in points) and any("Langer" in p for p in points)
    assert all(p.endswith(("?", ".", ")")) for p in points)
    assert any("reason" in p for p in warm_tough_feedback("Hello.", "Fix the handles."))


def test_issue_feedback_names_the_usual_type():
    assert "often integrative" in issue_feedback("advance payment", "distributive")
    assert "distributive fits" in issue_feedback("price per basket", "distributive")


def shown(check, answer) -> str:
    """The HTML the check puts on screen."""
    import artisan_course.exercise_tasks as tasks
    seen = []
    original = tasks.display
    tasks.display = seen.append
    try:
        check(answer)
    finally:
        tasks.display = original
    return " ".join(item.data for item in seen)


def test_unanswered_stretch_tasks_say_so_without_raising():
    assert "Not answered yet." in shown(check_piece_shares, None)
    assert "Not answered yet." in shown(check_anchor_gaps, None)


def test_stretch_answers_are_checked():
    import pandas as pd
    group = pd.read_csv(REPO / "data" / "producer_group.csv", comment="#")
    assert "Right" in shown(check_piece_shares, group["pieces"] / group["pieces"].sum() * 1000)
    assert "Not quite" in shown(check_piece_shares, group["hours"] / group["hours"].sum() * 1000)
    assert "members" in shown(check_piece_shares, [1, 2])


def test_the_other_stretch_checks():
    import pandas as pd
    from artisan_course.exercise_tasks import check_contingency_table, check_zone_middles
    products = pd.read_csv(REPO / "data" / "products.csv", comment="#")
    middles = ((products["fair_price"] + products["market_high"]) / 2).set_axis(products["name"])
    assert "Right" in shown(check_zone_middles, middles)
    assert "Not quite" in shown(check_zone_middles, middles + 1)
    table = pd.DataFrame({"total": [3600, 3000, 2400]}, index=["early", "on time", "late"])
    assert "Right: 3,600, 3,000 and 2,400 USD" in shown(check_contingency_table, table)
    assert "row names" in shown(check_contingency_table, table.reset_index(drop=True))
    assert "Not answered yet." in shown(check_contingency_table, None)
