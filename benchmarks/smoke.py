"""Benchmark smoke run at S size (5,000 learners): build and refresh stay within twice the floor
measured in the same run — a ratio, so it holds on a slow machine, but still a wall-clock
measure, so it lives here rather than in the tests.

    python -m benchmarks.smoke             # exit 1 when either is over twice its floor
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.data import ensure
from benchmarks.run import AS_OF, PY, measure

CLI = [PY, "-m", "regcert_xl"]
LIMIT = 2.0


def ratios() -> dict[str, float]:
    """Build and refresh time at S size, each divided by its floor."""
    q, a = ensure("S")
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "RegCert.xlsx"
        build = measure([*CLI, "build", "-q", str(q), "-a", str(a), "--as-of", AS_OF, "-o", str(book)])[0]
        refresh = measure([*CLI, "refresh", str(book), "--as-of", AS_OF])[0]
        build_floor = float(measure([PY, "-m", "benchmarks.floor", str(q), str(a), str(book)])[2])
        refresh_floor = float(measure([PY, "-m", "benchmarks.floor", str(book), str(book)])[2])
    return {"build": build / build_floor, "refresh": refresh / refresh_floor}


def main() -> None:
    result = ratios()
    for command, ratio in result.items():
        print(f"{command}: {ratio:.2f} x the floor (limit {LIMIT:.1f})")
    if any(ratio > LIMIT for ratio in result.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
