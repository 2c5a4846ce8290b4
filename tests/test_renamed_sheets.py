"""An admin may rename any sheet: regcert-xl finds its sheets by their Excel Tables, refreshes
them under the admin's names, and every link, defined name and formula follows the new name.
A record sheet that is gone altogether is a one-line refusal, never a silent loss."""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from regcert_xl import api
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.sheets import SHEET_TABLES
from regcert_xl.ooxml.opc import Package
from regcert_xl.ooxml.tables import table_sheets
from tests.conftest import write_csv
from tests.sheet_rename import rename_sheet
from tests.small_book import HEADER, QUALS, build_small

NOW = dt.datetime(2026, 11, 30, 9, 0)


def table_names(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return sorted(re.search(r'\sname="([^"]+)"', z.read(n).decode()).group(1)
                      for n in z.namelist() if n.startswith("xl/tables/"))


def opens_in_both(path) -> list[str]:
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert openpyxl.load_workbook(path).sheetnames == names
    return names


def test_every_sheet_is_listed_with_its_tables(tmp_path):
    book = build_small(tmp_path)
    with Package.open(book) as pkg:
        found = table_sheets(pkg)
    assert {t: s for s, tables in SHEET_TABLES.items() for t in tables if t in found} == found


def test_a_renamed_assessments_sheet_is_still_read_and_refreshed(tmp_path):
    book = build_small(tmp_path)
    rename_sheet(book, "Assessments", "Assessments 2025")
    ev = api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert len(ev.context.assessments) == 5
    names = opens_in_both(book)
    assert names[2] == "Assessments 2025" and "Assessments" not in names
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Assessments 2025").to_python()
    assert rows[0][-4:] == ["Attempt #", "Latest", "Component Flag", "Learner Key"] and len(rows) == 6
    assert table_names(book).count("tblAssessments") == 1
    api.import_export(book, write_csv(tmp_path / "newer.csv", QUALS, HEADER), tmp_path / "a.csv", as_of="2026-11-30",
                      refreshed=NOW)
    assert opens_in_both(book) == names and table_names(book).count("tblAssessments") == 1


def test_a_renamed_overview_is_refreshed_under_the_admins_name(tmp_path):
    book = build_small(tmp_path)
    before = CalamineWorkbook.from_path(str(book)).sheet_names
    rename_sheet(book, "Overview", "Bob's Overview")
    rename_sheet(book, "Learner", "One learner")
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert opens_in_both(book) == [{"Overview": "Bob's Overview", "Learner": "One learner"}.get(n, n) for n in before]
    assert len(table_names(book)) == len(set(table_names(book)))
    wb = openpyxl.load_workbook(book)
    assert wb.defined_names["LearnerList"].attr_text == "'Bob''s Overview'!$A$5:$A$6"
    assert wb.defined_names["LearnerChoice"].attr_text == "'One learner'!$C$3"
    assert {c.hyperlink.location for row in wb["Bob's Overview"].iter_rows() for c in row if c.hyperlink} == {
        "'One learner'!$C$3"}
    formulas = [c.value for row in wb["One learner"].iter_rows() for c in row if str(c.value).startswith("=")]
    assert formulas and not any("'Overview'!" in f for f in formulas)
    assert any("'Bob''s Overview'!" in f for f in formulas)


def test_issue_links_follow_a_renamed_qualifications_sheet_and_settings_are_read_from_a_renamed_sheet(tmp_path):
    book = build_small(tmp_path)
    wb = openpyxl.load_workbook(book)
    row = next(r for r in wb["Settings"].iter_rows(min_row=1) if r[0].value == "claim_within_days")
    row[1].value = "5"
    wb.save(book)
    rename_sheet(book, "Qualifications", "Quals")
    rename_sheet(book, "Settings", "My settings")
    ev = api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert ev.settings.claim_within_days == 5
    links = {c.hyperlink.location for row in openpyxl.load_workbook(book)["Issues"].iter_rows()
             for c in row if c.hyperlink}
    assert links and all(link.startswith(("'Quals'!", "'Assessments'!")) for link in links)


def test_a_deleted_assessments_sheet_is_a_one_line_refusal(tmp_path):
    book = build_small(tmp_path)
    wb = openpyxl.load_workbook(book)
    del wb["Assessments"]
    wb.save(book)
    with pytest.raises(UnusableInput) as caught:
        api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert str(caught.value) == (f"{book}: has lost its Assessments sheet (no sheet holds the table tblAssessments): "
                                 "put it back, e.g. from the .bak, or build the workbook again")


def test_a_sheet_named_like_one_of_ours_but_holding_anothers_tables_is_not_taken_for_it():
    from regcert_xl.model.sheets import sheet_roles

    homes = {"tblActions": "Learner", "tblOverview": "Overview"}
    assert sheet_roles(homes, ["Learner", "Overview", "Actions (old)"]) == {"Actions": "Learner",
                                                                            "Overview": "Overview"}
    assert sheet_roles({}, ["Learner"]) == {"Learner": "Learner"}  # no tables at all: the name decides


def test_links_follow_two_sheets_that_swapped_names():
    import pandas as pd

    from regcert_xl.reports.base import Section, renamed_links

    section = Section("tblIssues", "Issues", pd.DataFrame({"Go To": ["'Qualifications'!A1", "'Assessments'!B2"]}),
                      {}, links={"Go To": None})
    swapped = renamed_links(section, {"Qualifications": "Assessments", "Assessments": "Qualifications",
                                      "Overview": "Bob's Overview"})
    assert swapped.frame["Go To"].tolist() == ["'Assessments'!A1", "'Qualifications'!B2"]
    overview = Section("tblOverview", "Overview", pd.DataFrame({"ULN": ["1"]}), {}, links={"ULN": "'Learner'!$C$3"})
    assert renamed_links(overview, {"Learner": "One 'learner'"}).links == {"ULN": "'One ''learner'''!$C$3"}
