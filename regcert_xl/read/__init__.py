"""Exports -> canonical tables. CSV, XLSX/XLSM and OData JSON; no Excel writing here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from regcert_xl.model.fields import alias_index
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.profiles import all_aliases
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.read.csv_reader import read_csv
from regcert_xl.read.grid import RawTable
from regcert_xl.read.guard import check_file, check_workbook_package, not_a_package
from regcert_xl.read.normalise import concat_raw, normalise
from regcert_xl.read.odata_reader import read_odata
from regcert_xl.read.xlsx_reader import read_xlsx

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LEGACY_SUFFIXES = (".xls", ".xlsb", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")

__all__ = ["read_table", "read_raw"]


def read_raw(path: Path, record: str, settings: Settings, sheet: str | None = None) -> RawTable:
    """One file's cells, chosen by its extension and checked before parsing."""
    path = Path(path)
    head = check_file(path, settings)
    suffix = path.suffix.lower()
    aliases = alias_index(record, all_aliases(record), settings.column_aliases)
    if suffix in WORKBOOK_SUFFIXES:
        check_workbook_package(path, head, settings)
        return read_xlsx(path, record, aliases, sheet, settings.max_sheet_cells)
    if suffix in LEGACY_SUFFIXES:
        problem = not_a_package(path, head) if suffix != ".ods" else None
        raise UnusableInput.file(path, problem if problem and not problem.startswith("not a workbook") else
                                 f"{suffix} files are not read: save the export as .xlsx or .csv")
    data = path.read_bytes()
    if suffix == ".json":
        return read_odata(path, data, record)
    if suffix in CSV_SUFFIXES or not suffix:
        if head.startswith(b"PK\x03\x04"):
            raise UnusableInput.file(path, "this is a workbook with a CSV name: rename it to .xlsx")
        return read_csv(path, data, aliases)
    raise UnusableInput.file(path, f"unknown file type '{suffix}': give a .csv, .xlsx, .xlsm or .json export")


def read_table(paths: Path | str | Sequence[Path | str], record: str, settings: Settings | None = None,
               sheet: str | None = None, source: str | None = None) -> Table:
    """Read one or several files (pages) of ``record`` ("qualifications" or "assessments");
    ``source`` names the system that made them (a profile name), else it is detected."""
    settings = settings or Settings()
    if isinstance(paths, str | Path):
        paths = [paths]
    raws = [read_raw(Path(p), record, settings, sheet) for p in paths]
    return normalise(concat_raw(raws), record, settings, source)
