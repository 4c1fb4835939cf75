"""The workshop served on an address that is not loopback, as in the field: each scenario runs in a network
namespace of its own (``tests/namespace_room.py``), with a real trainee in Chromium or a second device on the
network, and nothing can leave that namespace.
"""
from __future__ import annotations

import re

import pytest

import namespace_room

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(namespace_room.available() is not None, reason=str(namespace_room.available()))]

WORDS = "We agreed the dates together"


@pytest.mark.parametrize("host, address", [
    ("10.77.0.1", "10.77.0.1"),  # --host <this laptop's Wi-Fi address>
    ("::", "[::1]"),             # every network, IPv6 too
    ("0.0.0.0", "10.77.0.1"),    # every network (the default), reached at the Wi-Fi address as a phone does
])
def test_a_trainee_saves_through_a_preheated_kernel_whatever_address_the_server_listens_on(host, address):
    report = namespace_room.run("trainee", host=host, address=address, words=WORDS)
    assert report["server"] == "running", report
    assert report["join_status"] == 200 and report["pool_ready"], report
    assert report["preheated"], report  # the page's kernel came from the pool, so it had to ask for its page
    assert report["learner_shown"].startswith("Learning as Noy Field"), report
    assert report["reflection_enabled"] and report["saved_shown"], report
    assert report["stored"] == WORDS and report["stored_learners"] == ["Noy Field"], report
    assert report["elsewhere"] == [], report
    if host == "::":
        assert report["ipv4_join"], report  # a phone on the IPv4 Wi-Fi reaches it too
        joins_at = re.search(r"Trainees join at (\S+)", report["printed"]).group(1)
        assert "::" not in joins_at and "[" not in joins_at, joins_at  # the laptop's address on the network


def test_the_facilitator_key_works_only_on_this_laptop_unless_the_flag_says_otherwise():
    report = namespace_room.run("facilitator", anywhere=False)
    assert report["server"] == "running", report
    # On the laptop itself (its browser reaches the server at the Wi-Fi address): every page, with the key.
    assert set(report["here_with_key"].values()) == {200}, report["here_with_key"]
    assert report["here_sign_in"] == 303 and report["here_session_roster"] == 200, report
    assert report["here_deck_controls"] is True, report
    # From another device on the network, the key opens nothing, whatever the request claims about itself.
    assert set(report["elsewhere_with_key"].values()) == {403}, report["elsewhere_with_key"]
    assert report["elsewhere_forwarded"] == 403, report
    assert report["elsewhere_sign_in"] == 403 and report["elsewhere_session_roster"] == 403, report
    assert report["elsewhere_deck_controls"] is False, report  # a trainee's deck, not the room's controls

    anywhere = namespace_room.run("facilitator", anywhere=True)
    assert set(anywhere["elsewhere_with_key"].values()) == {200}, anywhere["elsewhere_with_key"]
    assert anywhere["elsewhere_sign_in"] == 303 and anywhere["elsewhere_session_roster"] == 200, anywhere
    assert anywhere["elsewhere_deck_controls"] is True, anywhere
