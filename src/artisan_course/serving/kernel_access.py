"""Who may use which kernel: the part of the slide server a security review reads on its own.

In workshop mode every deck page's kernel works for one trainee, decided here on the server from the trainee's
private cookie, never from the page or its address:

- :class:`DeckHandler` (Voilà's deck route) starts a kernel, or takes a preheated one, for the cookie's learner, or,
  for a facilitator's session (checked by ``workshop.py``), for the facilitator's own learner, which is no trainee;
  the learner's id (and whether the request came from a facilitator's session) goes into the kernel's environment,
  or, for a preheated kernel, into the page request the kernel waits for (:class:`KernelRequestInfo`). The server
  remembers which learner, and which device, each kernel serves.
- A kernel's websocket, model and shutdown answer only the browser whose learner owns it (403 otherwise).
- Leave, Forget, Merge and Reassign end that learner's (or that device's) kernels at once (:func:`end_kernels`):
  the server stops relaying the old page's messages, closes its connection and shuts its kernel down.
- The page request a preheated kernel waits for is given only to that kernel: whatever address the server listens
  on, the caller must answer a challenge with the kernel's own connection key, which only the server and the kernel
  process hold.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import secrets

import tornado.ioloop
import tornado.web
from tornado.log import app_log
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .. import paths
from ..i18n import pages as i18n_pages
from ..i18n.pages import request_language
from ..state.learner import FACILITATOR_ENV, LEARNER_ID_ENV, page_request_proof
from .kernel_pools import KernelPools, pools_of
from .workshop import Workshop, join_redirect, workshop_of

_pages_env = i18n_pages.environment(paths.PAGES_DIR)  # room-full.html, in the reader's language

class _KernelsFor:
    """The kernel manager as one deck request sees it: the kernel it starts or takes from a pool is this page's.

    In workshop mode that kernel works for this request's learner: a kernel started now gets the learner's id (and
    whether the server saw the facilitator's key) in its environment; a preheated one is registered as the
    learner's before Voilà sends it the request's details, which :class:`KernelRequestInfo` completes with them.
    """

    def __init__(self, manager, learner_id: int | None, workshop: Workshop | None, pools: KernelPools | None,
                 notebook: str, handler, facilitator: bool = False, device: str | None = None):
        self._manager, self._learner_id, self._pools = manager, learner_id, pools
        self._owners = workshop.kernel_owners if workshop is not None else None
        self._devices = workshop.kernel_devices if workshop is not None else None
        self._notebook, self._handler, self._device = notebook, handler, device
        self._facilitator = facilitator
        self._facilitator_kernels = workshop.facilitator_kernels if workshop is not None else None

    def __getattr__(self, name):
        return getattr(self._manager, name)

    def _own(self, kernel_id: str) -> None:
        if self._owners is not None and self._learner_id is not None:
            running = set(self._manager.list_kernel_ids())
            for gone in [k for k in self._owners if k not in running]:
                del self._owners[gone]
            for gone in [k for k in self._devices if k not in running]:
                del self._devices[gone]
            self._owners[kernel_id] = self._learner_id
            if self._device:
                self._devices[kernel_id] = self._device  # "Leave" on that device ends this page
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


PROOF_SECONDS = 30  # a caller that has not answered the challenge by then is disconnected


def _connection_key(handler, kernel_id: str) -> bytes:
    """The connection key of one of this server's kernels (b"" if there is no such kernel, or it has no key)."""
    try:
        kernel = handler.settings["kernel_manager"].get_kernel(kernel_id)
    except KeyError:
        return b""
    return bytes(getattr(getattr(kernel, "session", None), "key", b"") or b"")


class KernelRequestInfo(RequestInfoSocketHandler):
    """Where a preheated kernel waits for its page request (Voilà's ``/voila/query/<kernel>``), for that kernel only.

    The server may listen on any address, so the caller's address proves nothing: the kernel may call from the
    laptop's Wi-Fi address, and so may a trainee. The server sends a random challenge, and the caller must answer
    with :func:`~artisan_course.state.learner.page_request_proof` under the kernel's connection key; only then does
    it become the kernel's waiter (Voilà's own ``open``). A wrong answer, or none within ``PROOF_SECONDS``, closes
    the connection, and never displaces the kernel's own waiter. The details Voilà sends are completed by the
    server: in workshop mode with the id of the learner who owns the kernel (or none), never with anything from the
    page.
    """

    _kernel_id = ""
    _challenge: str | None = None
    _proved = False
    _deadline = None

    def open(self, kernel_id: str) -> None:
        self._kernel_id = kernel_id
        if not _connection_key(self, kernel_id):
            self.close(code=1008)
            return
        self._challenge = secrets.token_urlsafe(32)
        self.write_message(json.dumps({"challenge": self._challenge}))
        self._deadline = tornado.ioloop.IOLoop.current().call_later(PROOF_SECONDS, self.close, 1008)

    def on_message(self, message) -> None:
        if self._proved or self._challenge is None:
            return
        challenge, self._challenge = self._challenge, None  # one answer per connection
        if self._deadline is not None:
            tornado.ioloop.IOLoop.current().remove_timeout(self._deadline)
        try:
            proof = str(json.loads(message)["proof"])
        except (ValueError, TypeError, KeyError):
            proof = ""
        key = _connection_key(self, self._kernel_id)
        if not key or not hmac.compare_digest(proof.encode(), page_request_proof(key, self._kernel_id,
                                                                                 challenge).encode()):
            self.close(code=1008)
            return
        self._proved = True
        super().open(self._kernel_id)  # Voilà's: wait for the page request, or send it if it came already

    def on_close(self) -> None:
        if self._deadline is not None:
            tornado.ioloop.IOLoop.current().remove_timeout(self._deadline)
        # Voilà's own on_close removes a waiter even when this connection was never one: only ours is removed.
        if self._proved and RequestInfoSocketHandler._waiters.get(self._kernel_id) is self:
            del RequestInfoSocketHandler._waiters[self._kernel_id]

    def write_message(self, message, binary=False):
        if isinstance(message, dict):
            message = dict(message)
            message.pop(LEARNER_ID_ENV, None)
            message.pop(FACILITATOR_ENV, None)
            workshop = workshop_of(self)
            if workshop is not None:
                kernel_id = self._kernel_id
                owner = workshop.kernel_owners.get(kernel_id)
                message[LEARNER_ID_ENV] = str(owner) if owner is not None else ""
                message[FACILITATOR_ENV] = "1" if kernel_id in workshop.facilitator_kernels else "0"
        return super().write_message(message, binary=binary)


class DeckHandler(TornadoVoilaHandler):
    """Voilà's deck route. In workshop mode it starts (or takes) the page's kernel for the cookie's learner only.

    In both modes it tells :class:`~.kernel_pools.KernelPools` which kernel serves this page and when the page was
    sent, and it answers "the room is full" (503) instead of starting a kernel the machine has no memory for.
    """

    _learner_id: int | None = None
    _device: str | None = None
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
        return _KernelsFor(manager, self._learner_id, workshop, pools, self._notebook, self, self._facilitator,
                           self._device)

    async def get(self, path=None):
        workshop = workshop_of(self)
        if workshop is not None:
            # The room's controls, and the facilitator's own learner: only for a facilitator's session, checked here.
            self._facilitator = workshop.facilitator(self)
            if self._facilitator:
                learner = await workshop.run(workshop.facilitator_learner)
            else:
                learner = workshop.learner(self)
                self._device = workshop.device(self)
            if learner is None:
                join_redirect(self, self.base_url)
                return
            self._learner_id = learner.id  # ?learner= in the address is never read in workshop mode
        self._notebook = path or ""
        pools = pools_of(self)
        if pools is not None:
            pools.open_deck(self._notebook, self._learner_id, self._facilitator)
            if pools.room_full(self._notebook):
                self.set_status(503)
                self.set_header("Retry-After", "30")
                self.set_header("Content-Type", "text/html; charset=utf-8")
                lang = workshop.language_of(self) if workshop is not None else request_language(self)
                self.finish(_pages_env.get_template("room-full.html").render(base_url=self.base_url, lang=lang,
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
    learner = workshop.acting_as(handler)
    if learner is None or workshop.kernel_owners.get(kernel_id) != learner.id:
        raise tornado.web.HTTPError(403)


KERNEL_PROTOCOL = "v1.kernel.websocket.jupyter.org"


class OwnKernelWebsocket(VoilaKernelWebsocketHandler):
    """A page's kernel connection, for the browser whose learner owns the kernel; cut the moment it no longer does."""

    open_sockets: dict[str, set["OwnKernelWebsocket"]] = {}  # kernel -> its open connections (this server's)
    _kernel_id = ""
    _learner_id: int | None = None
    _cut = False

    async def get(self, kernel_id):
        _refuse_unless_owner(self, kernel_id)
        workshop = workshop_of(self)
        self._kernel_id = kernel_id
        self._learner_id = workshop.kernel_owners.get(kernel_id) if workshop is not None else None
        # Voilà's websocket reads every binary message's header as the v1 protocol. A client that speaks the older
        # protocol makes it read a huge offset count: the server's one thread stops answering anyone (measured:
        # 4 GB and rising, every page frozen). Voilà's front end always asks for v1; nothing else is let in.
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if KERNEL_PROTOCOL not in [p.strip() for p in offered.split(",")]:
            raise tornado.web.HTTPError(400, "this page's kernel speaks only " + KERNEL_PROTOCOL)
        await super().get(kernel_id)

    async def open(self, kernel_id):
        OwnKernelWebsocket.open_sockets.setdefault(kernel_id, set()).add(self)
        await super().open(kernel_id)

    def _still_owned(self) -> bool:
        workshop = workshop_of(self)
        return workshop is None or workshop.kernel_owners.get(self._kernel_id) == self._learner_id

    def on_message(self, ws_message):
        # A message that arrives after the learner's page was ended (or its kernel given to someone else) is
        # dropped here, before it reaches the kernel, even if the browser has not yet seen the connection close.
        if self._cut or not self._still_owned():
            self.cut()
            return
        return super().on_message(ws_message)

    def cut(self) -> None:
        """Stop relaying this page's messages and close its connection."""
        if not self._cut:
            self._cut = True
            try:
                self.close(code=4001, reason="This page was signed out.")
            except Exception:  # already closing
                pass

    def on_close(self):
        sockets = OwnKernelWebsocket.open_sockets.get(self._kernel_id)
        if sockets is not None:
            sockets.discard(self)
            if not sockets:
                OwnKernelWebsocket.open_sockets.pop(self._kernel_id, None)
        if self.connection is not None:
            return super().on_close()


def learner_kernels(workshop: Workshop, learner_id: int) -> list[str]:
    """Every kernel that works for this learner now."""
    return [kernel for kernel, owner in workshop.kernel_owners.items() if owner == learner_id]


def device_kernels(workshop: Workshop, device: str | None) -> list[str]:
    """Every kernel whose page this device (the hash of its token) opened."""
    return [kernel for kernel, opened_by in workshop.kernel_devices.items() if device and opened_by == device]


def end_kernels(handler, kernel_ids: list[str], why: str) -> None:
    """End these pages at once: no owner any more, no message relayed, connections closed, kernels shut down.

    Called by Leave, Forget, Merge and Reassign. The page's next request finds no kernel it may use (403, or 404
    once the kernel is gone); a reload opens the course for whoever the device's cookie belongs to now.
    """
    workshop = workshop_of(handler)
    if workshop is None or not kernel_ids:
        return
    manager = handler.settings["kernel_manager"]
    for kernel_id in kernel_ids:
        workshop.kernel_owners.pop(kernel_id, None)
        workshop.kernel_devices.pop(kernel_id, None)
        workshop.facilitator_kernels.discard(kernel_id)
        for socket in list(OwnKernelWebsocket.open_sockets.get(kernel_id, ())):
            socket.cut()
        asyncio.ensure_future(_shut_down(manager, kernel_id, why))


async def _shut_down(manager, kernel_id: str, why: str) -> None:
    if kernel_id not in manager.list_kernel_ids():
        return
    getattr(manager, "log", app_log).info("Shutting down kernel %s: %s.", kernel_id, why)
    try:
        await ensure_async(manager.shutdown_kernel(kernel_id, now=True))  # no last save for a page that was ended
    except (KeyError, RuntimeError):
        pass


class OwnKernelModel(KernelHandler):
    async def prepare(self):
        await super().prepare()
        _refuse_unless_owner(self, self.path_kwargs.get("kernel_id", ""))


class OwnKernelShutdown(VoilaShutdownKernelHandler):
    async def prepare(self):
        await super().prepare()
        _refuse_unless_owner(self, self.path_args[0] if self.path_args else "")


KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"
