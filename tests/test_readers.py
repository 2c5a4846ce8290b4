import datetime as dt
import json

import pandas as pd
import pytest
import xlsxwriter

from regcert_xl.model.issues import UnusableInput
from regcert_xl.read import read_table
from tests.conftest import AS_OF, QUAL_HEADER, ULN_A, ULN_B, csv_text, qual


def rows_of(table, *fields):
    return table.data[list(fields)].astype(object).where(table.data[list(fields)].notna(), None).values.tolist()


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""),
                                           ("utf-16", b"")])
def test_csv_encodings(tmp_path, encoding, bom):
    text = csv_text([qual(**{"Last Name": "Brontë", "Qualification": "EPA Assessment – Observation"})], QUAL_HEADER)
    path = tmp_path / "q.csv"
    path.write_bytes(bom + text.encode(encoding))
    table = read_table(path, "qualifications")
    assert rows_of(table, "last_name", "qualification") == [["Brontë", "EPA Assessment – Observation"]]


def test_utf8_with_stray_windows_1252_bytes(tmp_path):
    # a UTF-8 file that someone edited in a Windows tool: both encodings in one file
    path = tmp_path / "q.csv"
    body = csv_text([qual(**{"Last Name": "Brontë"}), qual(**{"Last Name": "Zoë", "ULN": ULN_B})], QUAL_HEADER)
    data = body.encode("utf-8").replace("Zoë".encode(), "Zo\xeb".encode("cp1252"))
    path.write_bytes(data)
    table = read_table(path, "qualifications")
    assert table.data["last_name"].tolist() == ["Brontë", "Zoë"]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_delimiters(tmp_path, sep):
    path = tmp_path / "q.csv"
    path.write_text(csv_text([qual()], QUAL_HEADER, sep=sep), encoding="utf-8")
    table = read_table(path, "qualifications")
    assert table.data["uln"].tolist() == [ULN_A]
    assert table.data["registration_date"].tolist() == [pd.Timestamp("2026-01-15")]


def test_csv_title_rows_and_row_numbers(tmp_path):
    path = tmp_path / "q.csv"
    body = csv_text([qual(), qual(ULN=ULN_B)], QUAL_HEADER)
    path.write_text("Qualifications export\r\nRun 23/11/2026\r\n\r\n" + body.replace("\r\n", "\r\n\r\n", 1), encoding="utf-8")
    table = read_table(path, "qualifications")
    assert table.header_row == 4
    # header on row 4, a blank line on row 5, records on rows 6 and 7
    assert table.origin["row"].tolist() == [6, 7]


def test_unknown_columns_kept_in_order_untouched(tmp_path):
    path = tmp_path / "q.csv"
    header = ["Funding Band", *QUAL_HEADER[:10], "Notes From Tutor", *QUAL_HEADER[10:]]
    row = qual(**{"Funding Band": "007", "Notes From Tutor": "=1+1"})
    path.write_text(csv_text([row], header), encoding="utf-8")
    table = read_table(path, "qualifications")
    kept = [c.header for c in table.columns if c.field is None]
    assert kept == ["Funding Band", "Notes From Tutor"]
    assert table.extras.iloc[0].tolist() == ["007", "=1+1"]
    assert [c.header for c in table.columns] == header


def test_header_matching_ignores_case_spacing_punctuation_dashes(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("learner-ref,U.L.N.,QUALIFICATION TITLE,qualification_status,Certificate Claimed (Date)\n"
                    f"L1,{ULN_A},EPA – KT,Registered,01/02/2026\n", encoding="utf-8")
    table = read_table(path, "qualifications")
    assert table.fields == ["learner_ref", "uln", "qualification", "status", "certificate_claimed_date"]


def test_alias_from_settings(tmp_path):
    from regcert_xl.model.settings import Settings

    path = tmp_path / "q.csv"
    path.write_text("Learner No,Apprenticeship Aim,State\nL1,EPA,Registered\n", encoding="utf-8")
    settings = Settings(column_aliases={"learner_ref": ["Learner No"], "qualification": ["Apprenticeship Aim"],
                                        "status": ["State"]})
    assert read_table(path, "qualifications", settings).fields == ["learner_ref", "qualification", "status"]


def test_rows_with_more_fields_than_the_header_are_kept(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(f"ULN,Qualification,Status\n{ULN_A},KT,Registered,extra\n{ULN_B},KT,Registered\n", encoding="utf-8")
    table = read_table(path, "qualifications")
    assert len(table) == 2
    assert table.extras.iloc[:, 0].tolist() == ["extra", ""]


def test_quoted_newlines_quotes_and_commas_under_a_title_row(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(f'Export title\nULN,Qualification,Status,Our Remarks\n{ULN_A},KT,Registered,"line one\nline two, with comma"\n'
                    f'{ULN_B},"KT ""B""",Registered,\n', encoding="utf-8")
    table = read_table(path, "qualifications")
    assert table.header_row == 2 and table.origin["row"].tolist() == [3, 4]
    assert table.data["qualification"].tolist() == ["KT", 'KT "B"']
    assert table.extras.iloc[:, 0].tolist() == ["line one\nline two, with comma", ""]


def test_rows_with_fewer_fields_than_the_header_read_as_blanks(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(f"ULN,Qualification,Status,Our Remarks\n{ULN_A},KT\n{ULN_B},KT,Registered,call\n", encoding="utf-8")
    table = read_table(path, "qualifications")
    assert table.data["status"].isna().tolist() == [True, False]
    assert table.extras.iloc[:, 0].tolist() == ["", "call"]


def _xlsx(path, rows, sheet="Export", start_row=0, formats=None):
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(start_row + r, c, dt.datetime(value.year, value.month, value.day), date_format)
            elif value is not None:
                ws.write(start_row + r, c, value)
    book.close()
    return path


def test_xlsx_header_below_title_rows_with_mixed_date_kinds(tmp_path):
    rows = [["Qualifications report"], [], ["ULN", "Qualification", "Status", "Registration Date"],
            [float(ULN_A), "EPA KT", "Registered", dt.date(2026, 1, 15)],
            [ULN_B, "EPA KT", "Registered", 46037],
            ["1.000000043E9", "EPA KT", "Registered", "15/01/2026"]]
    path = _xlsx(tmp_path / "q.xlsx", rows)
    table = read_table(path, "qualifications")
    assert table.header_row == 3
    assert table.origin["row"].tolist() == [4, 5, 6]
    assert table.data["uln"].tolist() == [ULN_A, ULN_B, ULN_A]
    assert table.data["registration_date"].tolist() == [pd.Timestamp("2026-01-15")] * 3
    assert table.origin["sheet"].iloc[0] == "q.xlsx › Export"


def test_xlsx_table_away_from_the_corner_read_in_batches(tmp_path, monkeypatch):
    """A header at C3 (empty first rows and columns), records read a few rows at a time: the
    same cells and row numbers as in one go, a column typed differently from batch to batch too."""
    from regcert_xl.read import xlsx_reader

    monkeypatch.setattr(xlsx_reader, "ROWS_PER_BATCH", 2)
    path = tmp_path / "q.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("Export")
    ws.write_row(2, 2, ["ULN", "Qualification", "Status", "Cohort Code"])
    records = [[ULN_A, "KT", "Registered", "A1"], [ULN_B, "KT", "Registered", "B2"], [ULN_A, "OBS", "Achieved", 7],
               [ULN_B, "OBS", "Achieved", ""], [ULN_A, "PR", "Registered", "E5"]]
    for r, row in enumerate(records):
        ws.write_row(3 + r, 2, row)
    book.close()
    table = read_table(path, "qualifications")
    assert table.header_row == 3 and table.origin["row"].tolist() == [4, 5, 6, 7, 8]
    assert table.data["qualification"].tolist() == ["KT", "KT", "OBS", "OBS", "PR"]
    assert [str(v) for v in table.extras.iloc[:, 0].tolist()] == ["A1", "B2", "7.0", "None", "E5"]


def test_xlsx_named_sheet_and_record_named_sheet(tmp_path):
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(path)
    for name in ("Cover", "Qualifications", "Other"):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, ["ULN", "Qualification", "Status"])
        ws.write_row(1, 0, [ULN_A, name, "Registered"])
    book.close()
    assert read_table(path, "qualifications").data["qualification"].tolist() == ["Qualifications"]
    assert read_table(path, "qualifications", sheet="other").data["qualification"].tolist() == ["Other"]
    with pytest.raises(UnusableInput, match="has no sheet 'Missing'; its sheets are Cover, Qualifications, Other"):
        read_table(path, "qualifications", sheet="Missing")


def _page(path, rows, context="https://x/odata/$metadata#AwardingBodyQualifications"):
    path.write_text(json.dumps({"@odata.context": context, "value": rows}), encoding="utf-8")
    return path


def test_odata_pages(tmp_path):
    p1 = _page(tmp_path / "p1.json", [{"ULN": ULN_A, "QualificationTitle": "EPA KT", "Status": "Registered",
                                        "RegistrationDate": "2026-01-15T00:00:00Z", "Extra": {"a": 1}}])
    p2 = _page(tmp_path / "p2.json", [{"ULN": ULN_B, "QualificationTitle": "EPA KT", "Status": "Achieved",
                                        "AchievedDate": "2026-06-30T23:00:00Z"}])
    table = read_table([p1, p2], "qualifications")
    assert table.data["uln"].tolist() == [ULN_A, ULN_B]
    assert table.data["achieved_date"].tolist()[1] == pd.Timestamp("2026-07-01")
    assert table.origin.values.tolist() == [["p1.json", 1], ["p2.json", 1]]
    assert table.extras.iloc[0].tolist() == ['{"a": 1}']


def test_odata_table_given_in_the_wrong_role(tmp_path):
    page = _page(tmp_path / "h.json", [{"ULN": ULN_A}],
                 context="https://x/odata/$metadata#AwardingBodyQualificationsAssessmentHistory")
    with pytest.raises(UnusableInput, match="holds assessments .*AwardingBodyQualificationsAssessmentHistory.* given as qualifications"):
        read_table(page, "qualifications")


@pytest.mark.parametrize("name, content, message", [
    ("missing.csv", None, "file not found"),
    ("empty.csv", b"", "the file is empty"),
    ("bad.json", b'{"value": [', "broken JSON at line 1"),
    ("list.json", b'{"rows": []}', "not an OData page"),
    ("surrogate.json", b'{"value": [{"ULN": "1000000043", "Qualification": "A\\ud800b"}]}',
     "broken character escape"),
    ("junk.xlsx", b"\x00\x01garbage" * 100, "not a workbook"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old-format .xls workbook"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, r"old-format .xls workbook \(or password"),
    ("sheet.ods", b"PK\x03\x04" + b"\x00" * 600, "ods files are not read: save the export as .xlsx or .csv"),
    ("page.xlsx", b"<html><body><table></table></body></html>", "web page"),
    ("cols.csv", b"Alpha,Beta\n1,2\n", "no recognisable qualifications columns; headers found: 'Alpha', 'Beta'"),
    ("nul.csv", b"ULN,Status\x00\n1,2\n", "NUL bytes"),
    ("q.docx", b"hello", "unknown file type '.docx'"),
])
def test_unusable_inputs(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnusableInput, match=message) as caught:
        read_table(path, "qualifications")
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_truncated_workbook(tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", [["ULN", "Qualification", "Status"], [ULN_A, "KT", "Registered"]])
    data = good.read_bytes()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnusableInput, match="damaged"):
        read_table(bad, "qualifications")


def test_a_wide_csv_costs_no_pandas_text_call_per_unmapped_column(tmp_path, monkeypatch):
    """2,000 unmapped columns (one with a blank-only row, one with an over-long value): blank rows
    are found, headerless columns weighed and long values measured over all the columns at once,
    so the pandas text calls (.str.strip, the per-column Arrow conversion) stay with the few mapped
    columns; the answers are the same as column by column."""
    from pandas.core.strings.accessor import StringMethods

    from regcert_xl import api
    from regcert_xl.rules import text_length

    calls = {"strip": 0, "arrow_text": 0}
    strip, arrow_text = StringMethods.strip, text_length.arrow_text

    def counted_strip(self, *args, **kwargs):
        calls["strip"] += 1
        return strip(self, *args, **kwargs)

    def counted_arrow_text(values):
        calls["arrow_text"] += 1
        return arrow_text(values)

    monkeypatch.setattr(StringMethods, "strip", counted_strip)
    monkeypatch.setattr(text_length, "arrow_text", counted_arrow_text)
    extra = [f"Extra {i}" for i in range(2000)]
    header = [*QUAL_HEADER, *extra, ""]
    first = [*qual().values(), *([""] * 1999), "x" * 40_000, "kept"]
    blank = [" "] * len(header)
    path = tmp_path / "wide.csv"
    path.write_text("".join(",".join(row) + "\r\n" for row in (header, first, blank)), encoding="utf-8")
    report = api.validate(path, as_of=AS_OF)
    assert calls["strip"] < 60 and calls["arrow_text"] < 30, calls
    table = read_table(path, "qualifications")
    assert len(table.data) == 1  # the row of spaces is dropped
    assert [c.header for c in table.columns][-2:] == ["Extra 1999", ""]  # the headerless column has a value
    assert table.extras.iloc[0].tolist()[-1] == "kept"
    long = report.issues[report.issues["code"] == "TEXT_TOO_LONG"]
    assert long["message"].tolist() == ["Extra 1999: 40,000 characters; an Excel cell holds 32,767, so the "
                                        "workbook shows the first 32,767"]
