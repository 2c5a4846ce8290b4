"""The evaluation stage: validation, the lifecycle judged, assessments analysed, flags and the
learner roll-up, for an as-of date. Frames in, frames out; no file or Excel I/O."""
