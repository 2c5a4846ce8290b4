from tests.conftest import assessment, found, qual


def test_unknown_assessment_words(check):
    issues = check([qual()], [
        assessment(),
        assessment(Type="Re-sit", Attempt="2", Status="Awaiting Result", Result="", Grade=""),
        assessment(Type="Exam-ish", Attempt="3"),
        assessment(Status="Lost", Attempt="4"),
        assessment(Result="Great", Attempt="5"),
        assessment(Result="referred", Attempt="6"),
    ])
    assert found(issues, codes={"VALUE_UNKNOWN"}) == {
        (4, "assessment_type", "VALUE_UNKNOWN"), (5, "status", "VALUE_UNKNOWN"), (6, "result", "VALUE_UNKNOWN")}


def test_result_without_date(check):
    issues = check([qual()], [assessment(**{"Assessment Date": ""}),
                              assessment(Attempt="2", Result="", **{"Assessment Date": ""}),
                              assessment(Attempt="3", **{"Assessment Date": "31/02/2026"})])
    assert found(issues, codes={"RESULT_WITHOUT_DATE", "DATE_INVALID"}) == {
        (2, "assessment_date", "RESULT_WITHOUT_DATE"), (4, "assessment_date", "DATE_INVALID")}


def test_attempt_not_a_whole_number(check):
    issues = check([qual()], [assessment(Attempt="first")])
    assert found(issues, codes={"VALUE_INVALID"}) == {(2, "attempt", "VALUE_INVALID")}
