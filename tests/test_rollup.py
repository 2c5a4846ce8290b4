"""Per learner: worst RAG, open actions, next due, % complete, provisional grade."""

import pandas as pd

from tests.conftest import ULN_B, assessment, qual

PREFIX = "EPA Assessment – "
SENT = dict(Status="Certificate Sent", **{"Achieved Date": "01/09/2026", "Certificate Claimed Date": "02/09/2026",
                                          "Certificate Received Date": "03/09/2026",
                                          "Certificate Sent Date": "04/09/2026"})


def comp(name, **more):
    return qual(Qualification=PREFIX + name, **more)


def passed(name, grade, date="01/10/2026"):
    return assessment(Qualification=PREFIX + name, Assessment=name, Result=grade, Grade=grade,
                      **{"Assessment Date": date})


def test_learner_rollup(flagged):
    quals = [comp("Knowledge Test", **SENT), comp("Observation"), comp("Professional Discussion", Status="Withdrawn"),
             comp("Overall Outcome", Status="Taken Elsewhere"),
             qual(ULN=ULN_B, **{"Learner Reference": "L2", "First Name": "Bo"}, Qualification=PREFIX + "Observation",
                  Status="Not Registered", **{"Registration Date": ""})]
    ev = flagged(quals, as_of="2027-03-01")
    learners = ev.learners
    assert learners.index.tolist() == ["1000000043", ULN_B] or learners.index.tolist() == [ULN_B, "1000000043"]
    a = learners.loc["1000000043"]
    # Knowledge Test complete; Observation counts; Withdrawn and Taken Elsewhere do not
    assert a["pct_complete"] == 0.5
    assert a["worst_rag"] == "GREEN"  # ON_TRACK, COMPLETE, CLOSED, EXTERNAL
    assert a["open_actions"] == 1  # EXTERNAL: confirm with the other body
    b = learners.loc[ULN_B]
    assert b["worst_rag"] == "RED" and b["open_actions"] == 1
    assert b["next_due"] == pd.Timestamp("2027-02-28")
    assert learners.index[0] == ULN_B  # most urgent first


def test_provisional_grade_is_an_estimate_until_the_overall_outcome(flagged):
    quals = [comp("Knowledge Test"), comp("Observation"), comp("Overall Outcome")]
    merit_distinction = [passed("Knowledge Test", "Distinction"), passed("Observation", "Merit")]
    ev = flagged(quals, merit_distinction)
    assert ev.learners.iloc[0]["provisional_grade"] == "Merit (estimate)"
    ev = flagged(quals, merit_distinction, overall_grade_rule="average")
    assert ev.learners.iloc[0]["provisional_grade"] == "Merit (estimate)"  # floor((3 + 2) / 2) = 2
    # one component not yet passed: no estimate
    ev = flagged(quals, [passed("Knowledge Test", "Distinction")])
    assert pd.isna(ev.learners.iloc[0]["provisional_grade"])
    # overall outcome recorded: the real grade, not an estimate
    ev = flagged(quals, [*merit_distinction, passed("Overall Outcome", "Distinction")])
    assert ev.learners.iloc[0]["provisional_grade"] == "Distinction"


def test_component_names(flagged):
    ev = flagged([comp("Knowledge Test"), comp("Observation"), qual(Qualification="Gateway sign-off")])
    assert ev.records["component"].tolist() == ["Knowledge Test", "Observation", "Gateway sign-off"]
