"""Workshop identities without a browser: tokens, PINs, slowed guessing, the store's migration, the kernel's learner."""
from __future__ import annotations

import sqlite3

import pytest
from conftest import sqlite_only

from artisan_course.state import identity
from artisan_course.state.identity import Attempts, Identities, Outcome
from artisan_course.state.learner import LEARNER_ID_ENV, WORKSHOP_ENV
from artisan_course.state.store import SCHEMA_VERSION, Store


# Every test here runs on both backends (SQLite, PostgreSQL) unless marked sqlite_only.
pytestmark = pytest.mark.usefixtures("store_backend")

CODE = "KTRW"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def store(learner_home):
    s = Store(learner_home)
    yield s
    s.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def room(store, clock):
    return Identities(store, CODE, Attempts(clock=clock))


# -- tokens and PINs -------------------------------------------------------------------------
def test_tokens_are_random_and_only_their_hash_is_stored(room, store):
    joined = room.join(CODE, "Noy")
    assert joined.outcome is Outcome.JOINED and len(joined.token) >= 40
    assert room.join(CODE, "Keo").token != joined.token
    if store.postgres:
        dump = "\n".join(str(row) for table in ("learners", "devices", "answers", "settings")
                         for row in store._read(f"SELECT * FROM {table}"))
    else:
        dump = "\n".join(store._conn.iterdump())
    assert joined.token not in dump and identity.token_hash(joined.token) in dump
    assert room.learner_for(joined.token).name == "Noy"
    assert room.learner_for(joined.token + "x") is None and room.learner_for("") is None


def test_pins_are_six_digits_salted_and_checked(store):
    pins = {identity.new_pin() for _ in range(50)}
    assert all(len(p) == 6 and p.isdigit() for p in pins) and len(pins) > 40
    stored = identity.pin_hash("123456")
    assert "123456" not in stored and stored != identity.pin_hash("123456")  # a new salt each time
    assert identity.pin_matches("123 456", stored) and identity.pin_matches(" 123456 ", stored)
    assert not identity.pin_matches("123457", stored) and not identity.pin_matches("", stored)
    assert not identity.pin_matches("123456", None) and not identity.pin_matches("123456", "garbage")


def test_join_codes_are_short_letters_read_off_a_projector():
    code = identity.new_join_code()
    assert len(code) == 4 and set(code) <= set(identity.JOIN_CODE_LETTERS)
    assert identity.code_matches(code.lower(), code) and identity.code_matches(f" {code[:2]} {code[2:]} ", code)
    assert len(identity.new_facilitator_key()) >= 16


# -- joining ----------------------------------------------------------------------------------
def test_a_name_in_use_asks_for_another_or_the_pin(room):
    first = room.join(CODE, "Noy")
    for same in ("noy", " NOY ", "Noy"):
        again = room.join(CODE, same)
        assert again.outcome is Outcome.NAME_IN_USE and again.token is None and again.learner is None
    second = room.join(CODE, "NOY", pin=first.pin)
    assert second.outcome is Outcome.SECOND_DEVICE and second.learner.id == first.learner.id
    assert second.pin is None  # the PIN is shown to the first device only
    assert room.learner_for(second.token).id == room.learner_for(first.token).id


def test_a_wrong_join_code_is_refused(room, store):
    result = room.join("ZZZZ", "Noy")
    assert result.outcome is Outcome.WRONG_CODE and store.learners() == []


PHONE_B, LAPTOP_C, OWNER_PHONE = "b" * 43, "c" * 43, "o" * 43  # browser ids, as the join page gives them
ROUTER = "192.168.1.1"  # a room's phones behind one Wi-Fi router share its address


def test_wrong_pins_are_slowed_then_wait_longer_each_time(room, clock):
    first = room.join(CODE, "Noy")
    wrong = "000000" if first.pin != "000000" else "111111"
    for _ in range(identity.FREE_TRIES - 1):
        assert room.join(CODE, "Noy", pin=wrong, client=ROUTER, browser=PHONE_B).outcome is Outcome.WRONG_PIN
    fifth = room.join(CODE, "Noy", pin=wrong, client=ROUTER, browser=PHONE_B)
    assert fifth.outcome is Outcome.WRONG_PIN and fifth.retry_after == identity.FIRST_WAIT_SECONDS
    # While it waits, even the right PIN is not checked from this browser.
    assert room.join(CODE, "Noy", pin=first.pin, client=ROUTER, browser=PHONE_B).outcome is Outcome.SLOW_DOWN
    clock.now += identity.FIRST_WAIT_SECONDS
    assert room.join(CODE, "Noy", pin=wrong, client=ROUTER, browser=PHONE_B).retry_after == \
        2 * identity.FIRST_WAIT_SECONDS
    clock.now += 2 * identity.FIRST_WAIT_SECONDS
    assert room.join(CODE, "Noy", pin=first.pin, client=ROUTER, browser=PHONE_B).outcome is Outcome.SECOND_DEVICE


def test_a_classmates_wrong_pins_never_slow_the_owners_own_device(room):
    owner = room.join(CODE, "Noy", client=ROUTER, browser=OWNER_PHONE)
    wrong = "000000" if owner.pin != "000000" else "111111"
    # A classmate behind the same router guesses from one phone, then from browsers with fresh ids.
    for _ in range(identity.FREE_TRIES):
        room.join(CODE, "Noy", pin=wrong, client=ROUTER, browser=PHONE_B)
    assert room.join(CODE, "Noy", pin=wrong, client=ROUTER, browser=PHONE_B).outcome is Outcome.SLOW_DOWN
    # Noy's laptop, a browser never signed in as Noy, is not slowed by the classmate's five tries.
    assert room.join(CODE, "Noy", pin=owner.pin, client=ROUTER, browser=LAPTOP_C).outcome is Outcome.SECOND_DEVICE
    for number in range(identity.ADDRESS_FREE_TRIES + identity.NAME_FREE_TRIES):
        room.join(CODE, "Noy", pin=wrong, client=ROUTER, browser=f"{number:043d}")
    # Now the name and the router's address wait for browsers that are not Noy's...
    assert room.join(CODE, "Noy", pin=owner.pin, client=ROUTER, browser="n" * 43).outcome is Outcome.SLOW_DOWN
    assert room.join(CODE, "Noy", pin=owner.pin, client="10.0.0.9", browser="m" * 43).outcome is Outcome.SLOW_DOWN
    # ...but Noy's own devices come back at once, and a classmate who had joined before still joins a new name.
    room.leave(owner.token)
    assert room.join(CODE, "Noy", pin=owner.pin, client=ROUTER, browser=OWNER_PHONE).outcome is Outcome.SECOND_DEVICE
    assert room.join(CODE, "noy", pin=owner.pin, client=ROUTER, browser=LAPTOP_C).outcome is Outcome.SECOND_DEVICE


def test_behind_one_address_each_browser_has_its_own_tries(room):
    for _ in range(identity.FREE_TRIES):
        assert room.join("ZZZZ", "Typist", client=ROUTER, browser=PHONE_B).outcome is Outcome.WRONG_CODE
    assert room.join(CODE, "Typist", client=ROUTER, browser=PHONE_B).outcome is Outcome.SLOW_DOWN
    # The neighbour behind the same router joins at once.
    assert room.join(CODE, "Neighbour", client=ROUTER, browser=LAPTOP_C).outcome is Outcome.JOINED


def test_an_address_that_keeps_changing_its_browser_id_is_slowed_too(room):
    for number in range(identity.ADDRESS_FREE_TRIES):
        room.join("ZZZZ", "Guesser", client=ROUTER, browser=f"{number:043d}")
    assert room.join(CODE, "New phone", client=ROUTER, browser="n" * 43).outcome is Outcome.SLOW_DOWN
    assert room.join(CODE, "Other room", client="10.0.0.9", browser="n" * 43).outcome is Outcome.JOINED


def test_a_browser_and_an_address_make_only_so_many_new_names(store, clock):
    attempts = Attempts(clock=clock)
    room = Identities(store, CODE, attempts, new_names=identity.Quota({"browser": 3, "address": 5}, 3600, clock))
    for number in range(3):
        assert room.join(CODE, f"Name {number}", client=ROUTER, browser=PHONE_B).outcome is Outcome.JOINED
    too_many = room.join(CODE, "Name 3", client=ROUTER, browser=PHONE_B)
    assert too_many.outcome is Outcome.SLOW_DOWN and 0 < too_many.retry_after <= 3600
    assert "many new names" in too_many.message and store.find_learner("Name 3") is None
    for number in range(2):  # another browser at the same address, up to the address's ceiling
        assert room.join(CODE, f"Other {number}", client=ROUTER, browser=LAPTOP_C).outcome is Outcome.JOINED
    assert room.join(CODE, "Newcomer", client=ROUTER, browser="n" * 43).outcome is Outcome.SLOW_DOWN
    assert room.join(CODE, "Newcomer", client="10.0.0.9", browser="n" * 43).outcome is Outcome.JOINED
    clock.now += 3600  # an hour later, the browser may make new names again
    assert room.join(CODE, "Name 3", client=ROUTER, browser=PHONE_B).outcome is Outcome.JOINED


def test_after_reassign_the_old_device_is_no_longer_the_owners(room):
    taken = room.join(CODE, "Noy", client=ROUTER, browser=PHONE_B)  # the wrong person took the name
    pin = room.reassign(taken.learner)
    for number in range(identity.NAME_FREE_TRIES):
        room.join(CODE, "Noy", pin="999999" if pin != "999999" else "888888", client=f"10.0.1.{number}",
                  browser=f"{number:043d}")
    # The wrong person's browser is slowed like any other at this name, even with the right PIN.
    assert room.join(CODE, "Noy", pin=pin, client=ROUTER, browser=PHONE_B).outcome is Outcome.SLOW_DOWN


def test_guessing_many_names_from_one_client_is_slowed_too(room):
    for name in ("A1", "A2", "A3", "A4", "A5", "A6"):
        room.join(CODE, name)
    for name in ("A1", "A2", "A3", "A4", "A5"):
        room.join(CODE, name, pin="999999", client="guesser")  # one guess per name
    assert room.join(CODE, "A6", pin="999999", client="guesser").outcome is Outcome.SLOW_DOWN
    assert room.join(CODE, "B1", client="guesser").outcome is Outcome.SLOW_DOWN  # the client waits for any join


def test_the_wait_never_grows_past_the_limit(clock):
    attempts = Attempts(clock=clock)
    for _ in range(40):
        attempts.failed(("client", "x"))
    assert attempts.wait(("client", "x")) == identity.MAX_WAIT_SECONDS


def test_leaving_signs_the_device_out_and_reassigning_signs_out_every_device(room):
    first = room.join(CODE, "Noy")
    second = room.join(CODE, "Noy", pin=first.pin)
    room.leave(first.token)
    assert room.learner_for(first.token) is None and room.learner_for(second.token) is not None
    pin = room.reassign(second.learner)
    assert room.learner_for(second.token) is None
    assert room.join(CODE, "Noy", pin=first.pin).outcome is Outcome.WRONG_PIN
    assert room.join(CODE, "Noy", pin=pin).outcome is Outcome.SECOND_DEVICE


def test_merge_moves_answers_and_devices(room, store):
    a, b = room.join(CODE, "Noy"), room.join(CODE, "Noy S.")
    store.record(a.learner.id, "welcome", "q", "reflection", "words of Noy")
    moved = store.merge(a.learner.id, b.learner.id)
    assert moved == 1 and store.learner_by_id(a.learner.id) is None
    assert [x.value for x in store.answers(learner_id=b.learner.id)] == ["words of Noy"]
    assert room.learner_for(a.token).id == b.learner.id


def test_rename_keeps_the_words_and_refuses_a_name_in_use(room, store):
    a = room.join(CODE, "Noy")
    room.join(CODE, "Keo")  # "keo" is now taken
    store.record(a.learner.id, "welcome", "q", "reflection", "mine")
    assert store.rename(a.learner.id, "Noy S.").name == "Noy S."
    assert store.find_learner("noy s.").id == a.learner.id and store.find_learner("Noy") is None
    with pytest.raises(identity.NameInUse):
        store.rename(a.learner.id, "keo")


# -- migrating a store from `slides` --------------------------------------------------------------
@sqlite_only
def test_a_version_1_store_is_backed_up_and_its_learners_keep_their_words(learner_home):
    from artisan_course.state import store as store_module
    path = learner_home / store_module.STORE_FILENAME
    learner_home.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
        for statement in store_module.MIGRATIONS[1].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (1, '2026-11-01')")
        conn.execute("INSERT INTO learners VALUES (1, 'Noy', 'noy', '2026-11-01', '2026-11-01')")
        conn.execute("INSERT INTO answers VALUES (1, 1, 'welcome', 'q', 'reflection', '\"about my "
                     "artisans\"', NULL, 'x')")
    store = Store(learner_home)
    assert store.schema_version() == SCHEMA_VERSION >= 2
    backups = [p for p in learner_home.iterdir() if ".backup-v1-" in p.name]
    assert len(backups) == 1 and "backup" in " ".join(store.notices)
    room = Identities(store, CODE)
    claimed = room.join(CODE, "NOY")  # the first device to open the name claims it
    assert claimed.outcome is Outcome.CLAIMED and claimed.learner.id == 1 and claimed.pin
    assert store.latest(1, "q").value == "about my artisans"
    assert room.join(CODE, "Noy").outcome is Outcome.NAME_IN_USE  # after that, the name needs the PIN


# -- the kernel's learner -------------------------------------------------------------------------
@pytest.fixture
def workshop_kernel(monkeypatch, fresh_session):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv(WORKSHOP_ENV, "1")
    return fresh_session


def test_a_workshop_kernel_takes_its_learner_from_the_server_never_the_address(workshop_kernel, monkeypatch,
                                                                               learner_home):
    store = Store(learner_home)
    store.create_learner("Noy")  # Noy is in the store, and still the kernel may not switch to Noy
    keo = store.create_learner("Keo")
    monkeypatch.setenv("QUERY_STRING", "learner=Noy")
    monkeypatch.setenv(LEARNER_ID_ENV, str(keo.id))
    assert workshop_kernel.start().id == keo.id
    with pytest.raises(identity.LearnerNameError):
        workshop_kernel.set_learner("Noy")
    assert workshop_kernel.learner.id == keo.id


def test_a_workshop_kernel_without_a_learner_has_none(workshop_kernel, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "learner=Noy")
    monkeypatch.delenv(LEARNER_ID_ENV, raising=False)
    assert workshop_kernel.start() is None


def test_the_recorder_only_touches_the_kernels_own_learner(workshop_kernel, monkeypatch, learner_home):
    from artisan_course.state import recorder
    store = Store(learner_home)
    noy, keo = store.create_learner("Noy"), store.create_learner("Keo")
    store.record(noy.id, "welcome", "q", "reflection", "Noy's words")
    monkeypatch.setenv(LEARNER_ID_ENV, str(keo.id))
    assert recorder.latest("q", recorder.Kind.REFLECTION, noy) is None
    assert recorder.history("q", recorder.Kind.REFLECTION, noy) == []
    assert not recorder.record("welcome", "q", recorder.Kind.REFLECTION, "overwritten", learner=noy).ok
    assert recorder.record("welcome", "q", recorder.Kind.REFLECTION, "Keo's words").ok
    assert store.latest(noy.id, "q").value == "Noy's words"
    assert store.latest(keo.id, "q").value == "Keo's words"


# -- the workshop server's small pieces ----------------------------------------------------------------
def test_after_joining_a_trainee_is_sent_only_to_a_page_of_this_server():
    from artisan_course.serving.workshop import safe_next
    assert safe_next("/voila/render/00-welcome.ipynb?x=1", "/") == "/voila/render/00-welcome.ipynb?x=1"
    for elsewhere in ("https://example.org/", "//example.org/", "/\\example.org", "javascript:alert(1)", "", None):
        assert safe_next(elsewhere, "/") == "/"
    assert safe_next("/other/page", "/course-base/") == "/course-base/"


def test_the_qr_code_is_an_inline_svg_that_loads_nothing():
    from artisan_course.serving.workshop import qr_svg
    svg = str(qr_svg("http://192.168.1.23:8866/join?code=KTRW"))
    assert svg.startswith("<svg") and "viewBox" in svg and "href" not in svg


# -- "It's me": the facilitator lets a trainee without a PIN back in -------------------------------------------------
BROWSER_A, BROWSER_B = "a" * 43, "b" * 43


def test_a_request_is_for_a_name_in_use_and_gives_only_the_asking_browser_a_device_once_let_in(room, clock):
    assert room.join(CODE, "Noy", browser=BROWSER_A).outcome is Outcome.JOINED
    asked = room.requests.ask(CODE, "noy", client="10.0.0.9", browser=BROWSER_B)
    assert asked.outcome is None and asked.secret and asked.request.name == "Noy"
    assert len(asked.request.code) == identity.ASK_CODE_LENGTH
    assert [r.id for r in room.requests.waiting()] == [asked.request.id]
    # Before the facilitator answers, the asking browser gets nothing, and no other browser can collect anything.
    assert room.requests.collect(asked.secret) == (asked.request, None)
    assert room.requests.collect("not the secret") == (None, None)
    assert room.requests.answer(asked.request.id, let_in=True) is identity.Asked.WAITING
    assert room.requests.collect("not the secret") == (None, None)
    request, token = room.requests.collect(asked.secret)
    assert token and room.learner_for(token).name == "Noy" and request.state is identity.Asked.IN
    assert room.requests.collect(asked.secret)[1] is None  # once only
    assert room.requests.answer(asked.request.id, let_in=False) is identity.Asked.IN  # answered already: no effect
    assert room.requests.waiting() == []


def test_a_refused_or_unanswered_request_signs_nobody_in(room, clock):
    room.join(CODE, "Keo", browser=BROWSER_A)
    refused = room.requests.ask(CODE, "Keo", browser=BROWSER_B)
    assert room.requests.answer(refused.request.id, let_in=False) is identity.Asked.WAITING
    assert room.requests.collect(refused.secret) == (refused.request, None)
    assert refused.request.state is identity.Asked.REFUSED
    late = room.requests.ask(CODE, "Keo", browser=BROWSER_B)
    clock.now += identity.ASK_SECONDS + 1
    assert room.requests.waiting() == []
    assert room.requests.answer(late.request.id, let_in=True) is identity.Asked.EXPIRED
    assert room.requests.collect(late.secret)[1] is None
    # Let in, but the device never came for the answer in time: expired too.
    slow = room.requests.ask(CODE, "Keo", browser=BROWSER_B)
    room.requests.answer(slow.request.id, let_in=True)
    clock.now += identity.ASK_SECONDS + 1
    assert room.requests.collect(slow.secret) == (slow.request, None) and slow.request.state is identity.Asked.EXPIRED
    assert room.requests.answer("no such request", let_in=True) is None


def test_a_request_needs_the_join_code_and_a_taken_name_and_is_limited(room, clock):
    assert room.requests.ask("XXXX", "Noy", browser=BROWSER_B).outcome is Outcome.WRONG_CODE
    nobody = room.requests.ask(CODE, "Nobody", browser=BROWSER_B)
    assert nobody.not_taken and nobody.request is None
    assert room.requests.ask(CODE, "", browser=BROWSER_B).outcome is Outcome.BAD_NAME
    room.join(CODE, "Lan", browser=BROWSER_A)
    first = room.requests.ask(CODE, "Lan", browser=BROWSER_B)
    second = room.requests.ask(CODE, "Lan", browser=BROWSER_B)  # the same browser asks again: one request only
    assert [r.id for r in room.requests.waiting()] == [second.request.id] and first.request.id != second.request.id
    for _ in range(identity.ASKS_PER_BROWSER - 2):
        assert room.requests.ask(CODE, "Lan", browser=BROWSER_B).request is not None
    assert room.requests.ask(CODE, "Lan", browser=BROWSER_B).outcome is Outcome.SLOW_DOWN
    # A forgotten name, let in meanwhile, signs nobody in.
    other = room.requests.ask(CODE, "Lan", browser="c" * 43)
    room.requests.answer(other.request.id, let_in=True)
    room.store.forget("Lan")
    assert room.requests.collect(other.secret) == (other.request, None)
    assert other.request.state is identity.Asked.GONE


def test_no_trainee_can_join_as_or_find_the_facilitator_s_own_learner(room, store):
    own = store.facilitator_learner()
    assert store.facilitator_learner().id == own.id == store.facilitator_id()  # made once
    joined = room.join(CODE, own.name)  # a trainee who calls themselves "Facilitator" is just a trainee
    assert joined.outcome is Outcome.JOINED and joined.learner.id != own.id
    assert store.find_learner(own.name).id == joined.learner.id
    assert room.requests.ask(CODE, own.name, browser=BROWSER_B).request.learner_id == joined.learner.id
    assert [learner.id for learner in store.learners()] == [joined.learner.id]


def test_on_a_hub_every_kernel_even_jupyterlabs_takes_its_learner_from_the_hub(fresh_session, monkeypatch,
                                                                               learner_home):
    from artisan_course.state.learner import HUB_ENV
    store = Store(learner_home)
    store.create_learner("Noy")
    keo = store.create_learner("Keo")
    monkeypatch.setenv(HUB_ENV, "1")  # a JupyterLab kernel in Keo's server: no Voilà, no workshop flag
    monkeypatch.setenv(LEARNER_ID_ENV, str(keo.id))
    assert fresh_session.start().id == keo.id
    with pytest.raises(identity.LearnerNameError):
        fresh_session.set_learner("Noy")
    assert fresh_session.learner.id == keo.id
