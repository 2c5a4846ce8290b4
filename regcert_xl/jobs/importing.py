"""The import job: a newer export merged into the workbook's records (PRODUCT.md §8) and the
result evaluated — over frames (:func:`import_records`, the same for `regcert-xl import`, the
Python API and the Import export button), and on a saved workbook (:func:`import_export`: its
history read, the workbook rewritten, a snapshot saved)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.history.view import HistoryView
from regcert_xl.jobs.history import REPLACED, identity_props, save_snapshot, workbook_history
from regcert_xl.jobs.in_place import open_workbook, read_workbook_records, rewrite
from regcert_xl.jobs.loading import DateArg, PathArg, Sources, as_paths, read_exports
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.jobs.sheets import evaluate_for_workbook
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.progress import NoProgress, Part, Progress, steps
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


def import_export(book: Path, qualifications: PathArg, assessments: PathArg | None = None, *,
                  settings: Settings | str | Path | None = None, as_of: DateArg = None, store: str | None = None,
                  progress: Progress | None = None, refreshed: dt.datetime | None = None, source: Sources = None,
                  new_history: bool = False) -> tuple[Evaluation, Merged]:
    """Merge a newer export into ``book`` (see :func:`regcert_xl.api.import_export`)."""
    resolved = workbook_settings(book, settings, [])
    new_q, new_a = read_exports(qualifications, assessments, resolved, source)
    history, view, identity = workbook_history(book, resolved, store, True, new_history, progress)
    with steps(Part(progress, 0.0, 0.9), "Reading the workbook", "Merging the export", "Writing sheets", "Merging",
               "Saving") as step:
        step.next()
        old, manifest = open_workbook(book, resolved)
        with old:
            q, a, _ = read_workbook_records(book, old, manifest, resolved)
            step.next()
            ev, merged_q = import_records(q, a, new_q, new_a, view or HistoryView(), resolved, as_of_timestamp(as_of),
                                          refreshed=refreshed)
            rewrite(book, old, ev, None, step, before={"Qualifications": q, "Assessments": a}, names=manifest.names,
                    props=identity_props(identity))
    if history is not None:
        save_snapshot(history, ev, progress, book, identity[0], REPLACED, kind="import",
                      source=" + ".join(str(p) for p in as_paths(qualifications)), export=new_q,
                      conflicts=merged_q.conflicts)
    (progress or NoProgress()).update("Done", 1.0)
    return ev, merged_q
