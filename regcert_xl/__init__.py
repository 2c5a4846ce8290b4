"""regcert-xl: registration & certification and EPA tracking behind an Excel workbook."""

__version__ = "0.1.0"
