"""The shape of the house (STYLE.md): packages import one way, the core never touches Excel,
the root holds only the entry points."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "regcert_xl"
ROOT_MODULES = {"__init__", "__main__", "api", "cli", "xl", "excel_bridge", "progress", "output"}
# the core: no xlwings, no openpyxl/XlsxWriter (the workbook layer writes, the Excel glue talks to Excel)
CORE = ("model", "read", "rules", "evaluate", "history", "reports", "roundtrip")
EXCEL_LIBRARIES = ("xlwings", "openpyxl", "xlsxwriter")


def _unit(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module imported anywhere in the file (inside functions too: a cycle hidden in a
    function is still a cycle)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    units = {_unit(_module_name(p)) for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {u: set() for u in units}
    for path in PACKAGE.rglob("*.py"):
        source = _unit(_module_name(path))
        for target in _imports(path):
            if target.startswith("regcert_xl.") and _unit(target) in units and _unit(target) != source:
                graph[source].add(_unit(target))
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_between_packages():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_root_holds_only_entry_points():
    assert {p.stem for p in PACKAGE.glob("*.py")} <= ROOT_MODULES


@pytest.mark.parametrize("package", CORE)
def test_core_never_imports_excel_libraries(package):
    offenders = sorted(
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / package).rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in EXCEL_LIBRARIES
    )
    assert offenders == []


def test_model_is_the_bottom_layer():
    graph = _graph()
    model_units = {u for u in graph if u == "regcert_xl.model"}
    assert all(target in model_units or target == "regcert_xl.progress"
               for u in model_units for target in graph[u])


def test_a_workbooks_records_are_evaluated_in_place_by_one_function():
    """The Excel buttons, `learner --book` and `upload-file` evaluate a workbook's records where
    they stand through jobs.evaluating.evaluate_in_place; no adapter assembles that itself."""
    adapters = [PACKAGE / f"{name}.py" for name in ROOT_MODULES]
    assert [p.name for p in adapters if p.exists() and "in_place=True" in p.read_text(encoding="utf-8")] == []
