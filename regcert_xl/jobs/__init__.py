"""The jobs (build, refresh, import, snapshot, upload-file, learner, validate, flags), each
defined once over frames; the CLI, the Python API and the Excel buttons are thin adapters.

loading      exports read -> Inputs            evaluating  evaluate, as at a date, in place
building     build and template                refreshing  the refresh job (refresh: in place)
importing    merge a newer export              snapshot    save the records in the store
upload       the Import and Update CSV         learner     one learner's record
history      the store, its view, identity     sheets      evaluate for a workbook, write it
settings     the settings in force
"""
