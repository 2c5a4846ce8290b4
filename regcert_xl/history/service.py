"""History for a workbook: which store, what it says now, saving snapshots, and the records as
they stood on a past date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

from regcert_xl.history import store
from regcert_xl.history.records import (
    from_rows,
    previous_statuses,
    row_chunks,
    status_changes,
    status_first_seen,
)
from regcert_xl.history.view import HistoryView
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table

RECORD_STREAMS = ("qualifications", "assessments")


def store_url(book: Path | None, settings: Settings, explicit: str | None = None) -> str | None:
    """The store in force: --store, else settings.snapshot_store, else a SQLite file beside the workbook."""
    if explicit:
        return explicit
    if settings.snapshot_store:
        return settings.snapshot_store
    return store.default_store(book) if book is not None else None


@dataclass
class History:
    url: str
    engine: Engine

    @classmethod
    def open(cls, url: str) -> History:
        return cls(url, store.open_store(url))

    def view(self, settings: Settings, at: dt.date | pd.Timestamp | None = None) -> HistoryView:
        """What the history says now — or, with ``at``, as it stood on that date, knowing nothing
        later: the previous statuses, when each status was first seen, the last imported export
        and its conflicts, and every status change."""
        if at is None:
            latest = store.latest_snapshot(self.engine)
            previous = latest
        else:
            latest = store.snapshot_at(self.engine, at)
            previous = store.snapshot_before(self.engine, latest) if latest is not None else None
        timeline = store.status_timeline(self.engine)
        if latest is not None:
            timeline = timeline[timeline["first_snapshot"] <= latest]
        before = store.state(self.engine, "qualifications", previous, with_data=False)
        export_rows, export_headers = store.export_state(self.engine, latest)
        first = next(export_rows)  # the chunks start with an empty frame when there are no rows
        export = (from_rows(chain([first], export_rows), export_headers, "qualifications", settings, "Export")
                  if latest is not None and len(first) else None)
        export_rows.close()
        return HistoryView(
            previous_statuses=previous_statuses(before, settings) if len(before) else None,
            status_dates=status_first_seen(timeline, settings),
            export=export,
            conflicts=store.last_conflicts(self.engine, latest),
            changes=status_changes(timeline),
            store=store._safe(self.url),
        )

    def save_workbook(self, qualifications: Table, assessments: Table | None, *, as_of: pd.Timestamp, kind: str,
                      source: str, export: Table | None = None, conflicts: pd.DataFrame | None = None,
                      export_is_records: bool = False) -> store.Saved:
        """A snapshot of the workbook's records (and, on build and import, of the export;
        ``export_is_records``: the export is the qualification records themselves, as on a
        build, and is stored once)."""
        streams: dict[str, pd.DataFrame | Iterable[pd.DataFrame]] = {}
        columns: dict[str, list[str] | str] = {}
        for name, table in (("qualifications", qualifications), ("assessments", assessments), ("export", export)):
            if table is None:
                continue
            columns[name], streams[name] = row_chunks(table)
        if export_is_records:
            streams["export"] = []  # the previous export's versions end here
            columns[store.SAME_AS] = "qualifications"
        return store.save(self.engine, streams, as_of=as_of.date(), kind=kind, source=source, columns=columns,
                          conflict_rows=conflicts)

    def tables_at(self, date: dt.date | pd.Timestamp, settings: Settings) -> tuple[Table, Table | None, pd.Timestamp]:
        """The workbook's records as they stood on ``date`` (from the last snapshot for a date on or
        before it), and that snapshot's as-of date."""
        snapshot = store.snapshot_at(self.engine, date)
        if snapshot is None:
            raise UnusableInput.file(store._safe(self.url), f"has no snapshot on or before {pd.Timestamp(date):%d/%m/%Y}")
        tables = {}
        for name in RECORD_STREAMS:
            rows = store.state(self.engine, name, snapshot)
            headers = store.columns_at(self.engine, snapshot, name)
            tables[name] = from_rows(rows, headers, name, settings, name.title()) if headers or len(rows) else None
        taken = store.snapshot_list(self.engine).set_index("id").loc[snapshot, "as_of"]
        qualifications = tables["qualifications"]
        if qualifications is None:
            raise UnusableInput.file(store._safe(self.url), f"has no qualification records in its snapshot of "
                                                            f"{pd.Timestamp(taken):%d/%m/%Y}")
        return qualifications, tables["assessments"], pd.Timestamp(taken)
