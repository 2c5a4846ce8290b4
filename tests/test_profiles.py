"""Real exports, shaped on each system's published column list (fixtures typed by hand under
tests/fixtures/exports/, not made by the sample generator): read, detected, translated and
flagged — and never a crash when a required column is missing."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

from regcert_xl import api

AS_OF = "2026-11-23"
EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def rows(frame, *columns: str) -> list[list]:
    """The frame's values as plain Python: dates as ISO text, blanks as None."""
    out = frame[list(columns)].astype(object)
    for c in columns:
        if str(frame[c].dtype).startswith("datetime"):
            out[c] = frame[c].dt.strftime("%Y-%m-%d").astype(object)
    return out.where(out.notna(), None).values.tolist()


def test_import_and_update_csv_without_titles_is_flagged_by_number():
    flags = api.flags(EXPORTS / "aptem_import_update.csv", as_of=AS_OF)
    assert rows(flags, "uln", "qualification", "status", "flag", "due_date") == [
        ["1000000043", "60312345", "Registered", "ON_TRACK", None],
        ["1000000043", "60312346", "Achieved", "CLAIM_OVERDUE", "2026-10-21"],
        ["1234567899", "ST0384", "Certificate Sent", "COMPLETE", None],
        ["2000000028", "60312345", "Not Registered", "PLAN_MISSING", None],
    ]


def test_import_and_update_csv_builds_a_workbook_named_by_number(tmp_path):
    out = tmp_path / "book.xlsx"
    ev = api.build_workbook(EXPORTS / "aptem_import_update.csv", output=out, as_of=AS_OF, snapshot=False)
    assert list(ev.records["component"]) == ["60312345", "60312346", "ST0384", "60312345"]
    overview = CalamineWorkbook.from_path(out).get_sheet_by_name("Overview").to_python()
    header = next(row for row in overview if row and row[0] == "ULN")
    assert header[:5] == ["ULN", "Learner", "60312345", "60312346", "ST0384"]
    learner = api.learner("1000000043", EXPORTS / "aptem_import_update.csv", as_of=AS_OF)
    assert list(learner["qualifications"].columns[:2]) == ["Qualification Number", "Status"]
    assert list(learner["qualifications"]["Qualification Number"]) == ["60312345", "60312346"]


def test_assessments_link_by_qualification_number():
    report = api.validate(EXPORTS / "aptem_import_update.csv", EXPORTS / "aptem_assessments.csv", as_of=AS_OF)
    errors = report.issues[report.issues["severity"] == "error"]
    assert rows(errors, "sheet", "row", "column", "code", "value") == [
        ["aptem_assessments.csv", 5, "qualification_number", "ORPHAN_ASSESSMENT", "99999999"]]
    flags = api.flags(EXPORTS / "aptem_import_update.csv", EXPORTS / "aptem_assessments.csv", as_of=AS_OF)
    assert rows(flags, "qualification", "flag", "action")[0] == [
        "60312345", "RESIT_REQUIRED", "Book a resit or retake: Knowledge Test failed — due 01/10/2026, 53 days overdue"]


def test_assessments_without_any_qualification_column_are_refused_with_one_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ULN,Assessment Name,Assessment Date\n1000000043,Knowledge Test,01/10/2026\n")
    report = api.validate(EXPORTS / "aptem_import_update.csv", path, as_of=AS_OF)
    missing = report.issues[report.issues["code"] == "MISSING_COLUMN"]
    assert list(missing["message"]) == [
        "No Qualification or Qualification Number or Qualification Record ID column. "
        "Headers found: ULN, Assessment Name, Assessment Date"]
