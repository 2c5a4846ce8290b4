"""Gateway, achieved and certificate dates cannot be after the as-of date."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.issues import fill
from regcert_xl.model.lifecycle import NOT_IN_FUTURE
from regcert_xl.rules.base import Context, emit, uk

CODES = ("DATE_IN_FUTURE",)


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    q = ctx.qualifications
    as_of = ctx.as_of.strftime("%d/%m/%Y")
    for name in NOT_IN_FUTURE:
        if not q.has(name):
            continue
        dates = q.data[name]
        future = dates > ctx.as_of
        if future.any():
            yield emit(q, future, "DATE_IN_FUTURE",
                       fill("{h} {d} is after {as_of}: it cannot have happened yet",
                            h=q.header_for(name), d=uk(dates[future]), as_of=as_of),
                       column=name, values=dates)
