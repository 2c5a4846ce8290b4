"""Reading the exports a job works from: the qualifications (and assessments) export read and
normalised, with the settings and as-of date in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import pandas as pd

from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.progress import Progress, steps
from regcert_xl.read import read_table
from regcert_xl.read.sources import forced_sources

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


def as_paths(p: PathArg | None) -> list[Path]:
    """One path, several (the pages of one export), or none, as a list."""
    if p is None:
        return []
    if isinstance(p, str | Path):
        return [Path(p)]
    return [Path(x) for x in p]


def read_exports(qualifications: PathArg, assessments: PathArg | None, settings: Settings,
                 source: Sources = None, progress: Progress | None = None) -> tuple[Table, Table | None]:
    """The exports read under ``settings`` (``source``: the systems they came from, else detected)."""
    q_paths, a_paths = as_paths(qualifications), as_paths(assessments)
    forced = forced_sources(source, ["qualifications", "assessments"] if a_paths else ["qualifications"])
    with steps(progress, "Reading qualifications", "Reading assessments") as step:
        step.next()
        q = read_table(q_paths, "qualifications", settings, source=forced["qualifications"])
        step.next()
        a = read_table(a_paths, "assessments", settings, source=forced["assessments"]) if a_paths else None
    return q, a


def load(qualifications: PathArg, assessments: PathArg | None = None, *,
         settings: Settings | str | Path | None = None, as_of: DateArg = None,
         progress: Progress | None = None, book: str | Path | None = None, source: Sources = None) -> Inputs:
    """Read the exports. Raises :class:`~regcert_xl.model.issues.UnusableInput` when a file
    cannot be read and :class:`~regcert_xl.model.settings.SettingsError` for bad settings.
    ``book``: a workbook whose Settings sheet comes first in the settings lookup. ``source``:
    the system the exports came from (profile names, see docs/sources.md), else detected."""
    resolved = workbook_settings(book, settings, as_paths(qualifications))
    q, a = read_exports(qualifications, assessments, resolved, source, progress)
    return Inputs(q, a, resolved, as_of_timestamp(as_of))


def read_previous(previous: PathArg | None, settings: Settings) -> Table | None:
    """An earlier qualifications export (status moves are judged against it), or None."""
    return read_table(as_paths(previous), "qualifications", settings) if previous else None
