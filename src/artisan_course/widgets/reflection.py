"""Reflection prompts whose answers are saved as the learner types.

The browser half (``frontend/reflection.js``) debounces typing and keeps a
draft in the browser until this half confirms the save. This half writes to
the learner store: one history row per sitting (a focus loss or a new kernel
starts the next row), updated in place by the autosaves in between.

The kernel decides what is saved, never the page: text that arrives while the
box may not take it (no learner yet, or a room question the facilitator has
closed: ``accepting``) is refused, whatever the page's ``disabled`` says. A
save that fails, or is refused, sets ``problem`` to the course's plain message;
the page shows it with a download of the box's text, so the words are kept.
When the store itself failed (a full disk), the kernel tries the save again
every few seconds, so the text is saved as soon as there is room.

Words the browser kept for a box on another deck (its page closed before they
were saved: a phone that came back to a full disk and moved on with the room,
a tab the phone's browser discarded) are sent by the first box of whichever
deck the learner opens next (the "kept" message). The kernel saves them under
its own learner, in the module whose notebook asks that question, only if the
store still has the text they continue (the same fingerprint the page keeps)
and the question is not closed; otherwise they wait for their own box, which
offers them back. Until the kernel says they are saved, the browser keeps them.
"""
from __future__ import annotations

import weakref
from pathlib import Path
from typing import Callable

import anywidget
import traitlets

from ..state import recorder
from ..state.learner import in_workshop, name_key
from ..state.recorder import LEARNER_GONE, NO_LEARNER, AutoSave, Kind, Saved
from ..state.session import RETRY_SECONDS, SESSION
from ..content.notebooks import writing_prompt_module
from ..i18n import N_, _
from ..text import clock

FRONTEND = Path(__file__).parent / "frontend"
CLOSED_NOT_SAVED = N_("The facilitator has closed this question, so your last change was not saved. "
                      "Download what you wrote to keep it.")
KEPT_LIMIT = 100_000  # characters of kept words one message may carry (a long reflection is a few thousand)
_SHOWN: "weakref.WeakSet[Reflection]" = weakref.WeakSet()  # every box of this page's kernel

PRIVACY_NOTE = N_("Please write no real names or private details of artisans or their families: "
                  "say \u201cthe weaver\u201d or \u201cthe group leader\u201d instead.")
CLOSED = N_("The facilitator has closed this question.")
NAME_FIRST = N_("Type your name at the top first.")
PLACEHOLDER = N_("Type your answer here. It is saved as you type.")
# The box's own wording in reflection.js (t("...") there): sent translated, as the widget's ``words``.
JS_WORDS = (N_("Saved at {time}"), N_("Download what you wrote"), N_("Saving…"),
            N_("Not saved yet. Your text is kept in this browser and saved when the connection is back."),
            N_("Saving what you typed while the page was away…"),
            N_("This browser kept text you wrote earlier that was not saved ({n} characters)."),
            N_("Restore it"), N_("Discard it"), N_("Type your name at the top first."), N_("Not written yet."),
            N_("Not saved yet…"), N_("{n} character"), N_("{n} characters"))


class Reflection(anywidget.AnyWidget):
    _esm = FRONTEND / "reflection.js"
    _css = FRONTEND / "reflection.css"

    prompt = traitlets.Unicode().tag(sync=True)
    hints = traitlets.List(traitlets.Unicode()).tag(sync=True)
    placeholder = traitlets.Unicode(PLACEHOLDER).tag(sync=True)
    # Reflections are about real work with artisans; what is typed is stored, and ends up in journals and exports.
    privacy = traitlets.Unicode(PRIVACY_NOTE).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    saved_text = traitlets.Unicode("").tag(sync=True)
    saved_at = traitlets.Unicode("").tag(sync=True)
    draft_key = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(True).tag(sync=True)
    message = traitlets.Unicode(NAME_FIRST).tag(sync=True)
    words = traitlets.Dict().tag(sync=True)  # JS_WORDS in the kernel's language
    problem = traitlets.Unicode("").tag(sync=True)  # why the last text was not saved ("" once it is)

    def __init__(self, item: str, prompt: str, hints: list[str] | None = None, module: str | None = None, **kwargs):
        wording = {"placeholder": _(PLACEHOLDER), "privacy": _(PRIVACY_NOTE), "message": _(NAME_FIRST),
                   "words": {word: _(word) for word in JS_WORDS}}
        super().__init__(prompt=prompt, hints=list(hints or []), **{**wording, **kwargs})
        self.item = item
        self.module = module or SESSION.module or "course"
        self.autosave = AutoSave(self.module, item, Kind.REFLECTION)
        self.accepting: Callable[[], bool] | None = None  # set by a room question: False while it is closed
        self._loading = False
        self._retry_pending = False
        self._kept: dict[str, tuple[str, str, str]] = {}  # item -> (module, text, base) waiting for room on the disk
        _SHOWN.add(self)
        self.observe(self._save, "value")
        self.on_msg(self._message)
        SESSION.on_learner(self._load)
        if SESSION.learner is None and SESSION.open_problem:  # the store cannot be opened now: say why
            self.problem = SESSION.open_problem

    def _load(self, learner) -> None:
        saved = recorder.latest_answer(self.item, Kind.REFLECTION, learner)
        self.autosave.new_sitting()
        self._loading = True
        try:
            text = saved.value if saved else ""
            self.value = self.saved_text = text
            self.saved_at = clock(saved.created_at) if saved else ""
        finally:
            self._loading = False
        # In a workshop the owner is the learner, not the label: a renamed or new trainee never meets old drafts.
        owner = f"id-{learner.id}" if in_workshop() else name_key(learner.name)
        self.draft_key = f"artisan-course:{owner}:{self.item}"
        self.problem = ""
        open_now = self.accepting is None or self.accepting()
        if not open_now:
            self.message = _(CLOSED)
        self.disabled = not open_now

    def _save(self, change) -> None:
        if self._loading or SESSION.learner is None:
            return
        text = change["new"]
        if self.accepting is not None and not self.accepting():
            self.disabled = True
            self.problem = _(CLOSED_NOT_SAVED)
            return
        saved = self.autosave.save(text)
        if not saved.ok:
            # The browser keeps the draft (localStorage) and shows the problem with a download of the text.
            self.problem = _(saved.message)
            if saved.message not in (LEARNER_GONE, NO_LEARNER):
                self._retry_later()  # the store failed (a full disk): it may have room again soon
            return
        self.problem = ""
        self.saved_text = text
        self.saved_at = clock(saved.at)

    def _retry_later(self) -> None:
        import asyncio
        if self._retry_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script): the next keystroke tries again
            return
        self._retry_pending = True
        loop.call_later(RETRY_SECONDS, self.retry)

    def retry(self) -> None:
        """Save the box's text again if it is still not saved (the timer calls this after a failed save), and any
        kept words from another deck that the store refused."""
        self._retry_pending = False
        if self.value != self.saved_text and self.problem:
            self._save({"new": self.value})
        for item, (module, text, base) in list(self._kept.items()):
            del self._kept[item]
            self.save_kept(item, text, base, module)

    def _message(self, widget, content, buffers) -> None:
        if not isinstance(content, dict):
            return
        if content.get("event") == "blur":
            self.autosave.new_sitting()  # the next edit starts a new row in the history
        elif content.get("event") == "kept":
            self.save_kept(content.get("item"), content.get("text"), content.get("base"))

    def save_kept(self, item, text, base, module: str | None = None) -> Saved | None:
        """Save words the browser kept for another deck's box (see the module's notes). The row's result, or None
        when nothing was tried (not a question of the course, shown on this page, changed since, or closed)."""
        if not (isinstance(item, str) and isinstance(text, str) and isinstance(base, str)):
            return None
        if not text.strip() or len(text) > KEPT_LIMIT or SESSION.learner is None:
            return None
        if any(box.item == item for box in _SHOWN):
            return None  # that box saves (or offers back) its own words
        module = module or writing_prompt_module(item)
        if module is None:
            return None  # only the course's own questions, each in the module that asks it
        state = recorder.poll_states([item]).get(item)
        if state is not None and not state.open:
            return None  # a room question the facilitator has closed: the kernel decides, not the page
        latest = recorder.latest_answer(item, Kind.REFLECTION)
        if kept_fingerprint(str(latest.value) if latest is not None else "") != base:
            return None  # the store has other words now (another device): the box offers these back instead
        saved = recorder.record(module, item, Kind.REFLECTION, text)
        if saved.ok:
            self.send({"event": "kept-saved", "item": item, "text": text})
        elif saved.message not in (LEARNER_GONE, NO_LEARNER):
            self._kept[item] = (module, text, base)  # the disk is full: again once there may be room
            self._retry_later()
        return saved


def kept_fingerprint(text: str) -> str:
    """The short fingerprint ``reflection.js`` keeps with a draft (of the saved text the draft continues): its
    length and a 32-bit djb2-xor hash, both over UTF-16 code units as JavaScript counts them, the hash in base 36."""
    units = text.encode("utf-16-le")
    value = 5381
    for i in range(0, len(units), 2):
        value = ((value * 33) & 0xFFFFFFFF) ^ int.from_bytes(units[i:i + 2], "little")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    hashed = ""
    while True:
        value, rest = divmod(value, 36)
        hashed = digits[rest] + hashed
        if not value:
            break
    return f"{len(units) // 2}:{hashed}"
