"""Column-wise helpers used across the core: joining text per group and computing on the
distinct values of repetitive columns, without a Python call per row or per group."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def join_groups(values: pd.Series, keys: pd.Series, sep: str = ", ", unique: bool = False) -> pd.Series:
    """Per key, its values joined in order (``unique``: each value once). Index: the keys."""
    frame = pd.DataFrame({"key": keys, "value": values}).dropna()
    if unique:
        frame = frame.drop_duplicates()
    if frame.empty:
        return pd.Series(dtype=object)
    frame["pos"] = frame.groupby("key", sort=False).cumcount()
    wide = frame.set_index(["key", "pos"])["value"].astype(str).unstack("pos")
    joined = wide[0].astype(object)
    for column in wide.columns[1:]:
        joined = joined + (sep + wide[column]).fillna("")
    return joined


def on_distinct(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``func`` applied to the distinct values only, mapped back to every row."""
    distinct = values.dropna().drop_duplicates()
    if len(distinct) * 2 > len(values):
        return func(values)
    mapped = func(distinct)
    lookup = pd.Series(mapped.to_numpy(), index=distinct.to_numpy())
    out = values.map(lookup)
    return out.astype(mapped.dtype) if len(mapped) else out
