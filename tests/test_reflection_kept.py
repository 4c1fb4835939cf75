"""Words a browser kept for a box on another deck, sent by the next deck's box: what the kernel saves, and what it
refuses (found by benchmarks/field.py: a phone that came back to a full disk and moved on with the room kept its
words only in the browser). The browser half is tested in tests/test_field_browser.py."""
from __future__ import annotations

import pytest

from artisan_course.widgets import reflection
from artisan_course.widgets.reflection import Reflection, kept_fingerprint

ELSEWHERE = "anchoring-first-price"  # a reflection of module 03 (anchoring), not on this page


@pytest.fixture(autouse=True)
def new_page():
    """A new page's kernel: no box of an earlier test (another test's deck, still alive in ipywidgets) is shown."""
    reflection._SHOWN.clear()


def page_box(sent: list) -> Reflection:
    """A box on the page that is open now (another deck's question), recording what it tells the page."""
    box = Reflection("welcome-kept-test", "What did you notice?")
    box.send = sent.append
    return box


def stored(session, item: str):
    return session.get_store().latest(session.learner.id, item)


def test_kept_words_for_another_decks_question_are_saved_under_this_learner_in_its_module(fresh_session):
    fresh_session.set_learner("Noy")
    fresh_session.get_store().record(fresh_session.learner.id, "anchoring", ELSEWHERE, "reflection", "First words.")
    sent: list = []
    box = page_box(sent)
    box._message(box, {"event": "kept", "item": ELSEWHERE, "text": "First words. Then more, kept on the phone.",
                       "base": kept_fingerprint("First words.")}, [])
    latest = stored(fresh_session, ELSEWHERE)
    assert latest.value == "First words. Then more, kept on the phone." and latest.module == "anchoring"
    assert sent == [{"event": "kept-saved", "item": ELSEWHERE, "text": "First words. Then more, kept on the phone."}]


def test_kept_words_for_a_question_never_answered_are_saved_too(fresh_session):
    fresh_session.set_learner("Noy")
    box = page_box([])
    assert box.save_kept(ELSEWHERE, "Typed offline, never saved.", kept_fingerprint("")).ok
    assert stored(fresh_session, ELSEWHERE).value == "Typed offline, never saved."


def test_kept_words_are_refused_when_the_store_has_other_words_now(fresh_session):
    """Edited since on another device: the words wait for their own box, which offers them back."""
    fresh_session.set_learner("Noy")
    fresh_session.get_store().record(fresh_session.learner.id, "anchoring", ELSEWHERE, "reflection", "Newer words.")
    sent: list = []
    box = page_box(sent)
    assert box.save_kept(ELSEWHERE, "Older words, kept.", kept_fingerprint("Old")) is None
    assert stored(fresh_session, ELSEWHERE).value == "Newer words." and sent == []


def test_kept_words_are_refused_for_a_question_the_course_does_not_ask_or_one_on_this_page(fresh_session):
    fresh_session.set_learner("Noy")
    box = page_box([])
    assert box.save_kept("not-a-course-question", "Anything.", kept_fingerprint("")) is None
    assert box.save_kept("welcome-kept-test", "This page's own.", kept_fingerprint("")) is None
    assert fresh_session.get_store().answers(learner_id=fresh_session.learner.id) == []
    for bad in ({"item": 3, "text": "x", "base": "0:45h"}, {"item": ELSEWHERE, "text": None, "base": "0:45h"},
                {"item": ELSEWHERE, "text": "x" * 100_001, "base": "0:45h"}):
        box._message(box, {"event": "kept", **bad}, [])
    assert fresh_session.get_store().answers(learner_id=fresh_session.learner.id) == []


def test_kept_words_are_refused_for_a_room_question_the_facilitator_has_closed(fresh_session):
    fresh_session.set_learner("Noy")
    fresh_session.get_store().set_poll_state("welcome-soft-skills", open=False)
    box = page_box([])
    assert box.save_kept("welcome-soft-skills", "Typed before it closed.", kept_fingerprint("")) is None
    assert fresh_session.get_store().answers(learner_id=fresh_session.learner.id) == []


def test_kept_words_wait_for_a_learner(fresh_session):
    box = page_box([])
    assert box.save_kept(ELSEWHERE, "Typed before the name.", kept_fingerprint("")) is None


def test_kept_words_refused_by_a_full_store_are_saved_by_the_retry_once_there_is_room(fresh_session):
    fresh_session.set_learner("Noy")
    store = fresh_session.get_store()
    pages = store._read("PRAGMA page_count")[0][0]
    store._read(f"PRAGMA max_page_count = {pages}")
    sent: list = []
    box = page_box(sent)
    words = "Kept through the full disk. " * 600  # needs new pages
    saved = box.save_kept(ELSEWHERE, words, kept_fingerprint(""))
    assert saved is not None and not saved.ok and sent == []
    store._read("PRAGMA max_page_count = 1073741823")  # room again
    box.retry()  # what the kernel's timer does a few seconds later
    assert stored(fresh_session, ELSEWHERE).value == words
    assert sent == [{"event": "kept-saved", "item": ELSEWHERE, "text": words}]
