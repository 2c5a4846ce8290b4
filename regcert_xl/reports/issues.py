"""The Issues sheet (§5): every validation issue, with a link to the cell it is about."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.model.fields import field_map
from regcert_xl.reports.base import ColumnKind, Report, Section

COLUMNS = {"severity": "Severity", "code": "Code", "sheet": "Sheet", "row": "Row", "column": "Column",
           "value": "Value", "message": "Message", "action": "Action"}


def column_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_links(ev: Evaluation, issues: pd.DataFrame) -> pd.Series:
    """'Sheet'!F12 for issues on a record sheet (column of the field, else A)."""
    if issues.empty:
        return pd.Series(dtype=object, index=issues.index)
    positions: dict[tuple[str, str], int] = {}
    for table in ev.context.tables():
        for i, c in enumerate(table.columns, start=1):
            if c.field and c.duplicate_of is None:
                positions[(table.label, c.field)] = i
    sheets = {t.label for t in ev.context.tables()}
    col = pd.Series([positions.get((s, c), 1) for s, c in zip(issues["sheet"], issues["column"], strict=True)],
                    index=issues.index, dtype="int64")
    letters = col.map(column_letter)
    target = "'" + issues["sheet"].astype(str) + "'!" + letters + issues["row"].astype("Int64").astype(str)
    return target.where(issues["sheet"].isin(sheets) & issues["row"].notna())


def build(ev: Evaluation) -> list[Section]:
    issues = ev.issues
    frame = issues[list(COLUMNS)].rename(columns=COLUMNS).copy()
    headers = {f.name: f.label for fields in ("qualifications", "assessments") for f in field_map(fields).values()}
    for table in ev.context.tables():
        headers |= {c.field: c.header for c in table.columns if c.field and c.duplicate_of is None}
    frame["Column"] = issues["column"].map(headers).fillna(issues["column"])
    frame["Go To"] = cell_links(ev, issues)
    return [Section("tblIssues", "Issues", frame.reset_index(drop=True),
                    {"Row": ColumnKind.ID, "Go To": ColumnKind.LINK}, links={"Go To": None},
                    note="Every problem found in the records. Errors stop a record's flags being trusted "
                         "(it shows DATA_ERROR); warnings and info are for tidying up. Go To jumps to the cell.")]


REPORT = Report("Issues", "Issues", build)
