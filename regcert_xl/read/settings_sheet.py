"""The Settings sheet of an existing workbook: the settings an administrator edited there."""

from __future__ import annotations

import zipfile
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings
from regcert_xl.model.sheets import SHEET_TABLES
from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import Package
from regcert_xl.ooxml.tables import find_sheets
from regcert_xl.read.guard import check_file, check_workbook_package
from regcert_xl.read.xlsx_reader import open_sheet

SHEET = "Settings"


def settings_rows(path: Path, settings: Settings | None = None) -> list[tuple[object, object]]:
    """(setting, value) pairs of the workbook's Settings table; [] when it has none."""
    path = Path(path)
    settings = settings or Settings()
    head = check_file(path, settings)
    check_workbook_package(path, head, settings)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = _settings_sheet(path)
        if sheet not in book.sheet_names:
            return []
        rows = open_sheet(path, book, sheet, settings.max_sheet_cells).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise UnusableInput.file(path, f"the workbook cannot be read ({exc})") from None
    start = next((i for i, r in enumerate(rows) if len(r) > 1 and r[0] == "Setting" and r[1] == "Value"), None)
    if start is None:
        return []
    pairs = []
    for row in rows[start + 1:]:
        if not row or row[0] in ("", None):
            break
        pairs.append((row[0], row[1] if len(row) > 1 else None))
    return pairs


def _settings_sheet(path: Path) -> str:
    """The sheet holding the Settings table (the admin may have renamed it), else "Settings"."""
    try:
        with Package.open(path, lazy=True) as pkg:
            return find_sheets(pkg, {SHEET: SHEET_TABLES[SHEET]}).get(SHEET, SHEET)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, xmlpart.ParseError):  # not a package we can map
        return SHEET
