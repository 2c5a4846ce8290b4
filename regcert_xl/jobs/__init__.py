"""The jobs (build, refresh, import, snapshot, upload-file, learner, evaluate), each defined
once over frames; the CLI, the Python API and the Excel buttons are thin adapters. Validate,
flags and actions are the loading and evaluate jobs read through the evaluation stage's own
report (evaluate.validation.validate_tables, reports.flag_list, reports.actions).

loading      exports read -> Inputs            evaluating  evaluate, as at a date, in place
building     build and template                refreshing  the refresh job (in_place: the rewrite)
importing    merge a newer export              snapshot    save the records in the store
upload       the Import and Update CSV         learner     one learner's record
history      the store, its view, identity     sheets      evaluate for a workbook, write it
settings     the settings in force             in_place    a workbook read and rewritten in place
"""
