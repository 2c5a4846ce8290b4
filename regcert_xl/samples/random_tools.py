"""Small vectorised helpers the sample generator shares: named random streams, uniform day
offsets, exact-quota allocation and dd/mm/yyyy formatting of day offsets.

Dates are carried as float day offsets from the as-of date (``0`` = as-of, negative = past,
``NaN`` = blank) so arithmetic stays vectorised and blanks propagate for free.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

NO_DATE = np.nan


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per concern, so changing one part of the generator does
    not reshuffle the others."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def days_between(rng: np.random.Generator, lo: np.ndarray | float, hi: np.ndarray | float,
                 size: int) -> np.ndarray:
    """Whole days drawn uniformly from [lo, hi] (inclusive); where hi < lo, lo."""
    lo_arr = np.broadcast_to(np.asarray(lo, dtype=float), (size,))
    hi_arr = np.maximum(np.broadcast_to(np.asarray(hi, dtype=float), (size,)), lo_arr)
    return lo_arr + np.floor(rng.random(size) * (hi_arr - lo_arr + 1))


def allocate(rng: np.random.Generator, size: int, weights: Sequence[float]) -> np.ndarray:
    """Category codes 0..k-1 in exact proportion to ``weights`` (largest remainder), shuffled.

    Unlike independent draws this guarantees every category with a weight of at least half
    a record appears, which keeps the small demo sample covering every status.
    """
    w = np.asarray(weights, dtype=float)
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    exact = w / w.sum() * size
    counts = np.floor(exact).astype(np.int64)
    shortfall = size - int(counts.sum())
    if shortfall:
        counts[np.argsort(-(exact - counts), kind="stable")[:shortfall]] += 1
    return rng.permutation(np.repeat(np.arange(len(w)), counts))


def choose(rng: np.random.Generator, size: int, weights: Sequence[float]) -> np.ndarray:
    """Independent weighted draws of category codes 0..k-1."""
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cumulative / cumulative[-1], rng.random(size), side="right")


def months_ahead(as_of: dt.date, months: int) -> int:
    """Days from ``as_of`` to the same day ``months`` calendar months later."""
    later = pd.Timestamp(as_of) + pd.DateOffset(months=months)
    return int((later - pd.Timestamp(as_of)).days)


def format_days(offsets: np.ndarray, as_of: dt.date, pattern: str = "%d/%m/%Y") -> np.ndarray:
    """Day offsets from ``as_of`` as text (object array); NaN becomes ''.

    Each distinct day is formatted once and looked up, so a million dates cost a few
    hundred strftime calls.
    """
    out = np.full(offsets.shape, "", dtype=object)
    present = ~np.isnan(offsets)
    if not present.any():
        return out
    days = offsets[present].astype(np.int64)
    first, last = int(days.min()), int(days.max())
    calendar = pd.date_range(pd.Timestamp(as_of) + pd.Timedelta(days=first), periods=last - first + 1)
    table = calendar.strftime(pattern).to_numpy(dtype=object)
    out[present] = table[days - first]
    return out


def digits_text(values: np.ndarray) -> np.ndarray:
    """Non-negative integers as decimal text (object array)."""
    return np.asarray(values, dtype=np.int64).astype(str).astype(object)
