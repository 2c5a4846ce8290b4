"""Column-wise helpers used across the core: joining text per group and computing on the
distinct values of repetitive columns, without a Python call per row or per group."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
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
    """``func`` applied to the distinct values only, spread back to every row (by the codes of a
    factorisation, so no per-row lookup)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) * 2 > len(values):
        return func(values)
    mapped = func(pd.Series(uniques, dtype=values.dtype)).reset_index(drop=True)
    if not len(mapped):
        return pd.Series(pd.NA, index=values.index, dtype=object)
    spread = mapped.take(np.where(codes < 0, 0, codes))
    if (codes < 0).any():
        spread = spread.where(codes >= 0)
    return spread.set_axis(values.index)


def arrow_text(values: pd.Series):
    """A text column as an Arrow string array, without going through Python objects when it is
    already Arrow-backed."""
    import pyarrow as pa

    text = values.astype("string[pyarrow]")
    arr = pa.array(text.array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def text_block(frame: pd.DataFrame) -> tuple[list, object]:
    """The frame's text columns (Arrow-backed string dtype) as one Arrow array, column after
    column, and their labels: a kernel over it computes on every column at once, and its result
    reshaped to ``(len(labels), len(frame))`` gives one row per column. Wide frames (thousands
    of columns) then cost one Arrow pass, not a pandas call per column."""
    import pyarrow as pa

    labels: list = []
    chunks: list[pa.Array] = []
    for label, values in frame.items():
        if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(values.dtype):
            arr = pa.array(values.array)
            chunks += arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
            labels.append(label)
    if len({c.type for c in chunks}) > 1:
        chunks = [c.cast(pa.large_string()) for c in chunks]
    return labels, pa.chunked_array(chunks, type=chunks[0].type if chunks else pa.large_string())


def lookup(values: pd.Series, keys: pd.Series, targets: pd.Series) -> pd.Series:
    """For each value, the target whose key it equals (first match), NA when none — Arrow's
    hash kernel instead of a pandas map over text."""
    import pyarrow.compute as pc

    positions = pc.index_in(arrow_text(values), value_set=arrow_text(keys), skip_nulls=True)
    found = pc.is_valid(positions).to_numpy(zero_copy_only=False)
    if not len(targets) or not found.any():
        return pd.Series(pd.NA, index=values.index, dtype=object)
    at = pc.fill_null(positions, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    taken = targets.iloc[at].set_axis(values.index)  # the targets' own type, no Python objects
    return taken.where(found)


def python_values(values: pd.Series) -> pd.Series:
    """The values as Python objects, None where missing; dates become datetimes in one C-level
    conversion (not a Timestamp per cell)."""
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return pd.Series(values.to_numpy(dtype="datetime64[us]").astype(object), index=values.index, dtype=object)
    return values.astype(object).where(values.notna(), None)


def joined_key(*parts: pd.Series) -> pd.Series:
    """One text key from several columns ('a|b'), for fast membership tests and lookups;
    NA when any part is NA."""
    key = parts[0].astype("string")
    for part in parts[1:]:
        key = key + "|" + part.astype("string")
    return key


def member(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """Per value: is it among ``allowed`` (text keys; NA is never a member) — Arrow's hash kernel,
    far quicker than a pandas isin on Arrow strings."""
    import pyarrow.compute as pc

    known = pc.unique(arrow_text(allowed).drop_null())
    found = pc.fill_null(pc.is_in(arrow_text(values), value_set=known), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def contains_any(text: pd.Series, keys: list[str]) -> pd.Series:
    """Per value: does its matching key contain any of ``keys`` (worked out per distinct value)."""
    from regcert_xl.model.identity import norm_key

    def test(distinct: pd.Series) -> pd.Series:
        normalised = norm_key(distinct).fillna("")
        hit = pd.Series(False, index=distinct.index)
        for k in keys:
            hit |= normalised.str.contains(k, regex=False).fillna(False).astype(bool)
        return hit

    if not keys:
        return pd.Series(False, index=text.index)
    return on_distinct(text.astype("string"), test).fillna(False).astype(bool)
