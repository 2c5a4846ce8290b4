"""`regcert-xl refresh`: only what regcert-xl owns changes; everything else survives, byte for byte."""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from python_calamine import CalamineWorkbook

from regcert_xl import api
from regcert_xl.cli import main
from regcert_xl.model.issues import UnusableInput
from regcert_xl.ooxml.opc import Package
from tests.small_book import build_small

NOW = dt.datetime(2026, 11, 30, 9, 0)
USER_COLUMNS = [chr(c) for c in range(ord("A"), ord("T") + 1)]  # A..T are the export's columns


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def cells(sheet_xml: bytes, columns) -> dict[str, bytes]:
    pattern = rb'<c r="((?:' + "|".join(columns).encode() + rb')\d+)"(?:[^>]*?/>|[^>]*?>.*?</c>)'
    return {m.group(1).decode(): m.group(0) for m in re.finditer(pattern, sheet_xml, re.S)}


def rows_of(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.fixture
def book(tmp_path):
    return build_small(tmp_path)


def test_refresh_updates_generated_and_keeps_user_cells(book):
    before = parts(book)
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    after = parts(book)
    q = "xl/worksheets/sheet2.xml"
    assert cells(after[q], USER_COLUMNS) == cells(before[q], USER_COLUMNS)
    assert [r[-7:-1] for r in rows_of(book, "Qualifications")[1:3]] == [
        ["ON_TRACK", "GREEN", "No action needed", dt.date(2027, 7, 31), -243.0, ""],
        ["CLAIM_OVERDUE", "RED", "Claim the certificate — due 22/11/2026, 8 days overdue", dt.date(2026, 11, 22),
         8.0, "Admin"]]
    start = dict(r[:2] for r in rows_of(book, "Start") if len(r) > 1)
    assert start["As-of date"] == "30/11/2026" and start["Last refresh"] == "30/11/2026 09:00"
    assert parts(book.parent / (book.name + ".bak")) == before


def test_refresh_is_idempotent(book):
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    once = book.read_bytes()
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert book.read_bytes() == once


def test_user_sheet_names_comments_columns_and_edits_survive(book):
    wb = openpyxl.load_workbook(book)
    notes = wb.create_sheet("My Notes")
    notes["A1"] = "Chase Acme on Friday"
    notes["B2"] = 42
    q = wb["Qualifications"]
    q["A2"].comment = Comment("checked with employer", "admin")
    q["J3"] = "Certificate Claimed"  # a local edit: claimed on 25/11
    q["Q3"] = dt.datetime(2026, 11, 25)
    wb.defined_names["MyRange"] = DefinedName("MyRange", attr_text="'My Notes'!$A$1:$B$2")
    wb.save(book)
    before = parts(book)
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    after = parts(book)
    user_sheet = Package.open(book).sheets["My Notes"]
    assert after[user_sheet] == before[user_sheet]
    for name in before:
        if name.startswith(("xl/comments", "xl/drawings/commentsDrawing")):
            assert after[name] == before[name], name
    reopened = openpyxl.load_workbook(book)
    assert reopened.sheetnames[-1] == "My Notes" and reopened["My Notes"]["A1"].value == "Chase Acme on Friday"
    assert reopened.defined_names["MyRange"].attr_text == "'My Notes'!$A$1:$B$2"
    assert reopened["Qualifications"]["A2"].comment.text == "checked with employer"
    row = rows_of(book, "Qualifications")[2]
    assert row[9] == "Certificate Claimed" and row[16] == dt.date(2026, 11, 25)
    assert row[-7:-2] == ["CERTIFICATE_AWAITED", "GREEN",
                          "Chase the certificate if it has not arrived — due 16/12/2026, in 16 days",
                          dt.date(2026, 12, 16), -16.0]


def test_settings_sheet_edits_are_used(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["Settings"]
    row = next(r for r in ws.iter_rows(min_row=1) if r[0].value == "claim_within_days")
    row[1].value = "5"
    wb.save(book)
    api.refresh_workbook(book, as_of="2026-11-23", refreshed=NOW)
    assert rows_of(book, "Qualifications")[2][-5] == "Claim the certificate — due 07/11/2026, 16 days overdue"
    settings = {r[0]: r[1] for r in rows_of(book, "Settings") if r and r[0]}
    assert settings["claim_within_days"] == "5"


def test_a_settings_sheet_value_equal_to_the_default_still_wins_over_regcert_toml(tmp_path):
    """Built with regcert.toml's claim_within_days = 5, then the admin sets the sheet back to the
    default 20: the sheet is first in the lookup, so 20 applies; regcert.toml fills in only what
    the sheet does not list (a row deleted from it)."""
    (tmp_path / "regcert.toml").write_text("claim_within_days = 5\nresult_wait_days = 7\n")
    book = build_small(tmp_path)
    assert api.workbook_settings(book, None, []).claim_within_days == 5  # written onto the sheet
    wb = openpyxl.load_workbook(book)
    ws = wb["Settings"]
    next(r for r in ws.iter_rows() if r[0].value == "claim_within_days")[1].value = "20"
    row = next(r for r in ws.iter_rows() if r[0].value == "result_wait_days")
    ws.move_range(f"A{row[0].row + 1}:D{ws.max_row}", rows=-1)  # the row taken out of the table
    wb.save(book)
    (tmp_path / "regcert.toml").write_text("claim_within_days = 5\nresult_wait_days = 9\n")
    settings = api.workbook_settings(book, None, [])
    assert (settings.claim_within_days, settings.result_wait_days) == (20, 9)
    api.refresh_workbook(book, as_of="2026-11-23", refreshed=NOW)
    assert rows_of(book, "Qualifications")[2][-5] == "Claim the certificate — due 22/11/2026, 1 day overdue"
    shown = {r[0]: r[1] for r in rows_of(book, "Settings") if r and r[0]}
    assert (shown["claim_within_days"], shown["result_wait_days"]) == ("20", "9")


def test_an_explicit_settings_file_wins_over_the_sheet_for_the_keys_it_names(book, tmp_path):
    chosen = tmp_path / "run.toml"
    chosen.write_text("claim_within_days = 3\n")
    wb = openpyxl.load_workbook(book)
    next(r for r in wb["Settings"].iter_rows() if r[0].value == "due_soon_days")[1].value = "12"
    wb.save(book)
    settings = api.workbook_settings(book, chosen, [])
    assert (settings.claim_within_days, settings.due_soon_days) == (3, 12)


def test_invalid_settings_sheet_value_is_a_clear_error(book):
    wb = openpyxl.load_workbook(book)
    next(r for r in wb["Settings"].iter_rows() if r[0].value == "due_soon_days")[1].value = "soon"
    wb.save(book)
    result = CliRunner().invoke(main, ["refresh", str(book)])
    assert result.exit_code == 2
    assert "setting 'due_soon_days'" in result.stderr and "Traceback" not in result.stderr


def test_refuses_while_open_in_excel(book):
    (book.parent / ("~$" + book.name)).write_text("owner")
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["refresh", str(book)])
    assert result.exit_code == 2
    assert "is open in Excel" in result.stderr
    assert book.read_bytes() == before


def test_refuses_a_workbook_regcert_did_not_make(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "hello"
    wb.save(path)
    with pytest.raises(UnusableInput, match="was not made by regcert-xl"):
        api.refresh_workbook(path)


def test_issue_rows_follow_the_sheet(book):
    wb = openpyxl.load_workbook(book)
    wb["Qualifications"]["B4"] = "1000000044"  # a wrong check digit on sheet row 4
    wb.save(book)
    api.refresh_workbook(book, as_of="2026-11-23", refreshed=NOW)
    issues = [r for r in rows_of(book, "Issues")[4:] if r[1] == "ULN_INVALID"]
    assert [(r[2], r[3], r[8]) for r in issues] == [("Qualifications", 4.0, "'Qualifications'!B4")]
    assert rows_of(book, "Qualifications")[3][-7] == "DATA_ERROR"


@pytest.mark.libreoffice
def test_workbook_saved_by_libreoffice_refreshes(tmp_path, book):
    from tests.render import convert, saved_by_libreoffice

    saved = saved_by_libreoffice(book, tmp_path)
    api.refresh_workbook(saved, as_of="2026-11-30", refreshed=NOW)
    assert rows_of(saved, "Qualifications")[2][-5] == "Claim the certificate — due 22/11/2026, 8 days overdue"
    again = convert(saved, "pdf", tmp_path / "pdf", tmp_path)
    assert again.returncode == 0, again.stderr


def test_the_workbook_is_not_held_open_when_the_new_version_takes_its_place(book, monkeypatch):
    """Windows cannot replace a file that is open: every handle on the old workbook is closed
    before the new file is renamed over it."""
    import os

    from regcert_xl.workbook import package

    real_replace, seen = os.replace, []

    def replace(src, dst):
        if os.path.realpath(dst) == os.path.realpath(book):
            fds = os.listdir("/proc/self/fd")
            seen.append([os.path.realpath(f"/proc/self/fd/{fd}") for fd in fds if os.path.exists(f"/proc/self/fd/{fd}")])
        return real_replace(src, dst)

    monkeypatch.setattr(package.os, "replace", replace)
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert seen and all(os.path.realpath(book) not in open_files for open_files in seen)


class ProgressRecord:
    def __init__(self):
        self.messages: list[tuple[str, float]] = []

    def update(self, message, fraction):
        self.messages.append((message, fraction))


def test_progress_covers_the_history_and_ends_done(book):
    seen = ProgressRecord()
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW, progress=seen)
    names = [m for m, _ in seen.messages]
    assert names[0] == "Reading the history" and names[-2:] == ["Saving the history snapshot", "Done"]
    assert names.index("Reading the workbook") < names.index("Saving") < names.index("Saving the history snapshot")
    assert [f for _, f in seen.messages] == sorted(f for _, f in seen.messages)  # never goes backwards


def test_build_progress_runs_forward_to_done(tmp_path):
    from regcert_xl.samples import demo_inputs

    seen = ProgressRecord()
    quals, assessments, as_of = demo_inputs()
    api.build_workbook(quals, assessments, output=tmp_path / "b.xlsx", as_of=as_of, progress=seen)
    names = [m for m, _ in seen.messages]
    assert names.count("Done") == 1 and names[-2:] == ["Saving the history snapshot", "Done"]
    assert [f for _, f in seen.messages] == sorted(f for _, f in seen.messages)


def test_a_workbook_with_the_old_history_sheet_refreshes_into_status_history(book, tmp_path):
    """Excel refuses a sheet named History; workbooks made with that name take the new one on
    refresh, in the same place, with no second sheet."""
    old = tmp_path / "old.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename in ("xl/workbook.xml", "docProps/custom.xml"):
                data = data.replace(b"Status History", b"History")
            dst.writestr(item, data)
    before = CalamineWorkbook.from_path(str(old)).sheet_names
    assert "History" in before and "Status History" not in before
    api.refresh_workbook(old, as_of="2026-11-30", refreshed=NOW)
    after = CalamineWorkbook.from_path(str(old)).sheet_names
    assert after == [("Status History" if name == "History" else name) for name in before]
    assert rows_of(old, "Status History")[2][:3] == ["Learner", "ULN", "Qualification"]
    assert api.refresh_workbook(old, as_of="2026-11-30", refreshed=NOW) is not None  # and again
    assert CalamineWorkbook.from_path(str(old)).sheet_names == after


def vml_numbers(path) -> dict[str, tuple[list[int], list[int]]]:
    """Per VML part of a workbook: its o:idmap blocks and its shape numbers (_x0000_s<n>)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".vml"):
                text = z.read(name).decode("utf-8", "replace")
                idmap = re.search(r'<o:idmap\b[^>]*\sdata="([^"]*)"', text)
                blocks = [int(b) for b in idmap.group(1).split(",") if b.strip()] if idmap else []
                out[name] = (blocks, [int(n) for n in re.findall(r'\bid="_x0000_s(\d+)"', text)])
    return out


def assert_vml_unique(path) -> None:
    numbers = vml_numbers(path)
    blocks = [b for bs, _ in numbers.values() for b in bs]
    shapes = [s for _, ss in numbers.values() for s in ss]
    assert len(blocks) == len(set(blocks)), numbers
    assert len(shapes) == len(set(shapes)), numbers
    for name, (bs, ss) in numbers.items():
        assert all(s // 1024 in bs for s in ss), (name, bs, ss)


def test_vml_drawings_keep_unique_ids_after_an_import(tmp_path):
    """The .xlsm's Start buttons, the record sheets' comments and a user's comments each have
    their own VML part; after an import brings freshly written sheets in, no two parts share an
    o:idmap block and no two shapes share an id (Excel repairs the file otherwise)."""
    from tests.conftest import write_csv
    from tests.small_book import HEADER, QUALS

    book = build_small(tmp_path, "small.xlsm")
    assert len(vml_numbers(book)) >= 2
    assert_vml_unique(book)
    api.import_export(book, write_csv(tmp_path / "newer.csv", QUALS, HEADER), as_of="2026-11-30",
                      refreshed=NOW)
    assert len(vml_numbers(book)) >= 2
    assert_vml_unique(book)
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert_vml_unique(book)
