"""The Start sheet (§5): what the workbook is, the as-of date, when it was refreshed, the counts,
and how to use it."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from regcert_xl import __version__
from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.flags import RAG_ORDER
from regcert_xl.model.issues import count_by_severity
from regcert_xl.reports.base import ColumnKind, Report, Section

HOW_TO = [
    ("Overview", "One row per learner, most urgent first; each component shows its flag. Click a ULN."),
    ("Actions", "The shopping list: every open action with its due date and owner. Filter by Owner."),
    ("Learner", "The individual learner record: choose a learner in the yellow cell."),
    ("Qualifications", "Your export. Edit statuses and dates here, then Refresh."),
    ("Assessments", "Your assessment export with attempts numbered and the latest marked."),
    ("Issues", "Problems in the data, each with a link to its cell."),
    ("Pipeline", "Counts by status and programme; actions due in the next 30 / 60 / 90 days."),
    ("Outcomes", "Pass rates, resits and grades per component; achievement per programme."),
    ("Changes", "Your edits that the learner system does not have yet."),
    ("Status History", "Every status change seen between snapshots: the audit trail."),
    ("Settings", "Thresholds and status labels in force; edit a value and Refresh."),
]


def facts(ev: Evaluation) -> pd.DataFrame:
    refreshed = ev.refreshed or dt.datetime.now().replace(microsecond=0)
    counts = count_by_severity(ev.issues)
    rag = ev.records["rag"].value_counts()
    rows = [
        ("As-of date", ev.as_of.strftime("%d/%m/%Y")),
        ("Last refresh", refreshed.strftime("%d/%m/%Y %H:%M")),
        ("Qualification records", f"{len(ev.records):,}"),
        ("Assessment records", f"{len(ev.analysis.events):,}"),
        ("Learners", f"{len(ev.learners):,}"),
        ("Open actions", f"{int(ev.hits['is_action'].sum()):,}"),
        ("Records by RAG", " · ".join(f"{k} {int(rag.get(k, 0)):,}" for k in RAG_ORDER)),
        ("Issues", f"{counts['error']:,} errors · {counts['warning']:,} warnings · {counts['info']:,} info"),
        ("Sources", " + ".join(t.source for t in ev.context.tables())),
        ("Source systems", "; ".join(f"{t.record.title()}: {t.profile}" for t in ev.context.tables())),
        ("Made by", f"regcert-xl {__version__}"),
        ("Status", "Up to date"),
    ]
    return pd.DataFrame(rows, columns=["Item", "Value"])


IMPORTS = ("Qualifications export", "Assessments export")


def build(ev: Evaluation) -> list[Section]:
    guide = pd.DataFrame(HOW_TO, columns=["Sheet", "What it is for"])
    paths = pd.DataFrame({"Export": IMPORTS, "Path": [ev.import_paths.get(name, "") for name in IMPORTS]})
    return [
        Section("tblStart", "Registration & certification tracker", facts(ev),
                note="Built by regcert-xl from your learner system's exports. Refresh after editing or "
                     "after importing a newer export; the flags are worked out for the as-of date."),
        Section("tblGuide", "How to use this workbook", guide),
        Section("tblImport", "Import a newer export", paths, {"Path": ColumnKind.INPUT},
                note="For the Import export button: the full path of each export file (.csv, .xlsx or OData .json); "
                     "leave Assessments blank to import qualifications only. From the command line: regcert-xl import."),
    ]


REPORT = Report("Start", "Start", build)
