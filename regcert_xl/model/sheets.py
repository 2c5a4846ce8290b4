"""The workbook's sheets by the name regcert-xl gives them, and the Excel Tables each holds.

An admin may rename a sheet; its tables keep their names, so the sheet is found by them (and
refreshed under the admin's name)."""

from __future__ import annotations

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
