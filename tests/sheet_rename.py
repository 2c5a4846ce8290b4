"""Rename a sheet of a workbook file the way Excel does: the sheet's name in workbook.xml and
every defined name that points at it (its tables, formulas elsewhere and the package are left
as they are)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from regcert_xl.ooxml import xmlpart


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def rename_sheet(book: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    data = parts["xl/workbook.xml"]
    sheet = next(n for n in xmlpart.find(data, "sheets", "sheet") if n.get("name") == old)
    data = xmlpart.set_attribute(data, sheet, "name", new)
    edits = []
    for dn in xmlpart.find(data, "definedNames", "definedName"):
        start = dn.open_end
        end = data.rindex(b"</", start, dn.end)
        text = data[start:end].decode()
        fixed = text.replace(_quoted(old) + "!", xmlpart.escape(_quoted(new)) + "!").replace(old + "!", _quoted(new) + "!")
        if fixed != text:
            edits.append((start, end, fixed.encode()))
    parts["xl/workbook.xml"] = xmlpart.splice(data, edits)
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
