"""The jobs (build, refresh, import, snapshot, upload-file, learner, validate, flags), each
defined once over frames; the CLI, the Python API and the Excel buttons are thin adapters."""
