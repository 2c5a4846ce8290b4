"""The build job (exports, or the history store as it stood on a date -> a new report workbook,
its history read and its snapshot saved) and the template job (the macro-enabled workbook with
no records yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace as with_fields
from pathlib import Path

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.history.view import HistoryView
from regcert_xl.jobs import sheets
from regcert_xl.jobs.evaluating import stored_records
from regcert_xl.jobs.history import open_history, save_snapshot, workbook_history, workbook_identity
from regcert_xl.jobs.loading import DateArg, PathArg, Sources, load, read_previous
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.errors import MissingInput
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings
from regcert_xl.progress import NoProgress, Part, Progress
from regcert_xl.read.normalise import empty_table
from regcert_xl.workbook.manifest import new_id


def build(qualifications: PathArg | None, assessments: PathArg | None = None, *, output: Path,
          settings: Settings | str | Path | None = None, as_of: DateArg = None, previous: PathArg | None = None,
          learner: str | None = None, store: str | None = None, snapshot: bool = True, as_at: DateArg = None,
          progress: Progress | None = None, refreshed: dt.datetime | None = None, source: Sources = None,
          new_history: bool = False) -> Evaluation:
    """The report workbook at ``output`` (see :func:`regcert_xl.api.build_workbook`)."""
    if as_at is not None:
        return build_as_at(output, settings, as_at, learner, store, progress, refreshed)
    if qualifications is None:
        raise MissingInput("give the qualifications export (--qualifications), or --as-at DATE to rebuild from history")
    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=Part(progress, 0.0, 0.2),
                  book=output, source=source)
    before = read_previous(previous, inputs.settings)
    history, view, identity = workbook_history(output, inputs.settings, store, snapshot, new_history, progress, 0.2)
    # building from an export is importing it: the export is the learner system's view now
    view = with_fields(view or HistoryView(), export=inputs.qualifications, conflicts=HistoryView().conflicts)
    ev = sheets.evaluate_for_workbook(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of,
                                      previous=before, learner=learner, history=view, refreshed=refreshed)
    sheets.write(ev, output, progress=Part(progress, 0.2, 0.9), identity=identity)
    if history is not None and snapshot:
        save_snapshot(history, ev, progress, output, identity[0], "was written", kind="build", source=str(output),
                      export_is_records=True)
    (progress or NoProgress()).update("Done", 1.0)
    return ev


def build_as_at(output: Path, settings: Settings | str | Path | None, as_at: DateArg, learner: str | None,
                store: str | None, progress: Progress | None, refreshed: dt.datetime | None) -> Evaluation:
    """The workbook rebuilt from the history store's records as they stood on ``as_at``."""
    resolved = workbook_settings(output, settings, [])
    history = open_history(output, resolved, store, snapshot=False)
    if history is None:
        raise MissingInput("--as-at needs a history store: give --store URL (or build the workbook once first)")
    at = as_of_timestamp(as_at)
    q, a, view = stored_records(history, resolved, at)
    ev = sheets.evaluate_for_workbook(q, a, resolved, at, learner=learner, history=view, refreshed=refreshed)
    sheets.write(ev, output, progress=progress, identity=workbook_identity(output, history, False))
    return ev


def template(output: Path, settings: Settings | str | Path | None = None, progress: Progress | None = None) -> Path:
    """The macro-enabled workbook with no records yet (see :func:`regcert_xl.api.template_workbook`)."""
    if output.suffix.lower() != ".xlsm":
        raise UnusableInput.file(output, "the template has buttons, so it is macro-enabled: "
                                         "give a name ending .xlsm, e.g. RegCert.xlsm")
    resolved = workbook_settings(None, settings)
    q = empty_table("qualifications", resolved, "Qualifications")
    a = empty_table("assessments", resolved, "Assessments")
    ev = sheets.evaluate_for_workbook(q, a, resolved, as_of_timestamp(None))
    return sheets.write(ev, output, progress=progress, identity=(new_id(), ""))
