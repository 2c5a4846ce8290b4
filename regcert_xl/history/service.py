"""History for a workbook: which store, what it says now, saving snapshots, and the records as
they stood on a past date."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TypeVar

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
from regcert_xl.model.errors import WorkbookError
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table

RECORD_STREAMS = ("qualifications", "assessments")
T = TypeVar("T")


def store_url(book: Path | None, settings: Settings, explicit: str | None = None) -> str | None:
    """The store in force: --store, else settings.snapshot_store, else a SQLite file beside the workbook."""
    if explicit:
        return explicit
    if settings.snapshot_store:
        return settings.snapshot_store
    return store.default_store(book) if book is not None else None


def locate_store(book: Path, workbook_id: str = "", recorded: str = "", *, expected: bool = False,
                 new_history: bool = False) -> str:
    """The default store of a workbook, found by the workbook's identity: the SQLite file beside
    it (``<book>.history.sqlite``) when it holds this workbook's history (or one that names no
    workbook, from before identities), else the store the workbook names (``recorded``: a Save As
    copy keeps its history), else another ``*.history.sqlite`` in the same folder that holds it.
    When the workbook says it has a history (``expected``) and none is found, refuse in one line
    — unless ``new_history``: then a new one starts beside the workbook."""
    book = Path(book)
    beside = book.with_name(book.name + ".history.sqlite")
    named = [beside] + ([Path(recorded)] if recorded else [])
    places = named + sorted(p for p in book.parent.glob("*.history.sqlite") if p not in named)
    for place in places:
        try:
            found = store.peek(place)
        except store.StoreFailed:
            if place in named:
                raise
            continue  # some other file: not ours to judge
        if found is None:
            continue
        legacy = place == beside and (found.workbook_id is None or not workbook_id)
        if legacy or (workbook_id and found.workbook_id == workbook_id):
            return store.sqlite_url(place)
    if expected and not new_history:
        missing = Path(recorded).name if recorded else beside.name
        raise WorkbookError(f"{book.name}: its history store {missing} is missing or empty, so its audit trail would "
                            f"start again without it: put the store back, give --store URL, or start a new "
                            f"history with --new-history")
    return store.default_store(book)


def _one_line(method: Callable[..., T]) -> Callable[..., T]:
    """A store method whose database errors come out as one line (see :class:`store.StoreFailed`)."""
    @functools.wraps(method)
    def run(self: History, *args, **kwargs) -> T:
        with store.failing_as(store._safe(self.url)):
            return method(self, *args, **kwargs)

    return run


@dataclass
class History:
    url: str
    engine: Engine

    @classmethod
    def open(cls, url: str) -> History:
        return cls(url, store.open_store(url))

    @_one_line
    def owner(self) -> str | None:
        """The identity of the workbook whose history this is (None: not recorded)."""
        return store.owner(self.engine)

    @_one_line
    def claim(self, workbook_id: str) -> None:
        store.claim(self.engine, workbook_id)

    @_one_line
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

    @_one_line
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

    @_one_line
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
