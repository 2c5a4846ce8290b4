"""From records to flags: validation, transitions, assessment analysis, the flag table and the
learner roll-up, in one pass for an as-of date. No Excel here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from regcert_xl.evaluate.assessments import QUAL_INDEX, AssessmentAnalysis, analyse
from regcert_xl.evaluate.components import component_names
from regcert_xl.evaluate.flags import FlagInputs, FlagResult, evaluate
from regcert_xl.evaluate.rollup import learners
from regcert_xl.evaluate.validation import validate_tables
from regcert_xl.history.view import HistoryView, pending_changes
from regcert_xl.model.frames import contains_any, join_groups, joined_key, member
from regcert_xl.model.identity import (
    LEARNER_KEY,
    LEARNER_NAME,
    QUAL_KEY,
    norm_key,
    paired_keys,
    qualification_labels,
)
from regcert_xl.model.issues import concat_issues, fill
from regcert_xl.model.lifecycle import (
    ACTIVE,
    EXEMPT,
    RANK_DATE,
    RANK_NAMES,
    judge_transitions,
    resolve_statuses,
)
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.rules.base import Context, emit

# Record fields carried into the flagged frame (when the source has them).
CARRIED = ("uln", "learner_ref", "first_name", "last_name", "learner_name", "programme", "sub_programme",
           "employer", "cohort", "tutor", "qualification", "qualification_number", "awarding_body", "status",
           "start_date", "planned_end_date", "registration_date", "registration_number",
           "planned_achieved_date", "gateway_date", "achieved_date", "overall_grade", "certificate_claimed_date",
           "certificate_received_date", "certificate_sent_date", "notes")


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Everything the reports are built from. Immutable: a different chosen learner or refresh time
    is a new evaluation (``dataclasses.replace``); equal only to itself, so it can key a memo."""

    context: Context
    issues: pd.DataFrame
    analysis: AssessmentAnalysis
    records: pd.DataFrame  # one row per qualification record: fields, status reading, component, flags
    hits: pd.DataFrame  # every flag that applies, one row each
    learners: pd.DataFrame  # one row per learner
    history: HistoryView | None = None  # what the snapshot store says, when there is one
    chosen_learner: str | None = None  # the learner the Learner sheet shows (default: most urgent)
    refreshed: dt.datetime | None = None  # when the workbook was built or refreshed
    import_paths: dict[str, str] = field(default_factory=dict)  # the Start sheet's export paths, kept

    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def as_of(self) -> pd.Timestamp:
        return self.context.as_of


def evaluate_tables(qualifications: Table, assessments: Table | None, settings: Settings,
                    as_of: pd.Timestamp, *, previous: Table | None = None,
                    status_dates: pd.DataFrame | None = None, history: HistoryView | None = None) -> Evaluation:
    """Validate, judge transitions, analyse assessments, flag and roll up, for ``as_of``.

    ``previous`` (an earlier export) or ``history.previous_statuses`` give the statuses moves
    are judged against; ``status_dates`` or ``history.status_dates`` the dates statuses were
    first seen; ``history.export`` the last imported export (records missing from it are flagged)."""
    report = validate_tables(qualifications, assessments, settings, as_of)
    ctx = report.context
    issues = report.issues
    before = previous_statuses(previous, settings) if previous is not None else (
        history.previous_statuses if history is not None else None)
    if before is not None and len(before):
        issues = concat_issues([issues, transition_issues(ctx, before)])
    if status_dates is None and history is not None:
        status_dates = history.status_dates
    if before is not None and len(before):
        status_dates = _seen_today(status_dates, qualifications, ctx.statuses, before, as_of)
    analysis = analyse(assessments, ctx.assessment_learner_keys if assessments is not None else None,
                       qualifications.data, settings, as_of,
                       linked=ctx.assessment_qualifications if assessments is not None else None)
    f = flag_inputs(ctx, issues, analysis, status_dates)
    f["in_export"] = _in_export(qualifications, history.export if history is not None else None)
    result = evaluate(FlagInputs(f, settings, as_of))
    records = f.join(result.records)
    hits = _describe_hits(result, records)
    return Evaluation(ctx, issues, analysis, records, hits, learners(records, hits, settings), history=history)


def _seen_today(status_dates: pd.DataFrame | None, q: Table, statuses: pd.DataFrame, before: pd.DataFrame,
                as_of: pd.Timestamp) -> pd.DataFrame:
    """A status a record did not have at the previous snapshot was first seen today."""
    current = pd.DataFrame({LEARNER_KEY: q.data[LEARNER_KEY], QUAL_KEY: q.data[QUAL_KEY],
                            "status_name": statuses["status_name"]})
    moved = pending_changes(before, current, as_of)
    fresh = moved.rename(columns={"to": "status"})[[LEARNER_KEY, QUAL_KEY, "status", "first_seen"]]
    if status_dates is None or status_dates.empty:
        return fresh
    return pd.concat([status_dates, fresh], ignore_index=True).drop_duplicates(
        [LEARNER_KEY, QUAL_KEY, "status"], keep="first")


def previous_statuses(previous: Table, settings: Settings) -> pd.DataFrame:
    """An earlier set of records' statuses by identity (for transitions)."""
    frame = resolve_statuses(previous.column("status"), settings)[["status_name", "rank"]]
    return frame.set_axis(paired_keys(previous.data[LEARNER_KEY], previous.data[QUAL_KEY]))


def _in_export(qualifications: Table, export: Table | None) -> pd.Series:
    """Per record: is it in the last imported export (True when no export is known)."""
    if export is None:
        return pd.Series(True, index=qualifications.data.index)
    theirs = joined_key(export.data[LEARNER_KEY], export.data[QUAL_KEY])
    return member(joined_key(qualifications.data[LEARNER_KEY], qualifications.data[QUAL_KEY]), theirs)


def transition_issues(ctx: Context, before: pd.DataFrame) -> pd.DataFrame:
    """TRANSITION_BACKWARD / TRANSITION_SKIP for the current records against earlier statuses
    (``before``: status_name and rank by (_learner_key, _qual_key))."""
    q = ctx.qualifications
    current = ctx.statuses[["status_name", "rank"]].copy()
    if q.has("notes"):
        current["notes"] = q.data["notes"]
    current["_pos"] = current.index
    current = current.set_axis(paired_keys(q.data[LEARNER_KEY], q.data[QUAL_KEY]))
    moves = judge_transitions(before, current)
    if moves.empty:
        return concat_issues([])
    positions = current.loc[moves.index, "_pos"]
    positions = positions[~positions.index.duplicated()]
    moves = moves[~moves.index.duplicated()]
    by_record = moves.set_axis(positions.to_numpy())
    mask = pd.Series(False, index=q.data.index)
    frames = []
    for move, code, template in (
        ("backward", "TRANSITION_BACKWARD", "Status moved back from {a} to {b} since the previous export"),
        ("skip", "TRANSITION_SKIP", "Status moved from {a} to {b}, skipping a step"),
    ):
        rows = by_record[by_record["move"] == move]
        m = mask.copy()
        m[rows.index] = True
        message = fill(template, a=rows["from_status"].reindex(q.data.index),
                       b=rows["to_status"].reindex(q.data.index))
        frames.append(emit(q, m, code, message, column="status", values=q.data.get("status")))
    return concat_issues(frames)


def flag_inputs(ctx: Context, issues: pd.DataFrame, analysis: AssessmentAnalysis,
                status_dates: pd.DataFrame | None) -> pd.DataFrame:
    q, settings = ctx.qualifications, ctx.settings
    present = [n for n in CARRIED if q.has(n)]
    missing_dates = {n: pd.Series(pd.NaT, index=q.data.index, dtype="datetime64[ns]")
                     for n in CARRIED if not q.has(n) and n.endswith("_date")}
    f = pd.concat([q.data[[*present, LEARNER_KEY, QUAL_KEY, LEARNER_NAME]], pd.DataFrame(missing_dates),
                   ctx.statuses], axis=1)
    f["qualification"] = qualification_labels(q.data)  # the title, else the number
    f["status_text"] = f.get("status", pd.NA)
    rank = f["rank"].astype("Float64")
    # without certificates (tracking off, or an internal stage) Achieved is the end of the road
    no_certificates = ~f["registration_required"] | (not settings.certificate_tracking)
    f["complete"] = (f["status_name"].isin(settings.complete_statuses)
                     | (no_certificates & (rank >= 3).fillna(False) & (f["category"] == ACTIVE))).astype(bool)
    _reached_dates(f, status_dates)
    f["error_message"] = _first_errors(issues, analysis, f.index)
    body = f["awarding_body"].astype("string") if "awarding_body" in f else pd.Series(pd.NA, index=f.index, dtype="string")
    f["registrar"] = body.where(body.str.strip() != "").fillna("the awarding body / EPAO")
    names = component_names(f["qualification"], settings)
    f["component"] = names["component"]
    f["is_component"] = names["prefix"].notna()
    f["is_overall"] = f["is_component"] & norm_key(f["component"]).str.contains("overall").fillna(False)
    recs = analysis.records.reindex(f.index)
    for column in ("resit_required", "result_overdue", "result_pending", "all_passed"):
        f[column] = recs[column].fillna(False).astype(bool).to_numpy() if column in recs else False
    for column in ("resit_due", "result_due", "passed_date"):
        f[column] = pd.to_datetime(recs[column]).to_numpy() if column in recs else pd.NaT
    for column in ("resit_components", "result_components"):
        f[column] = recs[column].fillna("").to_numpy() if column in recs else ""
    f["grade"] = recs["grade"].to_numpy() if "grade" in recs else pd.NA
    f["passed"] = ((rank >= 3).fillna(False) & (f["category"] == ACTIVE)) | f["all_passed"]
    f["blocked_by"] = _gateway_blockers(f, settings)
    return f


def _reached_dates(f: pd.DataFrame, status_dates: pd.DataFrame | None) -> None:
    """The date gateway and each certificate stage was reached: the record's own date, else the
    date the status was first seen in the snapshot history."""
    for column, rank in (("gateway_at", 2), ("achieved_at", 3), ("claimed_at", 4), ("received_at", 5)):
        own = f[RANK_DATE[rank]]
        if status_dates is not None and len(status_dates):
            seen = status_dates[status_dates["status"] == RANK_NAMES[rank]]
            seen = seen.drop_duplicates([LEARNER_KEY, QUAL_KEY]).set_index([LEARNER_KEY, QUAL_KEY])["first_seen"]
            keys = pd.MultiIndex.from_arrays([f[LEARNER_KEY], f[QUAL_KEY]])
            own = own.fillna(pd.Series(pd.to_datetime(seen.reindex(keys)).to_numpy(), index=f.index))
        f[column] = own


def _first_errors(issues: pd.DataFrame, analysis: AssessmentAnalysis, index: pd.Index) -> pd.Series:
    """The first error-level issue (other than STATUS_UNKNOWN) of each qualification record,
    counting errors on its assessments."""
    errors = issues[(issues["severity"] == "error") & (issues["code"] != "STATUS_UNKNOWN")
                    & issues["_index"].notna()]
    own = errors[errors["_record"] == "qualifications"]
    theirs = errors[errors["_record"] == "assessments"]
    linked = analysis.events[QUAL_INDEX].reindex(theirs["_index"].astype("int64")).to_numpy() if len(theirs) else []
    theirs = theirs.assign(_index=pd.array(linked, dtype="Int64"),
                           message="Assessment row " + theirs["row"].astype(str) + ": " + theirs["message"])
    both = pd.concat([own, theirs.dropna(subset=["_index"])])
    first = both.drop_duplicates("_index").set_index("_index")["message"]
    return first.reindex(index)


def _gateway_blockers(f: pd.DataFrame, settings: Settings) -> pd.Series:
    """Per record: the learner's prerequisite qualifications not yet achieved or exempt (NA
    when none, and for the prerequisites themselves)."""
    is_prereq = contains_any(f["qualification"], list(norm_key(pd.Series(settings.prerequisite_patterns)).dropna()))
    satisfied = ((f["rank"].astype("Float64") >= 3).fillna(False) & (f["category"] == ACTIVE)) | (f["category"] == EXEMPT)
    open_prereq = f["qualification"].where(is_prereq & ~satisfied).dropna()
    by_learner = join_groups(open_prereq, f[LEARNER_KEY][open_prereq.index], unique=True)
    blockers = f[LEARNER_KEY].map(by_learner)
    return blockers.where(~is_prereq)


def _describe_hits(result: FlagResult, records: pd.DataFrame) -> pd.DataFrame:
    hits = result.hits
    described = records[[c for c in ("uln", "learner_ref", LEARNER_NAME, "programme", "employer", "cohort",
                                     "qualification", "component", "status") if c in records]]
    return hits.join(described, on="record")
