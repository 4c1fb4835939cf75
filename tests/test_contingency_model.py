"""The contingency-clause model (hypothesis properties) and its view, without a browser."""
import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from artisan_course.models.contingency import (DRAWS, ContingencyInputError, Delivery, Terms, advice, clause_text,
                                               default_terms, delivery_days, outcome)
from artisan_course.state import handoff
from artisan_course.state.store import Store

ORDER = date(2026, 3, 2)


@st.composite
def terms(draw):
    price = draw(st.floats(0.5, 100))
    bonus_day = draw(st.integers(1, 120))
    return Terms(order_date=ORDER, bonus_date=ORDER + timedelta(days=bonus_day),
                 deduction_date=ORDER + timedelta(days=bonus_day + draw(st.integers(0, 120))),
                 pieces=draw(st.integers(1, 5000)), price=price, bonus=draw(st.floats(0, 20)),
                 deduction=draw(st.floats(0, 1)) * price)


@st.composite
def deliveries(draw, max_effort=0.3):
    best = draw(st.integers(1, 150))
    likely = best + draw(st.integers(0, 60))
    worst = likely + draw(st.integers(0, 60))
    return Delivery(best, likely, worst, draw(st.floats(0, max_effort)))


@settings(max_examples=150, deadline=None)
@given(terms(), st.integers(1, 200), st.floats(0, 0.3))
def test_a_certain_delivery_time_costs_what_the_hand_calculation_says(clause, days, effort):
    result = outcome(clause, Delivery(days, days, days, effort))
    arrives = days * (1 - effort)  # with the clause, the effort shortens the delivery
    if arrives <= clause.bonus_day:
        by_hand = clause.pieces * (clause.price + clause.bonus)
    elif arrives <= clause.deduction_day:
        by_hand = clause.pieces * clause.price
    else:
        by_hand = clause.pieces * (clause.price - clause.deduction)
    assert result.cost_with == pytest.approx(by_hand, rel=1e-12)
    assert result.income_with == result.cost_with  # the artisans' income is what the buyer pays
    assert result.cost_without == pytest.approx(clause.pieces * clause.price)
    assert result.on_time_with == (1.0 if arrives <= clause.bonus_day else 0.0)
    assert result.on_time_without == (1.0 if days <= clause.bonus_day else 0.0)


@settings(max_examples=150, deadline=None)
@given(terms(), deliveries())
def test_chances_are_probabilities_and_costs_stay_between_the_extremes(clause, delivery):
    result = outcome(clause, delivery)
    for chance in (result.on_time_with, result.on_time_without, result.deduction_with, result.late_without):
        assert 0 <= chance <= 1
    assert result.on_time_with + result.deduction_with <= 1
    lowest, highest = clause.pieces * (clause.price - clause.deduction), clause.pieces * (clause.price + clause.bonus)
    assert lowest - 1e-6 <= result.cost_with <= highest + 1e-6
    assert result.draws == DRAWS == 10_000


@settings(max_examples=150, deadline=None)
@given(terms(), deliveries(max_effort=0.99))
def test_the_clause_never_makes_delivery_on_time_less_likely(clause, delivery):
    result = outcome(clause, delivery)
    assert result.on_time_with >= result.on_time_without
    assert result.deduction_with <= result.late_without
    assert result.days_with <= result.days_without + 1e-9


@settings(max_examples=40, deadline=None)
@given(terms(), deliveries(), st.integers(0, 10_000))
def test_the_same_seed_gives_the_same_numbers(clause, delivery, seed):
    assert outcome(clause, delivery, seed=seed) == outcome(clause, delivery, seed=seed)


def test_the_same_draws_serve_both_columns():
    # Common random numbers: with no extra effort the two columns match exactly, not just roughly.
    clause, delivery = default_terms(ORDER), Delivery(15, 30, 60, effort=0.0)
    result = outcome(clause, delivery)
    assert 0 < result.on_time_with == result.on_time_without < 1
    assert result.deduction_with == result.late_without > 0
    assert "only decides in advance who pays for a delay" in advice(clause, result)[0]


def test_another_seed_changes_the_numbers_only_a_little():
    clause, delivery = default_terms(ORDER), Delivery()
    first, second = outcome(clause, delivery, seed=1), outcome(clause, delivery, seed=2)
    assert first != second
    assert abs(first.on_time_with - second.on_time_with) < 0.03
    assert len(delivery_days(delivery, True)) == 10_000


def test_the_triangular_spread_matches_its_formula():
    # best 20, most likely 30, worst 55: P(X <= 28) = (28-20)^2 / ((55-20)(30-20)) = 64/350.
    result = outcome(default_terms(ORDER), Delivery(20, 30, 55, effort=0.0))
    assert result.on_time_without == pytest.approx(64 / 350, abs=0.015)
    assert result.days_without == pytest.approx((20 + 30 + 55) / 3, abs=0.3)


def test_a_model_call_takes_less_than_50_ms():
    clause, delivery = default_terms(ORDER), Delivery()
    times = []
    for likely in range(25, 35):
        start = time.perf_counter()
        outcome(clause, Delivery(delivery.best, likely, delivery.worst, delivery.effort))
        times.append(time.perf_counter() - start)
    assert min(times) < 0.050


def test_the_defaults_follow_the_deck_and_count_from_the_order_date():
    clause = default_terms(ORDER)
    assert (clause.bonus_day, clause.deduction_day) == (28, 49)  # 4 and 7 weeks
    assert (clause.pieces, clause.price, clause.bonus, clause.deduction) == (500, 10.0, 2.0, 2.0)
    assert default_terms().order_date == date.today()


def test_the_clause_text_has_real_dates_and_the_whole_order_worked_out():
    text = clause_text(default_terms(ORDER))
    assert "on or before 30 March 2026" in text and "after 20 April 2026" in text
    assert "from 31 March 2026 to 20 April 2026" in text
    assert "500 × 2 USD = 1,000 USD extra" in text and "500 × 12 USD = 6,000 USD" in text
    assert "500 × 8 USD = 4,000 USD" in text and "500 × 10 USD = 5,000 USD" in text


def test_the_clause_text_leaves_out_what_is_not_agreed():
    no_bonus = clause_text(default_terms(ORDER, bonus=0, pieces=300, price=7.5))
    assert "extra" not in no_bonus and "on or before 20 April 2026: the normal price" in no_bonus
    assert "300 × 7.50 USD = 2,250 USD" in no_bonus
    same_day = default_terms(ORDER, deduction_date=ORDER + timedelta(days=28))
    assert "from " not in clause_text(same_day).split("\n", 3)[3]
    assert [line[:2] for line in clause_text(same_day).splitlines() if line[:1].isdigit()] == ["1.", "2."]


def test_advice_warns_when_the_bonus_is_out_of_reach_or_the_deduction_is_harsh():
    clause = default_terms(ORDER)
    slow = outcome(clause, Delivery(40, 55, 80, 0.1))
    points = " ".join(advice(clause, slow))
    assert "almost never earned" in points and "puts the risk on the artisans" in points
    assert "almost never" not in " ".join(advice(clause, outcome(clause, Delivery())))


@pytest.mark.parametrize("changes, delivery, message", [
    ({"pieces": 0}, Delivery(), "whole number of pieces above zero"),
    ({"pieces": 12.5}, Delivery(), "whole number of pieces"),
    ({"price": -1}, Delivery(), "Price per piece must be above zero"),
    ({"deduction": 12}, Delivery(), "The deduction (12 USD) is larger than the price (10 USD)"),
    ({"bonus": -2}, Delivery(), "cannot be below zero"),
    ({"bonus_date": ORDER - timedelta(days=3)}, Delivery(), "is in the past"),
    ({"bonus_date": ORDER}, Delivery(), "The bonus date is today"),
    ({"deduction_date": ORDER + timedelta(days=20)}, Delivery(), "is before the bonus date"),
    ({"bonus_date": None}, Delivery(), "Choose a bonus date"),
    ({}, Delivery(30, 20, 40), "out of order"),
    ({}, Delivery(20, 50, 40), "out of order"),
    ({}, Delivery(0, 20, 40), "at least 1 day"),
])
def test_bad_input_is_refused_with_a_plain_message(changes, delivery, message):
    with pytest.raises(ContingencyInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        outcome(default_terms(ORDER, **changes), delivery)


# -- the view, kernel side -------------------------------------------------------------------------
@pytest.fixture
def session(fresh_session):
    return fresh_session


def test_the_view_keeps_the_last_valid_numbers_and_says_why(session):
    from artisan_course.widgets.contingency import ContingencySimulator
    view = ContingencySimulator(order_date=ORDER)
    view.likely.value = 25
    table, chart = view.numbers.value, view.chart.value
    for control, bad, words in ((view.price, "ten", "is not a number"), (view.deduction, "15", "larger than the price"),
                                (view.bonus_date, ORDER - timedelta(days=1), "is in the past"),
                                (view.best, 40, "out of order")):
        good = control.value
        control.value = bad
        assert words in view.message.value and "last valid result" in view.message.value
        assert view.numbers.value == table and view.chart.value == chart
        control.value = good
        assert view.message.value == ""
    view.effort.value = 0.25
    assert view.numbers.value != table and view.chart.value != chart


def test_the_view_publishes_the_clause_and_saves_the_scenario(session, learner_home):
    from artisan_course.widgets.contingency import ContingencySimulator
    view = ContingencySimulator(order_date=ORDER, pieces=300)
    first = handoff.latest(handoff.CLAUSE)
    assert "300 × 2 USD = 600 USD extra" in first["clause"] and first["settings"]["pieces"] == 300
    view.set_values(bonus="3", bonus_date=ORDER + timedelta(days=21))
    published = handoff.latest(handoff.CLAUSE)
    assert "on or before 23 March 2026: the buyer pays 3 USD extra" in published["clause"]
    assert published["results"]["on_time_with"] < first["results"]["on_time_with"]
    view.price.value = "oops"  # an invalid state is never handed on
    assert handoff.latest(handoff.CLAUSE) == published
    session.set_learner("Vanh")
    view.save.children[0].click()
    store = Store(learner_home)
    saved = store.latest(store.find_learner("Vanh").id, "contingency-clause", kind="scenario").value
    assert saved == published and set(saved) == {"summary", "clause", "settings", "results"}


def test_the_view_counts_from_today_and_refuses_a_bad_preset(session):
    from artisan_course.widgets.contingency import ContingencySimulator
    view = ContingencySimulator()
    assert view.bonus_date.value == date.today() + timedelta(days=28)
    assert view.deduction_date.value == date.today() + timedelta(days=49)
    with pytest.raises(ValueError, match="larger than the price"):
        ContingencySimulator(price=1.5)
