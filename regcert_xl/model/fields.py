"""Canonical record fields and the header spellings that map to them (PRODUCT.md §2).

The tables here are read by the readers (header matching), the rules (what is required,
what kind each value is) and the workbook (labels). A new field is a row, not a branch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    ULN = "uln"
    DATE = "date"
    INT = "int"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    description: str = ""
    editable: bool = False  # an admin edits it in the sheet and it goes back in the upload file


def key(text: object) -> str:
    """Matching key: case, spaces, punctuation and dashes ignored."""
    return re.sub(r"[\W_]+", "", str(text).casefold())


def F(name: str, label: str, kind: Kind = Kind.TEXT, *aliases: str, description: str = "",
      editable: bool = False) -> Field:
    return Field(name, label, kind, (label, *aliases), description, editable)


LEARNER_FIELDS: tuple[Field, ...] = (
    F("learner_ref", "Learner Reference", Kind.TEXT, "Learner Ref", "Reference number",
      "Reference", "Learner ID", "LearnerId", "Learner Reference Number",
      description="The learner's reference in the learner system."),
    F("uln", "ULN", Kind.ULN, "Unique Learner Number", "Learner ULN",
      description="Unique Learner Number: 10 digits with a DfE check digit."),
)

QUALIFICATION_NUMBER = F("qualification_number", "Qualification Number", Kind.TEXT, "LARS", "LARS Code", "QAN",
                         "Learning Aim Reference", "Learning Aim Ref", "Qualification Code", "Aim Reference")
# The learner system's own key of a qualification record (Aptem OData: AwardingBodyQualifications'
# Id, which the assessment history rows give as AwardingBodyQualificationId).
QUALIFICATION_ID = F("qualification_id", "Qualification Record ID", Kind.TEXT, "AwardingBodyQualificationId",
                     description="The learner system's key of the qualification record (links assessments).")

QUALIFICATION_FIELDS: tuple[Field, ...] = (
    *LEARNER_FIELDS,
    F("first_name", "First Name", Kind.TEXT, "Forename", "Given Name", "Learner First Name"),
    F("last_name", "Last Name", Kind.TEXT, "Surname", "Family Name", "Learner Last Name"),
    F("learner_name", "Learner Name", Kind.TEXT, "Learner", "Name", "Full Name"),
    F("programme", "Programme", Kind.TEXT, "Programme Name", "Standard", "Standard Name",
      "Apprenticeship Standard", "Program", "Program Name"),
    F("sub_programme", "Sub-programme", Kind.TEXT, "Sub Programme Name", "Subprogramme"),
    F("employer", "Employer", Kind.TEXT, "Employer Name", "Employer Legal Name"),
    F("cohort", "Cohort", Kind.TEXT, "Group", "Group Name", "Cohort Name", "Intake"),
    F("tutor", "Tutor", Kind.TEXT, "Coach", "Case Owner", "Trainer", "Skills Coach"),
    F("qualification", "Qualification", Kind.TEXT, "Qualification Title", "Qualification Name",
      "Qualification Description"),
    QUALIFICATION_NUMBER,
    QUALIFICATION_ID,
    F("awarding_body", "Awarding Body", Kind.TEXT, "Awarding Organisation", "EPAO",
      "Awarding Body Name", "EPAO Name", "End Point Assessment Organisation"),
    F("epao_id", "EPAO ID", Kind.TEXT, "EPAOrgID", "EPAO Org ID", "EPA Org ID"),
    F("status", "Status", Kind.TEXT, "Qualification Status", "Reg Cert Status",
      "Registration Status", editable=True),
    F("start_date", "Start Date", Kind.DATE, "Learning Start Date", "Programme Start Date"),
    F("planned_end_date", "Planned End Date", Kind.DATE, "Learning Planned End Date",
      "Expected End Date", "Planned End"),
    F("registration_date", "Registration Date", Kind.DATE, "Date Registered", editable=True),
    F("registration_number", "Registration Number", Kind.TEXT, "Candidate Number",
      "Registration No", "Registration Ref", editable=True),
    F("planned_achieved_date", "Planned Achieved Date", Kind.DATE, "Planned Achievement Date",
      "Target Achievement Date"),
    F("gateway_date", "Gateway Date", Kind.DATE, "Gateway Reached Date", "Date of Gateway", "EPA Gateway Date",
      description="The date the learner passed gateway (the date Gateway Reached was reached)."),
    F("achieved_date", "Achieved Date", Kind.DATE, "Achievement Date", "Date Achieved",
      editable=True),
    F("overall_grade", "Overall Grade", Kind.TEXT, "Final Grade", "EPA Grade", "OverallGrade",
      description="The overall outcome recorded (e.g. Distinction): replaces the provisional grade."),
    F("certificate_claimed_date", "Certificate Claimed Date", Kind.DATE, "Certificate Claimed",
      "Cert Claimed Date", "Certificate Claim Date", "Date Certificate Claimed", editable=True),
    F("certificate_received_date", "Certificate Received Date", Kind.DATE,
      "Certificate Received", "Cert Received Date", "Date Certificate Received", editable=True),
    F("certificate_sent_date", "Certificate Sent Date", Kind.DATE, "Certificate Sent",
      "Cert Sent Date", "Date Certificate Sent", "Certificate Issued Date", editable=True),
    F("postal_tracking_ref", "Postal Tracking Ref", Kind.TEXT, "Postal Tracking Reference",
      "Tracking Ref", "Tracking Number", editable=True),
    F("notes", "Notes", Kind.TEXT, "Comments", "Note"),
)

ASSESSMENT_FIELDS: tuple[Field, ...] = (
    *LEARNER_FIELDS,
    F("first_name", "First Name", Kind.TEXT, "Forename", "Learner First Name", "Given Name"),
    F("last_name", "Last Name", Kind.TEXT, "Surname", "Learner Last Name", "Family Name"),
    F("learner_name", "Learner Name", Kind.TEXT, "Learner", "Name"),
    F("qualification", "Qualification", Kind.TEXT, "Qualification Title", "Qualification Name"),
    QUALIFICATION_NUMBER,
    QUALIFICATION_ID,
    F("assessment", "Assessment", Kind.TEXT, "Assessment Name", "Component", "Component Name",
      "Assessment Title", "Event"),
    F("assessment_type", "Type", Kind.TEXT, "Assessment Type", "Event Type"),
    F("attempt", "Attempt", Kind.INT, "Attempt Number", "Attempt No"),
    F("assessment_date", "Assessment Date", Kind.DATE, "Date", "Date Sat", "Event Date"),
    F("status", "Status", Kind.TEXT, "Assessment Status"),
    F("result", "Result", Kind.TEXT, "Outcome", "Assessment Result"),
    F("grade", "Grade", Kind.TEXT, "Assessment Grade"),
    F("notes", "Notes", Kind.TEXT, "Comments", "Note"),
)

FIELDS_BY_RECORD: dict[str, tuple[Field, ...]] = {
    "qualifications": QUALIFICATION_FIELDS,
    "assessments": ASSESSMENT_FIELDS,
}

# The values a record cannot do without (REQUIRED_VALUE): each entry is satisfied by any one of its
# fields (a learner is their ULN or reference; a qualification its title or number).
REQUIRED_VALUES: dict[str, tuple[tuple[str, ...], ...]] = {
    "qualifications": (("qualification", "qualification_number"), ("status",)),
    "assessments": (("qualification", "qualification_number", "qualification_id"),),
}
# Columns whose absence is reported (MISSING_COLUMN), in the same form.
REQUIRED_COLUMNS = REQUIRED_VALUES
IDENTITY_FIELDS = ("uln", "learner_ref")


def field_map(record: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS_BY_RECORD[record]}


def alias_index(record: str, *extra_aliases: Mapping[str, Sequence[str]] | None) -> dict[str, str]:
    """Header key -> canonical field name: built-in aliases, then each set of additions in turn
    (a source profile's, then settings'), a later spelling overriding an earlier one."""
    index: dict[str, str] = {}
    for f in FIELDS_BY_RECORD[record]:
        index.setdefault(key(f.name), f.name)
        for alias in f.aliases:
            index.setdefault(key(alias), f.name)
    for extra in extra_aliases:
        for name, aliases in (extra or {}).items():
            for alias in aliases:
                index[key(alias)] = name
    return index
