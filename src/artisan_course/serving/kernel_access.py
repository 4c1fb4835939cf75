"""Who may use which kernel: the part of the slide server a security review reads on its own.

In workshop mode every deck page's kernel works for one trainee, decided here on the server from the trainee's
private cookie, never from the page or its address:

- :class:`DeckHandler` (Voilà's deck route) starts a kernel, or takes a preheated one, for the cookie's learner;
  the learner's id (and whether the request carried the facilitator's key) goes into the kernel's environment,
  or, for a preheated kernel, into the page request the kernel waits for (:class:`KernelRequestInfo`).
- A kernel's websocket, model and shutdown answer only the browser whose learner owns it (403 otherwise).
- The page request a preheated kernel waits for is given only to the kernel processes on this machine.
"""
from __future__ import annotations


import jinja2
import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .. import paths
from ..state.learner import FACILITATOR_ENV, LEARNER_ID_ENV
from .kernel_pools import KernelPools, pools_of
from .workshop import join_redirect, workshop_of

_pages_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(paths.PAGES_DIR)),
    autoescape=jinja2.select_autoescape(["html"]),
)

class _KernelsFor:
    """The kernel manager as one deck request sees it: the kernel it starts or takes from a pool is this page's.

    In workshop mode that kernel works for this request's learner: a kernel started now gets the learner's id (and
    whether the server saw the facilitator's key) in its environment; a preheated one is registered as the
    learner's before Voilà sends it the request's details, which :class:`KernelRequestInfo` completes with them.
    """

    def __init__(self, manager, learner_id: int | None, owners: dict[str, int] | None, pools: KernelPools | None,
                 notebook: str, handler, facilitator: bool = False, facilitator_kernels: set[str] | None = None):
        self._manager, self._learner_id, self._owners, self._pools = manager, learner_id, owners, pools
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
        if self._pools is not None:
            self._pools.page_started(kernel_id, self._notebook)
        self._handler.page_kernel_id = kernel_id

    async def start_kernel(self, *, env=None, **kwargs):
        env = dict(env or {})
        if self._learner_id is not None:
            env[LEARNER_ID_ENV] = str(self._learner_id)
            env[FACILITATOR_ENV] = "1" if self._facilitator else "0"  # the key was checked here, on the server
        if self._pools is not None:
            self._pools.make_room()
        kernel_id = await ensure_async(self._manager.start_kernel(env=env, **kwargs))
        self._own(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, notebook_name: str, **kwargs):
        if self._pools is not None:
            self._pools.claim(notebook_name)  # the pool refills to its size less this page
        try:
            render_task, rendered_cache, kernel_id = await self._manager.get_rendered_notebook(
                notebook_name=notebook_name, **kwargs)
        finally:
            if self._pools is not None:
                self._pools.unclaim(notebook_name)
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
            workshop = workshop_of(self)
            if workshop is not None:
                kernel_id = getattr(self, "_kernel_id", "")
                owner = workshop.kernel_owners.get(kernel_id)
                message[LEARNER_ID_ENV] = str(owner) if owner is not None else ""
                message[FACILITATOR_ENV] = "1" if kernel_id in workshop.facilitator_kernels else "0"
        return super().write_message(message, binary=binary)


def _loopback(address: str | None) -> bool:
    return bool(address) and (address.startswith("127.") or address in ("::1", "localhost"))


class DeckHandler(TornadoVoilaHandler):
    """Voilà's deck route. In workshop mode it starts (or takes) the page's kernel for the cookie's learner only.

    In both modes it tells :class:`~.kernel_pools.KernelPools` which kernel serves this page and when the page was sent, and it
    answers "the room is full" (503) instead of starting a kernel the machine has no memory for.
    """

    _learner_id: int | None = None
    _facilitator = False
    _notebook: str = ""
    page_kernel_id: str | None = None

    @property
    def kernel_manager(self):
        manager = self.settings["kernel_manager"]
        workshop = workshop_of(self)
        pools = pools_of(self)
        if workshop is None and pools is None:
            return manager
        return _KernelsFor(manager, self._learner_id, workshop.kernel_owners if workshop else None, pools,
                           self._notebook, self, self._facilitator,
                           workshop.facilitator_kernels if workshop else None)

    async def get(self, path=None):
        workshop = workshop_of(self)
        if workshop is not None:
            learner = workshop.learner(self)
            if learner is None:
                join_redirect(self, self.base_url)
                return
            self._learner_id = learner.id  # ?learner= in the address is never read in workshop mode
            self._facilitator = workshop.facilitator(self)  # the room's controls: only with the key's cookie
        self._notebook = path or ""
        pools = pools_of(self)
        if pools is not None:
            pools.open_deck(self._notebook, self._learner_id, self._facilitator)
            if pools.room_full(self._notebook):
                self.set_status(503)
                self.set_header("Retry-After", "30")
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(_pages_env.get_template("room-full.html").render(base_url=self.base_url,
                                                                             limit=pools.max_kernels))
                return
        try:
            await super().get(path)
        finally:
            if pools is not None and self.page_kernel_id is not None:
                pools.page_sent(self.page_kernel_id)


def _refuse_unless_owner(handler, kernel_id: str) -> None:
    workshop = workshop_of(handler)
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


KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"
