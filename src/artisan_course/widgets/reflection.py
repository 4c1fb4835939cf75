"""Reflection prompts whose answers are saved as the learner types.

The browser half (``frontend/reflection.js``) debounces typing and keeps a
draft in the browser until this half confirms the save. This half writes to
the learner store: one history row per sitting (a focus loss or a new kernel
starts the next row), updated in place by the autosaves in between.
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from ..state import recorder
from ..state.learner import in_workshop, name_key
from ..state.recorder import AutoSave, Kind
from ..state.session import SESSION
from ..text import clock

FRONTEND = Path(__file__).parent / "frontend"
PRIVACY_NOTE = ("Please write no real names or private details of artisans or their families: "
                "say \u201cthe weaver\u201d or \u201cthe group leader\u201d instead.")


class Reflection(anywidget.AnyWidget):
    _esm = FRONTEND / "reflection.js"
    _css = FRONTEND / "reflection.css"

    prompt = traitlets.Unicode().tag(sync=True)
    hints = traitlets.List(traitlets.Unicode()).tag(sync=True)
    placeholder = traitlets.Unicode("Type your answer here. It is saved as you type.").tag(sync=True)
    # Reflections are about real work with artisans; what is typed is stored, and ends up in journals and exports.
    privacy = traitlets.Unicode(PRIVACY_NOTE).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    saved_text = traitlets.Unicode("").tag(sync=True)
    saved_at = traitlets.Unicode("").tag(sync=True)
    draft_key = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(True).tag(sync=True)
    message = traitlets.Unicode("Type your name at the top first.").tag(sync=True)

    def __init__(self, item: str, prompt: str, hints: list[str] | None = None, module: str | None = None, **kwargs):
        super().__init__(prompt=prompt, hints=list(hints or []), **kwargs)
        self.item = item
        self.module = module or SESSION.module or "course"
        self.autosave = AutoSave(self.module, item, Kind.REFLECTION)
        self._loading = False
        self.observe(self._save, "value")
        self.on_msg(self._message)
        SESSION.on_learner(self._load)

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
        self.disabled = False

    def _save(self, change) -> None:
        if self._loading or SESSION.learner is None:
            return
        text = change["new"]
        saved = self.autosave.save(text)
        if not saved.ok:
            # The browser keeps the draft (localStorage) and says "not saved yet" until saved_text matches the box.
            return
        self.saved_text = text
        self.saved_at = clock(saved.at)

    def _message(self, widget, content, buffers) -> None:
        if isinstance(content, dict) and content.get("event") == "blur":
            self.autosave.new_sitting()  # the next edit starts a new row in the history
