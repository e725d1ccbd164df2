"""``manage.py simulate``: keep the wall screen alive with a city at work (dashboard/simulation.py)."""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError

from dashboard.rollups import fold
from dashboard.simulation import Cast, Simulator


class Command(BaseCommand):
    help = (
        "Simulate the city at work through the real domain functions: grid workers report, the centre "
        "dispatches and reviews, departments handle, leaders urge."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rate", type=float, default=30.0, help="Actions per minute (default 30).")
        parser.add_argument("--duration", type=float, default=0.0, help="Seconds to run (default: until stopped).")
        parser.add_argument("--steps", type=int, default=0, help="Stop after this many actions (default: no limit).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for a repeatable run.")

    def handle(self, *args, rate: float, duration: float, steps: int, seed: int | None, **options):
        if rate <= 0 or rate > 60_000:
            raise CommandError("--rate must be between 0 and 60000 actions per minute.")
        if duration < 0 or steps < 0:
            raise CommandError("--duration and --steps cannot be negative.")
        rng = random.Random(seed)  # noqa: S311 - a simulation, not a secret
        try:
            simulator = Simulator(Cast.load(), rng)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Simulating {rate:g} actions per minute; Ctrl-C stops.")
        started = time.monotonic()
        next_at = started
        last_report = started
        taken = 0
        try:
            while (not duration or time.monotonic() - started < duration) and (not steps or taken < steps):
                # Poisson arrivals at the chosen rate: the screen sees bursts and lulls, as in life.
                next_at += rng.expovariate(rate / 60.0)
                pause = next_at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                outcome = simulator.step()
                taken += 1
                if options["verbosity"] > 1:
                    self.stdout.write(outcome)
                if time.monotonic() - last_report > 30:
                    fold()
                    last_report = time.monotonic()
                    self.stdout.write(self.summary(simulator, taken))
        except KeyboardInterrupt:
            pass
        fold()
        self.stdout.write(self.summary(simulator, taken))

    @staticmethod
    def summary(simulator: Simulator, taken: int) -> str:
        done = ", ".join(f"{name} {count}" for name, count in sorted(simulator.done.items()))
        return f"{taken} actions: {done or 'none'}"
