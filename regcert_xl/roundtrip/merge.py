"""Merging a newer export into a workbook's records (§8), by record identity.

For a record in both: a value the export changed (since the export last imported) replaces the
workbook's; a value the admin changed in the workbook is kept unless the export changed it too —
then the export's value goes in and the admin's is kept as a conflict, listed on the Changes
sheet, never silently dropped. Columns only the workbook has (the admin's own) are kept; records
only the workbook has are kept and flagged NOT_IN_EXPORT; records only the export has are added.
Everything is worked out column-wise on aligned frames.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regcert_xl.history.records import identities
from regcert_xl.model.columns import user_columns
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.read.grid import RawTable
from regcert_xl.read.normalise import normalise


@dataclass
class Merged:
    table: Table  # the merged records, in sheet order (the workbook's, then the new ones)
    conflicts: pd.DataFrame  # identity, field (header), workbook_value, export_value
    added: int
    updated: int
    missing: int  # in the workbook, not in the export

    @property
    def summary(self) -> str:
        text = f"Imported: {self.added:,} new records, {self.updated:,} updated, {self.missing:,} no longer in the export"
        if self.missing:
            text += " (kept and flagged NOT_IN_EXPORT)"
        if len(self.conflicts):
            text += f"; {len(self.conflicts):,} of your edits conflict with the export (see the Changes sheet)"
        return text + "."


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as text for comparing: dates as yyyy-mm-dd, whole numbers without .0, blanks ''."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            out[column] = values.dt.strftime("%Y-%m-%d").fillna("")
            continue
        obj = values.astype(object)
        types = obj.map(type)
        text = obj.astype("string").str.strip()
        stamps = types.isin([pd.Timestamp, dt.datetime, dt.date])
        if stamps.any():
            text[stamps] = pd.to_datetime(obj[stamps]).dt.strftime("%Y-%m-%d")
        floats = types.isin([float, np.float64])
        if floats.any():
            nums = pd.to_numeric(obj[floats], errors="coerce")
            whole = nums.notna() & (nums == np.floor(nums))
            text[nums[whole].index] = nums[whole].astype("int64").astype(str)
        out[column] = text.fillna("").astype(str)
    return out


def merge(workbook: Table, export: Table, baseline: Table | None, settings: Settings, label: str) -> Merged:
    """The workbook's records with ``export`` merged in (``baseline``: the export last imported)."""
    ours, _ = user_columns(workbook)
    theirs, _ = user_columns(export)
    ours.index = identities(workbook).to_numpy()
    theirs.index = identities(export).to_numpy()
    theirs = theirs[~theirs.index.duplicated()]
    headers = list(ours.columns) + [c for c in theirs.columns if c not in ours.columns]
    shared = [c for c in ours.columns if c in theirs.columns]

    both = ours.index.intersection(theirs.index)
    merged = ours.reindex(columns=headers).astype(object)
    mine = comparable(ours.loc[both, shared])
    new = comparable(theirs.loc[both, shared])
    if baseline is not None:
        base_frame, _ = user_columns(baseline)
        base_frame.index = identities(baseline).to_numpy()
        base_frame = base_frame[~base_frame.index.duplicated()]
        base = comparable(base_frame.reindex(index=both, columns=shared))
        known = pd.Series(both.isin(base_frame.index), index=both)
        known_rows = np.broadcast_to(known.to_numpy()[:, None], base.shape)
        base = base.where(known_rows, mine)  # records new since then: no local edit known
    else:
        base = mine  # nothing known about local edits: the export's values are taken
    export_changed = new != base
    edited_here = mine != base
    conflict = export_changed & edited_here & (mine != new)
    take = export_changed.to_numpy()
    values = merged.loc[both, shared].to_numpy(dtype=object)
    incoming = theirs.loc[both, shared].astype(object).to_numpy()
    merged.loc[both, shared] = np.where(take, incoming, values)
    only_export_columns = [c for c in headers if c not in ours.columns]
    if only_export_columns:
        merged.loc[both, only_export_columns] = theirs.loc[both, only_export_columns].astype(object).to_numpy()
    new_rows = theirs.index.difference(ours.index, sort=False)
    merged = pd.concat([merged, theirs.loc[new_rows].reindex(columns=headers).astype(object)])
    conflicts = conflict.stack()
    conflicts = conflicts[conflicts]
    conflict_frame = pd.DataFrame({
        "identity": conflicts.index.get_level_values(0),
        "field": conflicts.index.get_level_values(1),
        "workbook_value": [mine.at[i, f] for i, f in conflicts.index],
        "export_value": [new.at[i, f] for i, f in conflicts.index],
    }) if len(conflicts) else pd.DataFrame(columns=["identity", "field", "workbook_value", "export_value"])
    updated = int((export_changed & (mine != new)).any(axis=1).sum())
    table = _to_table(merged.reset_index(drop=True), headers, workbook.record, settings, label)
    return Merged(table, conflict_frame, len(new_rows), updated, len(ours.index.difference(theirs.index)))


def _to_table(frame: pd.DataFrame, headers: list[str], record: str, settings: Settings, label: str) -> Table:
    cells = frame.astype(object).where(frame.notna(), None)
    cells.columns = range(len(headers))
    origin = pd.DataFrame({"sheet": label, "row": np.arange(2, 2 + len(cells))})
    return normalise(RawTable(label, headers, cells, origin, 1), record, settings)
