"""The workbook's sheets by the name regcert-xl gives them, and the Excel Tables each holds.

An admin may rename a sheet; its tables keep their names, so the sheet is found by them (and
refreshed under the admin's name)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

SHEET_TABLES: dict[str, tuple[str, ...]] = {
    "Start": ("tblStart", "tblGuide", "tblImport"),
    "Qualifications": ("tblQualifications",),
    "Assessments": ("tblAssessments",),
    "Issues": ("tblIssues",),
    "Overview": ("tblOverview",),
    "Actions": ("tblActions",),
    "Learner": ("tblLearnerDetails", "tblLearnerQualifications", "tblLearnerAssessments", "tblLearnerChecklist"),
    "Pipeline": ("tblPipelineProgramme", "tblPipelineActions", "tblPipelineGateway", "tblPipelineEmployer",
                 "tblPipelineCohort"),
    "Outcomes": ("tblOutcomesComponent", "tblOutcomesProgramme", "tblOutcomesEmployer", "tblOutcomesCohort",
                 "tblOutcomesMonth", "tblAchievement"),
    "Changes": ("tblChanges",),
    "Status History": ("tblHistory",),
    "Settings": ("tblSettings", "tblValidValues"),
}


def sheet_roles(table_homes: Mapping[str, str], sheet_names: Collection[str],
                roles: Mapping[str, Iterable[str]] = SHEET_TABLES) -> dict[str, str]:
    """For each sheet regcert-xl names (a key of ``roles``), the sheet that holds one of its
    tables now (``table_homes``: table -> sheet) — else the sheet of that name, unless that sheet
    holds another of regcert-xl's sheets' tables (an admin who renamed Learner "Actions" did not
    make it the Actions sheet); sheets found neither way are left out."""
    ours = {table for tables in (*SHEET_TABLES.values(), *roles.values()) for table in tables}
    taken = {table_homes[t] for t in ours if t in table_homes}
    out = {}
    for role, tables in roles.items():
        found = next((table_homes[t] for t in tables if t in table_homes), None)
        if found is None and role in sheet_names and role not in taken:
            found = role
        if found is not None:
            out[role] = found
    return out
