"""Flags from assessments: resits, results, status behind; attempts numbered by date."""

import pytest

from tests.conftest import all_flags, assessment, qual, worst

REG = qual()


def attempt(n, date, result="", status="Result Received", type_="Attempt", **more):
    return assessment(Attempt=str(n), Type=type_, Status=status, Result=result, Grade=result,
                      **{"Assessment Date": date}, **more)


def test_failed_latest_attempt_needs_a_resit(flagged):
    ev = flagged([REG], [attempt(1, "01/10/2026", "Fail")])
    assert worst(ev) == ("RESIT_REQUIRED", "RED", "01/10/2026", 53, "Tutor")
    assert ev.records.iloc[0]["action"] == "Book a resit or retake: Knowledge Test failed — due 01/10/2026, 53 days overdue"


def test_resit_booked_after_the_fail(flagged):
    ev = flagged([REG], [attempt(1, "01/10/2026", "Fail"), attempt(2, "15/12/2026", status="Booked", type_="Resit")])
    assert worst(ev)[0] == "ON_TRACK"


def test_booking_before_the_fail_does_not_count(flagged):
    ev = flagged([REG], [attempt(1, "01/10/2026", "Fail"), attempt("", "01/09/2026", status="Booked")])
    assert worst(ev)[0] == "RESIT_REQUIRED"


def test_several_attempts_latest_decides(flagged):
    fail_fail = [attempt(1, "01/06/2026", "Fail"), attempt(2, "01/08/2026", "Referred", type_="Resit"),
                 attempt(3, "01/10/2026", "Fail", type_="Retake")]
    assert worst(flagged([REG], fail_fail)) == ("RESIT_REQUIRED", "RED", "01/10/2026", 53, "Tutor")
    fail_pass = [attempt(1, "01/06/2026", "Fail"), attempt(2, "01/08/2026", "Merit", type_="Resit")]
    assert worst(flagged([REG], fail_pass)) == ("STATUS_BEHIND", "AMBER", "01/08/2026", 114, "Admin")


def test_mocks_and_cancelled_events_are_not_attempts(flagged):
    events = [attempt("", "01/05/2026", "Fail", type_="Mock"), attempt("", "01/06/2026", "Fail", status="Cancelled")]
    assert worst(flagged([REG], events))[0] == "ON_TRACK"


def test_attempts_numbered_by_date_when_blank(flagged):
    events = [attempt("", "01/08/2026", "Pass", type_="Resit"), attempt("", "01/06/2026", "Fail"),
              attempt("", "01/04/2026", "Pass", type_="Mock")]
    ev = flagged([REG], events)
    e = ev.analysis.events
    assert e["attempt"].fillna(0).tolist() == [2, 1, 0]  # the mock is not an attempt
    assert e["is_resit"].tolist() == [True, False, False]
    assert e["is_latest"].tolist() == [True, False, False]
    assert e["first_attempt_pass"].tolist() == [False, False, False]


@pytest.mark.parametrize("sat, expected", [
    ("27/10/2026", ("RESULT_PENDING", "GREEN", "24/11/2026", -1, "")),    # due tomorrow
    ("26/10/2026", ("RESULT_PENDING", "GREEN", "23/11/2026", 0, "")),     # due today
    ("25/10/2026", ("RESULT_OVERDUE", "RED", "22/11/2026", 1, "Admin")),  # due yesterday
])
def test_result_wait(flagged, sat, expected):
    assert worst(flagged([REG], [attempt(1, sat, status="Awaiting Result")])) == expected


def test_result_pending_details(flagged):
    ev = flagged([REG], [attempt(1, "26/10/2026", status="Sat")])
    assert all_flags(ev) == ["RESULT_PENDING", "ON_TRACK"]
    hit = ev.hits.iloc[0]
    assert hit["due_date"].strftime("%d/%m/%Y") == "23/11/2026"


def test_result_overdue_names_the_component(flagged):
    ev = flagged([REG], [attempt(1, "01/09/2026", status="Sat")])
    assert ev.records.iloc[0]["action"] == "Chase the result: Knowledge Test — due 29/09/2026, 55 days overdue"


def test_ties_are_broken_in_table_order(flagged):
    # two RED flags on one record: a failed component and an overdue result on another
    events = [attempt(1, "01/10/2026", "Fail"),
              attempt(1, "01/09/2026", status="Sat", Assessment="Observation")]
    ev = flagged([REG], events)
    assert all_flags(ev) == ["RESIT_REQUIRED", "RESULT_OVERDUE"]
    assert worst(ev)[0] == "RESIT_REQUIRED"


def test_status_behind_only_before_achieved(flagged):
    ev = flagged([qual(Status="Achieved", **{"Achieved Date": "10/11/2026"})], [attempt(1, "01/10/2026", "Pass")])
    assert "STATUS_BEHIND" not in all_flags(ev)


def test_result_settings(flagged):
    ev = flagged([REG], [attempt(1, "01/10/2026", "Not Yet Competent")])
    assert worst(ev)[0] == "RESIT_REQUIRED"
    ev = flagged([REG], [attempt(1, "01/10/2026", "Competent")], pass_results=["Competent"])
    assert worst(ev)[0] == "STATUS_BEHIND"


def test_result_wait_days_setting(flagged):
    ev = flagged([REG], [attempt(1, "13/11/2026", status="Sat")], result_wait_days=7)
    assert worst(ev) == ("RESULT_OVERDUE", "RED", "20/11/2026", 3, "Admin")
