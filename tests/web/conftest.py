"""Servers for the web tests, all on 127.0.0.1 and started by the tests themselves.

pytest-httpserver (Werkzeug) serves ordinary answers; the two raw socket servers here
misbehave in ways Werkzeug will not: one accepts and never answers, one sends a body
forever (until the test ends, bounded by a stop event and a byte budget).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest


class RawServer:
    """A TCP server on 127.0.0.1 whose every connection is handled by ``handler``."""

    def __init__(self, handler) -> None:
        self.stop = threading.Event()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self._handler = handler
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed.xml"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._handle, args=(connection,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            with contextlib.suppress(OSError):  # the client hung up: what the test wanted
                self._handler(connection, self.stop)

    def close(self) -> None:
        self.stop.set()
        self._socket.close()
        self._accept.join(5)
        for thread in self._threads:
            thread.join(5)


def _silent(connection: socket.socket, stop: threading.Event) -> None:
    connection.recv(65536)
    stop.wait(30)


def _endless(connection: socket.socket, stop: threading.Event) -> None:
    connection.recv(65536)
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"<item><title>more</title></item>" * 64
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    for _ in range(200_000):  # about 400 MB at most, never reached: the client stops first
        if stop.is_set():
            return
        connection.sendall(frame)


def _trickle(connection: socket.socket, stop: threading.Event) -> None:
    connection.recv(65536)
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n")
    for _ in range(600):
        if stop.wait(0.05):
            return
        connection.sendall(b"1\r\n \r\n")


def _malformed_redirect(connection: socket.socket, stop: threading.Event) -> None:
    """A redirect whose Location no URL parser reads (Werkzeug will not send one)."""
    connection.recv(65536)
    connection.sendall(b"HTTP/1.1 301 Moved Permanently\r\nLocation: http://[bad/x\r\nContent-Length: 0\r\n\r\n")


@pytest.fixture
def malformed_redirect_server() -> Iterator[RawServer]:
    server = RawServer(_malformed_redirect)
    yield server
    server.close()


@pytest.fixture
def silent_server() -> Iterator[RawServer]:
    server = RawServer(_silent)
    yield server
    server.close()


@pytest.fixture
def endless_server() -> Iterator[RawServer]:
    server = RawServer(_endless)
    yield server
    server.close()


@pytest.fixture
def trickle_server() -> Iterator[RawServer]:
    server = RawServer(_trickle)
    yield server
    server.close()


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1 (its default, "localhost", may resolve elsewhere)."""
    return ("127.0.0.1", 0)
