"""Report builders: one per sheet or listing, each ``build(evaluation) -> DataFrame``."""
