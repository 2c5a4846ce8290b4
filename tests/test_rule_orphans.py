from tests.conftest import ASSESS_HEADER, ULN_B, assessment, found, qual


def test_orphan_assessments(check):
    issues = check(
        [qual(), qual(Qualification="Functional Skills Maths", **{"Qualification Number": "60312345"})],
        [assessment(),                                                    # 2 matches by title
         assessment(Qualification="EPA ASSESSMENT - knowledge test"),     # 3 dash/case-insensitive
         assessment(Qualification="60312345"),                            # 4 matches by number
         assessment(Qualification="EPA Assessment – Observation"),         # 5 orphan
         assessment(ULN=ULN_B)])                                          # 6 unknown learner
    assert found(issues, codes={"ORPHAN_ASSESSMENT"}) == {
        (5, "qualification", "ORPHAN_ASSESSMENT"), (6, "qualification", "ORPHAN_ASSESSMENT")}
    messages = issues[issues["code"] == "ORPHAN_ASSESSMENT"]["message"].tolist()
    assert messages == ["Learner 1000000043 has no qualification record for 'EPA Assessment – Observation'",
                        f"Learner {ULN_B} has no qualification records at all"]


def test_assessment_joined_by_learner_reference(check):
    header = ["Learner Reference", *[h for h in ASSESS_HEADER if h != "ULN"]]
    issues = check([qual()], [{**assessment(), "Learner Reference": "l001"}], a_header=header)
    assert found(issues, codes={"ORPHAN_ASSESSMENT"}) == set()
