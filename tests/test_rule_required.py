from tests.conftest import assessment, found, qual


def test_required_values(check):
    issues = check([qual(), qual(ULN="", **{"Learner Reference": ""}), qual(Qualification=" "),
                    qual(Status="")],
                   [assessment(Qualification="")])
    assert found(issues, codes={"REQUIRED_VALUE"}) == {
        (3, "uln", "REQUIRED_VALUE"), (4, "qualification", "REQUIRED_VALUE"), (5, "status", "REQUIRED_VALUE"),
        (2, "qualification", "REQUIRED_VALUE")}


def test_learner_reference_alone_identifies(check):
    issues = check([qual(ULN="")])
    assert found(issues, codes={"REQUIRED_VALUE"}) == set()
