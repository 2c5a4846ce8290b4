"""The floor a command is measured against, in one process: read the same inputs with the fastest
reader, and write the same output cells — every cell of every sheet of the built workbook, read
beforehand, untimed — with XlsxWriter in constant-memory mode.

A build's inputs are the exports (pandas' C CSV reader); a refresh's input is the workbook itself
(python-calamine reading its two record sheets).

    python -m benchmarks.floor QUALS.csv ASSESS.csv BUILT.xlsx  -> build floor in seconds
    python -m benchmarks.floor BUILT.xlsx BUILT.xlsx            -> refresh floor in seconds
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import xlsxwriter
from python_calamine import CalamineWorkbook


def output_cells(book: Path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(book))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def floor_seconds(inputs: list[Path], built: Path) -> float:
    cells = output_cells(built)
    start = time.perf_counter()
    for path in inputs:
        if path.suffix == ".csv":
            pd.read_csv(path, dtype=str, keep_default_na=False)
        else:
            book = CalamineWorkbook.from_path(str(path))
            for sheet in ("Qualifications", "Assessments"):
                book.get_sheet_by_name(sheet).to_python()
    with tempfile.TemporaryDirectory() as tmp:
        book = xlsxwriter.Workbook(str(Path(tmp) / "floor.xlsx"),
                                   {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        for name, rows in cells.items():
            ws = book.add_worksheet(name)
            for r, row in enumerate(rows):
                ws.write_row(r, 0, row)
        book.close()
    return time.perf_counter() - start


if __name__ == "__main__":
    *inputs, built = (Path(a) for a in sys.argv[1:])
    print(f"{floor_seconds(inputs, built):.3f}")
