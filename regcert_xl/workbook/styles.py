"""How the workbook looks: one place for colours and formats. Formats are made once per
(kind, shading) and shared by whole columns, never per cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from regcert_xl.evaluate.flags import FLAGS
from regcert_xl.reports.base import ColumnKind

FONT = "Calibri"
DATE_FORMAT = "dd/mm/yyyy"
INK = "#1F2937"
ACCENT = "#1F4E78"  # headers of the admin's own columns
GENERATED = "#595959"  # headers of generated columns
GENERATED_FILL = "#F2F2F2"
CHOOSER_FILL = "#FFF2CC"

RAG_COLOURS = {  # fill, font
    "RED": ("#FFC7CE", "#9C0006"),
    "AMBER": ("#FFEB9C", "#7F4F00"),
    "BLUE": ("#BDD7EE", "#1F4E78"),
    "GREEN": ("#C6EFCE", "#006100"),
    "GREY": ("#E7E6E6", "#595959"),
}
SEVERITY_RAG = {"error": "RED", "warning": "AMBER", "info": "GREY"}
# component flags on the Assessments sheet
COMPONENT_FLAG_RAG = {"RESIT_REQUIRED": "RED", "RESULT_OVERDUE": "RED", "RESULT_PENDING": "GREEN",
                      "RESIT_BOOKED": "AMBER", "BOOKED": "GREEN", "PASSED": "GREEN", "EARLIER_ATTEMPT": "GREY",
                      "NOT_AN_ATTEMPT": "GREY", "NO_QUALIFICATION": "RED"}
FLAG_RAG = {f.name: f.rag for f in FLAGS} | COMPONENT_FLAG_RAG

TABLE_STYLE = "Table Style Light 9"

NUMBER_FORMATS = {
    ColumnKind.DATE: DATE_FORMAT,
    ColumnKind.INT: "#,##0;-#,##0;0",
    ColumnKind.ID: "0",
    ColumnKind.RATE: "0%",
}


@dataclass
class Styles:
    """The formats of one workbook."""

    book: Workbook
    _cells: dict[tuple[str, bool], Format] = field(default_factory=dict)

    def __post_init__(self) -> None:
        b = self.book
        self.title = b.add_format({"bold": True, "font_size": 16, "font_color": ACCENT, "font_name": FONT})
        self.subtitle = b.add_format({"bold": True, "font_size": 12, "font_color": ACCENT, "font_name": FONT})
        self.note = b.add_format({"italic": True, "font_color": "#595959", "font_name": FONT,
                                  "text_wrap": False})
        self.label = b.add_format({"bold": True, "font_color": INK, "font_name": FONT})
        self.chooser = b.add_format({"bold": True, "bg_color": CHOOSER_FILL, "border": 1, "border_color": "#BF9000",
                                     "font_name": FONT, "locked": False, "num_format": "@"})
        self.header = b.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": ACCENT, "font_name": FONT,
                                    "valign": "vcenter", "text_wrap": True, "border": 1, "border_color": "#FFFFFF"})
        self.header_generated = b.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": GENERATED,
                                              "font_name": FONT, "valign": "vcenter", "text_wrap": True,
                                              "border": 1, "border_color": "#FFFFFF", "left": 5,
                                              "left_color": INK})
        self.rag = {rag: b.add_format({"bg_color": fill, "font_color": font, "bold": True})
                    for rag, (fill, font) in RAG_COLOURS.items()}

    def cell(self, kind: ColumnKind, shaded: bool = False, first_generated: bool = False) -> Format:
        """The format of a data cell of this kind (shaded: a generated column)."""
        key = (f"{kind.value}:{first_generated}", shaded)
        if key not in self._cells:
            props: dict[str, object] = {"font_name": FONT, "valign": "top"}
            if kind in NUMBER_FORMATS:
                props["num_format"] = NUMBER_FORMATS[kind]
            if kind in (ColumnKind.FLAG, ColumnKind.RAG):
                props["bold"] = True
            if kind is ColumnKind.LINK:
                props |= {"font_color": "#0563C1", "underline": 1}
            if kind is ColumnKind.INPUT:
                props |= {"locked": False, "bg_color": CHOOSER_FILL, "border": 1, "border_color": "#BF9000"}
            if shaded:
                props |= {"bg_color": GENERATED_FILL}
            if first_generated:
                props |= {"left": 5, "left_color": INK}
            self._cells[key] = self.book.add_format(props)
        return self._cells[key]
