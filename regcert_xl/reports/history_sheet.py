"""The Status History sheet (§5, §7): every status change the snapshot store has seen — record, from,
to, and the as-of date it was first seen — newest first: the audit the learner system lacks."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.history.records import split_identity
from regcert_xl.history.view import pending_changes
from regcert_xl.model.identity import LEARNER_KEY, LEARNER_NAME, QUAL_KEY
from regcert_xl.model.lifecycle import resolve_statuses
from regcert_xl.reports.base import ColumnKind, Report, Section

COLUMNS = ["Learner", "ULN", "Qualification", "From", "To", "First Seen"]


def build(ev: Evaluation) -> list[Section]:
    history = ev.history
    note = ("Status changes between snapshots, newest first — including today's, against the last snapshot. "
            "A snapshot is saved each time the workbook is built, refreshed or imported (the store: "
            + (history.store if history and history.store else "none") + ").")
    frame = _changes(ev)
    return [Section("tblHistory", "Status history", frame, {"First Seen": ColumnKind.DATE},
                    note=note if len(frame) else note + " Nothing has changed status yet.")]


def _changes(ev: Evaluation) -> pd.DataFrame:
    history = ev.history
    if history is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    settings = ev.settings
    stored = history.changes.copy()
    keys = split_identity(stored["identity"].astype(str)) if len(stored) else pd.DataFrame(columns=[LEARNER_KEY, QUAL_KEY])
    canonical = lambda v: resolve_statuses(v, settings)["status_name"].fillna(v.astype(object))  # noqa: E731
    stored = pd.concat([keys.reset_index(drop=True), pd.DataFrame({
        "from": canonical(stored["from"]).where(stored["from"] != "(new record)", "(new record)").to_numpy()
        if len(stored) else [], "to": canonical(stored["to"]).to_numpy() if len(stored) else [],
        "first_seen": pd.to_datetime(stored["first_seen"]).to_numpy() if len(stored) else []})], axis=1)
    pending = pending_changes(history.previous_statuses, ev.records, ev.as_of)
    both = pd.concat([pending, stored], ignore_index=True)
    if both.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    both = both.iloc[::-1].sort_values("first_seen", ascending=False, kind="stable")
    records = ev.records.drop_duplicates([LEARNER_KEY, QUAL_KEY]).set_index([LEARNER_KEY, QUAL_KEY])
    known = records.reindex(pd.MultiIndex.from_arrays([both[LEARNER_KEY], both[QUAL_KEY]]))
    fallback = both[LEARNER_KEY].astype(str).str.replace("^REF:", "", regex=True).to_numpy()
    uln = known["uln"].astype(object).to_numpy() if "uln" in known else fallback
    return pd.DataFrame({
        "Learner": known[LEARNER_NAME].to_numpy(),
        "ULN": pd.Series(uln).where(pd.notna(uln), fallback).to_numpy(),
        "Qualification": known["qualification"].to_numpy() if "qualification" in known else None,
        "From": both["from"].to_numpy(), "To": both["to"].to_numpy(),
        "First Seen": pd.to_datetime(both["first_seen"]).to_numpy(),
    })


# Excel reserves the sheet name "History" (it refuses a sheet so named); workbooks made before
# this name are migrated on refresh (refresh.RENAMED_SHEETS).
REPORT = Report("Status History", "Status History", build)
