"""Sample exports bundled with the package (the demo) and their generator
(:mod:`regcert_xl.samples.generate`).

The bundled files are regenerated with::

    python -m regcert_xl.samples.generate --learners 300 --seed 7 --as-of 2026-11-23 \\
        --out regcert_xl/samples/data
"""

from __future__ import annotations

import json
from pathlib import Path

SAMPLES_DIR = Path(__file__).parent / "data"


def demo_inputs() -> tuple[Path, Path, str]:
    """The bundled qualifications and assessments exports and their as-of date (YYYY-MM-DD)."""
    info = json.loads((SAMPLES_DIR / "sample.json").read_text(encoding="utf-8"))
    return SAMPLES_DIR / "qualifications.csv", SAMPLES_DIR / "assessments.csv", str(info["as_of"])
