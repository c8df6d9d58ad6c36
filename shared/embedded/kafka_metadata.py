"""Asking a broker for its metadata without a client library (usable with or without an event loop)."""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

from shared.embedded.kafka_sasl import authenticate


@dataclass(frozen=True)
class Metadata:
    cluster_id: str | None
    controller_id: int
    brokers: dict[int, tuple[str, int]]
    leaders: dict[str, dict[int, int]]  # topic -> partition -> leader node id (-1: none)
    replicas: dict[str, dict[int, tuple[list[int], list[int]]]]  # topic -> partition -> (replicas, isr)


def metadata(
    host: str,
    port: int,
    topics: list[str] | None = None,
    timeout_s: float = 2.0,
    credentials: tuple[str, str] | None = None,
) -> Metadata:
    """One Metadata request (v4) to one broker, signed in with SCRAM-SHA-512 as `credentials` (user,
    password) where the listener wants it; raises OSError when it does not answer in time."""
    client = b"mentornet"
    body = struct.pack(">hhih", 3, 4, 1, len(client)) + client
    if topics is None:
        body += struct.pack(">i", -1)
    else:
        body += struct.pack(">i", len(topics))
        for topic in topics:
            name = topic.encode()
            body += struct.pack(">h", len(name)) + name
    body += b"\x00"  # allow_auto_topic_creation: false
    with socket.create_connection((host, port), timeout=timeout_s) as sock:
        if credentials is not None:
            authenticate(sock, *credentials, read=_read)
        sock.sendall(struct.pack(">i", len(body)) + body)
        (size,) = struct.unpack(">i", _read(sock, 4))
        return _parse_metadata(_Reader(_read(sock, size)))


def _read(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("the broker closed the connection")
        chunks += chunk
    return bytes(chunks)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return int(value)

    def string(self) -> str | None:
        size = self.take(">h")
        if size < 0:
            return None
        value = self.data[self.at : self.at + size].decode()
        self.at += size
        return value

    def ints(self) -> list[int]:
        return [self.take(">i") for _ in range(self.take(">i"))]


def _parse_metadata(r: _Reader) -> Metadata:
    r.take(">i")  # correlation id
    r.take(">i")  # throttle time
    brokers = {}
    for _ in range(r.take(">i")):
        node_id, host, port = r.take(">i"), r.string(), r.take(">i")
        r.string()  # rack
        brokers[node_id] = (str(host), port)
    cluster_id, controller_id = r.string(), r.take(">i")
    leaders: dict[str, dict[int, int]] = {}
    replicas: dict[str, dict[int, tuple[list[int], list[int]]]] = {}
    for _ in range(r.take(">i")):
        error, name = r.take(">h"), str(r.string())
        r.take(">b")  # is_internal
        partitions = r.take(">i")
        if error:
            continue
        leaders[name], replicas[name] = {}, {}
        for _ in range(partitions):
            r.take(">h")  # partition error
            index, leader = r.take(">i"), r.take(">i")
            replicas[name][index] = (r.ints(), r.ints())
            leaders[name][index] = leader
    return Metadata(cluster_id, controller_id, brokers, leaders, replicas)
