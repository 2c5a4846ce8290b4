"""One row per qualification record with its worst flag: `regcert-xl flags` and the
generated columns of the Qualifications sheet."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.model.identity import LEARNER_NAME

COLUMNS = ["uln", "learner_ref", "learner", "qualification", "status", "flag", "rag", "action", "due_date",
           "days_overdue", "owner", "flags"]


def build(ev: Evaluation) -> pd.DataFrame:
    r = ev.records.rename(columns={LEARNER_NAME: "learner"})
    return r.reindex(columns=COLUMNS).reset_index(drop=True)
