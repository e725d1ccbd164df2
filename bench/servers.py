"""What the benchmarks share for running servers on this machine and reading wrk's figures."""

from __future__ import annotations

import os
import re
import socket
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    """Return once something accepts connections on ``port`` (loopback), or raise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not start")


def server_log(name: str) -> Path:
    """A new, empty log file for a server's output (stdout and stderr).

    A server's output goes to a file, never to a pipe: a pipe nobody reads fills up and
    blocks the server (see tests/servers.py). The benchmark removes the file when it
    succeeds and names it when it fails.
    """
    handle, path = tempfile.mkstemp(prefix=f"gridcenter-bench-{name}-", suffix=".log")
    os.close(handle)
    return Path(path)


def wrk_figure(pattern: str, output: str, flags: int = 0) -> str:
    """The first group of ``pattern`` in wrk's ``output``; raises, with the output, if it is not there."""
    found = re.search(pattern, output, flags)
    if found is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{output}")
    return found.group(1)
