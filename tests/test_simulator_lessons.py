"""What a trainee should see in each simulator, and a test that they can see it.

Each simulator teaches a point from the deck. For each one, the table below names every verdict or outcome the
screen can show, with settings a trainee would plausibly try that reach it. The same lessons are written out for
facilitators in docs/simulator-lessons.md. The anchoring simulator's own table is in test_anchoring_model.py.
"""
from datetime import date, timedelta

import numpy as np
import pytest

from artisan_course.content.negotiation import load_game
from artisan_course.content.tables import load_group
from artisan_course.models import agreement as ag
from artisan_course.models.contingency import Delivery, advice, default_terms, outcome
from artisan_course.models.fairness_rules import RULES, because_sentence, share_profit
from artisan_course.models.milestones import PlanInput, plan, verdict
from artisan_course.models.negotiation import Negotiation

TODAY = date(2026, 3, 2)

# -- contingency (module 04): a bonus or deduction per piece, tied to delivery dates -------------------------------
# Lesson: a clause turns a disagreement about dates into the deal itself, and shares the risk (Bazerman & Gillespie
# 1999); a clause set badly either motivates nobody or puts the risk on the artisans.
CONTINGENCY = [
    ("the clause raises on-time delivery", {}, Delivery(), "raises the chance of delivery on time"),
    ("with no extra effort it only decides who pays for a delay", {}, Delivery(effort=0), "who pays for a delay"),
    ("the buyer pays more, and the artisans earn more", {}, Delivery(), "more for the order, and the artisans earn"),
    ("a deduction-only clause costs the artisans", {"bonus": 0}, Delivery(25, 45, 70, 0.1), "less for the order"),
    ("a bonus date out of reach motivates nobody", {"bonus_date": TODAY + timedelta(days=14)}, Delivery(),
     "almost never earned"),
    ("a harsh deduction puts the risk on the weaker side", {"deduction_date": TODAY + timedelta(days=30)}, Delivery(),
     "puts the risk on the"),
]


@pytest.mark.parametrize("lesson, changes, delivery, words", CONTINGENCY, ids=[c[0] for c in CONTINGENCY])
def test_the_contingency_simulator_can_show(lesson, changes, delivery, words):
    terms = default_terms(TODAY, **changes)
    assert words in " ".join(advice(terms, outcome(terms, delivery))), lesson


def test_the_contingency_defaults_show_the_main_lesson_and_no_warning():
    terms = default_terms(TODAY)
    points = " ".join(advice(terms, outcome(terms, Delivery())))
    assert "raises the chance" in points and "almost never" not in points and "risk on the" not in points


# -- fairness (module 05): equality, equity and needs ------------------------------------------------------------
# Lesson: the rule decides who gains (Deutsch 1975 links each rule to a goal); no rule is neutral, so name the rule
# and give the reason ("because").
def test_each_fairness_rule_favours_someone_else_and_equality_favours_nobody():
    group = load_group()
    result = share_profit(group, 1000.0)
    top = {rule: result.shares.loc[result.shares[rule].idxmax(), "name"] for rule in RULES if rule != "equality"}
    assert result.shares["equality"].nunique() == 1  # everyone the same
    assert top["needs"] == "Mrs. Vanh" and top["equity_pieces"] == "Mrs. Phone"  # most dependants; most pieces
    assert len(set(top.values())) >= 2
    smallest = {rule: result.shares[rule].min() for rule in RULES}
    assert min(smallest, key=smallest.get) == "needs"  # a member with no dependants gets least under needs


@pytest.mark.parametrize("rule", list(RULES))
def test_every_fairness_rule_gets_its_own_because(rule):
    sentence = because_sentence(share_profit(load_group(), 1000.0, {rule: 1.0}))
    assert ", because " in sentence and sentence.endswith("We can change it together.")


# -- multi-issue negotiation (module 04): ask why, trade across issues ---------------------------------------------
# Lesson: splitting every issue leaves value on the table; trading across issues makes the pie bigger; asking why
# shows what matters to them. Outcomes: a deal; a counter because they get too little; a counter because a better
# package for both exists; a package below your own limit, which the simulator stops.
def test_every_negotiation_answer_can_happen():
    game = load_game()
    seen = {}
    rounds = Negotiation(game)
    seen["split: a counter, better for both"] = rounds.propose(game.split(), {})
    seen["take their counter: a deal"] = rounds.propose(rounds.counter, {})
    rounds.start_again()
    you, them = game.grid_points
    too_little = np.flatnonzero(them < game.limit_artisans)  # the packages a greedy buyer would try
    greedy = tuple(int(v) for v in game.grid[too_little[you[too_little].argmax()]])
    seen["too little for them: a counter"] = Negotiation(game).propose(greedy, {})
    mine = tuple(int(v) for v in game.grid[you.argmin()])
    seen["below your own limit: stopped"] = Negotiation(game).propose(mine, {})
    assert {k: v.status for k, v in seen.items()} == {
        "split: a counter, better for both": "counter", "take their counter: a deal": "deal",
        "too little for them: a counter": "counter", "below your own limit: stopped": "your-limit"}
    assert "better for both" in seen["split: a counter, better for both"].message
    assert "too little" in seen["too little for them: a counter"].message
    trade, split = game.score(game.trade()), game.score(game.split())
    assert sum(trade) > sum(split)  # trading makes the pie bigger


# -- milestone planner (module 06): 3-4 milestones, a longer lead time, batch-check-feedback ------------------------
# Lesson: batches with checks take time; ask for a longer lead time, or the plan is tight or late. Verdicts: on time,
# tight, too late (with the smallest change that fixes it).
GOOD = dict(start=TODAY + timedelta(days=7), deadline=TODAY + timedelta(days=63))
MILESTONES = [
    ("a longer lead time keeps the buffer", GOOD, "on time", "On time"),
    ("a short lead time leaves no buffer", {**GOOD, "deadline": TODAY + timedelta(days=50)}, "tight", "Tight"),
    ("too short a lead time is late, and a fix is named", {**GOOD, "deadline": TODAY + timedelta(days=40)}, "late",
     "Too late"),
]


@pytest.mark.parametrize("lesson, settings, status, words", MILESTONES, ids=[m[2] for m in MILESTONES])
def test_every_milestone_verdict_can_happen(lesson, settings, status, words):
    result = plan(PlanInput(**settings), today=TODAY)
    assert result.status == status and verdict(result).startswith(words), lesson
    assert bool(result.fixes) == (status != "on time")


# -- order agreement (module 06): write down what you agreed -------------------------------------------------------
# Lesson: formal documentation (the deck's advice); a fair-trade advance (WFTO: on request, at least 50%).
# Outcomes: the agreement with its sums; a note when the advance is under 50%; a plain refusal when a key part is
# missing.
def _fields(**changes):
    base = ag.empty_fields()
    base.update(product="Silk scarf", price="12.50", quantity="120", advance="50", delivery="2099-06-30")
    base.update(changes)
    return base


def test_every_agreement_outcome_can_happen():
    full = ag.from_draft(_fields(), made_on=TODAY)
    assert (full.total, full.advance_amount) == (1500, 750) and full.advance_percent >= ag.FAIR_TRADE_ADVANCE
    low = ag.from_draft(_fields(advance="20"), made_on=TODAY)
    assert low.advance_percent < ag.FAIR_TRADE_ADVANCE  # the builder shows the WFTO note for this one
    for missing, words in (("product", "Product name"), ("delivery", "Final delivery date")):
        with pytest.raises(ag.AgreementInputError, match=words):
            ag.from_draft(_fields(**{missing: ""}), made_on=TODAY)
