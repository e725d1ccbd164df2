"""A WebSocket client for tests against a real daphne: RFC 6455 over asyncio streams.

It answers daphne's pings (as a browser does), so a socket can stay open for minutes, and
records how the server closed it (the close code, or 1006 when the connection just ended).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct

ABNORMAL = 1006


class Closed(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"closed with {code}")
        self.code = code


def _frame(opcode: int, payload: bytes) -> bytes:
    """A masked client frame (control frames and our short messages: under 126 bytes)."""
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


class Socket:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.messages: asyncio.Queue[dict] = asyncio.Queue()
        self.close_code: int | None = None
        self.pings = 0
        self._task = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, port: int, path: str, cookie: str) -> Socket:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n"
                f"Cookie: {cookie}\r\n\r\n"
            ).encode()
        )
        response = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 20)
        if b" 101 " not in response.split(b"\r\n", 1)[0]:
            writer.close()
            raise ConnectionRefusedError(f"handshake refused: {response[:80]!r}")
        return cls(reader, writer)

    async def _read(self) -> None:
        parts: list[bytes] = []
        try:
            while True:
                head = await self.reader.readexactly(2)
                fin, opcode, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
                if length == 126:
                    length = struct.unpack("!H", await self.reader.readexactly(2))[0]
                elif length == 127:
                    length = struct.unpack("!Q", await self.reader.readexactly(8))[0]
                payload = await self.reader.readexactly(length)
                if opcode == 0x8:
                    self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                    return
                if opcode == 0x9:
                    self.pings += 1
                    self.writer.write(_frame(0xA, payload))
                elif opcode in (0x0, 0x1):
                    parts.append(payload)
                    if fin:
                        self.messages.put_nowait(json.loads(b"".join(parts)))
                        parts = []
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close_code = self.close_code or ABNORMAL
        finally:
            self.writer.close()

    async def receive(self, timeout: float = 5) -> dict:
        """The next message; raises ``Closed`` if the server closed the socket first."""
        if not self.messages.empty():
            return self.messages.get_nowait()
        getter = asyncio.ensure_future(self.messages.get())
        done, _pending = await asyncio.wait({getter, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            return getter.result()
        getter.cancel()
        if self._task in done:
            raise Closed(self.close_code or ABNORMAL)
        raise TimeoutError(f"no message in {timeout} s")

    async def receive_type(self, kind: str, timeout: float = 5) -> dict:
        """The next message of type ``kind`` (others are skipped)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            message = await self.receive(max(deadline - loop.time(), 0.01))
            if message.get("type") == kind:
                return message

    async def closed(self, timeout: float) -> int:
        """Wait for the server to close the socket; its close code."""
        await asyncio.wait_for(asyncio.shield(self._task), timeout)
        return self.close_code or ABNORMAL

    async def close(self) -> None:
        if not self._task.done():
            self.writer.write(_frame(0x8, struct.pack("!H", 1000)))
            try:
                await asyncio.wait_for(asyncio.shield(self._task), 5)
            except TimeoutError:
                self._task.cancel()
