"""`gibon serve --workers N`: each worker listens on a socket of its own (SO_REUSEPORT), so the
kernel spreads new connections over the workers instead of one worker taking a whole burst."""

from __future__ import annotations

import pickle
import select
import socket
import sys

import pytest
import uvicorn

from gibon import server_cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux SO_REUSEPORT")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepted(listener: socket.socket) -> int:
    listener.setblocking(False)
    n = 0
    while select.select([listener], [], [], 0.2)[0]:
        try:
            listener.accept()[0].close()
        except BlockingIOError:
            break
        n += 1
    return n


def test_each_worker_gets_its_own_listening_socket_and_connections_are_spread() -> None:
    port = _free_port()
    config = uvicorn.Config("gibon.app:create_app", host="127.0.0.1", port=port)
    [handed] = server_cli.worker_sockets(config)
    # what each worker process receives: the object unpickled there, a socket of its own
    first, second = (pickle.loads(pickle.dumps(handed)) for _ in range(2))
    try:
        assert first.proto == socket.IPPROTO_TCP  # so asyncio turns Nagle's algorithm off
        assert first.fileno() != second.fileno()
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(60)]
        counts = _accepted(first), _accepted(second)
        for c in clients:
            c.close()
        assert sum(counts) == 60
        assert min(counts) >= 10, counts  # hashed over both: not one worker taking the burst
        with pytest.raises(OSError):  # a port already served is refused at once, not shared
            server_cli.worker_sockets(config)
    finally:
        first.close()
        second.close()
