"""Validation issues: one frozen type, one flat catalogue, one long table.

Issues are data, not exceptions. Rules emit them in bulk as frames with the fixed
columns of :data:`ISSUE_COLUMNS`; :class:`Issue` is the single-record form used at the
API edge and inside :class:`UnusableInput`, the one exception raised when an input
cannot be read at all.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from regcert_xl.model.errors import UserError, one_line  # noqa: F401  (one_line: used by importers of this module)
from regcert_xl.model.frames import arrow_text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

ISSUE_COLUMNS = ("severity", "code", "sheet", "row", "column", "value", "message", "action")
# Internal: which table and record an issue is about (dropped from every output).
RECORD_COLUMNS = ("_record", "_index")


@dataclass(frozen=True)
class IssueCode:
    code: str
    severity: Severity
    title: str
    description: str
    action: str


def _codes(*codes: IssueCode) -> dict[str, IssueCode]:
    return {c.code: c for c in codes}


ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, IssueCode] = _codes(
    IssueCode("FILE_UNREADABLE", ERR, "File cannot be read",
              "The file is missing, empty, not the format its name says, damaged, protected or too large.",
              "Export the file again from the learner system and point regcert-xl at it."),
    IssueCode("MISSING_COLUMN", ERR, "Required column missing",
              "A column the records need is absent; the message names the headers that were found.",
              "Add the column to the export or map its header in settings (column_aliases)."),
    IssueCode("REQUIRED_VALUE", ERR, "Required value blank",
              "A value the record cannot do without is blank (learner identity, qualification, status).",
              "Fill in the value in the learner system."),
    IssueCode("ULN_INVALID", ERR, "ULN not valid",
              "The ULN is not 10 digits, starts with 0, or fails the DfE check digit.",
              "Correct the ULN from the Learning Records Service."),
    IssueCode("ULN_TEMPORARY", WARN, "Temporary ULN",
              "9999999999 is the temporary ULN; awarding bodies need the real one.",
              "Obtain the learner's real ULN from the Learning Records Service."),
    IssueCode("ULN_REPAIRED", INFO, "ULN repaired",
              "A ULN damaged by a spreadsheet (float or scientific form) was repaired to its 10 digits.",
              "Store ULNs as text in the source so they are not damaged again."),
    IssueCode("DATE_INVALID", ERR, "Date cannot be read",
              "A date that is not a real date in any accepted form (dd/mm/yyyy, yyyy-mm-dd, Excel serial).",
              "Enter the date as dd/mm/yyyy."),
    IssueCode("DATE_IN_FUTURE", ERR, "Date in the future",
              "A gateway, achieved or certificate date after the as-of date.",
              "Correct the date; it cannot be later than today."),
    IssueCode("DATE_ORDER", ERR, "Dates out of order",
              "Two dates of the record are in the wrong order (for example achieved before registered).",
              "Correct whichever of the two dates is wrong."),
    IssueCode("STATUS_UNKNOWN", ERR, "Status not recognised",
              "The status is not a lifecycle status, a system status or a mapped local label.",
              "Correct the status, or map the label in settings: to a lifecycle status with status_aliases "
              "(e.g. status_aliases = {\"Booked for EPA\" = \"Registered\"}), or to a local category "
              "with status_labels (e.g. on_hold = [\"Paused\"])."),
    IssueCode("STATUS_MISSING_FIELD", ERR, "Field required by status",
              "A field the record's status requires is blank (errors for dates that define the status, "
              "warnings for supporting fields).",
              "Fill in the field, or set the status the record has really reached."),
    IssueCode("DUPLICATE_RECORD", ERR, "Duplicate record",
              "The same record appears twice: an error when the copies differ, info when they are identical.",
              "Remove the extra copy in the learner system."),
    IssueCode("ORPHAN_ASSESSMENT", ERR, "Assessment without qualification",
              "An assessment whose learner has no qualification record with that qualification.",
              "Add the qualification to the learner or correct the assessment's learner/qualification."),
    IssueCode("EPAO_ID_INVALID", WARN, "EPAO ID not valid",
              "An EPAO ID that is neither 'EPA' followed by four digits nor (from 2026-27) an 8-digit UKPRN (10000000–19999999).",
              "Correct the EPAO ID from the register of end-point assessment organisations."),
    IssueCode("RESULT_WITHOUT_DATE", WARN, "Result without date",
              "An assessment has a result but no assessment date.",
              "Enter the date the assessment was sat."),
    IssueCode("VALUE_UNKNOWN", ERR, "Value not recognised",
              "An assessment type, status or result that is not in the list of known values.",
              "Correct the value or add it to the matching list in settings."),
    IssueCode("VALUE_INVALID", ERR, "Value not valid",
              "A value that cannot be read as the kind the column holds (for example an attempt that is not a whole number).",
              "Correct the value."),
    IssueCode("TEXT_TOO_LONG", WARN, "Text too long for a cell",
              "A value longer than the 32,767 characters an Excel cell holds: the workbook shows its start.",
              "Shorten the value in the learner system (long notes belong in a document, not a field)."),
    IssueCode("TRANSITION_BACKWARD", WARN, "Status moved back",
              "The status is earlier in the lifecycle than in the previous snapshot.",
              "Check the status; if the move back is right, say why in the record's notes."),
    IssueCode("TRANSITION_SKIP", INFO, "Status skipped a step",
              "The status moved forward more than one step since the previous snapshot.",
              "Check the steps in between were completed."),
    IssueCode("COLUMN_DUPLICATE", WARN, "Column appears twice",
              "Two headers map to the same field; the first is used and the other is kept as it is.",
              "Remove or rename one of the columns."),
    IssueCode("ODATA_PAGES_MISSING", WARN, "OData pages missing",
              "An OData page ends with @odata.nextLink but the page it points to was not given (or the pages "
              "hold fewer records than @odata.count): the records on the missing pages are not checked.",
              "Fetch each @odata.nextLink URL in turn until a page has none, and give every page "
              "(repeat --qualifications / --assessments)."),
    IssueCode("NO_RECORDS", WARN, "No records",
              "The export has its header row but no records under it.",
              "Check the report's filters in the learner system and export again."),
    IssueCode("UNKNOWN_COLUMN", INFO, "Column kept as it is",
              "A column regcert-xl does not use; it is carried through untouched.",
              "Nothing to do, or map the header in settings (column_aliases) if it should be used."),
)


class Issue(BaseModel):
    """One validation issue, as the user reads it."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    sheet: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    message: str
    action: str

    @classmethod
    def of(cls, code: str, sheet: str, message: str, *, row: int | None = None,
           column: str | None = None, value: object = None,
           severity: Severity | None = None) -> Issue:
        entry = CATALOGUE[code]
        return cls(severity=severity or entry.severity, code=code, sheet=sheet, row=row,
                   column=column, value=None if value is None else str(value),
                   message=message, action=entry.action)

    def one_line(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return one_line(f"{where}: {self.message}")


class UnusableInput(UserError):
    """An input that cannot be read at all. Carries the Issue that says why."""

    def __init__(self, issue: Issue):
        super().__init__(issue.one_line())
        self.issue = issue

    @classmethod
    def file(cls, path: object, message: str) -> UnusableInput:
        return cls(Issue.of("FILE_UNREADABLE", str(path), message))


def fill(template: str, **parts: object) -> pd.Series | str:
    """Fill ``{name}`` placeholders of a template with scalars or Series, column-wise.

    Returns a Series when any part is a Series (aligned on its index), else a str.
    """
    pieces: list[object] = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            pieces.append(literal)
        if name is not None:
            pieces.append(parts[name])
    series = [p for p in pieces if isinstance(p, pd.Series)]
    if not series:
        return "".join(str(p) for p in pieces)
    index = series[0].index
    columns = [_blank_as_empty(p.reindex(index)) if isinstance(p, pd.Series) else pa.scalar(str(p), pa.large_string())
               for p in pieces]
    joined = pc.binary_join_element_wise(*columns, pa.scalar("", pa.large_string()))
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=index).astype(object)


def _blank_as_empty(values: pd.Series) -> pa.Array:
    """A column as Arrow text, blanks as '' (text columns without a round trip through Python;
    other values as ``str`` gives them)."""
    if not pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        values = values.astype(object).where(values.notna(), "").astype(str)
    return pc.fill_null(arrow_text(values).cast(pa.large_string()), "")


def issue_frame(code: str, sheet: str | pd.Series, rows: pd.Series, message: pd.Series | str, *,
                column: str | None = None, values: pd.Series | None = None,
                severity: Severity | pd.Series | None = None, record: str | None = None,
                per_record: bool = False) -> pd.DataFrame:
    """Build the issue rows of one code for the records whose user row numbers are ``rows``.

    With ``per_record`` the index of ``rows`` is kept as the record each issue is about."""
    entry = CATALOGUE[code]
    index = rows.index
    frame = pd.DataFrame(
        {
            "severity": severity if severity is not None else entry.severity.value,
            "code": code,
            "sheet": sheet,
            "row": rows.astype("Int64"),
            "column": column,
            "value": _as_text(values) if values is not None else None,
            "message": message,
            "action": entry.action,
            "_record": record,
            "_index": pd.Series(index, index=index, dtype="Int64") if per_record else pd.NA,
        },
        index=index,
        columns=[*ISSUE_COLUMNS, *RECORD_COLUMNS],
    )
    frame["severity"] = frame["severity"].astype(str)
    frame["_index"] = frame["_index"].astype("Int64")
    return frame


def public(issues: pd.DataFrame) -> pd.DataFrame:
    """The issue table as users see it: the fixed columns only."""
    return issues[list(ISSUE_COLUMNS)]


def _as_text(values: pd.Series) -> pd.Series:
    def text(v: object) -> object:
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
            return None
        if isinstance(v, pd.Timestamp):
            return v.strftime("%d/%m/%Y")
        return str(v)

    return values.astype(object).map(text)


def empty_issues() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in (*ISSUE_COLUMNS, *RECORD_COLUMNS)})
    frame["row"] = frame["row"].astype("Int64")
    frame["_index"] = frame["_index"].astype("Int64")
    return frame


def concat_issues(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One long issue table: errors first within a row, rows in sheet order."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_issues()
    out = pd.concat(frames, ignore_index=True)
    out["row"] = out["row"].astype("Int64")
    code_rank = {code: i for i, code in enumerate(CATALOGUE)}
    sheet_rank = {s: i for i, s in enumerate(dict.fromkeys(out["sheet"]))}
    keys = pd.DataFrame({
        "sheet": out["sheet"].map(sheet_rank),
        "row": out["row"].fillna(0),
        "sev": out["severity"].map({s.value: r for s, r in SEVERITY_ORDER.items()}),
        "code": out["code"].map(code_rank),
    })
    order = keys.sort_values(["sheet", "row", "sev", "code"], kind="stable").index
    return out.loc[order].reset_index(drop=True)


def issues_to_models(frame: pd.DataFrame) -> list[Issue]:
    frame = public(frame)
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [Issue(**r) for r in records]


def count_by_severity(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["severity"].value_counts()
    return {s.value: int(counts.get(s.value, 0)) for s in Severity}
