"""Working-time arithmetic: deadlines per second on the database calendar (warm cache)."""

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from worktime import calendar
from worktime.choices import TimeLimitUnit

LIMITS = [(4, TimeLimitUnit.WORKING_HOURS), (1, TimeLimitUnit.WORKING_DAYS), (5, TimeLimitUnit.WORKING_DAYS),
          (20, TimeLimitUnit.WORKING_DAYS), (2, TimeLimitUnit.NATURAL_HOURS)]  # fmt: skip


def main() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    rng = random.Random(4)
    base = datetime(2025, 1, 1, tzinfo=tz)
    starts = [base + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)) for _ in range(20_000)]
    calendar.clear_cache()
    started = time.perf_counter()
    calendar.deadline(starts[0], 1, TimeLimitUnit.WORKING_DAYS)
    print(f"first deadline (loads a year from the database): {(time.perf_counter() - started) * 1000:.1f} ms")
    for amount, unit in LIMITS:
        started = time.perf_counter()
        for start in starts:
            calendar.deadline(start, amount, unit)
        elapsed = time.perf_counter() - started
        print(f"deadline {amount} {unit.value:>13}: {len(starts) / elapsed:>9,.0f} per second")
    started = time.perf_counter()
    for start in starts[:5000]:
        calendar.working_time_between(start, start + timedelta(days=30))
    print(f"working_time_between over 30 days: {5000 / (time.perf_counter() - started):,.0f} per second")
