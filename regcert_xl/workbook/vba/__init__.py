"""The workbook's VBA project: the xlwings module from the installed xlwings and ours from
``macros/``, assembled in pure Python (no Excel, no LibreOffice)."""
