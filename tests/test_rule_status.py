import pytest

from tests.conftest import found, qual


@pytest.mark.parametrize("label", [
    "Not Registered", "not registered", "NOT-REGISTERED", "Registered", "Gateway Reached", "Ready",
    "Ready / Gateway Reached", "ready/gateway reached", "Achieved", "Certificate Claimed", "Certificate Received",
    "Certificate Sent", "Registration Not Required", "Exempt", "Deferred", "Extended", "Break in Learning",
    "Withdrawn", "Void", "Void – Malpractice", "Void - Malpractice", "Void — malpractice", "Not Achieved",
    "Failed", "No Attempt", "Partially Achieved", "Taken Elsewhere", "Other Awarding Body",
])
def test_every_status_and_alias_is_recognised(check, label):
    issues = check([qual(Status=label, **{"Achieved Date": "01/06/2026", "Certificate Claimed Date": "02/06/2026",
                                         "Certificate Received Date": "03/06/2026",
                                         "Certificate Sent Date": "04/06/2026"})])
    assert found(issues, codes={"STATUS_UNKNOWN"}) == set()


def test_unknown_status(check):
    issues = check([qual(Status="Pending"), qual(Status="Registered")])
    assert found(issues, codes={"STATUS_UNKNOWN"}) == {(2, "status", "STATUS_UNKNOWN")}


def test_local_label_from_settings(check):
    issues = check([qual(Status="Pending")], status_labels={"on_hold": ["Pending"]})
    assert found(issues, codes={"STATUS_UNKNOWN"}) == set()


def test_a_local_label_category_keeps_the_other_categories_defaults(check):
    """Mapping one category (on_hold) leaves Withdrawn, Void, Not Achieved... recognised."""
    issues = check([qual(Status="Pending"), qual(Status="Withdrawn"), qual(Status="Void"), qual(Status="Deferred")],
                   status_labels={"on_hold": ["Pending"]})
    assert found(issues, codes={"STATUS_UNKNOWN"}) == {(5, "status", "STATUS_UNKNOWN")}
    emptied = check([qual(Status="Void")], status_labels={"void": []})
    assert found(emptied, codes={"STATUS_UNKNOWN"}) == {(2, "status", "STATUS_UNKNOWN")}


def test_fields_required_by_status(check):
    blank_cert = {"Achieved Date": "01/06/2026"}
    issues = check([
        qual(**{"Registration Date": ""}),                                   # 2 error
        qual(**{"Registration Number": ""}),                                 # 3 warning
        qual(Status="Gateway Reached", **{"Registration Date": ""}),         # 4 error
        qual(Status="Achieved"),                                             # 5 achieved date error
        qual(Status="Certificate Sent", **blank_cert),                       # 6 claimed/received/sent warnings
        qual(Status="Not Registered", **{"Registration Date": "", "Registration Number": ""}),  # 7 nothing
        qual(Status="Registration Not Required", **{"Registration Date": "", "Registration Number": ""}),  # 8
        qual(Status="Achieved", Qualification="Gateway sign-off",
             **{"Registration Date": "", "Registration Number": "", "Achieved Date": "01/06/2026"}),  # 9 internal
        qual(Status="Withdrawn", **{"Registration Date": ""}),               # 10 closed: nothing
    ])
    assert found(issues, codes={"STATUS_MISSING_FIELD"}) == {
        (2, "registration_date", "STATUS_MISSING_FIELD"), (3, "registration_number", "STATUS_MISSING_FIELD"),
        (4, "registration_date", "STATUS_MISSING_FIELD"), (5, "achieved_date", "STATUS_MISSING_FIELD"),
        (6, "certificate_claimed_date", "STATUS_MISSING_FIELD"),
        (6, "certificate_received_date", "STATUS_MISSING_FIELD"),
        (6, "certificate_sent_date", "STATUS_MISSING_FIELD")}
    sev = {(r, c): s for r, c, s in zip(issues["row"], issues["column"], issues["severity"], strict=True)}
    assert sev[(2, "registration_date")] == "error"
    assert sev[(3, "registration_number")] == "warning"
    assert sev[(6, "certificate_sent_date")] == "warning"


def test_certificate_fields_not_required_when_tracking_is_off(check):
    issues = check([qual(Status="Certificate Sent", **{"Achieved Date": "01/06/2026"})], certificate_tracking=False)
    assert found(issues, codes={"STATUS_MISSING_FIELD"}) == set()


def test_missing_column_reported_once_not_per_row(check):
    from tests.conftest import QUAL_HEADER

    header = [h for h in QUAL_HEADER if h != "Registration Number"]
    issues = check([qual(), qual(Qualification="Q2")], q_header=header)
    assert found(issues, codes={"STATUS_MISSING_FIELD"}) == {(1, "registration_number", "STATUS_MISSING_FIELD")}


def test_unknown_status_advice_names_the_setting_that_maps_a_label(check):
    issues = check([qual(Status="Booked for EPA")])
    row = issues[issues["code"] == "STATUS_UNKNOWN"].iloc[0]
    assert row["message"] == (
        "Status 'Booked for EPA' is not recognised: use a lifecycle status (Not Registered … Certificate Sent) "
        "or map the label in settings, to a lifecycle status with status_aliases (e.g. status_aliases = "
        "{\"Booked for EPA\" = \"Registered\"}) or to a local category with status_labels "
        "(e.g. on_hold = [\"Booked for EPA\"])")
    assert row["action"] == (
        "Correct the status, or map the label in settings: to a lifecycle status with status_aliases "
        "(e.g. status_aliases = {\"Booked for EPA\" = \"Registered\"}), or to a local category "
        "with status_labels (e.g. on_hold = [\"Paused\"]).")


def test_the_advised_status_alias_maps_the_label(check):
    issues = check([qual(Status="Booked for EPA")], status_aliases={"Booked for EPA": "Registered"})
    assert found(issues, codes={"STATUS_UNKNOWN"}) == set()


def test_unknown_status_flag_action_names_status_aliases(flagged):
    from tests.conftest import worst

    ev = flagged([qual(Status="Booked for EPA")])
    assert worst(ev)[:2] == ("STATUS_UNKNOWN", "BLUE")
    assert ev.records.iloc[0]["action"] == "Correct the status 'Booked for EPA' or map it in settings (status_aliases)"
