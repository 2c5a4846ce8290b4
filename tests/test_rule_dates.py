from tests.conftest import found, qual


def test_date_invalid_reports_the_raw_value(check):
    issues = check([qual(**{"Registration Date": "31/02/2026"}), qual(**{"Start Date": "04/15/2026"}),
                    qual(**{"Planned End Date": "soon"})])
    assert found(issues, codes={"DATE_INVALID"}) == {
        (2, "registration_date", "DATE_INVALID"), (3, "start_date", "DATE_INVALID"),
        (4, "planned_end_date", "DATE_INVALID")}
    values = issues[issues["code"] == "DATE_INVALID"]["value"].tolist()
    assert values == ["31/02/2026", "04/15/2026", "soon"]


def test_unreadable_required_date_is_not_also_missing(check):
    issues = check([qual(**{"Registration Date": "31/02/2026"})])
    assert found(issues, codes={"STATUS_MISSING_FIELD"}) == set()


def test_date_in_future_edges(check):
    achieved = dict(Status="Achieved", **{"Achieved Date": ""})
    issues = check([
        qual(**{**achieved, "Achieved Date": "23/11/2026"}),                      # 2 today: fine
        qual(**{**achieved, "Achieved Date": "24/11/2026"}),                      # 3 tomorrow
        qual(**{**achieved, "Achieved Date": "22/11/2026"}),                      # 4 yesterday
        qual(Status="Certificate Sent", **{"Achieved Date": "01/06/2026", "Certificate Claimed Date": "02/06/2026",
                                           "Certificate Received Date": "03/06/2026",
                                           "Certificate Sent Date": "01/01/2027"}),  # 5
    ])
    assert found(issues, codes={"DATE_IN_FUTURE"}) == {
        (3, "achieved_date", "DATE_IN_FUTURE"), (5, "certificate_sent_date", "DATE_IN_FUTURE")}


def test_date_order(check):
    issues = check([
        qual(Status="Achieved", **{"Achieved Date": "14/01/2026"}),              # 2 before registration
        qual(Status="Achieved", **{"Achieved Date": "15/01/2026"}),              # 3 same day: fine
        qual(Status="Achieved", **{"Start Date": "01/03/2026", "Registration Date": "01/01/2026",
                                   "Achieved Date": "01/02/2026"}),             # 4 before start
        qual(Status="Certificate Sent", **{"Achieved Date": "01/06/2026", "Certificate Claimed Date": "05/06/2026",
                                           "Certificate Received Date": "04/06/2026",
                                           "Certificate Sent Date": "03/06/2026"}),  # 5 received<claimed, sent<received
        qual(**{"Planned End Date": "01/08/2025"}),                             # 6 planned end before start
    ])
    assert found(issues, codes={"DATE_ORDER"}) == {
        (2, "achieved_date", "DATE_ORDER"), (4, "achieved_date", "DATE_ORDER"),
        (5, "certificate_received_date", "DATE_ORDER"), (5, "certificate_sent_date", "DATE_ORDER"),
        (6, "planned_end_date", "DATE_ORDER")}
    message = issues[(issues["row"] == 2) & (issues["code"] == "DATE_ORDER")]["message"].iloc[0]
    assert message == "Achieved Date 14/01/2026 is before Registration Date 15/01/2026"


def test_leap_day_is_a_date(check):
    issues = check([qual(Status="Achieved", **{"Achieved Date": "29/02/2024", "Registration Date": "01/01/2024",
                                               "Start Date": "01/09/2023"})])
    assert found(issues, codes={"DATE_INVALID", "DATE_ORDER"}) == set()
