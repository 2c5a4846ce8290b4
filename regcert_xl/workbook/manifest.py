"""What regcert-xl owns in a workbook, recorded in its custom document properties (which Excel
keeps on save): the generated sheets, the generated columns of the record sheets, and the
workbook's identity — a GUID made when it is built, kept by every refresh, import and Save As —
with the history store that holds its audit trail (once it has one)."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree
from xlsxwriter.workbook import Workbook

from regcert_xl import __version__
from regcert_xl.ooxml import xmlpart

PREFIX = "regcert-xl"
ID = f"{PREFIX} id"
HISTORY = f"{PREFIX} history"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CUSTOM_PART = "docProps/custom.xml"
SEP = "|"
EXCEL_PROPERTY_UNITS = 255  # Excel trims a longer custom property value (in UTF-16 units) on save


def _units(text: str) -> int:
    """The length Excel counts: UTF-16 code units (a character beyond U+FFFF is two)."""
    return len(text.encode("utf-16-le")) // 2


def pieces(name: str, value: str) -> list[tuple[str, str]]:
    """A property value as Excel keeps it: in pieces of at most 255 UTF-16 units, never
    splitting a character, the first under ``name``, the rest under ``name (2)``, ``name (3)``…
    Every piece but the last is full (255 units, or 254 before a character of two), so a reader
    knows a piece continues only while it is full (see :func:`joined`)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for ch in value:  # a short text (a path), not records
        width = 2 if ord(ch) > 0xFFFF else 1
        if size + width > EXCEL_PROPERTY_UNITS:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += width
    chunks.append("".join(current))
    return [(name if i == 0 else f"{name} ({i + 1})", chunk) for i, chunk in enumerate(chunks)]


def _full(piece: str) -> bool:
    return _units(piece) >= EXCEL_PROPERTY_UNITS - 1


def chain(name: str, props: dict[str, str]) -> list[str]:
    """The names of the pieces ``name``'s value is kept in: ``name``, then ``name (2)``… for as
    long as the piece before is full — a property of the admin's that merely looks like a piece
    is not taken for one."""
    names = [name]
    while _full(props[names[-1]]) and f"{name} ({len(names) + 1})" in props:
        names.append(f"{name} ({len(names) + 1})")
    return names


def joined(props: dict[str, str], name: str) -> str | None:
    """The value :func:`pieces` kept ``name`` in, put back together (None when there is none)."""
    return "".join(props[n] for n in chain(name, props)) if name in props else None


@dataclass
class Manifest:
    version: str = __version__
    sheets: list[str] = field(default_factory=list)  # generated sheets, in order
    generated: dict[str, list[str]] = field(default_factory=dict)  # record sheet -> generated headers
    id: str = ""  # the workbook's identity (a GUID)
    history: str = ""  # the history store its audit trail is in ("" until it has one)
    # not stored: where regcert-xl's sheets are in this workbook (its name -> the admin's, found by tables)
    names: dict[str, str] = field(default_factory=dict)

    def sheet(self, name: str) -> str:
        """The name the sheet regcert-xl calls ``name`` has in this workbook."""
        return self.names.get(name, name)

    def write(self, book: Workbook) -> None:
        values = {PREFIX: self.version, ID: self.id, HISTORY: self.history, f"{PREFIX} sheets": SEP.join(self.sheets)}
        values |= {f"{PREFIX} generated {sheet}": SEP.join(headers) for sheet, headers in self.generated.items()}
        for name, value in values.items():
            if value or name not in (ID, HISTORY):
                for piece, text in pieces(name, value):
                    book.set_custom_property(piece, text)
        for sheet, headers in self.generated.items():
            # also as a defined name: Excel's object model (and so the buttons) can read it
            book.define_name(f"RegCertGenerated{sheet}", '="' + SEP.join(headers).replace('"', '""') + '"')

    @classmethod
    def read(cls, custom_xml: bytes | None) -> Manifest | None:
        """The manifest of a workbook regcert-xl built, or None."""
        if not custom_xml:
            return None
        props = _text_properties(custom_xml)
        if PREFIX not in props:
            return None
        continued = {piece for name in props if name.startswith(PREFIX) for piece in chain(name, props)[1:]}
        ours = {name: joined(props, name) or "" for name in props if name.startswith(PREFIX) and name not in continued}
        generated = {name.removeprefix(f"{PREFIX} generated "): value.split(SEP)
                     for name, value in ours.items() if name.startswith(f"{PREFIX} generated ")}
        sheets = ours.get(f"{PREFIX} sheets", "").split(SEP)
        return cls(ours[PREFIX], [s for s in sheets if s], generated, ours.get(ID, ""), ours.get(HISTORY, ""))


def new_id() -> str:
    return "{" + str(uuid.uuid4()).upper() + "}"


def workbook_manifest(book: Path) -> Manifest | None:
    """The manifest of a workbook file (its identity included), or None when there is no such
    file or regcert-xl did not make it."""
    try:
        with zipfile.ZipFile(book) as z:
            return Manifest.read(z.read(CUSTOM_PART))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None


def with_properties(custom_xml: bytes, values: dict[str, str]) -> bytes:
    """docProps/custom.xml with text properties set (changed in place, else added), each in
    pieces Excel keeps whole (see :func:`pieces`); pieces an earlier, longer value left are removed."""
    for name, value in values.items():
        before = _text_properties(custom_xml)
        old = chain(name, before) if name in before else []
        wanted = pieces(name, value)
        for piece, text in wanted:
            custom_xml = _set_text_property(custom_xml, piece, text)
        stale = set(old[len(wanted):])
        found = xmlpart.find(custom_xml, "property")
        custom_xml = xmlpart.splice(custom_xml, [(p.start, p.end, b"") for p in found if p.get("name") in stale])
    return custom_xml


def _text_properties(custom_xml: bytes) -> dict[str, str]:
    root = ElementTree.fromstring(custom_xml)
    return {prop.get("name") or "": "".join(prop.itertext()) for prop in root}


def _set_text_property(custom_xml: bytes, name: str, value: str) -> bytes:
    found = xmlpart.nodes(custom_xml)
    props = xmlpart.find(found, "property")
    mine = next((p for p in props if p.get("name") == name), None)
    text = next((n for n in found if mine is not None and mine.start < n.start < mine.end), None)
    if text is not None:
        return xmlpart.splice(custom_xml, [(text.start, text.end, xmlpart.element("vt:lpwstr", None, value))])
    pid = max((int(p.get("pid") or 1) for p in props), default=1) + 1
    element = (xmlpart.element("property", {"fmtid": FMTID, "pid": str(pid), "name": name})[:-2] + b">"
               + xmlpart.element("vt:lpwstr", None, value) + b"</property>")
    return xmlpart.append_child(custom_xml, found[0], element)
