"""The Pipeline sheet (§5): where the caseload stands — qualification records by status and
programme (and employer, cohort), open actions due in the next 30/60/90 days and overdue, by flag."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.flags import FLAG_ORDER
from regcert_xl.model.lifecycle import STATUSES, UNKNOWN
from regcert_xl.reports.base import ColumnKind, Report, Section

CATEGORY_LABELS = {"on_hold": "On Hold", "withdrawn": "Withdrawn", "void": "Void", "not_achieved": "Not Achieved",
                   "external": "External", UNKNOWN: "Unknown status", "": "No status"}
WINDOWS = (30, 60, 90)


def status_column(records: pd.DataFrame) -> pd.Series:
    """Lifecycle and system statuses by name; local labels by their category."""
    named = records["status_name"].where(records["category"].isin(["active", "registration_not_required", "exempt"]))
    return named.fillna(records["category"].map(CATEGORY_LABELS)).fillna("Unknown status")


def status_order(present: pd.Index) -> list[str]:
    ordered = [s.name for s in STATUSES] + list(CATEGORY_LABELS.values())
    return [s for s in ordered if s in present]


def by_status(ev: Evaluation, dimension: str, label: str, statuses: pd.Series) -> pd.DataFrame:
    r = ev.records
    group = r[dimension].astype("string").fillna("(blank)") if dimension in r else pd.Series("(all)", index=r.index)
    table = statuses.groupby([group.rename(label), statuses.rename("status")]).size().unstack(fill_value=0)
    table = table[status_order(table.columns)]
    table["Total"] = table.sum(axis=1)
    table = table.sort_values("Total", ascending=False, kind="stable")
    total = table.sum().to_frame("Total").T
    total.index = pd.Index(["Total"], name=label)
    return pd.concat([table, total]).reset_index().rename_axis(columns=None)


def actions_by_flag(ev: Evaluation) -> pd.DataFrame:
    hits = ev.hits[ev.hits["is_action"]]
    days_left = (hits["due_date"] - ev.as_of).dt.days
    frame = pd.DataFrame({"Flag": hits["flag"], "Owner": hits["owner"]})
    frame["Overdue"] = (days_left < 0).fillna(False)
    for window in WINDOWS:
        frame[f"Due in {window} Days"] = days_left.between(0, window).fillna(False)
    frame["No Due Date"] = days_left.isna()
    frame["Oldest Overdue (Days)"] = (-days_left).where(days_left < 0)
    counted = [c for c in frame.columns if c not in ("Flag", "Owner", "Oldest Overdue (Days)")]
    table = frame.groupby(["Flag", "Owner"], sort=False)[counted].sum().astype(int)
    table["Oldest Overdue (Days)"] = frame.groupby(["Flag", "Owner"], sort=False)["Oldest Overdue (Days)"].max()
    table = table.reset_index()
    table = table.sort_values("Flag", key=lambda f: f.map(FLAG_ORDER), kind="stable").reset_index(drop=True)
    table["Oldest Overdue (Days)"] = table["Oldest Overdue (Days)"].astype("Int64")
    return table


def build(ev: Evaluation) -> list[Section]:
    status_of = status_column(ev.records)
    programme = by_status(ev, "programme", "Programme", status_of)
    statuses = [c for c in programme.columns if c not in ("Programme", "Total")]
    ints = {c: ColumnKind.INT for c in statuses + ["Total"]}
    sections = [
        Section("tblPipelineProgramme", "Qualification records by status and programme", programme, ints,
                chart={"type": "bar", "categories": "Programme", "values": statuses, "stacked": True,
                       "title": "Status by programme", "skip_last_row": True}),
        Section("tblPipelineActions", "Open actions by flag: overdue and due in the next 30 / 60 / 90 days",
                actions_by_flag(ev), {"Flag": ColumnKind.FLAG},
                note="Due in N Days counts actions due from today up to N days ahead (so 60 includes 30)."),
    ]
    for dimension, label, table in (("employer", "Employer", "tblPipelineEmployer"),
                                     ("cohort", "Cohort", "tblPipelineCohort")):
        if dimension in ev.records:
            frame = by_status(ev, dimension, label, status_of)
            sections.append(Section(table, f"Qualification records by status and {dimension}", frame,
                                    {c: ColumnKind.INT for c in frame.columns if c != label}))
    return sections


REPORT = Report("Pipeline", "Pipeline", build)
