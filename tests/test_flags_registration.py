"""Not Registered: registration due = planned end − 6 months; AMBER within 30 days, RED after."""

import pytest

from tests.conftest import qual, worst

NOT_REGISTERED = dict(Status="Not Registered", **{"Registration Date": "", "Registration Number": ""})


@pytest.mark.parametrize("as_of, expected", [
    ("2027-03-01", ("REGISTRATION_OVERDUE", "RED", "28/02/2027", 1, "Admin")),     # due yesterday
    ("2027-02-28", ("REGISTRATION_DUE", "AMBER", "28/02/2027", 0, "Admin")),       # due today
    ("2027-02-27", ("REGISTRATION_DUE", "AMBER", "28/02/2027", -1, "Admin")),      # due tomorrow
    ("2027-01-29", ("REGISTRATION_DUE", "AMBER", "28/02/2027", -30, "Admin")),     # 30 days: still due soon
    ("2027-01-28", ("ON_TRACK", "GREEN", "28/02/2027", -31, "")),                  # 31 days: on track
])
def test_registration_thresholds(flagged, as_of, expected):
    # planned end 31/08/2027 − 6 months = 28/02/2027 (month end clamps)
    assert worst(flagged([qual(**NOT_REGISTERED)], as_of=as_of)) == expected


def test_action_text_has_the_date(flagged):
    ev = flagged([qual(**NOT_REGISTERED)], as_of="2027-03-01")
    assert ev.records.iloc[0]["action"] == "Register with the awarding body / EPAO — due 28/02/2027, 1 day overdue"
    ev = flagged([qual(**NOT_REGISTERED)], as_of="2027-02-28")
    assert ev.records.iloc[0]["action"] == "Register with the awarding body / EPAO — due 28/02/2027, today"
    ev = flagged([qual(**NOT_REGISTERED)], as_of="2027-02-20")
    assert ev.records.iloc[0]["action"] == "Register with the awarding body / EPAO — due 28/02/2027, in 8 days"


def test_awarding_body_named_in_action(flagged):
    from tests.conftest import QUAL_HEADER

    ev = flagged([qual(**NOT_REGISTERED, **{"Awarding Body": "the EPAO (NOCN)"})], as_of="2027-04-15",
                 q_header=[*QUAL_HEADER, "Awarding Body"])
    assert ev.records.iloc[0]["action"] == "Register with the EPAO (NOCN) — due 28/02/2027, 46 days overdue"


def test_leap_day_due_date(flagged):
    ev = flagged([qual(**NOT_REGISTERED, **{"Planned End Date": "31/08/2028"})], as_of="2028-02-29")
    assert worst(ev) == ("REGISTRATION_DUE", "AMBER", "29/02/2028", 0, "Admin")
    ev = flagged([qual(**NOT_REGISTERED, **{"Planned End Date": "29/08/2028"})], as_of="2028-03-01")
    assert worst(ev) == ("REGISTRATION_OVERDUE", "RED", "29/02/2028", 1, "Admin")


def test_planned_achieved_date_when_no_planned_end(flagged):
    ev = flagged([qual(**NOT_REGISTERED, **{"Planned End Date": "", "Planned Achieved Date": "15/10/2027"})],
                 as_of="2027-04-16")
    assert worst(ev) == ("REGISTRATION_OVERDUE", "RED", "15/04/2027", 1, "Admin")


def test_blank_plan_dates_cannot_be_determined(flagged):
    ev = flagged([qual(**NOT_REGISTERED, **{"Planned End Date": "", "Planned Achieved Date": ""})])
    assert worst(ev) == ("PLAN_MISSING", "BLUE", None, None, "Admin")


def test_lead_months_from_settings(flagged):
    ev = flagged([qual(**NOT_REGISTERED)], as_of="2027-06-01", registration_lead_months=3)
    assert worst(ev) == ("REGISTRATION_OVERDUE", "RED", "31/05/2027", 1, "Admin")
    ev = flagged([qual(**NOT_REGISTERED)], as_of="2027-02-18", due_soon_days=10)
    assert worst(ev) == ("REGISTRATION_DUE", "AMBER", "28/02/2027", -10, "Admin")
    ev = flagged([qual(**NOT_REGISTERED)], as_of="2027-02-17", due_soon_days=10)
    assert worst(ev)[0] == "ON_TRACK"


def test_internal_stage_needs_no_registration(flagged):
    ev = flagged([qual(**NOT_REGISTERED, Qualification="Gateway sign-off")], as_of="2027-06-01")
    assert worst(ev)[0] == "ON_TRACK"
