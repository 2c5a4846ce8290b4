"""Records <-> stored versions, and what history tells the flags and reports.

A record is stored as the row the admin sees (its headers and values, as JSON built column-wise
by pandas) under its identity; reading it back goes through the same normaliser as any export,
so an as-at rebuild sees exactly what a build from that day's export saw.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json

from regcert_xl.model.columns import user_columns
from regcert_xl.model.identity import LEARNER_KEY, OCCURRENCE, QUAL_KEY, TITLE_KEY, norm_key
from regcert_xl.model.lifecycle import resolve_statuses
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.read.grid import RawTable
from regcert_xl.read.normalise import normalise

SEP = "|"


def identities(table: Table) -> pd.Series:
    """A stable key per record: learner | qualification (assessments: also assessment, type,
    date, attempt); repeats of the same key numbered #2, #3… in order."""
    d = table.data
    parts = [d[LEARNER_KEY].fillna(""), d[QUAL_KEY if table.record == "qualifications" else TITLE_KEY].fillna("")]
    if table.record == "assessments":
        for name in ("assessment", "assessment_type"):
            parts.append(norm_key(table.column(name)).fillna(""))
        parts.append(pd.to_datetime(table.column("assessment_date")).dt.strftime("%Y-%m-%d").fillna(""))
        parts.append(table.column("attempt").astype("string").fillna(""))
    key = parts[0].astype(str)
    for p in parts[1:]:
        key = key + SEP + p.astype(str)
    n = key.groupby(key).cumcount()
    return key.where(n == 0, key + "#" + (n + 1).astype(str))


ROWS_PER_CHUNK = 50_000  # records serialised and saved at a time


def to_rows(table: Table) -> tuple[pd.DataFrame, list[str]]:
    """(identity, content_hash, status, data) per record, and the headers in order."""
    headers, chunks = row_chunks(table)
    frames = list(chunks)
    return (pd.concat(frames, ignore_index=True) if frames else _rows_frame()), headers


def row_chunks(table: Table, size: int = ROWS_PER_CHUNK) -> tuple[list[str], Iterator[pd.DataFrame]]:
    """The headers, and the records as stored rows ``size`` at a time (each row: the record as
    the admin sees it, as JSON, with its hash)."""
    frame, _kinds = user_columns(table)
    headers = [str(c) for c in frame.columns]
    ids = identities(table).to_numpy()
    status = table.column("status").astype("string")
    status = status.astype(object).where(status.notna(), None).to_numpy()

    def chunks() -> Iterator[pd.DataFrame]:
        for start in range(0, len(frame), size):
            part = frame.iloc[start:start + size]
            text = part.to_json(orient="records", lines=True, date_format="iso", force_ascii=False)
            data = pd.Series(text.rstrip("\n").split("\n"), dtype=str)  # hashed in Arrow
            hashes = np.char.mod("%016x", pd.util.hash_pandas_object(data, index=False).to_numpy())
            yield pd.DataFrame({"identity": ids[start:start + size], "content_hash": hashes.astype(object),
                                "status": status[start:start + size], "data": data.to_numpy()})

    return headers, chunks()


def _rows_frame() -> pd.DataFrame:
    return pd.DataFrame(columns=["identity", "content_hash", "status", "data"])


def from_rows(rows: pd.DataFrame | Iterable[pd.DataFrame], headers: list[str] | None, record: str, settings: Settings, label: str) -> Table:
    """Stored versions back into a Table, through the normaliser."""
    chunks = [rows] if isinstance(rows, pd.DataFrame) else rows
    frames = [read_lines(chunk["data"]) for chunk in chunks if len(chunk)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=headers or [])
    headers = headers or [str(c) for c in frame.columns]
    frame = frame.reindex(columns=headers)
    cells = pd.DataFrame({i: column if pd.api.types.is_string_dtype(column) and not pd.api.types.is_object_dtype(column)
                          else column.astype(object).where(column.notna(), None)
                          for i, (_name, column) in enumerate(frame.items())}, index=frame.index)
    origin = pd.DataFrame({"sheet": label, "row": np.arange(2, 2 + len(cells))})
    return normalise(RawTable(label, headers, cells.reset_index(drop=True), origin, 1), record, settings)


def read_lines(data: pd.Series) -> pd.DataFrame:
    """Stored rows (one JSON object each) as a frame: text columns as text, through Arrow's
    reader; a column mixing numbers and text (an admin's own column) sends it to pandas'."""
    text = "\n".join(data)
    longest = int(data.str.len().max())
    try:
        table = pa_json.read_json(pa.py_buffer(text.encode("utf-8")),
                                  read_options=pa_json.ReadOptions(block_size=max(1 << 24, 2 * longest)))
    except pa.ArrowInvalid:
        return pd.read_json(io.StringIO(text), lines=True, dtype=False)
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)


def split_identity(identity: pd.Series) -> pd.DataFrame:
    parts = identity.str.replace(r"#\d+$", "", regex=True).str.split(SEP, n=1, expand=True)
    return pd.DataFrame({LEARNER_KEY: parts[0], QUAL_KEY: parts.get(1, "")})


def status_first_seen(timeline: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """When each record was first seen in each status (_learner_key, _qual_key, status, first_seen),
    statuses named canonically, for the flags' due dates."""
    if timeline.empty:
        return pd.DataFrame(columns=[LEARNER_KEY, QUAL_KEY, "status", "first_seen"])
    named = resolve_statuses(timeline["status"], settings)["status_name"]
    frame = pd.DataFrame({"identity": timeline["identity"], "status": named, "first_seen": timeline["as_of"]}).dropna()
    first = frame.groupby(["identity", "status"], sort=False)["first_seen"].min().reset_index()
    return pd.concat([split_identity(first["identity"]), first[["status", "first_seen"]]], axis=1)


def previous_statuses(rows: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The statuses of a stored state keyed like the current records (for transitions): by
    learner, qualification and occurrence (a repeated pair's #2 is its second record)."""
    identity = rows["identity"].astype(str)
    keys = split_identity(identity)
    occurrence = pd.to_numeric(identity.str.extract(r"#(\d+)$")[0], errors="coerce").fillna(1).astype("int64")
    resolved = resolve_statuses(rows["status"], settings)
    frame = resolved[["status_name", "rank"]].reset_index(drop=True)
    index = pd.MultiIndex.from_arrays([keys[LEARNER_KEY].to_numpy(), keys[QUAL_KEY].to_numpy(), occurrence.to_numpy()],
                                      names=[LEARNER_KEY, QUAL_KEY, OCCURRENCE])
    frame = frame.set_axis(index)
    return frame[~frame.index.duplicated()]


def status_changes(timeline: pd.DataFrame) -> pd.DataFrame:
    """Every status change in the history: identity, from, to, first seen (as-of date) — a
    record's first appearance counts when it appeared after the first snapshot."""
    if timeline.empty:
        return pd.DataFrame(columns=["identity", "from", "to", "first_seen", "snapshot"])
    t = timeline.sort_values(["identity", "first_snapshot"], kind="stable")
    previous = t.groupby("identity")["status"].shift()
    first_version = t.groupby("identity").cumcount() == 0
    first_snapshot = t["first_snapshot"].min()
    changed = (~first_version & (t["status"].fillna("") != previous.fillna(""))) | (
        first_version & (t["first_snapshot"] > first_snapshot))
    out = pd.DataFrame({"identity": t["identity"], "from": previous.where(~first_version, "(new record)"),
                        "to": t["status"], "first_seen": t["as_of"], "snapshot": t["first_snapshot"]})[changed]
    return out.reset_index(drop=True)
