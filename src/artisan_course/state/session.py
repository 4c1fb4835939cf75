"""Who is learning in this kernel, and which module they are in.

One kernel serves one page, so module-level state is per learner and per page.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Callable

from .learner import (PAGE_REQUEST, LearnerNameError, in_voila, in_workshop, learner_id_from_server, name_from_query,
                      os_user)
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
        otherwise, the page's ?learner=; elsewhere the OS user, or the name chosen last time.
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
            name = store.get_setting(LAB_LEARNER_SETTING) or os_user()
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

    def set_learner(self, name: str) -> Learner:
        if in_workshop():
            raise LearnerNameError("In the workshop, your name is the one you joined with.")
        store = self.get_store()
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
