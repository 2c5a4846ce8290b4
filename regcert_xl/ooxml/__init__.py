"""Office Open XML packages (the zip of parts inside an .xlsx/.xlsm): reading them lazily and
safely, relationships, content types. Used by the readers (checks) and the workbook writer."""
