"""A process that dies under `make run` is started again, and the platform stays up (scripts/respawn.py)."""

from __future__ import annotations

import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESPAWN = ROOT / "scripts" / "respawn.py"
# A stand-in for a server: says its pid, then waits to be killed.
SERVER = [sys.executable, "-c", "import os, time; print('started', os.getpid(), flush=True); time.sleep(600)"]


class Lines:
    """The lines a process writes, read by a thread so a test can wait for one with a timeout."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.queue.put(line)

    def wait_for(self, pattern: str, timeout: float = 15) -> re.Match:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} in {seen!r}")


def start(command: list[str], **kwargs) -> tuple[subprocess.Popen, Lines]:
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, **kwargs
    )
    return process, Lines(process)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by an init that is slow) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "zombie" not in status.read_text()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_a_killed_command_is_started_again_and_a_stop_signal_ends_both():
    wrapper, output = start([sys.executable, str(RESPAWN), *SERVER])
    try:
        first = int(output.wait_for(r"started (\d+)").group(1))
        os.kill(first, signal.SIGKILL)
        output.wait_for(r"respawn: .* exited with 137 .*restarting in 1 s")
        second = int(output.wait_for(r"started (\d+)").group(1))
        assert second != first and alive(second)
        # Told to stop (only the wrapper is signalled here): it passes it on and ends.
        wrapper.send_signal(signal.SIGTERM)
        assert wrapper.wait(timeout=10) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 5
        while alive(second) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(second)
    finally:
        stop(wrapper)


def test_what_a_killed_command_leaves_behind_is_ended_before_the_restart():
    """A killed nginx or gunicorn master leaves its workers holding the port: they go first."""
    master = (
        "import os, subprocess, time; worker = subprocess.Popen(['sleep', '600']); "
        "print('started', os.getpid(), 'worker', worker.pid, flush=True); time.sleep(600)"
    )
    wrapper, output = start([sys.executable, str(RESPAWN), sys.executable, "-c", master])
    try:
        first = output.wait_for(r"started (\d+) worker (\d+)")
        os.kill(int(first.group(1)), signal.SIGKILL)
        second = output.wait_for(r"started (\d+) worker (\d+)")
        assert not alive(int(first.group(2))), "the dead command's worker is still there"
        assert alive(int(second.group(2)))
        wrapper.send_signal(signal.SIGTERM)
        wrapper.wait(timeout=10)
    finally:
        stop(wrapper)


def test_a_command_that_keeps_failing_is_retried_with_a_growing_delay():
    wrapper, output = start([sys.executable, str(RESPAWN), sys.executable, "-c", "raise SystemExit(3)"])
    try:
        output.wait_for(r"exited with 3 after 0 s; restarting in 1 s")
        output.wait_for(r"exited with 3 after 0 s; restarting in 2 s", timeout=10)
        wrapper.send_signal(signal.SIGINT)  # during the delay: stops at once
        assert wrapper.wait(timeout=5) == 3
    finally:
        stop(wrapper)


@pytest.mark.slow
def test_under_honcho_the_platform_stays_up_when_one_process_dies(tmp_path):
    server = shlex.join(SERVER)
    (tmp_path / "Procfile").write_text(
        f"crashy: {RESPAWN} {server}\nsteady: {RESPAWN} {server}\n",
    )
    honcho = Path(sys.executable).parent / "honcho"
    process, output = start([str(honcho), "start", "-f", str(tmp_path / "Procfile"), "-d", str(ROOT)])
    try:
        pids = {}
        for _ in range(2):
            match = output.wait_for(r"(crashy|steady)\.1\s*\| started (\d+)")
            pids[match.group(1)] = int(match.group(2))
        os.kill(pids["crashy"], signal.SIGKILL)
        again = int(output.wait_for(r"crashy\.1\s*\| started (\d+)").group(1))
        assert again != pids["crashy"] and alive(again)
        assert process.poll() is None, "honcho stopped the platform"
        assert alive(pids["steady"])
        # Ctrl-C (SIGINT to honcho) still stops everything.
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) is not None
        time.sleep(0.5)
        assert not alive(again) and not alive(pids["steady"])
    finally:
        stop(process)


def test_every_procfile_process_runs_under_the_wrapper():
    lines = [line for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()]
    assert lines and all(line.split(": ", 1)[1].startswith("scripts/respawn.py ") for line in lines)
    assert os.access(RESPAWN, os.X_OK)
