"""A table of records in canonical form, with everything needed to write it back untouched."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd


@dataclass(frozen=True)
class Column:
    """One column of the source, in source order."""

    header: str
    field: str | None  # canonical field, or None when the column is kept as it is
    position: int  # position in the source (key into ``Table.extras`` for kept columns)
    duplicate_of: str | None = None  # a second header for a field already mapped


@dataclass(frozen=True)
class ODataPage:
    """What an OData page says about paging: its file, how many records it holds, the
    ``@odata.nextLink`` to the page after it and the ``@odata.count`` of the whole query."""

    file: str
    rows: int
    next_link: str | None = None
    count: int | None = None


@dataclass
class Table:
    """Records of one kind (``qualifications`` or ``assessments``).

    ``data`` holds the canonical typed columns that the source has, plus derived identity
    columns (``_learner_key``, ``_qual_key``, ``_learner_name``). ``extras`` holds every other
    column exactly as read, keyed by source position. ``origin`` says where each record came
    from (sheet, row as the user sees it). ``invalid`` keeps, per field, the raw values that
    could not be read; ``repaired`` the raw values that were repaired.
    """

    record: str
    label: str
    data: pd.DataFrame
    extras: pd.DataFrame
    columns: list[Column]
    origin: pd.DataFrame
    invalid: dict[str, pd.Series] = field(default_factory=dict)
    repaired: dict[str, pd.Series] = field(default_factory=dict)
    header_row: int | None = 1
    source: str = ""  # the file (and sheet) the records were read from; kept through relabel
    profile: str = ""  # the system the export came from (a source profile's name)
    pages: tuple[ODataPage, ...] = ()  # the OData pages read, in the order given

    def __post_init__(self) -> None:
        self.source = self.source or self.label

    def __len__(self) -> int:
        return len(self.data)

    def has(self, name: str) -> bool:
        return name in self.data.columns

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.columns if c.field is not None and c.duplicate_of is None]

    def header_for(self, name: str) -> str:
        """The header the user sees for a field (their spelling when the source has it)."""
        for c in self.columns:
            if c.field == name and c.duplicate_of is None:
                return c.header
        from regcert_xl.model.fields import field_map

        f = field_map(self.record).get(name)
        return f.label if f else name

    def column(self, name: str) -> pd.Series:
        """A canonical column, or an all-blank one of the right length when the source lacks it."""
        if name in self.data.columns:
            return self.data[name]
        return pd.Series(pd.NA, index=self.data.index, dtype=object)

    def on_sheet(self, sheet: str) -> Table:
        """The same records, said to be on ``sheet`` (their row numbers unchanged)."""
        origin = self.origin.assign(sheet=sheet)
        return replace(self, origin=origin, label=sheet)

    def relabel(self, sheet: str, first_row: int = 2) -> Table:
        """The same records as written to a sheet: origin becomes that sheet's rows."""
        origin = pd.DataFrame(
            {"sheet": sheet, "row": range(first_row, first_row + len(self.data))}, index=self.data.index
        )
        return replace(self, origin=origin, label=sheet, header_row=first_row - 1)
