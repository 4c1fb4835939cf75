"""Grading for every question type, partial credit, first-try scoring and show-answer."""
import pytest
from hypothesis import given, strategies as st

from artisan_course.content.quiz_bank import Question
from artisan_course.models.grading import (ResponseError, correct_response, display_order, grade, parse_number,
                                         question_score)


def opt(key, text=None):
    return {"key": key, "text": text or key.upper(), "feedback": f"because {key}"}


BASE = {"seed_section": "Fairness", "prompt": "P?", "explanation": "E."}
SINGLE = Question("m", {**BASE, "id": "s", "type": "single", "options": [opt("a"), opt("b"), opt("c")], "answer": "b"})
MULTI = Question("m", {**BASE, "id": "mu", "type": "multi", "options": [opt("a"), opt("b"), opt("c"), opt("d")],
                       "answers": ["a", "b"]})
TF = Question("m", {**BASE, "id": "tf", "type": "truefalse", "answer": False,
                    "feedback": {"true": "No: it is false.", "false": "Yes: it is false."}})
ORDER = Question("m",
                 {**BASE, "id": "o", "type": "ordering", "items": [opt("one"), opt("two"), opt("three"), opt("four")]})
CAT = Question("m", {**BASE, "id": "c", "type": "categorise", "categories": ["free", "costly"],
                     "items": [{"key": "emotion", "text": "Emotion", "category": "free", "feedback": "costs nothing"},
                               {"key": "bargain", "text": "Bargain", "category": "costly",
                                "feedback": "you give something"},
                               {"key": "logic", "text": "Logic", "category": "free", "feedback": "costs nothing"},
                               {"key": "threat", "text": "Threat", "category": "free", "feedback": "costs nothing"}]})
NUM = Question("m", {**BASE, "id": "n", "type": "numeric", "answer": 1000, "tolerance": 0, "units": "USD",
                     "feedback": {"correct": "Yes, 500 x 2.", "low": "Too low.", "high": "Too high."}})
POLL = Question("m",
                {**BASE, "id": "p", "type": "poll", "options": [{"key": "x", "text": "X"}, {"key": "y", "text": "Y"}]})


def test_single_choice_gives_the_chosen_options_feedback():
    assert grade(SINGLE, "b").score == 1 and grade(SINGLE, "b").feedback == ["because b"]
    wrong = grade(SINGLE, "a")
    assert (wrong.score, wrong.correct, wrong.feedback) == (0, False, ["because a"])
    with pytest.raises(ResponseError, match="choose an answer"):
        grade(SINGLE, None)


def test_select_all_partial_credit_subtracts_wrong_picks():
    assert grade(MULTI, ["a", "b"]).score == 1 and grade(MULTI, ["a", "b"]).correct
    assert grade(MULTI, ["a"]).score == 0.5
    assert grade(MULTI, ["a", "c"]).score == 0.0
    assert grade(MULTI, ["a", "b", "c"]).score == 0.5 and not grade(MULTI, ["a", "b", "c"]).correct
    assert grade(MULTI, ["c", "d"]).score == 0.0  # never below zero
    assert any('You did not tick "B"' in f for f in grade(MULTI, ["a"]).feedback)


def test_true_false_feedback_matches_the_choice():
    assert grade(TF, False).feedback == ["Yes: it is false."] and grade(TF, False).correct
    assert grade(TF, True).feedback == ["No: it is false."] and grade(TF, True).score == 0


def test_ordering_scores_the_share_in_the_right_place():
    assert grade(ORDER, ["one", "two", "three", "four"]).score == 1
    half = grade(ORDER, ["one", "two", "four", "three"])
    assert half.score == 0.5 and len(half.feedback) == 2
    with pytest.raises(ResponseError, match="only once"):
        grade(ORDER, ["one", "one", "three", "four"])
    with pytest.raises(ResponseError, match="every step"):
        grade(ORDER, ["one", None, "three", "four"])


def test_categorise_scores_the_share_in_the_right_category():
    right = {"emotion": "free", "bargain": "costly", "logic": "free", "threat": "free"}
    assert grade(CAT, right).score == 1
    result = grade(CAT, right | {"bargain": "free"})
    assert result.score == 0.75 and result.feedback == ['"Bargain" is costly. you give something']
    with pytest.raises(ResponseError):
        grade(CAT, {"emotion": "free"})


def test_numeric_uses_tolerance_and_says_which_side():
    assert grade(NUM, "1,000").correct and grade(NUM, "$1000").correct
    assert grade(NUM, 999).feedback == ["Too low."]
    assert grade(NUM, "1200").feedback == ["Too high."]
    with pytest.raises(ResponseError, match="not a number"):
        grade(NUM, "a thousand")
    with pytest.raises(ResponseError, match="type a number"):
        parse_number("  ")


def test_polls_have_no_score():
    assert grade(POLL, "x").score is None


@pytest.mark.parametrize("q", [SINGLE, MULTI, TF, ORDER, CAT, NUM])
def test_show_answer_gives_a_fully_right_response(q):
    assert grade(q, correct_response(q)).correct


def test_first_try_counts_and_show_answer_scores_zero():
    assert question_score([]) is None
    assert question_score([{"score": 0.5}, {"score": 1.0}]) == 0.5
    assert question_score([{"score": 0.0}, {"score": 0.0}, {"score": 0.0, "revealed": True}]) == 0.0
    assert question_score([{"score": 0.5}, {"score": 0.0, "revealed": True}]) == 0.0


def test_order_is_stable_per_seed_and_fixed_where_order_matters():
    assert display_order(SINGLE, "noy") == display_order(SINGLE, "noy")
    assert display_order(POLL, "noy") == ["x", "y"]
    assert display_order(ORDER, "room") != ["one", "two", "three", "four"]  # never shown already solved


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, min_size=1))
def test_select_all_score_is_always_between_zero_and_one(choice):
    assert 0 <= grade(MULTI, choice).score <= 1
