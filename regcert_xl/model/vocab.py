"""The words assessment records use: types, statuses, results (§2), with their aliases.

Results come from settings (pass, fail and void lists); types and statuses are fixed here.
Each vocabulary maps a matching key to a canonical value, column-wise.
"""

from __future__ import annotations

import pandas as pd

from regcert_xl.model.fields import key
from regcert_xl.model.settings import Settings

ASSESSMENT_TYPES: dict[str, tuple[str, ...]] = {
    "mock": ("Mock", "Mock Assessment", "Practice", "Mock Exam"),
    "gateway": ("Gateway", "Gateway Check", "Gateway Sign-off", "Readiness Check", "Readiness"),
    "attempt": ("Attempt", "First Attempt", "Assessment", "Exam", "Test"),
    "resit": ("Resit", "Re-sit", "Resit Attempt"),
    "retake": ("Retake", "Re-take", "Retake Attempt"),
    "final": ("Final", "Final Result", "Overall Result", "Overall Outcome", "Result"),
}

ASSESSMENT_STATUSES: dict[str, tuple[str, ...]] = {
    "planned": ("Planned", "Not Booked", "To Book"),
    "booked": ("Booked", "Scheduled", "Confirmed Booking"),
    "sat": ("Sat", "Completed", "Taken", "Attended"),
    "awaiting result": ("Awaiting Result", "Awaiting Results", "Awaiting Grade",
                        "Awaiting Confirmation", "Pending Result"),
    "result received": ("Result Received", "Results Received", "Result Confirmed", "Confirmed"),
    "cancelled": ("Cancelled", "Canceled", "Withdrawn", "Not Sat"),
}

# Types that are not attempts at the component (they never need a resit).
NON_ATTEMPT_TYPES = frozenset({"mock", "gateway"})
RESIT_TYPES = frozenset({"resit", "retake"})


def vocabulary_index(vocabulary: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Matching key of every label -> its canonical value."""
    out: dict[str, str] = {}
    for canonical, aliases in vocabulary.items():
        for label in (canonical, *aliases):
            out[key(label)] = canonical
    return out


TYPE_INDEX = vocabulary_index(ASSESSMENT_TYPES)
STATUS_INDEX = vocabulary_index(ASSESSMENT_STATUSES)


def result_index(settings: Settings) -> dict[str, str]:
    """Matching key of every result label -> 'pass', 'fail' or 'void'."""
    return vocabulary_index({"fail": tuple(settings.fail_results), "void": tuple(settings.void_results),
                             "pass": tuple(settings.pass_results)})


def resolve(values: pd.Series, index: dict[str, str]) -> pd.Series:
    """Canonical value per cell; blank stays NA; unrecognised becomes '?'."""
    from regcert_xl.model.frames import on_distinct
    from regcert_xl.model.identity import norm_key

    def canonical(distinct: pd.Series) -> pd.Series:
        keys = norm_key(distinct)
        out = keys.map(index).astype(object)
        blank = keys.isna() | (keys == "")
        return out.where(~blank, pd.NA).where(blank | out.notna(), "?")

    return on_distinct(values.astype("string"), canonical).astype(object)


def choice_lists(settings: Settings) -> dict[str, list[str]]:
    """The values offered in drop-down lists, by list name."""
    from regcert_xl.model.lifecycle import STATUSES

    statuses = [s.name for s in STATUSES] + [label for labels in settings.status_labels.values() for label in labels]
    return {
        "Qualification Status": list(dict.fromkeys(statuses)),
        "Assessment Type": [t.title() for t in ASSESSMENT_TYPES],
        "Assessment Status": [s.title() for s in ASSESSMENT_STATUSES],
        "Result": list(dict.fromkeys([*settings.pass_results, *settings.fail_results, *settings.void_results])),
    }
