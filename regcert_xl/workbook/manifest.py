"""What regcert-xl owns in a workbook, recorded in its custom document properties (which Excel
keeps on save): the generated sheets, and the generated columns of the record sheets."""

from __future__ import annotations

from dataclasses import dataclass, field

from defusedxml import ElementTree
from xlsxwriter.workbook import Workbook

from regcert_xl import __version__

PREFIX = "regcert-xl"
CUSTOM_PART = "docProps/custom.xml"
SEP = "|"


@dataclass
class Manifest:
    version: str = __version__
    sheets: list[str] = field(default_factory=list)  # generated sheets, in order
    generated: dict[str, list[str]] = field(default_factory=dict)  # record sheet -> generated headers
    # not stored: where regcert-xl's sheets are in this workbook (its name -> the admin's, found by tables)
    names: dict[str, str] = field(default_factory=dict)

    def sheet(self, name: str) -> str:
        """The name the sheet regcert-xl calls ``name`` has in this workbook."""
        return self.names.get(name, name)

    def write(self, book: Workbook) -> None:
        book.set_custom_property(PREFIX, self.version)
        book.set_custom_property(f"{PREFIX} sheets", SEP.join(self.sheets))
        for sheet, headers in self.generated.items():
            book.set_custom_property(f"{PREFIX} generated {sheet}", SEP.join(headers))
            # also as a defined name: Excel's object model (and so the buttons) can read it
            book.define_name(f"RegCertGenerated{sheet}", '="' + SEP.join(headers).replace('"', '""') + '"')

    @classmethod
    def read(cls, custom_xml: bytes | None) -> Manifest | None:
        """The manifest of a workbook regcert-xl built, or None."""
        if not custom_xml:
            return None
        root = ElementTree.fromstring(custom_xml)
        props = {}
        for prop in root:
            value = next(iter(prop), None)
            props[prop.get("name")] = value.text if value is not None else ""
        if PREFIX not in props:
            return None
        generated = {name.removeprefix(f"{PREFIX} generated "): (value or "").split(SEP)
                     for name, value in props.items() if name.startswith(f"{PREFIX} generated ")}
        sheets = (props.get(f"{PREFIX} sheets") or "").split(SEP)
        return cls(props[PREFIX] or "", [s for s in sheets if s], generated)
