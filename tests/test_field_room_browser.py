"""The field test, small (issue 25): a room that misbehaves, on a real workshop server, in namespaces of its own.

``benchmarks/field.py`` with four light clients and one Chromium phone for a minute: the phone drops its Wi-Fi for
30-35 s, the facilitator merges a second name into its owner's and forgets a trainee, the server is stopped with
Ctrl-C and started again on the same store, and the disk that holds the store fills for ten seconds. Every word and
answer is checked in the store afterwards: nothing lost, nothing under another learner, the forgotten trainee's
words gone, and every page working again by itself. The full room (20 trainees, five minutes) is the benchmark's;
its figures are in docs/benchmarks.md.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "field.py"


def _namespaces() -> str | None:
    """Why the namespaces cannot be made here (None: they can)."""
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return "the field test needs root, unshare and ip (a network and a mount namespace of its own)"
    done = subprocess.run(["unshare", "--net", "--mount", "true"], capture_output=True)
    return None if done.returncode == 0 else "this machine refuses new namespaces"


@pytest.fixture(scope="module")
def report():
    why = _namespaces()
    if why:
        pytest.skip(why)
    spec = importlib.util.spec_from_file_location("field_benchmark", BENCHMARK)
    field = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(field)
    return field.field(trainees=5, phones=1, minutes=1, drop_min=30, drop_max=35, seed=25, limit=600)


def test_a_room_that_misbehaves_loses_nothing_misplaces_nothing_and_no_page_is_left_stuck(report):
    assert report["typed"] >= 10, report["events"]
    assert report["lost"] == 0, report["lost_examples"]
    assert report["wrong_learner"] == 0, report["wrong_examples"]
    assert report["kept"] + report["refused_said_so"] == report["typed"]
    assert report["forgotten_found"] == 0 and report["forgotten_still_a_learner"] == 0
    assert report["stuck"] == [], report["pages"]
    assert not report.get("errors") and not report.get("phones_error"), report
    assert not report.get("elsewhere")  # the phone asked for nothing off this machine


def test_every_misbehaviour_happened_and_every_page_came_back_by_itself(report):
    events = " | ".join(report["events"])
    for happened in ("loses the Wi-Fi", "has the Wi-Fi again", "merged", "forgot", "Ctrl-C", "the disk is full",
                     "the disk has room again"):
        assert happened in events, events
    assert report["ctrl_c_seconds"] is not None, "the server did not stop on Ctrl-C"
    pages = report["pages"]
    phone = next(name for name in pages if name == "Trainee 00")
    assert any("working again" in event for event in pages[phone]), pages[phone]  # the Chromium phone
    assert any("reopened" in event for event in pages["Trainee 01 borrowed phone"])  # merged: opens as its owner
    assert any("signed out" in event for event in pages["Trainee 03"])  # forgotten: back at the join page
    # The pages noticed the server's stop and came back by themselves, the cookies still good (that no page was left
    # stuck at the end is the test above). How many pages noticed it depends on when each was looking: a page whose
    # Wi-Fi was already down, or one put away, recovers once for both; on a loaded machine a fresh-clone run saw one.
    stopped_at = next(float(e.split("s ", 1)[0]) for e in report["events"] if e.endswith("Ctrl-C on the server"))
    after_restart = [r for r in report["recoveries"] if r["at"] > stopped_at and r["how"] in ("reopened", "page")]
    assert after_restart, (stopped_at, report["recoveries"])
    assert report["recovered"] == len(report["recoveries"])
