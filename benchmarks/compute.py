"""The compute part of a build, without I/O: validation, flags and every report's frames, timed
in-process after the exports have been read — the best of five runs (the machine's noise only
ever adds time).

    python -m benchmarks.compute QUALS.csv ASSESS.csv  -> prints seconds
"""

from __future__ import annotations

import sys
import time

from regcert_xl import api
from regcert_xl.jobs import sheets as build


def compute_seconds(qualifications: str, assessments: str, runs: int = 5) -> float:
    inputs = api.load(qualifications, assessments, as_of="2026-11-23")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        ev = build.evaluate_for_workbook(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of)
        build.build_sections(ev)
        times.append(time.perf_counter() - start)
    return min(times)


if __name__ == "__main__":
    print(f"{compute_seconds(sys.argv[1], sys.argv[2]):.3f}")
