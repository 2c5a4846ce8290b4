"""Checks made before a file is parsed, so hostile or broken files are refused cheaply.

Workbooks are zip packages: the central directory is read (never the parts) to refuse
packages that unpack too large or too tightly (zip bombs), and the head of each XML part
is scanned for DTDs, which Office files never carry (entity-expansion bombs).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import olefile
from defusedxml import DefusedXmlException, ElementTree

from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_MB = 1024 * 1024
_SMALL_PART = 4 * _MB  # tightly packed small parts are harmless


def check_file(path: Path, settings: Settings) -> bytes:
    """Exists, is a file, not empty, not too large. Returns the first bytes for sniffing."""
    if not path.exists():
        raise UnusableInput.file(path, "file not found")
    if not path.is_file():
        raise UnusableInput.file(path, "is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise UnusableInput.file(path, "the file is empty")
    if size > settings.max_input_mb * _MB:
        raise UnusableInput.file(
            path, f"the file is {size / _MB:,.0f} MB, over the {settings.max_input_mb} MB limit (max_input_mb)"
        )
    with path.open("rb") as fh:
        return fh.read(4096)


def not_a_package(path: Path, head: bytes) -> str | None:
    """Why a file given as a workbook is not an Office Open XML package (None when it is one):
    a password-protected workbook, an old binary .xls, a web page or XML with a workbook's name."""
    if head.startswith(OLE_MAGIC):
        if _ole_streams(path) & {"encryptedpackage", "encryptioninfo"}:
            return ("this workbook is password-protected: open it in Excel, remove the password "
                    "(File › Info › Protect Workbook) and save it again")
        return "this is an old-format .xls workbook (or password-protected): open it in Excel and save it as .xlsx"
    if head.startswith(ZIP_MAGIC):
        return None
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
        return "this is a web page or XML saved with a workbook name, not a workbook: open it in Excel and save it as .xlsx"
    return "not a workbook (.xlsx/.xlsm): the file is not an Excel package"


def _ole_streams(path: Path) -> set[str]:
    """The stream names of a compound file (empty when it cannot be read as one)."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # a damaged compound file: it is refused either way
        return set()


def check_workbook_package(path: Path, head: bytes, settings: Settings) -> None:
    """Refuse what is not a safe Office Open XML package, before any part is unpacked."""
    problem = not_a_package(path, head)
    if problem:
        raise UnusableInput.file(path, problem)
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise UnusableInput.file(path, "not an Excel workbook: the package has no workbook inside")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > _SMALL_PART and info.compress_size and (
                    info.file_size / info.compress_size > settings.max_compression_ratio
                ):
                    raise UnusableInput.file(
                        path,
                        f"part {info.filename} unpacks {info.file_size / info.compress_size:,.0f} times "
                        f"its packed size (limit {settings.max_compression_ratio}): refused as a zip bomb",
                    )
            if total > settings.max_unpacked_mb * _MB:
                raise UnusableInput.file(
                    path, f"the workbook unpacks to {total / _MB:,.0f} MB, over the "
                    f"{settings.max_unpacked_mb} MB limit (max_unpacked_mb)"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    _refuse_dtd(path, package, info)
    except zipfile.BadZipFile:
        raise UnusableInput.file(path, "the workbook is damaged (not a complete zip package): save it again from Excel") from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise UnusableInput.file(path, f"the workbook is damaged and cannot be opened ({type(exc).__name__})") from None


def check_sheet_area(path: Path, sheet: str, limit: int) -> None:
    """Refuse to read sheet ``sheet`` of the workbook when its used area is over ``limit`` cells
    (checked sheet by sheet, only for the sheets that are read)."""
    try:
        with zipfile.ZipFile(path) as package:
            part = _sheet_part(package, sheet)
            if part is not None:
                _refuse_huge_area(path, package, package.getinfo(part), limit, sheet)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, DefusedXmlException):
        raise UnusableInput.file(path, "the workbook is damaged: its list of sheets cannot be read") from None


def _sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    """The part holding sheet ``sheet`` (None when the workbook has no such sheet)."""
    from regcert_xl.ooxml.opc import NS, WORKBOOK_REL, parse_rels, rels_name

    book = next(r.target for r in parse_rels(package.read("_rels/.rels"), "") if r.type == WORKBOOK_REL)
    targets = {r.id: r.target for r in parse_rels(package.read(rels_name(book)), book)}
    for entry in ElementTree.fromstring(package.read(book)).findall("main:sheets/main:sheet", NS):
        if entry.get("name") == sheet:
            return targets.get(entry.get(f"{{{NS['r']}}}id"))
    return None


_ROW = re.compile(rb'<row\b[^>]*?\sr="(\d{1,9})"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d')  # cells right of column Z (rarer, so fewer matches)
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,9})"')


def _refuse_huge_area(path: Path, package: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, sheet: str) -> None:
    """A sheet's used area is what a reader allocates: one stray value at XFD1048576 makes it
    seventeen billion cells from a file of a few hundred bytes. Measured from the cells
    themselves (a sheet's stated dimension can be anything), streamed, before any reader runs."""
    last_row, widest, tail = 0, 1, b""
    try:
        with package.open(info) as part:
            while block := part.read(1 << 22):
                text = tail + block
                rows = _ROW.findall(text) or _CELL_ROW.findall(text)
                if rows:
                    last_row = max(last_row, max(int(r) for r in rows))
                for letters in set(_WIDE_CELL.findall(text)):
                    widest = max(widest, _column_number(letters))
                tail = text[-64:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise UnusableInput.file(path, f"the workbook is damaged: part {info.filename} is corrupt") from None
    widest = max(widest, 26 if last_row else 1)
    if last_row * widest > limit:
        raise UnusableInput.file(
            path, f"the {sheet} sheet uses an area of {last_row:,} rows by {widest:,} columns, more cells "
                  f"than regcert-xl reads (max_sheet_cells = {limit:,}): a stray value far from the table makes "
                  "it that big — press Ctrl+End in Excel to find it, delete those rows and columns, and save again")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _refuse_dtd(path: Path, package: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with package.open(info) as part:
            head = part.read(2048)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise UnusableInput.file(path, f"the workbook is damaged: part {info.filename} is corrupt") from None
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnusableInput.file(path, f"part {info.filename} declares a DTD, which Excel files never do: refused")
