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
    """The refresh, the Excel buttons, `learner --book` and `upload-file` evaluate a workbook's
    records where they stand through jobs.evaluating.evaluate_in_place; nothing else asks for it."""
    asking = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                    if any(isinstance(node, ast.keyword) and node.arg == "in_place"
                           for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert asking == ["jobs/evaluating.py"]


API_USES = ("regcert_xl.jobs", "regcert_xl.model", "regcert_xl.progress", "regcert_xl.workbook.lock",
            "regcert_xl.workbook.destination", "regcert_xl.evaluate", "regcert_xl.reports")


def test_the_python_api_hands_over_to_the_jobs():
    """api.py holds no job: each public function is one statement after its docstring, and it
    imports only the jobs, the model, the types it returns, the flag and action lists over an
    evaluation, and the workbook's lock."""
    tree = ast.parse((PACKAGE / "api.py").read_text(encoding="utf-8"))
    public = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    assert len(public) == 12
    bodies = {n.name: [s for s in n.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
              for n in public}
    assert {name: len(body) for name, body in bodies.items() if len(body) != 1} == {}
    used = {name for name in _imports(PACKAGE / "api.py") if name.startswith("regcert_xl.")}
    assert sorted(name for name in used
                  if not any(name == a or name.startswith(a + ".") or a.startswith(name + ".") for a in API_USES)) == []
