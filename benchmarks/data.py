"""Seeded benchmark exports: S, L and XL (assessment rows at Excel's limit).

The product's sample generator makes about one assessment event per qualification record; a real
provider's history has more (practice tests and mocks logged along the way), so past mock events
are added, column-wise, until there are about two per record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from regcert_xl.samples.generate import DEFAULT_AS_OF, generate

HERE = Path(__file__).parent
DATA = HERE / "data"
EXCEL_ROWS = 1_048_575


@dataclass(frozen=True)
class Size:
    name: str
    learners: int
    assessments: int | None  # exact number of assessment rows wanted (None: about two per record)


SIZES = {
    "S": Size("S", 5_000, None),
    "L": Size("L", 25_000, None),
    "XL": Size("XL", 126_000, EXCEL_ROWS),
}


def with_practice_events(assessments: pd.DataFrame, wanted: int, seed: int) -> pd.DataFrame:
    """Add past mock events (copies of real events' learner and component, earlier, as mocks)."""
    extra = wanted - len(assessments)
    if extra <= 0:
        return assessments.iloc[:wanted]
    rng = np.random.default_rng(seed)
    picked = assessments.iloc[rng.integers(0, len(assessments), extra)].copy()
    dates = pd.to_datetime(picked["Assessment Date"], format="%d/%m/%Y", errors="coerce")
    earlier = dates - pd.to_timedelta(rng.integers(20, 120, extra), unit="D")
    picked["Assessment Date"] = earlier.dt.strftime("%d/%m/%Y").fillna("")
    picked["Type"] = "Mock"
    picked["Attempt"] = ""
    picked["Status"] = "Result Received"
    passed = rng.random(extra) < 0.7
    picked["Result"] = np.where(passed, "Pass", "Fail")
    picked["Grade"] = np.where(passed, "Pass", "")
    return pd.concat([assessments, picked], ignore_index=True)


def ensure(size: str, seed: int = 11) -> tuple[Path, Path]:
    """The size's exports as CSV (made once, kept under benchmarks/data/)."""
    spec = SIZES[size]
    folder = DATA / size
    q_path, a_path, info = folder / "qualifications.csv", folder / "assessments.csv", folder / "info.json"
    if info.exists() and json.loads(info.read_text()).get("learners") == spec.learners:
        return q_path, a_path
    folder.mkdir(parents=True, exist_ok=True)
    qualifications, assessments = generate(spec.learners, seed=seed, as_of=DEFAULT_AS_OF, problems=True)
    wanted = spec.assessments or 2 * len(qualifications)
    assessments = with_practice_events(assessments, wanted, seed)
    qualifications.to_csv(q_path, index=False, encoding="utf-8-sig")
    assessments.to_csv(a_path, index=False, encoding="utf-8-sig")
    info.write_text(json.dumps({"learners": spec.learners, "qualifications": len(qualifications),
                                "assessments": len(assessments), "seed": seed, "as_of": str(DEFAULT_AS_OF)}))
    return q_path, a_path
