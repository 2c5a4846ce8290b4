"""Flags after registration: achievement, claim, certificate, send, complete, closed states."""

import pandas as pd
import pytest

from tests.conftest import QUAL_HEADER, all_flags, qual, worst

ACHIEVED = {"Achieved Date": "03/11/2026"}


@pytest.mark.parametrize("as_of, expected", [
    ("2027-08-01", ("ACHIEVEMENT_OVERDUE", "RED", "31/07/2027", 1, "Tutor")),
    ("2027-07-31", ("ON_TRACK", "GREEN", "31/07/2027", 0, "")),
])
def test_achievement_overdue(flagged, as_of, expected):
    assert worst(flagged([qual()], as_of=as_of)) == expected
    gateway = flagged([qual(Status="Ready / Gateway Reached")], as_of=as_of)
    assert worst(gateway) == expected


@pytest.mark.parametrize("achieved, expected", [
    ("03/11/2026", ("CLAIM_DUE", "AMBER", "23/11/2026", 0, "Admin")),       # due today
    ("04/11/2026", ("CLAIM_DUE", "AMBER", "24/11/2026", -1, "Admin")),      # due tomorrow
    ("02/11/2026", ("CLAIM_OVERDUE", "RED", "22/11/2026", 1, "Admin")),     # due yesterday
])
def test_claim(flagged, achieved, expected):
    assert worst(flagged([qual(Status="Achieved", **{"Achieved Date": achieved})])) == expected


def test_claim_without_a_date_has_no_due_date(flagged):
    ev = flagged([qual(Status="Achieved")])  # achieved date blank: also a data error
    assert all_flags(ev) == ["DATA_ERROR", "CLAIM_DUE"]
    hit = ev.hits[ev.hits["flag"] == "CLAIM_DUE"].iloc[0]
    assert pd.isna(hit["due_date"]) and hit["action"] == "Claim the certificate"


def _claimed(claimed, **more):
    return qual(Status="Certificate Claimed", **{"Achieved Date": "01/09/2026", "Certificate Claimed Date": claimed},
                **more)


@pytest.mark.parametrize("claimed, expected", [
    ("02/11/2026", ("CERTIFICATE_AWAITED", "GREEN", "23/11/2026", 0, "Admin")),
    ("01/11/2026", ("CERTIFICATE_OVERDUE", "RED", "22/11/2026", 1, "Admin")),
    ("20/11/2026", ("CERTIFICATE_AWAITED", "GREEN", "11/12/2026", -18, "Admin")),
])
def test_certificate(flagged, claimed, expected):
    assert worst(flagged([_claimed(claimed)])) == expected


@pytest.mark.parametrize("received, expected", [
    ("09/11/2026", ("SEND_DUE", "AMBER", "23/11/2026", 0, "Admin")),
    ("08/11/2026", ("SEND_OVERDUE", "RED", "22/11/2026", 1, "Admin")),
])
def test_send(flagged, received, expected):
    record = qual(Status="Certificate Received", **{"Achieved Date": "01/09/2026",
                                                    "Certificate Claimed Date": "02/09/2026",
                                                    "Certificate Received Date": received})
    assert worst(flagged([record])) == expected


def test_complete_and_certificate_tracking_off(flagged):
    sent = qual(Status="Certificate Sent", **{"Achieved Date": "01/09/2026", "Certificate Claimed Date": "02/09/2026",
                                              "Certificate Received Date": "03/09/2026",
                                              "Certificate Sent Date": "04/09/2026"})
    assert worst(flagged([sent])) == ("COMPLETE", "GREEN", None, None, "")
    achieved = qual(Status="Achieved", **{"Achieved Date": "01/09/2026"})
    assert worst(flagged([achieved], certificate_tracking=False)) == ("COMPLETE", "GREEN", None, None, "")


@pytest.mark.parametrize("status, expected", [
    ("Deferred", ("ON_HOLD", "GREY", None, None, "")),
    ("Break in Learning", ("ON_HOLD", "GREY", None, None, "")),
    ("Withdrawn", ("CLOSED", "GREY", None, None, "")),
    ("Void – Malpractice", ("CLOSED", "GREY", None, None, "")),
    ("Not Achieved", ("CLOSED", "GREY", None, None, "")),
    ("Exempt", ("CLOSED", "GREY", None, None, "")),
    ("Taken Elsewhere", ("EXTERNAL", "GREY", None, None, "Admin")),
    ("Lost in the post", ("STATUS_UNKNOWN", "BLUE", None, None, "Admin")),
])
def test_closed_hold_external_unknown(flagged, status, expected):
    # the plan dates are long past: on hold pauses them, closed records ignore them
    record = qual(Status=status, **{"Planned End Date": "01/01/2026", "Planned Achieved Date": "01/01/2026",
                                    "Start Date": "01/01/2025", "Registration Date": "", "Registration Number": ""})
    assert worst(flagged([record])) == expected


def test_on_hold_pauses_every_due_date(flagged):
    record = qual(Status="Extended", **{"Planned Achieved Date": "01/01/2026"})
    assert all_flags(flagged([record])) == ["ON_HOLD"]


def test_data_error_is_worst_and_names_the_first_issue(flagged):
    ev = flagged([qual(ULN="1000000044", Status="Not Registered", **{"Registration Date": ""})], as_of="2027-03-01")
    assert all_flags(ev) == ["DATA_ERROR", "REGISTRATION_OVERDUE"]
    assert ev.records.iloc[0]["action"] == "Fix: ULN '1000000044' fails the DfE check digit (a digit is probably mistyped)"


def test_status_unknown_is_not_a_data_error(flagged):
    assert all_flags(flagged([qual(Status="Pending")])) == ["STATUS_UNKNOWN"]


def test_history_supplies_the_claimed_date(flagged):
    from regcert_xl.model.identity import LEARNER_KEY, QUAL_KEY

    seen = pd.DataFrame({LEARNER_KEY: ["1000000043"], QUAL_KEY: ["epaassessmentknowledgetest"],
                         "status": ["Certificate Claimed"], "first_seen": [pd.Timestamp("2026-10-24")]})
    record = qual(Status="Certificate Claimed", **{"Achieved Date": "01/09/2026"})
    assert worst(flagged([record], status_dates=seen)) == ("CERTIFICATE_OVERDUE", "RED", "14/11/2026", 9, "Admin")
    assert worst(flagged([record])) == ("CERTIFICATE_AWAITED", "GREEN", None, None, "Admin")


def test_rag_order_red_amber_blue_green_grey(flagged):
    from regcert_xl.evaluate.flags import FLAGS, RAG_ORDER

    assert list(RAG_ORDER) == ["RED", "AMBER", "BLUE", "GREEN", "GREY"]
    names = [f.name for f in FLAGS]
    assert names.index("RESIT_REQUIRED") < names.index("RESULT_OVERDUE")


def test_gateway_blocked_by_prerequisite(flagged):
    maths = dict(Qualification="Functional Skills Maths Level 2")
    epa = qual(Status="Gateway Reached")
    assert worst(flagged([epa, qual(**maths)])) == ("GATEWAY_BLOCKED", "RED", None, None, "Tutor")
    assert flagged([epa, qual(**maths)]).records.iloc[0]["action"] == (
        "Achieve the prerequisite before gateway: Functional Skills Maths Level 2")
    achieved = qual(Status="Achieved", **maths, **{"Achieved Date": "01/06/2026"})
    assert worst(flagged([epa, achieved]))[0] == "ON_TRACK"
    exempt = qual(Status="Exempt", **maths)
    assert worst(flagged([epa, exempt]))[0] == "ON_TRACK"
    # registered (rank 1) is before gateway: not blocked
    assert worst(flagged([qual(), qual(**maths)]))[0] == "ON_TRACK"
    # a complete record is history, not an action
    sent = qual(Status="Certificate Sent", **{"Achieved Date": "01/06/2026", "Certificate Claimed Date": "02/06/2026",
                                              "Certificate Received Date": "03/06/2026",
                                              "Certificate Sent Date": "04/06/2026"})
    assert worst(flagged([sent, qual(**maths)]))[0] == "COMPLETE"
    # the prerequisite itself is never blocked by another prerequisite
    english = qual(Status="Gateway Reached", Qualification="Functional Skills English")
    assert worst(flagged([english, qual(**maths)]))[0] == "ON_TRACK"


def test_every_flag_has_a_test():
    from pathlib import Path

    from regcert_xl.evaluate.flags import FLAGS

    here = Path(__file__).parent
    text = "".join(p.read_text() for p in [*here.glob("test_flags_*.py"), here / "test_history.py"])
    assert [f.name for f in FLAGS if f'"{f.name}"' not in text] == []


def test_flags_json_keys(tmp_path):
    import json

    from click.testing import CliRunner

    from regcert_xl.cli import main
    from tests.conftest import write_csv

    q = write_csv(tmp_path / "q.csv", [qual()], QUAL_HEADER)
    out = CliRunner().invoke(main, ["flags", "-q", str(q), "--as-of", "2026-11-23", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert list(rows[0]) == ["uln", "learner_ref", "learner", "qualification", "status", "flag", "rag", "action",
                             "due_date", "days_overdue", "owner", "flags"]
    assert rows[0]["due_date"] == "2027-07-31" and rows[0]["days_overdue"] == -250


def test_internal_stage_is_complete_when_achieved(flagged):
    record = qual(Qualification="Gateway sign-off", Status="Achieved",
                  **{"Registration Date": "", "Registration Number": "", "Achieved Date": "01/06/2026"})
    ev = flagged([record])
    assert worst(ev) == ("COMPLETE", "GREEN", None, None, "")
    assert ev.issues[ev.issues["code"] == "STATUS_MISSING_FIELD"].empty
