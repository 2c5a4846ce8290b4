"""Records evaluated: the evaluate job (what `regcert-xl flags` and `actions` list: exports
validated and flagged for the as-of date, with the history store when one is given), the
store's records as they stood on a date, and a workbook's records evaluated in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation, evaluate_tables
from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.history.view import HistoryView
from regcert_xl.jobs.history import open_history, view_of
from regcert_xl.jobs.loading import DateArg, PathArg, Sources, load, read_previous
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.jobs.sheets import evaluate_for_workbook
from regcert_xl.model.errors import MissingInput
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.progress import Progress


def evaluate(qualifications: PathArg | None, assessments: PathArg | None = None, *,
             settings: Settings | str | Path | None = None, as_of: DateArg = None,
             previous: PathArg | None = None, status_dates: pd.DataFrame | None = None,
             store: str | None = None, as_at: DateArg = None, progress: Progress | None = None,
             source: Sources = None) -> Evaluation:
    """The exports evaluated (see :func:`regcert_xl.api.evaluate`). The history store is used
    only when ``store`` is given: exports are not a workbook, so no store is looked for."""
    if as_at is not None:
        if not store:
            raise MissingInput("--as-at needs the history store: give --store URL")
        resolved = workbook_settings(None, settings)
        return evaluate_as_at(stored_history(store, resolved), resolved, as_at)
    if qualifications is None:
        raise MissingInput("give the qualifications export (--qualifications), or --as-at DATE with --store")
    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=progress, source=source)
    history = stored_history(store, inputs.settings) if store else None
    view = view_of(history, inputs.settings)
    return evaluate_tables(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of,
                           previous=read_previous(previous, inputs.settings), status_dates=status_dates,
                           history=view)


def stored_history(store: str, settings: Settings):
    """The history store at ``store``, which must exist already (reading never makes one); a
    store that cannot be opened is one line (see :func:`~regcert_xl.jobs.history.store_errors`)."""
    history = open_history(None, settings, store, snapshot=False)
    if history is None:
        raise MissingInput(f"there is no history store at {store} yet: build or refresh a workbook with it first")
    return history


def stored_records(history, settings: Settings, at: pd.Timestamp) -> tuple[Table, Table | None, HistoryView]:
    """The store's records as they stood on ``at``, with the history as it stood then."""
    q, a, _taken = history.tables_at(at, settings)
    return q, a, history.view(settings, at=at)


def evaluate_as_at(history, settings: Settings, as_at: DateArg) -> Evaluation:
    """The store's records as they stood on ``as_at``, flagged for that date."""
    at = as_of_timestamp(as_at)
    q, a, view = stored_records(history, settings, at)
    return evaluate_tables(q, a, settings, at, history=view)


def evaluate_in_place(qualifications: Table, assessments: Table | None, settings: Settings, as_of: pd.Timestamp,
                      view: HistoryView | None = None, learner: str | None = None, *,
                      refreshed: dt.datetime | None = None, import_paths: dict[str, str] | None = None) -> Evaluation:
    """A workbook's records evaluated where they stand on its sheets (their rows are the rows the
    Issues sheet names), with what its history store says (``view``, see
    :func:`~regcert_xl.jobs.history.view_of`) — for the refresh, the Excel buttons, the learner
    record of a workbook and its upload file alike."""
    return evaluate_for_workbook(qualifications, assessments, settings, as_of, learner=learner, in_place=True,
                                 history=view, refreshed=refreshed, import_paths=import_paths)
