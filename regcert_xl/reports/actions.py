"""The Actions "shopping list" (§5): one row per open action — every flag that asks for
something, not just the worst — sorted by due date (undated last), then by severity."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluation import Evaluation
from regcert_xl.flags import RAG_ORDER
from regcert_xl.model.identity import LEARNER_NAME

COLUMNS = ["learner", "uln", "learner_ref", "programme", "employer", "qualification", "flag", "rag", "action",
           "due_date", "days_overdue", "owner"]


def build(ev: Evaluation) -> pd.DataFrame:
    open_actions = ev.hits[ev.hits["is_action"]].rename(columns={LEARNER_NAME: "learner"})
    ordered = open_actions.assign(_rag=open_actions["rag"].map(RAG_ORDER)).sort_values(
        ["due_date", "_rag", "order", "record"], na_position="last", kind="stable")
    return ordered.reindex(columns=COLUMNS).reset_index(drop=True)
