"""What every rule sees (:class:`Context`) and how it reports (:func:`emit`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from regcert_xl.model.identity import LEARNER_KEY, QUAL_KEY, TITLE_KEY
from regcert_xl.model.issues import Severity, issue_frame
from regcert_xl.model.lifecycle import registration_required, resolve_statuses
from regcert_xl.model.linking import link_learner_keys, link_to_qualifications
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table


@dataclass
class Context:
    qualifications: Table
    assessments: Table | None
    settings: Settings
    as_of: pd.Timestamp

    def tables(self) -> Iterator[Table]:
        yield self.qualifications
        if self.assessments is not None:
            yield self.assessments

    @cached_property
    def statuses(self) -> pd.DataFrame:
        """Qualification statuses resolved: status_name, category, rank, registration_required."""
        q = self.qualifications
        resolved = resolve_statuses(q.column("status"), self.settings)
        resolved["registration_required"] = registration_required(
            q.column("qualification"), resolved["category"], self.settings
        )
        return resolved

    @cached_property
    def assessment_learner_keys(self) -> pd.Series:
        """Assessments' learner keys, with learner references resolved to the ULN the
        qualification records give them."""
        assert self.assessments is not None
        return link_learner_keys(self.assessments.data, self.qualifications.data)


    @cached_property
    def assessment_qualifications(self) -> pd.Series:
        """Per assessment: the index of its qualification record (NA: none — an orphan)."""
        assert self.assessments is not None
        return link_to_qualifications(self.assessments.data, self.assessment_learner_keys, self.qualifications.data)


def emit(table: Table, mask: pd.Series, code: str, message: pd.Series | str, *,
         column: str | None = None, values: pd.Series | None = None,
         severity: Severity | pd.Series | None = None) -> pd.DataFrame:
    """Issue rows of ``code`` for the records of ``table`` where ``mask`` holds. Message,
    values and severity may be given for every record or just for those in the mask."""
    mask = mask.fillna(False).astype(bool) if mask.dtype != bool else mask
    origin = table.origin[mask]
    if isinstance(message, pd.Series):
        message = message.reindex(origin.index)
    if values is not None:
        values = values.reindex(origin.index)
    if isinstance(severity, pd.Series):
        severity = severity.reindex(origin.index)
    return issue_frame(code, origin["sheet"], origin["row"], message, column=column,
                       values=values, severity=severity, record=table.record, per_record=True)


def emit_file(table: Table, code: str, message: str | list[str], *, column: str | None = None,
              value: str | list[str | None] | None = None) -> pd.DataFrame:
    """File-level issues (on the header row, where the file has one): one, or one per message
    (with a value each) in a single frame however many there are."""
    messages = [message] if isinstance(message, str) else list(message)
    values = [value] if not isinstance(value, list) else value
    rows = pd.Series([table.header_row] * len(messages), dtype="Int64")
    sheet = table.origin["sheet"].iloc[0] if len(table.origin) else table.label
    return issue_frame(code, sheet, rows, pd.Series(messages, dtype=object), column=column,
                       values=pd.Series(values, dtype=object) if value is not None else None, record=table.record)


def blank(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.isna()
    text = values.astype("string")
    return (text.isna() | (text.str.strip() == "")).astype(bool)


def uk(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%d/%m/%Y")


__all__ = ["Context", "emit", "emit_file", "blank", "uk", "LEARNER_KEY", "QUAL_KEY", "TITLE_KEY"]
