"""The learner job: one learner's record — details, qualifications, assessments, checklist —
from exports, or from a workbook's records as a refresh would show them (with its history, or
as the store held them on a date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace as with_fields
from pathlib import Path

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.validation import as_of_timestamp
from regcert_xl.jobs.evaluating import evaluate, evaluate_as_at, evaluate_in_place
from regcert_xl.jobs.history import open_history, view_of
from regcert_xl.jobs.in_place import workbook_records
from regcert_xl.jobs.loading import DateArg, PathArg
from regcert_xl.jobs.settings import workbook_settings
from regcert_xl.model.errors import UserError
from regcert_xl.model.settings import Settings
from regcert_xl.reports import learner as learner_report

SECTIONS = {"tblLearnerDetails": "details", "tblLearnerQualifications": "qualifications",
            "tblLearnerAssessments": "assessments", "tblLearnerChecklist": "checklist"}


def learner(uln: str, qualifications: PathArg | None = None, assessments: PathArg | None = None, *,
            book: Path | None = None, **options) -> dict[str, pd.DataFrame]:
    """The learner record for ``uln`` (see :func:`regcert_xl.api.learner`)."""
    if book is not None:
        ev = workbook_evaluation(book, options.get("settings"), options.get("as_of"), options.get("store"),
                                 options.get("as_at"))
    else:
        ev = evaluate(qualifications, assessments, **options)
    return learner_record(ev, str(uln))


def learner_record(ev: Evaluation, uln: str) -> dict[str, pd.DataFrame]:
    """The learner's sections of the Learner sheet, by name, the details shown as the sheet shows them."""
    known = set(learner_report.overview_report.learner_ids(ev).dropna().astype(str))
    if uln not in known:
        raise UserError(f"learner {uln} is not in the records (give the ULN, or the learner reference where there is none)")
    sections = learner_report.build(with_fields(ev, chosen_learner=uln))
    parts = {SECTIONS[s.table]: s.frame for s in sections if s.table in SECTIONS}
    parts["details"] = shown_details(parts["details"])
    return parts


def shown_details(details: pd.DataFrame) -> pd.DataFrame:
    """The details' values as the Learner sheet shows them: the rate as a percentage, dates dd/mm/yyyy."""
    def shown(field: str, value: object) -> object:
        if field == "% Complete" and isinstance(value, int | float) and value == value:
            return f"{value:.0%}"
        if isinstance(value, dt.date):
            return None if pd.isna(value) else f"{value:%d/%m/%Y}"
        return value

    return details.assign(Value=[shown(f, v) for f, v in zip(details["Field"], details["Value"], strict=True)])


def workbook_evaluation(book: Path, settings: Settings | str | Path | None, as_of: DateArg, store: str | None,
                        as_at: DateArg) -> Evaluation:
    """A workbook's records evaluated as a refresh would (with its history store when there is
    one), or — ``as_at`` — the records of the store as they stood on that date."""
    resolved = workbook_settings(book, settings, [])
    history = open_history(book, resolved, store, snapshot=False)
    if as_at is not None:
        if history is None:
            raise UserError("--as-at needs the history store: give --store URL")
        return evaluate_as_at(history, resolved, as_at)
    q, a = workbook_records(book, resolved)
    return evaluate_in_place(q, a, resolved, as_of_timestamp(as_of), view_of(history, resolved, book))
