"""Qualification records of the sample caseload, planned on a learner × slot grid.

Every learner has the same slots: the EPA components of their programme, the EPA overall
outcome, the internal Gateway sign-off stage and the two Functional Skills. A slot is either
absent (a programme with two components leaves the third empty, most learners have no
Functional Skills) or one qualification record. Planning on a grid keeps everything
vectorised and makes per-learner rules (shared registration, overall grade = lowest
component grade) plain array operations.

Besides the record's own fields, each slot carries the *scenario* of its assessment history
and the dates that history hangs from (see :mod:`regcert_xl.samples.events`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import IntEnum

import numpy as np

from regcert_xl.samples.catalogue import (
    EPA_PREFIX,
    FUNCTIONAL_SKILLS,
    FUNCTIONAL_SKILLS_BODY,
    FUNCTIONAL_SKILLS_PREFIX,
    GATEWAY_TITLE,
    MAX_COMPONENTS,
    OVERALL_COMPONENT,
    PROGRAMMES,
)
from regcert_xl.samples.learners import (
    COMPLETED,
    NOT_YET_REGISTERED,
    PAST_GATEWAY,
    PRE_GATEWAY,
    Learners,
    Stage,
)
from regcert_xl.samples.random_tools import (
    NO_DATE,
    allocate,
    days_between,
    digits_text,
    format_days,
    stream,
)

OVERALL = MAX_COMPONENTS
GATEWAY = MAX_COMPONENTS + 1
FS_ENGLISH = MAX_COMPONENTS + 2
FS_MATHS = MAX_COMPONENTS + 3
SLOTS = MAX_COMPONENTS + 4
COMPONENT_SLOTS = np.arange(MAX_COMPONENTS)
EPA_SLOTS = np.arange(OVERALL + 1)
FS_SLOTS = np.array([FS_ENGLISH, FS_MATHS])


class Scenario(IntEnum):
    """The assessment history a slot gets."""

    NONE = 0
    MOCK_SAT = 1
    MOCK_BOOKED = 2
    CANCELLED = 3
    BOOKED = 4
    PLANNED = 5
    AWAITING_RECENT = 6
    AWAITING_OVERDUE = 7
    FAIL_NO_RESIT = 8
    FAIL_RESIT_BOOKED = 9
    PASS_STATUS_BEHIND = 10
    CANCELLED_REBOOKED = 11
    PASS = 12
    FAIL_THEN_PASS = 13
    ABSENT_THEN_RETAKE_PASS = 14
    FAILED_OUT = 15
    VOIDED = 16
    FINAL_RESULT = 17
    FINAL_FAIL = 18
    GATEWAY_PASSED = 19
    GATEWAY_PLANNED = 20


# Scenarios that end in a pass on ``outcome_on`` (the result date = achieved date).
PASSING = (Scenario.PASS, Scenario.FAIL_THEN_PASS, Scenario.ABSENT_THEN_RETAKE_PASS)
# Scenarios with attempts, which a mock may precede.
WITH_ATTEMPTS = (Scenario.AWAITING_RECENT, Scenario.AWAITING_OVERDUE, Scenario.FAIL_NO_RESIT,
                 Scenario.FAIL_RESIT_BOOKED, Scenario.PASS_STATUS_BEHIND, Scenario.BOOKED,
                 *PASSING, Scenario.FAILED_OUT)

# Components of learners through gateway with the EPA under way.
IN_EPA_MIX: dict[Scenario, float] = {
    Scenario.PASS: 0.20, Scenario.FAIL_THEN_PASS: 0.05, Scenario.BOOKED: 0.18,
    Scenario.PLANNED: 0.06, Scenario.AWAITING_RECENT: 0.13, Scenario.AWAITING_OVERDUE: 0.09,
    Scenario.FAIL_NO_RESIT: 0.10, Scenario.FAIL_RESIT_BOOKED: 0.08,
    Scenario.PASS_STATUS_BEHIND: 0.07, Scenario.CANCELLED_REBOOKED: 0.04,
}
# Days an in-progress scenario needs between gateway (or registration) and the as-of date;
# with less, the slot is simply booked.
MIN_DAYS_OPEN: dict[Scenario, int] = {
    Scenario.PASS: 20, Scenario.FAIL_THEN_PASS: 55, Scenario.AWAITING_RECENT: 2,
    Scenario.AWAITING_OVERDUE: 33, Scenario.FAIL_NO_RESIT: 17, Scenario.FAIL_RESIT_BOOKED: 17,
    Scenario.PASS_STATUS_BEHIND: 10, Scenario.CANCELLED_REBOOKED: 2,
}
COMPLETED_MIX = {Scenario.PASS: 0.66, Scenario.FAIL_THEN_PASS: 0.26,
                 Scenario.ABSENT_THEN_RETAKE_PASS: 0.08}
BEFORE_GATEWAY_MIX = {Scenario.NONE: 0.35, Scenario.MOCK_SAT: 0.48, Scenario.MOCK_BOOKED: 0.17}
WITHDRAWN_MIX = {Scenario.NONE: 0.6, Scenario.MOCK_SAT: 0.2, Scenario.CANCELLED: 0.2}
GATEWAY_LABELS = {"Gateway Reached": 0.84, "Ready / Gateway Reached": 0.10, "Ready": 0.06}
GRADE_MIX = (0.45, 0.35, 0.20)  # Pass, Merit, Distinction (points 1, 2, 3)
MOCK_SHARE = 0.75
TRACKED_POST_SHARE = 0.75

STAGE_STATUS: dict[Stage, str] = {
    Stage.NOT_REGISTERED: "Not Registered", Stage.REGISTRATION_DUE: "Not Registered",
    Stage.REGISTRATION_OVERDUE: "Not Registered", Stage.REGISTERED: "Registered",
    Stage.GATEWAY: "Gateway Reached", Stage.ACHIEVED: "Achieved",
    Stage.CERTIFICATE_CLAIMED: "Certificate Claimed",
    Stage.CERTIFICATE_RECEIVED: "Certificate Received", Stage.CERTIFICATE_SENT: "Certificate Sent",
    Stage.DEFERRED: "Deferred", Stage.BREAK_IN_LEARNING: "Break in Learning",
    Stage.WITHDRAWN: "Withdrawn", Stage.NOT_ACHIEVED: "Not Achieved",
    Stage.VOID: "Void – Malpractice",
}
CERTIFICATE_LEVELS = ("Achieved", "Certificate Claimed", "Certificate Received", "Certificate Sent")


class FunctionalSkillState(IntEnum):
    ACHIEVED = 0
    REGISTERED = 1
    NOT_REGISTERED = 2
    EXEMPT = 3
    TAKEN_ELSEWHERE = 4


# Functional Skills states by where the learner is; "Registered" at gateway blocks it.
FS_MIX_BEFORE_GATEWAY = (0.30, 0.35, 0.10, 0.20, 0.05)
FS_MIX_AT_GATEWAY = (0.55, 0.22, 0.0, 0.18, 0.05)
FS_MIX_AFTER_GATEWAY = (0.66, 0.0, 0.0, 0.28, 0.06)
FS_TARGET_LEVELS = (0.10, 0.10, 0.10, 0.70)  # Achieved … Certificate Sent, as far as dates allow


@dataclass
class Plan:
    """Learner × slot arrays: the qualification records and their assessment scenarios."""

    present: np.ndarray
    status: np.ndarray
    registered: np.ndarray
    registration_number: np.ndarray
    planned_achieved: np.ndarray
    achieved: np.ndarray
    claimed: np.ndarray
    received: np.ndarray
    sent: np.ndarray
    tracking: np.ndarray
    scenario: np.ndarray
    opened: np.ndarray  # from when attempts could happen: gateway, or FS registration
    outcome_on: np.ndarray  # date of the deciding result (pass = achieved date)
    grade: np.ndarray  # points of the pass, 1 Pass, 2 Merit, 3 Distinction
    mock_first: np.ndarray

    @classmethod
    def blank(cls, count: int) -> Plan:
        shape = (count, SLOTS)
        dates = {f.name: np.full(shape, NO_DATE) for f in fields(cls)}
        dates.update(
            present=np.zeros(shape, dtype=bool),
            status=np.full(shape, "", dtype=object),
            registration_number=np.full(shape, "", dtype=object),
            tracking=np.full(shape, "", dtype=object),
            scenario=np.zeros(shape, dtype=np.int64),
            grade=np.ones(shape, dtype=np.int64),
            mock_first=np.zeros(shape, dtype=bool),
        )
        return cls(**dates)


def _grid(learner_mask: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Cells of the learners in ``learner_mask`` at the given slots."""
    slot_mask = np.zeros(SLOTS, dtype=bool)
    slot_mask[slots] = True
    return learner_mask[:, None] & slot_mask[None, :]


def _per_learner(values: np.ndarray) -> np.ndarray:
    """A learner-level array broadcast across the slots."""
    return np.broadcast_to(values[:, None], (len(values), SLOTS))


def _set(target: np.ndarray, cells: np.ndarray, values: np.ndarray | float | str) -> None:
    target[cells] = _per_learner(values)[cells] if isinstance(values, np.ndarray) else values


# -- which records each learner has ---------------------------------------------------------

def _lay_out(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    component_count = np.asarray([len(p.components) for p in PROGRAMMES])[learners.programme]
    plan.present[:, :MAX_COMPONENTS] = COMPONENT_SLOTS[None, :] < component_count[:, None]
    plan.present[:, OVERALL] = True
    # the gateway stage is added to a learner's record when they register for the EPA
    plan.present[:, GATEWAY] = ~learners.in_stage(*NOT_YET_REGISTERED) & ~np.isnan(learners.registered)
    share = np.asarray([p.functional_skills_share for p in PROGRAMMES])[learners.programme]
    has_fs = rng.random(len(learners)) < share
    english = has_fs & (rng.random(len(learners)) < 0.75)
    plan.present[:, FS_ENGLISH] = english
    plan.present[:, FS_MATHS] = has_fs & (~english | (rng.random(len(learners)) < 0.7))


# -- EPA components and overall outcome ---------------------------------------------------------

def _epa_statuses(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    epa = plan.present & _grid(np.ones(len(learners), dtype=bool), EPA_SLOTS)
    for stage, label in STAGE_STATUS.items():
        _set(plan.status, epa & _grid(learners.stage == stage, EPA_SLOTS), label)
    _set(plan.registered, epa, learners.registered)
    registered = epa & ~np.isnan(plan.registered)
    _set(plan.registration_number, registered, learners.candidate_number)
    _set(plan.planned_achieved, epa, learners.planned_achieved)
    _set(plan.opened, epa, learners.gateway)
    completed = epa & _grid(learners.in_stage(*COMPLETED), EPA_SLOTS)
    for name in ("achieved", "claimed", "received", "sent"):
        _set(getattr(plan, name), completed, getattr(learners, name))
    # components are achieved up to a fortnight before the overall outcome
    components = completed & _grid(np.ones(len(learners), dtype=bool), COMPONENT_SLOTS)
    plan.achieved[components] -= days_between(rng, 0, 14, int(components.sum()))
    plan.outcome_on[completed] = plan.achieved[completed]


def _in_epa_components(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    """Learners at gateway: each component booked, sat, failed or passed."""
    cells = plan.present & _grid(learners.in_stage(Stage.GATEWAY), COMPONENT_SLOTS)
    mix = list(IN_EPA_MIX)
    scenario = np.asarray(mix)[allocate(rng, int(cells.sum()), list(IN_EPA_MIX.values()))]
    days_open = -plan.opened[cells]
    min_days_open = np.zeros(len(Scenario), dtype=float)
    min_days_open[list(MIN_DAYS_OPEN)] = list(MIN_DAYS_OPEN.values())
    need = min_days_open[scenario]
    scenario = np.where(days_open >= need, scenario, Scenario.BOOKED)
    plan.scenario[cells] = scenario
    passed = np.isin(scenario, PASSING)
    earliest = plan.opened[cells] + np.where(scenario == Scenario.FAIL_THEN_PASS, 55, 20)
    on = np.where(passed, days_between(rng, earliest, -1, len(scenario)), NO_DATE)
    plan.outcome_on[cells] = on
    plan.achieved[cells] = on
    plan.status[cells] = np.where(passed, "Achieved", plan.status[cells])


def _gateway_labels(plan: Plan, rng: np.random.Generator) -> None:
    """A few records use the system's older labels for Gateway Reached."""
    cells = plan.status == "Gateway Reached"
    labels = np.asarray(list(GATEWAY_LABELS), dtype=object)
    plan.status[cells] = labels[allocate(rng, int(cells.sum()), list(GATEWAY_LABELS.values()))]


def _epa_scenarios(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    components = plan.present & _grid(np.ones(len(learners), dtype=bool), COMPONENT_SLOTS)
    _assign(plan, rng, components & _grid(learners.in_stage(*COMPLETED), COMPONENT_SLOTS), COMPLETED_MIX)
    before = [s for s in PRE_GATEWAY if s != Stage.WITHDRAWN]
    _assign(plan, rng, components & _grid(learners.in_stage(*before), COMPONENT_SLOTS), BEFORE_GATEWAY_MIX)
    _assign(plan, rng, components & _grid(learners.in_stage(Stage.WITHDRAWN), COMPONENT_SLOTS), WITHDRAWN_MIX)
    _not_achieved_and_void(plan, learners, rng)
    overall = _grid(learners.in_stage(*COMPLETED), np.array([OVERALL]))
    plan.scenario[overall] = Scenario.FINAL_RESULT
    # a mock a few weeks before the first attempt, for some components through gateway
    attempts = components & np.isin(plan.scenario, WITH_ATTEMPTS)
    plan.mock_first[attempts] = rng.random(int(attempts.sum())) < MOCK_SHARE
    # a mock needs time on programme before it
    early = _grid(learners.in_stage(*PRE_GATEWAY), COMPONENT_SLOTS) & (_per_learner(learners.start) > -63)
    plan.scenario[early & (plan.scenario == Scenario.MOCK_SAT)] = Scenario.NONE


def _assign(plan: Plan, rng: np.random.Generator, cells: np.ndarray, mix: dict[Scenario, float]) -> None:
    plan.scenario[cells] = np.asarray(list(mix))[allocate(rng, int(cells.sum()), list(mix.values()))]


def _not_achieved_and_void(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    """One component fails every attempt (or is voided); the others passed or never ran."""
    count = len(learners)
    component_count = np.asarray([len(p.components) for p in PROGRAMMES])[learners.programme]
    decisive = np.floor(rng.random(count) * component_count).astype(np.int64)
    rows = np.arange(count)
    gateway = learners.gateway

    failed = learners.in_stage(Stage.NOT_ACHIEVED)
    others = _grid(failed, COMPONENT_SLOTS) & plan.present
    plan.scenario[others] = Scenario.PASS
    plan.outcome_on[others] = _per_learner(gateway)[others] + days_between(rng, 30, 90, int(others.sum()))
    f = rows[failed]
    plan.scenario[f, decisive[f]] = Scenario.FAILED_OUT
    last_result = gateway[f] + days_between(rng, 150, 175, len(f))
    plan.outcome_on[f, decisive[f]] = last_result
    plan.scenario[f, OVERALL] = Scenario.FINAL_FAIL
    plan.outcome_on[f, OVERALL] = last_result + days_between(rng, 0, 7, len(f))

    v = rows[learners.in_stage(Stage.VOID)]
    plan.scenario[v, decisive[v]] = Scenario.VOIDED


# -- Gateway sign-off ------------------------------------------------------------------------

def _gateway_stage(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    present = plan.present[:, GATEWAY]
    status = np.full(len(learners), "Registration Not Required", dtype=object)
    past = learners.in_stage(*PAST_GATEWAY)
    status[past] = "Achieved"
    for stage in (Stage.DEFERRED, Stage.BREAK_IN_LEARNING, Stage.WITHDRAWN):
        status[learners.stage == stage] = STAGE_STATUS[stage]
    plan.status[present, GATEWAY] = status[present]
    plan.achieved[past & present, GATEWAY] = learners.gateway[past & present]
    plan.opened[:, GATEWAY] = learners.gateway
    plan.outcome_on[:, GATEWAY] = learners.gateway
    planned = learners.planned_end - days_between(rng, 30, 90, len(learners))
    plan.planned_achieved[present, GATEWAY] = planned[present]
    plan.scenario[past & present, GATEWAY] = Scenario.GATEWAY_PASSED
    soon = present & learners.in_stage(Stage.REGISTERED) & (rng.random(len(learners)) < 0.3)
    plan.scenario[soon, GATEWAY] = Scenario.GATEWAY_PLANNED


# -- Functional Skills -------------------------------------------------------------------------

def _functional_skills(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    for slot in FS_SLOTS:
        _functional_skill(plan, learners, rng, int(slot))


def _fs_states(learners: Learners, rng: np.random.Generator, present: np.ndarray) -> np.ndarray:
    state = np.full(len(learners), -1, dtype=np.int64)
    groups = ((learners.in_stage(*PRE_GATEWAY), FS_MIX_BEFORE_GATEWAY),
              (learners.in_stage(Stage.GATEWAY), FS_MIX_AT_GATEWAY),
              (learners.in_stage(*PAST_GATEWAY) & ~learners.in_stage(Stage.GATEWAY), FS_MIX_AFTER_GATEWAY))
    for group, mix in groups:
        cells = group & present
        state[cells] = allocate(rng, int(cells.sum()), mix)
    # an achievement needs a few months on programme
    recent = (state == FunctionalSkillState.ACHIEVED) & (learners.start > -90)
    state[recent] = FunctionalSkillState.REGISTERED
    return state


def _functional_skill(plan: Plan, learners: Learners, rng: np.random.Generator, slot: int) -> None:
    present = plan.present[:, slot]
    count = len(learners)
    state = _fs_states(learners, rng, present)
    latest = np.where(np.isnan(learners.gateway), -1, learners.gateway - 7)
    registered = np.maximum(np.minimum(learners.start + days_between(rng, 14, 90, count), latest - 40),
                            learners.start)
    achieved = np.minimum(registered + days_between(rng, 40, 200, count), latest)
    level = _certificate_level(rng, achieved, plan, slot)
    has_registration = np.isin(state, [FunctionalSkillState.ACHIEVED, FunctionalSkillState.REGISTERED])
    is_achieved = state == FunctionalSkillState.ACHIEVED

    status = np.array(["Registered", "Not Registered", "Exempt", "Taken Elsewhere"], dtype=object)
    labels = np.where(is_achieved, np.asarray(CERTIFICATE_LEVELS, dtype=object)[level],
                      status[np.maximum(state - 1, 0)])
    withdrawn = learners.in_stage(Stage.WITHDRAWN) & np.isin(
        state, [FunctionalSkillState.REGISTERED, FunctionalSkillState.NOT_REGISTERED])
    labels[withdrawn] = "Withdrawn"
    plan.status[present, slot] = labels[present]
    plan.registered[:, slot] = np.where(present & has_registration, registered, NO_DATE)
    numbers = FUNCTIONAL_SKILLS_PREFIX + digits_text(rng.integers(1_000_000, 10_000_000, size=count))
    plan.registration_number[present & has_registration, slot] = numbers[present & has_registration]
    plan.achieved[:, slot] = np.where(present & is_achieved, achieved, NO_DATE)
    for offset, name in enumerate(("claimed", "received", "sent"), start=1):
        column = getattr(plan, name)
        column[:, slot] = np.where(present & is_achieved & (level >= offset), column[:, slot], NO_DATE)
    plan.planned_achieved[present, slot] = np.minimum(
        learners.start + days_between(rng, 150, 300, count), learners.planned_end)[present]
    plan.opened[:, slot] = registered
    plan.outcome_on[:, slot] = achieved
    _fs_scenarios(plan, rng, slot, present & is_achieved, present & (state == FunctionalSkillState.REGISTERED))


def _certificate_level(rng: np.random.Generator, achieved: np.ndarray, plan: Plan, slot: int) -> np.ndarray:
    """Certificate claimed, received and sent after the achievement, as far as the as-of date
    and a target level allow; writes the dates to the plan and returns the level 0..3."""
    count = len(achieved)
    claimed = achieved + days_between(rng, 2, 20, count)
    received = claimed + days_between(rng, 5, 25, count)
    sent = received + days_between(rng, 1, 14, count)
    reached = (claimed <= -1).astype(np.int64) + (received <= -1) + (sent <= -1)
    target = allocate(rng, count, FS_TARGET_LEVELS)
    plan.claimed[:, slot], plan.received[:, slot], plan.sent[:, slot] = claimed, received, sent
    return np.minimum(reached, target)


def _fs_scenarios(plan: Plan, rng: np.random.Generator, slot: int, achieved: np.ndarray,
                  registered: np.ndarray) -> None:
    """Achieved: passed, some at the second go. Registered: booked, failed, or not yet."""
    scenario = plan.scenario[:, slot]  # a view: writes go to the plan
    opened, outcome_on = plan.opened[:, slot], plan.outcome_on[:, slot]
    resat = rng.random(int(achieved.sum())) < 0.2
    scenario[achieved] = np.where(resat, Scenario.FAIL_THEN_PASS, Scenario.PASS)
    short = achieved & (outcome_on - opened < MIN_DAYS_OPEN[Scenario.FAIL_THEN_PASS])
    scenario[short] = Scenario.PASS
    choice = np.asarray([Scenario.BOOKED, Scenario.FAIL_NO_RESIT, Scenario.NONE])
    scenario[registered] = choice[allocate(rng, int(registered.sum()), (0.40, 0.25, 0.35))]
    failed = registered & (scenario == Scenario.FAIL_NO_RESIT)
    scenario[failed & (-opened < MIN_DAYS_OPEN[Scenario.FAIL_NO_RESIT])] = Scenario.BOOKED


# -- grades and certificates ---------------------------------------------------------------------

def _grades(plan: Plan, learners: Learners, rng: np.random.Generator) -> None:
    """Points of each pass; ungraded components pass at Pass. The overall outcome is the
    lowest component grade (the product's default combining rule)."""
    graded_cells = slot_catalogue()["graded"][learners.programme]
    points = 1 + allocate(rng, graded_cells.size, GRADE_MIX).reshape(graded_cells.shape)
    plan.grade[:] = np.where(graded_cells, points, 1)
    component_points = np.where(plan.present[:, :MAX_COMPONENTS], plan.grade[:, :MAX_COMPONENTS], 99)
    plan.grade[:, OVERALL] = component_points.min(axis=1)


def _tracking_refs(plan: Plan, rng: np.random.Generator) -> None:
    """Royal Mail style tracking references (AB123456789GB) on most certificates sent: one
    parcel for a learner's EPA certificates, another for each Functional Skills certificate."""
    sent = plan.present & (plan.status == "Certificate Sent")
    epa_parcel = sent[:, EPA_SLOTS].any(axis=1) & (rng.random(len(sent)) < TRACKED_POST_SHARE)
    epa_cells = sent & _grid(epa_parcel, EPA_SLOTS)
    learner_ref = np.full(len(sent), "", dtype=object)
    learner_ref[epa_parcel] = _tracking_numbers(rng, int(epa_parcel.sum()))
    plan.tracking[epa_cells] = _per_learner(learner_ref)[epa_cells]
    fs_cells = sent & _grid(np.ones(len(sent), dtype=bool), FS_SLOTS)
    fs_cells &= rng.random(sent.shape) < TRACKED_POST_SHARE
    plan.tracking[fs_cells] = _tracking_numbers(rng, int(fs_cells.sum()))


def _tracking_numbers(rng: np.random.Generator, count: int) -> np.ndarray:
    letters = np.asarray(list("ABCDEFGHJKLMNPRSTUVWXYZ"), dtype=object)
    pair = letters[rng.integers(len(letters), size=count)] + letters[rng.integers(len(letters), size=count)]
    return pair + digits_text(rng.integers(100_000_000, 1_000_000_000, size=count)) + "GB"


def plan_records(learners: Learners, seed: int) -> Plan:
    """Every qualification record of every learner, with its assessment scenario."""
    rng = stream(seed, "records")
    plan = Plan.blank(len(learners))
    _lay_out(plan, learners, rng)
    _epa_statuses(plan, learners, rng)
    _in_epa_components(plan, learners, rng)
    _gateway_labels(plan, rng)
    _epa_scenarios(plan, learners, rng)
    _gateway_stage(plan, learners, rng)
    _functional_skills(plan, learners, rng)
    _grades(plan, learners, rng)
    _tracking_refs(plan, rng)
    return plan


# -- the export -----------------------------------------------------------------------------------

def slot_catalogue() -> dict[str, np.ndarray]:
    """Programme × slot tables: title, number, awarding body, EPAO ID, assessment name and
    whether the component is graded (Merit / Distinction possible)."""
    shape = (len(PROGRAMMES), SLOTS)
    table = {name: np.full(shape, "", dtype=object) for name in
             ("title", "number", "body", "epao_id", "assessment")}
    table["graded"] = np.zeros(shape, dtype=bool)
    for index, programme in enumerate(PROGRAMMES):
        for slot, component in enumerate(programme.components):
            table["graded"][index, slot] = component.graded
            table["title"][index, slot] = EPA_PREFIX + component.name
            table["number"][index, slot] = f"{programme.standard}-{component.abbreviation}"
            table["assessment"][index, slot] = component.name
        table["title"][index, OVERALL] = EPA_PREFIX + OVERALL_COMPONENT
        table["number"][index, OVERALL] = programme.standard
        table["assessment"][index, OVERALL] = OVERALL_COMPONENT
        table["body"][index, EPA_SLOTS] = programme.epao.name
        table["epao_id"][index, EPA_SLOTS] = programme.epao.epao_id
        table["title"][index, GATEWAY] = GATEWAY_TITLE
        table["assessment"][index, GATEWAY] = "Gateway Readiness Check"
        for slot, skill in zip(FS_SLOTS, FUNCTIONAL_SKILLS, strict=True):
            table["title"][index, slot] = skill.title
            table["number"][index, slot] = skill.number
            table["body"][index, slot] = FUNCTIONAL_SKILLS_BODY
            table["assessment"][index, slot] = skill.assessment
    return table


def qualification_columns(learners: Learners, plan: Plan, as_of: dt.date) -> dict[str, np.ndarray]:
    """The qualification export as header -> object array, one row per present slot."""
    learner, slot = np.nonzero(plan.present)
    programme = learners.programme[learner]
    catalogue = slot_catalogue()

    def cell(grid: np.ndarray) -> np.ndarray:
        return grid[learner, slot]

    def date(values: np.ndarray) -> np.ndarray:
        return format_days(values, as_of)

    funding = np.asarray([p.funding_band for p in PROGRAMMES], dtype=object)
    titles = np.asarray([p.title for p in PROGRAMMES], dtype=object)
    return {
        "Learner Reference": learners.ref[learner],
        "ULN": learners.uln[learner],
        "First Name": learners.first_name[learner],
        "Last Name": learners.last_name[learner],
        "Programme": titles[programme],
        "Employer": learners.employer[learner],
        "Cohort": learners.cohort[learner],
        "Tutor": learners.tutor[learner],
        "Qualification": catalogue["title"][programme, slot],
        "Qualification Number": catalogue["number"][programme, slot],
        "Awarding Body": catalogue["body"][programme, slot],
        "EPAO ID": catalogue["epao_id"][programme, slot],
        "Status": cell(plan.status),
        "Start Date": date(learners.start[learner]),
        "Planned End Date": date(learners.planned_end[learner]),
        "Registration Date": date(cell(plan.registered)),
        "Registration Number": cell(plan.registration_number),
        "Planned Achieved Date": date(cell(plan.planned_achieved)),
        "Achieved Date": date(cell(plan.achieved)),
        "Certificate Claimed Date": date(cell(plan.claimed)),
        "Certificate Received Date": date(cell(plan.received)),
        "Certificate Sent Date": date(cell(plan.sent)),
        "Postal Tracking Ref": cell(plan.tracking),
        "Funding Band": funding[programme],
    }
