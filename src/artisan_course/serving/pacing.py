"""Pacing the room: the facilitator's slide, which the trainees' decks follow, and the slide each trainee is on.

Every deck page in a workshop asks ``POST /course/api/room`` every second and a half (and at once when it comes back
from sleep): it says which deck and slide it shows, and is told where the room is. There is no connection to keep
open, so a phone that sleeps or loses the Wi-Fi simply asks again when it is back.

- **The room's slide** comes only from a page the server knows is the facilitator's: a facilitator's session, checked
  here (``Workshop.facilitator``), never anything a page says about itself. A trainee's page that claims to lead is
  recorded as where that trainee is, and moves nobody.
- **Release and call back** (``POST /course/api/room/pace``): only a facilitator's session (403 otherwise). Released,
  the phones stay where their trainees take them; called back, every phone goes to the room's slide again.
- **Where each trainee is** is kept in memory, per device, for :data:`ROOM_SECONDS`: the facilitator's count "on this
  slide: 31 of 34" and the dashboard's "who is where" read it. A restarted server learns it again within seconds.

What a phone does with the answer (follow, unless its trainee is typing or has looked back on their own) is in the
deck's script, ``templates/artisan/static/course-deck.js``.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable

import tornado.web

from .. import paths
from .workshop import KEY_HEADER, workshop_of

ROOM_SECONDS = 10 * 60   # a trainee is in the room this long after their page last asked (as long as a kernel waits)
ASLEEP_SECONDS = 20      # a page not heard from for this long is asleep or closed (it asks every 1.5 s when awake)
MAX_PLACES = 2000        # devices remembered at most (a room of 40 has a few each); the oldest go first
MAX_ITEMS = 20           # question ids the facilitator's slide may name
_ITEM = re.compile(r"^[\w:.-]{1,100}$")
_BODY_BYTES = 4096


@dataclass(frozen=True)
class Place:
    """Where one device's page is: a deck and a slide, or the course map (``deck == ""``)."""

    deck: str
    h: int
    v: int
    seen: float  # the pacing clock's time of the page's last report

    def slide(self) -> tuple[str, int, int]:
        return self.deck, self.h, self.v


class Pacing:
    """The room's slide, whether the room follows it, and where every trainee's page is. Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.deck = ""       # the room's deck ("" until the facilitator opens one)
        self.h = 0
        self.v = 0
        self.items: tuple[str, ...] = ()  # the question ids on the room's slide, as the facilitator's page shows them
        self.following = True
        self.gathered = 0    # how many times the facilitator has called the room back
        self._places: dict[tuple[int, str], Place] = {}
        self._lock = threading.Lock()

    # -- the facilitator
    def lead(self, deck: str, h: int, v: int, items: tuple[str, ...] = (), move: bool = True) -> None:
        """The facilitator's page is on this slide. ``move=False`` (a page that only checks in) sets the room's slide
        only when the room has none yet (a restarted server), so an old tab never pulls the room back."""
        with self._lock:
            if not move and self.deck and (deck, h, v) != (self.deck, self.h, self.v):
                return
            self.deck, self.h, self.v, self.items = deck, h, v, tuple(items)

    def release(self) -> None:
        with self._lock:
            self.following = False

    def gather(self) -> None:
        with self._lock:
            self.following = True
            self.gathered += 1

    # -- the trainees
    def report(self, learner_id: int, device: str, deck: str, h: int, v: int) -> None:
        now = self.clock()
        with self._lock:
            self._places.pop((learner_id, device), None)  # re-inserted last: the dict stays oldest first
            self._places[(learner_id, device)] = Place(deck, h, v, now)
            while len(self._places) > MAX_PLACES:
                del self._places[next(iter(self._places))]

    def forget(self, learner_id: int) -> None:
        """A learner forgotten or merged: their pages are gone, so they are no longer in the room."""
        with self._lock:
            for key in [k for k in self._places if k[0] == learner_id]:
                del self._places[key]

    def places(self) -> dict[int, list[Place]]:
        """Every learner seen in the last :data:`ROOM_SECONDS`, with the places of their devices, latest first."""
        now = self.clock()
        found: dict[int, list[Place]] = {}
        with self._lock:
            for (learner_id, _), place in reversed(self._places.items()):
                if now - place.seen <= ROOM_SECONDS:
                    found.setdefault(learner_id, []).append(place)
        return found

    def room_slide(self) -> tuple[str, int, int] | None:
        with self._lock:
            return (self.deck, self.h, self.v) if self.deck else None

    def on_slide(self, places: list[Place]) -> bool:
        """True when one of these devices, awake or asleep, shows the room's slide."""
        here = self.room_slide()
        return here is not None and any(p.slide() == here for p in places)

    def count(self, trainees: set[int] | None = None) -> tuple[int, int]:
        """(on the room's slide, in the room): trainees whose page showed the course in the last ROOM_SECONDS, and
        how many of them show the room's slide now. ``trainees``: only these learners (the store's, at the moment)."""
        everyone = self.places()
        if trainees is not None:
            everyone = {k: v for k, v in everyone.items() if k in trainees}
        return sum(1 for places in everyone.values() if self.on_slide(places)), len(everyone)

    def state(self) -> dict:
        """What every page is told: where the room is and whether it follows."""
        with self._lock:
            return {"deck": self.deck, "h": self.h, "v": self.v, "following": self.following,
                    "gathered": self.gathered}


def pacing_of(handler: tornado.web.RequestHandler) -> Pacing | None:
    workshop = workshop_of(handler)
    return workshop.pacing if workshop is not None else None


def _deck(value) -> str | None:
    """A deck of the course, as a page names it (a path under ``notebooks/``), "" for the course map, else None."""
    if value in ("", None):
        return ""
    text = str(value)
    if len(text) > 200 or not text.endswith(".ipynb") or text.startswith("/") or "\\" in text:
        return None
    if any(part in ("", ".", "..") for part in text.split("/")):
        return None
    return text if (paths.notebooks_dir() / text).is_file() else None


def _index(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1000 else None


class _RoomApi(tornado.web.RequestHandler):
    def initialize(self, base_url: str = "/", **kwargs):
        self.base_url = base_url

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")

    def check_xsrf_cookie(self) -> None:
        workshop = workshop_of(self)
        if workshop is not None and workshop.key_matches(self.request.headers.get(KEY_HEADER)):
            return  # a script that sends the key itself cannot be a forged form
        super().check_xsrf_cookie()

    def body(self) -> dict:
        if len(self.request.body or b"") > _BODY_BYTES:
            raise tornado.web.HTTPError(413)
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400)
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400)
        return data


class RoomHandler(_RoomApi):
    """``POST /course/api/room``: a page says where it is, and is told where the room is.

    A facilitator's page (``{"lead": "move"}`` when it moved, ``"keep"`` when it only checks in) sets the room's slide
    and the question ids on it, and is told how many trainees are on it. A trainee's page is recorded where it is.
    Outside a workshop the answer is ``{"workshop": false}``, so a deck served by ``slides`` stops asking."""

    def post(self):
        workshop = workshop_of(self)
        if workshop is None:
            self.finish(json.dumps({"workshop": False}))
            return
        self.check_xsrf_cookie()
        data = self.body()
        deck, h, v = _deck(data.get("deck")), _index(data.get("h", 0)), _index(data.get("v", 0))
        if deck is None or h is None or v is None:
            raise tornado.web.HTTPError(400)
        pacing = workshop.pacing
        answer = {"workshop": True, **pacing.state()}
        if workshop.facilitator(self):
            lead = data.get("lead")
            if deck and lead in ("move", "keep"):
                items = data.get("items") or []
                if not isinstance(items, list):
                    raise tornado.web.HTTPError(400)
                items = tuple(str(i) for i in items[:MAX_ITEMS] if isinstance(i, str) and _ITEM.match(i))
                pacing.lead(deck, h, v, items, move=lead == "move")
            on, of = pacing.count(set(workshop.trainee_ids()))
            answer = {"workshop": True, **pacing.state(), "role": "facilitator", "here": on, "of": of}
        else:
            learner = workshop.learner(self)
            if learner is None:
                answer["role"] = None  # a page whose device left: it is told nothing more, and counted nowhere
            else:
                pacing.report(learner.id, workshop.device(self) or "", deck, h, v)
                answer["role"] = "trainee"
        self.finish(json.dumps(answer))


class PaceHandler(_RoomApi):
    """``POST /course/api/room/pace`` ``{"following": false}`` releases the room (self-paced), ``true`` calls it back.
    Only a facilitator's session: anyone else gets 403."""

    def post(self):
        workshop = workshop_of(self)
        if workshop is None or not workshop.facilitator(self):
            raise tornado.web.HTTPError(403)
        self.check_xsrf_cookie()
        following = self.body().get("following")
        if not isinstance(following, bool):
            raise tornado.web.HTTPError(400)
        if following:
            workshop.pacing.gather()
        else:
            workshop.pacing.release()
        on, of = workshop.pacing.count(set(workshop.trainee_ids()))
        self.finish(json.dumps({"workshop": True, **workshop.pacing.state(), "role": "facilitator", "here": on,
                                "of": of}))


def routes(route, conf: dict) -> list:
    """The room's routes (in both modes: outside a workshop the room answers that there is none)."""
    return [
        (route(r"/course/api/room"), RoomHandler, conf),
        (route(r"/course/api/room/pace"), PaceHandler, conf),
    ]
