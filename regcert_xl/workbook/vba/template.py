"""The VBA project of the macro-enabled workbook, assembled when the workbook is written.

It starts from the project inside the installed xlwings' standalone quickstart workbook (so
the xlwings module always matches the installed xlwings and is never copied into this
repository), drops the quickstart's sample module, gives the workbook one document module per
sheet, and adds our modules from ``macros/``.
"""

from __future__ import annotations

import importlib.resources
import io
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

from regcert_xl.workbook.vba.cfb import write_cfb
from regcert_xl.workbook.vba.project import Project


@dataclass(frozen=True)
class Button:
    macro: str
    caption: str
    tip: str


@dataclass(frozen=True)
class TemplateSpec:
    modules: list[str]
    xlwings_template: str
    drop_modules: list[str]
    buttons: list[Button]


def template_spec() -> TemplateSpec:
    text = importlib.resources.files("regcert_xl.workbook_templates").joinpath("template.toml").read_text("utf-8")
    data = tomllib.loads(text)
    vba = data["vba"]
    return TemplateSpec(vba["modules"], vba["xlwings_template"], vba.get("drop_modules", []),
                        [Button(**b) for b in data.get("buttons", [])])


def macro_source(name: str) -> str:
    return importlib.resources.files("regcert_xl.macros").joinpath(name).read_text("utf-8")


def xlwings_folder() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


def xlwings_streams(template: str) -> dict[str, bytes]:
    """Every stream of the VBA project inside the installed xlwings' template workbook."""
    path = xlwings_folder() / template
    if not path.is_file():
        raise FileNotFoundError(f"the installed xlwings has no {template}; reinstall xlwings")
    with zipfile.ZipFile(path) as book:
        data = book.read("xl/vbaProject.bin")
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        return {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}


def build_vba_project(sheet_count: int, spec: TemplateSpec | None = None) -> bytes:
    """vbaProject.bin for a workbook of ``sheet_count`` sheets (code names Sheet1..N)."""
    spec = spec or template_spec()
    project = Project.from_streams(xlwings_streams(spec.xlwings_template))
    for name in spec.drop_modules:
        project.remove_module(name)
    documents = [m.name for m in project.modules if m.kind == "Document"]
    wanted = ["ThisWorkbook"] + [f"Sheet{i}" for i in range(1, sheet_count + 1)]
    template_sheet = next(d for d in documents if d != "ThisWorkbook")
    for name in wanted:
        if name not in documents:
            project.add_document_module_like(name, template_sheet)
    for name in documents:
        if name not in wanted:
            project.remove_module(name)
    for file in spec.modules:
        project.add_standard_module(Path(file).stem, macro_source(file))
    return write_cfb(project.to_streams())
