"""Dates of a record in lifecycle order (§3): e.g. achieved not before registered."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.issues import fill
from regcert_xl.model.lifecycle import DATE_ORDER
from regcert_xl.rules.base import Context, emit, uk

CODES = ("DATE_ORDER",)


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    q = ctx.qualifications
    for earlier, later in DATE_ORDER:
        if not (q.has(earlier) and q.has(later)):
            continue
        first, second = q.data[earlier], q.data[later]
        wrong = second < first
        if not wrong.any():
            continue
        yield emit(q, wrong, "DATE_ORDER",
                   fill("{lh} {ld} is before {eh} {ed}", lh=q.header_for(later), ld=uk(second[wrong]),
                        eh=q.header_for(earlier), ed=uk(first[wrong])),
                   column=later, values=second)
