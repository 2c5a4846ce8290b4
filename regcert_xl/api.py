"""The Python API: the CLI's verbs as functions returning DataFrames and pydantic models.

Example::

    from regcert_xl import api
    report = api.validate("qualifications.csv", "assessments.csv", as_of="2026-11-23")
    report.valid, report.counts, report.issues.head()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from regcert_xl.evaluation import Evaluation, evaluate_tables
from regcert_xl.model.settings import Settings, overrides_from_rows, resolve_settings
from regcert_xl.model.table import Table
from regcert_xl.progress import Progress, steps
from regcert_xl.read import read_table
from regcert_xl.reports import actions as actions_report
from regcert_xl.reports import flag_list
from regcert_xl.validation import ValidationReport, as_of_timestamp, validate_tables

PathArg = str | Path | Sequence[str | Path]
DateArg = dt.date | str | pd.Timestamp | None


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


def workbook_settings(book: str | Path | None, explicit: Settings | str | Path | None,
                      beside: list[Path]) -> Settings:
    """Settings in force for a workbook: its Settings sheet, then the given file or a
    regcert.toml beside the workbook or the exports, then the defaults."""
    if isinstance(explicit, Settings):
        return explicit
    places = ([Path(book)] if book else []) + beside
    overrides = {}
    if book and Path(book).exists():
        from regcert_xl.read.settings_sheet import settings_rows

        overrides = overrides_from_rows(settings_rows(Path(book)))
    return resolve_settings(Path(explicit) if explicit else None, beside=places, overrides=overrides)


def load(qualifications: PathArg, assessments: PathArg | None = None, *,
         settings: Settings | str | Path | None = None, as_of: DateArg = None,
         progress: Progress | None = None, book: str | Path | None = None) -> Inputs:
    """Read the exports. Raises :class:`~regcert_xl.model.issues.UnusableInput` when a file
    cannot be read and :class:`~regcert_xl.model.settings.SettingsError` for bad settings.
    ``book``: a workbook whose Settings sheet comes first in the settings lookup."""
    q_paths, a_paths = _paths(qualifications), _paths(assessments)
    settings = workbook_settings(book, settings, q_paths)
    with steps(progress, "Reading qualifications", "Reading assessments") as step:
        step.next()
        q = read_table(q_paths, "qualifications", settings)
        step.next()
        a = read_table(a_paths, "assessments", settings) if a_paths else None
    return Inputs(q, a, settings, as_of_timestamp(as_of))


def validate(qualifications: PathArg, assessments: PathArg | None = None, *,
             settings: Settings | str | Path | None = None, as_of: DateArg = None,
             progress: Progress | None = None) -> ValidationReport:
    """Validate the exports; ``report.issues`` is the issue table, ``report.valid`` says
    whether it holds no errors."""
    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=progress)
    return validate_inputs(inputs)


def validate_inputs(inputs: Inputs) -> ValidationReport:
    return validate_tables(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of)


def evaluate(qualifications: PathArg, assessments: PathArg | None = None, *,
             settings: Settings | str | Path | None = None, as_of: DateArg = None,
             previous: PathArg | None = None, status_dates: pd.DataFrame | None = None,
             progress: Progress | None = None) -> Evaluation:
    """Validate and flag the exports for the as-of date.

    ``previous`` is an earlier qualifications export (status moves are judged against it);
    ``status_dates`` gives the date each status was first seen (columns ``_learner_key``,
    ``_qual_key``, ``status``, ``first_seen``) for records that lack their own dates.
    """
    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=progress)
    before = read_table(_paths(previous), "qualifications", inputs.settings) if previous else None
    return evaluate_tables(inputs.qualifications, inputs.assessments, inputs.settings, inputs.as_of,
                           previous=before, status_dates=status_dates)


def build_workbook(qualifications: PathArg, assessments: PathArg | None = None, *, output: str | Path,
                   settings: Settings | str | Path | None = None, as_of: DateArg = None,
                   previous: PathArg | None = None, learner: str | None = None,
                   progress: Progress | None = None) -> Evaluation:
    """Build the report workbook at ``output`` from the exports; returns the evaluation it shows.

    >>> build_workbook("quals.csv", "assessments.csv", output="RegCert.xlsx")  # doctest: +SKIP
    """
    from regcert_xl import build

    inputs = load(qualifications, assessments, settings=settings, as_of=as_of, progress=progress, book=output)
    before = read_table(_paths(previous), "qualifications", inputs.settings) if previous else None
    ev = build.evaluate_for_workbook(inputs.qualifications, inputs.assessments, inputs.settings,
                                     inputs.as_of, previous=before, learner=learner)
    build.write(ev, Path(output), progress=progress)
    return ev


def template_workbook(output: str | Path, *, settings: Settings | str | Path | None = None,
                      progress: Progress | None = None) -> Path:
    """The macro-enabled workbook with no records yet: every sheet, the buttons, the VBA project.
    Paste exports into Qualifications and Assessments (or use Import export) and Refresh."""
    from regcert_xl import build
    from regcert_xl.read.normalise import empty_table

    resolved = settings if isinstance(settings, Settings) else resolve_settings(Path(settings) if settings else None)
    q = empty_table("qualifications", resolved, "Qualifications")
    a = empty_table("assessments", resolved, "Assessments")
    ev = build.evaluate_for_workbook(q, a, resolved, as_of_timestamp(None))
    return build.write(ev, Path(output), progress=progress)


def refresh_workbook(book: str | Path, *, settings: Settings | str | Path | None = None, as_of: DateArg = None,
                     learner: str | None = None, progress: Progress | None = None, refreshed=None) -> Evaluation:
    """Refresh a regcert-xl workbook in place from the records on its own sheets: only the
    generated sheets and columns change; the previous file is kept as ``<book>.bak``."""
    from regcert_xl.refresh import refresh_workbook as refresh

    resolved = workbook_settings(book, settings, [])
    return refresh(Path(book), as_of=as_of_timestamp(as_of), settings=resolved, learner=learner,
                   refreshed=refreshed, progress=progress)


def flags(qualifications: PathArg, assessments: PathArg | None = None, **options) -> pd.DataFrame:
    """One row per qualification record: uln, learner_ref, learner, qualification, status, flag,
    rag, action, due_date, days_overdue, owner, flags. Options as :func:`evaluate`.

    >>> flags("quals.csv", "assessments.csv", as_of="2026-11-23").head()  # doctest: +SKIP
    """
    return flag_list.build(evaluate(qualifications, assessments, **options))


def actions(qualifications: PathArg, assessments: PathArg | None = None, **options) -> pd.DataFrame:
    """One row per open action (every flag that asks for something), sorted by due date."""
    return actions_report.build(evaluate(qualifications, assessments, **options))
