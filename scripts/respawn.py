#!/usr/bin/env python3
"""Run a command and start it again whenever it exits, until told to stop.

    scripts/respawn.py gunicorn gridcenter.wsgi:application --bind ...

Under ``make run`` honcho stops every process as soon as one exits, so each Procfile line
runs under this wrapper: a crashed web, WebSocket, Celery or nginx process is started
again (after 1 s, doubling up to 30 s while it keeps failing; back to 1 s once a run
lasted a minute) and the rest of the platform stays up. SIGTERM, SIGINT or SIGHUP (Ctrl-C
in honcho, which signals the whole process group) stop the wrapper: it passes the signal
on, waits for the command and exits with its status. The containers of
docker-compose.yml do not use it: Docker restarts them (``restart: unless-stopped``).
Plain Python, standard library only.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_AFTER = 60.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Respawner:
    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.child: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.stop_signal = signal.SIGTERM

    def on_signal(self, signum: int, _frame: object) -> None:
        self.stop_signal = signal.Signals(signum)
        self.stopping.set()
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    def run(self) -> int:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self.on_signal)
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            try:
                self.child = subprocess.Popen(self.command)  # noqa: S603 (the Procfile's own command)
            except OSError as error:
                say(f"cannot start {self.command[0]}: {error}")
                return 127
            if self.stopping.is_set():  # a signal came while it was starting
                self.child.send_signal(self.stop_signal)
            code = exit_status(self.child.wait())
            if self.stopping.is_set():
                return code
            lasted = time.monotonic() - started
            delay = FIRST_DELAY if lasted >= STABLE_AFTER else delay
            name = f"{self.command[0]} (pid {self.child.pid})"
            say(f"{name} exited with {code} after {lasted:.0f} s; restarting in {delay:.0f} s")
            if self.stopping.wait(delay):
                return code
            delay = min(delay * 2, MAX_DELAY)


def exit_status(code: int) -> int:
    """A shell's exit status: 128 + N for a command killed by signal N."""
    return 128 - code if code < 0 else code


def say(message: str) -> None:
    print(f"respawn: {message}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    if not argv:
        say("usage: respawn.py COMMAND [ARGUMENT ...]")
        return 2
    return Respawner(argv).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
