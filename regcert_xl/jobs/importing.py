"""The import job over frames: a newer export merged into the workbook's records (PRODUCT.md §8)
and the result evaluated, the same for `regcert-xl import`, the Python API and the Import export
button."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.history.view import HistoryView
from regcert_xl.jobs.sheets import evaluate_for_workbook
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.roundtrip.merge import Merged, merge


def import_records(qualifications: Table, assessments: Table | None, new_qualifications: Table,
                   new_assessments: Table | None, view: HistoryView, settings: Settings, as_of: pd.Timestamp, *,
                   refreshed: dt.datetime | None = None,
                   import_paths: dict[str, str] | None = None) -> tuple[Evaluation, Merged]:
    """The workbook's records with the newer exports merged in — new records added, missing ones
    flagged, values the export changed updated, local columns and edits kept — evaluated for
    ``as_of``. ``view`` is the history so far; its export becomes the new one. Returns the
    evaluation and the merge of the qualifications (its conflicts and summary)."""
    merged = merge(qualifications, new_qualifications, view.export, settings, "Qualifications")
    if assessments is not None and new_assessments is not None:
        assessments = merge(assessments, new_assessments, None, settings, "Assessments").table
    elif assessments is None:
        assessments = new_assessments
    after = replace(view, export=new_qualifications, conflicts=merged.conflicts)
    ev = evaluate_for_workbook(merged.table, assessments, settings, as_of, history=after, refreshed=refreshed,
                               import_paths=import_paths)
    return ev, merged
