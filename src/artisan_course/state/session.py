"""Who is learning in this kernel, and which module they are in.

One kernel serves one page, so module-level state is per learner and per page.

In JupyterLab the learner is the name they chose, kept in the store (``LAB_LEARNER_SETTING``) so that every
notebook and every later kernel knows it. Until they choose, there is no learner: the course header asks. The
computer's user name is never used on its own. Before the course asked, it was the learner's name in JupyterLab,
so answers from then are under it: :meth:`Session.earlier_answers_owner` finds them, and the learner can carry them
on to the name they choose (``set_learner(name, keep_earlier=True)``) or reach them again by choosing that name.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Callable

from .learner import (PAGE_REQUEST, LearnerNameError, in_voila, in_workshop, learner_id_from_server, name_from_query,
                      os_user, validate_name)
from .store import STORE_ERRORS, Learner, Store, StoreUnavailable, open_store

LAB_LEARNER_SETTING = "lab_learner"
RETRY_SECONDS = 5.0  # how often a kernel whose store could not be opened tries again


@dataclass
class Session:
    learner: Learner | None = None
    module: str | None = None
    store: Store | None = None
    store_warning: str | None = None
    open_problem: str | None = None  # why the store could not be opened for this page, in plain words (None: it was)
    listeners: list[Callable[[Learner], None]] = field(default_factory=list)
    _retrying: bool = False

    def get_store(self) -> Store:
        """The store of this kernel, opened on first use. A kernel never owns it (``store.py``): it never moves it.

        A folder that cannot exist at all: answers go to a throwaway folder, and the header says plainly that they
        will not be kept. Any other failure (a full disk, a read-only or damaged file) is raised to the caller (the
        recorder says it in plain words), and the next call tries again.
        """
        if self.store is None:
            try:
                self.store = open_store()
            except StoreUnavailable as exc:
                self.store_warning = str(exc)
                self.store = Store(tempfile.mkdtemp(prefix="artisan-course-unsaved-"))
        return self.store

    def start(self) -> Learner | None:
        """Pick the learner for this kernel.

        In workshop mode, the one the server resolved from the trainee's cookie (never the address); in Voilà
        otherwise, the page's ?learner=; in JupyterLab, the name the learner chose (None until they choose).
        In a preheated kernel whose page has not been asked for yet: None for now, and the learner is bound (and
        every ``on_learner`` callback called) as soon as the page request arrives.
        """
        if self.learner is not None:
            return self.learner
        if PAGE_REQUEST.pending():
            PAGE_REQUEST.when_arrived(self._page_arrived)
            return None
        store = self.get_store()
        if in_workshop():
            learner_id = learner_id_from_server()
            self.learner = store.learner_by_id(learner_id) if learner_id is not None else None
            return self.learner
        if in_voila():
            name = name_from_query()
        else:
            name = store.get_setting(LAB_LEARNER_SETTING)
        if name:
            self.learner = store.learner(name)
        return self.learner

    @property
    def waiting_for_page(self) -> bool:
        """True while a preheated kernel does not know yet which page (and learner) it serves."""
        return self.learner is None and PAGE_REQUEST.pending()

    def _page_arrived(self) -> None:
        if self.learner is None and self.start() is not None:
            self._notify()

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener(self.learner)

    def earlier_answers_owner(self) -> Learner | None:
        """In JupyterLab, before a name was chosen: the learner named after this computer's user, if they have answers.

        That was the learner's name in JupyterLab before the course asked for one, so their earlier answers are there.
        """
        if in_voila():
            return None
        store = self.get_store()
        if store.get_setting(LAB_LEARNER_SETTING):
            return None
        owner = store.find_learner(os_user())
        return owner if owner is not None and store.answers(learner_id=owner.id) else None

    def set_learner(self, name: str, keep_earlier: bool = False) -> Learner:
        """Learn as ``name`` from now on (remembered for every later JupyterLab kernel).

        ``keep_earlier``: the learner says the answers found by :meth:`earlier_answers_owner` are theirs. They move to
        the chosen name: the earlier learner is renamed, or merged into the chosen one if that name has answers too.
        """
        if in_workshop():
            raise LearnerNameError("In the workshop, your name is the one you joined with.")
        store = self.get_store()
        earlier = self.earlier_answers_owner() if keep_earlier else None
        chosen = store.find_learner(validate_name(name))
        if earlier is None or (chosen is not None and chosen.id == earlier.id):
            self.learner = store.learner(name)
        elif chosen is None:
            store.rename(earlier.id, name)
            self.learner = store.learner(name)
        else:
            store.merge(earlier.id, chosen.id)
            self.learner = store.learner(name)
        if not in_voila():
            store.set_setting(LAB_LEARNER_SETTING, self.learner.name)
        self._notify()
        return self.learner

    def on_learner(self, callback: Callable[[Learner], None]) -> None:
        """Call ``callback`` now if a learner is known, and again whenever it changes.

        Any course widget can be the first on a page, so this starts the session if needed.
        """
        self.listeners.append(callback)
        if self.learner is None:
            self._start_or_retry()  # tells every listener, this one too, if it binds the learner
        else:
            callback(self.learner)

    def _start_or_retry(self) -> None:
        """Start, and tell every tool once the learner is bound; if the store cannot be opened now (a full
        disk...), say why and try again every few seconds."""
        try:
            if self.learner is None and self.start() is not None:
                self._notify()
            self.open_problem = None
        except STORE_ERRORS as exc:
            from .recorder import problem_message  # the recorder imports this module
            self.open_problem = problem_message(exc)
            self.store_warning = self.store_warning or self.open_problem
            self._retry_later()

    def _retry_later(self) -> None:
        import asyncio
        if self._retrying:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script): the next save tries again
            return
        self._retrying = True
        loop.call_later(RETRY_SECONDS, self.try_again)

    def try_again(self) -> None:
        """Open the store and bind the learner now, and tell every tool on the page (as when the page arrives)."""
        self._retrying = False
        if self.learner is None:
            self._start_or_retry()


SESSION = Session()
