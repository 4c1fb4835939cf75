"""The one path by which every answer is saved and read back, for the learner of this kernel.

- ``record(...)`` adds a row: a quiz attempt, a visit, a scenario the learner chose to save.
- ``AutoSave`` saves as the learner types: one row per sitting, updated in place. The row belongs to the learner
  who started it; when the learner changes (JupyterLab's "Change name"), the next save starts a new row for the
  new learner and never touches the old one.
- ``latest(...)`` reads the learner's last saved value back.
- Only ever this kernel's learner: a caller that names another learner is refused (see ``_owner``). In workshop mode
  the kernel's learner comes from the server, so a page can read and write its own trainee's rows and no one else's.

A store that fails (a full disk, a locked or damaged file) never raises into a widget: the call returns a
``Saved`` whose ``ok`` is False and whose ``message`` says, in plain words, what to do. Views show it with
``kit.save_note``, together with a download of what the learner wrote, so nothing is lost. ``ok`` is True only for
a write the store confirmed: an autosave whose row is gone or is not its learner's never counts as saved (it starts
a new row for its learner), and a learner who is no longer in the store (forgotten, or merged into another name) is
refused with ``LEARNER_GONE``.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from ..i18n import N_, _
from .learner import facilitator_kernel
from .session import SESSION
from .store import STORE_ERRORS, Learner, LearnerGone, describe

log = logging.getLogger(__name__)


class Kind(str, Enum):
    """Every kind of saved answer. The store keeps the value (a string), so old rows keep working."""

    VISIT = "visit"
    QUIZ = "quiz"
    REFLECTION = "reflection"
    SCENARIO = "scenario"
    EXERCISE = "exercise"
    SELF_ASSESSMENT = "self-assessment"
    SCORECARD = "scorecard"
    ACTION_PLAN = "action-plan"
    DRAFT = "draft"
    SCENE = "scene"
    EVALUATION = "evaluation"

    def __str__(self) -> str:
        return self.value


NO_LEARNER = N_("Type your name at the top first: nothing is saved yet.")
LEARNER_GONE = N_("This name is no longer in the course (the facilitator removed it, or joined it to another name), so "
                "nothing more is saved from this page. Download what you wrote now, then open the course again.")
STORE_FAILED = N_("Your work could not be saved on this computer ({problem}). It is still on this screen: download it "
                "now to keep it, and tell the facilitator.")


@dataclass(frozen=True)
class Saved:
    """The result of one save, for the view to show."""

    ok: bool
    message: str = ""
    row_id: int | None = None
    at: datetime | None = None

    @property
    def no_learner(self) -> bool:
        return not self.ok and self.message == NO_LEARNER


def current_learner() -> Learner | None:
    """The learner of this kernel, starting the session if needed (None until a name is given)."""
    return _writer()[0]


def _writer() -> tuple[Learner | None, Saved | None]:
    """The kernel's learner, or why nothing can be written: the store cannot be opened (its message), or no name."""
    try:
        own = SESSION.learner or SESSION.start()
    except STORE_ERRORS as exc:
        return None, _failed(exc)
    return own, None if own is not None else Saved(False, NO_LEARNER)


def _owner(learner: Learner | None) -> Learner | None:
    """The kernel's own learner; a learner given by a caller must be that one, or nothing is read or written."""
    own = current_learner()
    if learner is not None and (own is None or learner.id != own.id):
        log.warning("refused a read or write for learner %s from a page of learner %s", learner.id,
                    own.id if own else None)
        return None
    return own


def problem_message(exc: Exception) -> str:
    """The course's plain message for a store that failed (``STORE_FAILED``, with the problem in a few words)."""
    return _(STORE_FAILED).format(problem=describe(exc))


def _failed(exc: Exception) -> Saved:
    log.warning("store write failed: %s", exc)
    message = problem_message(exc)
    SESSION.store_warning = SESSION.store_warning or message
    return Saved(False, message)


def _gone(learner: Learner) -> Saved:
    log.warning("refused a write for learner %s, who is no longer in the store", learner.id)
    return Saved(False, LEARNER_GONE)


def record(module: str, item: str, kind: Kind, value: Any, score: float | None = None,
           learner: Learner | None = None) -> Saved:
    """Add one row for this kernel's learner (``learner``, if given, must be that learner)."""
    own, refused = _writer()
    if refused is not None:
        return refused
    if learner is not None and learner.id != own.id:
        log.warning("refused a write for learner %s from a page of learner %s", learner.id, own.id)
        return Saved(False, NO_LEARNER)
    learner = own
    try:
        row_id = SESSION.get_store().record(learner.id, module, item, str(Kind(kind)), value, score=score)
    except LearnerGone:
        return _gone(learner)
    except STORE_ERRORS as exc:
        return _failed(exc)
    return Saved(True, row_id=row_id, at=datetime.now())


def latest(item: str, kind: Kind, learner: Learner | None = None):
    """The learner's last saved value for ``item`` (None when there is none, or when the store cannot be read)."""
    answer = latest_answer(item, kind, learner)
    return answer.value if answer is not None else None


def latest_answer(item: str, kind: Kind, learner: Learner | None = None):
    """The learner's last saved row for ``item``, with its time, or None."""
    learner = _owner(learner)
    if learner is None:
        return None
    try:
        return SESSION.get_store().latest(learner.id, item, kind=str(Kind(kind)))
    except STORE_ERRORS as exc:
        _failed(exc)
        return None


def history(item: str, kind: Kind, learner: Learner | None = None) -> list:
    """Every row the learner saved for ``item``, oldest first (a quiz's attempts)."""
    learner = _owner(learner)
    if learner is None:
        return []
    try:
        return SESSION.get_store().answers(learner_id=learner.id, item=item, kind=str(Kind(kind)))
    except STORE_ERRORS as exc:
        _failed(exc)
        return []


def room_answers(item: str, kind: Kind) -> list:
    """Each learner's latest row for ``item`` on this computer or server: for a poll's counts, shown without names."""
    try:
        return SESSION.get_store().latest_per_learner(item, str(Kind(kind)))
    except STORE_ERRORS as exc:
        _failed(exc)
        return []


# -- the room: live polls and room quizzes --------------------------------------------------------------
# Any kernel may read how the room answered without names and what the facilitator chose for an item (open, revealed);
# only the facilitator's kernel (the server checked the key) may change those choices or read names.
def room_since(item: str, kind: Kind, after_id: int = 0) -> list:
    """The rows for ``item`` added after row ``after_id`` by anyone (the room view's incremental read)."""
    try:
        return SESSION.get_store().room_since(item, str(Kind(kind)), after_id)
    except STORE_ERRORS as exc:
        _failed(exc)
        return []


def room_latest(item: str, kind: Kind, after_id: int = 0) -> list:
    """Each learner's latest row for ``item`` after row ``after_id`` (free text that is saved as it is typed)."""
    try:
        return SESSION.get_store().room_latest(item, str(Kind(kind)), after_id)
    except STORE_ERRORS as exc:
        _failed(exc)
        return []


def room_changed(item: str, kind: Kind, after_id: int = 0) -> tuple[int, int, str] | None:
    try:
        return SESSION.get_store().room_changed(item, str(Kind(kind)), after_id)
    except STORE_ERRORS as exc:
        _failed(exc)
        return None


def poll_states(items) -> dict:
    """The facilitator's choices for these items (an item missing from the answer has the defaults)."""
    try:
        return SESSION.get_store().poll_states(items)
    except STORE_ERRORS as exc:
        _failed(exc)
        return {}


def room_names(learner_ids) -> dict[int, str]:
    """Learners' names, for the facilitator's kernel only (everyone else gets nothing)."""
    if not facilitator_kernel():
        log.warning("refused names of the room outside the facilitator's kernel")
        return {}
    try:
        return SESSION.get_store().names_of(learner_ids)
    except STORE_ERRORS as exc:
        _failed(exc)
        return {}


def set_poll(item: str, clear: bool = False, **changes):
    """Change the facilitator's choices for ``item`` (or clear a practice run). Refused outside their kernel."""
    if not facilitator_kernel():
        log.warning("refused a poll change for %s outside the facilitator's kernel", item)
        return None
    try:
        store = SESSION.get_store()
        return store.clear_poll(item) if clear else store.set_poll_state(item, **changes)
    except STORE_ERRORS as exc:
        _failed(exc)
        return None


class AutoSave:
    """Saves a value as the learner types: one row per sitting and per learner, updated in place.

    The first save of a sitting (a new kernel, a new widget, a new learner, or after ``new_sitting()``) adds a row,
    so the history keeps earlier versions; later saves update that row instead of adding one per keystroke.
    """

    def __init__(self, module: str, item: str, kind: Kind):
        self.module, self.item, self.kind = module, item, Kind(kind)
        self.row_id: int | None = None
        self.owner_id: int | None = None
        self._lock = threading.Lock()

    def new_sitting(self) -> None:
        """The next save starts a new row (for example when a reflection box loses focus)."""
        with self._lock:
            self.row_id = None

    def save(self, value: Any, score: float | None = None) -> Saved:
        learner, refused = _writer()
        if refused is not None:
            return refused
        with self._lock:
            try:
                store = SESSION.get_store()
                if self.row_id is not None and self.owner_id == learner.id:
                    if store.update(self.row_id, learner.id, value, score=score):
                        return Saved(True, row_id=self.row_id, at=datetime.now())
                    # Nothing changed: the row is gone or is not this learner's. Never write into it; keep the words
                    # in a new row of the learner's own (refused below if the learner is gone too).
                    log.warning("autosave row %s is no longer learner %s's; starting a new row", self.row_id,
                                learner.id)
                self.row_id = None
                self.row_id = store.record(learner.id, self.module, self.item, str(self.kind), value, score=score)
                self.owner_id = learner.id
            except LearnerGone:
                return _gone(learner)
            except STORE_ERRORS as exc:
                self.row_id = None  # the next save tries a fresh row
                return _failed(exc)
            return Saved(True, row_id=self.row_id, at=datetime.now())

    def latest(self, learner: Learner | None = None):
        return latest(self.item, self.kind, learner)
