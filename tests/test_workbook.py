"""The report workbook, read back with two parsers: every sheet, exact values, Excel conventions."""

import datetime as dt
import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from regcert_xl.reports import SHEET_NAMES
from tests.small_book import INJECTION, build_small

D = dt.date


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return build_small(tmp_path_factory.mktemp("wb"))


@pytest.fixture(scope="module")
def cal(book):
    wb = CalamineWorkbook.from_path(str(book))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


@pytest.fixture(scope="module")
def opx(book):
    return openpyxl.load_workbook(book)


def table_rows(rows, header_first_cell):
    """Rows of the table whose header row starts with ``header_first_cell``, up to a blank row."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == header_first_cell)
    out = []
    for r in rows[start + 1:]:
        if all(v == "" for v in r):
            break
        out.append(r)
    return rows[start], out


def test_every_sheet_in_order(cal, opx):
    assert list(cal) == list(SHEET_NAMES) == [
        "Start", "Qualifications", "Assessments", "Issues", "Overview", "Actions", "Learner", "Pipeline",
        "Outcomes", "Changes", "Status History", "Settings"]
    assert opx.sheetnames == list(SHEET_NAMES)


def test_every_table_has_its_stable_name(opx):
    tables = {ws.title: sorted(ws.tables) for ws in opx.worksheets}
    assert tables == {
        "Start": ["tblGuide", "tblImport", "tblStart"], "Qualifications": ["tblQualifications"],
        "Assessments": ["tblAssessments"], "Issues": ["tblIssues"], "Overview": ["tblOverview"],
        "Actions": ["tblActions"],
        "Learner": ["tblLearnerAssessments", "tblLearnerChecklist", "tblLearnerDetails", "tblLearnerQualifications"],
        "Pipeline": ["tblPipelineActions", "tblPipelineCohort", "tblPipelineEmployer", "tblPipelineGateway",
                     "tblPipelineProgramme"],
        "Outcomes": ["tblAchievement", "tblOutcomesCohort", "tblOutcomesComponent", "tblOutcomesEmployer",
                     "tblOutcomesMonth", "tblOutcomesProgramme"],
        "Changes": ["tblChanges"], "Status History": ["tblHistory"], "Settings": ["tblSettings", "tblValidValues"]}
    assert opx["Qualifications"].tables["tblQualifications"].ref == "A1:AA5"
    assert opx["Overview"].tables["tblOverview"].ref == "A4:M6"


def test_qualifications_sheet(cal):
    rows = cal["Qualifications"]
    assert rows[0][-7:] == ["Flag", "RAG", "Action", "Due Date", "Days Overdue", "Owner", "Learner Key"]
    assert rows[0][19] == "Notes From Tutor"
    generated = [r[-7:] for r in rows[1:]]
    assert generated == [
        ["ON_TRACK", "GREEN", "No action needed", D(2027, 7, 31), -250.0, "", "1000000043#1"],
        ["CLAIM_OVERDUE", "RED", "Claim the certificate — due 22/11/2026, 1 day overdue", D(2026, 11, 22), 1.0,
         "Admin", "1000000043#2"],
        ["REGISTRATION_OVERDUE", "RED", "Register with the awarding body / EPAO — due 28/02/2026, 268 days overdue",
         D(2026, 2, 28), 268.0, "Admin", "1234567899#1"],
        ["COMPLETE", "GREEN", "No action needed", "", "", "", "1234567899#2"]]
    # the user's columns, exactly as read: text stays text, dates are dates, unknown columns untouched
    assert rows[1][:3] == ["L001", "1000000043", "Ann"]
    assert rows[2][15] == D(2026, 11, 2) and rows[2][19] == "007"
    assert rows[1][19] == INJECTION


def test_the_notes_on_the_generated_columns_are_signed_by_regcert_xl(opx):
    """A note with no author shows as "None" once openpyxl has saved the workbook."""
    notes = {sheet: [(c.coordinate, c.comment.author) for row in opx[sheet].iter_rows() for c in row if c.comment]
             for sheet in ("Qualifications", "Assessments")}
    assert notes == {"Qualifications": [("U1", "regcert-xl")], "Assessments": [("J1", "regcert-xl")]}


def test_assessments_sheet(cal):
    rows = cal["Assessments"]
    assert rows[0][-4:] == ["Attempt #", "Latest", "Component Flag", "Learner Key"]
    assert [r[-4:] for r in rows[1:]] == [
        [1.0, "Yes", "RESIT_BOOKED", "1000000043#1"], [2.0, "", "BOOKED", "1000000043#2"],
        [1.0, "Yes", "PASSED", "1000000043#3"], [1.0, "Yes", "PASSED", "1234567899#1"],
        ["", "", "NOT_AN_ATTEMPT", "1234567899#2"]]


def test_issues_sheet(cal, opx):
    header, rows = table_rows(cal["Issues"], "Severity")
    assert header == ["Severity", "Code", "Sheet", "Row", "Column", "Value", "Message", "Action", "Go To"]
    assert rows == [["info", "UNKNOWN_COLUMN", "Qualifications", 1.0, "", "Notes From Tutor",
                     "'Notes From Tutor' is not a column regcert-xl uses; it is kept as it is",
                     "Nothing to do, or map the header in settings (column_aliases) if it should be used.",
                     "'Qualifications'!A1"]]
    link = opx["Issues"]["I5"].hyperlink
    assert link.location == "'Qualifications'!A1"


def test_overview_sheet(cal, opx):
    header, rows = table_rows(cal["Overview"], "ULN")
    assert header == ["ULN", "Learner Ref", "Learner", "Programme", "Employer", "Cohort", "Knowledge Test",
                      "Observation", "Worst RAG", "Open Actions", "% Complete", "Next Due Date", "Provisional Grade"]
    assert rows == [
        ["1234567899", "L002", "Bo Jones", "Team Leader", "Acme Ltd", "TL-2025-09", "REGISTRATION_OVERDUE",
         "COMPLETE", "RED", 1.0, 0.5, D(2026, 2, 28), ""],
        ["1000000043", "L001", "Ann Smith", "Team Leader", "Acme Ltd", "TL-2025-09", "ON_TRACK", "CLAIM_OVERDUE",
         "RED", 1.0, 0.0, D(2026, 11, 22), ""]]
    ws = opx["Overview"]
    assert ws["A5"].hyperlink.location == "'Learner'!$C$3"
    assert ws.freeze_panes == "D5"


def test_actions_sheet(cal):
    header, rows = table_rows(cal["Actions"], "Learner")
    assert header[:12] == ["Learner", "ULN", "Learner Ref", "Programme", "Employer", "Qualification", "Flag", "RAG",
                           "Action", "Due Date", "Days Overdue", "Owner"]
    assert [r[:12] for r in rows] == [
        ["Bo Jones", "1234567899", "L002", "Team Leader", "Acme Ltd", "EPA Assessment – Knowledge Test",
         "REGISTRATION_OVERDUE", "RED", "Register with the awarding body / EPAO — due 28/02/2026, 268 days overdue",
         D(2026, 2, 28), 268.0, "Admin"],
        ["Ann Smith", "1000000043", "L001", "Team Leader", "Acme Ltd", "EPA Assessment – Observation",
         "CLAIM_OVERDUE", "RED", "Claim the certificate — due 22/11/2026, 1 day overdue", D(2026, 11, 22), 1.0,
         "Admin"]]


def test_learner_sheet_follows_the_chosen_learner(cal, opx):
    rows = cal["Learner"]
    assert rows[2][:2] == ["Learner (ULN or reference)", "1234567899"]
    _, details = table_rows(rows, "Field")
    assert details == [["Learner", "Bo Jones"] + [""] * 10, ["Learner Ref", "L002"] + [""] * 10,
                       ["Programme", "Team Leader"] + [""] * 10, ["Employer", "Acme Ltd"] + [""] * 10,
                       ["Cohort", "TL-2025-09"] + [""] * 10, ["Worst RAG", "RED"] + [""] * 10,
                       ["Open Actions", 1.0] + [""] * 10, ["% Complete", 0.5] + [""] * 10,
                       ["Next Due Date", D(2026, 2, 28)] + [""] * 10, ["Provisional Grade", ""] + [""] * 10]
    _, quals = table_rows(rows, "Qualification")
    assert [r[:2] + r[-3:-1] for r in quals] == [
        ["EPA Assessment – Knowledge Test", "Not Registered", "REGISTRATION_OVERDUE",
         "Register with the awarding body / EPAO — due 28/02/2026, 268 days overdue"],
        ["EPA Assessment – Observation", "Certificate Sent", "COMPLETE", "No action needed"]]
    # live: the cells are formulas looking the learner up by the chooser
    ws = opx["Learner"]
    assert ws["C3"].value == "1234567899"
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and all("LearnerChoice" in f or "INDEX(" in f for f in formulas)


def test_learner_option_chooses_who_is_shown(tmp_path):
    book = build_small(tmp_path, learner="1000000043")
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("Learner").to_python()
    assert rows[2][1] == "1000000043"
    _, details = table_rows(rows, "Field")
    assert details[0][:2] == ["Learner", "Ann Smith"]


def test_pipeline_sheet(cal):
    header, rows = table_rows(cal["Pipeline"], "Programme")
    assert header[:6] == ["Programme", "Not Registered", "Registered", "Achieved", "Certificate Sent", "Total"]
    assert [r[:6] for r in rows] == [["Team Leader", 1.0, 1.0, 1.0, 1.0, 4.0], ["Total", 1.0, 1.0, 1.0, 1.0, 4.0]]
    header, rows = table_rows(cal["Pipeline"], "Flag")
    assert rows == [["REGISTRATION_OVERDUE", "Admin", 1.0, 0.0, 0.0, 0.0, 0.0, 268.0],
                    ["CLAIM_OVERDUE", "Admin", 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]]


def test_outcomes_hand_computed(cal):
    header, rows = table_rows(cal["Outcomes"], "Component")
    assert header == ["Component", "Learners Assessed", "Attempts", "First-Attempt Pass Rate", "Overall Pass Rate",
                      "Resits", "Awaiting Results", "Merit", "Distinction"]
    # Knowledge Test: Ann failed attempt 1 (resit booked, not sat; Bo's mock is not an attempt): 0 of 1
    # Observation: Ann Merit, Bo Distinction, both first time: 2 of 2
    assert rows == [["Knowledge Test", 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                    ["Observation", 2.0, 2.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0]]
    _, rows = table_rows(cal["Outcomes"], "Programme")
    assert rows[0][:5] == ["Team Leader", 2.0, 3.0, pytest.approx(2 / 3), pytest.approx(2 / 3)]
    _, rows = table_rows(cal["Outcomes"], "Month")
    assert [r[:5] for r in rows] == [["2026-05", 1.0, 1.0, 1.0, 1.0], ["2026-10", 1.0, 2.0, 0.5, 0.5]]
    header, rows = table_rows(cal["Outcomes"][-3:], "Programme")  # the last table: achievement by programme
    assert header == ["Programme", "Records", "Achieved", "Not Achieved", "In Progress", "Excluded",
                      "Achievement Rate", "", ""]
    assert rows == [["Team Leader", 4.0, 2.0, 0.0, 2.0, 0.0, 1.0, "", ""]]


def test_settings_and_changes_sheets(cal):
    header, rows = table_rows(cal["Settings"], "Setting")
    assert header == ["Setting", "Value", "Default", "Meaning"]
    assert ["due_soon_days", "30", "30", "An action due within this many days is AMBER."] in rows
    _, lists = table_rows(cal["Settings"], "Qualification Status")
    assert lists[0] == ["Not Registered", "Mock", "Planned", "Pass"]
    header, rows = table_rows(cal["Changes"], "Learner")
    assert header == ["Learner", "ULN", "Qualification", "Field", "Export Value", "Workbook Value", "Status", "Upload"]
    assert rows == []  # built from the export itself: nothing changed yet


def test_start_sheet(cal):
    _, rows = table_rows(cal["Start"], "Item")
    facts = dict(r[:2] for r in rows)
    assert facts["As-of date"] == "23/11/2026"
    assert facts["Qualification records"] == "4" and facts["Learners"] == "2"
    assert facts["Issues"] == "0 errors · 0 warnings · 1 info"
    assert facts["Records by RAG"] == "RED 2 · AMBER 0 · BLUE 0 · GREEN 2 · GREY 0"


def test_no_data_is_ever_a_formula(book, opx):
    for ws in opx.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert ws.title == "Learner", (ws.title, c.coordinate, c.value)
    assert opx["Qualifications"]["T2"].value == INJECTION
    assert opx["Qualifications"]["T2"].data_type == "s"
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet") and name != "xl/worksheets/sheet7.xml":
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_excel_conventions(opx):
    q = opx["Qualifications"]
    assert q.freeze_panes == "A2"
    assert q["K2"].number_format == "dd/mm/yyyy"
    assert q.protection.sheet is False  # the admin's input stays editable
    for name in ("Overview", "Actions", "Issues", "Pipeline", "Outcomes", "Learner", "Start", "Changes", "Status History"):
        assert opx[name].protection.sheet is True, name
    assert opx["Learner"]["C3"].protection.locked is False  # the chooser stays usable
    status_lists = [dv for dv in q.data_validations.dataValidation if dv.formula1 == "ListQualificationStatus"]
    assert [str(dv.sqref) for dv in status_lists] == ["J2:J5"]
    assert opx.defined_names["ListQualificationStatus"].attr_text == "'Settings'!$A$38:$A$58"
    rag_rules = [r for rng in q.conditional_formatting for r in rng.rules if '"RED"' in (r.formula or [""])[0]]
    assert rag_rules
    assert q.column_dimensions["AA"].hidden  # the learner key helper
    assert opx["Overview"].column_dimensions["A"].width > 10


def test_native_charts(book):
    with zipfile.ZipFile(book) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        text = b"".join(z.read(n) for n in charts)
    assert b"Status by programme" in text and b"Pass rates by component" in text


def test_reports_longer_than_a_sheet_are_cut_with_a_note_and_records_are_refused(tmp_path, monkeypatch):
    """Excel's row limit (made small here): a report shows its first rows and says so; records
    that would not fit are an error, never silently dropped."""
    import pandas as pd

    from regcert_xl.model.issues import UnusableInput
    from regcert_xl.reports.base import Section
    from regcert_xl.workbook import sheet_limits
    from tests.small_book import QUALS

    monkeypatch.setattr(sheet_limits, "EXCEL_ROWS", 10)
    listing = Section("tblActions", "Actions", pd.DataFrame({"n": range(12)}), note="Open actions.")
    cut = sheet_limits.fit(listing, header_row=3)
    assert cut.frame["n"].tolist() == [0, 1, 2, 3, 4, 5]  # rows 5..10 of the sheet
    assert cut.note == ("Open actions. Showing the first 6 of 12 rows: an Excel sheet holds no more "
                        "(regcert-xl validate and actions write every row to CSV).")
    assert sheet_limits.fit(listing, header_row=0).frame.equals(listing.frame.iloc[:9])
    short = Section("tblX", "X", pd.DataFrame({"n": range(6)}))
    assert sheet_limits.fit(short, header_row=3) is short
    with pytest.raises(UnusableInput, match=r"Assessments: 12 records do not fit on one Excel sheet \(9 rows"):
        sheet_limits.fit(listing, header_row=0, records_of="Assessments")

    monkeypatch.setattr(sheet_limits, "EXCEL_ROWS", len(QUALS))  # one record too many for the real build
    with pytest.raises(UnusableInput, match=f"Qualifications: {len(QUALS)} records do not fit"):
        build_small(tmp_path)


def test_a_header_xml_cannot_hold_still_makes_a_well_formed_table(tmp_path):
    """A status with a control character becomes a Pipeline column: the table part stays XML."""
    import pandas as pd
    from xlsxwriter.workbook import Workbook

    from regcert_xl.ooxml import xmlpart
    from regcert_xl.reports.base import Section
    from regcert_xl.workbook.sections import write_table
    from regcert_xl.workbook.styles import Styles

    path = tmp_path / "t.xlsx"
    book = Workbook(str(path))
    styles = Styles(book)
    write_table(book.add_worksheet("Pipeline"), Section("tblP", "P", pd.DataFrame({"Prog": ["X"], "A\x03B": [1]})),
                styles, header_row=0)
    book.close()
    with zipfile.ZipFile(path) as z:
        table = z.read("xl/tables/table1.xml")
    assert [c.get("name") for c in xmlpart.find(table, "tableColumns", "tableColumn")] == ["Prog", "A\ufffdB"]
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Pipeline").to_python()[0] == ["Prog", "A\ufffdB"]
