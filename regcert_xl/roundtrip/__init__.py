"""The round trip with the system of record: a newer export merged into the workbook's records
(local edits kept, conflicts listed), and the upload file for edits made in the workbook."""
