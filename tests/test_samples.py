"""The sample generator: deterministic, realistic, consistent, and the bundled demo data is
exactly what it generates."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regcert_xl import api
from regcert_xl.samples import SAMPLES_DIR, demo_inputs
from regcert_xl.samples.generate import build_sample, generate, injected_problems, main, write

AS_OF = dt.date(2026, 11, 23)
PAST = ("Sat", "Awaiting Result", "Result Received")
FUTURE = ("Booked", "Planned")
PASSES = ("Pass", "Merit", "Distinction")
AT_GATEWAY = ("Gateway Reached", "Ready", "Ready / Gateway Reached")

LIFECYCLE = ("Not Registered", "Registered", "Gateway Reached", "Achieved", "Certificate Claimed",
             "Certificate Received", "Certificate Sent", "Registration Not Required", "Exempt")
ALIASES = ("Ready", "Ready / Gateway Reached")
LOCAL_LABELS = ("Deferred", "Break in Learning", "Withdrawn", "Void – Malpractice", "Not Achieved",
                "Taken Elsewhere")
PROBLEMS = {
    "uln_check_digit": "ULN_INVALID", "uln_temporary": "ULN_TEMPORARY",
    "uln_float": "ULN_REPAIRED", "uln_scientific": "ULN_REPAIRED",
    "date_impossible": "DATE_INVALID", "date_us_order": "DATE_INVALID",
    "achieved_before_registration": "DATE_ORDER", "achieved_in_future": "DATE_IN_FUTURE",
    "status_unknown": "STATUS_UNKNOWN", "registered_blank_date": "STATUS_MISSING_FIELD",
    "duplicate_identical": "DUPLICATE_RECORD", "duplicate_different": "DUPLICATE_RECORD",
    "orphan_assessment": "ORPHAN_ASSESSMENT", "epao_invalid": "EPAO_ID_INVALID",
    "result_without_date": "RESULT_WITHOUT_DATE", "formula_text": "",
}


def valid_uln(text: str) -> bool:
    """The DfE check, written out independently of the generator."""
    if len(text) != 10 or not text.isdigit() or text[0] == "0":
        return False
    remainder = sum(int(d) * w for d, w in zip(text[:9], range(10, 1, -1), strict=True)) % 11
    return remainder != 0 and int(text[9]) == (10 - remainder) % 10


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%d/%m/%Y")


@pytest.fixture(scope="module")
def bundled() -> tuple[pd.DataFrame, pd.DataFrame]:
    q_path, a_path, _ = demo_inputs()
    return read(q_path), read(a_path)


@pytest.fixture(scope="module")
def demo_sample():
    return build_sample(300, 7, AS_OF)


# -- determinism and the bundled data --------------------------------------------------------------

def test_same_seed_same_frames_and_different_seed_different_frames() -> None:
    q1, a1 = generate(400, seed=7, as_of=AS_OF)
    q2, a2 = generate(400, seed=7, as_of=AS_OF)
    pd.testing.assert_frame_equal(q1, q2)
    pd.testing.assert_frame_equal(a1, a2)
    q3, a3 = generate(400, seed=8, as_of=AS_OF)
    assert not q1.equals(q3)
    assert not a1.equals(a3)


def test_bundled_files_are_a_fresh_generation(tmp_path: Path) -> None:
    info = json.loads((SAMPLES_DIR / "sample.json").read_text(encoding="utf-8"))
    assert info == {"as_of": "2026-11-23", "learners": 300, "seed": 7}
    write(tmp_path, info["learners"], info["seed"], dt.date.fromisoformat(info["as_of"]))
    for name in ("qualifications.csv", "assessments.csv", "sample.json"):
        assert (tmp_path / name).read_bytes() == (SAMPLES_DIR / name).read_bytes(), name


def test_demo_inputs_point_at_the_bundled_files() -> None:
    q_path, a_path, as_of = demo_inputs()
    assert q_path.is_file() and a_path.is_file()
    assert as_of == "2026-11-23"
    assert q_path.stat().st_size + a_path.stat().st_size < 600_000


def test_csv_is_utf8_with_bom_comma_and_crlf() -> None:
    raw = (SAMPLES_DIR / "qualifications.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfLearner Reference,ULN,First Name,Last Name,")
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert "EPA Assessment – ".encode() in raw  # en dash, UTF-8


def test_frames_have_the_export_headers(demo_sample) -> None:
    assert list(demo_sample.qualifications.columns) == [
        "Learner Reference", "ULN", "First Name", "Last Name", "Programme", "Employer", "Cohort",
        "Tutor", "Qualification", "Qualification Number", "Awarding Body", "EPAO ID", "Status",
        "Start Date", "Planned End Date", "Registration Date", "Registration Number",
        "Planned Achieved Date", "Achieved Date", "Certificate Claimed Date",
        "Certificate Received Date", "Certificate Sent Date", "Postal Tracking Ref", "Funding Band"]
    assert list(demo_sample.assessments.columns) == [
        "Learner Reference", "ULN", "Qualification", "Assessment", "Type", "Attempt",
        "Assessment Date", "Status", "Result", "Grade"]
    assert not demo_sample.qualifications.isna().any().any()


# -- content ---------------------------------------------------------------------------------------

def test_every_uln_is_valid_and_unique_except_the_deliberate_problems(demo_sample) -> None:
    q, a = demo_sample.qualifications, demo_sample.assessments
    damaged = {p.value for p in demo_sample.problems if p.column == "ULN"}
    assert {"9999999999"} <= damaged
    for frame in (q, a):
        bad = {u for u in frame["ULN"].unique() if not valid_uln(u)}
        assert bad == damaged & set(frame["ULN"]), bad
    clean = q[~q["ULN"].isin(damaged)]
    per_learner = clean.groupby("Learner Reference")["ULN"].nunique()
    assert (per_learner == 1).all()
    assert clean.drop_duplicates("Learner Reference")["ULN"].is_unique


def test_ulns_are_valid_without_problems() -> None:
    q, a = generate(3000, seed=11, as_of=AS_OF, problems=False)
    ulns = q.drop_duplicates("Learner Reference")["ULN"]
    assert len(ulns) == 3000 and ulns.is_unique
    assert all(valid_uln(u) for u in ulns)
    assert set(a["ULN"]) <= set(ulns)


def test_every_status_and_local_label_appears(bundled) -> None:
    q, _ = bundled
    statuses = set(q["Status"])
    missing = set(LIFECYCLE + ALIASES + LOCAL_LABELS) - statuses
    assert not missing


def test_records_and_titles_look_like_the_learner_system(bundled) -> None:
    q, a = bundled
    titles = set(q["Qualification"])
    for component in ("Knowledge Test", "Professional Discussion", "Observation", "Overall Outcome"):
        assert f"EPA Assessment – {component}" in titles
    assert {"Gateway sign-off", "Functional Skills English Level 2",
            "Functional Skills Maths Level 2"} <= titles
    assert 4 <= q["Programme"].nunique() <= 6
    assert 15 <= q["Employer"].nunique() <= 30
    assert q["Cohort"].str.fullmatch(r"[A-Z]+-20\d\d-\d\d").all()
    assert q["EPAO ID"].replace("EPA12", "").str.fullmatch(r"(EPA\d{4})?").all()
    assert set(a["Type"]) == {"Mock", "Gateway", "First Attempt", "Resit", "Retake", "Final Result"}
    assert set(a["Status"]) == {"Planned", "Booked", "Sat", "Awaiting Result", "Result Received",
                                "Cancelled"}
    assert {"Pass", "Merit", "Distinction", "Fail", "Referred", "No Attempt", "Absent"} <= set(a["Result"])
    assert (a["Attempt"] == "").any() and (a["Attempt"] == "2").any()


def test_dates_are_consistent_with_status() -> None:
    q, a = generate(3000, seed=3, as_of=AS_OF, problems=False)
    as_of = pd.Timestamp(AS_OF)
    d = {c: dates(q[c]) for c in q.columns if c.endswith("Date")}
    rank = q["Status"].map({"Registered": 1, "Gateway Reached": 2, "Ready": 2,
                            "Ready / Gateway Reached": 2, "Achieved": 3, "Certificate Claimed": 4,
                            "Certificate Received": 5, "Certificate Sent": 6}).fillna(0)
    internal = q["Qualification"] == "Gateway sign-off"
    assert d["Registration Date"][(rank >= 1) & ~internal].notna().all()
    assert d["Achieved Date"][rank >= 3].notna().all()
    for later, level in (("Certificate Claimed Date", 4), ("Certificate Received Date", 5),
                         ("Certificate Sent Date", 6)):
        assert d[later][rank >= level].notna().all()
        assert d[later][rank < level].isna().all()
    for earlier, later in (("Registration Date", "Achieved Date"),
                           ("Achieved Date", "Certificate Claimed Date"),
                           ("Certificate Claimed Date", "Certificate Received Date"),
                           ("Certificate Received Date", "Certificate Sent Date")):
        both = d[earlier].notna() & d[later].notna()
        assert (d[later][both] >= d[earlier][both]).all(), (earlier, later)
    for column in ("Registration Date", "Achieved Date", "Certificate Sent Date"):
        assert (d[column].dropna() <= as_of).all()
    months = (d["Planned End Date"] - d["Start Date"]).dt.days / 30.44
    assert months.between(11.9, 24.1).all()
    assessed = dates(a["Assessment Date"])
    assert (assessed[a["Status"].isin(PAST)] < as_of).all()
    assert (assessed[a["Status"].isin(FUTURE)] > as_of).all()
    starts = q.drop_duplicates("Learner Reference").set_index("Learner Reference")["Start Date"]
    assert (assessed >= dates(a["Learner Reference"].map(starts))).all()


def test_the_situations_the_flags_look_for_are_all_there(bundled) -> None:
    q, a = bundled
    as_of = pd.Timestamp(AS_OF)
    attempts = a[a["Type"].isin(["First Attempt", "Resit", "Retake"]) & (a["Status"] != "Cancelled")]
    attempts = attempts.assign(when=dates(attempts["Assessment Date"]))
    last = attempts.sort_values("when").groupby(["ULN", "Qualification"]).tail(1)
    failed = last["Result"].isin(["Fail", "Referred", "No Attempt", "Absent"])
    assert failed.any(), "resit needed"
    booked_resit = attempts[(attempts["Type"] == "Resit") & (attempts["Status"] == "Booked")]
    assert len(booked_resit), "failed, resit booked"
    second = attempts[attempts["Type"].isin(["Resit", "Retake"])]
    assert second["Result"].isin(PASSES).any(), "passed at the second attempt"
    waiting = last[last["Status"].isin(["Sat", "Awaiting Result"])]
    assert ((as_of - waiting["when"]).dt.days > 28).any(), "result overdue"
    assert ((as_of - waiting["when"]).dt.days <= 28).any(), "result pending"
    status = q.drop_duplicates(["ULN", "Qualification"]).set_index(["ULN", "Qualification"])["Status"]
    passes = last[last["Result"].isin(PASSES)]
    behind = status.reindex(pd.MultiIndex.from_frame(passes[["ULN", "Qualification"]])).isin(AT_GATEWAY)
    assert behind.any(), "pass recorded while the status is behind"
    at_gateway = set(q.loc[q["Status"].isin(AT_GATEWAY), "ULN"])
    functional_skills = q["Qualification"].str.startswith("Functional Skills")
    fs_open = set(q.loc[functional_skills & (q["Status"] == "Registered"), "ULN"])
    assert at_gateway & fs_open, "gateway blocked by Functional Skills"
    not_registered = q[q["Status"] == "Not Registered"]
    due = dates(not_registered["Planned End Date"]) - pd.DateOffset(months=6)
    assert (due < as_of).any() and ((due >= as_of) & (due <= as_of + pd.Timedelta(days=30))).any()
    achieved = dates(q.loc[q["Status"] == "Achieved", "Achieved Date"])
    assert ((as_of - achieved).dt.days > 20).any() and ((as_of - achieved).dt.days <= 20).any()
    claimed = dates(q.loc[q["Status"] == "Certificate Claimed", "Certificate Claimed Date"])
    assert ((as_of - claimed).dt.days > 21).any()


def test_size_scales_with_learners() -> None:
    q, a = generate(2000, seed=7, as_of=AS_OF)
    assert 7_500 <= len(q) <= 9_000
    assert 7_000 <= len(a) <= 9_500
    assert q["Learner Reference"].nunique() == 2000


# -- the deliberate problems ---------------------------------------------------------------------

def test_the_deliberate_problems_are_where_the_list_says(demo_sample, bundled) -> None:
    problems = demo_sample.problems
    assert {p.name: p.code for p in problems} == PROBLEMS
    frames = {"qualifications": bundled[0], "assessments": bundled[1]}
    for p in problems:
        frame = frames[p.sheet]
        row = frame.iloc[p.row - 2]
        assert row["Learner Reference"] == p.learner_ref, p
        if p.column:
            assert row[p.column] == p.value, p
    q = bundled[0]
    identical = next(p for p in problems if p.name == "duplicate_identical")
    assert q.iloc[identical.row - 2].equals(q.iloc[identical.row - 3])
    scientific = next(p for p in problems if p.name == "uln_scientific").value
    assert re.fullmatch(r"[1-9]\.\d{9}E9", scientific) and valid_uln(scientific[0] + scientific[2:11])
    floating = next(p for p in problems if p.name == "uln_float").value
    assert re.fullmatch(r"\d{10}\.0", floating) and valid_uln(floating[:10])
    assert injected_problems(300, 7, AS_OF) == problems


def test_problem_positions_follow_the_seed() -> None:
    rows = {p.name: p.row for p in injected_problems(300, 8, AS_OF)}
    assert rows != {p.name: p.row for p in injected_problems(300, 7, AS_OF)}
    assert build_sample(300, 7, AS_OF, problems=False).problems == []


def test_the_validator_finds_each_problem_and_nothing_else() -> None:
    q_path, a_path, as_of = demo_inputs()
    issues = api.validate(q_path, a_path, as_of=as_of).issues
    found = set(zip(issues["sheet"].str.replace(".csv", "", regex=False), issues["row"], issues["code"], strict=True))
    for p in build_sample(300, 7, AS_OF).problems:
        if p.code:
            assert (p.sheet, p.row, p.code) in found, p
    explained = {"ULN_INVALID", "ULN_TEMPORARY", "UNKNOWN_COLUMN"} | set(PROBLEMS.values())
    assert set(issues["code"]) <= explained


def test_clean_samples_validate_without_issues(tmp_path: Path) -> None:
    q_path, a_path = write(tmp_path, 1500, seed=5, as_of=AS_OF, problems=False)
    issues = api.validate(q_path, a_path, as_of=AS_OF.isoformat()).issues
    assert set(issues["code"]) <= {"UNKNOWN_COLUMN"}, issues.head(10).to_string()


# -- writing -----------------------------------------------------------------------------------------

def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    import openpyxl

    q_path, a_path = write(tmp_path, 120, seed=7, as_of=AS_OF, fmt="xlsx")
    assert q_path.suffix == a_path.suffix == ".xlsx"
    book = openpyxl.load_workbook(q_path, read_only=True)
    rows = list(book["Qualifications"].iter_rows(values_only=True))
    header = list(rows[0])
    funding = [r[header.index("Funding Band")] for r in rows[1:]]
    formula = [v for v in funding if v and str(v).startswith("=")]
    assert formula == ['=HYPERLINK("http://example.com","x")']
    book.close()
    cells = openpyxl.load_workbook(q_path)["Qualifications"]
    for row in cells.iter_rows(min_row=2):
        cell = row[header.index("Funding Band")]
        if cell.value and str(cell.value).startswith("="):
            assert cell.data_type == "s"
    assert json.loads((tmp_path / "sample.json").read_text())["learners"] == 120


def test_command_line_writes_both_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--learners", "40", "--seed", "3", "--as-of", "2026-06-30", "--out", str(tmp_path),
                 "--no-problems"])
    assert code == 0
    assert json.loads((tmp_path / "sample.json").read_text()) == {"as_of": "2026-06-30", "learners": 40, "seed": 3}
    q = read(tmp_path / "qualifications.csv")
    assert q["Learner Reference"].nunique() == 40
    assert "qualifications.csv" in capsys.readouterr().out
    assert np.all(dates(q["Achieved Date"]).dropna() <= pd.Timestamp("2026-06-30"))
