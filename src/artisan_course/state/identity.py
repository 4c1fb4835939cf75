"""Private trainee identities for workshop mode: join codes, device tokens, PINs and fair limits on guessing.

A trainee joins with the room's join code and a display name. Their browser is given a random token (kept in an
HTTP-only cookie by the server); only its hash is stored, and it is what owns their answers. The name is a label:
a name already in use is refused unless the newcomer types the short PIN the first device was shown.

Wrong join codes and wrong PINs are counted so that guessing is slow but honest trainees never wait for someone
else's mistakes: per browser (a random id the join page gives each browser, so phones behind one Wi-Fi router's
address count apart), with a generous ceiling per network address (for browsers that drop their id) and per name.
A browser that has been signed in here before is slowed only by its own wrong tries, so a classmate who guesses a
name's PIN never locks its owner's own device out. New names are limited per browser and per address too.

A trainee who never saw their PIN, or lost it, can ask to come back in ("It's me", :class:`ComeBackRequests`): the
facilitator sees the name and a short code that the asking device shows too, checks that the person in front of them
holds that device, and lets them in with one tap, or says no. Only the browser that asked can use the answer, and a
request that nobody answers expires.

Nothing here knows HTTP: ``serving/workshop.py`` turns these results into pages and status codes (and runs the
hashing and the store's writes off the server's event loop).
"""
from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from ..i18n import N_
from .learner import LearnerNameError, name_key, validate_name
from .store import Learner, LearnerGone, NameInUse, Store

# Letters that cannot be mistaken for digits or each other when read off a projector, and spell no words.
JOIN_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
JOIN_CODE_LENGTH = 4
PIN_DIGITS = 6
PIN_ITERATIONS = 100_000
FREE_TRIES = 5           # wrong tries one browser may make before its first wait
ADDRESS_FREE_TRIES = 30  # ... one network address (a whole room can share one behind its router)
NAME_FREE_TRIES = 20     # ... at one name's PIN, from browsers that have never been signed in as it
FIRST_WAIT_SECONDS = 30  # then 60, 120, ... up to MAX_WAIT_SECONDS
MAX_WAIT_SECONDS = 15 * 60
NEW_NAMES_PER_BROWSER = 10   # new names one browser may make in NEW_NAMES_WINDOW_SECONDS (a shared laptop: a few)
NEW_NAMES_PER_ADDRESS = 200  # ... one network address (a room of 40 behind one router, joining more than once)
NEW_NAMES_WINDOW_SECONDS = 60 * 60
BROWSER_ID_LENGTH = 43       # secrets.token_urlsafe(32)
ASK_SECONDS = 5 * 60         # an "It's me" request waits this long for the facilitator, and once let in, for its device
ASKS_PER_BROWSER = 5         # requests one browser may make in ASKS_WINDOW_SECONDS
ASKS_PER_ADDRESS = 100       # ... one network address (a room behind one router)
ASKS_WINDOW_SECONDS = 60 * 60
ASKS_WAITING = 30            # requests waiting for the facilitator at once, at most
ASK_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ23456789"  # read aloud or off two screens: no 0/O, 1/I, no vowels
ASK_CODE_LENGTH = 4


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_LETTERS) for _ in range(JOIN_CODE_LENGTH))


def new_facilitator_key() -> str:
    return secrets.token_urlsafe(12)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_browser_id() -> str:
    """A random id for one browser, only to count its wrong tries apart from its neighbours' (not an identity)."""
    return secrets.token_urlsafe(32)


def valid_browser_id(value: str | None) -> str:
    """The browser id as sent, or "" when it is not one this server could have given."""
    value = str(value or "")
    ok = len(value) == BROWSER_ID_LENGTH and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value)
    return value if ok else ""


def token_hash(token: str) -> str:
    """Tokens are long and random, so one unsalted SHA-256 is enough: the store never holds a usable token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_pin() -> str:
    return f"{secrets.randbelow(10 ** PIN_DIGITS):0{PIN_DIGITS}d}"


def shown_pin(pin: str) -> str:
    """A PIN as a trainee reads it: two groups of three digits."""
    return f"{pin[:3]} {pin[3:]}"


def _typed(code: str) -> str:
    return "".join(str(code or "").split()).upper()


def pin_hash(pin: str, salt: bytes | None = None, iterations: int = PIN_ITERATIONS) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", _typed(pin).encode("ascii", "ignore"), salt, iterations)
    return f"pbkdf2-sha256${iterations}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        _, iterations, salt, _digest = stored.split("$")
        expected = pin_hash(pin, bytes.fromhex(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(expected, stored)


def code_matches(typed: str, code: str) -> bool:
    return hmac.compare_digest(_typed(typed).encode(), _typed(code).encode())


class Attempts:
    """Wrong tries, counted per key (a browser, an address, a name), with a wait that doubles once a key's free tries
    are used up. A key is ``(kind, value)``; ``free_by_kind`` gives some kinds more free tries than ``free``.

    In memory on purpose: a restarted server forgets them, and nobody but the facilitator can restart it.
    """

    KEEP = 10_000  # keys remembered before old, quiet ones are dropped

    def __init__(self, free: int = FREE_TRIES, first_wait: float = FIRST_WAIT_SECONDS,
                 max_wait: float = MAX_WAIT_SECONDS, clock: Callable[[], float] = time.monotonic,
                 free_by_kind: dict[str, int] | None = None):
        self.free, self.first_wait, self.max_wait, self.clock = free, first_wait, max_wait, clock
        self.free_by_kind = {"address": ADDRESS_FREE_TRIES, "name": NAME_FREE_TRIES} if free_by_kind is None \
            else dict(free_by_kind)
        self._failures: dict[tuple[str, str], int] = {}
        self._until: dict[tuple[str, str], float] = {}
        self._last: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: tuple[str, str]) -> int:
        """Whole seconds before another try is allowed for all of ``keys`` (0: try now)."""
        now = self.clock()
        with self._lock:
            left = max((self._until.get(key, 0.0) - now for key in keys), default=0.0)
        return math.ceil(left) if left > 0 else 0

    def failed(self, *keys: tuple[str, str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                count = self._failures.get(key, 0) + 1
                self._failures[key] = count
                self._last[key] = now
                free = self.free_by_kind.get(key[0], self.free)
                if count >= free:
                    self._until[key] = now + min(self.max_wait, self.first_wait * 2 ** (count - free))
            if len(self._failures) > self.KEEP:
                self._forget_quiet(now)

    def succeeded(self, *keys: tuple[str, str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
                self._until.pop(key, None)
                self._last.pop(key, None)

    def _forget_quiet(self, now: float) -> None:
        """Drop keys with no wait running and no wrong try for longer than the longest wait (a flood of ids)."""
        for key in [k for k, last in self._last.items()
                    if now - last > self.max_wait and self._until.get(k, 0.0) <= now]:
            self._failures.pop(key, None)
            self._until.pop(key, None)
            self._last.pop(key, None)


class Quota:
    """At most ``limit`` events per key in any ``window`` seconds (``limit_by_kind`` per key kind), in memory."""

    def __init__(self, limit_by_kind: dict[str, int], window: float, clock: Callable[[], float] = time.monotonic):
        self.limit_by_kind, self.window, self.clock = dict(limit_by_kind), window, clock
        self._events: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        return events

    def wait(self, *keys: tuple[str, str]) -> int:
        """Whole seconds before one more event is allowed for all of ``keys`` (0: now)."""
        now = self.clock()
        left = 0.0
        with self._lock:
            for key in keys:
                limit = self.limit_by_kind.get(key[0])
                events = self._recent(key, now)
                if limit is not None and len(events) >= limit:
                    left = max(left, events[len(events) - limit] + self.window - now)
        return math.ceil(left) if left > 0 else 0

    def spend(self, *keys: tuple[str, str]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._events) > Attempts.KEEP:
                for key in [k for k, events in self._events.items() if not self._recent(k, now)]:
                    del self._events[key]


class Outcome(str, Enum):
    JOINED = "joined"            # a new name: a new learner, with a PIN to write down
    CLAIMED = "claimed"          # a name from before workshop mode: its words are kept, and it now has a PIN
    SECOND_DEVICE = "second-device"  # the right PIN: this device joins the learner too
    NAME_IN_USE = "name-in-use"  # choose another name, or type the PIN
    WRONG_PIN = "wrong-pin"
    WRONG_CODE = "wrong-code"
    BAD_NAME = "bad-name"
    SLOW_DOWN = "slow-down"      # too many wrong tries: wait ``retry_after`` seconds

    @property
    def ok(self) -> bool:
        return self in (Outcome.JOINED, Outcome.CLAIMED, Outcome.SECOND_DEVICE)


@dataclass(frozen=True)
class JoinResult:
    outcome: Outcome
    message: str
    name: str = ""                 # the name as typed (echoed back to the person who typed it, never to others)
    learner: Learner | None = None
    token: str | None = None       # for the cookie; never stored
    pin: str | None = None         # shown once, to this device only
    retry_after: int = 0


def _slow_down(seconds: int, name: str = "") -> JoinResult:
    return JoinResult(Outcome.SLOW_DOWN, f"Too many wrong tries. Please wait {seconds} seconds, then try again.",
                      name=name, retry_after=seconds)


def _too_many_names(seconds: int, name: str = "") -> JoinResult:
    minutes = max(1, math.ceil(seconds / 60))
    return JoinResult(Outcome.SLOW_DOWN, f"This device has joined with many new names. Please wait {minutes} "
                      "minutes, or ask the facilitator for help.", name=name, retry_after=seconds)


class Identities:
    """Joining, leaving and PINs, over the learner store.

    ``reader`` is a second connection to the same store, for the quick look-up every request makes
    (:meth:`learner_for`): the workshop server does that on its event loop, while joins run (and may wait for the
    store) in other threads on ``store``.
    """

    def __init__(self, store: Store, join_code: str, attempts: Attempts | None = None,
                 new_names: Quota | None = None, reader: Store | None = None):
        self.store = store
        self.reader = reader or store
        self.join_code = join_code
        self.attempts = attempts or Attempts()
        self.new_names = new_names or Quota({"browser": NEW_NAMES_PER_BROWSER, "address": NEW_NAMES_PER_ADDRESS},
                                            NEW_NAMES_WINDOW_SECONDS, clock=self.attempts.clock)
        self._owned: dict[int, set[str]] = {}  # learner id -> the browsers that have been signed in as them
        self._lock = threading.Lock()
        self.requests = ComeBackRequests(self)

    # -- browsers that have been signed in here
    def _owns(self, learner_id: int, browser: str) -> bool:
        with self._lock:
            return bool(browser) and browser in self._owned.get(learner_id, ())

    def _known(self, browser: str) -> bool:
        with self._lock:
            return bool(browser) and any(browser in owned for owned in self._owned.values())

    def _signed_in_from(self, learner_id: int, browser: str) -> None:
        if browser:
            with self._lock:
                self._owned.setdefault(learner_id, set()).add(browser)

    def forgotten(self, learner_id: int) -> None:
        """The learner is gone (forgotten), or their name was given to someone else (reassigned)."""
        with self._lock:
            self._owned.pop(learner_id, None)

    def merged(self, from_id: int, into_id: int) -> None:
        with self._lock:
            moved = self._owned.pop(from_id, set())
            if moved:
                self._owned.setdefault(into_id, set()).update(moved)

    def _sign_in(self, learner: Learner) -> str:
        token = new_token()
        self.store.add_device(learner.id, token_hash(token))
        return token

    def _give_pin(self, learner: Learner) -> str:
        pin = new_pin()
        self.store.set_pin_hash(learner.id, pin_hash(pin))
        return pin

    def join(self, code: str, name: str, pin: str = "", client: str = "", browser: str = "") -> JoinResult:
        """One try at the join form from ``browser`` (its id, "" if it has none) at network address ``client``."""
        browser = valid_browser_id(browser)
        # A browser without an id (a script, cookies refused) shares one count with every other such at its address.
        by_browser = ("browser", browser or f"no id at {client}")
        by_address = ("address", client)
        # Every try counts for the browser and its address; a browser that has been signed in here waits only for
        # its own tries, never for its neighbours' (so a phone that typed its way in is not slowed by a flood).
        counted = (by_browser, by_address)
        checked = (by_browser,) if self._known(browser) else counted
        typed_name = str(name or "").strip()
        wait = self.attempts.wait(*checked)
        if wait:
            return _slow_down(wait, typed_name)
        if not code_matches(code, self.join_code):
            self.attempts.failed(*counted)
            # N_(): the join page shows it in the reader's language (workshop.py's page() translates a message).
            return JoinResult(Outcome.WRONG_CODE, N_("That join code is not right. It is on the projector."),
                              name=typed_name)
        try:
            display = validate_name(name)
        except LearnerNameError as exc:
            return JoinResult(Outcome.BAD_NAME, str(exc))
        existing = self.store.find_learner(display)
        if existing is None or not self.store.claimed(existing.id):
            wait = self.new_names.wait(*checked)
            if wait:
                return _too_many_names(wait, display)
            if existing is None:
                try:
                    learner = self.store.create_learner(display)
                except NameInUse:  # someone took it a moment ago
                    return self._name_in_use(display)
                outcome, message = Outcome.JOINED, "You have joined."
            else:
                # Saved before workshop mode (for example with `slides`): the first device to open the name claims it.
                learner, outcome, message = existing, Outcome.CLAIMED, "Welcome back: your earlier answers are here."
            self.new_names.spend(*counted)
            token, new = self._sign_in(learner), self._give_pin(learner)
            self._signed_in_from(learner.id, browser)
            return JoinResult(outcome, message, name=learner.name, learner=learner, token=token, pin=new)
        if not _typed(pin):
            return self._name_in_use(display)
        by_name = ("name", name_key(display))
        # The owner's own device is never slowed by what others typed at this name; its own typos count for it alone.
        if self._owns(existing.id, browser):
            counted = checked = (by_browser,)
        else:
            counted, checked = (*counted, by_name), (*checked, by_name)
        wait = self.attempts.wait(*checked)
        if wait:
            return _slow_down(wait, display)
        if not pin_matches(pin, self.store.pin_hash(existing.id)):
            self.attempts.failed(*counted)
            wait = self.attempts.wait(*checked)
            later = f" Too many wrong tries: the next try must wait {wait} seconds." if wait else ""
            return JoinResult(Outcome.WRONG_PIN, "That PIN is not right. Check it, or choose another name." + later,
                              name=display, retry_after=wait)
        self.attempts.succeeded(by_browser, by_name)
        token = self._sign_in(existing)
        self._signed_in_from(existing.id, browser)
        return JoinResult(Outcome.SECOND_DEVICE, N_("Welcome back: you carry on where you left off."),
                          name=existing.name, learner=existing, token=token)

    @staticmethod
    def _name_in_use(display: str) -> JoinResult:
        return JoinResult(Outcome.NAME_IN_USE,
                          f"Someone has already joined as '{display}'. Choose another name, for example with your "
                          "family initial. If it is you on another device, type the PIN you were shown, or ask the "
                          "facilitator to let you in.", name=display)

    def learner_for(self, token: str | None) -> Learner | None:
        """The learner a browser's token belongs to, or None (no token, an old one, or a forgotten learner)."""
        if not token:
            return None
        return self.reader.device_learner(token_hash(token))

    def leave(self, token: str | None) -> None:
        if token:
            self.store.remove_device(token_hash(token))

    def new_pin(self, learner: Learner) -> str:
        """A fresh PIN for a signed-in learner (the old one stops working)."""
        return self._give_pin(learner)

    def reassign(self, learner: Learner) -> str:
        """The facilitator gives a name to its rightful owner: every device is signed out, and a new PIN is made.

        The browsers signed in as the name until now are no longer its owner's (the wrong person may hold one)."""
        self.store.remove_devices(learner.id)
        self.forgotten(learner.id)
        return self._give_pin(learner)


# -- "It's me": a trainee with no PIN asks the facilitator to let them back in -------------------------------------
class Asked(str, Enum):
    WAITING = "waiting"     # the facilitator has not answered yet
    LET_IN = "let-in"       # the facilitator tapped "Let in": the asking device may now sign in, once
    REFUSED = "refused"
    EXPIRED = "expired"     # nobody answered in time, or the device did not come for the answer in time
    IN = "in"               # the device has signed in as the learner
    GONE = "gone"           # the learner was forgotten or merged meanwhile


@dataclass
class ComeBackRequest:
    """One "It's me" request. ``id`` names it on the facilitator's buttons; the asking browser holds a secret (only
    its hash is here), so no other browser can collect the answer."""

    id: str
    secret_hash: str
    learner_id: int
    name: str
    code: str              # shown on the asking device and on the facilitator's screen
    browser: str
    created: float
    until: float
    state: Asked = Asked.WAITING
    next_url: str = ""


@dataclass(frozen=True)
class AskResult:
    outcome: Outcome | None          # None: the request was made; else why not (WRONG_CODE, BAD_NAME, SLOW_DOWN)
    message: str
    request: ComeBackRequest | None = None
    secret: str | None = None        # for the asking browser's cookie; never stored
    not_taken: bool = False          # nobody has claimed this name: the trainee simply joins with it
    retry_after: int = 0


def new_ask_code() -> str:
    return "".join(secrets.choice(ASK_CODE_LETTERS) for _ in range(ASK_CODE_LENGTH))


def shown_ask_code(code: str) -> str:
    """An ask code as both screens show it: two groups of two."""
    return f"{code[:2]} {code[2:]}"


class ComeBackRequests:
    """The "It's me" requests, in memory (a restarted server forgets them: the trainee asks again).

    The facilitator's tap is the only way a request becomes a signed-in device; :meth:`collect` signs in only the
    browser holding the request's secret, once, and only while the request is let in and not expired."""

    def __init__(self, identities: "Identities", clock: Callable[[], float] | None = None,
                 seconds: float = ASK_SECONDS):
        self.identities = identities
        self.clock = clock or identities.attempts.clock
        self.seconds = seconds
        self.quota = Quota({"browser": ASKS_PER_BROWSER, "address": ASKS_PER_ADDRESS}, ASKS_WINDOW_SECONDS,
                           clock=self.clock)
        self._requests: dict[str, ComeBackRequest] = {}
        self._lock = threading.Lock()

    def _tidy(self, now: float) -> None:
        """Expire what is late; drop what ended long ago (the lock is held)."""
        for key, request in list(self._requests.items()):
            if request.state in (Asked.WAITING, Asked.LET_IN) and now >= request.until:
                request.state = Asked.EXPIRED
            if request.state not in (Asked.WAITING, Asked.LET_IN) and now >= request.until + self.seconds:
                del self._requests[key]

    def ask(self, code: str, name: str, client: str = "", browser: str = "", next_url: str = "") -> AskResult:
        """A trainee on the join page asks to come back in as ``name``; the asking browser keeps ``secret``."""
        identities = self.identities
        browser = valid_browser_id(browser)
        by_browser, by_address = ("browser", browser or f"no id at {client}"), ("address", client)
        counted = (by_browser, by_address)
        checked = (by_browser,) if identities._known(browser) else counted
        wait = identities.attempts.wait(*checked)
        if wait:
            return AskResult(Outcome.SLOW_DOWN, _slow_down(wait).message, retry_after=wait)
        if not code_matches(code, identities.join_code):
            identities.attempts.failed(*counted)
            return AskResult(Outcome.WRONG_CODE, "That join code is not right. It is on the projector.")
        try:
            display = validate_name(name)
        except LearnerNameError as exc:
            return AskResult(Outcome.BAD_NAME, str(exc))
        learner = identities.store.find_learner(display)
        if learner is None or not identities.store.claimed(learner.id):
            return AskResult(None, f"Nobody has joined as '{display}' yet: join with this name.", not_taken=True)
        wait = self.quota.wait(*checked)
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            return AskResult(Outcome.SLOW_DOWN, f"This device has asked many times. Please wait {minutes} minutes, "
                             "or ask the facilitator for help.", retry_after=wait)
        now = self.clock()
        secret = new_token()
        with self._lock:
            self._tidy(now)
            for key, old in list(self._requests.items()):  # one request per browser: a new one replaces the old
                if browser and old.browser == browser and old.state is Asked.WAITING:
                    del self._requests[key]
            if sum(1 for r in self._requests.values() if r.state is Asked.WAITING) >= ASKS_WAITING:
                return AskResult(Outcome.SLOW_DOWN, "Many people are waiting for the facilitator. Please wait a "
                                 "minute, then ask again.", retry_after=60)
            request = ComeBackRequest(id=secrets.token_urlsafe(9), secret_hash=token_hash(secret),
                                      learner_id=learner.id, name=learner.name, code=new_ask_code(), browser=browser,
                                      created=now, until=now + self.seconds, next_url=next_url)
            self._requests[request.id] = request
        self.quota.spend(*counted)
        return AskResult(None, "Asked.", request=request, secret=secret)

    def of_secret(self, secret: str | None) -> ComeBackRequest | None:
        """The request of the browser holding ``secret`` (its state brought up to date), or None."""
        if not secret:
            return None
        wanted = token_hash(secret)
        with self._lock:
            self._tidy(self.clock())
            return next((r for r in self._requests.values() if hmac.compare_digest(r.secret_hash, wanted)), None)

    def waiting(self) -> list[ComeBackRequest]:
        """Requests waiting for the facilitator, oldest first."""
        with self._lock:
            self._tidy(self.clock())
            return sorted((r for r in self._requests.values() if r.state is Asked.WAITING), key=lambda r: r.created)

    def answer(self, request_id: str, let_in: bool) -> Asked | None:
        """The facilitator's tap. Returns the request's state before the tap (WAITING: the tap took effect), or None
        for a request that does not exist."""
        now = self.clock()
        with self._lock:
            self._tidy(now)
            request = self._requests.get(str(request_id or ""))
            if request is None:
                return None
            before = request.state
            if before is Asked.WAITING:
                request.state = Asked.LET_IN if let_in else Asked.REFUSED
                request.until = now + self.seconds  # the device comes for the answer within this time
            return before

    def collect(self, secret: str | None) -> tuple[ComeBackRequest | None, str | None]:
        """The asking browser comes for its answer: a device token when it was let in (once), else None."""
        request = self.of_secret(secret)
        if request is None or request.state is not Asked.LET_IN:
            return request, None
        with self._lock:
            if request.state is not Asked.LET_IN:  # another tab of the same browser came first
                return request, None
            request.state = Asked.IN
        try:
            learner = self.identities.store.learner_by_id(request.learner_id)
            if learner is None:
                raise LearnerGone(request.learner_id)
            token = self.identities._sign_in(learner)
        except LearnerGone:
            request.state = Asked.GONE
            return request, None
        self.identities._signed_in_from(learner.id, request.browser)
        self.identities.attempts.succeeded(("browser", request.browser))
        return request, token
