"""Real exports, shaped on each system's published column list (fixtures typed by hand under
tests/fixtures/exports/, not made by the sample generator): read, detected, translated and
flagged — and never a crash when a required column is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
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


def table(name: str, record: str, source: str | None = None):
    from regcert_xl.read import read_table

    return read_table(EXPORTS / name, record, source=source)


@pytest.mark.parametrize("name, record, profile", [
    ("aptem_import_update.csv", "qualifications", "Aptem Import and Update CSV"),
    ("aptem_assessments.csv", "assessments", "Aptem assessments CSV"),
    ("aptem_odata_qualifications.json", "qualifications", "Aptem OData"),
    ("aptem_odata_assessments.json", "assessments", "Aptem OData"),
    ("ilr_learning_deliveries.csv", "qualifications", "ILR learning deliveries"),
    ("dfe_assessment_service.csv", "assessments", "DfE assessment service"),
    ("bud_bulk_certification.csv", "qualifications", "Bud bulk certification"),
])
def test_each_export_is_detected(name, record, profile):
    assert table(name, record).profile == profile


def test_ilr_codes_become_statuses_and_grades():
    t = table("ilr_learning_deliveries.csv", "qualifications")
    assert rows(t.data, "learner_ref", "qualification_number", "programme", "start_date", "achieved_date",
                "overall_grade", "status") == [
        ["LR001", "ZPROG001", "95", "2025-09-01", None, None, "Not Registered"],
        ["LR002", "ZPROG001", "95", "2024-09-01", "2026-09-30", "Distinction", "Achieved"],
        ["LR003", "ZPROG001", "95", "2024-09-01", None, None, "Gateway Reached"],
        ["LR004", "60312345", None, "2024-09-01", None, None, "Withdrawn"],
        ["LR005", "ZPROG001", "95", "2025-01-06", None, None, "Break in Learning"],
        ["LR006", "ZPROG001", "95", "2024-09-01", None, "Fail", "Not Achieved"],
        ["LR007", "ZPROG001", "95", "2024-09-01", None, "ZZ", "ILR CompStatus 9 Outcome (blank)"],
    ]
    assert [c.header for c in t.columns if c.field is None] == ["LearnActEndDate", "CompStatus", "Outcome"]
    flags = api.flags(EXPORTS / "ilr_learning_deliveries.csv", as_of=AS_OF)
    assert rows(flags, "learner_ref", "flag", "rag")[::3] == [
        ["LR001", "ON_TRACK", "GREEN"], ["LR004", "CLOSED", "GREY"], ["LR007", "STATUS_UNKNOWN", "BLUE"]]


def test_dfe_results_types_and_grades():
    t = table("dfe_assessment_service.csv", "assessments")
    assert rows(t.data, "qualification_number", "assessment_date", "assessment_type", "status", "result", "grade") == [
        ["ST0384", "2026-10-01", "Final", "Result Received", "Fail", "Fail"],
        ["ST0384", "2026-11-02", "Resit", "Result Received", "Pass", "Pass with excellence"],
        ["ST0384", "2026-09-30", "Final", "Result Received", "Pass", "Distinction"],
        ["ST0384", "2026-10-15", "Retake", "Cancelled", None, "No grade awarded"],
        ["ST0384", None, "Final", "Awaiting Result", None, None],
        ["ST0384", "2026-10-20", "Final", "Result Received", "No-show", None],
    ]
    report = api.validate(EXPORTS / "aptem_import_update.csv", EXPORTS / "dfe_assessment_service.csv", as_of=AS_OF)
    assert "VALUE_UNKNOWN" not in set(report.issues["code"])  # No-show is a fail word


def test_no_show_and_unsuccessful_are_fails():
    from regcert_xl.model.settings import Settings
    from regcert_xl.model.vocab import resolve, result_index

    words = pd.Series(["No-show", "No Show", "Unsuccessful", "Pass with excellence", "Credit"])
    assert resolve(words, result_index(Settings())).tolist() == ["fail", "fail", "fail", "pass", "pass"]


def test_bud_statuses_from_certificate_dates():
    t = table("bud_bulk_certification.csv", "qualifications")
    assert rows(t.data, "learner_ref", "achieved_date", "overall_grade", "certificate_received_date",
                "certificate_sent_date", "postal_tracking_ref", "status") == [
        ["BUD-001", "2026-09-01", "Merit", None, None, None, "Achieved"],
        ["BUD-002", "2026-06-15", "Pass", "2026-07-10", "2026-07-20", "RM123456789GB", "Certificate Sent"],
        ["BUD-003", "2026-06-15", "Distinction", "2026-07-10", None, None, "Certificate Received"],
        ["BUD-004", "2026-10-01", None, None, None, None, "Not Achieved"],
        ["BUD-005", None, None, None, None, None, "Registered"],
        ["BUD-006", "2026-10-01", None, None, None, None, "Bud outcome Referred"],
    ]
    flags = api.flags(EXPORTS / "bud_bulk_certification.csv", as_of=AS_OF)
    assert rows(flags, "learner_ref", "flag", "due_date")[:3] == [
        ["BUD-001", "CLAIM_OVERDUE", "2026-09-21"], ["BUD-002", "COMPLETE", None],
        ["BUD-003", "SEND_OVERDUE", "2026-07-24"]]


def test_odata_history_links_by_awarding_body_qualification_id():
    report = api.validate(EXPORTS / "aptem_odata_qualifications.json", EXPORTS / "aptem_odata_assessments.json",
                          as_of=AS_OF)
    errors = report.issues[report.issues["severity"] == "error"]
    assert rows(errors, "row", "column", "code", "value") == [[3, "qualification_id", "ORPHAN_ASSESSMENT", "777"]]
    flags = api.flags(EXPORTS / "aptem_odata_qualifications.json", EXPORTS / "aptem_odata_assessments.json",
                      as_of=AS_OF)
    assert rows(flags, "qualification", "flag")[:2] == [
        ["EPA Assessment – Knowledge Test", "RESIT_REQUIRED"], ["EPA Assessment – Observation", "RESULT_OVERDUE"]]


def run(*args: str):
    from click.testing import CliRunner

    from regcert_xl.cli import main

    return CliRunner().invoke(main, list(args))


def test_source_is_named_and_can_be_forced(tmp_path):
    q = str(EXPORTS / "bud_bulk_certification.csv")
    result = run("validate", "-q", q, "--as-of", AS_OF)
    assert "bud_bulk_certification.csv (Bud bulk certification): 6 records" in result.stdout
    result = run("flags", "-q", q, "--as-of", AS_OF, "--format", "csv")
    assert "Read bud_bulk_certification.csv as Bud bulk certification (6 records)." in result.stderr
    result = run("validate", "-q", q, "--source", "generic / regcert-xl", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1 and '"MISSING_COLUMN"' in result.stdout
    result = run("validate", "-q", q, "--source", "Sage")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "regcert-xl: unknown source 'Sage': the sources are Aptem Import and Update CSV; Aptem assessments CSV; "
        "Aptem OData; ILR learning deliveries; DfE assessment service; Bud bulk certification; Generic / regcert-xl"]
    result = run("flags", "-q", q, "--source", "DfE assessment service")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("regcert-xl: 'DfE assessment service' exports assessments: "
                                     "give that file as --assessments")
    out = tmp_path / "book.xlsx"
    assert run("build", "-q", q, "-o", str(out), "--as-of", AS_OF, "--no-snapshot").exit_code == 0
    start = CalamineWorkbook.from_path(out).get_sheet_by_name("Start").to_python()
    assert ["Source systems", "Qualifications: Bud bulk certification"] in [row[:2] for row in start]


# Per fixture: the qualifications file it is checked with (assessments) and the groups of columns
# it cannot do without (a group is removed at once: a learner is their ULN or their reference).
REQUIRED = {
    "aptem_import_update.csv": (None, [["ULN"], ["Qualification Number"], ["Status"]]),
    "aptem_assessments.csv": ("aptem_import_update.csv", [["ULN"], ["Qualification Number"]]),
    "aptem_odata_qualifications.json": (None, [["ULN"], ["QualificationTitle", "QualificationNumber", "Id"],
                                               ["Status"]]),
    "aptem_odata_assessments.json": ("aptem_odata_qualifications.json", [["ULN"], ["AwardingBodyQualificationId"]]),
    "ilr_learning_deliveries.csv": (None, [["ULN", "LearnRefNumber"], ["LearnAimRef"], ["CompStatus"], ["Outcome"]]),
    "dfe_assessment_service.csv": ("aptem_import_update.csv", [["Uln"], ["StandardReference"], ["StandardCode"]]),
    "bud_bulk_certification.csv": (None, [["ULN", "Learning Plan ID"], ["Aim ID"], ["Outcome"]]),
}


def _without(path: Path, columns: list[str], out: Path) -> Path:
    if path.suffix == ".json":
        document = json.loads(path.read_text(encoding="utf-8"))
        document["value"] = [{k: v for k, v in row.items() if k not in columns} for row in document["value"]]
        out.write_text(json.dumps(document), encoding="utf-8")
        return out
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=columns).to_csv(out, index=False)
    return out


@pytest.mark.parametrize("name, columns", [(name, group) for name, (_q, groups) in REQUIRED.items()
                                           for group in groups])
def test_a_missing_required_column_is_reported_never_a_crash(tmp_path, name, columns):
    paired, _groups = REQUIRED[name]
    cut = _without(EXPORTS / name, columns, tmp_path / name)
    files = ["-q", str(EXPORTS / paired), "-a", str(cut)] if paired else ["-q", str(cut)]
    result = run("validate", *files, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code in (1, 2), result.output
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1
    else:
        missing = [i for i in json.loads(result.stdout) if i["code"] == "MISSING_COLUMN"]
        assert missing and all("\n" not in i["message"] for i in missing)
    for command in (["flags"], ["build", "-o", str(tmp_path / "b.xlsx"), "--no-snapshot"]):
        result = run(*command, *files, "--as-of", AS_OF)
        assert result.exit_code in (0, 1, 2), result.output
        assert "failed unexpectedly" not in result.output and "Traceback" not in result.output
