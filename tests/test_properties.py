"""Properties over random valid records (hypothesis): read → validate → build → read back loses
no value and changes no user column — ULNs, dates and text kept exactly, leading zeros, unicode,
control characters, long text and values that look like formulas included — and build and
refresh are deterministic and idempotent."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from regcert_xl import api

REFRESHED = dt.datetime(2026, 11, 23, 9, 30)
STATUSES = ["Not Registered", "Registered", "Gateway Reached", "Achieved", "Certificate Claimed"]
HEADER = ["Learner Reference", "ULN", "First Name", "Last Name", "Qualification", "Qualification Number",
          "Status", "Registration Date", "Tutor Notes", "Funding Code"]
EDGE_TEXT = ["007", "=1+1", "=HYPERLINK(\"http://x\")", "+44 7700 900123", "-5", "@SUM(A1)", "'quoted",
             "_x000D_", "a\r\nb", "tab\there", "\x01\x1f", "  spaced  ", "é–😀"]


def uln_from(nine: str) -> str | None:
    """The ULN with the DfE check digit for ``nine`` leading digits (None when there is none)."""
    remainder = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
    return None if remainder == 0 else nine + str((10 - remainder) % 10)


# text with no spaces at either end (known fields are trimmed when read, by design)
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
inner = st.text(CHARS, max_size=30)
word = st.builds(lambda a, mid, b: a + mid + b, st.sampled_from("AbÇđ7Ω"), inner, st.sampled_from("zÉ9ß"))
long_text = st.builds(lambda piece, n: (piece * n)[:n], st.sampled_from(["a", "😀", "é ", "x😀"]),
                      st.integers(16_000, 40_000))
free_text = st.one_of(st.text(CHARS, max_size=60), st.sampled_from(EDGE_TEXT), long_text)
ulns = st.from_regex(r"[1-9][0-9]{8}", fullmatch=True).map(uln_from).filter(bool)
dates = st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31))


@st.composite
def records(draw):
    n = draw(st.integers(1, 6))
    rows = []
    for i in range(n):
        rows.append({
            "Learner Reference": draw(word), "ULN": draw(ulns), "First Name": draw(word), "Last Name": draw(word),
            "Qualification": draw(word), "Qualification Number": f"Q{i:03d}", "Status": draw(st.sampled_from(STATUSES)),
            "Registration Date": draw(dates), "Tutor Notes": draw(free_text),
            "Funding Code": draw(st.sampled_from(["007", "0", "00012", "1e5", "TRUE", ""])),
        })
    return rows


def write_export(path, rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row[h].strftime("%d/%m/%Y") if isinstance(row[h], dt.date) else row[h] for h in HEADER])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def sheet_rows(book, name="Qualifications"):
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name(name).to_python()
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


PROPERTY = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                              HealthCheck.too_slow])


@pytest.mark.slow
@PROPERTY
@given(rows=records())
def test_build_keeps_every_value_of_every_user_column(tmp_path, rows):
    export = write_export(tmp_path / "q.csv", rows)
    api.validate(export)
    book = tmp_path / "RegCert.xlsx"
    api.build_workbook(export, output=book, as_of="2026-11-23", snapshot=False, refreshed=REFRESHED,
                       force=True)
    back = sheet_rows(book)
    assert len(back) == len(rows)
    for given_row, read_row in zip(rows, back, strict=True):
        for column in HEADER:
            expected, got = given_row[column], read_row[column]
            if isinstance(expected, dt.date):
                assert got == expected, column
            elif column == "Tutor Notes" and len(expected.encode("utf-16-le")) > 2 * 32_767:
                assert expected.startswith(got) and len(got.encode("utf-16-le")) > 2 * 32_700, column  # cut to a cell
            else:
                assert got == expected, (column, expected, got)


@pytest.mark.slow
@PROPERTY
@given(rows=records())
def test_build_is_deterministic_and_refresh_idempotent(tmp_path, rows):
    export = write_export(tmp_path / "q.csv", rows)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for book in (first, second):
        api.build_workbook(export, output=book, as_of="2026-11-23", snapshot=False, refreshed=REFRESHED,
                           force=True)
    assert anonymous(parts(first)) == anonymous(parts(second))  # each workbook has its own identity
    api.refresh_workbook(first, as_of="2026-11-23", snapshot=False, refreshed=REFRESHED)
    once = parts(first)
    api.refresh_workbook(first, as_of="2026-11-23", snapshot=False, refreshed=REFRESHED)
    assert parts(first) == once
    assert [{k: r[k] for k in HEADER} for r in sheet_rows(first)] == [{k: r[k] for k in HEADER} for r in sheet_rows(second)]


def anonymous(found: dict[str, bytes]) -> dict[str, bytes]:
    """A workbook's parts with its identity (a GUID made on each build) blanked."""
    custom = re.sub(rb'(name="regcert-xl id"><vt:lpwstr>)[^<]*', rb"\1", found["docProps/custom.xml"])
    return {**found, "docProps/custom.xml": custom}


def parts(book):
    with zipfile.ZipFile(book) as z:
        return {name: z.read(name) for name in z.namelist()}
