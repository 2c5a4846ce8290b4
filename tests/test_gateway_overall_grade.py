"""Gateway Date and Overall Grade: canonical fields, date rules, gateway reached date, the
recorded overall grade replacing the estimate, and where they are shown."""

import pandas as pd
import pytest

from regcert_xl import api
from regcert_xl.model.fields import QUALIFICATION_FIELDS, Kind
from regcert_xl.model.lifecycle import DATE_ORDER, NOT_IN_FUTURE, RANK_DATE
from regcert_xl.read import read_table
from regcert_xl.reports.pipeline import gateway_by_programme
from tests.conftest import AS_OF, QUAL_HEADER, ULN_A, ULN_B, ULN_C, found, qual, write_csv

HEADER = [*QUAL_HEADER, "Gateway Date", "Overall Grade"]
CY = {"ULN": ULN_C, "Learner Reference": "L3", "Programme": "Data Technician"}
BO = {"ULN": ULN_B, "Learner Reference": "L2"}


def test_the_fields_sit_where_the_lifecycle_puts_them():
    names = [f.name for f in QUALIFICATION_FIELDS]
    assert names[names.index("planned_achieved_date") + 1] == "gateway_date"
    assert names[names.index("achieved_date") + 1] == "overall_grade"
    fields = {f.name: f for f in QUALIFICATION_FIELDS}
    assert (fields["gateway_date"].label, fields["gateway_date"].kind) == ("Gateway Date", Kind.DATE)
    assert (fields["overall_grade"].label, fields["overall_grade"].kind) == ("Overall Grade", Kind.TEXT)


@pytest.mark.parametrize("gateway, grade", [
    ("Gateway Date", "Overall Grade"), ("Gateway Reached Date", "Final Grade"),
    ("Date of Gateway", "EPA Grade"), ("EPA Gateway Date", "OverallGrade")])
def test_header_spellings(tmp_path, gateway, grade):
    path = write_csv(tmp_path / "q.csv", [{"ULN": ULN_A, "Qualification": "EPA", "Status": "Achieved",
                                           gateway: "03/10/2026", grade: "Distinction"}])
    data = read_table(path, "qualifications").data
    assert data["gateway_date"].tolist() == [pd.Timestamp("2026-10-03")]
    assert data["overall_grade"].tolist() == ["Distinction"]


def test_lifecycle_tables():
    assert RANK_DATE[2] == "gateway_date"
    assert {("start_date", "gateway_date"), ("registration_date", "gateway_date"),
            ("gateway_date", "achieved_date")} <= set(DATE_ORDER)
    assert "gateway_date" in NOT_IN_FUTURE


def test_gateway_date_order_and_future(check):
    issues = check([
        qual(Status="Gateway Reached", **{"Gateway Date": "01/10/2026"}),                            # 2 fine
        qual(Status="Gateway Reached", **{"Gateway Date": "10/01/2026"}),                            # 3 before registration
        qual(Status="Gateway Reached", **{"Gateway Date": "01/08/2025", "Registration Date": ""}),  # 4 before start
        qual(Status="Achieved", **{"Gateway Date": "01/10/2026", "Achieved Date": "01/09/2026"}),  # 5 after achieved
        qual(Status="Gateway Reached", **{"Gateway Date": "24/11/2026"}),                            # 6 future
    ], q_header=HEADER)
    assert found(issues, codes={"DATE_ORDER", "DATE_IN_FUTURE"}) == {
        (3, "gateway_date", "DATE_ORDER"), (4, "gateway_date", "DATE_ORDER"), (5, "achieved_date", "DATE_ORDER"),
        (6, "gateway_date", "DATE_IN_FUTURE")}
    dated = issues[issues["code"].isin(["DATE_ORDER", "DATE_IN_FUTURE"])]
    messages = dict(zip(dated["row"], dated["message"], strict=True))
    assert messages[3] == "Gateway Date 10/01/2026 is before Registration Date 15/01/2026"
    assert messages[5] == "Achieved Date 01/09/2026 is before Gateway Date 01/10/2026"
    assert messages[6] == "Gateway Date 24/11/2026 is after 23/11/2026: it cannot have happened yet"


def test_gateway_reached_date_from_the_record_else_the_history(flagged):
    from regcert_xl.model.identity import LEARNER_KEY, QUAL_KEY

    seen = pd.DataFrame({LEARNER_KEY: [ULN_B], QUAL_KEY: ["epaassessmentknowledgetest"],
                         "status": ["Gateway Reached"], "first_seen": [pd.Timestamp("2026-09-01")]})
    ev = flagged([qual(Status="Gateway Reached", **{"Gateway Date": "02/10/2026"}),
                  qual(Status="Gateway Reached", **BO)], status_dates=seen, q_header=HEADER)
    assert ev.records["gateway_at"].tolist() == [pd.Timestamp("2026-10-02"), pd.Timestamp("2026-09-01")]


def _evaluate(tmp_path, rows):
    return api.evaluate(write_csv(tmp_path / "q.csv", rows, HEADER), as_of=AS_OF)


def test_recorded_overall_grade_replaces_the_estimate(tmp_path):
    kt = {"Qualification": "EPA Assessment – Knowledge Test", "Status": "Achieved", "Achieved Date": "01/10/2026"}
    pd_ = {"Qualification": "EPA Assessment – Professional Discussion", "Status": "Achieved",
           "Achieved Date": "02/10/2026"}
    assessments = write_csv(tmp_path / "a.csv", [
        {"ULN": u, "Qualification": q["Qualification"], "Assessment": q["Qualification"][17:], "Type": "Attempt",
         "Attempt": "1", "Assessment Date": "01/10/2026", "Status": "Result Received", "Result": g, "Grade": g}
        for u, q, g in ((ULN_A, kt, "Distinction"), (ULN_A, pd_, "Merit"), (ULN_B, kt, "Merit"), (ULN_B, pd_, "Pass"),
                        (ULN_C, kt, "Pass"), (ULN_C, pd_, "Pass"))])
    rows = [qual(**kt), qual(**pd_, **{"Overall Grade": "Distinction"}),       # Ann: recorded
            qual(**kt, **BO), qual(**pd_, **BO),                               # Bo: estimate
            qual(**kt, **CY, **{"Overall Grade": ""}),
            qual(**{**pd_, "Status": "Withdrawn"}, **CY, **{"Overall Grade": "Merit"})]  # Cy: closed record's grade ignored
    ev = api.evaluate(write_csv(tmp_path / "q.csv", rows, HEADER), assessments, as_of=AS_OF)
    grades = ev.learners["provisional_grade"]
    assert grades.to_dict() == {ULN_A: "Distinction", ULN_B: "Pass (estimate)", ULN_C: "Pass (estimate)"}


def test_pipeline_gateway_by_programme(tmp_path):
    ev = _evaluate(tmp_path, [
        qual(Status="Gateway Reached", **{"Gateway Date": "01/11/2026"}),           # 22 days at gateway
        qual(Status="Gateway Reached", **BO),                                        # no date
        qual(Status="Achieved", **CY, **{"Gateway Date": "01/09/2026", "Achieved Date": "01/10/2026"}),  # 83 days ago
        qual(Status="Withdrawn", **CY, Qualification="Other", **{"Gateway Date": "20/11/2026"}),          # closed
    ])
    table = gateway_by_programme(ev)
    assert list(table.columns) == ["Programme", "At Gateway", "At Gateway, No Date", "Reached Gateway in Last 30 Days",
                                   "Reached Gateway in Last 60 Days", "Reached Gateway in Last 90 Days",
                                   "Longest at Gateway (Days)"]
    assert table.astype(object).where(table.notna(), None).values.tolist() == [
        ["Team Leader", 2, 1, 1, 1, 1, 22],
        ["Data Technician", 0, 0, 0, 0, 1, None],
        ["Total", 2, 1, 1, 1, 2, 22]]


def test_learner_record_shows_gateway_date_and_overall_grade(tmp_path):
    q = write_csv(tmp_path / "q.csv", [qual(Status="Achieved", **{"Gateway Date": "01/09/2026",
                                                                  "Achieved Date": "01/10/2026",
                                                                  "Overall Grade": "Merit"})], HEADER)
    record = api.learner(ULN_A, q, as_of=AS_OF)
    quals = record["qualifications"]
    columns = list(quals.columns)
    assert columns[columns.index("Planned Achieved Date") + 1:columns.index("Overall Grade") + 1] == [
        "Gateway Date", "Achieved Date", "Overall Grade"]
    assert quals[["Gateway Date", "Overall Grade"]].values.tolist() == [[pd.Timestamp("2026-09-01"), "Merit"]]
    details = dict(zip(record["details"]["Field"], record["details"]["Value"], strict=True))
    assert details["Provisional Grade"] == "Merit"
