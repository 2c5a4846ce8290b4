"""What a report builder returns: sections of a sheet, each a frame with a stable table name.

Builders are core code: they say what each column *is* (a flag, a RAG, a rate, a date, a
link), never how it looks; the workbook layer turns kinds into formats.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Required, TypedDict, TypeVar

import pandas as pd

from regcert_xl.model.columns import ColumnKind


@dataclass(frozen=True)
class Lookup:
    """A section whose rows are looked up live from another sheet for the learner chosen on
    the Learner sheet: row n shows the source row whose ``key_column`` is '<learner>#<n>'
    (or, with ``single``, the row whose ``key_column`` is the learner)."""

    sheet: str
    key_column: str
    columns: dict[str, str]  # shown header -> source header
    rows: int
    single: bool = False
    chosen: str | None = None  # the learner whose values are cached


class Chart(TypedDict, total=False):
    """A chart drawn beside a section's table: one series per ``values`` column."""

    type: Required[str]  # "bar" | "column"
    categories: Required[str]  # the column along the axis
    values: Required[list[str]]
    title: str
    stacked: bool
    percent: bool  # values axis shown as percentages
    skip_last_row: bool  # e.g. a totals row


@dataclass
class Section:
    """One table on a sheet."""

    table: str  # Excel table name, stable across builds (tblActions …)
    title: str
    frame: pd.DataFrame
    kinds: dict[str, ColumnKind] = field(default_factory=dict)
    note: str = ""
    generated_from: str | None = None  # first generated column of a record sheet
    chart: Chart | None = None
    lookup: Lookup | None = None
    # LINK columns: column -> the cell they jump to ('Sheet'!C3), or None when the value is the target
    links: dict[str, str | None] = field(default_factory=dict)
    # columns that take a known set of values: column -> list name (see vocab.choice_lists)
    choices: dict[str, str] = field(default_factory=dict)

    def kind(self, column: str) -> ColumnKind:
        if column in self.kinds:
            return self.kinds[column]
        dtype = self.frame[column].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return ColumnKind.DATE
        if pd.api.types.is_integer_dtype(dtype):
            return ColumnKind.INT
        return ColumnKind.TEXT


@dataclass(frozen=True)
class Report:
    """A sheet: its fixed name, a title and what builds it."""

    name: str
    title: str
    build: Callable[..., list[Section]]
    protected: bool = True  # generated sheets are protected against accidental edits


_BUILT: weakref.WeakKeyDictionary[object, dict[str, list[Any]]] = weakref.WeakKeyDictionary()
_T = TypeVar("_T")


def memo(ev, name: str, build: Callable[..., list[_T]]) -> list[_T]:
    """A sheet's sections, built once per evaluation (other sheets reuse them). The memo is kept
    beside the evaluation, not in it, and goes when the evaluation goes."""
    built = _BUILT.setdefault(ev, {})
    if name not in built:
        built[name] = build(ev)
    return built[name]


def quoted(sheet: str) -> str:
    """A sheet name as a formula writes it: 'Bob''s sheet'."""
    return "'" + sheet.replace("'", "''") + "'"


def renamed_links(section: Section, names: dict[str, str]) -> Section:
    """The section with its links pointing at the sheets as the admin named them (in one pass, so
    two sheets that swapped names each get the other's)."""
    moved = {quoted(k) + "!": quoted(v) + "!" for k, v in names.items() if k != v}
    if not section.links or not moved:
        return section
    pattern = "|".join(re.escape(before) for before in sorted(moved, key=len, reverse=True))
    frame, links = section.frame.copy(), dict(section.links)
    for column, target in section.links.items():
        if target is None and column in frame.columns:
            frame[column] = frame[column].astype("string").str.replace(pattern, lambda m: moved[m.group(0)],
                                                                       regex=True)
        elif target is not None:
            links[column] = re.sub(pattern, lambda m: moved[m.group(0)], target)
    return replace(section, frame=frame, links=links)
