"""Status moves judged against an earlier export (§3)."""

import pandas as pd

from regcert_xl.model.lifecycle import judge_transitions
from tests.conftest import QUAL_HEADER, ULN_B, found, qual

ACHIEVED = dict(Status="Achieved", **{"Achieved Date": "01/06/2026"})


def test_backward_move_is_a_warning_with_both_statuses(flagged):
    ev = flagged([qual(), qual(ULN=ULN_B, **ACHIEVED)], previous=[qual(**ACHIEVED), qual(ULN=ULN_B)])
    moves = ev.issues[ev.issues["code"].str.startswith("TRANSITION")]
    # row 3 moved Registered -> Achieved, skipping Gateway Reached: info
    assert found(moves) == {(2, "status", "TRANSITION_BACKWARD"), (3, "status", "TRANSITION_SKIP")}
    row = moves.iloc[0]
    assert row["severity"] == "warning"
    assert row["message"] == "Status moved back from Achieved to Registered since the previous export"


def test_skip_of_more_than_one_rank_is_info(flagged):
    previous = [qual(Status="Not Registered", **{"Registration Date": ""}), qual(ULN=ULN_B)]
    ev = flagged([qual(**{"Status": "Gateway Reached"}), qual(ULN=ULN_B, Status="Gateway Reached")], previous=previous)
    moves = ev.issues[ev.issues["code"].str.startswith("TRANSITION")]
    assert found(moves) == {(2, "status", "TRANSITION_SKIP")}
    assert moves.iloc[0]["severity"] == "info"


def test_notes_explain_a_backward_move(flagged):
    header = [*QUAL_HEADER, "Notes"]
    ev = flagged([qual(Notes="Result withdrawn by EPAO on appeal")], previous=[qual(**ACHIEVED, Notes="")],
                 q_header=header)
    assert found(ev.issues, codes={"TRANSITION_BACKWARD"}) == set()


def test_pure_function_of_two_frames():
    prev = pd.DataFrame({"status_name": ["Achieved", "Registered", "Registered", "Withdrawn"],
                         "rank": pd.array([3, 1, 1, pd.NA], dtype="Int64")}, index=["a", "b", "c", "d"])
    cur = pd.DataFrame({"status_name": ["Registered", "Certificate Sent", "Gateway Reached", "Registered", "New"],
                        "rank": pd.array([1, 6, 2, 1, 0], dtype="Int64")}, index=["a", "b", "c", "d", "e"])
    moves = judge_transitions(prev, cur)
    assert moves[["from_status", "to_status", "move"]].to_dict("index") == {
        "a": {"from_status": "Achieved", "to_status": "Registered", "move": "backward"},
        "b": {"from_status": "Registered", "to_status": "Certificate Sent", "move": "skip"},
    }
