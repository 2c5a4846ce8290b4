"""Excel writing: styling, layout and the package. No flag is computed here."""

from regcert_xl.workbook.writer import write_workbook

__all__ = ["write_workbook"]
