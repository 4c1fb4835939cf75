"""The quiz banks give a test-wise guesser nothing: the cue checker finds each cue in a bad bank, and the real banks
pass."""
import ast
import itertools
import sys
from pathlib import Path

import pytest

from artisan_course.content import quiz_cues
from artisan_course.content.quiz_cues import check_banks, check_question, chance, multi_score, report, simulate
from artisan_course.content.quiz_bank import load_all_banks
from artisan_course.models.grading import correct_response, grade

LONGEST, FALSE = "always pick the longest option", "always answer False"


def opt(key, text, feedback=None):
    return {"key": key, "text": text,
            "feedback": feedback or f"Tempting for a reason of its own, yet the course teaches otherwise about {key}."}


def single(qid, answer, *options, kind="single"):
    q = {"id": qid, "type": kind, "seed_section": "Fairness", "prompt": "Which one?", "explanation": "Because.",
         "options": list(options), "answer": answer}
    if kind == "scenario":
        q["situation"] = "A group asks for more."
    return q


def truefalse(qid, prompt, answer):
    return {"id": qid, "type": "truefalse", "seed_section": "Fairness", "prompt": prompt, "answer": answer,
            "explanation": "Because.",
            "feedback": {"true": f"Tempting, since it sounds plausible, but the research about {qid} disagrees.",
                         "false": f"Right, the research about {qid} found something different from this claim."}}


def problems_for(banks, qid=None):
    return [p.problem for p in check_banks(banks) if qid is None or p.question == qid]


# -- the checker finds each cue -----------------------------------------------------------------------------------
LONG_KEYS = {"long.yaml": [
    single(f"long-{i}", "right",
           opt("right",
               "Listen first, then explain the fixed date kindly, and agree together who in the group can help."),
           opt("wrong-a", "Refuse to talk about it."),
           opt("wrong-b", "Give in at once."))
    for i in range(4)]}


def test_a_right_answer_much_longer_than_the_rest_is_found_per_item_per_bank_and_by_the_guesser():
    found = problems_for(LONG_KEYS, "long-0")
    assert any("times as long as the wrong ones" in p for p in found)
    assert any("'wrong-a' is less than half as long" in p for p in found)
    assert any("the longest option is the right one" in p for p in problems_for(LONG_KEYS, "*"))
    result = simulate(LONG_KEYS)[LONGEST]
    assert result.score == 1.0 and result.chance == pytest.approx(1 / 3)
    assert any(p.startswith("a learner who would always pick the longest") for p in problems_for(LONG_KEYS, "*"))


def test_the_over_correction_is_found_too_a_right_answer_much_shorter_than_the_rest():
    bank = {"short.yaml": [single("short", "right", opt("right", "Ask why."),
                                  opt("a", "Split the price difference in the middle, so both sides feel it is fair."),
                                  opt("b", "Name a very low first price, so the anchor pulls the result your way."))]}
    assert any("much shorter than the wrong ones" in p for p in problems_for(bank, "short"))


def test_true_false_keys_that_lean_false_and_absolute_words_in_false_statements_are_found():
    bank = {"tf.yaml": [truefalse(f"tf-{i}", f"True or false? You must always do thing {i}.", False) for i in range(5)]
            + [truefalse("tf-true", "True or false? Reasons help with small requests.", True)]}
    course = problems_for(bank, "*")
    assert any("1 of the 6 true/false items are keyed True" in p for p in course)
    assert any("options and statements with absolute words are wrong" in p for p in course)
    assert any("'always, must'" in p for p in problems_for(bank, "tf-0"))
    assert simulate(bank)[FALSE].acted_score == pytest.approx(5 / 6)
    assert any(p.startswith("a learner who would always answer False") for p in course)


def test_wrong_options_that_argue_for_themselves_are_found():
    bank = {"why.yaml": [
        single(f"why-{i}", "right", opt("right", "Trade several variables first, and split one last."),
               opt("a", "Split the difference at once, since it looks fair."),
               opt("b", "Hold your price, because giving way looks weak."))
        for i in range(3)]}
    course = problems_for(bank, "*")
    assert any("with reasons given inside the option are wrong" in p for p in course)
    assert any("'since'" in p for p in problems_for(bank, "why-0"))
    assert simulate(bank)["avoid options that give their own reason"].acted_score == 1.0


def test_keys_always_of_middle_length_are_found():
    bank = {"mid.yaml": [single(f"mid-{i}", "right", opt("right", "Ask each sister why she wants it."),
                                opt("a", "Cut it into three equal parts for the sisters."), opt("b", "Give it away."))
                         for i in range(4)]}
    result = simulate(bank)["pick neither the longest nor the shortest"]
    assert result.score == 1.0
    assert any("pick neither the longest nor the shortest" in p for p in problems_for(bank, "*"))


def test_a_right_answer_alone_in_speaking_of_trust_or_fairness_is_found():
    cold = single("cold", "right", opt("right", "Say it calmly, and only if it is real, since a bluff breaks trust."),
                  opt("a", "Say it early and firmly, so the group knows where it stands today."),
                  opt("b", "Say it whenever the talk is stuck, even with no other group ready."))
    found = [p.problem for p in check_question("f.yaml", cold)]
    assert any("only the right option uses the course's warm words ('trust')" in p for p in found)
    bank = {"warm.yaml": [{**cold, "id": f"cold-{i}"} for i in range(3)]}
    assert simulate(bank)["pick the option with the course's warm words"].acted_score == 1.0
    # one tempting wrong option with the same warm words, and the cue is gone
    warm = {**cold, "options": [cold["options"][0],
                                opt("a", "Say it early, so the group can trust that you are open with them."),
                                cold["options"][2]]}
    assert not any("warm words" in p.problem for p in check_question("f.yaml", warm))
    # in "select all", the cue is every warm option keyed and every cold one not
    multi = {"id": "who", "type": "multi", "seed_section": "Fairness", "prompt": "Select all.", "explanation": "x",
             "options": [opt("leader", "The leader they trust"), opt("ngo", "An NGO that treats them fairly"),
                         opt("official", "A district official"), opt("boss", "Your own manager")],
             "answers": ["leader", "ngo"]}
    assert any("only the right options use the course's warm words" in p.problem
               for p in check_question("f.yaml", multi))


def test_feedback_that_only_repeats_the_label_is_found():
    q = {"id": "rules", "type": "categorise", "seed_section": "Fairness", "prompt": "Sort them.", "explanation": "x",
         "categories": ["equality", "equity"],
         "items": [{"key": "same", "text": "The group splits the leftover thread between members.",
                    "category": "equality", "feedback": "Equality. Everyone gets the same."},
                   {"key": "hours", "text": "More hours, more pay.", "category": "equity",
                    "feedback": "Equity. Reward follows what each person puts in, so longer hours earn a "
                                "bigger share."}]}
    found = [p.problem for p in check_question("f.yaml", q)]
    assert found == ["the feedback on 'same' adds little to the option and its label (3 new words); "
                     "say why the option is tempting or why it is right."]


def test_numeric_feedback_that_teaches_only_the_sum_is_found():
    q = {"id": "gap", "type": "numeric", "seed_section": "Because", "explanation": "x", "units": "people",
         "prompt": "With no reason 60 agreed; with a real reason 94 agreed. How many more?", "answer": 34,
         "tolerance": 0,
         "feedback": {"correct": "Right. 94 - 60 = 34.", "low": "Too low. Subtract: 94 - 60.",
                      "high": "Too high. Subtract: 94 - 60."}}
    found = [p.problem for p in check_question("f.yaml", q)]
    assert "the 'low' feedback and the 'high' feedback say the same thing, so neither explains its own case." in found
    assert sum("adds little" in p for p in found) == 3


def test_repeated_options_and_padded_select_all_items_are_found():
    repeated = single("dup", "a", opt("a", "Ask the producer leader."), opt("b", "Ask the  producer leader!"),
                      opt("c", "Ask the head office."))
    assert any("options 'a' and 'b' have the same text" in p.problem for p in check_question("f.yaml", repeated))
    padded = {"multi.yaml": [{
        "id": "pad", "type": "multi", "seed_section": "Fairness", "prompt": "Select all.", "explanation": "x",
        "options": [opt("r1", "Value"), opt("r2", "Respect"), opt("r3", "Warm"), opt("r4", "Tough"),
                    opt("w1", "Shouting")],
        "answers": ["r1", "r2", "r3", "r4"]}]}
    assert simulate(padded)["tick every box"].score == pytest.approx(0.75)
    assert any(p.startswith("a learner who would tick every box") for p in problems_for(padded, "*"))


def test_a_question_without_cues_passes():
    q = single("fine", "b", opt("a", "Split the difference early, since it looks fair to both sides."),
               opt("b", "Trade several variables first, and split one only as a last resort."),
               opt("c", "Hold the price and rely on emotion and logic, since giving way looks weak."), kind="scenario")
    assert check_question("f.yaml", q) == []


# -- the checker follows the course's own rules -------------------------------------------------------------------
def test_the_select_all_rule_and_its_chance_match_the_course_grading():
    q = next(q for qs in load_all_banks().values() for q in qs if q.type == "multi")
    keys = q.option_keys()
    ticks = [list(c) for r in range(1, len(keys) + 1) for c in itertools.combinations(keys, r)]
    graded = [grade(q, t).score for t in ticks]
    assert [multi_score(t, q["answers"]) for t in ticks] == pytest.approx(graded)
    assert chance(q.data) == pytest.approx(sum(graded) / len(graded))


def test_chance_per_item_type():
    three = single("c", "a", opt("a", "x"), opt("b", "y"), opt("c", "z"))
    assert chance(three) == pytest.approx(1 / 3)
    assert chance(truefalse("t", "True or false? x", True)) == 0.5
    assert chance({"type": "ordering", "items": [{}] * 5}) == pytest.approx(0.2)
    assert chance({"type": "categorise", "categories": ["a", "b", "c", "d"], "items": []}) == 0.25
    assert chance({"type": "numeric"}) == 0.0
    assert chance({"type": "poll"}) is None


def test_the_checker_imports_only_the_standard_library():
    tree = ast.parse(Path(quiz_cues.__file__).read_text())
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0}
    assert not any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(tree))
    assert names <= set(sys.stdlib_module_names) | {"__future__"}, names


# -- the real banks -----------------------------------------------------------------------------------------------
def real_banks():
    return {f"{module}.yaml": [q.data for q in questions] for module, questions in load_all_banks().items()}


def test_the_real_banks_have_no_cues():
    banks = real_banks()
    print("\n" + report(banks))
    assert check_banks(banks) == []


def test_the_longest_option_guesser_and_the_always_false_guesser_score_no_better_than_chance():
    results = simulate(real_banks())
    for name in (LONGEST, FALSE):
        print(f"\n{results[name].sentence()}")
    longest, false = results[LONGEST], results[FALSE]
    assert longest.acted >= 40 and false.acted >= 10
    assert longest.score <= longest.chance and longest.acted_score <= longest.acted_chance
    assert false.score <= false.chance and false.acted_score <= 0.5


def test_the_bank_answers_still_grade_right():
    """Every keyed answer, fed back through the course's grading, scores full marks."""
    for questions in load_all_banks().values():
        for q in questions:
            if q.type != "poll":
                assert grade(q, correct_response(q)).score == 1.0, q.id
