"""The Overview sheet (§5): one row per learner, a column per component holding its flag,
then worst RAG, open actions, % complete and next due date; most urgent first."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.flags import RAG_ORDER
from regcert_xl.model.identity import LEARNER_KEY
from regcert_xl.reports.base import ColumnKind, Report, Section

LEADING = {"uln": "ULN", "learner_ref": "Learner Ref", "learner": "Learner", "programme": "Programme",
           "employer": "Employer", "cohort": "Cohort"}
TRAILING = {"worst_rag": "Worst RAG", "open_actions": "Open Actions", "pct_complete": "% Complete",
            "next_due": "Next Due Date", "provisional_grade": "Provisional Grade"}


def component_order(components: pd.Series, preferred: list[str]) -> list[str]:
    """Components named in settings first (in that order), the rest A–Z."""
    present = [str(c) for c in components.dropna().unique()]
    first = [c for c in preferred if c in present]
    return first + sorted((c for c in present if c not in first), key=str.casefold)


def learner_ids(ev: Evaluation) -> pd.Series:
    """Per learner, most urgent first: the ULN, else the learner reference."""
    learners = ev.learners
    uln = learners["uln"].astype("string") if "uln" in learners else pd.Series(pd.NA, index=learners.index, dtype="string")
    ref = learners["learner_ref"].astype("string") if "learner_ref" in learners else uln
    return uln.where(uln.notna() & (uln.str.strip() != ""), ref)


def build(ev: Evaluation) -> list[Section]:
    r = ev.records
    learners = ev.learners
    narrow = r[[LEARNER_KEY, "component", "flag", "rag"]]
    ranked = narrow.assign(_rank=narrow["rag"].map(RAG_ORDER)).sort_values("_rank", kind="stable")
    best = ranked.drop_duplicates([LEARNER_KEY, "component"])
    grid = best.pivot(index=LEARNER_KEY, columns="component", values="flag") if len(best) else pd.DataFrame()
    order = component_order(r["component"], ev.settings.components_order)
    lead = learners[[c for c in LEADING if c in learners]].rename(columns=LEADING)
    lead["ULN"] = learner_ids(ev)  # the learner's handle: ULN, or reference where there is none
    components = grid.reindex(index=learners.index, columns=order)
    trail = learners[list(TRAILING)].rename(columns=TRAILING)
    frame = pd.concat([lead, components, trail], axis=1).reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    kinds = {c: ColumnKind.FLAG for c in order} | {
        "ULN": ColumnKind.LINK, "Worst RAG": ColumnKind.RAG, "Open Actions": ColumnKind.INT,
        "% Complete": ColumnKind.RATE, "Next Due Date": ColumnKind.DATE}
    return [Section("tblOverview", "Overview", frame, kinds, links={"ULN": "'Learner'!$C$3"},
                    note="One row per learner, most urgent first. Each component shows its flag; "
                         "click a ULN for the learner record. % Complete counts components complete out of "
                         "those not closed or taken elsewhere.")]


REPORT = Report("Overview", "Overview", build)
