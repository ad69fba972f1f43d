"""Fixtures for the suite: a live server (from clients/testserver.sh) and a loopback TCP proxy
in front of it that a test can cut, to drop connections for real."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from typing import Iterator

import pytest

from shellwise_client import Shellwise

SERVER_VARS = ("SHELLWISE_URL", "SHELLWISE_TOKEN", "SHELLWISE_OPERATOR_TOKEN", "SHELLWISE_VIEWER_TOKEN")


def pytest_configure(config: pytest.Config) -> None:
    missing = [name for name in SERVER_VARS if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(
            f"{', '.join(missing)} not set: run the suite through clients/testserver.sh (see test.sh)"
        )


@pytest.fixture(scope="session")
def url() -> str:
    return os.environ["SHELLWISE_URL"]


@pytest.fixture(scope="session")
def token() -> str:
    """An operator token: runs commands and jobs (the role most callers have)."""
    return os.environ["SHELLWISE_OPERATOR_TOKEN"]


@pytest.fixture(scope="session")
def viewer_token() -> str:
    return os.environ["SHELLWISE_VIEWER_TOKEN"]


@pytest.fixture
def sw(url: str, token: str) -> Iterator[Shellwise]:
    with Shellwise(url, token=token, timeout=30) as client:
        yield client


@pytest.fixture
def marker() -> str:
    """A string no other command prints, to find this test's job and output."""
    return f"m{uuid.uuid4().hex[:12]}"


class Proxy:
    """Forwards loopback TCP connections to the server; `sever()` cuts every open one.

    It also records the bytes clients sent, so a test can count the requests that reached the
    server (a silent retry would show up as a second request line).
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._sent = bytearray()
        self.connections = 0
        # When set, a connection is accepted, its request read, and then closed without an
        # answer: a server that fails after the request arrived.
        self.hang_up_after_request = False
        threading.Thread(target=self._accept, daemon=True).start()

    def requests(self, request_line_prefix: str) -> int:
        with self._lock:
            return bytes(self._sent).count(request_line_prefix.encode())

    def sever(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self._listener.close()
        self.sever()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            if self.hang_up_after_request:
                threading.Thread(target=self._read_then_close, args=(client,), daemon=True).start()
                continue
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _read_then_close(self, client: socket.socket) -> None:
        with client:
            data = client.recv(65536)
            with self._lock:
                self._sent += data

    def _pipe(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client:
                    with self._lock:
                        self._sent += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def proxy(url: str) -> Iterator[Proxy]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    p = Proxy((host, int(port)))
    yield p
    p.close()
