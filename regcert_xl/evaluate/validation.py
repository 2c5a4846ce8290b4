"""Run every rule over the records: the issues table behind `regcert-xl validate`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from regcert_xl.model.errors import UserError
from regcert_xl.model.issues import Issue, concat_issues, count_by_severity, issues_to_models
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.rules import RULES
from regcert_xl.rules.base import Context


@dataclass
class ValidationReport:
    """The issues found, with the records they were found in."""

    issues: pd.DataFrame
    context: Context

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.issues)

    @property
    def valid(self) -> bool:
        """True when no error-level issue was found."""
        return self.counts["error"] == 0

    def to_models(self) -> list[Issue]:
        return issues_to_models(self.issues)


def as_of_timestamp(as_of: dt.date | str | pd.Timestamp | None) -> pd.Timestamp:
    """The as-of date as a midnight Timestamp; default today."""
    if as_of is None:
        return pd.Timestamp(dt.date.today())
    if isinstance(as_of, str):
        from regcert_xl.read.values import parse_dates

        parsed = parse_dates(pd.Series([as_of], dtype=object))
        if parsed.values.isna().iloc[0]:
            raise UserError(f"as-of date '{as_of}' is not a date; use yyyy-mm-dd or dd/mm/yyyy")
        return parsed.values.iloc[0]
    return pd.Timestamp(as_of).normalize()


def validate_tables(qualifications: Table, assessments: Table | None, settings: Settings,
                    as_of: pd.Timestamp) -> ValidationReport:
    ctx = Context(qualifications, assessments, settings, as_of)
    frames = [frame for rule in RULES for frame in rule.check(ctx)]
    return ValidationReport(concat_issues(frames), ctx)
