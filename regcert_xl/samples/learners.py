"""Learners of the sample caseload: who they are, where they are in their apprenticeship
(their *stage*) and the dates of their journey, all relative to the as-of date.

A learner's stage drives every record generated for them, so the qualification records and
assessment history of one learner always tell one consistent story. Dates are built backwards
from the latest event the stage has reached, which keeps every past date on or before the
as-of date and lets the share of due / overdue actions be set directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from regcert_xl.samples.catalogue import (
    EMPLOYER_WEIGHTS,
    EMPLOYERS,
    FIRST_NAMES,
    LAST_NAMES,
    PROGRAMMES,
)
from regcert_xl.samples.random_tools import (
    NO_DATE,
    allocate,
    choose,
    days_between,
    digits_text,
    format_days,
    months_ahead,
    stream,
)


class Stage(IntEnum):
    """Where a learner is in their apprenticeship."""

    NOT_REGISTERED = 0  # registration not due yet
    REGISTRATION_DUE = 1  # registration due within 30 days
    REGISTRATION_OVERDUE = 2
    REGISTERED = 3
    GATEWAY = 4  # through gateway, EPA components in progress
    ACHIEVED = 5
    CERTIFICATE_CLAIMED = 6
    CERTIFICATE_RECEIVED = 7
    CERTIFICATE_SENT = 8
    DEFERRED = 9
    BREAK_IN_LEARNING = 10
    WITHDRAWN = 11
    NOT_ACHIEVED = 12
    VOID = 13


# Share of the caseload at each stage (a provider with a few years of starts).
STAGE_WEIGHTS: dict[Stage, float] = {
    Stage.NOT_REGISTERED: 0.16,
    Stage.REGISTRATION_DUE: 0.04,
    Stage.REGISTRATION_OVERDUE: 0.05,
    Stage.REGISTERED: 0.14,
    Stage.GATEWAY: 0.12,
    Stage.ACHIEVED: 0.06,
    Stage.CERTIFICATE_CLAIMED: 0.05,
    Stage.CERTIFICATE_RECEIVED: 0.04,
    Stage.CERTIFICATE_SENT: 0.23,
    Stage.DEFERRED: 0.015,
    Stage.BREAK_IN_LEARNING: 0.02,
    Stage.WITHDRAWN: 0.04,
    Stage.NOT_ACHIEVED: 0.015,
    Stage.VOID: 0.01,
}

PRE_GATEWAY = (Stage.NOT_REGISTERED, Stage.REGISTRATION_DUE, Stage.REGISTRATION_OVERDUE,
               Stage.REGISTERED, Stage.DEFERRED, Stage.BREAK_IN_LEARNING, Stage.WITHDRAWN)
NOT_YET_REGISTERED = (Stage.NOT_REGISTERED, Stage.REGISTRATION_DUE, Stage.REGISTRATION_OVERDUE)
COMPLETED = (Stage.ACHIEVED, Stage.CERTIFICATE_CLAIMED, Stage.CERTIFICATE_RECEIVED,
             Stage.CERTIFICATE_SENT)
PAST_GATEWAY = (Stage.GATEWAY, *COMPLETED, Stage.NOT_ACHIEVED, Stage.VOID)


@dataclass
class Learners:
    """One entry per learner; dates are day offsets from the as-of date (NaN = none)."""

    ref: np.ndarray
    uln: np.ndarray
    first_name: np.ndarray
    last_name: np.ndarray
    programme: np.ndarray  # index into PROGRAMMES
    employer: np.ndarray
    cohort: np.ndarray
    tutor: np.ndarray
    stage: np.ndarray
    candidate_number: np.ndarray  # EPAO registration number
    start: np.ndarray
    planned_end: np.ndarray
    planned_achieved: np.ndarray
    registered: np.ndarray
    gateway: np.ndarray
    achieved: np.ndarray
    claimed: np.ndarray
    received: np.ndarray
    sent: np.ndarray

    def __len__(self) -> int:
        return len(self.ref)

    def in_stage(self, *stages: Stage) -> np.ndarray:
        return np.isin(self.stage, np.asarray(stages, dtype=np.int64))


# -- identity ------------------------------------------------------------------------------

ULN_WEIGHTS = np.arange(10, 1, -1)


def uln_check_digits(prefixes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DfE check digit for 9-digit prefixes, and whether one exists (remainder 0 has none)."""
    total = np.zeros(len(prefixes), dtype=np.int64)
    rest = np.array(prefixes, dtype=np.int64)  # a copy: divided down below
    for weight in ULN_WEIGHTS[::-1]:  # last digit first
        total += (rest % 10) * weight
        rest //= 10
    remainder = total % 11
    return (10 - remainder) % 10, remainder != 0


def make_ulns(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` distinct valid ULNs as text: unique 9-digit prefixes (first digit not 0)
    whose check digit exists, plus that digit. Never the temporary ULN 9999999999."""
    draw = int(count * 1.2) + 64  # about 1 in 11 prefixes has no check digit
    prefixes = rng.choice(900_000_000, size=draw, replace=False).astype(np.int64) + 100_000_000
    check, valid = uln_check_digits(prefixes)
    ulns = (prefixes * 10 + check)[valid][:count]
    return digits_text(ulns)


def _names(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    first = np.asarray(FIRST_NAMES, dtype=object)[rng.integers(len(FIRST_NAMES), size=count)]
    last = np.asarray(LAST_NAMES, dtype=object)[rng.integers(len(LAST_NAMES), size=count)]
    return first, last


def _tutors(rng: np.random.Generator, programme: np.ndarray) -> np.ndarray:
    tutor = np.empty(len(programme), dtype=object)
    for index, prog in enumerate(PROGRAMMES):
        mine = programme == index
        tutor[mine] = np.asarray(prog.tutors, dtype=object)[rng.integers(len(prog.tutors), size=int(mine.sum()))]
    return tutor


def _candidate_numbers(rng: np.random.Generator, programme: np.ndarray) -> np.ndarray:
    prefixes = np.asarray([p.epao.candidate_prefix for p in PROGRAMMES], dtype=object)[programme]
    numbers = digits_text(rng.integers(10_000_000, 100_000_000, size=len(programme)))
    return prefixes + numbers


def _cohorts(programme: np.ndarray, start: np.ndarray, as_of: dt.date) -> np.ndarray:
    codes = np.asarray([p.code for p in PROGRAMMES], dtype=object)[programme]
    return codes + "-" + format_days(start, as_of, "%Y-%m")


# -- journey dates -------------------------------------------------------------------------

@dataclass
class Timeline:
    """Journey dates (day offsets) of a group of learners, filled stage by stage."""

    start: np.ndarray
    planned_end: np.ndarray
    registered: np.ndarray
    gateway: np.ndarray
    achieved: np.ndarray
    claimed: np.ndarray
    received: np.ndarray
    sent: np.ndarray

    @classmethod
    def blank(cls, size: int) -> Timeline:
        return cls(*(np.full(size, NO_DATE) for _ in range(8)))


def _start_before(rng: np.random.Generator, planned_end: np.ndarray, latest: float) -> np.ndarray:
    """A start 12–24 months before the planned end, and no later than ``latest``."""
    size = len(planned_end)
    shortest = np.maximum(365, planned_end - latest)
    return planned_end - days_between(rng, shortest, 730, size)


def _not_yet_registered(rng: np.random.Generator, stage: Stage, size: int,
                        six_months: int) -> Timeline:
    """Registration is due six months before the planned end: not yet, soon or overdue."""
    t = Timeline.blank(size)
    if stage == Stage.NOT_REGISTERED:
        t.planned_end = six_months + days_between(rng, 35, 330, size)
    elif stage == Stage.REGISTRATION_DUE:
        t.planned_end = six_months + days_between(rng, 3, 27, size)
    else:
        t.planned_end = six_months - days_between(rng, 3, 120, size)
    t.start = _start_before(rng, t.planned_end, -21)
    return t


def _registered(rng: np.random.Generator, size: int) -> Timeline:
    t = Timeline.blank(size)
    t.registered = -days_between(rng, 1, 200, size)
    t.planned_end = t.registered + days_between(rng, 150, 270, size)
    t.start = t.planned_end - days_between(rng, 365, 730, size)
    return t


def _through_gateway(rng: np.random.Generator, gateway: np.ndarray, planned_end: np.ndarray) -> Timeline:
    """Gateway reached on ``gateway``: registration came 2–7 months before it."""
    size = len(gateway)
    t = Timeline.blank(size)
    t.gateway = gateway
    t.planned_end = planned_end
    t.start = planned_end - days_between(rng, 365, 730, size)
    registered = gateway - days_between(rng, 60, 200, size)
    t.registered = np.maximum(registered, t.start + days_between(rng, 30, 60, size))
    return t


def _completed(rng: np.random.Generator, stage: Stage, size: int) -> Timeline:
    """Achieved and beyond, built back from the latest certificate event."""
    sent, claimed, received = (np.full(size, NO_DATE) for _ in range(3))
    if stage == Stage.CERTIFICATE_SENT:
        sent = -days_between(rng, 1, 400, size)
        received = sent - days_between(rng, 0, 14, size)
    elif stage == Stage.CERTIFICATE_RECEIVED:
        received = -days_between(rng, 1, 30, size)
    if stage in (Stage.CERTIFICATE_SENT, Stage.CERTIFICATE_RECEIVED):
        claimed = received - days_between(rng, 5, 30, size)
    elif stage == Stage.CERTIFICATE_CLAIMED:
        claimed = -days_between(rng, 1, 45, size)
    if stage == Stage.ACHIEVED:
        achieved = -days_between(rng, 1, 45, size)
    else:
        achieved = claimed - days_between(rng, 1, 20, size)
    gateway = achieved - days_between(rng, 75, 150, size)
    planned_end = achieved + days_between(rng, -45, 45, size)
    t = _through_gateway(rng, gateway, planned_end)
    t.achieved, t.claimed, t.received, t.sent = achieved, claimed, received, sent
    return t


def _closed_after_gateway(rng: np.random.Generator, stage: Stage, size: int) -> Timeline:
    """Not achieved (every attempt at a component failed) or voided for malpractice."""
    earliest, latest = (180, 360) if stage == Stage.NOT_ACHIEVED else (60, 300)
    gateway = -days_between(rng, earliest, latest, size)
    return _through_gateway(rng, gateway, gateway + days_between(rng, 20, 120, size))


def _paused_or_left(rng: np.random.Generator, stage: Stage, size: int) -> Timeline:
    """On hold or withdrawn: some had registered before they stopped."""
    t = Timeline.blank(size)
    if stage == Stage.WITHDRAWN:
        t.planned_end = days_between(rng, -200, 400, size)
        registered_share = 0.4
    else:
        t.planned_end = days_between(rng, -30, 300, size)
        registered_share = 0.6
    t.start = _start_before(rng, t.planned_end, -60)
    registered = days_between(rng, t.start + 45, -1, size)
    t.registered = np.where(rng.random(size) < registered_share, registered, NO_DATE)
    return t


def _timeline_for(rng: np.random.Generator, stage: Stage, size: int, six_months: int) -> Timeline:
    if stage in NOT_YET_REGISTERED:
        return _not_yet_registered(rng, stage, size, six_months)
    if stage == Stage.REGISTERED:
        return _registered(rng, size)
    if stage == Stage.GATEWAY:
        gateway = -days_between(rng, 3, 120, size)
        return _through_gateway(rng, gateway, gateway + days_between(rng, 20, 120, size))
    if stage in COMPLETED:
        return _completed(rng, stage, size)
    if stage in (Stage.NOT_ACHIEVED, Stage.VOID):
        return _closed_after_gateway(rng, stage, size)
    return _paused_or_left(rng, stage, size)


def _timelines(rng: np.random.Generator, stage: np.ndarray, as_of: dt.date) -> Timeline:
    six_months = months_ahead(as_of, 6)
    all_dates = Timeline.blank(len(stage))
    for s in Stage:
        mine = stage == s
        if not mine.any():
            continue
        part = _timeline_for(rng, s, int(mine.sum()), six_months)
        for name in vars(all_dates):
            getattr(all_dates, name)[mine] = getattr(part, name)
    return all_dates


# -- the caseload --------------------------------------------------------------------------

def make_learners(count: int, seed: int, as_of: dt.date) -> Learners:
    """``count`` learners with identities, programme, stage and journey dates."""
    rng = stream(seed, "learners")
    programme = allocate(rng, count, [p.weight for p in PROGRAMMES])
    stage = allocate(rng, count, list(STAGE_WEIGHTS.values()))
    first, last = _names(rng, count)
    t = _timelines(stream(seed, "timelines"), stage, as_of)
    planned_achieved = t.planned_end + days_between(rng, -14, 28, count)
    return Learners(
        ref=np.strings.add("A", (100_001 + np.arange(count)).astype(str)).astype(object),
        uln=make_ulns(stream(seed, "uln"), count),
        first_name=first,
        last_name=last,
        programme=programme,
        employer=np.asarray(EMPLOYERS, dtype=object)[choose(rng, count, EMPLOYER_WEIGHTS)],
        cohort=_cohorts(programme, t.start, as_of),
        tutor=_tutors(rng, programme),
        stage=stage,
        candidate_number=_candidate_numbers(rng, programme),
        start=t.start,
        planned_end=t.planned_end,
        planned_achieved=planned_achieved,
        registered=t.registered,
        gateway=t.gateway,
        achieved=t.achieved,
        claimed=t.claimed,
        received=t.received,
        sent=t.sent,
    )
