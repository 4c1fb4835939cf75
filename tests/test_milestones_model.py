"""The milestone planner: properties of the schedule (hypothesis), its files, and the view without a browser."""
import io
import math
import re
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from hypothesis import assume, given, settings, strategies as st
from icalendar import Calendar

from artisan_course.models.milestones import (MODES, PlanInput, ScheduleInputError, default_modes, handoff_value,
                                              is_working, plan, split, verdict)
from artisan_course.documents.milestones import to_csv, to_ics

TODAY = date(2026, 3, 2)  # a Monday; the model takes "today" as an argument
ONE = timedelta(days=1)


@st.composite
def inputs(draw):
    quantity = draw(st.integers(1, 3000))
    values = dict(
        quantity=quantity,
        per_artisan_per_day=draw(st.sampled_from([0.25, 0.5, 1, 1.5, 2, 3, 5, 12.5])),
        artisans=draw(st.integers(1, 40)),
        milestones=draw(st.integers(1, min(6, quantity))),
        check_days=draw(st.integers(1, 10)),
        feedback_days=draw(st.integers(0, 10)),
        buffer_days=draw(st.integers(0, 30)),
        rest_days=draw(st.integers(0, 6)),
        start=TODAY + timedelta(days=draw(st.integers(0, 40))),
    )
    values["deadline"] = values["start"] + timedelta(days=draw(st.integers(1, 500)))
    return PlanInput(**values)


def production_days(s: PlanInput, pieces: int) -> int:
    return math.ceil(pieces / (s.per_artisan_per_day * s.artisans) - 1e-9)


def upper_bound(s: PlanInput) -> int:
    """Calendar days the plan can take at most: any 7 days in a row hold 7 - rest working days."""
    per_week = 7 - s.rest_days
    return sum(7 * math.ceil(production_days(s, p) / per_week) + s.check_days + s.feedback_days
               for p in split(s.quantity, s.milestones))


def make(s: PlanInput):
    assume(upper_bound(s) < 3 * 365 * 0.9)  # longer plans are refused as a typing mistake
    return plan(s, today=TODAY)


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_batches_add_up_exactly_to_the_order(s):
    result = make(s)
    pieces = [m.pieces for m in result.milestones]
    assert sum(pieces) == s.quantity
    assert len(pieces) == s.milestones and min(pieces) >= 1
    assert max(pieces) - min(pieces) <= 1
    assert pieces == sorted(pieces)  # the first batch is never the biggest


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_milestones_follow_batch_check_feedback_and_never_overlap(s):
    result = make(s)
    previous_end = s.start - ONE
    for m in result.milestones:
        assert previous_end < m.batch_start <= m.batch_end < m.check_start <= m.check_end
        assert m.check_start == m.batch_end + ONE
        assert (m.check_end - m.check_start).days + 1 == s.check_days
        if s.feedback_days:
            assert m.feedback_start == m.check_end + ONE
            assert (m.feedback_end - m.feedback_start).days + 1 == s.feedback_days
        else:
            assert m.feedback_start is None and m.end == m.check_end
        # Production: starts and ends on working days, and has exactly the working days it needs.
        days = [m.batch_start + timedelta(days=i) for i in range((m.batch_end - m.batch_start).days + 1)]
        assert is_working(m.batch_start, s.rest_days) and is_working(m.batch_end, s.rest_days)
        assert sum(is_working(d, s.rest_days) for d in days) == production_days(s, m.pieces)
        # The next batch starts on the first working day after feedback.
        gap = [previous_end + timedelta(days=i) for i in range(1, (m.batch_start - previous_end).days)]
        assert not any(is_working(d, s.rest_days) for d in gap)
        previous_end = m.end
    assert result.finish == previous_end


@settings(max_examples=150, deadline=None)
@given(inputs(), st.integers(0, 20))
def test_with_enough_time_nothing_falls_after_the_deadline(s, spare):
    assume(upper_bound(s) < 900)
    roomy = PlanInput(**{**s.__dict__, "deadline": s.start
                         + timedelta(days=upper_bound(s) - 1 + s.buffer_days + spare)})
    result = make(roomy)
    assert all(m.end <= roomy.deadline - timedelta(days=roomy.buffer_days) for m in result.milestones)
    assert result.status == "on time" and not result.fixes
    assert verdict(result).startswith("On time")


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_the_late_warning_shows_exactly_when_the_plan_ends_after_the_deadline(s):
    result = make(s)
    last = max(m.end for m in result.milestones)
    text = verdict(result)
    assert result.late == (last > s.deadline) == text.startswith("Too late")
    if result.late:
        assert f"{(last - s.deadline).days} day" in text and result.days_late == (last - s.deadline).days
        assert result.fixes
    assert result.tight == (last <= s.deadline and (s.deadline - last).days < s.buffer_days)


def fixed_plan(s, **change):
    return plan(PlanInput(**{**s.__dict__, **change}), today=TODAY)


def keeps_buffer(result) -> bool:
    return result.status == "on time"


@settings(max_examples=60, deadline=None)
@given(inputs())
def test_each_suggested_fix_really_fixes_the_plan_and_is_the_smallest_change(s):
    result = make(s)
    assume(result.status != "on time")
    for fix in result.fixes:
        if match := re.match(r"More artisans: (\d+) instead", fix):
            needed = int(match[1])
            assert keeps_buffer(fixed_plan(s, artisans=needed))
            assert not keeps_buffer(fixed_plan(s, artisans=needed - 1))
        elif match := re.match(r"Fewer pieces: at most (\d+) instead", fix):
            most = int(match[1])
            assert most < s.quantity and keeps_buffer(fixed_plan(s, quantity=most))
            assert not keeps_buffer(fixed_plan(s, quantity=most + 1))
        elif match := re.match(r"A later deadline: ask the buyer for \w+ (\d+ \w+ \d+) or later", fix):
            later = datetime.strptime(match[1], "%d %b %Y").date()
            assert keeps_buffer(fixed_plan(s, deadline=later))
            assert not keeps_buffer(fixed_plan(s, deadline=later - ONE))
        elif match := re.match(r"Fewer milestones: (\d+) instead", fix):
            most = int(match[1])
            assert most < s.milestones and keeps_buffer(fixed_plan(s, milestones=most))
            assert most + 1 == s.milestones or not keeps_buffer(fixed_plan(s, milestones=most + 1))
        elif match := re.match(r"Shorter checks and feedback: at most (\d+) day", fix):
            most = int(match[1])
            shorter = fixed_plan(s, check_days=min(s.check_days, most), feedback_days=min(s.feedback_days, most))
            assert keeps_buffer(shorter)
    assert any(f.startswith("A later deadline") for f in result.fixes)


# -- files ---------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(inputs(), st.lists(st.sampled_from(MODES), min_size=6, max_size=6))
def test_the_calendar_file_parses_with_one_event_per_step(s, modes):
    s = PlanInput(**{**s.__dict__, "modes": tuple(modes[:s.milestones]), "order": "Scarves, blue; size M"})
    result = make(s)
    calendar = Calendar.from_ical(to_ics(result, stamp=datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)))
    assert str(calendar["VERSION"]) == "2.0" and "Milestone planner" in str(calendar["PRODID"])
    events = calendar.walk("VEVENT")
    per_batch = 4 if s.feedback_days else 3  # making, check, feedback, check-in
    assert len(events) == per_batch * s.milestones + 1  # + the buyer's deadline
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert all(e.get("DTSTAMP") is not None for e in events)
    found = {str(e["SUMMARY"]): (e["DTSTART"].dt, e["DTEND"].dt) for e in events}
    n = s.milestones
    for m in result.milestones:
        tag = f"Scarves, blue; size M: batch {m.number} of {n}"
        assert found[f"{tag}, making {m.pieces} pieces"] == (m.batch_start, m.batch_end + ONE)  # all-day: end exclusive
        assert found[f"{tag}, quality check"] == (m.check_start, m.check_end + ONE)
        assert found[f"{tag}, check-in ({modes[m.number - 1]})"] == (m.check_start, m.check_start + ONE)
        if s.feedback_days:
            assert found[f"{tag}, feedback to the artisans"] == (m.feedback_start, m.feedback_end + ONE)
    assert found["Scarves, blue; size M: buyer's deadline"] == (s.deadline, s.deadline + ONE)


@settings(max_examples=60, deadline=None)
@given(inputs())
def test_the_csv_round_trips_with_pandas(s):
    result = make(s)
    table = pd.read_csv(io.StringIO(to_csv(result)),
                        parse_dates=["batch_start", "batch_end", "check_end", "checkin_date"])
    assert table["pieces"].sum() == s.quantity
    assert list(table["milestone"]) == [f"Batch {i}" for i in range(1, s.milestones + 1)]
    for row, m in zip(table.itertuples(), result.milestones):
        assert (row.pieces, row.batch_start.date(), row.batch_end.date(), row.check_end.date(), row.checkin_mode) == (
            m.pieces, m.batch_start, m.batch_end, m.check_end, m.checkin_mode)
        assert (pd.isna(row.feedback_end) if not s.feedback_days
                else str(row.feedback_end) == m.feedback_end.isoformat())


# -- check-ins and hand-off -----------------------------------------------------------------
@pytest.mark.parametrize("count, expected", [
    (1, ["in person"]), (2, ["in person", "in person"]), (3, ["in person", "video", "in person"]),
    (4, ["in person", "video", "video", "in person"])])
def test_default_check_ins_are_in_person_first_and_last_video_between(count, expected):
    assert default_modes(count) == expected
    result = plan(PlanInput(start=TODAY, deadline=TODAY + timedelta(days=120), milestones=count), today=TODAY)
    assert [m.checkin_mode for m in result.milestones] == expected
    changed = plan(PlanInput(start=TODAY, deadline=TODAY + timedelta(days=120), milestones=count,
                             modes=("producer lead",) * count), today=TODAY)
    assert [m.checkin_mode for m in changed.milestones] == ["producer lead"] * count


def test_the_hand_off_value_has_iso_dates_for_the_agreement_builder():
    result = plan(PlanInput(quantity=100, start=TODAY, deadline=TODAY + timedelta(days=90), milestones=4), today=TODAY)
    value = handoff_value(result)
    assert set(value) >= {"milestones", "checkins", "summary", "settings"}
    assert [m["pieces"] for m in value["milestones"]] == [25, 25, 25, 25]
    for item, m in zip(value["milestones"], result.milestones):
        assert item["name"] == m.name and date.fromisoformat(item["start"]) == m.batch_start
        assert date.fromisoformat(item["end"]) == m.end
    assert [c["mode"] for c in value["checkins"]] == ["in person", "video", "video", "in person"]
    assert value["settings"]["deadline"] == (TODAY + timedelta(days=90)).isoformat()
    assert "100 pieces in 4 batches" in value["summary"]


# -- bad input --------------------------------------------------------------------------------
GOOD = dict(start=TODAY + timedelta(days=7), deadline=TODAY + timedelta(days=63))


@pytest.mark.parametrize("change, words", [
    ({"start": TODAY - ONE}, "in the past"),
    ({"deadline": TODAY + timedelta(days=3)}, "deadline must be after the start"),
    ({"deadline": TODAY + timedelta(days=7)}, "deadline must be after the start"),
    ({"per_artisan_per_day": 0}, "more than zero"),
    ({"per_artisan_per_day": -1}, "more than zero"),
    ({"artisans": 0}, "at least 1"),
    ({"artisans": 2.5}, "whole number"),
    ({"quantity": 3, "milestones": 4}, "every batch needs at least one piece"),
    ({"milestones": 7}, "at most 6"),
    ({"check_days": 0}, "at least 1"),
    ({"quantity": float("nan")}, "must be a number"),
    ({"start": None}, "Choose a start date"),
    ({"quantity": 900_000, "per_artisan_per_day": 1, "artisans": 1}, "years"),
])
def test_bad_input_gets_one_plain_sentence(change, words):
    with pytest.raises(ScheduleInputError, match=re.escape(words)):
        plan(PlanInput(**{**GOOD, **change}), today=TODAY)


def test_a_deadline_on_the_day_the_work_ends_is_on_time_not_late():
    base = plan(PlanInput(**GOOD, buffer_days=0), today=TODAY)
    exact = plan(PlanInput(**{**GOOD, "deadline": base.finish}, buffer_days=0), today=TODAY)
    one_short = plan(PlanInput(**{**GOOD, "deadline": base.finish - ONE}, buffer_days=0), today=TODAY)
    assert exact.status == "on time" and one_short.status == "late" and one_short.days_late == 1


# -- the view, without a browser ---------------------------------------------------------------
def test_the_view_updates_publishes_and_keeps_the_last_plan_on_bad_input():
    from artisan_course.state import handoff
    from artisan_course.widgets.milestones import MilestonePlanner

    handoff.forget()
    view = MilestonePlanner()
    first = handoff.latest(handoff.PLAN)
    assert sum(m["pieces"] for m in first["milestones"]) == 240
    chart, table = view.chart.value, view.table.value
    view.artisans.value = "2"
    assert view.chart.value != chart and view.table.value != table
    assert "Too late" in view.verdict.value and "More artisans" in view.verdict.value
    assert handoff.latest(handoff.PLAN)["settings"]["artisans"] == 2
    kept = view.table.value
    view.artisans.value = "two"
    assert "is not a number" in view.message.value and view.table.value == kept
    view.artisans.value = "0"
    assert "at least 1" in view.message.value and view.table.value == kept
    view.artisans.value = "6"
    assert view.message.value == ""
    assert view.count_hint.value == ""
    view.count.value = 6
    assert "3-4 milestones are recommended" in view.count_hint.value
    view.count.value = 4
    assert len(view.checkins.children) == 4 and view.count_hint.value == ""
    view.modes[1].value = "producer lead"
    assert [c["mode"] for c in handoff.latest(handoff.PLAN)["checkins"]] == ["in person", "producer lead", "video",
                                                                              "in person"]
    view.make_files.click()
    assert "milestone-plan.ics" in view.files.value and "milestone-plan.csv" in view.files.value
    view.reset_modes.click()
    assert [d.value for d in view.modes[:4]] == default_modes(4)
    assert "make the files again" in view.files.value
