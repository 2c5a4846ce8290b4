"""What the macro-enabled workbook template is built from (package data: regcert_xl.workbook_templates)."""
