"""Properties of the multi-issue negotiation model (hypothesis), on the course's own data file."""
import copy
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings, strategies as st

from artisan_course.content.negotiation import NegotiationDataError, load_game, parse_game
from artisan_course.models.negotiation import TYPES, NegotiationInputError

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "negotiation.yaml"
GAME = load_game(DATA)
RAW = yaml.safe_load(DATA.read_text())


def value_for(issue):
    """Any allowed value: a number anywhere in a typed issue's range, a listed option otherwise."""
    if issue.numeric and issue.control == "typed":
        return st.floats(min(issue.levels), max(issue.levels), allow_nan=False)
    return st.sampled_from([issue.value_at(i) for i in range(issue.size)])


packages = st.fixed_dictionaries({issue.key: value_for(issue) for issue in GAME.issues}).map(GAME.package)


def test_every_frontier_package_is_beaten_by_no_other_package():
    you, them = GAME.grid_points
    front = np.flatnonzero(GAME.frontier)
    assert 0 < front.size < len(you)
    for i in front:
        better = (you >= you[i]) & (them >= them[i]) & ((you > you[i]) | (them > them[i]))
        assert not better.any()
    # ... and every package off the frontier is beaten by one on it.
    for i in np.flatnonzero(~GAME.frontier)[::37]:
        beaten_by = ((you[front] >= you[i]) & (them[front] >= them[i])
                     & ((you[front] > you[i]) | (them[front] > them[i])))
        assert beaten_by.any()


@settings(max_examples=200, deadline=None)
@given(packages)
def test_an_accepted_package_is_worth_at_least_both_limits_together(package):
    answer = GAME.respond(package)
    if answer.status == "deal":
        assert answer.you >= GAME.limit_you and answer.artisans >= GAME.limit_artisans
        assert answer.you + answer.artisans >= GAME.limit_you + GAME.limit_artisans
        assert GAME.on_frontier(package)
    elif answer.status == "your-limit":
        assert answer.you < GAME.limit_you and answer.counter is None


@settings(max_examples=200, deadline=None)
@given(packages)
def test_a_counter_always_gives_the_artisans_their_limit_and_is_on_the_frontier(package):
    answer = GAME.respond(package)
    if answer.status != "counter":
        return
    you, them = GAME.score(answer.counter)
    assert (you, them) == (answer.counter_you, answer.counter_artisans)
    assert them >= GAME.limit_artisans
    assert GAME.on_frontier(answer.counter)
    if answer.artisans < GAME.limit_artisans:
        assert them >= GAME.limit_artisans + GAME.margin
    else:  # the package wasted value: the counter is at least as good for both sides
        assert you >= answer.you and them >= answer.artisans and you + them > answer.you + answer.artisans
    # Proposing the counter back closes the deal (when it is above your own limit).
    if you >= GAME.limit_you:
        assert GAME.respond(answer.counter).status == "deal"


def test_the_issues_have_the_types_the_course_teaches():
    types = {issue.key: issue.type for issue in GAME.issues}
    assert types == {"price": "distributive", "delivery": "integrative", "advance": "integrative",
                     "volume": "integrative", "quality": "compatible"}
    price, delivery, advance, volume = (GAME.issues[i] for i in range(4))
    assert price.weight("you") == price.weight("artisans")
    assert (advance.weight("artisans") >= 2 * advance.weight("you")
            and volume.weight("artisans") >= 2 * volume.weight("you"))
    assert delivery.weight("you") >= 2 * delivery.weight("artisans")


def test_trading_across_issues_makes_the_pie_bigger_than_splitting():
    split_you, split_them = GAME.score(GAME.split())
    trade_you, trade_them = GAME.score(GAME.trade())
    assert trade_you > split_you and trade_them > split_them
    assert trade_you + trade_them == GAME.best_joint()
    answer = GAME.respond(GAME.split())  # the split wastes value, so the artisans show a better package for both
    assert answer.status == "counter" and answer.counter_you > split_you and answer.counter_artisans > split_them


@settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({issue.key: st.sampled_from(("",) + TYPES) for issue in GAME.issues}))
def test_the_classification_check_matches_the_data_file(answers):
    marks = GAME.check_types(answers)
    for item in RAW["issues"]:
        right, line = marks[item["key"]]
        if answers[item["key"]] == "":
            assert right is None and "choose a type" in line
        else:
            assert right == (answers[item["key"]] == item["type"])
            assert item["type"] in line and item["reason"] in line


@pytest.mark.parametrize("change, message", [
    ({"price": 15}, "Price per piece must be from $8 to $12, not $15."),
    ({"price": 7.5}, "Price per piece must be from $8 to $12, not $7.50."),
    ({"advance": 120}, "Advance payment (% of the order) must be from 0% to 100%, not 120%."),
    ({"quality": "never"}, "Quality checks: choose one of the listed options."),
])
def test_a_package_outside_the_allowed_ranges_gets_a_clear_message(change, message):
    values = {**GAME.values(GAME.split()), **change}
    with pytest.raises(NegotiationInputError) as caught:
        GAME.package(values)
    assert str(caught.value) == message


def test_a_typed_price_between_two_options_is_scored_in_proportion():
    base = GAME.values(GAME.split())
    low, mid, high = (GAME.score(GAME.package({**base, "price": p})) for p in (10, 10.5, 11))
    assert mid == ((low[0] + high[0]) / 2, (low[1] + high[1]) / 2)


def broken(edit):
    raw = copy.deepcopy(RAW)
    edit(raw)
    return raw


@pytest.mark.parametrize("edit, words", [
    (lambda r: r["issues"][0].update(type="integrative"),
     "issue 'price' is marked integrative, but its points make it distributive"),
    (lambda r: r["issues"][4].update(type="distributive"),
     "issue 'quality' is marked distributive, but its points make it compatible"),
    (lambda r: r["issues"][1].update(you=[36, 27, 18]),
     "issue 'delivery' needs one 'you' and one 'artisans' point for each of its 5 options"),
    (lambda r: r["issues"][2]["you"].__setitem__(0, "many"),
     "issue 'advance' field 'you': 'many' is not of type 'number'"),
    (lambda r: r.pop("reservation"), "'reservation' is a required property"),
    (lambda r: r["reservation"].update(artisans=100),
     "no package gives the artisans their limit plus the counter margin"),
])
def test_a_bad_data_file_raises_one_clear_sentence(tmp_path, edit, words):
    path = tmp_path / "negotiation.yaml"
    path.write_text(yaml.safe_dump(broken(edit)))
    with pytest.raises(NegotiationDataError) as caught:
        load_game(path)
    text = str(caught.value)
    assert words in text and str(path) in text
    assert text.endswith(".") and "\n" not in text


def test_a_file_that_is_not_yaml_names_the_line(tmp_path):
    path = tmp_path / "negotiation.yaml"
    path.write_text("title: [unclosed\n")
    with pytest.raises(NegotiationDataError, match="not valid YAML"):
        load_game(path)


def test_the_data_file_parses_the_same_from_a_dictionary():
    assert parse_game(RAW) == GAME


def test_a_deck_can_show_the_play_and_the_close_of_one_negotiation_on_two_slides(monkeypatch):
    from artisan_course.widgets import negotiation as view
    shown = []
    monkeypatch.setattr(view, "display", shown.append)
    view.show_negotiation_simulator(part="play")
    view.show_negotiation_simulator(part="close")
    play, close = shown
    simulator = view._on_this_page
    assert play is simulator.play and close is simulator.close  # the close belongs to the same negotiation
    assert simulator.play_save.layout.display != "none"
    view.show_negotiation_simulator()
    assert shown[-1] is view._on_this_page.widget and view._on_this_page.play_save.layout.display == "none"
    view.show_negotiation_simulator(part="middle")
    assert "does not exist" in shown[-1].value


@settings(max_examples=150, deadline=None)
@given(st.lists(packages, min_size=1, max_size=6))
def test_the_rounds_end_only_in_a_deal_on_the_frontier_that_meets_both_limits(proposals):
    from artisan_course.models.negotiation import Negotiation
    rounds = Negotiation(GAME)
    assert rounds.history[0]["answer"] == "their first position" and not rounds.over
    for package in proposals:
        if rounds.over:
            with pytest.raises(NegotiationInputError):
                rounds.propose(package, {})
            break
        before = len(rounds.history)
        answer = rounds.propose(package, {})
        you, them = GAME.score(package)
        if answer.status == "your-limit":
            assert len(rounds.history) == before and you < GAME.limit_you  # refused before it reaches the artisans
        elif answer.status == "deal":
            assert rounds.deal["on_frontier"] and GAME.on_frontier(package), "a deal is on the Pareto frontier"
            assert them >= GAME.limit_artisans and you >= GAME.limit_you
            assert all(rounds.revealed(issue.key) for issue in GAME.issues)
        else:
            assert rounds.history[-1]["answer"] == "counter" and GAME.on_frontier(rounds.counter)
            assert GAME.score(rounds.counter)[1] >= GAME.limit_artisans
    assert rounds.summary(proposals[-1]).startswith("Deal" if rounds.over else "Last package")


def test_splitting_every_issue_gets_a_counter_and_taking_it_makes_the_deal():
    from artisan_course.models.negotiation import Negotiation
    rounds = Negotiation(GAME)
    assert rounds.propose(GAME.split(), {}).status == "counter"
    assert not rounds.revealed("advance")
    assert rounds.propose(rounds.counter, {}).status == "deal" and rounds.deal["on_frontier"]
    assert [h["who"] for h in rounds.history] == ["artisans", "you", "artisans", "you"]
    rounds.start_again()
    assert len(rounds.history) == 1 and not rounds.over


def test_an_early_date_costs_the_artisans_more_each_week_and_a_promise_beyond_the_shops_order_costs_you():
    """The data teaches what the course teaches: harvest time is real work, and only promise what you can give."""
    delivery = next(i for i in GAME.issues if i.key == "delivery")
    steps = list(np.diff(delivery.artisans))  # what two weeks sooner takes from them: the earliest step first
    assert all(step > 0 for step in steps) and steps == sorted(steps, reverse=True)
    assert delivery.weight("artisans") >= 0.4 * delivery.weight("you") and "costs us little" not in delivery.why
    volume = next(i for i in GAME.issues if i.key == "volume")
    joint = np.add(volume.you, volume.artisans)
    assert volume.levels[int(np.argmax(joint))] == 200 and min(volume.you) == volume.you[volume.levels.index(300)]
    assert "Only promise what you can give" in volume.reason
