#!/usr/bin/env python3
"""Run a command and start it again whenever it exits, until told to stop.

    scripts/respawn.py gunicorn gridcenter.wsgi:application --bind ...

Under ``make run`` honcho stops every process as soon as one exits, so each Procfile line
runs under this wrapper: a crashed web, WebSocket, Celery or nginx process is started
again (after 1 s, doubling up to 30 s while it keeps failing; back to 1 s once a run
lasted a minute) and the rest of the platform stays up. What a dead process leaves
behind (nginx's or gunicorn's workers, still holding the port) is adopted by the wrapper
(a Linux child subreaper) and ended before the restart. SIGTERM, SIGINT or SIGHUP (Ctrl-C
in honcho, which signals the whole process group) stop the wrapper: it passes the signal
on, waits for the command and exits with its status. The containers of
docker-compose.yml do not use it: Docker restarts them (``restart: unless-stopped``).
Plain Python, standard library only.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_AFTER = 60.0
LEFTOVER_GRACE = 5.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
PR_SET_CHILD_SUBREAPER = 36


class Respawner:
    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.pid: int | None = None  # the running command's
        self.stopping = threading.Event()
        self.stop_signal = signal.SIGTERM

    def on_signal(self, signum: int, _frame: object) -> None:
        self.stop_signal = signal.Signals(signum)
        self.stopping.set()
        if self.pid is not None:
            signal_quietly(self.pid, signum)

    def run(self) -> int:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self.on_signal)
        become_subreaper()
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            try:
                child = subprocess.Popen(self.command)  # noqa: S603 (the Procfile's own command)
            except OSError as error:
                say(f"cannot start {self.command[0]}: {error}")
                return 127
            self.pid = child.pid
            if self.stopping.is_set():  # a signal came while it was starting
                signal_quietly(child.pid, self.stop_signal)
            code = wait_for(child.pid)
            self.pid = None
            child.returncode = code  # reaped here, not by Popen
            end_leftovers()
            if self.stopping.is_set():
                return code
            lasted = time.monotonic() - started
            delay = FIRST_DELAY if lasted >= STABLE_AFTER else delay
            name = f"{self.command[0]} (pid {child.pid})"
            say(f"{name} exited with {code} after {lasted:.0f} s; restarting in {delay:.0f} s")
            if self.stopping.wait(delay):
                return code
            delay = min(delay * 2, MAX_DELAY)


def become_subreaper() -> None:
    """Orphans of the command (workers of a killed master) become this process's children."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: leftovers are not collected


def wait_for(pid: int) -> int:
    """Reap children (adopted orphans too) until ``pid`` exits; its shell-style exit status."""
    while True:
        try:
            reaped, status = os.wait()
        except ChildProcessError:
            return 0
        if reaped == pid:
            code = os.waitstatus_to_exitcode(status)
            return 128 - code if code < 0 else code


def adopted() -> list[int]:
    """This process's children: after the command exited, only what it left behind."""
    me, pids = os.getpid(), []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == me:
            pids.append(int(entry))
    return pids


def end_leftovers() -> None:
    """SIGTERM what the command left behind, SIGKILL what is still there after a grace time."""
    leftovers = adopted()
    for pid in leftovers:
        signal_quietly(pid, signal.SIGTERM)
    deadline = time.monotonic() + LEFTOVER_GRACE
    while leftovers and time.monotonic() < deadline:
        reap_finished()
        leftovers = adopted()
        time.sleep(0.05)
    for pid in leftovers:
        say(f"pid {pid}, left by the command, did not stop: killing it")
        signal_quietly(pid, signal.SIGKILL)
    deadline = time.monotonic() + 1
    while adopted() and time.monotonic() < deadline:
        reap_finished()
        time.sleep(0.02)


def reap_finished() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def signal_quietly(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def say(message: str) -> None:
    print(f"respawn: {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    if not argv:
        say("usage: respawn.py COMMAND [ARGUMENT ...]")
        return 2
    return Respawner(argv).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
