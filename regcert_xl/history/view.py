"""What the history says, handed to the evaluation and the reports (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from regcert_xl.model.identity import LEARNER_KEY, QUAL_KEY, paired_keys
from regcert_xl.model.table import Table


@dataclass
class HistoryView:
    previous_statuses: pd.DataFrame | None = None  # by (_learner_key, _qual_key, _occurrence): status_name, rank
    status_dates: pd.DataFrame | None = None  # _learner_key, _qual_key, status, first_seen
    export: Table | None = None  # the last imported export (the system of record's values)
    conflicts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["identity", "field", "workbook_value", "export_value"]))
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["identity", "from", "to", "first_seen", "snapshot"]))
    store: str = ""  # where it came from, for the Start sheet


def pending_changes(previous: pd.DataFrame | None, current: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Status changes between the previous snapshot and the records now (``current``: records
    with _learner_key, _qual_key, status_name), first seen on ``as_of``."""
    if previous is None or previous.empty:
        return pd.DataFrame(columns=[LEARNER_KEY, QUAL_KEY, "from", "to", "first_seen"])
    keys = paired_keys(current[LEARNER_KEY], current[QUAL_KEY])
    before = previous["status_name"].reindex(keys).to_numpy()
    now = current["status_name"].to_numpy()
    moved = pd.notna(before) & (pd.Series(before).astype(object) != pd.Series(now).astype(object)).to_numpy()
    return pd.DataFrame({LEARNER_KEY: current[LEARNER_KEY].to_numpy()[moved], QUAL_KEY: current[QUAL_KEY].to_numpy()[moved],
                         "from": before[moved], "to": now[moved], "first_seen": as_of})
