"""The Excel buttons, run end to end against a recording stand-in of xlwings, and every call
they make checked against the installed xlwings' real API."""

import datetime as dt
import inspect
import os

import pandas as pd
import pytest
import xlwings as xw
from xlwings import main as xw_main

from regcert_xl import excel_bridge, xl
from tests import xlwings_standin as standin
from tests.sheet_rename import rename_sheet
from tests.small_book import build_small

REAL = {"App": xw.App, "Range": xw.Range, "Sheet": xw.Sheet, "Table": xw_main.Table, "Book": xw.Book}
# attributes the entry points read: they must be properties of the real classes
READ = {"Book": ["sheets", "names", "app", "fullname", "selection"], "Sheet": ["tables", "name"],
        "Table": ["range", "data_body_range", "header_row_range", "name"],
        "Range": ["row", "column", "last_cell", "rows", "sheet", "value"], "Name": ["refers_to"],
        "App": ["status_bar", "screen_updating"]}


@pytest.fixture
def book(tmp_path, monkeypatch):
    fake = standin.Book(build_small(tmp_path, "small.xlsm"))
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: fake))
    return fake


def check_against_xlwings(recorder: standin.Recorder) -> None:
    for cls, member, args, kwargs in recorder.calls:
        real = getattr(REAL[cls], member)
        inspect.signature(real).bind(None, *args, **kwargs)  # raises TypeError when the call would fail
    for cls, member, _value in recorder.sets:
        prop = inspect.getattr_static(REAL[cls], member)
        assert isinstance(prop, property) and prop.fset is not None, (cls, member)


def test_attributes_read_exist_in_xlwings():
    classes = REAL | {"Name": xw_main.Name}
    for cls, members in READ.items():
        for member in members:
            assert isinstance(inspect.getattr_static(classes[cls], member), property), (cls, member)
    assert isinstance(inspect.getattr_static(xw.Book, "caller"), classmethod)
    assert callable(xw.Book.set_mock_caller)


def test_refresh_button(book):
    xl.refresh()
    prompt, options = book.app.alerts[-1]
    assert options == {"title": "regcert-xl", "mode": "info"}
    assert prompt.startswith("Refreshed: 4 records, 2 open actions")
    q = book.sheet("Qualifications")
    row, col, frame = q.writes[-1]
    assert (row, col) == (2, 21)  # the generated columns start after the export's 20 columns
    assert list(frame.iloc[:, 0]) == ["ON_TRACK", "CLAIM_OVERDUE", "REGISTRATION_OVERDUE", "COMPLETE"]
    overview = book.sheet("Overview").tables["tblOverview"].updates[-1]
    assert list(overview["ULN"]) == ["1234567899", "1000000043"]
    assert book.app.statuses[0].startswith("regcert-xl: Reading the records") and book.app.statuses[-1] is False
    start = book.sheet("Start").writes[-1]
    assert start[2].startswith("Refreshed:")
    check_against_xlwings(book.recorder)


def test_validate_button_updates_only_issues(book):
    xl.validate()
    assert book.app.alerts[-1][0] == "0 errors, 0 warnings, 1 notes: see the Issues sheet."
    updated = {t.name for s in book.sheets for t in s.tables if t.updates}
    assert updated == {"tblIssues"}
    check_against_xlwings(book.recorder)


def test_show_learner_button(book):
    overview = book.sheet("Overview")
    book.selection = standin.Range(overview, 6, 3)  # the second learner's row
    xl.show_learner()
    learner = book.sheet("Learner")
    assert learner.writes[-1] == (3, 3, "1000000043")
    assert ("Sheet", "activate", (), {}) in book.recorder.calls
    check_against_xlwings(book.recorder)


def test_problems_are_a_message_and_a_status_line_not_a_traceback(book):
    settings = book.sheet("Settings").tables["tblSettings"].frame
    settings.loc[settings["Setting"] == "due_soon_days", "Value"] = "soon"
    xl.refresh()
    prompt, options = book.app.alerts[-1]
    assert options["mode"] == "critical"
    assert "setting 'due_soon_days'" in prompt
    assert book.sheet("Start").writes[-1][2].startswith("Problem: ")
    check_against_xlwings(book.recorder)


@pytest.fixture
def renamed(tmp_path, monkeypatch):
    """The small workbook with sheets the admin renamed (as Excel renames them: the tables keep
    their names)."""
    path = build_small(tmp_path, "small.xlsm")
    for before, after in RENAMES.items():
        rename_sheet(path, before, after)
    fake = standin.Book(path)
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: fake))
    return fake


RENAMES = {"Qualifications": "Quals", "Assessments": "Assessments 2026", "Start": "Home", "Issues": "My issues",
           "Overview": "Bob's Overview", "Settings": "Config", "Learner": "One learner"}


def test_the_buttons_follow_renamed_sheets_as_the_file_commands_do(renamed):
    settings = renamed.sheet("Config").tables["tblSettings"].frame
    settings.loc[settings["Setting"] == "claim_within_days", "Value"] = "365"
    xl.refresh()
    prompt, options = renamed.app.alerts[-1]
    assert options["mode"] == "info", prompt
    row, col, frame = renamed.sheet("Quals").writes[-1]
    # claim within 365 days, from the renamed Settings sheet: the claim is due, not overdue
    assert (row, col) == (2, 21) and list(frame.iloc[:, 0]) == ["ON_TRACK", "CLAIM_DUE", "REGISTRATION_OVERDUE",
                                                                "COMPLETE"]
    assessments = renamed.sheet("Assessments 2026").writes[-1]
    assert assessments[:2] == (2, 10) and len(assessments[2]) == 5  # after its 9 export columns
    assert list(renamed.sheet("Bob's Overview").tables["tblOverview"].updates[-1]["ULN"]) == ["1234567899", "1000000043"]
    assert renamed.sheet("Home").writes[-1][2].startswith("Refreshed:")
    assert not any(name in {s.name for s in renamed.sheets} for name in RENAMES)
    check_against_xlwings(renamed.recorder)


def test_issue_links_written_by_a_button_point_at_the_renamed_sheet(renamed):
    quals = renamed.sheet("Quals").tables["tblQualifications"].frame
    quals.loc[0, "ULN"] = "123"
    xl.validate()
    links = renamed.sheet("My issues").tables["tblIssues"].updates[-1]["Go To"].dropna().tolist()
    assert links == ["'Quals'!A1", "'Quals'!B2", "'Assessments 2026'!B2", "'Assessments 2026'!B3"]


def test_show_learner_and_import_find_renamed_sheets(renamed, tmp_path):
    from tests.conftest import write_csv
    from tests.small_book import HEADER, QUALS

    renamed.selection = standin.Range(renamed.sheet("Bob's Overview"), 6, 3)
    xl.show_learner()
    assert renamed.sheet("One learner").writes[-1] == (3, 3, "1000000043")
    imports = renamed.sheet("Home").tables["tblImport"].frame
    imports.loc[imports["Export"] == "Qualifications export", "Path"] = str(write_csv(tmp_path / "q.csv", QUALS,
                                                                                      HEADER))
    xl.import_export()
    prompt, options = renamed.app.alerts[-1]
    assert options["mode"] == "info", prompt
    assert len(renamed.sheet("Quals").tables["tblQualifications"].updates[-1]) == 4


def test_a_button_lists_the_sheets_and_their_tables_once(book, monkeypatch):
    """Each listing is a round trip to Excel per sheet: a Refresh lists them once, then asks only
    for the tables it reads."""
    asked = []
    real = xl.table_names
    monkeypatch.setattr(xl, "table_names", lambda sheet: asked.append(sheet.name) or real(sheet))
    xl.refresh()
    assert book.app.alerts[-1][1]["mode"] == "info"
    listed = [s.name for s in book.sheets]
    assert asked[:len(listed)] == listed
    assert sorted(asked[len(listed):]) == ["Assessments", "Qualifications", "Settings", "Start"]


def test_a_workbook_without_its_qualifications_table_stops_the_buttons_in_one_line(book):
    del book.sheet("Qualifications")._tables["tblQualifications"]
    xl.refresh()
    prompt, options = book.app.alerts[-1]
    assert options["mode"] == "critical"
    assert prompt == "This workbook has no Qualifications table (tblQualifications) to work from."
    assert not any(t.updates for s in book.sheets for t in s.tables)


def test_every_runpython_in_the_macros_calls_an_entry_point_of_xl():
    """Each ``RunPython "import regcert_xl.xl; regcert_xl.xl.X()"`` in macros/*.bas names a
    function of regcert_xl.xl that can be called with no arguments, as the button calls it."""
    import re
    from pathlib import Path

    macros = Path(__file__).parent.parent / "macros"
    calls = [m for bas in sorted(macros.glob("*.bas"))
             for m in re.findall(r'RunPython\s+"([^"]*)"', bas.read_text(encoding="utf-8"))]
    assert len(calls) >= 4
    for call in calls:
        found = re.fullmatch(r"import regcert_xl\.xl; regcert_xl\.xl\.(\w+)\(\)", call)
        assert found, f"not a call of a regcert_xl.xl entry point: {call}"
        target = getattr(xl, found.group(1), None)
        assert callable(target), f"regcert_xl.xl has no {found.group(1)}"
        inspect.signature(target, follow_wrapped=False).bind()  # TypeError when an argument is required


def test_worksheet_functions():
    import ast

    tree = ast.parse(inspect.getsource(xl))
    decorated = {f.name for f in tree.body if isinstance(f, ast.FunctionDef)
                 for d in f.decorator_list if ast.unparse(d) == "xw.func"}
    assert decorated == {"REGCERT_ULN_VALID", "REGCERT_FLAG"}
    assert xl.REGCERT_ULN_VALID("1000000043") is True
    assert xl.REGCERT_ULN_VALID(1000000043.0) is True
    assert xl.REGCERT_ULN_VALID("1000000044") is False
    assert xl.REGCERT_FLAG("Not Registered", dt.datetime(2027, 8, 31), as_of=dt.datetime(2027, 3, 1)) == "REGISTRATION_OVERDUE"
    assert xl.REGCERT_FLAG("Achieved", achieved_date=dt.datetime(2026, 11, 3), registration_date=dt.datetime(2026, 1, 1),
                           as_of=dt.datetime(2026, 11, 23)) == "CLAIM_DUE"
    assert xl.REGCERT_FLAG("Withdrawn", as_of=dt.datetime(2026, 11, 23)) == "CLOSED"


def test_values_written_to_excel_are_never_formulas():
    frame = pd.DataFrame({"a": ["=HYPERLINK(\"x\")", "+44 7700", "-3 days", "@SUM", "fine", None],
                          "d": pd.to_datetime(["2026-01-02"] * 5 + [None])})
    safe = excel_bridge.excel_safe(frame)
    assert list(safe["a"]) == ["'=HYPERLINK(\"x\")", "'+44 7700", "'-3 days", "'@SUM", "fine", None]
    assert safe["d"].iloc[0] == dt.datetime(2026, 1, 2) and safe["d"].iloc[5] is None


def test_learner_in_row():
    assert excel_bridge.learner_in_row(["Learner", "ULN"], ["Ann", 1000000043.0]) == "1000000043"
    assert excel_bridge.learner_in_row(["Learner Ref", "ULN"], ["L9", None]) == "L9"
    assert excel_bridge.learner_in_row(["Flag"], ["X"]) is None


def test_import_export_button(book, tmp_path):
    from tests.conftest import write_csv
    from tests.small_book import HEADER, QUALS

    newer = [dict(r) for r in QUALS] + [dict(QUALS[0], ULN="2000000026", **{"Learner Reference": "L003",
                                                                             "First Name": "Cy"})]
    newer[0]["Status"] = "Gateway Reached"
    path = write_csv(tmp_path / "newer.csv", newer, HEADER)
    start = book.sheet("Start").tables["tblImport"].frame
    start.loc[start["Export"] == "Qualifications export", "Path"] = str(path)
    xl.import_export()
    prompt, options = book.app.alerts[-1]
    assert options["mode"] == "info", prompt
    assert prompt.startswith("Imported: 1 new records, 1 updated, 0 no longer in the export")
    written = book.sheet("Qualifications").tables["tblQualifications"].updates[-1]
    assert len(written) == 5 and written["Learner Reference"].tolist()[-1] == "L003"
    assert written["Status"].tolist()[0] == "Gateway Reached"
    from regcert_xl.history import store

    kinds = store.snapshot_list(store.open_store(store.default_store(tmp_path / "small.xlsm")))["kind"].tolist()
    assert kinds == ["build", "import"]
    check_against_xlwings(book.recorder)


def test_import_button_without_a_path_says_what_to_do(book):
    xl.import_export()
    prompt, options = book.app.alerts[-1]
    assert options["mode"] == "critical"
    assert prompt == "Put the path of the qualifications export in the Import table on the Start sheet first."


class Caller:
    """What xlwings passes a worksheet function as ``caller``: the calling cell."""

    def __init__(self, path):
        self.sheet = type("Sheet", (), {"book": type("Book", (), {"fullname": str(path)})()})()


def test_flag_function_uses_the_calling_workbooks_settings_sheet(tmp_path):
    import openpyxl

    book = build_small(tmp_path, "small.xlsm")
    args = ("Not Registered", dt.datetime(2027, 8, 31))
    as_of = dt.datetime(2027, 3, 1)  # 6 months before the planned end is 28/02/2027: overdue
    assert xl.REGCERT_FLAG(*args, as_of=as_of, caller=Caller(book)) == "REGISTRATION_OVERDUE"
    wb = openpyxl.load_workbook(book, keep_vba=True)
    next(r for r in wb["Settings"].iter_rows() if r[0].value == "registration_lead_months")[1].value = "3"
    wb.save(book)
    assert xl.REGCERT_FLAG(*args, as_of=as_of, caller=Caller(book)) == "ON_TRACK"  # due 31/05/2027
    assert xl.REGCERT_FLAG(*args, as_of=as_of) == "REGISTRATION_OVERDUE"  # no workbook: the defaults


def test_flag_function_reads_the_settings_once_per_saved_version(tmp_path, monkeypatch):
    from regcert_xl.read import settings_sheet

    book = build_small(tmp_path, "small.xlsm")
    reads = []
    real = settings_sheet.settings_rows
    monkeypatch.setattr(settings_sheet, "settings_rows", lambda path, *a: reads.append(path) or real(path, *a))
    evaluations = []
    real_evaluate = excel_bridge.evaluate_tables
    monkeypatch.setattr(excel_bridge, "evaluate_tables", lambda *a, **k: evaluations.append(1) or real_evaluate(*a, **k))
    for day in (1, 2, 1, 2, 1):
        xl.REGCERT_FLAG("Registered", dt.datetime(2027, 8, 31), as_of=dt.datetime(2027, 3, day), caller=Caller(book))
    assert len(reads) == 1 and len(evaluations) == 2
    os.utime(book, ns=(book.stat().st_atime_ns, book.stat().st_mtime_ns + 1_000_000_000))  # saved again
    xl.REGCERT_FLAG("Registered", dt.datetime(2027, 8, 31), as_of=dt.datetime(2027, 3, 1), caller=Caller(book))
    assert len(reads) == 2


def test_make_room_moves_the_tables_below_a_table_that_grows_or_shrinks(tmp_path):
    """Outcomes stacks its tables; the stand-in moves cells and tables as Excel does when rows
    are inserted or deleted, and refuses a table update that would run into the next table."""
    fake = standin.Book(build_small(tmp_path, "small.xlsm"))
    sheet = fake.sheet("Outcomes")
    programme, employer = sheet.tables["tblOutcomesProgramme"], sheet.tables["tblOutcomesEmployer"]
    width = employer.frame.shape[1]
    start = employer.header_row
    header, first = sheet.read(start, 1, 1, width), sheet.read(start + 1, 1, 1, 1)
    assert header[0] == "Employer" and len(programme.frame) == 1
    bigger = pd.concat([programme.frame] * 6, ignore_index=True)
    bigger.iloc[5, 0] = "Sixth Programme"
    with pytest.raises(RuntimeError, match="would run into"):
        programme.update(bigger)  # no room made: Excel refuses too
    xl.make_room(sheet, excel_bridge.TableUpdate("Outcomes", "tblOutcomesProgramme", bigger))
    programme.update(bigger)
    assert employer.header_row == start + 5
    assert sheet.read(start + 5, 1, 1, width) == header and sheet.read(start + 6, 1, 1, 1) == first
    assert sheet.read(programme.header_row + 6, 1, 1, 1) == "Sixth Programme"
    smaller = bigger.iloc[:1]
    xl.make_room(sheet, excel_bridge.TableUpdate("Outcomes", "tblOutcomesProgramme", smaller))
    programme.update(smaller)
    assert employer.header_row == start
    assert sheet.read(start, 1, 1, width) == header and sheet.read(start + 1, 1, 1, 1) == first
    assert sheet.read(programme.header_row + 1, 1, 1, 1) == "Team Leader"
    assert sheet.read(programme.header_row + 2, 1, 1, 1) in ("", None)  # the longer table's rows are gone
