"""``make bench``: run every benchmark module under bench/ and print its figures.

Each module ``bench/bench_*.py`` has a ``main()`` that prints its own figures; pass
module names (``python -m bench serving``) to run only some.
"""

import importlib
import pkgutil
import sys
import time
from pathlib import Path

import django


def main(argv: list[str]) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridcenter.settings")
    django.setup()
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    wanted = [f"bench_{name.removeprefix('bench_')}" for name in argv] or names
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").main()
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
