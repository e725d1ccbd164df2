"""Servers and workers that tests start as processes of their own (daphne, a Celery worker).

Every child process works on this test run's stores: the test database (``test_<name>``,
made by pytest-django) and the tests' Redis database, never the development ones. Its
output goes to a log file, not a pipe: a pipe nobody reads fills up and blocks the child.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def child_environment() -> dict[str, str]:
    """``os.environ`` for a child process, pointed at the test database and Redis database.

    Call it once the test database exists (after ``django_db_setup``): before, the
    connection still names the development database.
    """
    database = connection.settings_dict["NAME"]
    parts = urlsplit(settings.DATABASE_URL)
    return {
        **os.environ,
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{database}")),
        "REDIS_URL": settings.REDIS_URL,
        # The child closes its connections after each request or task, so that the test
        # database can be dropped at the end of the run.
        "DB_CONN_MAX_AGE": "0",
    }


def render_nginx(prefix: Path, variables: dict[str, str]) -> Path:
    """deploy/nginx.conf.template filled as scripts/run-nginx.sh fills it (envsubst of every
    ``${NAME}``: a name missing from ``variables`` is a KeyError, not a broken config)."""
    import re

    text = (Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf.template").read_text()
    text = re.sub(r"\$\{([A-Z_]+)\}", lambda match: variables[match.group(1)], text)
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    (prefix / "tmp").chmod(0o1777)
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    return conf


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


class ChildProcess:
    """``python -m <command>`` in the project's directory, with its output in a log file.

    ``start()`` returns once ``ready()`` is true, or raises with the end of the log. It may
    be stopped and started again; the log keeps every run.
    """

    def __init__(self, name: str, args: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.name = name
        self.args = [sys.executable, "-m", *args]
        self.env = env if env is not None else child_environment()
        handle, path = tempfile.mkstemp(prefix=f"gridcenter-test-{name}-", suffix=".log")
        os.close(handle)
        self.log_path = Path(path)
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self, ready: Callable[[], bool], timeout: float = 60) -> None:
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                self.args, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while not ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} was not ready in {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_bytes().decode(errors="replace")[-chars:]

    def close(self) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)


class Daphne(ChildProcess):
    """daphne serving ``gridcenter.asgi`` on a free port (pytest-django's live_server is WSGI only)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        args = ["daphne", "-b", "127.0.0.1", "-p", str(self.port), "gridcenter.asgi:application"]
        super().__init__("daphne", args, env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready: Callable[[], bool] | None = None, timeout: float = 30) -> None:
        super().start(ready or (lambda: listens(self.port)), timeout)


class CeleryWorker(ChildProcess):
    """A solo-pool Celery worker with a name of its own: only its answer to a ping counts,
    not that of another worker that may listen on the same Redis database."""

    def __init__(self, *, include: Sequence[str] = ()) -> None:
        self.hostname = f"gridcenter-tests-{os.getpid()}-{time.monotonic_ns()}@{socket.gethostname()}"
        args = ["celery", "--app", "gridcenter", "worker", "--pool", "solo", "--loglevel", "WARNING"]
        args += ["--hostname", self.hostname, "--without-mingle", "--without-gossip"]
        if include:
            args += ["--include", ",".join(include)]
        super().__init__("celery-worker", args)

    def answers(self) -> bool:
        from gridcenter.celery import app

        return bool(app.control.ping(destination=[self.hostname], timeout=0.5))

    def start(self, ready: Callable[[], bool] | None = None, timeout: float = 60) -> None:
        super().start(ready or self.answers, timeout)


class RedisServer:
    """A private ``redis-server`` on a free port, without persistence: a test may stop and
    restart it (losing everything, as a Redis without persistence does) without touching the
    Redis that other test runs share."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        handle, path = tempfile.mkstemp(prefix="gridcenter-test-redis-", suffix=".log")
        os.close(handle)
        self.log_path = Path(path)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not listens(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start:\n{self.log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)
