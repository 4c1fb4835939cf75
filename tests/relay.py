"""A relay the test controls, between a browser and a server on loopback: the room's Wi-Fi, which can drop.

``Relay(port)`` listens on a free port of 127.0.0.1 and passes every connection through to ``port``. ``drop()`` cuts
every open connection and refuses new ones (a phone that locks, or walks out of the Wi-Fi); ``restore()`` lets them
through again. Only loopback is used.
"""
from __future__ import annotations

import socket
import threading

from conftest import free_port


class Relay:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.offline = False
        self.refused = 0  # connections refused while offline
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.offline:
                self.refused += 1
                self._cut(client)
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
                server.settimeout(None)
            except OSError:
                self._cut(client)
                continue
            with self._lock:
                self._open.update((client, server))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._cut(source)
            self._cut(sink)

    def _cut(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.discard(connection)
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        connection.close()

    def drop(self) -> None:
        """Cut every connection now, and refuse new ones until ``restore()``."""
        self.offline = True
        with self._lock:
            connections = list(self._open)
        for connection in connections:
            self._cut(connection)

    def restore(self) -> None:
        self.offline = False

    def close(self) -> None:
        self._closed = True
        self.drop()
        self._listener.close()
