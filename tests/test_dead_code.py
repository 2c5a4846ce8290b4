"""No dead constants: every upper-case name a module of regcert_xl defines at its top level is
used somewhere in the package (beyond its own definition)."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "regcert_xl"


def test_every_module_constant_is_used():
    sources = {path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}
    everything = "\n".join(sources.values())
    unused = []
    for path, text in sources.items():
        for node in ast.parse(text).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            for target in targets:
                constant = isinstance(target, ast.Name) and re.fullmatch(r"_?[A-Z][A-Z0-9_]+", target.id)
                if constant and len(re.findall(rf"\b{target.id}\b", everything)) < 2:
                    unused.append(f"{path.relative_to(PACKAGE)}: {target.id}")
    assert unused == []
