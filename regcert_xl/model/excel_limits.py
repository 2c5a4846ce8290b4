"""What an Excel cell can hold: text up to 32,767 characters, counted as Excel counts them
(UTF-16 code units: a character outside the Basic Multilingual Plane, an emoji, counts twice)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MAX_CELL_TEXT = 32_767
_ASTRAL = r"[\x{10000}-\x{10FFFF}]"


def excel_length(text: pa.Array) -> pa.Array:
    """Each text's length as Excel counts it."""
    return pc.add(pc.utf8_length(text), pc.count_substring_regex(text, _ASTRAL))


def too_long(text: pa.Array) -> pa.Array:
    """Per value: over what a cell holds. Only values of more bytes than that are counted (a
    UTF-16 unit takes at least one byte of UTF-8), so the usual column costs one length pass."""
    long_bytes = pc.fill_null(pc.greater(pc.binary_length(text), MAX_CELL_TEXT), False)
    if not pc.any(long_bytes).as_py():
        return long_bytes
    return pc.and_(long_bytes, pc.fill_null(pc.greater(excel_length(text), MAX_CELL_TEXT), False))


def fit_cell_text(text: pa.Array) -> pa.Array:
    """Text cut to what a cell holds. Over-long values are rare and each is cut on its own."""
    over = too_long(text)
    if not pc.any(over).as_py():
        return text
    cut = [_cut(value) for value in pc.filter(text, over).to_pylist()]
    return pc.replace_with_mask(text, over, pa.array(cut, text.type))


def _cut(value: str) -> str:
    """The longest start of ``value`` that fits, in UTF-16 units."""
    points = np.frombuffer(value.encode("utf-32-le"), dtype=np.uint32)
    units = np.cumsum(np.where(points > 0xFFFF, 2, 1))
    return value[:int(np.searchsorted(units, MAX_CELL_TEXT, side="right"))]
