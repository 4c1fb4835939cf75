"""Private trainee identities for workshop mode: join codes, device tokens, PINs and slowed guessing.

A trainee joins with the room's join code and a display name. Their browser is given a random token (kept in an
HTTP-only cookie by the server); only its hash is stored, and it is what owns their answers. The name is a label:
a name already in use is refused unless the newcomer types the short PIN the first device was shown. Wrong join
codes and wrong PINs are counted per name and per client, and after a few the next try must wait, longer each time.

Nothing here knows HTTP: ``serving/workshop.py`` turns these results into pages and status codes.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from .learner import LearnerNameError, name_key, validate_name
from .store import Learner, NameInUse, Store

# Letters that cannot be mistaken for digits or each other when read off a projector, and spell no words.
JOIN_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
JOIN_CODE_LENGTH = 4
PIN_DIGITS = 6
PIN_ITERATIONS = 100_000
FREE_TRIES = 5           # wrong tries allowed before the first wait
FIRST_WAIT_SECONDS = 30  # then 60, 120, ... up to MAX_WAIT_SECONDS
MAX_WAIT_SECONDS = 15 * 60


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_LETTERS) for _ in range(JOIN_CODE_LENGTH))


def new_facilitator_key() -> str:
    return secrets.token_urlsafe(12)


def new_token() -> str:
    return secrets.token_urlsafe(32)


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
    """Wrong tries, counted per key (a name, a client), with a wait that doubles after ``free`` of them.

    In memory on purpose: a restarted server forgets them, and nobody but the facilitator can restart it.
    """

    def __init__(self, free: int = FREE_TRIES, first_wait: float = FIRST_WAIT_SECONDS,
                 max_wait: float = MAX_WAIT_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.free, self.first_wait, self.max_wait, self.clock = free, first_wait, max_wait, clock
        self._failures: dict[tuple[str, str], int] = {}
        self._until: dict[tuple[str, str], float] = {}
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
                if count >= self.free:
                    self._until[key] = now + min(self.max_wait, self.first_wait * 2 ** (count - self.free))

    def succeeded(self, *keys: tuple[str, str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
                self._until.pop(key, None)


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


class Identities:
    """Joining, leaving and PINs, over the learner store."""

    def __init__(self, store: Store, join_code: str, attempts: Attempts | None = None):
        self.store = store
        self.join_code = join_code
        self.attempts = attempts or Attempts()

    def _sign_in(self, learner: Learner) -> str:
        token = new_token()
        self.store.add_device(learner.id, token_hash(token))
        return token

    def _give_pin(self, learner: Learner) -> str:
        pin = new_pin()
        self.store.set_pin_hash(learner.id, pin_hash(pin))
        return pin

    def join(self, code: str, name: str, pin: str = "", client: str = "") -> JoinResult:
        by_client = ("client", client)
        wait = self.attempts.wait(by_client)
        if wait:
            return _slow_down(wait, str(name or "").strip())
        if not code_matches(code, self.join_code):
            self.attempts.failed(by_client)
            return JoinResult(Outcome.WRONG_CODE, "That join code is not right. It is on the projector.",
                              name=str(name or "").strip())
        try:
            display = validate_name(name)
        except LearnerNameError as exc:
            return JoinResult(Outcome.BAD_NAME, str(exc))
        by_name = ("name", name_key(display))
        existing = self.store.find_learner(display)
        if existing is None:
            try:
                learner = self.store.create_learner(display)
            except NameInUse:  # someone took it a moment ago
                return self._name_in_use(display)
            return JoinResult(Outcome.JOINED, "You have joined.", name=learner.name, learner=learner,
                              token=self._sign_in(learner), pin=self._give_pin(learner))
        if not self.store.claimed(existing.id):
            # Saved before workshop mode (for example with `slides`): the first device to open the name claims it.
            return JoinResult(Outcome.CLAIMED, "Welcome back: your earlier answers are here.", name=existing.name,
                              learner=existing, token=self._sign_in(existing), pin=self._give_pin(existing))
        if not _typed(pin):
            return self._name_in_use(display)
        wait = self.attempts.wait(by_client, by_name)
        if wait:
            return _slow_down(wait, display)
        if not pin_matches(pin, self.store.pin_hash(existing.id)):
            self.attempts.failed(by_client, by_name)
            wait = self.attempts.wait(by_client, by_name)
            later = f" Too many wrong tries: the next try must wait {wait} seconds." if wait else ""
            return JoinResult(Outcome.WRONG_PIN, "That PIN is not right. Check it, or choose another name." + later,
                              name=display, retry_after=wait)
        self.attempts.succeeded(by_name)
        return JoinResult(Outcome.SECOND_DEVICE, "Welcome back: you carry on where you left off.", name=existing.name,
                          learner=existing, token=self._sign_in(existing))

    @staticmethod
    def _name_in_use(display: str) -> JoinResult:
        return JoinResult(Outcome.NAME_IN_USE,
                          f"Someone has already joined as '{display}'. Choose another name, for example with your "
                          "family initial. If it is you on another device, type the PIN you were shown.", name=display)

    def learner_for(self, token: str | None) -> Learner | None:
        """The learner a browser's token belongs to, or None (no token, an old one, or a forgotten learner)."""
        if not token:
            return None
        return self.store.device_learner(token_hash(token))

    def leave(self, token: str | None) -> None:
        if token:
            self.store.remove_device(token_hash(token))

    def new_pin(self, learner: Learner) -> str:
        """A fresh PIN for a signed-in learner (the old one stops working)."""
        return self._give_pin(learner)

    def reassign(self, learner: Learner) -> str:
        """The facilitator gives a name to its rightful owner: every device is signed out, and a new PIN is made."""
        self.store.remove_devices(learner.id)
        return self._give_pin(learner)
