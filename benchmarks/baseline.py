"""The in-house baseline: the same output cells written with pandas.to_excel through openpyxl,
one DataFrame per sheet — what a script built on pandas and openpyxl does.

    python -m benchmarks.baseline BUILT.xlsx  -> prints seconds
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from benchmarks.floor import output_cells


def baseline_seconds(built: Path) -> float:
    frames = {name: pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]]) if rows else pd.DataFrame()
              for name, rows in output_cells(built).items()}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, pd.ExcelWriter(Path(tmp) / "baseline.xlsx", engine="openpyxl") as out:
        for name, frame in frames.items():
            frame.to_excel(out, sheet_name=name, index=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    print(f"{baseline_seconds(Path(sys.argv[1])):.3f}")
