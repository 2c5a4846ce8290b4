"""The Python API: the CLI's verbs as functions returning DataFrames and pydantic models.

Example::

    from regcert_xl import api
    report = api.validate("qualifications.csv", "assessments.csv", as_of="2026-11-23")
    report.valid, report.counts, report.issues.head()
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation, evaluate_tables
from regcert_xl.evaluate.validation import ValidationReport, as_of_timestamp, validate_tables
from regcert_xl.jobs.history import (
    REPLACED,
    identity_props,
    made,
    open_history,
    read_history,
    save_snapshot,
    store_errors,
    workbook_identity,
)
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.errors import MissingInput, UserError
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings, resolve_settings
from regcert_xl.model.table import Table
from regcert_xl.progress import NoProgress, Part, Progress, steps
from regcert_xl.read import read_table
from regcert_xl.read.sources import forced_sources
from regcert_xl.reports import actions as actions_report
from regcert_xl.reports import flag_list
from regcert_xl.workbook import destination
from regcert_xl.workbook.lock import workbook_lock

PathArg = str | Path | Sequence[str | Path]
Sources = str | Sequence[str] | None
DateArg: TypeAlias = dt.date | str | pd.Timestamp | None


@dataclass
class Inputs:
    """Both exports read and normalised, with the settings and as-of date in force."""

    qualifications: Table
    assessments: Table | None
    settings: Settings
    as_of: pd.Timestamp


def _paths(p: PathArg | None) -> list[Path]:
    if p is None:
        return []
    if isinstance(p, str | Path):
        return [Path(p)]
    return [Path(x) for x in p]


def load(qualifications: PathArg, assessments: PathArg | None = None, *,
         settings: Settings | str | Path | None = None, as_of: DateArg = None,
         progress: Progress | None = None, book: str | Path | None = None, source: Sources = None) -> Inputs:
    """Read the exports. Raises :class:`~regcert_xl.model.issues.UnusableInput` when a file
    cannot be read and :class:`~regcert_xl.model.settings.SettingsError` for bad settings.
    ``book``: a workbook whose Settings sheet comes first in the settings lookup. ``source``:
    the system the exports came from (profile names, see docs/sources.md), else detected."""
    q_paths, a_paths = _paths(qualifications), _paths(assessments)
    forced = forced_sources(source, ["qualifications", "assessments"] if a_paths else ["qualifications"])
    settings = workbook_settings(book, settings, q_paths)
    with steps(progress, "Reading qualifications", "Reading assessments") as step:
        step.next()
        q = read_table(q_paths, "qualifications", settings, source=forced["qualifications"])
        step.next()
        a = read_table(a_paths, "assessments", settings, source=forced["assessments"]) if a_paths else None
    return Inputs(q, a, settings, as_of_timestamp(as_of))


def validate(qualifications: PathArg, assessments: PathArg | None = None, *,
             settings: Settings | str | Path | None = None, as_of: DateArg = None,
             progress: Progress | None = None, source: Sources = None) -> ValidationReport:
    """Validate the exports; ``report.issues`` is the issue table, ``report.valid`` says
    whether it holds no errors."""
    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=progress, source=source)
    return validate_inputs(inputs)


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
    they stood on that date and are flagged for that date.
    """
    if as_at is not None:
        from regcert_xl.history.service import History

        if not store:
            raise MissingInput("--as-at needs the history store: give --store URL")
        resolved = settings if isinstance(settings, Settings) else resolve_settings(Path(settings) if settings else None)
        history = History.open(store)
        q, a, _ = history.tables_at(as_of_timestamp(as_at), resolved)
        return evaluate_tables(q, a, resolved, as_of_timestamp(as_at), history=history.view(resolved, at=as_of_timestamp(as_at)))
    if qualifications is None:
        raise MissingInput("give the qualifications export (--qualifications), or --as-at DATE with --store")
    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=progress, source=source)
    if store:
        from regcert_xl.history.service import History

        view = History.open(store).view(inputs.settings)
        before = read_table(_paths(previous), "qualifications", inputs.settings) if previous else None
        return evaluate_tables(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of,
                               previous=before, status_dates=status_dates, history=view)
    before = read_table(_paths(previous), "qualifications", inputs.settings) if previous else None
    return evaluate_tables(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of,
                           previous=before, status_dates=status_dates)


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
                   refreshed=None, source: Sources = None, force: bool = False,
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
    from dataclasses import replace as with_fields

    from regcert_xl.history.view import HistoryView
    from regcert_xl.jobs import sheets as build

    output = Path(output)
    if as_at is not None:
        resolved = workbook_settings(output, settings, [])
        history = open_history(output, resolved, store, snapshot=False)
        if history is None:
            raise MissingInput("--as-at needs a history store: give --store URL (or build the workbook once first)")
        q, a, _taken = history.tables_at(as_of_timestamp(as_at), resolved)
        ev = build.evaluate_for_workbook(q, a, resolved, as_of_timestamp(as_at), learner=learner,
                                         history=history.view(resolved, at=as_of_timestamp(as_at)), refreshed=refreshed)
        build.write(ev, output, progress=progress, identity=workbook_identity(output, history, False))
        return ev
    if qualifications is None:
        raise MissingInput("give the qualifications export (--qualifications), or --as-at DATE to rebuild from history")
    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=Part(progress, 0.0, 0.2),
                  book=output, source=source)
    before = read_table(_paths(previous), "qualifications", inputs.settings) if previous else None
    history = open_history(output, inputs.settings, store, snapshot, new_history)
    view = (read_history(history, inputs.settings, progress, 0.2, output) if history is not None
            else HistoryView())
    identity = workbook_identity(output, history, snapshot and not (store or inputs.settings.snapshot_store))
    # building from an export is importing it: the export is the learner system's view now
    view = with_fields(view, export=inputs.qualifications, conflicts=HistoryView().conflicts)
    ev = build.evaluate_for_workbook(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of,
                                     previous=before, learner=learner, history=view, refreshed=refreshed)
    build.write(ev, output, progress=Part(progress, 0.2, 0.9), identity=identity)
    if history is not None and snapshot:
        save_snapshot(history, ev, progress, output, identity[0], "was written", kind="build", source=str(output),
                       export_is_records=True)
    (progress or NoProgress()).update("Done", 1.0)
    return ev


@_one_writer(_new_workbook)
def template_workbook(output: str | Path, *, settings: Settings | str | Path | None = None,
                      progress: Progress | None = None, force: bool = False) -> Path:
    """The macro-enabled workbook with no records yet: every sheet, the buttons, the VBA project.
    Paste exports into Qualifications and Assessments (or use Import export) and Refresh.
    Raises :class:`~regcert_xl.model.issues.UnusableInput` unless ``output`` ends .xlsm, and
    refuses a workbook already there unless ``force`` (then kept as ``<output>.bak``)."""
    from regcert_xl.jobs import sheets as build

    if Path(output).suffix.lower() != ".xlsm":
        raise UnusableInput.file(output, "the template has buttons, so it is macro-enabled: "
                                         "give a name ending .xlsm, e.g. RegCert.xlsm")
    from regcert_xl.read.normalise import empty_table

    resolved = settings if isinstance(settings, Settings) else resolve_settings(Path(settings) if settings else None)
    q = empty_table("qualifications", resolved, "Qualifications")
    a = empty_table("assessments", resolved, "Assessments")
    ev = build.evaluate_for_workbook(q, a, resolved, as_of_timestamp(None))
    from regcert_xl.workbook.manifest import new_id

    return build.write(ev, Path(output), progress=progress, identity=(new_id(), ""))


@_one_writer(_updated)
def refresh_workbook(book: str | Path, *, settings: Settings | str | Path | None = None, as_of: DateArg = None,
                     learner: str | None = None, store: str | None = None, snapshot: bool = True,
                     progress: Progress | None = None, refreshed=None, new_history: bool = False) -> Evaluation:
    """Refresh a regcert-xl workbook in place from the records on its own sheets: only the
    generated sheets and columns change; the previous file is kept as ``<book>.bak``; a snapshot
    is saved in the history store unless ``snapshot`` is False. The workbook keeps its identity
    (one made before identities gets one); a history store it names that is gone is refused
    unless ``new_history``."""
    from regcert_xl.jobs.refresh import refresh_workbook as refresh

    book = Path(book)
    resolved = workbook_settings(book, settings, [])
    history = open_history(book, resolved, store, snapshot, new_history)
    view = read_history(history, resolved, progress, book=book) if history is not None else None
    identity = workbook_identity(book, history, snapshot and not (store or resolved.snapshot_store))
    ev = refresh(book, as_of=as_of_timestamp(as_of), settings=resolved, learner=learner, refreshed=refreshed,
                 progress=Part(progress, 0.0, 0.9), history=view, props=identity_props(identity))
    if history is not None and snapshot:
        save_snapshot(history, ev, progress, book, identity[0], REPLACED, kind="refresh", source=str(book))
    (progress or NoProgress()).update("Done", 1.0)
    return ev


def snapshot(book: str | Path, *, settings: Settings | str | Path | None = None, as_of: DateArg = None,
             store: str | None = None, new_history: bool = False):
    """Save a snapshot of the workbook's records now (without refreshing it)."""
    from regcert_xl.jobs.refresh import workbook_records

    book = Path(book)
    resolved = workbook_settings(book, settings, [])
    q, a = workbook_records(book, resolved)
    history = open_history(book, resolved, store, snapshot=True, new_history=new_history)
    with store_errors(book, "was left as it was"):
        return made(history).save_workbook(q, a, as_of=as_of_timestamp(as_of), kind="snapshot", source=str(book))


@_one_writer(_updated)
def import_export(book: str | Path, qualifications: PathArg, assessments: PathArg | None = None, *,
                  settings: Settings | str | Path | None = None, as_of: DateArg = None, store: str | None = None,
                  progress: Progress | None = None, refreshed=None, source: Sources = None, new_history: bool = False):
    """Merge a newer export into a workbook (§8): new records added, missing ones flagged, values the
    export changed updated, local columns and edits kept, conflicts listed on Changes. Returns
    (evaluation, merge)."""
    from regcert_xl.history.view import HistoryView
    from regcert_xl.jobs.importing import import_records
    from regcert_xl.jobs.refresh import open_workbook, read_workbook_records, rewrite

    book = Path(book)
    resolved = workbook_settings(book, settings, [])
    forced = forced_sources(source, ["qualifications", "assessments"] if assessments else ["qualifications"])
    new_q = read_table(_paths(qualifications), "qualifications", resolved, source=forced["qualifications"])
    new_a = read_table(_paths(assessments), "assessments", resolved, source=forced["assessments"]) if assessments else None
    history = open_history(book, resolved, store, snapshot=True, new_history=new_history)
    view = read_history(history, resolved, progress, book=book) if history is not None else HistoryView()
    identity = workbook_identity(book, history, not (store or resolved.snapshot_store))
    with steps(Part(progress, 0.0, 0.9), "Reading the workbook", "Merging the export", "Writing sheets", "Merging",
               "Saving") as step:
        step.next()
        old, manifest = open_workbook(book, resolved)
        with old:
            q, a, _ = read_workbook_records(book, old, manifest, resolved)
            step.next()
            ev, merged_q = import_records(q, a, new_q, new_a, view, resolved, as_of_timestamp(as_of),
                                          refreshed=refreshed)
            rewrite(book, old, ev, None, step, before={"Qualifications": q, "Assessments": a}, names=manifest.names,
                    props=identity_props(identity))
    if history is not None:
        save_snapshot(history, ev, progress, book, identity[0], REPLACED, kind="import", source=" + ".join(str(p) for p in _paths(qualifications)),
                       export=new_q, conflicts=merged_q.conflicts)
    (progress or NoProgress()).update("Done", 1.0)
    return ev, merged_q


def upload_file(book: str | Path, output: str | Path, *, settings: Settings | str | Path | None = None,
                store: str | None = None, as_of: DateArg = None):
    """Write the learner system's "Import and Update" CSV for the edits made in the workbook.
    Returns (files written, rows kept out with their reasons)."""
    from regcert_xl.jobs import sheets as build
    from regcert_xl.jobs.refresh import workbook_records
    from regcert_xl.roundtrip.upload import round_trip, upload_frame, write_upload

    book = Path(book)
    resolved = workbook_settings(book, settings, [])
    q, a = workbook_records(book, resolved)
    history = open_history(book, resolved, store, snapshot=False)
    if history is None:
        raise MissingInput(f"{book.name} has no history store yet, so there is no export to compare with: "
                         "build or import an export first")
    ev = build.evaluate_for_workbook(q, a, resolved, as_of_timestamp(as_of), in_place=True,
                                     history=history.view(resolved))
    trip = round_trip(ev)
    files = write_upload(upload_frame(ev, trip.upload), Path(output), resolved.upload_max_bytes)
    return files, trip.kept_out


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
    from dataclasses import replace as with_fields

    from regcert_xl.reports import learner as learner_report

    if book is not None:
        ev = _workbook_evaluation(Path(book), options.get("settings"), options.get("as_of"),
                                  options.get("store"), options.get("as_at"))
    else:
        ev = evaluate(qualifications, assessments, **options)
    known = set(learner_report.overview_report.learner_ids(ev).dropna().astype(str))
    if str(uln) not in known:
        raise UserError(f"learner {uln} is not in the records (give the ULN, or the learner reference where there is none)")
    sections = learner_report.build(with_fields(ev, chosen_learner=str(uln)))
    names = {"tblLearnerDetails": "details", "tblLearnerQualifications": "qualifications",
             "tblLearnerAssessments": "assessments", "tblLearnerChecklist": "checklist"}
    parts = {names[s.table]: s.frame for s in sections if s.table in names}
    parts["details"] = _shown_details(parts["details"])
    return parts


def _shown_details(details: pd.DataFrame) -> pd.DataFrame:
    """The details' values as the Learner sheet shows them: the rate as a percentage, dates dd/mm/yyyy."""
    def shown(field: str, value: object) -> object:
        if field == "% Complete" and isinstance(value, int | float) and value == value:
            return f"{value:.0%}"
        if isinstance(value, dt.date):
            return None if pd.isna(value) else f"{value:%d/%m/%Y}"
        return value

    return details.assign(Value=[shown(f, v) for f, v in zip(details["Field"], details["Value"], strict=True)])


def _workbook_evaluation(book: Path, settings: Settings | str | Path | None, as_of: DateArg, store: str | None,
                         as_at: DateArg) -> Evaluation:
    """A workbook's records evaluated as a refresh would (with its history store when there is
    one), or — ``as_at`` — the records of the store as they stood on that date."""
    from regcert_xl.jobs import sheets as build
    from regcert_xl.jobs.refresh import workbook_records

    resolved = workbook_settings(book, settings, [])
    history = open_history(book, resolved, store, snapshot=False)
    if as_at is not None:
        if history is None:
            raise UserError("--as-at needs the history store: give --store URL")
        at = as_of_timestamp(as_at)
        q, a, _ = history.tables_at(at, resolved)
        return evaluate_tables(q, a, resolved, at, history=history.view(resolved, at=at))
    q, a = workbook_records(book, resolved)
    view = history.view(resolved) if history is not None else None
    return build.evaluate_for_workbook(q, a, resolved, as_of_timestamp(as_of), in_place=True, history=view)
