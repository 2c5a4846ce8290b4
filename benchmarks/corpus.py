"""Time limit for the adversarial corpus (tests/corpus.py): every case gets its answer from
``regcert-xl validate`` within 10 seconds. Wall time depends on the machine and its load, so this
is a benchmark, not a test; tests/test_corpus.py checks the answers and the memory.

    python -m benchmarks.corpus            # every case; exit 1 when any is over the limit
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.corpus import CASES

SECONDS = 10


def run() -> list[tuple[str, float]]:
    """(case, wall seconds of ``validate``) for every corpus case, each in its own process."""
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for name, case in CASES.items():
            path = case.make(Path(folder))
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "regcert_xl", "validate", "-q", str(path), "--format", "csv"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            timings.append((name, time.perf_counter() - start))
    return timings


def main() -> None:
    timings = run()
    for name, seconds in timings:
        print(f"{seconds:6.1f} s  {'OVER ' if seconds >= SECONDS else ''}{name}")
    if any(seconds >= SECONDS for _name, seconds in timings):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
