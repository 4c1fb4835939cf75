"""Every deck kernel's life on the slide server: which page it serves, the preheated pools, and the cap.

A deck's kernel outlives a short absence of its page: a phone that locks or loses the Wi-Fi comes back to the same
kernel and carries on (the page reconnects by itself, ``course-deck.js``). It is shut down once its page has been
gone (no websocket) for ``page_gone_seconds`` (10 minutes), even if the browser's own shutdown request never
arrived (a tab that is killed, a page left while it was still loading), or sooner when the room needs its memory:
at the cap, the kernel whose page has been gone longest makes way for a new page (:meth:`KernelPools.make_room`).
In workshop mode the server also keeps preheated kernels (Voilà's ``preheat_kernel`` pools): for the deck the class
is on and the next one on the course map, sized to the class and capped by ``max_kernels``. When the cap is reached,
no preheated kernel is left and every kernel serves a connected page, a deck request gets a plain "the room is
full" page (``kernel_access.DeckHandler``). Who may use a kernel is decided in ``kernel_access.py``, not here.
"""
from __future__ import annotations

import asyncio
import os
import time

from jupyter_core.utils import ensure_async

# A deck's kernel is shut down this long after its page's last connection closed. Long enough for a phone that
# locks through a group discussion, or a Wi-Fi that drops for a few minutes, to come back to its own kernel; a
# kernel kept for a page that never returns costs its memory (about 140 MB PSS, docs/benchmarks.md) until then, or
# until the room needs it (make_room reclaims the longest gone first).
PAGE_GONE_SECONDS = 600
REAP_EVERY_SECONDS = 5
QUIET_SECONDS = 10       # the next deck's kernels warm only once no deck page has been asked for this long
KERNEL_BUDGET_MB = 160   # what one trainee's kernel may take, measured (docs/benchmarks.md); sizes the default cap
RESERVE_MB = 1024        # left for the server, the browser and the system


def cores() -> int:
    """The cores this server may use: how many kernels run their deck for a pool at once."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_max_kernels() -> int | None:
    """As many kernels as this machine's free memory holds, or None where it cannot be read (no cap)."""
    try:
        with open("/proc/meminfo") as meminfo:
            fields = dict(line.split(":", 1) for line in meminfo)
        available_mb = int(fields["MemAvailable"].split()[0]) // 1024
    except (OSError, KeyError, ValueError):
        return None
    return max(1, (available_mb - RESERVE_MB) // KERNEL_BUDGET_MB)


class KernelPools:
    """Every deck kernel's life on this server: which page it serves, when that page went away, and the pools.

    Warming is paced: at most ``warm_at_once`` pool kernels (one per core) run their deck at a time, the others
    wait their turn, oldest first, so the first ones are ready in seconds instead of all of them together after
    a minute. A kernel a page has already taken from the pool never waits. The next deck's kernels wait, besides,
    until the room is quiet (no deck page asked for in the last ``QUIET_SECONDS``), so they never take the cores
    from trainees who are opening the class's deck.
    """

    def __init__(self, manager, *, notebooks: list[str], preheat: bool, class_size: int = 0,
                 max_kernels: int | None = None, page_gone_seconds: float = PAGE_GONE_SECONDS, log=None,
                 warm_at_once: int | None = None, quiet_seconds: float = QUIET_SECONDS):
        self.manager, self.notebooks, self.preheat = manager, notebooks, preheat
        self.class_size, self.max_kernels, self.page_gone_seconds = class_size, max_kernels, page_gone_seconds
        self.log = log
        self.warm_at_once, self.quiet_seconds = warm_at_once or cores(), quiet_seconds
        self.warming: dict[str, int] = {}         # deck -> its pool kernels running the deck now
        self.last_request = float("-inf")         # when a deck page was last asked for
        self.led_by_facilitator = False           # once the facilitator opens a deck, the class's deck is theirs
        self._turns = asyncio.Condition()         # pool kernels waiting for their turn to warm
        self._waiting: set[asyncio.Task] = set()
        self._closing = False
        if preheat and hasattr(manager, "_initialize"):
            # Voilà's pools start every kernel they lack at once; each start goes through the turn taken here.
            self._initialize = manager._initialize
            manager._initialize = self._initialize_in_turn
            self._shutdown_all = manager.shutdown_all
            manager.shutdown_all = self._shutdown_all_now
        self.deck_of: dict[str, str] = {}         # kernel -> the deck its page shows
        self.rendering: set[str] = set()          # kernels whose page is still being sent
        self.last_seen: dict[str, float] = {}     # kernel -> when its page was last sent or connected
        self.reclaiming: set[str] = set()         # kernels shut down to make room, until they are gone
        self.learners: set[int] = set()           # trainees who opened a deck since the server started
        self.current: str | None = notebooks[0] if notebooks else None
        self._claims: dict[str, int] = {}         # requests about to take a preheated kernel of a deck

    # -- what is running
    def pooled(self) -> set[str]:
        """Preheated kernels no page has taken yet."""
        ids = set()
        for pool in getattr(self.manager, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    def ready(self, notebook: str | None = None) -> int:
        """Preheated kernels that have run their deck to the end: a page gets one at once."""
        count = 0
        for deck, pool in getattr(self.manager, "_pools", {}).items():
            if notebook is not None and deck != notebook:
                continue
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None and task.result()["task"].done():
                    count += 1
        return count

    def starting(self) -> int:
        return sum(1 for pool in getattr(self.manager, "_pools", {}).values() for task in pool if not task.done())

    def quiet(self) -> bool:
        """No deck page is being sent, and none was asked for in the last ``quiet_seconds``."""
        return not self.rendering and time.monotonic() - self.last_request >= self.quiet_seconds

    # -- warming in turn
    def _in_a_pool(self, task) -> bool:
        return any(task in pool for pool in getattr(self.manager, "_pools", {}).values())

    def _may_warm(self, task, notebook: str) -> bool:
        if self._closing:
            return False
        if not self._in_a_pool(task):
            return True  # a page took this kernel from the pool and is waiting for it
        return sum(self.warming.values()) < self.warm_at_once and (notebook == self.current or self.quiet())

    async def _initialize_in_turn(self, notebook_path: str, kernel_id: str | None = None, **kwargs):
        if kernel_id is not None:  # a restart of a page's kernel: the page is waiting
            return await self._initialize(notebook_path, kernel_id, **kwargs)
        me = asyncio.current_task()
        self._waiting.add(me)
        try:
            async with self._turns:
                await self._turns.wait_for(lambda: self._may_warm(me, notebook_path))
                self.warming[notebook_path] = self.warming.get(notebook_path, 0) + 1
                if self.log:
                    self.log.info("Warming a kernel of %s: %d of %d at once.", notebook_path,
                                  sum(self.warming.values()), self.warm_at_once)
        finally:
            self._waiting.discard(me)
        try:
            content = await self._initialize(notebook_path, None, **kwargs)
        except BaseException:
            self._turn_done(notebook_path)
            raise
        content["task"].add_done_callback(lambda _: self._turn_done(notebook_path))  # the deck ran, or was stopped
        return content

    def _turn_done(self, notebook: str) -> None:
        self.warming[notebook] = max(0, self.warming.get(notebook, 0) - 1)
        self.wake()

    def wake(self) -> None:
        """Let the kernels waiting for a turn look again (a turn is free, a page took one, or time has passed)."""
        async def notify():
            async with self._turns:
                self._turns.notify_all()
        if self._waiting:
            asyncio.ensure_future(notify())

    def _give_up(self, task) -> None:
        """A pool kernel no longer wanted: one still waiting for its turn never starts; a started one is shut down."""
        if task in self._waiting:
            task.cancel()
        else:
            task.add_done_callback(self._shut_down_spare)

    async def _shutdown_all_now(self, *args, **kwargs):
        """The server stops: kernels waiting for their turn never start, so stopping does not wait for them."""
        self._closing = True
        for pool in getattr(self.manager, "_pools", {}).values():
            for task in [t for t in pool if t in self._waiting]:
                pool.remove(task)  # Voilà awaits every pool task as it stops: not these
                task.cancel()
        return await self._shutdown_all(*args, **kwargs)

    def in_use(self, notebook: str | None = None) -> int:
        running = set(self.manager.list_kernel_ids())
        return sum(1 for k, deck in self.deck_of.items()
                   if k in running and k not in self.reclaiming and (notebook is None or deck == notebook))

    def next_deck(self, notebook: str | None) -> str | None:
        if notebook in self.notebooks:
            later = self.notebooks[self.notebooks.index(notebook) + 1:]
            return later[0] if later else None
        return None

    def status(self) -> dict:
        return {"kernels": len(self.manager.list_kernel_ids()), "in_use": self.in_use(),
                "preheated": len(self.pooled()), "ready": self.ready(),
                "ready_by_deck": {nb: self.ready(nb)
                                  for nb, pool in getattr(self.manager, "_pools", {}).items() if pool},
                "starting": self.starting(), "max_kernels": self.max_kernels,
                "current": self.current, "next": self.next_deck(self.current),
                "warming": sum(self.warming.values()), "warming_by_deck": {k: v for k, v in self.warming.items() if v},
                "waiting": len(self._waiting), "warm_at_once": self.warm_at_once, "quiet": self.quiet(),
                "pools": {nb: self.manager.get_pool_size(nb) for nb in self._targets()} if self.preheat else {}}

    # -- the pools
    def _targets(self) -> dict[str, int]:
        """How many preheated kernels each deck should have now: the class's deck first, then the next one."""
        if not self.preheat or self.current is None:
            return {}
        class_size = max(self.class_size, len(self.learners))
        free = (self.max_kernels if self.max_kernels is not None else 10 ** 6) - self.in_use()
        free -= sum(self._claims.values())
        targets = {}
        for deck in (self.current, self.next_deck(self.current)):
            if deck is None:
                continue
            wanted = class_size - self.in_use(deck) - self._claims.get(deck, 0) if deck == self.current else class_size
            targets[deck] = max(0, min(wanted, free))
            free -= targets[deck]
        following = self.next_deck(self.current)
        if following in targets and self.ready(self.current) < targets[self.current]:
            # The class's own deck first: the next one grows only once this one is ready (two cores, not four).
            targets[following] = min(targets[following], len(getattr(self.manager, "_pools", {}).get(following, [])))
        return targets

    def plan(self) -> None:
        """Size every pool to its target: fill the ones short, shut down spare preheated kernels of other decks."""
        if not self.preheat:
            return
        targets = self._targets()
        self.manager.kernel_pools_config = {"default": {"pool_size": 0},
                                            **{nb: {"pool_size": n} for nb, n in targets.items()}}
        for notebook, pool in list(getattr(self.manager, "_pools", {}).items()):
            # A request that claimed one of this pool's kernels is about to take it: keep it for that request.
            while len(pool) > targets.get(notebook, 0) + self._claims.get(notebook, 0):
                self._give_up(pool.pop())  # the youngest first: it has done the least work
        for notebook in targets:
            self.manager.fill_if_needed(delay=0, notebook_name=notebook)
        self.wake()

    def _shut_down_spare(self, task) -> None:
        if task.cancelled() or task.exception() is not None:
            return
        kernel_id = task.result()["kernel_id"]
        task.result()["task"].cancel()  # its run of the deck: nobody will read it
        asyncio.ensure_future(self._shutdown(kernel_id, "a spare preheated kernel"))

    def open_deck(self, notebook: str, learner_id: int | None, facilitator: bool = False) -> None:
        """A page asks for ``notebook``. The class is on the deck the facilitator opened last (before the
        facilitator has opened one, the deck anyone opened last), and the next one is warmed: a trainee who looks
        ahead or back does not move the room's pools."""
        self.last_request = time.monotonic()
        if learner_id is not None:
            self.learners.add(learner_id)
        if facilitator:
            self.led_by_facilitator = True
        if notebook in self.notebooks and notebook != self.current and (facilitator or not self.led_by_facilitator):
            self.current = notebook
        self.plan()

    def room_full(self, notebook: str) -> bool:
        """True when this request would need a new kernel and every kernel the cap allows serves a connected page."""
        if self.max_kernels is None:
            return False
        if self.preheat and self.manager.get_pool_size(notebook) > 0:
            return False  # a preheated kernel of this deck is waiting for it
        if self.in_use() + sum(self._claims.values()) < self.max_kernels:
            return False
        return not self.away()  # a kernel whose page is away makes room (make_room)

    def away(self) -> list[str]:
        """Kernels whose page is not connected now (a phone asleep, a page closed), the longest gone first."""
        running = set(self.manager.list_kernel_ids())
        connections = getattr(self.manager, "_kernel_connections", {})
        gone = [k for k in self.deck_of if k in running and k not in self.rendering and k not in self.reclaiming
                and connections.get(k, 0) == 0]
        return sorted(gone, key=lambda k: self.last_seen.get(k, float("inf")))

    def make_room(self) -> None:
        """Before a cold start at the cap: give up one spare preheated kernel of another deck, or else the kernel
        whose page has been gone longest (its page, if it ever comes back, reloads by itself with its drafts)."""
        if self.max_kernels is None:
            return
        if self.in_use() + len(self.pooled()) + self.starting() < self.max_kernels:
            return
        for notebook, pool in sorted(getattr(self.manager, "_pools", {}).items(), key=lambda kv: kv[0] == self.current):
            if pool:
                self._give_up(pool.pop())
                return
        away = self.away()
        if away:
            self.reclaiming.add(away[0])  # no longer counted as in use, while it shuts down
            asyncio.ensure_future(self._shutdown(away[0], "the room needs its memory and its page is away"))

    # -- one page's kernel
    def claim(self, notebook: str) -> None:
        self._claims[notebook] = self._claims.get(notebook, 0) + 1
        self.plan()

    def unclaim(self, notebook: str) -> None:
        self._claims[notebook] = max(0, self._claims.get(notebook, 0) - 1)

    def page_started(self, kernel_id: str, notebook: str) -> None:
        self.deck_of[kernel_id] = notebook
        self.rendering.add(kernel_id)

    def page_sent(self, kernel_id: str) -> None:
        """The page's HTTP response has ended (sent, or dropped by the browser); from now on it must connect."""
        self.rendering.discard(kernel_id)
        self.last_seen[kernel_id] = time.monotonic()

    # -- pages that are gone
    async def reap(self) -> None:
        now = time.monotonic()
        running = set(self.manager.list_kernel_ids())
        for kernel_id in list(self.deck_of):
            if kernel_id not in running:
                self.forget(kernel_id)
                continue
            if kernel_id in self.rendering:
                continue
            if self.manager._kernel_connections.get(kernel_id, 0) > 0:
                self.last_seen[kernel_id] = now
            elif now - self.last_seen.get(kernel_id, now) >= self.page_gone_seconds:
                await self._shutdown(kernel_id, "its page is gone")
        self.plan()  # and the next deck's kernels look again whether the room is quiet

    def forget(self, kernel_id: str) -> None:
        self.reclaiming.discard(kernel_id)
        self.deck_of.pop(kernel_id, None)
        self.rendering.discard(kernel_id)
        self.last_seen.pop(kernel_id, None)

    async def _shutdown(self, kernel_id: str, why: str) -> None:
        if kernel_id not in self.manager.list_kernel_ids():
            self.forget(kernel_id)
            return
        if self.log:
            self.log.info("Shutting down kernel %s: %s.", kernel_id, why)
        try:
            await ensure_async(self.manager.shutdown_kernel(kernel_id))
        except (KeyError, RuntimeError):
            pass
        self.forget(kernel_id)


SETTING = "artisan_course_kernel_pools"  # where the server's tornado settings keep the KernelPools


def pools_of(handler) -> KernelPools | None:
    return handler.settings.get(SETTING)
