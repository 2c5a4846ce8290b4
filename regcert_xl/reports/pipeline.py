"""The Pipeline sheet (§5): where the caseload stands — qualification records by status and
programme (and employer, cohort), open actions due in the next 30/60/90 days and overdue, by flag,
and gateway by programme: who is at gateway now, for how long, and who reached it lately."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.flags import FLAG_ORDER
from regcert_xl.model.lifecycle import ACTIVE, STATUSES, UNKNOWN
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


GATEWAY_RANK = 2


def gateway_by_programme(ev: Evaluation) -> pd.DataFrame:
    """Per programme: records at gateway now (Gateway Reached), those of them with no gateway date
    (neither the record's Gateway Date nor the snapshot history gives it), the longest any has been
    at gateway, and records that reached gateway in the last 30 / 60 / 90 days (by the date gateway
    was reached, whatever their status now; closed records left out)."""
    r = ev.records
    programme = r["programme"].astype("string").fillna("(blank)") if "programme" in r else pd.Series(
        "(all)", index=r.index, dtype="string")
    reached = pd.to_datetime(r["gateway_at"])
    days = (ev.as_of - reached).dt.days
    active = (r["category"] == ACTIVE).astype(bool)
    at_gateway = active & (r["rank"] == GATEWAY_RANK).fillna(False).astype(bool)
    frame = pd.DataFrame({"At Gateway": at_gateway, "At Gateway, No Date": at_gateway & reached.isna()})
    for window in WINDOWS:
        frame[f"Reached Gateway in Last {window} Days"] = (active & days.between(0, window)).fillna(False)
    counted = list(frame.columns)
    frame["Longest at Gateway (Days)"] = days.where(at_gateway)
    group = programme.rename("Programme")
    table = frame.groupby(group, sort=False)[counted].sum().astype(int)
    table["Longest at Gateway (Days)"] = frame.groupby(group, sort=False)["Longest at Gateway (Days)"].max()
    table = table[(table[counted] > 0).any(axis=1)].sort_values("At Gateway", ascending=False, kind="stable")
    total = table[counted].sum().to_frame("Total").T
    total["Longest at Gateway (Days)"] = table["Longest at Gateway (Days)"].max() if len(table) else pd.NA
    total.index = pd.Index(["Total"], name="Programme")
    out = pd.concat([table, total]).reset_index().rename_axis(columns=None)
    out[counted] = out[counted].astype(int)
    out["Longest at Gateway (Days)"] = pd.to_numeric(out["Longest at Gateway (Days)"]).astype("Int64")
    return out


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
    gateway = gateway_by_programme(ev)
    sections.append(Section("tblPipelineGateway", "Gateway by programme: at gateway now, and reached lately",
                            gateway, {c: ColumnKind.INT for c in gateway.columns if c != "Programme"},
                            note="Gateway dates come from the Gateway Date column, else from when the snapshot "
                                 "history first saw Gateway Reached. Last N days includes 30 in 60."))
    for dimension, label, table in (("employer", "Employer", "tblPipelineEmployer"),
                                     ("cohort", "Cohort", "tblPipelineCohort")):
        if dimension in ev.records:
            frame = by_status(ev, dimension, label, status_of)
            sections.append(Section(table, f"Qualification records by status and {dimension}", frame,
                                    {c: ColumnKind.INT for c in frame.columns if c != label}))
    return sections


REPORT = Report("Pipeline", "Pipeline", build)
