"""Records -> report workbook: evaluate for the as-of date, build every sheet's sections, write."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from regcert_xl.evaluate.evaluation import Evaluation, evaluate_tables
from regcert_xl.model.table import Table
from regcert_xl.progress import Progress
from regcert_xl.reports import REPORTS
from regcert_xl.reports.base import Report, Section, memo


def evaluate_for_workbook(qualifications: Table, assessments: Table | None, settings, as_of, *,
                          previous: Table | None = None, status_dates=None, learner: str | None = None,
                          refreshed: dt.datetime | None = None, in_place: bool = False,
                          history=None, import_paths: dict[str, str] | None = None) -> Evaluation:
    """Evaluate with records placed on their sheets, so issue rows are the rows the user sees
    (``in_place``: the records were read from those sheets and keep their rows)."""
    place = (lambda t, name: t.on_sheet(name)) if in_place else (lambda t, name: t.relabel(name))
    q = place(qualifications, "Qualifications")
    a = place(assessments, "Assessments") if assessments is not None else None
    ev = evaluate_tables(q, a, settings, as_of, previous=previous, status_dates=status_dates, history=history)
    return replace(ev, chosen_learner=learner, refreshed=refreshed or dt.datetime.now().replace(microsecond=0),
                   import_paths=import_paths or {})


def build_sections(ev: Evaluation) -> list[tuple[Report, list[Section]]]:
    return [(report, memo(ev, report.name, report.build)) for report in REPORTS]


def write(ev: Evaluation, output: Path, *, progress: Progress | None = None,
          identity: tuple[str, str] = ("", "")) -> Path:
    """The workbook at ``output``; an .xlsm gets the VBA project and the buttons. A workbook
    already there is kept as ``<output>.bak``. ``identity``: its GUID and its history store (see
    :class:`~regcert_xl.workbook.manifest.Manifest`)."""
    from regcert_xl.workbook import package, write_workbook

    sections = build_sections(ev)
    vba = None
    if Path(output).suffix.lower() == ".xlsm":
        from regcert_xl.workbook.vba.template import build_vba_project

        vba = build_vba_project(len(sections))
    def save(target: Path) -> None:
        write_workbook(target, sections, ev.settings, vba_project=vba, progress=progress, created=ev.refreshed,
                       identity=identity)

    if Path(output).exists():
        package.save_with_backup(Path(output), save)
    else:
        save(Path(output))
    return Path(output)
