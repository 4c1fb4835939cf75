"""Properties of the fairness-rule model (hypothesis)."""
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings, strategies as st

from artisan_course.models.fairness_rules import (RULES, FairnessInputError, because_sentence, gini, share_profit,
                                                  split_cents)

REPO = Path(__file__).resolve().parents[1]

member = st.fixed_dictionaries({
    "hours": st.floats(0, 200, allow_nan=False), "pieces": st.integers(0, 500),
    "quality": st.floats(0, 1, allow_nan=False), "dependants": st.integers(0, 10)})
groups = st.lists(member, min_size=1, max_size=12).map(
    lambda rows: pd.DataFrame([{"name": f"M{i}", **r} for i, r in enumerate(rows)]))
totals = st.decimals(0, 100_000, places=2).map(float)
weights = st.dictionaries(st.sampled_from(list(RULES)), st.floats(0, 5, allow_nan=False), min_size=1).filter(
    lambda w: sum(w.values()) > 0)


@settings(max_examples=150, deadline=None)
@given(groups, totals, weights)
def test_shares_add_up_to_the_total_to_the_cent_and_are_never_negative(members, total, blend):
    result = share_profit(members, total, blend)
    for column in list(RULES) + ["blend"]:
        cents = [round(v * 100) for v in result.shares[column]]
        assert sum(cents) == round(total * 100), column
        assert min(cents) >= 0
    assert abs(sum(result.weights.values()) - 1) < 1e-9


@settings(max_examples=100, deadline=None)
@given(groups, totals)
def test_equality_gives_equal_shares_within_a_cent(members, total):
    shares = share_profit(members, total).shares["equality"]
    assert shares.max() - shares.min() <= 0.010001


@settings(max_examples=100, deadline=None)
@given(groups, totals)
@example(pd.DataFrame([{"name": "A", "hours": 0.0, "pieces": 0, "quality": 0.0, "dependants": 0},
                       {"name": "B", "hours": 5e-324, "pieces": 0, "quality": 0.0, "dependants": 0}]), 0.02)
def test_equity_is_proportional_to_the_contribution(members, total):
    result = share_profit(members, total)
    hours = members["hours"]
    if hours.sum() > 0:
        expected = total * (hours / hours.sum())  # divide first: tiny hours must not underflow to zero
        assert (result.shares["equity_hours"] - expected).abs().max() <= 0.010001
    else:
        assert "equity_hours" in result.fallbacks


def test_all_zero_contributions_fall_back_to_equality_and_say_so():
    members = pd.DataFrame([{"name": "A", "hours": 0, "pieces": 0, "quality": 0, "dependants": 0},
                            {"name": "B", "hours": 0, "pieces": 0, "quality": 0, "dependants": 0}])
    result = share_profit(members, 100.0, {"equity_hours": 1})
    assert result.fallbacks == ["equity_hours", "equity_pieces", "equity_quality"]
    assert result.shares["blend"].tolist() == [50.0, 50.0]


def test_cents_go_to_the_largest_remainders():
    assert split_cents(100.0, [1, 1, 1]) == [33.34, 33.33, 33.33]
    assert split_cents(0.05, [1, 1]) == [0.03, 0.02]


@pytest.mark.parametrize("change, message", [
    (lambda m: m.iloc[0:0], "The group is empty"),
    (lambda m: m.assign(hours=["ten"] + m["hours"].tolist()[1:]), "'ten' is not a usable number for hours"),
    (lambda m: m.assign(pieces=[-1] + m["pieces"].tolist()[1:]), "is not a usable number for pieces"),
    (lambda m: m.assign(quality=[5] + m["quality"].tolist()[1:]), "Quality is a score from 0 to 1"),
])
def test_bad_member_tables_get_a_plain_message(change, message):
    members = pd.read_csv(REPO / "data" / "producer_group.csv", comment="#")
    with pytest.raises(FairnessInputError, match=message):
        share_profit(change(members), 100.0)


def test_negative_profit_is_refused():
    members = pd.read_csv(REPO / "data" / "producer_group.csv", comment="#")
    with pytest.raises(FairnessInputError, match="cannot be negative"):
        share_profit(members, -5.0)


def test_gini_and_indicators():
    assert gini([10, 10, 10]) == 0
    assert gini([0, 0, 30]) == pytest.approx(2 / 3)
    members = pd.read_csv(REPO / "data" / "producer_group.csv", comment="#")
    result = share_profit(members, 1000.0, {"equity_pieces": 1})
    indicators = result.indicators()
    assert indicators["smallest"] == result.shares["blend"].min()
    assert indicators["ratio"] == pytest.approx(result.shares["blend"].max() / result.shares["blend"].min())
    assert "because" in because_sentence(result)
