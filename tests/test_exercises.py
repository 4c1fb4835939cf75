"""Exercises are generated from solutions, never edited by hand; tasks give specific feedback and never raise."""
from pathlib import Path

import nbformat
import pytest

from artisan_course.content.build_exercises import SolutionMarkerError, build, strip_solution
from artisan_course.widgets.exercises import (anchor_feedback, because_checklist, check_anchor_gaps, check_piece_shares,
                                           issue_feedback, warm_tough_feedback)
from artisan_course.widgets.anchoring import load_products

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
    good, points = anchor_feedback(scarf, first_offer=9, limit=20)
    assert not good
    assert points[0].startswith("Your anchor is 40% below the artisans' usual price (15 USD).")
    assert "Schweinsberg" in points[0]
    good, points = anchor_feedback(scarf, first_offer=21, limit=15)
    assert not good and any("below the made-up fair-price line of 18 USD" in p for p in points)
    good, points = anchor_feedback(scarf, first_offer=21, limit=20)
    assert not good and "above the most you can pay" in points[0]
    good, _ = anchor_feedback(scarf, first_offer=13, limit=19)  # 13% below their usual price: firm, not extreme
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
    import artisan_course.widgets.exercises as tasks
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
    from artisan_course.widgets.exercises import check_contingency_table, check_zone_middles
    products = pd.read_csv(REPO / "data" / "products.csv", comment="#")
    middles = ((products["fair_price"] + products["buyer_limit"]) / 2).set_axis(products["name"])
    assert "Right" in shown(check_zone_middles, middles)
    assert "Not quite" in shown(check_zone_middles, middles + 1)
    table = pd.DataFrame({"total": [3600, 3000, 2400]}, index=["early", "on time", "late"])
    assert "Right: 3,600, 3,000 and 2,400 USD" in shown(check_contingency_table, table)
    assert "row names" in shown(check_contingency_table, table.reset_index(drop=True))
    assert "Not answered yet." in shown(check_contingency_table, None)


# -- modules 06 and 07 ----------------------------------------------------------------------------------
def shown_widget(task):
    """The widget a task form puts on screen, and a way to read its feedback."""
    import artisan_course.widgets.exercises as tasks
    seen = []
    original = tasks.display
    tasks.display = seen.append
    try:
        task()
    finally:
        tasks.display = original
    return seen[0]


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def test_the_agreement_check_names_missing_and_vague_parts():
    from artisan_course.widgets.exercises import AGREEMENT_PARTS, agreement_feedback
    count, points = agreement_feedback({"order": "300 cushion covers", "price": "ten dollars", "delivery": "soon"},
                                       "spoken")
    assert count == 3
    assert any(p.startswith("Quality standard:") for p in points) and any(p.startswith("Payment:") for p in points)
    assert any("write the number" in p for p in points) and any("write a date" in p for p in points)
    assert any("record their understanding by audio or video" in p for p in points)
    full = {"order": "300 cushion covers", "specification": "40 x 40 cm, indigo, as in photo 1",
            "price": "10 USD per piece",
            "payment": "50% in advance, the rest at delivery", "delivery": "batches on 1, 15 and 30 May",
            "quality": "we check every piece for loose threads", "problems": "late pieces: 1 USD less each"}
    count, points = agreement_feedback(full, "signed")
    assert count == len(AGREEMENT_PARTS)
    assert points == ["Signed by both sides: good. People keep more closely to what they clearly agreed to."]


def test_the_agreement_form_saves_the_parts_for_the_learner(fresh_session):
    from artisan_course.widgets.exercises import agreement_parts_task
    box = shown_widget(agreement_parts_task)
    texts = [w for w in walk(box) if type(w).__name__ == "Text"]
    button = next(w for w in walk(box) if type(w).__name__ == "Button")
    feedback = box.children[-1]
    button.click()
    assert "Write the order first" in feedback.value
    texts[0].value, texts[3].value = "120 baskets", "6 USD per piece"
    button.click()
    assert "You have written 2 of 7 parts" in feedback.value
    assert "Type your name at the top first: nothing is saved yet." in feedback.value  # no name chosen yet
    learner = fresh_session.set_learner("Noy")
    button.click()
    saved = fresh_session.get_store().latest(learner.id, "order-agreement-parts", "exercise").value
    assert saved["order"] == "120 baskets" and saved["parts_written"] == 2


def planner_result(**settings):
    from datetime import date, timedelta
    from artisan_course.models.milestones import PlanInput, handoff_value, plan
    start = date.today() + timedelta(days=7)
    return handoff_value(plan(PlanInput(start=start, deadline=start + timedelta(days=settings.pop("days", 56)),
                                        **settings)))


def test_the_milestone_check_says_whether_the_plan_meets_the_deadline():
    from artisan_course.widgets.exercises import is_example_plan, milestone_plan_feedback
    assert is_example_plan(planner_result()) and not is_example_plan(planner_result(quantity=300))
    good, points = milestone_plan_feedback(planner_result(quantity=300, days=30), "weekly",
                                           "Show me two pieces. What is difficult?")
    assert not good and "days after the deadline" in points[0]
    good, points = milestone_plan_feedback(planner_result(quantity=120, days=60, order="Cushion covers"), "weekly",
                                           "Show me two pieces. What is difficult?")
    assert good and points[0].startswith("On time") and len(points) == 1
    _, points = milestone_plan_feedback(planner_result(quantity=120, days=60, order="My order"), "weekly",
                                        "Show me. Problems?")
    assert any("name of your order" in p for p in points)
    good, points = milestone_plan_feedback(planner_result(quantity=120, days=60, milestones=1,
                                                          modes=("producer lead",)),
                                           "plan only", "")
    assert any("One batch" in p for p in points) and any("None of your check-ins is in person" in p for p in points)
    assert any("every week or two" in p for p in points) and any("Write what you will ask" in p for p in points)


def test_the_milestone_form_reads_the_plan_from_the_planner():
    from artisan_course.widgets.exercises import milestone_plan_task
    from artisan_course.state import handoff
    handoff.forget()
    try:
        box = shown_widget(milestone_plan_task)
        button = next(w for w in walk(box) if type(w).__name__ == "Button")
        feedback = box.children[-1]
        handoff.publish(handoff.PLAN, planner_result())
        button.click()
        assert "still shows the example" in feedback.value
        handoff.publish(handoff.PLAN, planner_result(quantity=600, days=30))
        button.click()
        assert "course-feedback-wrong" in feedback.value and "after the deadline" in feedback.value
    finally:
        handoff.forget()


def test_the_batch_plan_check_names_each_mistake_kindly():
    import html
    import pandas as pd
    from artisan_course.widgets.exercises import check_batch_plan
    right = pd.DataFrame({"pieces": [80, 80, 80], "due": pd.to_datetime(["2027-04-30", "2027-05-21", "2027-06-11"])})
    assert "Right: 3 batches, 240 pieces" in shown(lambda a: check_batch_plan(a, 240, "2027-06-30"), right)
    wrong = pd.DataFrame({"pieces": [80, 70, 80], "due": ["2027-05-21", "2027-04-30", "2027-07-11"]})
    text = shown(lambda a: check_batch_plan(a, 240, "2027-06-30"), wrong)
    assert "add up to 230 pieces, but the order has 240. Add 10 pieces" in text
    assert "Batch 2 is due on 30 April, not after batch 1" in text
    assert "after the deadline (30 June 2027)" in text
    text = html.unescape(shown(lambda a: check_batch_plan(a, 240, "2027-06-30"),
                               pd.DataFrame({"pieces": [240, -1], "due": ["2027-05-01", "soon"]})))
    assert "add up to" not in text  # a bad row is named first; the sum would only confuse
    assert "Batch 2: the pieces should be a whole number above 0" in text and "could not read 'soon' as a date" in text
    assert "'pieces' and 'due'" in html.unescape(shown(check_batch_plan, pd.DataFrame({"count": [240]})))
    assert "Not answered yet." in shown(check_batch_plan, None)


def test_the_conflict_plan_gets_questions_not_a_grade():
    from artisan_course.widgets.exercises import conflict_plan_feedback
    thin = conflict_plan_feedback(["Tell them the price is 10 USD."], "me")
    assert any("listen first" in p for p in thin) and any("every employee" in p for p in thin)
    full = conflict_plan_feedback(["Visit the leader and listen: ask why she remembers 12 USD.",
                                   "Look at the written order together.",
                                   "If we cannot agree, my manager decides within a week.",
                                   "Write down what we agreed, and thank them."], "all")
    assert len(full) == 1 and full[0].endswith("?")


def test_the_summary_check_lists_what_was_caught_and_missed():
    from artisan_course.widgets.exercises import SUMMARY_STATEMENT, summary_feedback
    import yaml
    module_statements = yaml.safe_load((REPO / "data" / "listening.yaml").read_text())["statements"]
    assert all("cushion design" not in s["text"] for s in module_statements) and "cushion design" in SUMMARY_STATEMENT
    caught, questions = summary_feedback(
        "So, you like the new design and want to keep working with us. It has three colours, so each cover takes one "
        "more day. At the old price you earn less, and some women are unhappy. You ask to talk about the price, or to "
        "make the new design for half of the order. Did I understand you right?")
    assert len(caught) == 4 and questions == []
    caught, questions = summary_feedback("The design takes longer. You should work faster.")
    assert len(caught) == 1
    assert any("earn less" in q for q in questions) and any("end with a question" in q for q in questions)
    assert any("advice or a solution" in q for q in questions) and any("feeling" in q for q in questions)


def test_the_channel_table_check():
    import html
    import pandas as pd
    from artisan_course.widgets.exercises import check_channel_table
    index = ["new order", "weekly check-in", "quality problem", "price change"]
    good = pd.DataFrame({"channel": ["visit", "chat message", "video call", "visit"],
                         "write_down": [True, False, True, True]}, index=index)
    assert "Good plan" in shown(check_channel_table, good)
    bad = good.copy()
    bad.loc["price change", "channel"] = "chat message"
    bad.loc["new order", "write_down"] = False
    bad.loc["weekly check-in", "channel"] = "whatsapp"
    text = html.unescape(shown(check_channel_table, bad))
    assert "'price change': this is a hard talk" in text and "'new order': write it down" in text
    assert "'whatsapp' is not one of the channels" in text
    assert "Missing: 'price change'" in html.unescape(shown(check_channel_table, good.drop(index="price change")))
    assert "Not answered yet." in shown(check_channel_table, None)


def test_the_anchor_gap_stretch_measures_against_the_usual_price():
    import pandas as pd
    products = pd.read_csv(REPO / "data" / "products.csv", comment="#")
    gaps = ((products["usual_price"] - products["cost"]) / products["usual_price"]).set_axis(products["name"])
    assert "Right" in shown(check_anchor_gaps, gaps)
    old = ((products["market_low"] - products["cost"]) / products["market_low"]).set_axis(products["name"])
    assert "Not quite" in shown(check_anchor_gaps, old)


# -- a form comes back with the learner's last saved answer (a restarted kernel, a reopened notebook) ---------------
FORMS = ["warm_tough_task", "plan_negotiation_task", "classify_issues_task", "contingency_task", "fairness_rule_task",
         "agreement_parts_task", "milestone_plan_task", "conflict_plan_task", "summarise_back_task"]


def fill_in(box) -> dict:
    """Type an answer into every field of a form, as a trainee would, and return what each field holds."""
    for i, widget in enumerate(walk(box)):
        kind = type(widget).__name__
        if kind == "Text":
            widget.value = "600"
        elif kind == "Textarea":
            widget.value = f"Because the dye takes a week, ນ້ອຍ asks for 3 days more ({i})."
        elif kind == "Dropdown":
            widget.value = widget.options[-1][1] if isinstance(widget.options[-1], tuple) else widget.options[-1]
        elif kind == "BoundedFloatText":
            widget.value = 10 + i
    return fields_of(box)


def fields_of(box) -> dict:
    kinds = ("Text", "Textarea", "Dropdown", "BoundedFloatText")
    return {i: w.value for i, w in enumerate(walk(box)) if type(w).__name__ in kinds}


def restart_kernel(session):
    """What a new kernel starts with: no learner known yet, no store open, nothing handed between tools."""
    from artisan_course.state import handoff
    session.learner = session.store = session.module = None
    session.listeners.clear()
    handoff.forget()


def primary(box):
    return next(w for w in walk(box) if type(w).__name__ == "Button" and w.button_style == "primary")


@pytest.mark.parametrize("form", FORMS)
def test_a_form_comes_back_with_the_last_saved_answer_after_a_restart(form, fresh_session):
    import artisan_course.widgets.exercises as tasks
    from artisan_course.state import handoff
    fresh_session.set_learner("Noy")
    task = getattr(tasks, form)
    if form == "milestone_plan_task":  # its check reads the planner above it
        handoff.publish(handoff.PLAN, planner_result(quantity=600, days=30))
    box = shown_widget(task)
    typed = fill_in(box)
    primary(box).click()
    feedback = box.children[-1].value
    assert "course-warning" not in feedback, feedback  # the check accepted it, and saved it

    restart_kernel(fresh_session)
    again = shown_widget(task)
    assert fields_of(again) == typed
    note = again.children[-1].value
    assert "Your answer saved on" in note and "is back." in note
    if form != "milestone_plan_task":  # its feedback needs the planner, which starts again from its example
        assert feedback in note  # and the feedback it had


def test_a_restored_form_shows_nothing_of_another_learner_and_never_overwrites_typing(fresh_session):
    from artisan_course.widgets.exercises import warm_tough_task
    fresh_session.set_learner("Noy")
    box = shown_widget(warm_tough_task)
    warm, tough = [w for w in walk(box) if type(w).__name__ == "Textarea"]
    warm.value, tough.value = "Thank you for the baskets, Mrs Keo.", "Fix 30 handles by Friday, because the shop opens."
    primary(box).click()

    restart_kernel(fresh_session)
    box = shown_widget(warm_tough_task)
    warm, tough = [w for w in walk(box) if type(w).__name__ == "Textarea"]
    assert warm.value == "Thank you for the baskets, Mrs Keo."
    fresh_session.set_learner("Somphone")  # "Change name": the form held Noy's answer only because it came back
    assert (warm.value, tough.value) == ("", "") and "is back" not in box.children[-1].value
    warm.value = "Hello, how is your family?"  # Somphone types
    fresh_session.set_learner("Noy")
    assert warm.value == "Hello, how is your family?"  # what was typed stays


def test_the_same_task_in_another_module_starts_empty(fresh_session):
    from artisan_course.widgets.exercises import plan_negotiation_task
    fresh_session.set_learner("Noy")
    box = shown_widget(lambda: plan_negotiation_task(module="process"))
    typed = fill_in(box)
    primary(box).click()
    restart_kernel(fresh_session)
    drawn = fields_of(shown_widget(lambda: plan_negotiation_task(module="anchoring")))
    assert all(value in (0, "") for value in list(drawn.values())[1:])  # after the product: the numbers and the words
    assert fields_of(shown_widget(lambda: plan_negotiation_task(module="process"))) == typed


def test_a_form_shown_before_the_name_is_given_fills_once_it_is(fresh_session):
    from artisan_course.widgets.exercises import fairness_rule_task
    store = fresh_session.get_store()
    noy = store.learner("Noy")  # Noy answered on another day; this notebook was opened before she typed her name
    answer = {"rule": "needs", "why": "Because Bee is ill."}
    store.record(noy.id, "fairness-culture", "fairness-rule", "exercise", answer)
    box = shown_widget(fairness_rule_task)
    rule, why = box.children[0], box.children[1]
    assert (rule.value, why.value) == (None, "")
    fresh_session.set_learner("noy")  # she types her name at the top
    assert (rule.value, why.value) == ("needs", "Because Bee is ill.") and "is back" in box.children[-1].value
