"""The slide server: Voilà, plus the few pages the course adds.

:class:`CourseVoila` is Voilà's own application with four extra routes, placed
before Voilà's so they win:

- ``/`` (and ``/voila/tree``): the course landing page, built from the course map;
- ``/course/reveal/dist/...``: reveal.js's CSS and script, from the npm install;
- ``/course/pages/...``: the stylesheet of the course's own pages;
- ``/course/preview/<notebook>``: a deck rendered without a kernel, for the
  speaker view's preview frames (so pressing S starts no kernels);
- ``/course/api/status``: how many kernels are running (used by tests and ``check``);
- ``/course/api/xsrf``: sets the cookie Voilà needs to shut a kernel down when its page closes.

In workshop mode (``artisan-course workshop``, :class:`workshop.Workshop` given) it also serves the join page and
the facilitator's pages (``workshop.py``), and it decides who each page's kernel works for: the deck route reads
the trainee's cookie and starts the kernel with that learner's id in its environment, and a kernel's websocket,
model and shutdown answer only the browser whose learner owns it (403 otherwise). A deck or the course map opened
without a valid cookie goes to the join page.

Kernel lifetimes (:class:`RoomKernels`, both modes): a deck's kernel is shut down once its page has been gone (no
websocket) for ``page_gone_seconds``, even if the browser's own shutdown request never arrived (a phone that locks,
a tab that is killed, a page left while it was still loading). In workshop mode the room also keeps preheated
kernels (Voilà's ``preheat_kernel`` pools): for the deck the class is on and the next one on the course map, sized
to the class and capped by ``max_kernels``. A preheated kernel has run the deck before anyone asked for it and does
not know its learner; the server tells it when it hands it to a trainee's request (:class:`KernelRequestInfo`).
When the cap is reached and no preheated kernel is left, a deck request gets a plain "the room is full" page (503).
"""
from __future__ import annotations

import asyncio
import json
import os
import time
import webbrowser
from pathlib import Path

import jinja2
import tornado.ioloop
import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .. import paths
from ..limits import WEBSOCKET_LIMIT_BYTES
from ..content.course_map import CourseMapError, load_course_map
from ..state.learner import FACILITATOR_ENV, LEARNER_ID_ENV
from . import workshop as room

_pages_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(paths.PAGES_DIR)),
    autoescape=jinja2.select_autoescape(["html"]),
)


class _CourseHandler(tornado.web.RequestHandler):
    def initialize(self, base_url: str = "/", **kwargs):
        self.base_url = base_url
        self.options = kwargs

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-cache")


class LandingHandler(_CourseHandler):
    """The course map as a page: modules in reading order, minutes, and links."""

    def get(self, *args):
        workshop = room.workshop_of(self)
        learner = workshop.learner(self) if workshop is not None else None
        if workshop is not None and learner is None:
            room.join_redirect(self, self.base_url)
            return
        try:
            course = load_course_map()
            problem = None
        except CourseMapError as exc:
            course, problem = None, str(exc)
        notebooks = paths.notebooks_dir()
        template = _pages_env.get_template("landing.html")
        self.write(template.render(
            course=course,
            problem=problem,
            base_url=self.base_url,
            available={m.id: (notebooks / m.notebook).is_file() for m in course.modules} if course else {},
            workshop=workshop is not None,
            learner_name=learner.name if learner else None,
        ))


class PreviewHandler(_CourseHandler):
    """A deck rendered from the notebook file alone: no kernel, no code, no outputs."""

    def get(self, notebook: str):
        from .preview import render_preview

        workshop = room.workshop_of(self)
        if workshop is not None and workshop.learner(self) is None:
            raise tornado.web.HTTPError(403)  # in a workshop, the decks are for those who joined

        # Only notebooks under notebooks/: no absolute paths, no "..".
        relative = Path(notebook)
        if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".ipynb":
            raise tornado.web.HTTPError(404)
        target = paths.notebooks_dir() / relative
        if not target.is_file():
            raise tornado.web.HTTPError(404)
        self.write(render_preview(target, base_url=self.base_url))


class XsrfHandler(_CourseHandler):
    """Sets the _xsrf cookie for a deck page.

    Voilà's front end shuts a page's kernel down when the page closes, with a
    POST that carries the _xsrf cookie's value. Voilà's own page never sets
    that cookie, so the POST was refused and the kernel lived on until culled.
    """

    def get(self):
        self.xsrf_token  # reading it sets the cookie
        self.set_status(204)


class StatusHandler(_CourseHandler):
    """How many kernels run; in a room, also how many serve pages, wait preheated, and the cap."""

    def get(self):
        manager = self.options["kernel_manager"]
        self.set_header("Content-Type", "application/json")
        rooms = room_of(self)
        self.write(json.dumps(rooms.status() if rooms is not None else {"kernels": len(manager.list_kernel_ids())}))


# -- kernel lifetimes: pools, pages that are gone, the cap -----------------------------------------------------
PAGE_GONE_SECONDS = 30   # a deck's kernel is shut down this long after its page's last connection closed
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


class RoomKernels:
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
        return sum(1 for k, deck in self.deck_of.items() if k in running and (notebook is None or deck == notebook))

    def next_deck(self, notebook: str | None) -> str | None:
        if notebook in self.notebooks:
            later = self.notebooks[self.notebooks.index(notebook) + 1:]
            return later[0] if later else None
        return None

    def status(self) -> dict:
        return {"kernels": len(self.manager.list_kernel_ids()), "in_use": self.in_use(),
                "preheated": len(self.pooled()), "ready": self.ready(),
                "ready_by_deck": {nb: self.ready(nb) for nb, pool in getattr(self.manager, "_pools", {}).items() if pool}, "starting": self.starting(), "max_kernels": self.max_kernels,
                "current": self.current, "next": self.next_deck(self.current),
                "warming": sum(self.warming.values()), "warming_by_deck": {k: v for k, v in self.warming.items() if v},
                "waiting": len(self._waiting), "warm_at_once": self.warm_at_once, "quiet": self.quiet(),
                "pools": {nb: self.manager.get_pool_size(nb) for nb in self._targets()} if self.preheat else {}}

    # -- the pools
    def _targets(self) -> dict[str, int]:
        """How many preheated kernels each deck should have now: the class's deck first, then the next one."""
        if not self.preheat or self.current is None:
            return {}
        room = max(self.class_size, len(self.learners))
        free = (self.max_kernels if self.max_kernels is not None else 10 ** 6) - self.in_use()
        free -= sum(self._claims.values())
        targets = {}
        for deck in (self.current, self.next_deck(self.current)):
            if deck is None:
                continue
            wanted = room - self.in_use(deck) - self._claims.get(deck, 0) if deck == self.current else room
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
        """True when this request would need a new kernel and every kernel the cap allows is serving a page."""
        if self.max_kernels is None:
            return False
        if self.preheat and self.manager.get_pool_size(notebook) > 0:
            return False  # a preheated kernel of this deck is waiting for it
        return self.in_use() + sum(self._claims.values()) >= self.max_kernels

    def make_room(self) -> None:
        """Before a cold start at the cap: give up one spare preheated kernel of another deck."""
        if self.max_kernels is None:
            return
        if self.in_use() + len(self.pooled()) + self.starting() < self.max_kernels:
            return
        for notebook, pool in sorted(getattr(self.manager, "_pools", {}).items(), key=lambda kv: kv[0] == self.current):
            if pool:
                self._give_up(pool.pop())
                return

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


ROOM_SETTING = "artisan_course_room_kernels"


def room_of(handler) -> RoomKernels | None:
    return handler.settings.get(ROOM_SETTING)


# -- which learner a kernel works for, and who may talk to it ------------------------------------------------
class _KernelsFor:
    """The kernel manager as one deck request sees it: the kernel it starts or takes from a pool is this page's.

    In workshop mode that kernel works for this request's learner: a kernel started now gets the learner's id (and
    whether the server saw the facilitator's key) in its environment; a preheated one is registered as the
    learner's before Voilà sends it the request's details, which :class:`KernelRequestInfo` completes with them.
    """

    def __init__(self, manager, learner_id: int | None, owners: dict[str, int] | None, room: RoomKernels | None,
                 notebook: str, handler, facilitator: bool = False, facilitator_kernels: set[str] | None = None):
        self._manager, self._learner_id, self._owners, self._room = manager, learner_id, owners, room
        self._notebook, self._handler = notebook, handler
        self._facilitator, self._facilitator_kernels = facilitator, facilitator_kernels

    def __getattr__(self, name):
        return getattr(self._manager, name)

    def _own(self, kernel_id: str) -> None:
        if self._owners is not None and self._learner_id is not None:
            running = set(self._manager.list_kernel_ids())
            for gone in [k for k in self._owners if k not in running]:
                del self._owners[gone]
            self._owners[kernel_id] = self._learner_id
        if self._facilitator_kernels is not None:
            for gone in [k for k in self._facilitator_kernels if k not in self._manager.list_kernel_ids()]:
                self._facilitator_kernels.discard(gone)
            if self._facilitator:
                self._facilitator_kernels.add(kernel_id)
            else:
                self._facilitator_kernels.discard(kernel_id)
        if self._room is not None:
            self._room.page_started(kernel_id, self._notebook)
        self._handler.page_kernel_id = kernel_id

    async def start_kernel(self, *, env=None, **kwargs):
        env = dict(env or {})
        if self._learner_id is not None:
            env[LEARNER_ID_ENV] = str(self._learner_id)
            env[FACILITATOR_ENV] = "1" if self._facilitator else "0"  # the key was checked here, on the server
        if self._room is not None:
            self._room.make_room()
        kernel_id = await ensure_async(self._manager.start_kernel(env=env, **kwargs))
        self._own(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, notebook_name: str, **kwargs):
        if self._room is not None:
            self._room.claim(notebook_name)  # the pool refills to its size less this page
        try:
            render_task, rendered_cache, kernel_id = await self._manager.get_rendered_notebook(
                notebook_name=notebook_name, **kwargs)
        finally:
            if self._room is not None:
                self._room.unclaim(notebook_name)
        self._own(kernel_id)  # before Voilà sends the kernel the request's details
        return render_task, rendered_cache, kernel_id


class KernelRequestInfo(RequestInfoSocketHandler):
    """Where a preheated kernel waits for its page request (Voilà's ``/voila/query/<kernel>``), for kernels only.

    Only this machine may connect (the kernels run here). The details Voilà sends are completed by the server:
    in workshop mode with the id of the learner who owns the kernel (or none), never with anything from the page.
    """

    def open(self, kernel_id: str) -> None:
        if not _loopback(self.request.remote_ip):
            self.close(code=1008)
            return
        self._kernel_id = kernel_id
        super().open(kernel_id)

    def write_message(self, message, binary=False):
        if isinstance(message, dict):
            message = dict(message)
            message.pop(LEARNER_ID_ENV, None)
            message.pop(FACILITATOR_ENV, None)
            workshop = room.workshop_of(self)
            if workshop is not None:
                kernel_id = getattr(self, "_kernel_id", "")
                owner = workshop.kernel_owners.get(kernel_id)
                message[LEARNER_ID_ENV] = str(owner) if owner is not None else ""
                message[FACILITATOR_ENV] = "1" if kernel_id in workshop.facilitator_kernels else "0"
        return super().write_message(message, binary=binary)


def _loopback(address: str | None) -> bool:
    return bool(address) and (address.startswith("127.") or address in ("::1", "localhost"))


class WorkshopDeckHandler(TornadoVoilaHandler):
    """Voilà's deck route. In workshop mode it starts (or takes) the page's kernel for the cookie's learner only.

    In both modes it tells :class:`RoomKernels` which kernel serves this page and when the page was sent, and it
    answers "the room is full" (503) instead of starting a kernel the machine has no memory for.
    """

    _learner_id: int | None = None
    _facilitator = False
    _notebook: str = ""
    page_kernel_id: str | None = None

    @property
    def kernel_manager(self):
        manager = self.settings["kernel_manager"]
        workshop = room.workshop_of(self)
        rooms = room_of(self)
        if workshop is None and rooms is None:
            return manager
        return _KernelsFor(manager, self._learner_id, workshop.kernel_owners if workshop else None, rooms,
                           self._notebook, self, self._facilitator,
                           workshop.facilitator_kernels if workshop else None)

    async def get(self, path=None):
        workshop = room.workshop_of(self)
        if workshop is not None:
            learner = workshop.learner(self)
            if learner is None:
                room.join_redirect(self, self.base_url)
                return
            self._learner_id = learner.id  # ?learner= in the address is never read in workshop mode
            self._facilitator = workshop.facilitator(self)  # the room's controls: only with the key's cookie
        self._notebook = path or ""
        rooms = room_of(self)
        if rooms is not None:
            rooms.open_deck(self._notebook, self._learner_id, self._facilitator)
            if rooms.room_full(self._notebook):
                self.set_status(503)
                self.set_header("Retry-After", "30")
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(_pages_env.get_template("room-full.html").render(base_url=self.base_url,
                                                                             limit=rooms.max_kernels))
                return
        try:
            await super().get(path)
        finally:
            if rooms is not None and self.page_kernel_id is not None:
                rooms.page_sent(self.page_kernel_id)


def _refuse_unless_owner(handler, kernel_id: str) -> None:
    workshop = room.workshop_of(handler)
    if workshop is None:
        return
    learner = workshop.learner(handler)
    if learner is None or workshop.kernel_owners.get(kernel_id) != learner.id:
        raise tornado.web.HTTPError(403)


KERNEL_PROTOCOL = "v1.kernel.websocket.jupyter.org"


class OwnKernelWebsocket(VoilaKernelWebsocketHandler):
    async def get(self, kernel_id):
        _refuse_unless_owner(self, kernel_id)
        # Voilà's websocket reads every binary message's header as the v1 protocol. A client that speaks the older
        # protocol makes it read a huge offset count: the server's one thread stops answering anyone (measured:
        # 4 GB and rising, every page frozen). Voilà's front end always asks for v1; nothing else is let in.
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if KERNEL_PROTOCOL not in [p.strip() for p in offered.split(",")]:
            raise tornado.web.HTTPError(400, "this page's kernel speaks only " + KERNEL_PROTOCOL)
        await super().get(kernel_id)


class OwnKernelModel(KernelHandler):
    async def prepare(self):
        await super().prepare()
        _refuse_unless_owner(self, self.path_kwargs.get("kernel_id", ""))


class OwnKernelShutdown(VoilaShutdownKernelHandler):
    async def prepare(self):
        await super().prepare()
        _refuse_unless_owner(self, self.path_args[0] if self.path_args else "")


_KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"


class CourseVoila(Voila):
    """Voilà with the course's landing page, local reveal.js assets and kernel-free previews."""

    name = "artisan-course-slides"
    workshop: "room.Workshop | None" = None  # set before initialize() by `artisan-course workshop`
    browser_url: str | None = None           # what to open at start instead of the course map
    class_size: int = 0                      # trainees expected (workshop): pools are sized for them from the start
    max_kernels: int | None = None           # None: as many as the free memory holds (default_max_kernels)
    page_gone_seconds: float = PAGE_GONE_SECONDS
    quiet_seconds: float = QUIET_SECONDS
    room_kernels: RoomKernels | None = None

    def initialize(self, argv=None):
        super().initialize(argv)
        # Room for a phone photo in one websocket message (see limits.py).
        self.tornado_settings = {**self.tornado_settings, "websocket_max_message_size": WEBSOCKET_LIMIT_BYTES}
        if self.workshop is not None:
            self.tornado_settings[room.SETTING] = self.workshop
            # Preheated kernels: the pools start empty (pool_size 0) and RoomKernels sizes them per deck.
            self.voila_configuration.preheat_kernel = True
            self.voila_configuration.default_pool_size = 0
        if self.ip not in ("", "0.0.0.0", "::"):
            os.environ.setdefault("VOILA_APP_IP", self.ip)  # where a preheated kernel asks for its page request

    def init_handlers(self):
        handlers = self._course_handlers()
        notebooks = []
        try:
            notebooks = [m.notebook for m in load_course_map().ready_modules()]
        except CourseMapError:
            pass
        self.room_kernels = RoomKernels(
            self.kernel_manager, notebooks=notebooks, preheat=self.voila_configuration.preheat_kernel,
            class_size=self.class_size,
            max_kernels=self.max_kernels if self.max_kernels is not None else default_max_kernels(),
            page_gone_seconds=self.page_gone_seconds, quiet_seconds=self.quiet_seconds, log=self.log)
        self.app.settings[ROOM_SETTING] = self.room_kernels
        if self.class_size:
            self.room_kernels.plan()  # warm the first deck for the class before anyone joins
        tornado.ioloop.PeriodicCallback(self.room_kernels.reap, REAP_EVERY_SECONDS * 1000).start()
        return handlers

    def launch_browser(self):
        if self.browser_url is None:
            return super().launch_browser()
        try:
            webbrowser.open(self.browser_url, new=2)
        except webbrowser.Error:
            self.log.warning("No web browser found; open %s yourself.", self.browser_url)

    def _course_handlers(self):
        base = self.server_url or "/"
        conf = {"base_url": base}
        reveal_dist = paths.reveal_dist()

        def route(pattern: str) -> str:
            return base.rstrip("/") + pattern

        ours = [
            (base, LandingHandler, conf),
            (route(r"/voila/tree(/.*)?"), LandingHandler, conf),
            (route(r"/course/reveal/dist/(.*)"), tornado.web.StaticFileHandler, {"path": str(reveal_dist)}),
            (route(r"/favicon.ico"), tornado.web.RedirectHandler, {"url": route("/course/pages/favicon.svg")}),
            (route(r"/course/pages/(.*)"), tornado.web.StaticFileHandler, {"path": str(paths.PAGES_DIR / "static")}),
            (route(r"/course/preview/(.*)"), PreviewHandler, conf),
            (route(r"/course/api/status"), StatusHandler, {**conf, "kernel_manager": self.kernel_manager}),
            (route(r"/course/api/xsrf"), XsrfHandler, conf),
        ]
        ours.append((route(r"/voila/render/(.*)"), WorkshopDeckHandler, {
            "template_paths": self.template_paths, "config": self.config,
            "voila_configuration": self.voila_configuration}))
        if self.voila_configuration.preheat_kernel:
            ours.append((route(rf"/voila/query/{_KERNEL_ID}"), KernelRequestInfo))
        if self.workshop is not None:
            ours += room.routes(route, conf) + [
                (route(rf"/api/kernels/{_KERNEL_ID}/channels"), OwnKernelWebsocket),
                (route(rf"/api/kernels/{_KERNEL_ID}"), OwnKernelModel),
                (route(r"/voila/api/shutdown/(.*)"), OwnKernelShutdown),
            ]
        return ours + super().init_handlers()
