"""Assessment records of the sample caseload: each slot's scenario played out as events.

A scenario (see :class:`regcert_xl.samples.records.Scenario`) is a short script — mock,
first attempt, resit, retake, final result, gateway check — whose dates hang from the slot's
``opened`` date (gateway, or Functional Skills registration) and ``outcome_on`` date (the
deciding result). Each scenario is played for all its slots at once; the loop is over the
twenty-odd scenarios, never over records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from regcert_xl.samples.learners import Learners
from regcert_xl.samples.random_tools import NO_DATE, choose, days_between, format_days, stream
from regcert_xl.samples.records import (
    FS_SLOTS,
    MAX_COMPONENTS,
    WITH_ATTEMPTS,
    Plan,
    Scenario,
    slot_catalogue,
)

TYPES = ("Mock", "Gateway", "First Attempt", "Resit", "Retake", "Final Result")
MOCK, GATEWAY_CHECK, FIRST, RESIT, RETAKE, FINAL = range(len(TYPES))
STATUSES = ("Planned", "Booked", "Sat", "Awaiting Result", "Result Received", "Cancelled")
PLANNED, BOOKED, SAT, AWAITING, RECEIVED, CANCELLED = range(len(STATUSES))
RESULTS = ("", "Pass", "Merit", "Distinction", "Fail", "Referred", "No Attempt", "Absent", "Void")
NO_RESULT, PASS, MERIT, DISTINCTION, FAIL, REFERRED, NO_ATTEMPT, ABSENT, VOID = range(len(RESULTS))
# the grade an assessor records with each result (blank where none is given)
GRADES = ("", "Pass", "Merit", "Distinction", "Fail", "", "", "", "")

ATTEMPT_BLANK_SHARE = 0.12  # exports often leave Attempt empty; the tool derives it


@dataclass
class Slots:
    """The present slots (= qualification rows) as flat arrays."""

    learner: np.ndarray
    slot: np.ndarray
    scenario: np.ndarray
    opened: np.ndarray
    outcome_on: np.ndarray
    grade: np.ndarray
    mock_first: np.ndarray
    start: np.ndarray
    functional_skill: np.ndarray
    graded: np.ndarray

    @classmethod
    def from_plan(cls, learners: Learners, plan: Plan) -> Slots:
        learner, slot = np.nonzero(plan.present)
        graded = slot_catalogue()["graded"][learners.programme[learner], slot]
        return cls(learner=learner, slot=slot, scenario=plan.scenario[learner, slot],
                   opened=plan.opened[learner, slot], outcome_on=plan.outcome_on[learner, slot],
                   grade=plan.grade[learner, slot], mock_first=plan.mock_first[learner, slot],
                   start=learners.start[learner], functional_skill=np.isin(slot, FS_SLOTS),
                   graded=graded)


@dataclass
class Events:
    """Assessment events collected scenario by scenario."""

    rng: np.random.Generator
    parts: list[dict[str, np.ndarray]] = field(default_factory=list)

    def add(self, rows: np.ndarray, order: int, date: np.ndarray | float, kind: int,
            status: np.ndarray | int, result: np.ndarray | int = NO_RESULT,
            attempt: float = NO_DATE) -> None:
        size = len(rows)

        def full(value: np.ndarray | float, dtype: type) -> np.ndarray:
            return np.broadcast_to(np.asarray(value, dtype=dtype), (size,)).copy()

        self.parts.append({
            "row": rows, "order": full(order, np.int64), "date": full(date, float),
            "type": full(kind, np.int64), "status": full(status, np.int64),
            "result": full(result, np.int64), "attempt": full(attempt, float),
        })

    def table(self) -> dict[str, np.ndarray]:
        keys = ("row", "order", "date", "type", "status", "result", "attempt")
        if not self.parts:
            return {k: np.zeros(0, dtype=float if k in ("date", "attempt") else np.int64) for k in keys}
        merged = {k: np.concatenate([p[k] for p in self.parts]) for k in keys}
        sequence = np.lexsort((merged["order"], merged["row"]))
        return {k: v[sequence] for k, v in merged.items()}


# -- results ----------------------------------------------------------------------------------

def pass_results(s: Slots, rows: np.ndarray) -> np.ndarray:
    """Pass / Merit / Distinction from the slot's planned grade points."""
    return np.asarray([PASS, MERIT, DISTINCTION])[s.grade[rows] - 1]


def fail_results(rng: np.random.Generator, s: Slots, rows: np.ndarray) -> np.ndarray:
    referred = np.asarray([FAIL, REFERRED])[choose(rng, len(rows), (0.65, 0.35))]
    return np.where(s.functional_skill[rows], FAIL, referred)


def mock_results(rng: np.random.Generator, s: Slots, rows: np.ndarray,
                 shares: tuple[float, float, float, float]) -> np.ndarray:
    """Mock marks: Pass / Merit / Distinction / Fail; ungraded components only pass or fail."""
    result = np.asarray([PASS, MERIT, DISTINCTION, FAIL])[choose(rng, len(rows), shares)]
    return np.where(s.graded[rows] | (result == FAIL), result, PASS)


def absent_results(rng: np.random.Generator, size: int) -> np.ndarray:
    return np.asarray([ABSENT, NO_ATTEMPT])[choose(rng, size, (0.6, 0.4))]


def waiting_statuses(rng: np.random.Generator, size: int) -> np.ndarray:
    return np.asarray([AWAITING, SAT])[choose(rng, size, (0.7, 0.3))]


def result_lag(rng: np.random.Generator, s: Slots, rows: np.ndarray) -> np.ndarray:
    """Days from sitting to the result: 5–21, shorter where the window is short."""
    room = s.outcome_on[rows] - s.opened[rows] - 14
    return days_between(rng, 5, np.minimum(21, room), len(rows))


# -- scenarios ----------------------------------------------------------------------------------

def _mock_sat(e: Events, s: Slots, rows: np.ndarray) -> None:
    date = days_between(e.rng, np.maximum(s.start[rows] + 60, -150), -3, len(rows))
    e.add(rows, 1, date, MOCK, RECEIVED, mock_results(e.rng, s, rows, (0.45, 0.2, 0.1, 0.25)))


def _mock_booked(e: Events, s: Slots, rows: np.ndarray) -> None:
    e.add(rows, 1, days_between(e.rng, 3, 45, len(rows)), MOCK, BOOKED)


def _cancelled(e: Events, s: Slots, rows: np.ndarray) -> None:
    date = days_between(e.rng, np.maximum(s.start[rows] + 60, -120), -5, len(rows))
    e.add(rows, 1, date, FIRST, CANCELLED)


def _booked(e: Events, s: Slots, rows: np.ndarray) -> None:
    e.add(rows, 1, days_between(e.rng, 3, 60, len(rows)), FIRST, BOOKED, attempt=1)


def _planned(e: Events, s: Slots, rows: np.ndarray) -> None:
    e.add(rows, 1, days_between(e.rng, 20, 90, len(rows)), FIRST, PLANNED, attempt=1)


def _awaiting_recent(e: Events, s: Slots, rows: np.ndarray) -> None:
    date = days_between(e.rng, np.maximum(s.opened[rows] + 1, -27), -1, len(rows))
    e.add(rows, 1, date, FIRST, waiting_statuses(e.rng, len(rows)), attempt=1)


def _awaiting_overdue(e: Events, s: Slots, rows: np.ndarray) -> None:
    date = days_between(e.rng, s.opened[rows] + 3, -29, len(rows))
    e.add(rows, 1, date, FIRST, waiting_statuses(e.rng, len(rows)), attempt=1)


def _first_fail(e: Events, s: Slots, rows: np.ndarray) -> None:
    date = days_between(e.rng, s.opened[rows] + 7, -10, len(rows))
    e.add(rows, 1, date, FIRST, RECEIVED, fail_results(e.rng, s, rows), attempt=1)


def _fail_resit_booked(e: Events, s: Slots, rows: np.ndarray) -> None:
    _first_fail(e, s, rows)
    e.add(rows, 2, days_between(e.rng, 5, 45, len(rows)), RESIT, BOOKED, attempt=2)


def _pass_status_behind(e: Events, s: Slots, rows: np.ndarray) -> None:
    date = days_between(e.rng, s.opened[rows] + 7, -3, len(rows))
    e.add(rows, 1, date, FIRST, RECEIVED, pass_results(s, rows), attempt=1)


def _cancelled_rebooked(e: Events, s: Slots, rows: np.ndarray) -> None:
    date = days_between(e.rng, np.maximum(s.opened[rows] + 1, -40), -1, len(rows))
    e.add(rows, 1, date, FIRST, CANCELLED)
    e.add(rows, 2, days_between(e.rng, 5, 40, len(rows)), FIRST, BOOKED, attempt=1)


def _passed(e: Events, s: Slots, rows: np.ndarray) -> None:
    sat = s.outcome_on[rows] - result_lag(e.rng, s, rows)
    e.add(rows, 1, sat, FIRST, RECEIVED, pass_results(s, rows), attempt=1)


def _second_time(e: Events, s: Slots, rows: np.ndarray, first_result: np.ndarray, second: int) -> None:
    sat = s.outcome_on[rows] - result_lag(e.rng, s, rows)
    first = days_between(e.rng, s.opened[rows] + 7, sat - 21, len(rows))
    e.add(rows, 1, first, FIRST, RECEIVED, first_result, attempt=1)
    e.add(rows, 2, sat, second, RECEIVED, pass_results(s, rows), attempt=2)


def _fail_then_pass(e: Events, s: Slots, rows: np.ndarray) -> None:
    _second_time(e, s, rows, fail_results(e.rng, s, rows), RESIT)


def _absent_then_retake_pass(e: Events, s: Slots, rows: np.ndarray) -> None:
    _second_time(e, s, rows, absent_results(e.rng, len(rows)), RETAKE)


def _failed_out(e: Events, s: Slots, rows: np.ndarray) -> None:
    size = len(rows)
    retake = s.outcome_on[rows] - result_lag(e.rng, s, rows)
    resit = retake - days_between(e.rng, 28, 60, size)
    first = resit - days_between(e.rng, 28, 60, size)
    e.add(rows, 1, first, FIRST, RECEIVED, fail_results(e.rng, s, rows), attempt=1)
    e.add(rows, 2, resit, RESIT, RECEIVED, fail_results(e.rng, s, rows), attempt=2)
    e.add(rows, 3, retake, RETAKE, RECEIVED, FAIL, attempt=3)


def _voided(e: Events, s: Slots, rows: np.ndarray) -> None:
    opened = s.opened[rows]
    date = days_between(e.rng, opened + 14, np.minimum(opened + 40, -1), len(rows))
    e.add(rows, 1, date, FIRST, RECEIVED, VOID)


def _final_result(e: Events, s: Slots, rows: np.ndarray) -> None:
    e.add(rows, 1, s.outcome_on[rows], FINAL, RECEIVED, pass_results(s, rows))


def _final_fail(e: Events, s: Slots, rows: np.ndarray) -> None:
    e.add(rows, 1, s.outcome_on[rows], FINAL, RECEIVED, FAIL)


def _gateway_passed(e: Events, s: Slots, rows: np.ndarray) -> None:
    e.add(rows, 1, s.opened[rows], GATEWAY_CHECK, RECEIVED, PASS)


def _gateway_planned(e: Events, s: Slots, rows: np.ndarray) -> None:
    e.add(rows, 1, days_between(e.rng, 14, 120, len(rows)), GATEWAY_CHECK, PLANNED)


PLAYERS: dict[Scenario, Callable[[Events, Slots, np.ndarray], None]] = {
    Scenario.MOCK_SAT: _mock_sat, Scenario.MOCK_BOOKED: _mock_booked,
    Scenario.CANCELLED: _cancelled, Scenario.BOOKED: _booked, Scenario.PLANNED: _planned,
    Scenario.AWAITING_RECENT: _awaiting_recent, Scenario.AWAITING_OVERDUE: _awaiting_overdue,
    Scenario.FAIL_NO_RESIT: _first_fail, Scenario.FAIL_RESIT_BOOKED: _fail_resit_booked,
    Scenario.PASS_STATUS_BEHIND: _pass_status_behind,
    Scenario.CANCELLED_REBOOKED: _cancelled_rebooked, Scenario.PASS: _passed,
    Scenario.FAIL_THEN_PASS: _fail_then_pass,
    Scenario.ABSENT_THEN_RETAKE_PASS: _absent_then_retake_pass, Scenario.FAILED_OUT: _failed_out,
    Scenario.VOIDED: _voided, Scenario.FINAL_RESULT: _final_result,
    Scenario.FINAL_FAIL: _final_fail, Scenario.GATEWAY_PASSED: _gateway_passed,
    Scenario.GATEWAY_PLANNED: _gateway_planned,
}


def _mocks(e: Events, s: Slots, first_dates: np.ndarray) -> None:
    """A mock a few weeks before the first attempt (or before today, if it is booked)."""
    rows = np.flatnonzero(s.mock_first & (s.slot < MAX_COMPONENTS) & np.isin(s.scenario, WITH_ATTEMPTS))
    before = np.minimum(first_dates[rows], 0) - days_between(e.rng, 14, 60, len(rows))
    date = np.maximum(before, s.start[rows] + 30)
    e.add(rows, 0, date, MOCK, RECEIVED, mock_results(e.rng, s, rows, (0.5, 0.2, 0.1, 0.2)))


def _first_dates(e: Events, rows: int) -> np.ndarray:
    first = np.full(rows, np.inf)
    for part in e.parts:
        np.minimum.at(first, part["row"], part["date"])
    return first


def play(slots: Slots, seed: int) -> dict[str, np.ndarray]:
    """Every event of every slot, ordered by qualification row and then by time."""
    events = Events(stream(seed, "events"))
    for scenario, player in PLAYERS.items():
        rows = np.flatnonzero(slots.scenario == scenario)
        if len(rows):
            player(events, slots, rows)
    _mocks(events, slots, _first_dates(events, len(slots.slot)))
    table = events.table()
    numbered = ~np.isnan(table["attempt"])
    blank = numbered & (events.rng.random(len(numbered)) < ATTEMPT_BLANK_SHARE)
    table["attempt"][blank] = NO_DATE
    return table


def assessment_columns(learners: Learners, plan: Plan, seed: int,
                       as_of: dt.date) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The assessment export as header -> object array, and the qualification row of each event."""
    slots = Slots.from_plan(learners, plan)
    table = play(slots, seed)
    row = table["row"]
    learner, slot = slots.learner[row], slots.slot[row]
    programme = learners.programme[learner]
    catalogue = slot_catalogue()
    attempt = np.full(len(row), "", dtype=object)
    numbered = ~np.isnan(table["attempt"])
    attempt[numbered] = np.asarray(["", "1", "2", "3"], dtype=object)[table["attempt"][numbered].astype(np.int64)]
    columns = {
        "Learner Reference": learners.ref[learner],
        "ULN": learners.uln[learner],
        "Qualification": catalogue["title"][programme, slot],
        "Assessment": catalogue["assessment"][programme, slot],
        "Type": np.asarray(TYPES, dtype=object)[table["type"]],
        "Attempt": attempt,
        "Assessment Date": format_days(table["date"], as_of),
        "Status": np.asarray(STATUSES, dtype=object)[table["status"]],
        "Result": np.asarray(RESULTS, dtype=object)[table["result"]],
        "Grade": _grades(table["result"], slots.functional_skill[row]),
    }
    return columns, row


def _grades(result: np.ndarray, functional_skill: np.ndarray) -> np.ndarray:
    """Functional Skills are pass/fail, with no grade recorded."""
    grade = np.asarray(GRADES, dtype=object)[result]
    grade[functional_skill] = ""
    return grade
