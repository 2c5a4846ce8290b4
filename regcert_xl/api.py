"""The Python API: the CLI's verbs as functions returning DataFrames and pydantic models. Each
job is defined once under :mod:`regcert_xl.jobs`; these functions name its options, hold the
workbook's lock where the job writes one, and hand over.

Example::

    from regcert_xl import api
    report = api.validate("qualifications.csv", "assessments.csv", as_of="2026-11-23")
    report.valid, report.counts, report.issues.head()
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.validation import ValidationReport, validate_tables
from regcert_xl.jobs import building, evaluating, importing, refreshing, upload
from regcert_xl.jobs import learner as learner_job
from regcert_xl.jobs import snapshot as snapshot_job
from regcert_xl.jobs.loading import DateArg, Inputs, PathArg, Sources, load
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.settings import Settings
from regcert_xl.progress import Progress
from regcert_xl.reports import actions as actions_report
from regcert_xl.reports import flag_list
from regcert_xl.workbook import destination
from regcert_xl.workbook.lock import workbook_lock

__all__ = ["DateArg", "Evaluation", "Inputs", "PathArg", "Sources", "ValidationReport", "actions", "build_workbook",
           "evaluate", "flags", "import_export", "learner", "load", "refresh_workbook", "snapshot",
           "template_workbook", "upload_file", "validate", "validate_inputs", "workbook_settings"]


def validate(qualifications: PathArg, assessments: PathArg | None = None, *,
             settings: Settings | str | Path | None = None, as_of: DateArg = None,
             progress: Progress | None = None, source: Sources = None) -> ValidationReport:
    """Validate the exports; ``report.issues`` is the issue table, ``report.valid`` says
    whether it holds no errors."""
    return validate_inputs(load(qualifications, assessments, settings=settings, as_of=as_of, progress=progress,
                                source=source))


def validate_inputs(inputs: Inputs) -> ValidationReport:
    return validate_tables(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of)


def evaluate(qualifications: PathArg | None, assessments: PathArg | None = None, *,
             settings: Settings | str | Path | None = None, as_of: DateArg = None,
             previous: PathArg | None = None, status_dates: pd.DataFrame | None = None,
             store: str | None = None, as_at: DateArg = None, progress: Progress | None = None,
             source: Sources = None) -> Evaluation:
    """Validate and flag the exports for the as-of date.

    ``previous`` is an earlier qualifications export (status moves are judged against it);
    ``status_dates`` gives the date each status was first seen (columns ``_learner_key``,
    ``_qual_key``, ``status``, ``first_seen``) for records that lack their own dates. With
    ``store`` the history store adds to both; with ``as_at`` the records come from the store as
    they stood on that date and are flagged for that date. The store is used only when given;
    one that cannot be read is one line (:class:`~regcert_xl.model.errors.UserError`).
    """
    return evaluating.evaluate(qualifications, assessments, settings=settings, as_of=as_of, previous=previous,
                               status_dates=status_dates, store=store, as_at=as_at, progress=progress, source=source)


def _one_writer(check: Callable[[dict], Path]):
    """The function runs holding the lock of the workbook ``check`` finds (and approves) in its
    arguments, so two commands on one workbook never lose each other's work."""
    def wrap(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def run(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            with workbook_lock(check(bound.arguments)):
                return function(*args, **kwargs)
        return run
    return wrap


def _updated(arguments: dict) -> Path:
    return destination.existing_workbook(arguments["book"])


def _new_workbook(arguments: dict) -> Path:
    return destination.new_workbook(arguments["output"], force=arguments["force"])


@_one_writer(_new_workbook)
def build_workbook(qualifications: PathArg | None, assessments: PathArg | None = None, *, output: str | Path,
                   settings: Settings | str | Path | None = None, as_of: DateArg = None,
                   previous: PathArg | None = None, learner: str | None = None, store: str | None = None,
                   snapshot: bool = True, as_at: DateArg = None, progress: Progress | None = None,
                   refreshed: dt.datetime | None = None, source: Sources = None, force: bool = False,
                   new_history: bool = False) -> Evaluation:
    """Build the report workbook at ``output`` from the exports; returns the evaluation it shows.
    A workbook already at ``output`` is refused (refresh or import it instead) unless ``force``,
    and then kept as ``<output>.bak``.

    A snapshot is saved in the history store (``store``, else settings.snapshot_store, else
    ``<output>.history.sqlite``) unless ``snapshot`` is False. With ``as_at`` the records come
    from the store as they stood on that date and flags are worked out for it. The workbook gets
    an identity (kept from the workbook it replaces) that finds its history after a Save As; when
    the workbook names a history store that is gone, the build refuses unless ``new_history``.

    >>> build_workbook("quals.csv", "assessments.csv", output="RegCert.xlsx")  # doctest: +SKIP
    """
    return building.build(qualifications, assessments, output=Path(output), settings=settings, as_of=as_of,
                          previous=previous, learner=learner, store=store, snapshot=snapshot, as_at=as_at,
                          progress=progress, refreshed=refreshed, source=source, new_history=new_history)


@_one_writer(_new_workbook)
def template_workbook(output: str | Path, *, settings: Settings | str | Path | None = None,
                      progress: Progress | None = None, force: bool = False) -> Path:
    """The macro-enabled workbook with no records yet: every sheet, the buttons, the VBA project.
    Paste exports into Qualifications and Assessments (or use Import export) and Refresh.
    Raises :class:`~regcert_xl.model.issues.UnusableInput` unless ``output`` ends .xlsm, and
    refuses a workbook already there unless ``force`` (then kept as ``<output>.bak``)."""
    return building.template(Path(output), settings, progress)


@_one_writer(_updated)
def refresh_workbook(book: str | Path, *, settings: Settings | str | Path | None = None, as_of: DateArg = None,
                     learner: str | None = None, store: str | None = None, snapshot: bool = True,
                     progress: Progress | None = None, refreshed: dt.datetime | None = None,
                     new_history: bool = False) -> Evaluation:
    """Refresh a regcert-xl workbook in place from the records on its own sheets: only the
    generated sheets and columns change; the previous file is kept as ``<book>.bak``; a snapshot
    is saved in the history store unless ``snapshot`` is False. The workbook keeps its identity
    (one made before identities gets one); a history store it names that is gone is refused
    unless ``new_history``."""
    return refreshing.refresh(Path(book), settings=settings, as_of=as_of, learner=learner, store=store,
                              snapshot=snapshot, progress=progress, refreshed=refreshed, new_history=new_history)


def snapshot(book: str | Path, *, settings: Settings | str | Path | None = None, as_of: DateArg = None,
             store: str | None = None, new_history: bool = False):
    """Save a snapshot of the workbook's records now (without refreshing it)."""
    return snapshot_job.snapshot(Path(book), settings=settings, as_of=as_of, store=store, new_history=new_history)


@_one_writer(_updated)
def import_export(book: str | Path, qualifications: PathArg, assessments: PathArg | None = None, *,
                  settings: Settings | str | Path | None = None, as_of: DateArg = None, store: str | None = None,
                  progress: Progress | None = None, refreshed: dt.datetime | None = None, source: Sources = None,
                  new_history: bool = False):
    """Merge a newer export into a workbook (§8): new records added, missing ones flagged, values the
    export changed updated, local columns and edits kept, conflicts listed on Changes. Returns
    (evaluation, merge)."""
    return importing.import_export(Path(book), qualifications, assessments, settings=settings, as_of=as_of,
                                   store=store, progress=progress, refreshed=refreshed, source=source,
                                   new_history=new_history)


def upload_file(book: str | Path, output: str | Path, *, settings: Settings | str | Path | None = None,
                store: str | None = None, as_of: DateArg = None) -> tuple[list[Path], pd.DataFrame]:
    """Write the learner system's "Import and Update" CSV for the edits made in the workbook.
    Returns (files written, rows kept out with their reasons)."""
    return upload.upload_file(Path(book), Path(output), settings=settings, store=store, as_of=as_of)


def flags(qualifications: PathArg, assessments: PathArg | None = None, **options) -> pd.DataFrame:
    """One row per qualification record: uln, learner_ref, learner, qualification, status, flag,
    rag, action, due_date, days_overdue, owner, flags. Options as :func:`evaluate`.

    >>> flags("quals.csv", "assessments.csv", as_of="2026-11-23").head()  # doctest: +SKIP
    """
    return flag_list.build(evaluate(qualifications, assessments, **options))


def actions(qualifications: PathArg, assessments: PathArg | None = None, **options) -> pd.DataFrame:
    """One row per open action (every flag that asks for something), sorted by due date."""
    return actions_report.build(evaluate(qualifications, assessments, **options))


def learner(uln: str, qualifications: PathArg | None = None, assessments: PathArg | None = None, *,
            book: str | Path | None = None, **options) -> dict[str, pd.DataFrame]:
    """The individual learner record for a ULN (or learner reference): ``details``,
    ``qualifications``, ``assessments`` and ``checklist`` frames — from exports, or from the
    records on a workbook's sheets (``book``). With a workbook, the history store (``store``,
    else the one beside it) gives the previous statuses and the dates statuses were first seen,
    and ``as_at`` shows the records as they stood on that date. The details show ``% Complete``
    as a percentage ("40%") and dates as dd/mm/yyyy, as the Learner sheet does."""
    return learner_job.learner(uln, qualifications, assessments, book=Path(book) if book is not None else None,
                               **options)
