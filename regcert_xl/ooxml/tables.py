"""Which sheet holds which Excel Table: an admin may rename a sheet, but its tables keep their
names, so regcert-xl finds its sheets by their tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from defusedxml import ElementTree

from regcert_xl.model.sheets import sheet_roles
from regcert_xl.ooxml.opc import Package


def table_sheets(pkg: Package) -> dict[str, str]:
    """Table name -> the name of the sheet it is on."""
    out: dict[str, str] = {}
    for sheet, part in pkg.sheets.items():
        for rel in pkg.rels(part):
            if rel.kind == "table" and not rel.external and rel.target in pkg.parts:
                try:
                    name = ElementTree.fromstring(pkg.parts[rel.target]).get("name")
                except ElementTree.ParseError:  # a part we cannot read names no table: the sheet's name decides
                    continue
                if name:
                    out.setdefault(name, sheet)
    return out


def find_sheets(pkg: Package, tables: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """For each sheet regcert-xl names (key), the sheet that holds one of its ``tables`` now —
    else the sheet of that name; sheets found neither way are left out."""
    return sheet_roles(table_sheets(pkg), pkg.sheets, tables)
