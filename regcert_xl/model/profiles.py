"""Source profiles: what each system's export looks like, as data (docs/sources.md).

A profile names a source, the kind of records it holds, the headers that identify it
(``signature``: all present, none of ``excludes``), header spellings only that source uses
(``aliases``), code → word tables for its values (``values``) and fields it works out from
several of its columns (``derived``: rows of codes, first match wins). A new source is a row
in :data:`PROFILES`, not a branch. The generic profile matches anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regcert_xl.model.errors import MissingInput
from regcert_xl.model.fields import key

ANY = "*"  # a derived-table cell that matches any value, blank included
FILLED = "?"  # a derived-table cell that matches any non-blank value
GENERIC = "Generic / regcert-xl"


@dataclass(frozen=True)
class Derived:
    """``field`` worked out from the ``sources`` headers: the first row of ``table`` whose codes
    match gives the word (codes compared trimmed and case-insensitively; "" is blank); with no
    match, ``fallback`` with ``{header}`` placeholders filled from the row (None: blank)."""

    field: str
    sources: tuple[str, ...]
    table: tuple[tuple[tuple[str, ...], str], ...]
    fallback: str | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    record: str | None  # "qualifications", "assessments", or None (either)
    signature: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    odata_table: str | None = None  # an OData page naming this table is this source
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    derived: tuple[Derived, ...] = ()

    def matches(self, keys: set[str], odata_table: str | None = None) -> int:
        """How strongly the headers (their matching ``keys``) say "this source": 0 no, else the
        signature's size (+100 when the OData page names the profile's table)."""
        if self.odata_table and odata_table == self.odata_table:
            return 100 + len(self.signature)
        if not self.signature or any(key(h) not in keys for h in self.signature):
            return 0
        if any(key(h) in keys for h in self.excludes):
            return 0
        return len(self.signature)


ILR_GRADES = {"PA": "Pass", "ME": "Merit", "DS": "Distinction", "CR": "Credit", "FL": "Fail"}
BLANK = ""  # a derived-table cell that matches a blank value

PROFILES: tuple[Profile, ...] = (
    Profile(
        "Aptem Import and Update CSV", "qualifications",
        signature=("Qualification Number", "ULN", "Status", "Registration Number", "Certificate Claimed Date",
                   "Certificate Received Date", "Certificate Sent Date", "Postal Tracking Ref"),
        excludes=("Qualification", "Qualification Title", "Qualification Name"),
    ),
    Profile(
        "Aptem assessments CSV", "assessments",
        signature=("Learner First Name", "Learner Last Name", "ULN", "Qualification Number", "Assessment Date"),
    ),
    Profile(
        "Aptem OData", "qualifications", odata_table="AwardingBodyQualifications",
        aliases={"qualification_id": ("Id",)},
    ),
    Profile(
        "Aptem OData", "assessments", signature=("AwardingBodyQualificationId",),
        odata_table="AwardingBodyQualificationsAssessmentHistory",
    ),
    Profile(
        "ILR learning deliveries", "qualifications",
        signature=("LearnRefNumber", "LearnAimRef"),
        aliases={"learner_ref": ("LearnRefNumber",), "first_name": ("GivenNames",), "last_name": ("FamilyName",),
                 "qualification_number": ("LearnAimRef",), "programme": ("StdCode",),
                 "start_date": ("LearnStartDate",), "planned_end_date": ("LearnPlanEndDate",),
                 "achieved_date": ("AchDate",), "overall_grade": ("OutGrade",), "epao_id": ("EPAOrgID",)},
        values={"overall_grade": ILR_GRADES},
        derived=(Derived("status", ("CompStatus", "Outcome"), (
            (("3", ANY), "Withdrawn"),
            (("6", ANY), "Break in Learning"),
            (("2", "1"), "Achieved"),
            (("2", "2"), "Partially Achieved"),
            (("2", "3"), "Not Achieved"),
            (("2", "8"), "Gateway Reached"),
            (("2", BLANK), "Gateway Reached"),
            (("1", ANY), "Not Registered"),
        ), fallback="ILR CompStatus {CompStatus} Outcome {Outcome}"),),
    ),
    Profile(
        "DfE assessment service", "assessments",
        signature=("EpaOutcome", "StandardCode"),
        aliases={"first_name": ("GivenNames",), "last_name": ("FamilyName",),
                 "qualification_number": ("StandardReference",), "assessment_date": ("EpaDate",),
                 "result": ("EpaOutcome",), "grade": ("OverallGrade",)},
        values={"result": {"Withdrawn": ""}},
        derived=(
            Derived("assessment_type", ("Retake", "Resit"), (
                (("true", ANY), "Retake"), (("yes", ANY), "Retake"),
                ((ANY, "true"), "Resit"), ((ANY, "yes"), "Resit"),
                ((ANY, ANY), "Final"))),
            Derived("status", ("EpaOutcome",), (
                (("Withdrawn",), "Cancelled"), ((BLANK,), "Awaiting Result"), ((FILLED,), "Result Received"))),
        ),
    ),
    Profile(
        "Bud bulk certification", "qualifications",
        signature=("Learning Plan ID", "Aim ID"),
        aliases={"learner_ref": ("Learning Plan ID",), "qualification_number": ("Aim ID",),
                 "achieved_date": ("Exam Set Date",), "overall_grade": ("Grade",),
                 "certificate_received_date": ("Date Certificate Received",),
                 "certificate_sent_date": ("Date Learner Notified",), "postal_tracking_ref": ("Postal Tracking ID",)},
        derived=(Derived("status", ("Date Learner Notified", "Date Certificate Received", "Outcome"), (
            ((FILLED, ANY, ANY), "Certificate Sent"),
            ((BLANK, FILLED, ANY), "Certificate Received"),
            ((BLANK, BLANK, "Pass"), "Achieved"), ((BLANK, BLANK, "Achieved"), "Achieved"),
            ((BLANK, BLANK, "Merit"), "Achieved"), ((BLANK, BLANK, "Distinction"), "Achieved"),
            ((BLANK, BLANK, "Fail"), "Not Achieved"), ((BLANK, BLANK, "Not Achieved"), "Not Achieved"),
            ((BLANK, BLANK, BLANK), "Registered"),
        ), fallback="Bud outcome {Outcome}"),),
    ),
    Profile(GENERIC, None),
)


def profile_names() -> list[str]:
    return list(dict.fromkeys(p.name for p in PROFILES))


def named(name: str, record: str) -> Profile | None:
    """The profile called ``name`` for ``record`` (case and spacing ignored); None when that
    source has no profile for this kind of record. MissingInput for a name that is no source."""
    wanted = key(name)
    if not any(key(p.name) == wanted for p in PROFILES):
        raise MissingInput(f"unknown source '{name}': the sources are " + "; ".join(profile_names()))
    return next((p for p in PROFILES if key(p.name) == wanted and p.record in (record, None)), None)


def detect(headers: list[str], record: str, odata_table: str | None = None) -> Profile:
    """The profile the headers match best (the generic one when none does)."""
    keys = {key(h) for h in headers if h}
    scored = [(p.matches(keys, odata_table), -i, p) for i, p in enumerate(PROFILES) if p.record == record]
    best = max(scored, default=(0, 0, PROFILES[-1]))
    return best[2] if best[0] > 0 else PROFILES[-1]


def all_aliases(record: str) -> dict[str, tuple[str, ...]]:
    """Every profile's header spellings for ``record`` (for finding the header row)."""
    out: dict[str, tuple[str, ...]] = {}
    for p in PROFILES:
        if p.record == record:
            for name, spellings in p.aliases.items():
                out[name] = out.get(name, ()) + spellings
    return out


def translate(values: pd.Series, table: dict[str, str]) -> pd.Series:
    """Codes replaced by words (trimmed, case ignored); other values kept as they are."""
    text = values.astype("string").str.strip()
    words = text.str.casefold().map({k.casefold(): v for k, v in table.items()})
    return words.where(words.notna(), values.astype("string")).astype(object)


def derive(rule: Derived, columns: list[pd.Series]) -> pd.Series:
    """The derived field for every row at once (np.select over the table's rows)."""
    codes = [c.astype("string").str.strip().str.casefold().fillna("") for c in columns]
    conditions = []
    for cells, _word in rule.table:
        hit = np.ones(len(codes[0]), dtype=bool)
        for code, cell in zip(codes, cells, strict=True):
            if cell == FILLED:
                hit &= (code != "").to_numpy(dtype=bool)
            elif cell != ANY:
                hit &= (code == cell.casefold()).to_numpy(dtype=bool)
        conditions.append(hit)
    fallback = _fill(rule.fallback, rule.sources, columns) if rule.fallback else pd.Series(None, index=codes[0].index)
    row = np.select(conditions, np.arange(len(rule.table)), default=-1) if conditions else np.full(len(codes[0]), -1)
    candidates: list[str | None] = [word for _cells, word in rule.table] or [None]
    words = np.array(candidates, dtype=object)
    out = pd.Series(words[np.maximum(row, 0)], index=codes[0].index, dtype=object)
    return out.where(row >= 0, fallback.astype(object))


def _fill(template: str, sources: tuple[str, ...], columns: list[pd.Series]) -> pd.Series:
    text = pd.Series(template, index=columns[0].index, dtype="string")
    for name, column in zip(sources, columns, strict=True):
        shown = column.astype("string").str.strip()
        text = _replace(text, "{" + name + "}", shown.where(shown != "", "(blank)").fillna("(blank)"))
    return text


def _replace(text: pd.Series, placeholder: str, values: pd.Series) -> pd.Series:
    parts = text.str.split(placeholder, n=1, regex=False)
    head, tail = parts.str[0].astype("string"), parts.str[1].astype("string")
    return (head + values + tail.fillna("")).where(tail.notna(), text)
