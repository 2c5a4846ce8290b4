"""The adversarial input corpus: hostile and broken files, made by code (nothing binary is
committed). Each case says what the tool must answer: exit code 2 with one line naming the file,
or — where the data is readable — the issues it finds (exit 1, or 0 when they are only warnings).

    CASES["zip bomb"].make(folder) -> Path
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from regcert_xl.workbook.vba.cfb import write_cfb

ULN = "1000000043"
HEADER = ["Learner Reference", "ULN", "First Name", "Last Name", "Qualification", "Qualification Number",
          "Status", "Registration Date", "Registration Number", "Awarding Body"]
RECORD = ["L001", ULN, "Ann", "Smith", "EPA Knowledge Test", "ST0384-KT", "Registered", "15/01/2026", "R123",
          "NCFE"]


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    exits: tuple[int, ...]  # the exit codes that are right
    says: str  # words the answer contains (stderr for exit 2, the issue list otherwise)


def _csv(rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return f'"{v}"' if any(ch in v for ch in ',"\n') else v

    return "".join(",".join(cell(v) for v in row) + "\r\n" for row in rows)


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _xlsx(path: Path, rows: list[list[object]], merge: str | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Qualifications")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    if merge:
        sheet.merge_range(merge, rows[0][0])
    book.close()
    return path


def _package(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _minimal_parts(sheet_xml: bytes) -> dict[str, bytes]:
    """A valid one-sheet package around ``sheet_xml``."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Qualifications" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>').encode(),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }


def _sheet(rows_xml: str, doctype: str = "") -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{main}"><sheetData>{rows_xml}'
            "</sheetData></worksheet>").encode()


def _inline_row(r: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


def _good_xlsx(path: Path) -> Path:
    return _xlsx(path, [HEADER, RECORD])


def truncated(folder: Path) -> Path:
    data = _good_xlsx(folder / "good.xlsx").read_bytes()
    return _write(folder / "truncated.xlsx", data[: len(data) * 2 // 3])


def corrupted(folder: Path) -> Path:
    """A whole package whose sheet part's compressed bytes were damaged (its checksum fails)."""
    good = _good_xlsx(folder / "good.xlsx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + min(info.compress_size, 60)):
        data[i] ^= 0x5A
    return _write(folder / "corrupted.xlsx", bytes(data))


def password_protected(folder: Path) -> Path:
    """What Excel writes for a workbook with a password to open: a compound file holding the
    encrypted package."""
    streams = {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + bytes(200),
               "EncryptedPackage": random.Random(3).randbytes(9000)}
    return _write(folder / "locked.xlsx", write_cfb(streams))


def legacy_xls(folder: Path) -> Path:
    return _write(folder / "export.xls", write_cfb({"Workbook": b"\x09\x08\x10\x00" + bytes(5000)}))


def html_as_xls(folder: Path) -> Path:
    table = "".join(f"<td>{h}</td>" for h in HEADER)
    return _write(folder / "report.xls", f"<html><body><table><tr>{table}</tr></table></body></html>")


def xml_bomb(folder: Path) -> Path:
    """Billion laughs in a sheet part."""
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    sheet = _sheet(_inline_row(1, ["&a9;"]), f"<!DOCTYPE worksheet [{entities}]>")
    return _package(folder / "laughs.xlsx", _minimal_parts(sheet))


def zip_bomb(folder: Path) -> Path:
    """A sheet part of 1 GiB that packs to about 1 MB."""
    path = folder / "bomb.xlsx"
    parts = _minimal_parts(b"")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b" " * (1 << 24)
            for _ in range(64):
                part.write(block)
    return path


def huge_cell_csv(folder: Path) -> Path:
    long_note = "x" * 2_000_000
    return _write(folder / "huge.csv", _csv([[*HEADER, "Tutor Notes"], [*RECORD, long_note]]))


def huge_cell_xlsx(folder: Path) -> Path:
    """A 40,000-character cell (more than Excel itself allows) written straight into the XML."""
    sheet = _sheet(_inline_row(1, [*HEADER, "Tutor Notes"]) + _inline_row(2, [*RECORD, "y" * 40_000]))
    return _package(folder / "huge.xlsx", _minimal_parts(sheet))


def widest_xlsx(folder: Path) -> Path:
    """A header in the last column Excel has (XFD, the 16,384th)."""
    header = _inline_row(1, HEADER)[:-6] + '<c r="XFD1" t="inlineStr"><is><t>Far Away</t></is></c></row>'
    record = _inline_row(2, RECORD)[:-6] + '<c r="XFD2" t="inlineStr"><is><t>edge</t></is></c></row>'
    return _package(folder / "wide.xlsx", _minimal_parts(_sheet(header + record)))


def widest_csv(folder: Path) -> Path:
    extra = [f"Extra {i}" for i in range(16_384 - len(HEADER))]
    return _write(folder / "wide.csv", _csv([HEADER + extra, RECORD + [""] * len(extra)]))


def tallest_xlsx(folder: Path) -> Path:
    """One record, and a stray value on the last row Excel has (1,048,576)."""
    sheet = _sheet(_inline_row(1, HEADER) + _inline_row(2, RECORD) + '<row r="1048576"><c r="A1048576" '
                   't="inlineStr"><is><t>stray</t></is></c></row>')
    return _package(folder / "tall.xlsx", _minimal_parts(sheet))


def tallest_csv(folder: Path) -> Path:
    """1,048,576 lines: the header, one record, and a sea of empty rows with a stray value at the end."""
    empty = "," * (len(HEADER) - 1) + "\r\n"
    body = _csv([HEADER, RECORD]) + empty * (1_048_576 - 3) + "stray" + "," * (len(HEADER) - 1) + "\r\n"
    return _write(folder / "tall.csv", body)


def farthest_cell(folder: Path) -> Path:
    """A table and one stray value in the very last cell (XFD1048576): a used area of seventeen
    billion cells from a file of under a kilobyte."""
    sheet = _sheet(_inline_row(1, HEADER) + _inline_row(2, RECORD) + '<row r="1048576"><c r="XFD1048576" '
                   't="inlineStr"><is><t>stray</t></is></c></row>')
    return _package(folder / "corner.xlsx", _minimal_parts(sheet))


def merged_header(folder: Path) -> Path:
    rows = [["Learner", None, *HEADER[2:]], RECORD]
    return _xlsx(folder / "merged.xlsx", rows, merge="A1:B1")


def duplicate_headers(folder: Path) -> Path:
    return _write(folder / "dupes.csv", _csv([[*HEADER, "ULN", "Status"], [*RECORD, "9999999999", "Achieved"]]))


def mixed_encodings(folder: Path) -> Path:
    text = _csv([HEADER, [*RECORD[:2], "Zoë", "Brontë", *RECORD[4:]]])
    data = text.encode("utf-8").replace("Zoë".encode(), "Zo\xeb".encode("cp1252"))
    return _write(folder / "mixed.csv", b"\xef\xbb\xbf" + data)


CASES: dict[str, Case] = {
    "empty CSV": Case(lambda f: _write(f / "empty.csv", b""), (2,), "the file is empty"),
    "empty workbook": Case(lambda f: _write(f / "empty.xlsx", b""), (2,), "the file is empty"),
    "empty JSON": Case(lambda f: _write(f / "empty.json", b""), (2,), "the file is empty"),
    "headers only CSV": Case(lambda f: _write(f / "header.csv", _csv([HEADER])), (0, 1), "NO_RECORDS"),
    "headers only workbook": Case(lambda f: _xlsx(f / "header.xlsx", [HEADER]), (0, 1), "NO_RECORDS"),
    "random bytes named .xlsx": Case(lambda f: _write(f / "noise.xlsx", random.Random(1).randbytes(20_000)),
                                     (2,), "not a workbook"),
    "truncated workbook": Case(truncated, (2,), "damaged"),
    "corrupted workbook": Case(corrupted, (2,), "damaged"),
    "password-protected workbook": Case(password_protected, (2,), "password-protected"),
    "legacy .xls": Case(legacy_xls, (2,), "old-format .xls"),
    "web page saved as .xls": Case(html_as_xls, (2,), "web page"),
    "XML bomb": Case(xml_bomb, (2,), "declares a DTD"),
    "zip bomb": Case(zip_bomb, (2,), "zip bomb"),
    "huge cell in a CSV": Case(huge_cell_csv, (0, 1), "TEXT_TOO_LONG"),
    "huge cell in a workbook": Case(huge_cell_xlsx, (0, 1), "TEXT_TOO_LONG"),
    "16,384 columns in a workbook": Case(widest_xlsx, (0, 1), "Far Away"),
    "16,384 columns in a CSV": Case(widest_csv, (0, 1), f"Extra {16_384 - len(HEADER) - 1}"),
    "1,048,576 rows in a workbook": Case(tallest_xlsx, (1,), "1048576"),
    "1,048,576 rows in a CSV": Case(tallest_csv, (1,), "1048576"),
    "a stray value in the last cell (XFD1048576)": Case(farthest_cell, (2,), "Ctrl+End"),
    "merged header cells": Case(merged_header, (0, 1), "UNKNOWN_COLUMN"),
    "duplicate header names": Case(duplicate_headers, (0, 1), "COLUMN_DUPLICATE"),
    "mixed encodings": Case(mixed_encodings, (0,), ""),  # read right: tests/test_readers.py checks the names
    "NUL bytes": Case(lambda f: _write(f / "nul.csv", _csv([HEADER]).replace("ULN", "U\x00LN") + _csv([RECORD])),
                      (2,), "NUL bytes"),
    "broken OData JSON": Case(lambda f: _write(f / "odata.json", '{"@odata.context": "x", "value": [{"ULN": '),
                              (2,), "broken JSON"),
    "OData JSON of the wrong shape": Case(lambda f: _write(f / "shape.json", '{"value": "not a list"}'),
                                          (2,), "OData"),
}
