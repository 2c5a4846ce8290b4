"""Flags for an as-of date (§4), as a table of conditions, not if-chains.

Each :class:`Flag` row names its RAG, action, owner and a condition: a small function of the
flag inputs (one row per qualification record) returning where it holds and, where it has
one, the due date. :func:`evaluate` runs the table once over whole columns and gives every
record its most severe flag (RED > AMBER > BLUE > GREEN > GREY, ties in table order) and
the long list of every flag that applies.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from regcert_xl.model.frames import join_groups
from regcert_xl.model.issues import fill
from regcert_xl.model.lifecycle import (
    ACTIVE,
    EXEMPT,
    EXTERNAL,
    NOT_ACHIEVED,
    ON_HOLD,
    REGISTRATION_NOT_REQUIRED,
    UNKNOWN,
    VOID,
    WITHDRAWN,
)
from regcert_xl.model.settings import Settings

RAG_ORDER = {"RED": 0, "AMBER": 1, "BLUE": 2, "GREEN": 3, "GREY": 4}
ADMIN, TUTOR, NOBODY = "Admin", "Tutor", ""
NO_ACTION = "No action needed"

Condition = Callable[["FlagInputs"], "tuple[pd.Series, pd.Series | None]"]


@dataclass(frozen=True)
class Flag:
    name: str
    rag: str
    action: str  # plain words; "{...}" fields come from the flag inputs
    owner: str
    condition: Condition
    description: str

    @property
    def is_action(self) -> bool:
        return self.action != NO_ACTION


@dataclass
class FlagInputs:
    """Everything the conditions read, one row per qualification record (``f``)."""

    f: pd.DataFrame
    settings: Settings
    as_of: pd.Timestamp
    results: dict[str, tuple[pd.Series, pd.Series | None]] = field(default_factory=dict)

    def result(self, flag: Flag) -> tuple[pd.Series, pd.Series | None]:
        """A flag's (where it holds, due date), worked out once per evaluation."""
        if flag.name not in self.results:
            mask, due = flag.condition(self)
            self.results[flag.name] = (mask.fillna(False).astype(bool), due)
        return self.results[flag.name]

    def col(self, name: str) -> pd.Series:
        return self.f[name]

    @cached_property
    def rank(self) -> pd.Series:
        return self.f["rank"].astype("Float64").fillna(-1).astype(int)

    @cached_property
    def moving(self) -> pd.Series:
        """Records moving along the lifecycle (not closed, on hold or unknown)."""
        return self.f["category"].isin([ACTIVE, REGISTRATION_NOT_REQUIRED])

    def days(self, n: int) -> pd.Timedelta:
        return pd.Timedelta(days=n)

    def overdue(self, due: pd.Series) -> pd.Series:
        return (due < self.as_of).fillna(False).astype(bool)

    def due_soon(self, due: pd.Series) -> pd.Series:
        soon = self.as_of + self.days(self.settings.due_soon_days)
        return ((due >= self.as_of) & (due <= soon)).fillna(False).astype(bool)


# -- conditions ---------------------------------------------------------------------------

def _no_due(x: FlagInputs, mask: pd.Series) -> tuple[pd.Series, None]:
    return mask.fillna(False).astype(bool), None


def registration_due_date(x: FlagInputs) -> pd.Series:
    plan = x.col("planned_end_date").fillna(x.col("planned_achieved_date"))
    months = x.settings.registration_lead_months
    return plan - pd.DateOffset(months=months) if months else plan


def _awaiting_registration(x: FlagInputs) -> pd.Series:
    return (x.f["category"] == ACTIVE) & (x.rank == 0) & x.col("registration_required")


def data_error(x: FlagInputs):
    return _no_due(x, x.col("error_message").notna())


def status_unknown(x: FlagInputs):
    return _no_due(x, x.f["category"] == UNKNOWN)


def not_in_export(x: FlagInputs):
    in_export = x.f["in_export"] if "in_export" in x.f else pd.Series(True, index=x.f.index)
    return _no_due(x, ~in_export.astype(bool))


def registration_overdue(x: FlagInputs):
    due = registration_due_date(x)
    return _awaiting_registration(x) & x.overdue(due), due


def registration_due(x: FlagInputs):
    due = registration_due_date(x)
    return _awaiting_registration(x) & ~x.overdue(due) & x.due_soon(due), due


def plan_missing(x: FlagInputs):
    return _no_due(x, _awaiting_registration(x) & registration_due_date(x).isna())


def resit_required(x: FlagInputs):
    return x.moving & (x.rank < 3) & x.col("resit_required"), x.col("resit_due")


def result_overdue(x: FlagInputs):
    return x.moving & x.col("result_overdue"), x.col("result_due")


def status_behind(x: FlagInputs):
    return x.moving & (x.rank < 3) & x.col("all_passed"), x.col("passed_date")


def gateway_blocked(x: FlagInputs):
    # at gateway or beyond, up to (not including) a complete record: history is not an action
    return _no_due(x, x.moving & (x.rank >= 2) & ~x.col("complete") & x.col("blocked_by").notna())


def achievement_overdue(x: FlagInputs):
    due = x.col("planned_achieved_date")
    return x.moving & x.rank.between(1, 2) & x.overdue(due), due


def _certificates(x: FlagInputs, rank: int) -> pd.Series:
    return (x.f["category"] == ACTIVE) & (x.rank == rank) & x.settings.certificate_tracking & ~x.col("complete")


def _stage(x: FlagInputs, rank: int, date: str, days: int, overdue: bool):
    due = x.col(date) + x.days(days)
    late = x.overdue(due)
    return _certificates(x, rank) & (late if overdue else ~late), due


def claim_overdue(x: FlagInputs):
    return _stage(x, 3, "achieved_at", x.settings.claim_within_days, overdue=True)


def claim_due(x: FlagInputs):
    return _stage(x, 3, "achieved_at", x.settings.claim_within_days, overdue=False)


def certificate_overdue(x: FlagInputs):
    return _stage(x, 4, "claimed_at", x.settings.certificate_wait_days, overdue=True)


def certificate_awaited(x: FlagInputs):
    return _stage(x, 4, "claimed_at", x.settings.certificate_wait_days, overdue=False)


def send_overdue(x: FlagInputs):
    return _stage(x, 5, "received_at", x.settings.send_within_days, overdue=True)


def send_due(x: FlagInputs):
    return _stage(x, 5, "received_at", x.settings.send_within_days, overdue=False)


def result_pending(x: FlagInputs):
    return x.moving & x.col("result_pending"), x.col("result_due")


LIFECYCLE_ACTIONS = ("REGISTRATION_OVERDUE", "REGISTRATION_DUE", "PLAN_MISSING", "RESIT_REQUIRED",
                     "RESULT_OVERDUE", "STATUS_BEHIND", "GATEWAY_BLOCKED", "ACHIEVEMENT_OVERDUE")


def on_track(x: FlagInputs):
    busy = pd.Series(False, index=x.f.index)
    for flag in FLAGS:
        if flag.name in LIFECYCLE_ACTIONS:
            busy |= x.result(flag)[0]
    next_due = registration_due_date(x).where(x.rank == 0, x.col("planned_achieved_date"))
    return x.moving & x.rank.between(0, 2) & ~busy, next_due


def complete(x: FlagInputs):
    return _no_due(x, x.moving & x.col("complete"))


def on_hold(x: FlagInputs):
    return _no_due(x, x.f["category"] == ON_HOLD)


def closed(x: FlagInputs):
    return _no_due(x, x.f["category"].isin([WITHDRAWN, VOID, NOT_ACHIEVED, EXEMPT]))


def external(x: FlagInputs):
    return _no_due(x, x.f["category"] == EXTERNAL)


FLAGS: tuple[Flag, ...] = (
    Flag("DATA_ERROR", "RED", "Fix: {error_message}", ADMIN, data_error,
         "The record has an error-level issue (other than STATUS_UNKNOWN)."),
    Flag("STATUS_UNKNOWN", "BLUE", "Correct the status '{status}' or map it in settings (status_aliases)", ADMIN, status_unknown,
         "The status is not recognised."),
    Flag("NOT_IN_EXPORT", "AMBER", "Check whether it was removed in the learner system: it is not in the latest export",
         ADMIN, not_in_export, "The record is in the workbook but not in the latest imported export (kept, not deleted)."),
    Flag("REGISTRATION_OVERDUE", "RED", "Register with {registrar}", ADMIN, registration_overdue,
         "Not Registered, and the registration date (planned end − registration_lead_months) has passed."),
    Flag("REGISTRATION_DUE", "AMBER", "Register with {registrar}", ADMIN, registration_due,
         "Not Registered, and registration is due within due_soon_days."),
    Flag("PLAN_MISSING", "BLUE", "Enter the planned end date so the registration deadline can be worked out",
         ADMIN, plan_missing,
         "Not Registered with neither a planned end date nor a planned achieved date: the deadline cannot be determined."),
    Flag("RESIT_REQUIRED", "RED", "Book a resit or retake: {resit_components} failed", TUTOR, resit_required,
         "The latest attempt of a component failed and nothing is booked after it."),
    Flag("RESULT_OVERDUE", "RED", "Chase the result: {result_components}", ADMIN, result_overdue,
         "The latest attempt was sat more than result_wait_days ago and has no result."),
    Flag("STATUS_BEHIND", "AMBER", "Set the status to Achieved and enter the Achieved Date", ADMIN, status_behind,
         "Assessments show a pass but the status is before Achieved."),
    Flag("GATEWAY_BLOCKED", "RED", "Achieve the prerequisite before gateway: {blocked_by}", TUTOR, gateway_blocked,
         "At gateway or beyond (and not yet complete) while a prerequisite qualification of the learner is not achieved or exempt."),
    Flag("ACHIEVEMENT_OVERDUE", "RED", "Review the plan or book the assessment", TUTOR, achievement_overdue,
         "Registered or at gateway, and the planned achieved date has passed."),
    Flag("CLAIM_OVERDUE", "RED", "Claim the certificate", ADMIN, claim_overdue,
         "Achieved, and claim_within_days since the achieved date have passed."),
    Flag("CLAIM_DUE", "AMBER", "Claim the certificate", ADMIN, claim_due,
         "Achieved, and the claim is due within claim_within_days of the achieved date."),
    Flag("CERTIFICATE_OVERDUE", "RED", "Chase the certificate", ADMIN, certificate_overdue,
         "Certificate Claimed, and certificate_wait_days since the claim have passed."),
    Flag("CERTIFICATE_AWAITED", "GREEN", "Chase the certificate if it has not arrived", ADMIN, certificate_awaited,
         "Certificate Claimed, still within certificate_wait_days."),
    Flag("SEND_OVERDUE", "RED", "Send the certificate to the learner / employer", ADMIN, send_overdue,
         "Certificate Received, and send_within_days since receipt have passed."),
    Flag("SEND_DUE", "AMBER", "Send the certificate to the learner / employer", ADMIN, send_due,
         "Certificate Received, still within send_within_days."),
    Flag("RESULT_PENDING", "GREEN", NO_ACTION, NOBODY, result_pending,
         "The latest attempt was sat and its result is still within result_wait_days."),
    Flag("ON_TRACK", "GREEN", NO_ACTION, NOBODY, on_track,
         "Not Registered, Registered or at gateway with nothing due or overdue."),
    Flag("COMPLETE", "GREEN", NO_ACTION, NOBODY, complete,
         "Certificate Sent (or Achieved when certificate tracking is off): a complete status."),
    Flag("ON_HOLD", "GREY", NO_ACTION, NOBODY, on_hold, "On hold (deferred, extended, break in learning): due dates paused."),
    Flag("CLOSED", "GREY", NO_ACTION, NOBODY, closed, "Withdrawn, void, not achieved or exempt."),
    Flag("EXTERNAL", "GREY", "Confirm with the other awarding body", ADMIN, external,
         "Taken elsewhere: closed here, excluded from rates."),
)
FLAG_ORDER = {f.name: i for i, f in enumerate(FLAGS)}


@dataclass
class FlagResult:
    """``records``: per qualification record its worst flag (same index as the records);
    ``hits``: every flag that applies, one row each (record index in ``record``)."""

    records: pd.DataFrame
    hits: pd.DataFrame


def evaluate(inputs: FlagInputs) -> FlagResult:
    """Run the flag table over every record."""
    frames = []
    for flag in FLAGS:
        mask, due = inputs.result(flag)
        if not mask.any():
            continue
        idx = mask[mask].index
        frames.append(pd.DataFrame({
            "record": idx,
            "flag": flag.name,
            "rag": flag.rag,
            "owner": flag.owner,
            "is_action": flag.is_action,
            "due_date": due[idx] if due is not None else pd.NaT,
            "order": FLAG_ORDER[flag.name],
            "rag_rank": RAG_ORDER[flag.rag],
        }))
    hits = (pd.concat(frames, ignore_index=True) if frames else _empty_hits())
    hits["due_date"] = pd.to_datetime(hits["due_date"])
    hits["days_overdue"] = (inputs.as_of - hits["due_date"]).dt.days.astype("Int64")
    hits["action"] = _action_text(hits, inputs)
    hits = hits.sort_values(["record", "rag_rank", "order"], kind="stable").reset_index(drop=True)
    worst = hits.drop_duplicates("record").set_index("record")
    every = join_groups(hits["flag"], hits["record"])
    records = pd.DataFrame(index=inputs.f.index)
    for column in ("flag", "rag", "action", "due_date", "days_overdue", "owner"):
        records[column] = worst[column].reindex(records.index)
    records["flags"] = every.reindex(records.index)
    records["rag"] = records["rag"].fillna("BLUE")
    return FlagResult(records, hits.drop(columns=["rag_rank"]))


def _empty_hits() -> pd.DataFrame:
    return pd.DataFrame({"record": pd.Series(dtype="int64"), "flag": pd.Series(dtype=object),
                         "rag": pd.Series(dtype=object), "owner": pd.Series(dtype=object),
                         "is_action": pd.Series(dtype=bool), "due_date": pd.Series(dtype="datetime64[ns]"),
                         "order": pd.Series(dtype="int64"), "rag_rank": pd.Series(dtype="int64")})


def _action_text(hits: pd.DataFrame, inputs: FlagInputs) -> pd.Series:
    """Plain words with the date: 'Register with the EPAO — due 15/04/2026, 76 days overdue'."""
    text = pd.Series(NO_ACTION, index=hits.index, dtype=object)
    for flag in FLAGS:
        rows = hits.index[hits["flag"] == flag.name]
        if len(rows) == 0:
            continue
        records = hits.loc[rows, "record"].to_numpy()
        names = [name for _, name, _, _ in string.Formatter().parse(flag.action) if name]
        fields = {name: pd.Series(inputs.f[name].reindex(records).astype("string").fillna("").to_numpy(), index=rows)
                  for name in names}
        base = fill(flag.action, **fields) if names else pd.Series(flag.action, index=rows, dtype=object)
        if flag.is_action:
            base = base + _when(hits.loc[rows, "due_date"], hits.loc[rows, "days_overdue"])
        text[rows] = base
    return text


def _when(due: pd.Series, days: pd.Series) -> pd.Series:
    """' — due 15/04/2026, 76 days overdue' / ', in 3 days' / ', today'; '' without a date."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = days.astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(n)
    count = pc.cast(pa.array(np.abs(np.where(known, n, 0)).astype("int64")), pa.string())
    unit = pa.array(np.where(np.abs(n) == 1, " day", " days"))
    phrase = pc.if_else(pa.array(n > 0), pc.binary_join_element_wise(count, unit, " overdue", ""),
                        pc.binary_join_element_wise("in ", count, unit, ""))
    phrase = pc.if_else(pa.array(n == 0), "today", phrase)
    dates = pa.array(due.dt.strftime("%d/%m/%Y").to_numpy(dtype=object, na_value=None), pa.string())
    text = pc.binary_join_element_wise(" — due ", dates, ", ", phrase, "")  # null where no date
    out = pc.if_else(pa.array(known), pc.fill_null(text, ""), "")
    return pd.Series(out.to_numpy(zero_copy_only=False), index=due.index, dtype=object)
