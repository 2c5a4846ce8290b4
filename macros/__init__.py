"""VBA sources of the workbook template (package data: regcert_xl.macros)."""
