"""Single records at the API edge (§2), as pydantic models. Bulk records stay in frames;
these are for one learner's records, JSON output and the Python API."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from regcert_xl.model.table import Table


class Record(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    learner_ref: str | None = Field(None, description="The learner's reference in the learner system.")
    uln: str | None = Field(None, description="Unique Learner Number: 10 digits, DfE check digit.")
    first_name: str | None = None
    last_name: str | None = None
    learner_name: str | None = None
    qualification: str | None = Field(None, description="Qualification, EPA component or internal stage.")
    qualification_number: str | None = None
    qualification_id: str | None = Field(None, description="The learner system's key of the qualification record.")
    status: str | None = None
    notes: str | None = None


class QualificationRecord(Record):
    """One learner × qualification, with its lifecycle."""

    programme: str | None = None
    sub_programme: str | None = None
    employer: str | None = None
    cohort: str | None = None
    tutor: str | None = None
    awarding_body: str | None = None
    epao_id: str | None = None
    start_date: dt.date | None = None
    planned_end_date: dt.date | None = None
    registration_date: dt.date | None = None
    registration_number: str | None = None
    planned_achieved_date: dt.date | None = None
    gateway_date: dt.date | None = None
    achieved_date: dt.date | None = None
    overall_grade: str | None = None
    certificate_claimed_date: dt.date | None = None
    certificate_received_date: dt.date | None = None
    certificate_sent_date: dt.date | None = None
    postal_tracking_ref: str | None = None


class AssessmentRecord(Record):
    """One assessment event: an attempt, resit, mock, gateway check or result."""

    assessment: str | None = None
    assessment_type: str | None = None
    attempt: int | None = None
    assessment_date: dt.date | None = None
    result: str | None = None
    grade: str | None = None


MODELS: dict[str, type[Record]] = {"qualifications": QualificationRecord, "assessments": AssessmentRecord}


def to_models(table: Table, rows: pd.Index | None = None) -> list[Record]:
    """The records (or those at ``rows``) as models; columns the tool does not use come along
    as extra fields under their own headers."""
    data = table.data if rows is None else table.data.loc[rows]
    fields = [c for c in table.fields if c in MODELS[table.record].model_fields]
    frame = data[fields].astype(object).where(data[fields].notna(), None)
    for c in fields:
        if pd.api.types.is_datetime64_any_dtype(data[c].dtype):
            frame[c] = data[c].dt.date.astype(object).where(data[c].notna(), None)
    extras = {c.header: table.extras.loc[data.index, c.position] for c in table.columns
              if c.field is None and c.position in table.extras}
    records = frame.to_dict("records")
    extra_rows = pd.DataFrame(extras, index=data.index).astype(object).to_dict("records") if extras else [{}] * len(records)
    model = MODELS[table.record]
    return [model(**record, **{k: v for k, v in extra.items() if k not in record}) for record, extra
            in zip(records, extra_rows, strict=True)]
