"""A workshop that misbehaves as a real room does, on one workshop server: what is kept, and which pages recover.

Run:  .venv/bin/python benchmarks/field.py [--trainees 20] [--phones 2] [--minutes 5] [--json FILE]

Everything runs in a network and mount namespace the benchmark makes itself (``unshare --net --mount``): traffic
stays on that namespace's loopback, and the store lives on a small tmpfs mounted there. The benchmark stops by
itself: a hard limit on time (``--limit``, 20 minutes by default) and on the number of trainees (at most 40).

The room: ``--trainees`` trainees, of which ``--phones`` are real Chromium pages (390 x 844) and the others light
clients that join over HTTP and talk to their kernel over the websocket (the v1 kernel protocol), as
``benchmarks/workshop.py`` does. Every trainee's device reaches the server through a relay the benchmark controls
(``tests/relay.py``), its Wi-Fi. They work through deck 00 and then deck 03 (the facilitator moves the room on),
typing their reflections a sentence at a time and answering the quizzes. Meanwhile:

- a third of the devices drop their connection for 30-180 s at random times (``--drop-min``/``--drop-max``);
- the facilitator merges two trainees (a second name the same person made on a borrowed phone, into their own
  name) and forgets one;
- the server is stopped with Ctrl-C (SIGINT) and started again on the same port and store: the trainees' cookies
  still work, the facilitator signs in again;
- the disk that holds the store fills for ten seconds, with a file the benchmark then removes.

A light client does what the page does (``course-deck.js``, ``reflection.js``, ``page_actions.js``): when its
connection drops it asks every 2 s whether its kernel is still there, reconnects to it if it is, and opens the
deck again if it is gone, saving the words it kept (the draft) when the store still has the text they continue. A
tap while offline is refused and said so (the trainee taps again when the page is back); typed words wait.

At the end, the store is read (inside the namespace) and checked: every sentence a trainee typed is in a reflection
of that trainee's learner (or, after the merge, of the learner it was merged into) and in no other learner's; every
quiz answer confirmed on a page is there under its learner; the forgotten trainee's words are gone, and nothing
they typed after being forgotten landed anywhere. It prints answers typed, kept, refused and said so, lost, kept
under the wrong learner (must be 0), pages that recovered by themselves and their time to recover (p50 / p95,
from the moment the network or the server was back), and pages left stuck (must be 0).

``tests/test_field_room_browser.py`` runs a smaller room (a few light clients and one Chromium phone, about a
minute) with the same code and asserts 0 lost, 0 misattributed, 0 stuck.
"""
from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

INSIDE = "ARTISAN_FIELD_INSIDE"
MAX_TRAINEES = 40
DECKS = ("00-welcome.ipynb", "03-anchoring.ipynb")
PROBE_SECONDS = 2.0      # course-deck.js: how often a page that is not connected asks for its kernel
STUCK_AFTER_SECONDS = 120  # a page not working again this long after the room settled is stuck
FILL_SECONDS = 10.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# -- the room's clock and what happened in it ----------------------------------------------------------------
class World:
    """What the benchmark did and when: the server's address, when each device's network came back."""

    def __init__(self, port: int):
        self.port = port
        self.code = ""
        self.start = time.monotonic()
        self.server_up = threading.Event()
        self.server_back_at: list[float] = []     # times the server answered again after the restart
        self.lock = threading.Lock()
        self.stop = threading.Event()             # the trainees stop working (the end of the run)
        self.deck_index = 0                       # which deck the facilitator has the room on
        self.merged: dict[int, int] = {}          # learner id -> the learner it was merged into
        self.forgotten: set[int] = set()
        self.forgotten_at: dict[int, float] = {}

    def now(self) -> float:
        return time.monotonic() - self.start

    def back_at(self, since: float, relay) -> float:
        """When the network was last back for this device, at or after ``since``: its relay and the server."""
        times = [t for t in self.server_back_at if t >= since]
        if relay.restored_at >= since:
            times.append(relay.restored_at)
        return max(times) if times else since


def patch_relay():
    """The relay of tests/relay.py, remembering when it was last restored."""
    from relay import Relay

    class FieldRelay(Relay):
        restored_at = 0.0

        def restore(self) -> None:
            self.restored_at = time.monotonic()
            super().restore()

    return FieldRelay


# -- the kernel's protocol ----------------------------------------------------------------------------------
def questions_by_prompt() -> dict:
    """Every quiz question of the two decks, with how the page lists its options (the room's order)."""
    from artisan_course.content.quiz_bank import load_bank
    from artisan_course.content.quiz_markup import to_html
    from artisan_course.models.grading import ROOM_SEED, display_order
    found = {}
    for module in ("welcome", "anchoring"):
        for question in load_bank(module):
            if question.type in ("single", "scenario", "poll"):
                keys = display_order(question, ROOM_SEED)
            elif question.type == "truefalse":
                keys = [True, False]
            else:
                continue
            found[to_html(question["prompt"])] = (question.id, keys)
    return found


def receive(ws, timeout: float) -> dict:
    """The next message from the kernel, in the v1 protocol, with the header of the message it answers."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
    channel, parts = deserialize_msg_from_ws_v1(ws.recv(timeout=timeout))
    header, parent, _, content = (json.loads(part) for part in parts[:4])
    return {"channel": channel, "header": header, "parent_header": parent, "msg_type": header.get("msg_type"),
            "content": content}


class Closed(Exception):
    """The page's connection to its kernel is gone."""


class LightPage:
    """One trainee's device without a browser, through its own relay: join, decks, reflections, quizzes, and the
    page's recovery (course-deck.js) when the connection drops or the kernel is gone."""

    def __init__(self, world: World, name: str, tag: str, relay, questions: dict, rng: random.Random):
        self.world, self.name, self.tag, self.relay, self.questions, self.rng = world, name, tag, relay, questions, rng
        self.base = relay.url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.learner_id: int | None = None
        self.ws = None
        self.kernel: str | None = None
        self.session_id = uuid.uuid4().hex
        self.states: dict[str, dict] = {}
        self.deck: str | None = None
        self.signed_out = False                  # the page ended at the join page (a forgotten trainee)
        self.quiet = False                       # this device was put away for good (its phone died)
        # what this trainee typed: item -> the box's text now; the sentences, each with when it was typed
        self.text: dict[str, str] = {}
        self.drafts: dict[str, dict] = {}        # draft_key -> {"text", "base"}: what reflection.js keeps
        self.sentences: list[dict] = []
        self.taps: list[dict] = []               # quiz answers: item, response, outcome
        self.answered: set[str] = set()
        self.recoveries: list[dict] = []
        self.disrupted_at: float | None = None
        self.events: list[str] = []
        self.restore_offers = 0                  # kept words offered behind "Restore it" (not saved by themselves)
        self.error = ""
        self.replies: list[dict] = []            # messages read while waiting for a reply (call)
        self.collect = False

    # -- HTTP
    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def join(self) -> None:
        with self.opener.open(self.base + "join", timeout=60) as response:
            response.read()
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), "code": self.world.code, "name": self.name,
                                       "pin": ""}).encode()
        with self.opener.open(self.base + "join", data=form, timeout=120) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"join answered {response.status}")

    def get(self, path: str, timeout: float = 30) -> tuple[int, str, str]:
        """(status, body, final url); status 0 when the network does not answer."""
        try:
            with self.opener.open(self.base + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, "", error.geturl()
        except (OSError, urllib.error.URLError, http.client.HTTPException):
            return 0, "", ""  # no answer, or an answer cut off (the Wi-Fi dropped, the server stopped)

    # -- the page
    def open_deck(self, deck: str) -> bool:
        """Load the deck and connect to its kernel, as a page load does; False if the network or server is not
        there (the page would show its own error; the trainee tries again)."""
        self.close_socket()
        status, html, url = self.get("voila/render/" + urllib.parse.quote(deck), timeout=300)
        if status == 200 and "/join" in urllib.parse.urlsplit(url).path:
            self.signed_out = True
            self.events.append(f"{self.world.now():.0f}s signed out (the join page)")
            return False
        found = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
        if status != 200 or not found:
            return False
        self.kernel, self.deck = found.group(1), deck
        self.session_id = uuid.uuid4().hex
        self.states = {}
        self.kept_sent: set[str] = set()
        if not self.connect():
            return False
        try:
            self.request_states()
            for comm in self.reflections():
                self.offer_draft(comm)
            self.send_kept()
        except Closed:
            return False  # dropped while loading: the page tries again
        return True

    def connect(self) -> bool:
        from websockets.sync.client import connect
        from room import V1
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        try:
            self.ws = connect(f"ws://127.0.0.1:{self.relay.port}/api/kernels/{self.kernel}/channels?session_id="
                              f"{self.session_id}", additional_headers={"Cookie": cookies}, open_timeout=60,
                              max_size=None, subprotocols=[V1], ping_interval=None)
            self.call("kernel_info_request", {}, "kernel_info_reply", timeout=120)
            return True
        except Exception:
            self.close_socket()
            return False

    def close_socket(self) -> None:
        if self.ws is not None:
            try:
                self.ws.close()
            except Exception:
                pass
        self.ws = None

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        """Send one message to the kernel; its id."""
        from room import _message, _send
        if self.ws is None:
            raise Closed()
        message = _message(self.session_id, msg_type, content, metadata)
        message["header"]["msg_id"] = uuid.uuid4().hex
        try:
            _send(self.ws, message)
        except Exception:
            self.close_socket()
            raise Closed() from None
        return message["header"]["msg_id"]

    def pump(self, seconds: float, until=None) -> bool:
        """Read the kernel's messages for up to ``seconds`` (widget updates are applied); True once ``until()``."""
        deadline = time.monotonic() + seconds
        while True:
            if until is not None and until():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self.ws is None:
                raise Closed()
            try:
                message = receive(self.ws, min(left, 0.5))
            except TimeoutError:
                continue
            except Exception:
                self.close_socket()
                raise Closed() from None
            self.seen(message)

    def seen(self, message: dict) -> None:
        content = message.get("content", {})
        if message["msg_type"] == "comm_msg":
            data = content.get("data", {})
            comm = content.get("comm_id")
            if data.get("method") == "update":
                state = self.states.setdefault(comm, {})
                was = (state.get("disabled"), state.get("draft_key"))
                state.update(data.get("state", {}))
                now = (state.get("disabled"), state.get("draft_key"))
                if "draft_key" in state and "prompt" in state and now != was:
                    self.offer_draft(comm)  # reflection.js: change:disabled / change:draft_key -> syncFromModel
                    self.send_kept()
            elif data.get("method") == "custom" and data.get("content", {}).get("event") == "kept-saved":
                saved = data["content"]
                for key, draft in list(self.drafts.items()):
                    if key.endswith(":" + saved.get("item", "")) and draft["text"] == saved.get("text"):
                        del self.drafts[key]
            elif data.get("method") == "update_states":
                self.states.update({k: v["state"] for k, v in data["states"].items()})
        elif message["msg_type"] == "comm_open":
            data = content.get("data", {})
            self.states[content.get("comm_id")] = data.get("state", {})
        if self.collect:
            self.replies.append(message)

    def call(self, msg_type: str, content: dict, reply: str, timeout: float, metadata=None) -> dict:
        self.replies, self.collect = [], True
        try:
            self.send(msg_type, content, metadata)
            found = {}

            def answered():
                for message in self.replies:
                    if message["msg_type"] == reply:
                        found["m"] = message
                        return True
                return False
            if not self.pump(timeout, answered):
                raise Closed()
            return found["m"]
        finally:
            self.collect = False

    def request_states(self) -> None:
        comm = f"control-{uuid.uuid4().hex}"
        self.send("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                  {"version": "1.0.0"})
        self.replies, self.collect = [], True
        try:
            self.send("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
            if not self.pump(180, lambda: any(m["msg_type"] == "comm_msg" and m["content"].get("data", {}).get(
                    "method") == "update_states" for m in self.replies)):
                raise Closed()
        finally:
            self.collect = False

    def idle_after(self, msg_id: str, timeout: float) -> bool:
        """Wait until the kernel has handled message ``msg_id`` (its "idle" status for it): True, or False."""
        self.replies, self.collect = [], True
        try:
            return self.pump(timeout, lambda: any(
                m["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
                and m.get("parent_header", {}).get("msg_id") == msg_id for m in self.replies))
        finally:
            self.collect = False

    def reflections(self) -> list[str]:
        return [k for k, s in self.states.items() if "draft_key" in s and "prompt" in s]

    def item_of(self, comm: str) -> str:
        return self.states[comm]["draft_key"].rsplit(":", 1)[-1]

    # -- reflection.js
    def offer_draft(self, comm: str) -> None:
        """What the box does when its page opens: words kept in the browser are saved at once if the store still
        has the text they continue; otherwise they are offered behind "Restore it"."""
        state = self.states[comm]
        if state.get("disabled") or not state.get("draft_key"):
            return
        item = self.item_of(comm)
        self.text[item] = state.get("value", "")
        draft = self.drafts.get(state["draft_key"])
        if not draft or draft["text"] == state.get("value", ""):
            return
        if draft["base"] == state.get("saved_text", ""):
            self.text[item] = draft["text"]
            self.update(comm, draft["text"])
        else:
            self.restore_offers += 1
            self.events.append(f"{self.world.now():.0f}s 'Restore it' offered for {item}")

    def send_kept(self) -> None:
        """reflection.js sendKept: the words kept for this learner's boxes on other decks go to the kernel, once per
        page, through the first box that is open."""
        from artisan_course.widgets.reflection import kept_fingerprint
        boxes = [k for k in self.reflections()
                 if not self.states[k].get("disabled") and self.states[k].get("draft_key")]
        if not boxes:
            return
        own = {self.states[k].get("draft_key") for k in self.reflections()}
        prefix = self.states[boxes[0]]["draft_key"].rsplit(":", 1)[0] + ":"
        for key, draft in list(self.drafts.items()):
            if key.startswith(prefix) and key not in own and key not in self.kept_sent:
                self.kept_sent.add(key)
                self.send("comm_msg", {"comm_id": boxes[0], "data": {"method": "custom", "content": {
                    "event": "kept", "item": key[len(prefix):], "text": draft["text"],
                    "base": kept_fingerprint(draft["base"])}}})

    def update(self, comm: str, text: str) -> None:
        self.send("comm_msg", {"comm_id": comm, "data": {"method": "update", "state": {"value": text},
                                                         "buffer_paths": []}})
        self.states[comm]["value"] = text

    def type_sentence(self, comm: str) -> None:
        """One sentence more in the box (kept in the browser at once), sent after the pause as the page does."""
        state = self.states[comm]
        item = self.item_of(comm)
        number = len(self.sentences) + 1
        sentence = f"{self.tag}-{number:02d} we agree the price before the batch."
        text = (self.text.get(item, "") + " " + sentence).strip()
        self.text[item] = text
        self.drafts[state["draft_key"]] = {"text": text, "base": state.get("saved_text", "")}
        self.sentences.append({"sentence": sentence, "item": item, "at": self.world.now(),
                               "learner": self.learner_id, "deck": self.deck})
        if self.ws is not None:
            self.update(comm, text)

    def unsaved(self) -> list[str]:
        """The boxes whose text (what the trainee typed) the kernel has not confirmed as saved."""
        return [k for k in self.reflections() if self.text.get(self.item_of(k)) is not None
                and self.text[self.item_of(k)] != self.states[k].get("saved_text", "")]

    def keep_drafts(self) -> None:
        """A box whose text the kernel confirmed drops its draft (reflection.js showSaved)."""
        for comm in self.reflections():
            state = self.states[comm]
            draft = self.drafts.get(state.get("draft_key"))
            if draft and state.get("saved_text") == draft["text"]:
                del self.drafts[state["draft_key"]]

    # -- a quiz tap
    def quiz_views(self) -> list[tuple[str, str, str, str, list]]:
        """(item, radio comm, check comm, feedback comm, keys) for every radio question on the deck."""
        views = []
        for state in self.states.values():
            if "course-question" not in state.get("_dom_classes", []):
                continue
            children = [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]
            if len(children) < 4:
                continue
            head = self.states.get(children[0], {}).get("value", "")
            control = self.states.get(children[1], {})
            if control.get("_model_name") != "RadioButtonsModel":
                continue
            buttons = [c.removeprefix("IPY_MODEL_") for c in self.states.get(children[2], {}).get("children", [])]
            match = next(((qid, keys) for prompt, (qid, keys) in self.questions.items() if prompt in head), None)
            if match and buttons:
                views.append((match[0], children[1], buttons[0], children[3], match[1]))
        return views

    def tap(self, view) -> None:
        item, radio, check, feedback, keys = view
        index = self.rng.randrange(len(keys))
        tap = {"item": item, "response": keys[index], "learner": self.learner_id, "at": self.world.now(),
               "outcome": "sent"}
        if self.ws is None:
            tap["outcome"] = "refused offline"  # page_actions.js: "Not sent: you are offline."
            self.taps.append(tap)
            return
        self.taps.append(tap)
        self.send("comm_msg", {"comm_id": radio, "data": {"method": "update", "state": {"index": index},
                                                          "buffer_paths": []}})
        click = self.send("comm_msg", {"comm_id": check, "data": {"method": "custom", "content": {"event": "click"}}})
        try:
            handled = self.idle_after(click, 180)
        except Closed:
            tap["outcome"] = "no answer, said so"  # page_actions.js: "Your last tap did not reach the laptop."
            raise
        shown = self.states.get(feedback, {}).get("value", "")
        if not handled or not shown:
            tap["outcome"] = "no answer, said so"
        elif "could not be saved" in shown or "no longer in the course" in shown:
            tap["outcome"] = "refused, said so"
            self.answered.add(item)
        else:
            tap["outcome"] = "confirmed"
            self.answered.add(item)

    # -- course-deck.js: the connection to the laptop
    def recover(self) -> bool:
        """The page is not connected: probe its kernel every 2 s; reconnect to it, or open the deck again when it is
        gone. True once the page works again (False if the run ended first, or the page ended at the join page)."""
        if self.disrupted_at is None:
            self.disrupted_at = time.monotonic()
            self.events.append(f"{self.world.now():.0f}s offline")
        while not self.world.stop.is_set() or time.monotonic() < self.world.settle_until:
            status, _, _ = self.get(f"api/kernels/{self.kernel}", timeout=10) if self.kernel else (404, "", "")
            how = None
            if status in (403, 404):
                time.sleep(1.5)  # "This page closed while you were away. It opens again now, with your work."
                if self.open_deck(self.deck):
                    how = "reopened"
                elif self.signed_out:
                    self.disrupted_at = None
                    return False
            elif status == 200 and self.connect():
                how = "reconnected"
                for comm in self.reflections():  # the values typed meanwhile are sent once connected
                    item = self.item_of(comm)
                    if self.text.get(item) is not None and self.text[item] != self.states[comm].get("value"):
                        self.update(comm, self.text[item])
                    elif self.states[comm].get("saved_text") != self.states[comm].get("value"):
                        self.update(comm, self.states[comm].get("value", ""))
            if how:
                done = time.monotonic()
                back = self.world.back_at(self.disrupted_at, self.relay)
                self.recoveries.append({"how": how, "seconds": round(done - back, 2), "at": self.world.now()})
                self.events.append(f"{self.world.now():.0f}s {how} after {done - back:.1f}s")
                self.disrupted_at = None
                return True
            time.sleep(PROBE_SECONDS)
        return False

    def working(self, what) -> bool:
        """Do ``what`` on a working page, recovering first (and again if the connection drops meanwhile)."""
        for _ in range(5):
            if self.signed_out:
                return False
            try:
                if self.ws is None and not self.recover():
                    return False
                what()
                self.keep_drafts()
                return True
            except Closed:
                continue
        return False

    # -- the trainee's morning
    def run(self, schedule: list[tuple[float, str]]) -> None:
        try:
            self.join()
            self.learner_id = self.whoami()
            while not self.open_deck(DECKS[0]):
                if self.world.stop.is_set():
                    return
                time.sleep(3)
            for at, action in schedule:
                while self.world.now() < at and not self.world.stop.is_set():
                    self.idle(min(1.0, at - self.world.now()))
                if self.world.stop.is_set() or self.signed_out or self.quiet:
                    break
                self.act(action)
            self.settle()
        except Exception:
            self.error = traceback.format_exc(limit=3).strip().splitlines()[-1]

    def whoami(self) -> int | None:
        return None  # filled in by the facilitator's roster (Field.learner_ids)

    def idle(self, seconds: float) -> None:
        """The trainee reads the slide: the page keeps listening to its kernel (and notices a drop)."""
        if self.ws is None:
            if self.kernel and not self.signed_out and not self.quiet:
                self.recover()
            else:
                time.sleep(seconds)
            return
        try:
            self.pump(seconds)
            self.keep_drafts()
        except Closed:
            pass

    def act(self, action: str) -> None:
        if action == "next deck":
            self.move_on()
        elif action == "sentence":
            boxes = [k for k in self.reflections() if not self.states[k].get("disabled")]
            if not boxes:
                return
            comm = boxes[len(self.sentences) % len(boxes)]
            if self.ws is None:  # typed while offline: kept in the browser, sent when the page is back
                self.type_sentence(comm)
                return
            self.working(lambda: self.type_sentence(comm))
        elif action == "quiz":
            views = [v for v in self.quiz_views() if v[0] not in self.answered]
            if not views:
                return
            if self.ws is None:
                self.tap(views[0])  # refused offline and said so; tapped again once the page is back
                return
            self.working(lambda: self.tap(views[0]))
        elif action == "put away":
            self.quiet = True
            self.close_socket()  # the phone died: the page is gone (its kernel stays its 10 minutes)

    def move_on(self) -> None:
        """The facilitator moved on: the trainee opens the next deck (the old page's shutdown goes as it leaves)."""
        if self.ws is None and not self.recover():
            return
        if self.kernel and self.rng.random() < 0.5:
            form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf") or ""}).encode()
            request = urllib.request.Request(self.base + f"voila/api/shutdown/{self.kernel}", data=form,
                                             headers={"X-XSRFToken": self.cookie("_xsrf") or ""})
            try:
                with self.opener.open(request, timeout=30) as response:
                    response.read()
            except (OSError, urllib.error.URLError):
                pass
        self.close_socket()
        self.text = {}
        while not self.open_deck(DECKS[1]):
            if self.signed_out or time.monotonic() > self.world.settle_until:
                return
            time.sleep(3)

    def settle(self) -> None:
        """The run is over: the page has until the end of the settling time to save what it holds."""
        if self.signed_out or self.quiet:
            return
        while time.monotonic() < self.world.settle_until:
            if self.ws is None:
                if not self.recover():
                    return
                continue
            try:
                for comm in self.reflections():
                    item = self.item_of(comm)
                    if self.text.get(item) is not None and self.text[item] != self.states[comm].get("value"):
                        self.update(comm, self.text[item])
                self.pump(1.0)
                self.keep_drafts()
            except Closed:
                continue
            if not self.unsaved():
                return

    def stuck(self) -> str:
        """Why this page is not working at the end ("" if it works: connected, and every word it holds saved)."""
        if self.signed_out or self.quiet:
            return ""
        if self.ws is None:
            return "not connected"
        try:
            self.call("kernel_info_request", {}, "kernel_info_reply", timeout=60)
        except Closed:
            return "its kernel does not answer"
        if self.unsaved():
            return "words not saved: " + ", ".join(self.item_of(k) for k in self.unsaved())
        return ""


# -- the Chromium phones ------------------------------------------------------------------------------------
CONNECTION = "document.documentElement && document.documentElement.getAttribute('data-course-connection')"
BOX = ".course-reflection textarea"
READY = ("() => !!document.body && document.body.hasAttribute('data-deck-ready')"
         " && !!document.getElementById('rendered_cells')"
         " && document.getElementById('rendered_cells').style.display !== 'none'"
         " && !!document.querySelector('.course-reflection textarea')"
         " && !document.querySelector('.course-reflection textarea').disabled")


class Phone:
    """A real page in Chromium (390 x 844) through its own relay. Driven from one thread (Playwright's)."""

    def __init__(self, world: World, context, name: str, tag: str, relay):
        self.world, self.context, self.name, self.tag, self.relay = world, context, name, tag, relay
        self.page = context.new_page()
        self.learner_id: int | None = None
        self.deck: str | None = None
        self.sentences: list[dict] = []
        self.taps: list[dict] = []
        self.recoveries: list[dict] = []
        self.events: list[str] = []
        self.disrupted_at: float | None = None
        self.loads = 0
        self.signed_out = False
        self.quiet = False
        self.restore_offers = 0
        self.error = ""
        self.page.on("load", lambda _: setattr(self, "loads", self.loads + 1))
        self.navigating = False   # a deck the trainee asked for is still arriving (not a disruption)
        self.last_state = ""

    def join(self) -> None:
        page = self.page
        page.goto(self.relay.url + "join", timeout=120_000)
        page.fill("#join-code", self.world.code)
        page.fill("#join-name", self.name)
        with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST", timeout=120_000):
            page.click("button[type=submit]")

    def open(self, deck: str, wait: bool = True) -> None:
        """Go to a deck, as the trainee taps its link; ``wait``: until it is drawn (else the glances follow it)."""
        self.deck, self.navigating = deck, True
        self.page.goto(self.relay.url + "voila/render/" + deck, timeout=60_000, wait_until="commit")
        if wait:
            self.page.wait_for_function(READY, timeout=300_000, polling=250)
            self.navigating = False
            self.to_box()

    def to_box(self) -> None:
        self.page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => "
                           "s.querySelector('.course-reflection')))")

    def state(self) -> str:
        """"working", "offline" (the page says so) or "loading" (reloading, or not drawn yet)."""
        try:
            status = self.page.evaluate(CONNECTION)
            ready = self.page.evaluate(READY)
        except Exception:
            return "loading"
        if status in ("offline", "gone", "cut"):
            return "offline"
        if "/join" in self.page.url:
            return "signed out"
        return "working" if ready and status in ("connected", "back") else "loading"

    def check(self) -> str:
        """Look at the page, as the trainee glances at it; note a disruption and when it recovered."""
        state = self.state()
        if state == "signed out":
            self.signed_out = True
        reloading = state == "loading" and self.last_state == "working" and not self.navigating
        if (state == "offline" or reloading) and self.disrupted_at is None and self.deck is not None:
            self.disrupted_at = time.monotonic()
            self.events.append(f"{self.world.now():.0f}s {state}")
        self.last_state = state
        if state == "working" and self.navigating:  # the deck asked for has arrived: to its reflection
            self.navigating = False
            try:
                self.to_box()
            except Exception:
                pass
        if state == "working" and self.disrupted_at is not None:
            done = time.monotonic()
            back = self.world.back_at(self.disrupted_at, self.relay)
            self.recoveries.append({"how": "page", "seconds": round(done - back, 2), "at": self.world.now()})
            self.events.append(f"{self.world.now():.0f}s working again after {done - back:.1f}s")
            self.disrupted_at = None
            try:
                self.to_box()
            except Exception:
                pass
        return state

    def type_sentence(self) -> None:
        if self.state() not in ("working", "offline"):
            return  # reloading: the trainee waits for the page
        number = len(self.sentences) + 1
        sentence = f"{self.tag}-{number:02d} we agree the price before the batch."
        box = self.page.locator(BOX).first
        try:
            box.click(timeout=10_000)
            box.press("End")
            box.press_sequentially(" " + sentence, delay=15, timeout=60_000)
            box.evaluate("el => el.blur()")
        except Exception:
            return
        try:
            typed = box.input_value(timeout=5_000)
        except Exception:
            typed = ""
        if sentence in typed:
            self.sentences.append({"sentence": sentence, "item": "", "at": self.world.now(),
                                   "learner": self.learner_id, "deck": self.deck})

    def stuck(self) -> str:
        if self.signed_out or self.quiet:
            return ""
        state = self.state()
        if state != "working":
            return f"the page is {state}"
        try:
            box = self.page.locator(".course-reflection").first
            text = box.locator("textarea").input_value()
            status = box.locator(".course-status").inner_text()
            saved = box.locator(".course-status--saved").count() > 0
        except Exception:
            return "the page does not answer"
        if text and not saved:
            return f"the box says: {status}"
        return ""


# -- the facilitator ----------------------------------------------------------------------------------------
class Facilitator:
    """The facilitator's laptop: signs in with the key from the terminal, reads the roster, merges and forgets."""

    def __init__(self, world: World):
        self.world = world
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.base = f"http://127.0.0.1:{world.port}/"

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def join(self) -> None:
        """The facilitator joins the room too (a deck is for those who joined), as "Facilitator"."""
        with self.opener.open(self.base + "join", timeout=60) as response:
            response.read()
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), "code": self.world.code, "name": "Facilitator",
                                       "pin": ""}).encode()
        with self.opener.open(self.base + "join", data=form, timeout=120) as response:
            response.read()

    def sign_in(self, key: str) -> None:
        with self.opener.open(self.base + "facilitator/sign-in", timeout=60) as response:
            response.read()
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), "key": key}).encode()
        with self.opener.open(self.base + "facilitator/sign-in", data=form, timeout=60) as response:
            response.read()

    def roster(self) -> dict[str, int]:
        with self.opener.open(self.base + "facilitator/api/roster", timeout=60) as response:
            return {row["name"]: row["id"] for row in json.loads(response.read())}

    def act(self, action: str, **form) -> int:
        data = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), **form}).encode()
        try:
            with self.opener.open(self.base + f"facilitator/{action}", data=data, timeout=120) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def open_deck(self, deck: str) -> int:
        """The projector opens the deck (the room's pools follow it); the page itself is not kept open here."""
        try:
            with self.opener.open(self.base + "voila/render/" + deck, timeout=300) as response:
                html = response.read().decode("utf-8", "replace")
        except (OSError, urllib.error.URLError, http.client.HTTPException):
            return 0
        found = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
        return 200 if found else 0


# -- the run ------------------------------------------------------------------------------------------------
def start_server(world: World, root: Path, home: Path, options: list[str], log_name: str):
    from room import RoomServer
    # The server writes every thread's stack to its log on SIGUSR1 (faulthandler), for a stop that hangs.
    hooks = root / "field-hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text("import faulthandler, signal\n"
                                            "faulthandler.register(signal.SIGUSR1, all_threads=True)\n")
    server = RoomServer(root, home, world.port, *options, log_name=log_name,
                        env={"PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")])})
    world.code = server.code
    return server


def ctrl_c(server, seconds: float = 60) -> float | None:
    """Stop the server as the facilitator does, with Ctrl-C (SIGINT); how long it took, or None if it had not
    stopped after ``seconds`` (its threads' stacks go to its log, then it is killed)."""
    import signal
    start = time.monotonic()
    server.process.send_signal(signal.SIGINT)
    try:
        server.process.wait(timeout=seconds)
        took = time.monotonic() - start
    except subprocess.TimeoutExpired:
        server.process.send_signal(signal.SIGUSR1)
        time.sleep(2)
        took = None
    server.stop()
    return took


def fill_disk(folder: Path) -> Path:
    """Fill the store's tmpfs to the last byte with a file of its own."""
    filler = folder / "field-filler"
    with open(filler, "wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
        try:
            while True:
                out.write(b"\0" * 512)
        except OSError:
            pass
    return filler


def plan(n: int, phones: int, seconds: float, rng: random.Random, drop_min: float, drop_max: float) -> dict:
    """Who does what when. Names: trainee i; the merged pair is a second name of one person; one is forgotten."""
    light = list(range(phones, n))
    merged_from = light[1] if len(light) > 1 else None       # a second name, made on a borrowed phone
    merged_into = light[0] if light else None                # the person's own name (their phone died)
    forgotten = light[2] if len(light) > 2 else None
    drops = {}
    droppable = [i for i in range(n) if i not in (merged_into,)]
    count = max(1, round(len(droppable) / 3))
    others = [i for i in droppable if i != 0]
    chosen = ([0] if phones else []) + rng.sample(others, min(len(others), max(0, count - (1 if phones else 0))))
    for i in chosen:
        length = rng.uniform(drop_min, drop_max)
        start = rng.uniform(0.12 * seconds, max(0.12 * seconds, seconds - length - 15))
        drops[i] = (start, start + length)
    return {"merged_from": merged_from, "merged_into": merged_into, "forgotten": forgotten, "drops": drops,
            "move_on": 0.42 * seconds, "merge": 0.25 * seconds, "forget": 0.33 * seconds,
            "restart": 0.55 * seconds, "fill": 0.75 * seconds, "put_away": 0.18 * seconds}


def schedule(i: int, seconds: float, plan_: dict, rng: random.Random) -> list[tuple[float, str]]:
    """A trainee's morning: a sentence every 8-16 s, a quiz answer every 10-20 s, the next deck when the facilitator
    moves on."""
    actions = []
    t = rng.uniform(2, 8)
    while t < seconds:
        actions.append((t, "sentence"))
        t += rng.uniform(8, 16)
    t = rng.uniform(5, 12)
    while t < seconds:
        actions.append((t, "quiz"))
        t += rng.uniform(10, 20)
    actions.append((plan_["move_on"] + rng.uniform(0, 8), "next deck"))
    if i == plan_["merged_into"]:
        actions = [a for a in actions if a[0] < plan_["put_away"]] + [(plan_["put_away"], "put away")]
    return sorted(actions)


def phones_thread(world: World, phones_: list, plan_: dict, seconds: float, rng: random.Random, browser_ready,
                  done: threading.Event, names: list[str], tags: list[str], relays: list, report: dict) -> None:
    """Every Chromium phone, from Playwright's one thread: join, deck 00, sentences, deck 03, glances."""
    from playwright.sync_api import sync_playwright
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                      "--disable-quic"])
            for i, name in enumerate(names):
                context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
                own = re.compile(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/")
                context.route(lambda url: not own.match(url) and not url.startswith(("data:", "blob:")),
                              lambda route: (report.setdefault("elsewhere", []).append(route.request.url),
                                             route.abort()))
                phones_.append(Phone(world, context, name, tags[i], relays[i]))
            browser_ready.set()
            for phone in phones_:
                phone.join()
                phone.open(DECKS[0], wait=False)  # the glances below follow it as it arrives
                phone.events.append(f"{world.now():.0f}s opens {DECKS[0]}")
            due = {id(p): rng.uniform(3, 10) for p in phones_}
            moved = set()
            while not world.stop.is_set():
                for phone in phones_:
                    phone.check()
                    if world.now() >= due[id(phone)]:
                        phone.type_sentence()
                        due[id(phone)] = world.now() + rng.uniform(10, 18)
                    if world.now() >= plan_["move_on"] and id(phone) not in moved and phone.state() == "working":
                        moved.add(id(phone))
                        try:
                            phone.open(DECKS[1], wait=False)  # the glances follow it (the other phone goes on)
                            phone.events.append(f"{world.now():.0f}s opens {DECKS[1]}")
                        except Exception as exc:
                            phone.events.append(f"{world.now():.0f}s next deck failed: {exc}"[:200])
                time.sleep(0.5)
            # Settling: every phone gets its chance to recover and save.
            while time.monotonic() < world.settle_until:
                states = [p.check() for p in phones_]
                if all(s in ("working", "signed out") for s in states) and all(not p.stuck() for p in phones_):
                    break
                time.sleep(0.5)
            for phone in phones_:
                phone.check()
                report.setdefault("phone_stuck", []).append(phone.stuck())
            done.set()
            # Keep the pages open until the benchmark has read the store (they may still be saving).
            while not world.finished.is_set():
                time.sleep(0.5)
            browser.close()
    except Exception:
        report["phones_error"] = traceback.format_exc(limit=6)
        browser_ready.set()
        done.set()


def run(n: int, phones: int, seconds: float, drop_min: float, drop_max: float, seed: int, limit: float) -> dict:
    """The whole field test, inside the namespace; returns the figures and what went wrong."""
    from conftest import free_port, make_course_copy
    FieldRelay = patch_relay()
    rng = random.Random(seed)
    hard_deadline = time.monotonic() + limit
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="artisan-field-"))
    home = tmp / "store"
    home.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(home)], check=True)
    root = make_course_copy(tmp / "course")
    world = World(free_port())
    world.settle_until = float("inf")
    world.finished = threading.Event()
    options = ["--class-size", str(n + 1), "--max-kernels", str(min(60, 2 * n + 8))]
    plan_ = plan(n, phones, seconds, rng, drop_min, drop_max)
    names = [f"Trainee {i:02d}" for i in range(n)]
    if plan_["merged_from"] is not None:
        names[plan_["merged_from"]] = f"Trainee {plan_['merged_into']:02d} borrowed phone"
    tags = [f"T{i:02d}x{uuid.uuid4().hex[:4]}" for i in range(n)]
    report: dict = {"trainees": n, "phones": phones, "seconds": seconds, "seed": seed,
                    "load_before": [round(x, 2) for x in load_before], "events": []}
    server = start_server(world, root, home, options, "room-1.log")
    world.server_up.set()
    facilitator = Facilitator(world)
    facilitator.join()
    facilitator.sign_in(server.key)
    facilitator.open_deck(DECKS[0])
    # The facilitator starts the server before the room arrives: the first deck's kernels warm meanwhile.
    warm_start = time.monotonic()
    while time.monotonic() - warm_start < min(300, limit / 4):
        if server.status()["ready_by_deck"].get(DECKS[0], 0) >= n:
            break
        time.sleep(2)
    report["warm_up_s"] = round(time.monotonic() - warm_start, 1)
    log(f"{server.status()['ready_by_deck'].get(DECKS[0], 0)} kernels of {DECKS[0]} ready after "
        f"{report['warm_up_s']} s; the room arrives")
    relays = [FieldRelay(world.port) for _ in range(n)]
    questions = questions_by_prompt()
    lights = {i: LightPage(world, names[i], tags[i], relays[i], questions, random.Random(seed * 100 + i))
              for i in range(phones, n)}
    phone_list: list[Phone] = []
    browser_ready, phones_done = threading.Event(), threading.Event()
    world.start = time.monotonic()
    threads = []
    if phones:
        threads.append(threading.Thread(target=phones_thread, daemon=True, args=(
            world, phone_list, plan_, seconds, random.Random(seed + 1), browser_ready, phones_done, names[:phones],
            tags[:phones], relays[:phones], report)))
        threads[-1].start()
    else:
        phones_done.set()
    for i, light in lights.items():
        time.sleep(0.4)
        threads.append(threading.Thread(target=light.run, args=(schedule(i, seconds, plan_, random.Random(i)),),
                                        daemon=True))
        threads[-1].start()

    def note(text: str) -> None:
        report["events"].append(f"{world.now():.0f}s {text}")
        log(text)

    ids: dict[str, int] = {}

    def learner_ids() -> None:
        ids.update(facilitator.roster())
        for i, light in lights.items():
            light.learner_id = light.learner_id or ids.get(names[i])
            for sentence in light.sentences:
                sentence["learner"] = sentence["learner"] or light.learner_id
            for tap in light.taps:
                tap["learner"] = tap["learner"] or light.learner_id
        for phone in phone_list:
            phone.learner_id = phone.learner_id or ids.get(phone.name)
            for sentence in phone.sentences:
                sentence["learner"] = sentence["learner"] or phone.learner_id

    # The room's misbehaviour, in time order.
    timeline = sorted([(plan_["merge"], "merge"), (plan_["forget"], "forget"), (plan_["move_on"], "move on"),
                       (plan_["restart"], "restart"), (plan_["fill"], "fill"), (seconds, "end")] +
                      [(a, ("drop", i)) for i, (a, _) in plan_["drops"].items()] +
                      [(b, ("restore", i)) for i, (_, b) in plan_["drops"].items()], key=lambda e: e[0])
    filler, filled_at = None, 0.0
    try:
        for at, event in timeline:
            while world.now() < at:
                if time.monotonic() > hard_deadline:
                    raise TimeoutError("the run took longer than its limit")
                time.sleep(0.2)
                if world.now() > 20 and not ids:
                    learner_ids()
                if filler is not None and world.now() >= filled_at + FILL_SECONDS:
                    filler.unlink()
                    filler = None
                    note("the disk has room again")
            learner_ids()
            if event == "merge" and plan_["merged_from"] is not None:
                source, into = ids.get(names[plan_["merged_from"]]), ids.get(names[plan_["merged_into"]])
                status = facilitator.act("merge", learner=source, into=into)
                world.merged[source] = into
                lights[plan_["merged_from"]].learner_id = into  # the device now belongs to the merged name
                note(f"merged {names[plan_['merged_from']]} into {names[plan_['merged_into']]}: {status}")
            elif event == "forget" and plan_["forgotten"] is not None:
                gone = ids.get(names[plan_["forgotten"]])
                world.forgotten_at[gone] = world.now()
                world.forgotten.add(gone)
                status = facilitator.act("forget", learner=gone)
                note(f"forgot {names[plan_['forgotten']]}: {status}")
            elif event == "move on":
                world.deck_index = 1
                note(f"the facilitator opens {DECKS[1]} on the projector")
                threading.Thread(target=facilitator.open_deck, args=(DECKS[1],), daemon=True).start()
            elif event == "restart":
                note("Ctrl-C on the server")
                world.server_up.clear()
                took = ctrl_c(server)
                report["ctrl_c_seconds"] = took
                how = f"after {took:.1f} s" if took is not None else "it did not stop on Ctrl-C within 60 s: killed"
                note(f"the server has stopped ({how}); starting it again")
                server = start_server(world, root, home, options, "room-2.log")
                world.server_back_at.append(time.monotonic())
                world.server_up.set()
                facilitator.sign_in(server.key)  # the trainee cookie still works; the session is new
                note(f"the server is back; the facilitator signed in again and opens {DECKS[world.deck_index]}")
                threading.Thread(target=facilitator.open_deck, args=(DECKS[world.deck_index],), daemon=True).start()
            elif event == "fill":
                filler = fill_disk(home)
                filled_at = world.now()
                note(f"the disk is full ({shutil.disk_usage(home).free} bytes free)")
            elif event == "end":
                note("time is up: the trainees stop; the pages settle")
            elif event[0] == "drop":
                relays[event[1]].drop()
                note(f"{names[event[1]]} loses the Wi-Fi")
            elif event[0] == "restore":
                relays[event[1]].restore()
                note(f"{names[event[1]]} has the Wi-Fi again")
        if filler is not None:
            filler.unlink()
        world.settle_until = time.monotonic() + STUCK_AFTER_SECONDS
        world.stop.set()
        for thread in threads[1 if phones else 0:]:
            thread.join(timeout=max(1, world.settle_until - time.monotonic() + 60))
        phones_done.wait(timeout=max(1, world.settle_until - time.monotonic() + 60))
        note("every page has settled (or its time is up)")
        learner_ids()
        report["stuck"] = []
        for i, light in lights.items():
            why = light.stuck()
            if why:
                report["stuck"].append(f"{names[i]}: {why}")
            if light.error:
                report.setdefault("errors", []).append(f"{names[i]}: {light.error}")
        for phone, why in zip(phone_list, report.get("phone_stuck", [])):
            if why:
                report["stuck"].append(f"{phone.name} (Chromium): {why}")
        time.sleep(2)  # the last saves reach the store
        report.update(check_store(home, world, list(lights.values()) + phone_list, plan_, names))
    finally:
        world.stop.set()
        world.finished.set()
        for relay in relays:
            relay.close()
        server.stop()
        report["server_log_tail"] = (root / "room-2.log").read_text(errors="replace")[-3000:] if (
            root / "room-2.log").exists() else ""
        subprocess.run(["umount", "-l", str(home)], check=False)
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    report["recoveries"] = [r for page in list(lights.values()) + phone_list for r in page.recoveries]
    times = [r["seconds"] for r in report["recoveries"]]
    report["recovered"] = len(times)
    report["recover_p50_s"] = round(statistics.median(times), 1) if times else None
    report["recover_p95_s"] = round(p95(times), 1) if times else None
    report["restore_offers"] = sum(p.restore_offers for p in list(lights.values()) + phone_list)
    report["pages"] = {p.name: p.events for p in list(lights.values()) + phone_list}
    return report


def check_store(home: Path, world: World, pages: list, plan_: dict, names: list[str]) -> dict:
    """What the store kept, and under whom."""
    from artisan_course.state.store import Store
    store = Store(home)
    try:
        rows = [a for a in store.answers() if a.kind in ("reflection", "quiz")]
        learners = {learner.id for learner in store.learners()}
    finally:
        store.close()

    def owner(learner_id):
        while learner_id in world.merged:
            learner_id = world.merged[learner_id]
        return learner_id

    texts = [(a.learner_id, a.item, a.value) for a in rows if a.kind == "reflection" and isinstance(a.value, str)]
    result = {"typed": 0, "kept": 0, "refused_said_so": 0, "lost": 0, "wrong_learner": 0, "forgotten_found": 0,
              "offline_taps_refused": 0, "lost_examples": [], "wrong_examples": []}
    for page in pages:
        for sentence in page.sentences:
            where = {learner for learner, _, text in texts if sentence["sentence"] in text}
            mine = owner(sentence["learner"])
            if mine in world.forgotten:
                result["forgotten_found"] += len(where)
                continue
            result["typed"] += 1
            if mine in where:
                result["kept"] += 1
            else:
                result["lost"] += 1
                result["lost_examples"].append(f"{page.name}: {sentence}")
            if where - {mine}:
                result["wrong_learner"] += 1
                result["wrong_examples"].append(f"{page.name}: {sentence['sentence']} under {sorted(where - {mine})}")
        for tap in getattr(page, "taps", []):
            mine = owner(tap["learner"])
            if tap["outcome"] == "refused offline":
                result["offline_taps_refused"] += 1
                continue
            if mine in world.forgotten:
                continue
            if tap["outcome"] == "confirmed":
                result["typed"] += 1
                found = [a for a in rows if a.kind == "quiz" and a.learner_id == mine and a.item == tap["item"]
                         and a.value.get("response") == tap["response"]]
                if found:
                    result["kept"] += 1
                else:
                    result["lost"] += 1
                    result["lost_examples"].append(f"{page.name}: {tap}")
            elif tap["outcome"] == "refused, said so":
                result["typed"] += 1
                result["refused_said_so"] += 1
    # Every quiz row belongs to a learner whose pages sent that answer (the same item and response).
    sent: dict = {}
    for page in pages:
        for tap in getattr(page, "taps", []):
            if tap["outcome"] != "refused offline":
                key = (owner(tap["learner"]), tap["item"], json.dumps(tap["response"]))
                sent[key] = sent.get(key, 0) + 1
    counted: dict = {}
    for a in rows:
        if a.kind == "quiz" and isinstance(a.value, dict) and not a.value.get("revealed"):
            key = (a.learner_id, a.item, json.dumps(a.value.get("response")))
            counted[key] = counted.get(key, 0) + 1
    for key, count in counted.items():
        if count > sent.get(key, 0):
            result["wrong_learner"] += count - sent.get(key, 0)
            result["wrong_examples"].append(f"quiz rows {key} x{count}, sent {sent.get(key, 0)}")
    # The forgotten trainee: no learner, no rows, and nothing typed after being forgotten anywhere.
    result["forgotten_found"] += sum(1 for a in rows if a.learner_id in world.forgotten)
    result["forgotten_still_a_learner"] = len(world.forgotten & learners)
    result["lost_examples"] = result["lost_examples"][:8]
    result["wrong_examples"] = result["wrong_examples"][:8]
    return result


def inside(args) -> None:
    """In the namespace: loopback up, then the run; the report as one JSON line on stdout."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    report = run(args.trainees, args.phones, args.minutes * 60, args.drop_min, args.drop_max, args.seed, args.limit)
    print(json.dumps(report), flush=True)


def field(trainees: int, phones: int, minutes: float, drop_min: float = 30, drop_max: float = 180, seed: int = 25,
          limit: float = 1200) -> dict:
    """Run the field test in a new network and mount namespace (as root); its report."""
    if trainees > MAX_TRAINEES:
        raise SystemExit(f"at most {MAX_TRAINEES} trainees")
    command = ["unshare", "--net", "--mount", "--propagation", "private", "--", sys.executable, str(Path(__file__)),
               "--inside", "--trainees", str(trainees), "--phones", str(phones), "--minutes", str(minutes),
               "--drop-min", str(drop_min), "--drop-max", str(drop_max), "--seed", str(seed), "--limit", str(limit)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=limit + 300, cwd=REPO,
                          env=dict(os.environ, **{INSIDE: "1"}))
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the field test failed ({done.returncode}):\n{done.stdout[-4000:]}")
    return json.loads(lines[-1])


def table(report: dict) -> str:
    rows = [("trainees (Chromium phones)", f"{report['trainees']} ({report['phones']})"),
            ("minutes", f"{report['seconds'] / 60:g}"),
            ("answers typed", report["typed"]), ("kept", report["kept"]),
            ("refused and said so", report["refused_said_so"]), ("lost", report["lost"]),
            ("kept under the wrong learner", report["wrong_learner"]),
            ("forgotten trainee's words found", report["forgotten_found"]),
            ("taps refused offline (said so, tapped again)", report["offline_taps_refused"]),
            ("pages that recovered by themselves", report["recovered"]),
            ("time to recover p50 / p95", f"{report['recover_p50_s']} s / {report['recover_p95_s']} s"),
            ("kept words offered behind 'Restore it'", report["restore_offers"]),
            ("pages left stuck", len(report["stuck"])),
            ("load average before -> after", f"{report['load_before'][0]} -> {report['load_after'][0]}")]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--phones", type=int, default=2, help="how many of the trainees are Chromium phones")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--drop-min", type=float, default=30)
    parser.add_argument("--drop-max", type=float, default=180)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--limit", type=float, default=1200, help="seconds after which the run stops, whatever")
    parser.add_argument("--json", type=Path, help="also write the whole report here")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        if os.environ.get(INSIDE) != "1":
            raise SystemExit("--inside is for the namespace the benchmark makes")
        inside(args)
        return
    report = field(args.trainees, args.phones, args.minutes, args.drop_min, args.drop_max, args.seed, args.limit)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    print(table(report))
    for key in ("stuck", "lost_examples", "wrong_examples", "errors"):
        if report.get(key):
            print(f"\n{key}:\n  " + "\n  ".join(report[key]))


if __name__ == "__main__":
    main()
