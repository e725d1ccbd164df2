"""A minimal WebSocket client for the benchmarks (asyncio streams; no client library)."""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time


async def open_websocket(port: int, path: str, cookie: str):
    """A minimal RFC 6455 client handshake (this process has Twisted's autobahn loaded by daphne)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n"
            f"Cookie: {cookie}\r\n\r\n"
        ).encode()
    )
    response = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in response.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"handshake refused: {response[:80]!r}")
    return reader, writer


def client_frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked  # control frames: < 126 bytes


async def websocket_messages(reader, writer, closed: dict | None = None):
    """Yield (receive time, text) for each text message until the server closes; the close
    code (1006 if the connection just ended) goes to ``closed["code"]`` when given."""
    parts: list[bytes] = []
    while True:
        try:
            head = await reader.readexactly(2)
        except (asyncio.IncompleteReadError, ConnectionError):
            if closed is not None:
                closed["code"] = 1006
            return
        fin, opcode, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
        if length == 126:
            length = struct.unpack("!H", await reader.readexactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", await reader.readexactly(8))[0]
        payload = await reader.readexactly(length)
        if opcode == 0x8:  # close
            if closed is not None:
                closed["code"] = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            return
        if opcode == 0x9:  # ping → pong
            writer.write(client_frame(0xA, payload))
            continue
        if opcode in (0x1, 0x0):
            parts.append(payload)
            if fin:
                at = time.perf_counter()
                yield at, b"".join(parts).decode()
                parts = []
