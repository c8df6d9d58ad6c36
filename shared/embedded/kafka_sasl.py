"""Signing in to a SASL_PLAINTEXT listener with SCRAM-SHA-512 on a raw socket (RFC 5802, Kafka's
SaslHandshake v1 and SaslAuthenticate v0), so kafka_metadata.py can ask an authenticated broker
without a client library. Never logs or returns the password."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import socket
import struct
from collections.abc import Callable

MECHANISM = "SCRAM-SHA-512"
_HANDSHAKE, _AUTHENTICATE = 17, 36


class SaslFailed(ConnectionError):
    """The broker refused the credentials (an OSError: callers treat it as a broker not answering)."""


def authenticate(
    sock: socket.socket, username: str, password: str, read: Callable[[socket.socket, int], bytes]
) -> None:
    answer = _request(sock, read, _HANDSHAKE, 1, _string(MECHANISM))
    (error,) = struct.unpack_from(">h", answer, 4)
    if error:
        raise SaslFailed(f"the broker does not offer {MECHANISM} (error {error})")
    nonce = base64.b64encode(secrets.token_bytes(24)).decode()
    first_bare = f"n={_saslname(username)},r={nonce}"
    server_first = _exchange(sock, read, f"n,,{first_bare}".encode()).decode()
    fields = dict(part.split("=", 1) for part in server_first.split(","))
    if not fields["r"].startswith(nonce):
        raise SaslFailed("the broker's SCRAM nonce does not extend ours")
    salted = hashlib.pbkdf2_hmac("sha512", password.encode(), base64.b64decode(fields["s"]), int(fields["i"]))
    client_key = hmac.digest(salted, b"Client Key", "sha512")
    final_bare = f"c=biws,r={fields['r']}"
    message = f"{first_bare},{server_first},{final_bare}".encode()
    signature = hmac.digest(hashlib.sha512(client_key).digest(), message, "sha512")
    proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, signature, strict=True))).decode()
    server_final = _exchange(sock, read, f"{final_bare},p={proof}".encode()).decode()
    expected = hmac.digest(hmac.digest(salted, b"Server Key", "sha512"), message, "sha512")
    if server_final != f"v={base64.b64encode(expected).decode()}":
        raise SaslFailed("the broker's SCRAM signature does not match: not the broker we know")


def _exchange(sock: socket.socket, read: Callable[[socket.socket, int], bytes], token: bytes) -> bytes:
    answer = _request(sock, read, _AUTHENTICATE, 0, struct.pack(">i", len(token)) + token)
    (error,) = struct.unpack_from(">h", answer, 4)
    at = 6
    (size,) = struct.unpack_from(">h", answer, at)
    at += 2 + max(size, 0)  # error message (nullable string)
    if error:
        raise SaslFailed(f"the broker refused the sign-in (error {error})")
    (size,) = struct.unpack_from(">i", answer, at)
    return answer[at + 4 : at + 4 + size]


def _request(
    sock: socket.socket, read: Callable[[socket.socket, int], bytes], api: int, version: int, body: bytes
) -> bytes:
    header = struct.pack(">hhi", api, version, 1) + _string("mentornet")
    sock.sendall(struct.pack(">i", len(header) + len(body)) + header + body)
    (size,) = struct.unpack(">i", read(sock, 4))
    return read(sock, size)


def _string(value: str) -> bytes:
    data = value.encode()
    return struct.pack(">h", len(data)) + data


def _saslname(name: str) -> str:
    return name.replace("=", "=3D").replace(",", "=2C")
