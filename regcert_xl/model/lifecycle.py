"""The status lifecycle as tables the code reads (PRODUCT.md §3).

A new status, alias, required field or date-order rule is a row here, not a branch
elsewhere. :func:`resolve_statuses` maps any column of status labels to canonical
status, category and rank in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from regcert_xl.model.fields import key
from regcert_xl.model.identity import norm_key
from regcert_xl.model.settings import Settings

# Categories. "active" statuses move along the lifecycle; the rest come from the system
# of record (registration_not_required, exempt) or local conventions (settings).
ACTIVE = "active"
REGISTRATION_NOT_REQUIRED = "registration_not_required"
EXEMPT = "exempt"
ON_HOLD = "on_hold"
WITHDRAWN = "withdrawn"
VOID = "void"
NOT_ACHIEVED = "not_achieved"
EXTERNAL = "external"
UNKNOWN = "unknown"

CLOSED_CATEGORIES = frozenset({EXEMPT, WITHDRAWN, VOID, NOT_ACHIEVED, EXTERNAL})
# closed and counted as not achieved in rates
NOT_ACHIEVED_CATEGORIES = frozenset({WITHDRAWN, VOID, NOT_ACHIEVED})


@dataclass(frozen=True)
class Status:
    name: str
    rank: int | None
    category: str
    aliases: tuple[str, ...] = ()


STATUSES: tuple[Status, ...] = (
    Status("Not Registered", 0, ACTIVE, ("Not registered", "Unregistered", "To Register")),
    Status("Registered", 1, ACTIVE, ("Registered with EPAO", "Registered with Awarding Body")),
    Status("Gateway Reached", 2, ACTIVE, ("Ready", "Ready / Gateway Reached", "Gateway",
                                          "Ready for Gateway", "Gateway Passed")),
    Status("Achieved", 3, ACTIVE, ("Passed",)),
    Status("Certificate Claimed", 4, ACTIVE, ("Claimed", "Cert Claimed")),
    Status("Certificate Received", 5, ACTIVE, ("Received", "Cert Received")),
    Status("Certificate Sent", 6, ACTIVE, ("Sent", "Cert Sent", "Certificate Issued")),
    # An internal stage: the lifecycle without the registration step, so it stands where
    # Registered stands (rank 1) but needs no registration date or number.
    Status("Registration Not Required", 1, REGISTRATION_NOT_REQUIRED, ("Not Required",)),
    Status("Exempt", None, EXEMPT, ("Exemption",)),
)
STATUS_BY_NAME = {s.name: s for s in STATUSES}


@dataclass(frozen=True)
class PortalLabel:
    """A status word of an EPAO's portal and where it stands here: a lifecycle status (by
    name) or a local category."""

    system: str
    label: str
    maps_to: str
    reason: str


# The words EPAO portals show, recognised by default (settings override them: status_aliases,
# status_labels). A learner on an EPAO's portal is registered with that EPAO.
PORTAL_LABELS: tuple[PortalLabel, ...] = (
    PortalLabel("epaPRO", "On-programme", "Registered", "on the EPAO's portal, so registered; not yet at gateway"),
    PortalLabel("epaPRO", "Suspended", ON_HOLD, "EPA paused (break in learning): due dates paused"),
    PortalLabel("epaPRO", "Cancelled", WITHDRAWN, "the EPA will not take place: closed, not achieved"),
    PortalLabel("epaPRO", "Withdrawn", WITHDRAWN, "the learner left: closed, not achieved"),
    PortalLabel("epaPRO", "Completed", "Achieved", "EPA passed; the certificate is still to be claimed"),
    PortalLabel("epaPRO", "Certified", "Certificate Claimed",
                "the EPAO has requested the certificate; its arrival is still to be chased"),
    PortalLabel("epaPRO", "Back Into Learning", "Registered", "sent back from EPA to learning; still registered"),
    PortalLabel("epaPRO", "Retake Review", "Gateway Reached", "in EPA, a retake being decided"),
    PortalLabel("epaPRO", "Pending Results", "Gateway Reached", "in EPA, assessed and awaiting results"),
    PortalLabel("ACE360", "Entered", "Registered", "entered for EPA with the EPAO, i.e. registered"),
    PortalLabel("ACE360", "Pending Certification", "Achieved", "EPA passed; the certificate is still to be claimed"),
    PortalLabel("ACE360", "Certificate Authorised", "Certificate Claimed",
                "the claim is accepted; the certificate is still to arrive"),
    PortalLabel("ACE360", "Certificate Rejected", "Achieved", "the claim was refused: claim again"),
    PortalLabel("ACE360", "Certificate Printed", "Certificate Received",
                "printed and posted out: to be sent on to the learner / employer"),
    PortalLabel("ACE360", "Gateway Rejected", "Registered", "gateway evidence refused: back to preparing for gateway"),
)
MAX_RANK = max(s.rank for s in STATUSES if s.rank is not None)
RANK_NAMES = {s.rank: s.name for s in STATUSES if s.category == ACTIVE}


@dataclass(frozen=True)
class RequiredField:
    from_rank: int
    field: str
    severity: str  # "error" | "warning"
    needs_registration: bool = False  # skipped for internal stages
    needs_certificates: bool = False  # skipped when certificate tracking is off


REQUIRED_FIELDS: tuple[RequiredField, ...] = (
    RequiredField(1, "registration_date", "error", needs_registration=True),
    RequiredField(1, "registration_number", "warning", needs_registration=True),
    RequiredField(3, "achieved_date", "error"),
    RequiredField(4, "certificate_claimed_date", "warning", needs_certificates=True),
    RequiredField(5, "certificate_received_date", "warning", needs_certificates=True),
    RequiredField(6, "certificate_sent_date", "warning", needs_certificates=True),
)

# (earlier, later): the later date may not be before the earlier one.
DATE_ORDER: tuple[tuple[str, str], ...] = (
    ("start_date", "planned_end_date"),
    ("start_date", "gateway_date"),
    ("registration_date", "gateway_date"),
    ("gateway_date", "achieved_date"),
    ("start_date", "achieved_date"),
    ("registration_date", "achieved_date"),
    ("achieved_date", "certificate_claimed_date"),
    ("certificate_claimed_date", "certificate_received_date"),
    ("certificate_received_date", "certificate_sent_date"),
)

# Dates that cannot be after the as-of date.
NOT_IN_FUTURE: tuple[str, ...] = (
    "gateway_date", "achieved_date", "certificate_claimed_date", "certificate_received_date", "certificate_sent_date",
)

# The date on which each rank was reached, where the record holds it.
RANK_DATE: dict[int, str] = {
    1: "registration_date",
    2: "gateway_date",
    3: "achieved_date",
    4: "certificate_claimed_date",
    5: "certificate_received_date",
    6: "certificate_sent_date",
}


def status_table(settings: Settings) -> pd.DataFrame:
    """Every label the settings accept: key -> status (display name), category, rank.

    Built-in statuses and their aliases first, then the EPAO portals' words, then settings
    (which override both)."""
    rows: list[tuple[str, str, str, float]] = []
    for s in STATUSES:
        for label in (s.name, *s.aliases):
            rows.append((key(label), s.name, s.category, np.nan if s.rank is None else s.rank))
    for p in PORTAL_LABELS:
        known = STATUS_BY_NAME.get(p.maps_to)
        rows.append((key(p.label), p.label, p.maps_to, np.nan) if known is None else
                    (key(p.label), known.name, known.category, np.nan if known.rank is None else known.rank))
    for label, target in settings.status_aliases.items():
        s = STATUS_BY_NAME[target]
        rows.append((key(label), s.name, s.category, np.nan if s.rank is None else s.rank))
    for category, labels in settings.status_labels.items():
        for label in labels:
            rows.append((key(label), label, category, np.nan))
    table = pd.DataFrame(rows, columns=["key", "status", "category", "rank"])
    # settings override built-ins: the last word for a key wins
    return table.drop_duplicates("key", keep="last").set_index("key")


def normalise_keys(values: pd.Series) -> pd.Series:
    """Vectorised :func:`regcert_xl.model.fields.key` over a column (blank -> NA)."""
    return norm_key(values)


def resolve_statuses(values: pd.Series, settings: Settings) -> pd.DataFrame:
    """Canonical status, category and rank for a column of status labels.

    Blank labels get category ``""`` (the REQUIRED_VALUE rule reports them); labels that
    are not recognised get category ``unknown``.
    """
    table = status_table(settings)
    # worked out once per distinct label (a handful), then spread to every record by its code;
    # the extra last entry stands for blank cells (code -1)
    codes, labels = pd.factorize(values.astype("string"))
    keys = normalise_keys(pd.Series(labels, dtype="string"))
    matched = table.reindex(keys.fillna("").to_numpy())
    blank = (keys.isna() | (keys == "")).to_numpy()
    category = matched["category"].to_numpy(dtype=object)
    category = np.append(np.where(blank, "", np.where(pd.isna(category), UNKNOWN, category)), "")
    status = np.append(matched["status"].to_numpy(dtype=object), np.array([None], dtype=object))
    rank = np.append(matched["rank"].to_numpy(dtype="float64", na_value=np.nan), np.nan)
    at = np.where(codes < 0, len(labels), codes)

    def spread(distinct: np.ndarray) -> pd.Series:
        text = pa.array(distinct, type=pa.large_string(), from_pandas=True).take(pa.array(at))
        return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index)

    return pd.DataFrame({"status_name": spread(status), "category": spread(category),
                         "rank": pd.Series(rank[at], index=values.index, dtype="Float64").astype("Int64")})


def registration_required(qualification: pd.Series, category: pd.Series,
                          settings: Settings) -> pd.Series:
    """False for internal stages (status Registration Not Required or a title in settings)."""
    from regcert_xl.model.frames import contains_any

    internal = contains_any(qualification, [key(p) for p in settings.registration_not_required if key(p)])
    return ~(internal | (category == REGISTRATION_NOT_REQUIRED))


def judge_transitions(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Status moves between a previous and a current set of records (§3), a pure function.

    Both frames are indexed by record identity and hold ``status_name`` and ``rank`` (as from
    :func:`resolve_statuses`); ``current`` may hold ``notes``. Returns, for the current records
    whose rank changed, ``from_status``, ``to_status``, ``from_rank``, ``to_rank`` and ``move``:
    ``backward`` (a warning unless the notes say why) or ``skip`` (forward more than one rank).
    """
    common = current.index.intersection(previous.index[~previous.index.duplicated()])
    cur = current.loc[current.index.isin(common)]
    prev = previous[~previous.index.duplicated()].reindex(cur.index)
    from_rank = prev["rank"].astype("Float64")
    to_rank = cur["rank"].astype("Float64")
    step = to_rank - from_rank
    notes = cur["notes"] if "notes" in cur else pd.Series(pd.NA, index=cur.index)
    explained = (notes.astype("string").str.strip().fillna("") != "").astype(bool)
    backward = (step < 0).fillna(False) & ~explained
    skip = (step > 1).fillna(False)
    moves = pd.DataFrame({
        "from_status": prev["status_name"], "to_status": cur["status_name"],
        "from_rank": from_rank, "to_rank": to_rank,
        "move": np.select([backward.to_numpy(), skip.to_numpy()], ["backward", "skip"], default=""),
    }, index=cur.index)
    return moves[moves["move"] != ""]
