from tests.conftest import ULN_B, assessment, found, qual


def test_identical_copy_is_info_differing_copy_is_error(check):
    issues = check([qual(), qual(), qual(Status="Achieved", **{"Achieved Date": "01/06/2026"}),
                    qual(ULN=ULN_B)])
    dups = issues[issues["code"] == "DUPLICATE_RECORD"]
    assert found(dups) == {(3, None, "DUPLICATE_RECORD"), (4, None, "DUPLICATE_RECORD")}
    by_row = dups.set_index("row")
    assert by_row.loc[3, "severity"] == "info"
    assert by_row.loc[3, "message"] == "An identical copy of row 2"
    assert by_row.loc[4, "severity"] == "error"
    assert by_row.loc[4, "message"] == "Same learner and qualification as row 2, with different values"


def test_qualification_number_is_the_identity_when_present(check):
    issues = check([qual(**{"Qualification Number": "60312345"}),
                    qual(Qualification="Renamed title", **{"Qualification Number": "60312345"})])
    assert found(issues, codes={"DUPLICATE_RECORD"}) == {(3, None, "DUPLICATE_RECORD")}


def test_learner_reference_identity_when_uln_blank(check):
    issues = check([qual(ULN=""), qual(ULN="", **{"Learner Reference": "L002"}), qual(ULN="")])
    assert found(issues, codes={"DUPLICATE_RECORD"}) == {(4, None, "DUPLICATE_RECORD")}


def test_assessment_duplicates(check):
    issues = check([qual()], [assessment(), assessment(), assessment(Result="Fail"),
                              assessment(Attempt="2", **{"Assessment Date": "01/11/2026"})])
    assert found(issues, codes={"DUPLICATE_RECORD"}, sheet="a.csv") == {
        (3, None, "DUPLICATE_RECORD"), (4, None, "DUPLICATE_RECORD")}
