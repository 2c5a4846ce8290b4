"""Checks made before a file is parsed, so hostile or broken files are refused cheaply.

Workbooks are zip packages: the central directory is read (never the parts) to refuse
packages that unpack too large or too tightly (zip bombs), and the head of each XML part
is scanned for DTDs, which Office files never carry (entity-expansion bombs).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

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


def check_workbook_package(path: Path, head: bytes, settings: Settings) -> None:
    """Refuse what is not a safe Office Open XML package, before any part is unpacked."""
    if head.startswith(OLE_MAGIC):
        raise UnusableInput.file(
            path,
            "this workbook is password-protected or in the old .xls format: "
            "remove the password or save it as .xlsx in Excel",
        )
    if not head.startswith(ZIP_MAGIC):
        lowered = head[:512].lstrip().lower()
        if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
            raise UnusableInput.file(path, "this is a web page or XML saved with a workbook name, not a workbook: save it as .xlsx in Excel")
        raise UnusableInput.file(path, "not a workbook (.xlsx/.xlsm): the file is not an Excel package")
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


def _refuse_dtd(path: Path, package: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with package.open(info) as part:
            head = part.read(2048)
    except zipfile.BadZipFile:
        raise UnusableInput.file(path, f"the workbook is damaged: part {info.filename} is corrupt") from None
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnusableInput.file(path, f"part {info.filename} declares a DTD, which Excel files never do: refused")
