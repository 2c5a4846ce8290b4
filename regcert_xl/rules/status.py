"""Statuses recognised (§3), and the fields each status requires present."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.fields import field_map
from regcert_xl.model.issues import fill
from regcert_xl.model.lifecycle import MAX_RANK, RANK_NAMES, REQUIRED_FIELDS, STATUSES, UNKNOWN
from regcert_xl.rules.base import Context, blank, emit, emit_file

CODES = ("STATUS_UNKNOWN", "STATUS_MISSING_FIELD")


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    q = ctx.qualifications
    if not q.has("status"):
        return
    resolved = ctx.statuses
    unknown = resolved["category"] == UNKNOWN
    yield emit(q, unknown, "STATUS_UNKNOWN",
               fill("Status '{s}' is not recognised: use a lifecycle status ({first} … {last}) or map the "
                    "label in settings, to a lifecycle status with status_aliases (e.g. status_aliases = "
                    "{{\"{s}\" = \"{first_rank}\"}}) or to a local category with status_labels "
                    "(e.g. on_hold = [\"{s}\"])",
                    s=q.data["status"][unknown], first=STATUSES[0].name, last=RANK_NAMES[MAX_RANK],
                    first_rank=RANK_NAMES[1]),
               column="status", values=q.data["status"])
    yield from _required_fields(ctx, resolved)


def _required_fields(ctx: Context, resolved: pd.DataFrame) -> Iterator[pd.DataFrame]:
    q = ctx.qualifications
    labels = field_map("qualifications")
    rank = resolved["rank"].fillna(-1).astype(int)
    for req in REQUIRED_FIELDS:
        if req.needs_certificates and not ctx.settings.certificate_tracking:
            continue
        applies = rank >= req.from_rank
        if req.needs_registration or req.needs_certificates:
            applies &= resolved["registration_required"]  # internal stages: no registration, no certificate
        if not applies.any():
            continue
        header = q.header_for(req.field)
        if not q.has(req.field):
            yield emit_file(q, "STATUS_MISSING_FIELD",
                            f"The file has no {labels[req.field].label} column, which "
                            f"{int(applies.sum()):,} records need for their status", column=req.field)
            continue
        unreadable = pd.Series(False, index=q.data.index)
        if req.field in q.invalid:
            unreadable[q.invalid[req.field].index] = True  # already reported as DATE_INVALID
        missing = applies & blank(q.data[req.field]) & ~unreadable
        yield emit(q, missing, "STATUS_MISSING_FIELD",
                   fill("Status {s} needs {h}, which is blank", s=resolved["status_name"][missing], h=header),
                   column=req.field, severity=req.severity)
