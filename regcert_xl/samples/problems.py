"""Deliberate data problems in the sample exports, one of each kind the validator reports.

Real exports are never clean: a mistyped ULN, a date typed in US order, a status nobody
mapped, a row pasted twice. The demo carries one of each so every validation code, flag and
the formula-safe writer have something to show. Positions are drawn from the seed (each
problem on a different learner), and every injection is recorded as an
:class:`InjectedProblem` naming the sheet, the row as the user sees it (header = row 1), the
column, the value written and the issue code the validator should raise there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from regcert_xl.samples.catalogue import (
    EPA_PREFIX,
    FUNCTIONAL_SKILLS,
    OVERALL_COMPONENT,
    PROGRAMMES,
)
from regcert_xl.samples.random_tools import days_between, format_days, stream

Columns = dict[str, np.ndarray]
QUALIFICATIONS = "qualifications"
ASSESSMENTS = "assessments"
FORMULA_TEXT = '=HYPERLINK("http://example.com","x")'
TEMPORARY_ULN = "9999999999"
EPA_TITLES = tuple(sorted({EPA_PREFIX + OVERALL_COMPONENT}
                          | {EPA_PREFIX + c.name for p in PROGRAMMES for c in p.components}))
COMPLETED_STATUSES = ("Achieved", "Certificate Claimed", "Certificate Received", "Certificate Sent")


@dataclass(frozen=True)
class InjectedProblem:
    """One deliberate problem: where it is and what the validator should say about it."""

    name: str
    sheet: str  # "qualifications" or "assessments"
    row: int  # row number in the file or sheet, header row = 1
    column: str  # header of the damaged cell ('' for a whole row)
    value: str  # the value written there
    code: str  # the validation issue code expected at that row ('' if none)
    learner_ref: str


@dataclass
class _Pending:
    name: str
    sheet: str
    label: int  # index into the sheet's rows, before inserted rows are placed
    column: str
    value: str
    code: str
    learner_ref: str


@dataclass
class _Sheet:
    columns: Columns
    learner: np.ndarray  # learner index of each row
    inserted: list[tuple[float, dict[str, str], int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.learner)

    def text(self, column: str) -> np.ndarray:
        return self.columns[column]

    @cached_property
    def epa(self) -> np.ndarray:
        """Rows of EPA qualifications (components and overall outcome)."""
        titles = self.text("Qualification")
        mask = np.zeros(len(titles), dtype=bool)
        for title in EPA_TITLES:
            mask |= titles == title
        return mask


@dataclass
class Injector:
    """Applies the problems to the two exports (object arrays) and records them."""

    qualifications: _Sheet
    assessments: _Sheet
    rng: np.random.Generator
    as_of: dt.date
    used: np.ndarray  # learners already carrying a problem
    pending: list[_Pending] = field(default_factory=list)

    def sheet(self, name: str) -> _Sheet:
        return self.qualifications if name == QUALIFICATIONS else self.assessments

    def pick(self, sheet_name: str, eligible: np.ndarray) -> int | None:
        """A random eligible row of a learner without a problem yet (None if there is none)."""
        sheet = self.sheet(sheet_name)
        candidates = np.flatnonzero(eligible & ~self.used[sheet.learner])
        if not len(candidates):
            return None
        row = int(candidates[self.rng.integers(len(candidates))])
        self.used[sheet.learner[row]] = True
        return row

    def record(self, name: str, sheet_name: str, label: int, column: str, value: str, code: str) -> None:
        sheet = self.sheet(sheet_name)
        ref_label = label if label < len(sheet) else sheet.inserted[label - len(sheet)][2]
        ref = str(sheet.columns["Learner Reference"][ref_label])
        self.pending.append(_Pending(name, sheet_name, label, column, value, code, ref))

    def set_cell(self, name: str, sheet_name: str, row: int, column: str, value: str, code: str) -> None:
        self.sheet(sheet_name).columns[column][row] = value
        self.record(name, sheet_name, row, column, value, code)

    def insert_after(self, sheet_name: str, row: int, values: dict[str, str]) -> int:
        """Queue a new row right after ``row``; returns its label."""
        sheet = self.sheet(sheet_name)
        sheet.inserted.append((row + 0.5 + 0.01 * len(sheet.inserted), values, row))
        return len(sheet) + len(sheet.inserted) - 1

    def row_values(self, sheet_name: str, row: int) -> dict[str, str]:
        return {k: v[row] for k, v in self.sheet(sheet_name).columns.items()}


# -- the problems -----------------------------------------------------------------------------

def _first_rows(sheet: _Sheet) -> np.ndarray:
    first = np.ones(len(sheet), dtype=bool)
    first[1:] = sheet.learner[1:] != sheet.learner[:-1]
    return first


def _epa(sheet: _Sheet) -> np.ndarray:
    return sheet.epa


def _status(sheet: _Sheet, *labels: str) -> np.ndarray:
    status = sheet.text("Status")
    mask = np.zeros(len(status), dtype=bool)
    for label in labels:
        mask |= status == label
    return mask


def _filled(sheet: _Sheet, column: str) -> np.ndarray:
    return sheet.text(column) != ""


def _whole_learner_uln(inj: Injector, name: str, code: str, new_uln: Callable[[str], str]) -> None:
    q, a = inj.qualifications, inj.assessments
    row = inj.pick(QUALIFICATIONS, _first_rows(q))
    if row is None:
        return
    learner = q.learner[row]
    value = new_uln(str(q.columns["ULN"][row]))
    q.columns["ULN"][q.learner == learner] = value
    a.columns["ULN"][a.learner == learner] = value
    inj.record(name, QUALIFICATIONS, row, "ULN", value, code)


def _wrong_check_digit(uln: str) -> str:
    return uln[:9] + str((int(uln[9]) + 1) % 10)


def _cell(inj: Injector, name: str, eligible: np.ndarray, column: str, code: str,
          value: Callable[[str], str]) -> None:
    row = inj.pick(QUALIFICATIONS, eligible)
    if row is not None:
        inj.set_cell(name, QUALIFICATIONS, row, column, value(str(inj.qualifications.columns[column][row])), code)


def _uln_problems(inj: Injector) -> None:
    q = inj.qualifications
    _whole_learner_uln(inj, "uln_check_digit", "ULN_INVALID", _wrong_check_digit)
    _whole_learner_uln(inj, "uln_temporary", "ULN_TEMPORARY", lambda _: TEMPORARY_ULN)
    anywhere = np.ones(len(q), dtype=bool)
    _cell(inj, "uln_float", anywhere, "ULN", "ULN_REPAIRED", lambda u: f"{u}.0")
    _cell(inj, "uln_scientific", anywhere, "ULN", "ULN_REPAIRED", lambda u: f"{u[0]}.{u[1:]}E9")


def _us_order(text: str) -> str:
    day, month, year = text.split("/")
    return f"{month}/{day}/{year}"


def _shifted(inj: Injector, text: str, lo: int, hi: int) -> str:
    """A dd/mm/yyyy date moved by lo..hi days."""
    day, month, year = (int(p) for p in text.split("/"))
    offset = (dt.date(year, month, day) - inj.as_of).days + days_between(inj.rng, lo, hi, 1)
    return str(format_days(offset, inj.as_of)[0])


def _date_problems(inj: Injector) -> None:
    q = inj.qualifications
    registered_epa = _epa(q) & _status(q, "Registered") & _filled(q, "Registration Date")
    _cell(inj, "date_impossible", registered_epa, "Registration Date", "DATE_INVALID",
          lambda _: f"31/02/{inj.as_of.year}")
    _cell(inj, "date_us_order", _day_after_twelfth(q.text("Planned End Date")), "Planned End Date",
          "DATE_INVALID", _us_order)
    completed_epa = _epa(q) & _status(q, *COMPLETED_STATUSES) & _filled(q, "Registration Date")
    row = inj.pick(QUALIFICATIONS, completed_epa)
    if row is not None:
        before = _shifted(inj, str(q.columns["Registration Date"][row]), -20, -3)
        inj.set_cell("achieved_before_registration", QUALIFICATIONS, row, "Achieved Date", before, "DATE_ORDER")
    achieved = _epa(q) & _status(q, "Achieved") & _filled(q, "Achieved Date")
    row = inj.pick(QUALIFICATIONS, achieved)
    if row is not None:
        future = str(format_days(days_between(inj.rng, 5, 40, 1), inj.as_of)[0])
        inj.set_cell("achieved_in_future", QUALIFICATIONS, row, "Achieved Date", future, "DATE_IN_FUTURE")


def _day_after_twelfth(text: np.ndarray) -> np.ndarray:
    """Rows whose dd/mm/yyyy date has a day above 12 (so US order cannot be read as UK)."""
    return pd.Series(text, dtype=object).str.match(r"(1[3-9]|2\d|3[01])/").fillna(False).to_numpy(dtype=bool)


def _status_problems(inj: Injector) -> None:
    q = inj.qualifications
    registered_epa = _epa(q) & _status(q, "Registered") & _filled(q, "Registration Date")
    _cell(inj, "status_unknown", registered_epa, "Status", "STATUS_UNKNOWN", lambda _: "Pending")
    _cell(inj, "registered_blank_date", registered_epa, "Registration Date", "STATUS_MISSING_FIELD",
          lambda _: "")
    _cell(inj, "epao_invalid", _filled(q, "EPAO ID"), "EPAO ID", "EPAO_ID_INVALID", lambda _: "EPA12")
    _cell(inj, "formula_text", np.ones(len(q), dtype=bool), "Funding Band", "", lambda _: FORMULA_TEXT)


def _duplicates(inj: Injector) -> None:
    q = inj.qualifications
    row = inj.pick(QUALIFICATIONS, _epa(q))
    if row is not None:
        label = inj.insert_after(QUALIFICATIONS, row, inj.row_values(QUALIFICATIONS, row))
        inj.record("duplicate_identical", QUALIFICATIONS, label, "", "", "DUPLICATE_RECORD")
    row = inj.pick(QUALIFICATIONS, _epa(q) & _status(q, "Registered"))
    if row is not None:
        values = inj.row_values(QUALIFICATIONS, row) | {"Status": "Not Registered"}
        label = inj.insert_after(QUALIFICATIONS, row, values)
        inj.record("duplicate_different", QUALIFICATIONS, label, "Status", "Not Registered", "DUPLICATE_RECORD")


def _assessment_problems(inj: Injector) -> None:
    q, a = inj.qualifications, inj.assessments
    maths = FUNCTIONAL_SKILLS[1]
    has_maths = np.zeros(len(inj.used), dtype=bool)
    has_maths[q.learner[q.text("Qualification") == maths.title]] = True
    last = np.ones(len(a), dtype=bool)
    last[:-1] = a.learner[:-1] != a.learner[1:]
    row = inj.pick(ASSESSMENTS, last & ~has_maths[a.learner])
    if row is not None:
        values = {k: "" for k in a.columns} | {
            "Learner Reference": a.columns["Learner Reference"][row], "ULN": a.columns["ULN"][row],
            "Qualification": maths.title, "Assessment": maths.assessment, "Type": "First Attempt",
            "Attempt": "1", "Assessment Date": str(format_days(np.array([-30.0]), inj.as_of)[0]),
            "Status": "Result Received", "Result": "Pass",
        }
        label = inj.insert_after(ASSESSMENTS, row, values)
        inj.record("orphan_assessment", ASSESSMENTS, label, "Qualification", maths.title, "ORPHAN_ASSESSMENT")
    row = inj.pick(ASSESSMENTS, _filled(a, "Result") & _filled(a, "Assessment Date"))
    if row is not None:
        inj.set_cell("result_without_date", ASSESSMENTS, row, "Assessment Date", "", "RESULT_WITHOUT_DATE")


# -- assembling ----------------------------------------------------------------------------------

def _place_insertions(sheet: _Sheet) -> tuple[Columns, np.ndarray]:
    """The sheet with inserted rows in place; and each label's final position."""
    if not sheet.inserted:
        return sheet.columns, np.arange(len(sheet))
    keys = np.concatenate([np.arange(len(sheet), dtype=float), [k for k, _, _ in sheet.inserted]])
    order = np.argsort(keys, kind="stable")
    columns = {}
    for name, values in sheet.columns.items():
        extra = np.asarray([row[name] for _, row, _ in sheet.inserted], dtype=object)
        columns[name] = np.concatenate([values, extra])[order]
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    return columns, position


def inject(qualifications: Columns, q_learner: np.ndarray, assessments: Columns,
           a_learner: np.ndarray, learners: int, seed: int,
           as_of: dt.date) -> tuple[Columns, Columns, list[InjectedProblem]]:
    """Both exports with the problems applied, and the list of what went where."""
    inj = Injector(_Sheet(qualifications, q_learner), _Sheet(assessments, a_learner),
                   stream(seed, "problems"), as_of, np.zeros(learners, dtype=bool))
    for apply in (_uln_problems, _date_problems, _status_problems, _duplicates, _assessment_problems):
        apply(inj)
    q_columns, q_position = _place_insertions(inj.qualifications)
    a_columns, a_position = _place_insertions(inj.assessments)
    positions = {QUALIFICATIONS: q_position, ASSESSMENTS: a_position}
    problems = [
        InjectedProblem(p.name, p.sheet, int(positions[p.sheet][p.label]) + 2, p.column, p.value,
                        p.code, p.learner_ref)
        for p in inj.pending
    ]
    return q_columns, a_columns, problems
