"""Everything a user can meet is documented in the README."""

from pathlib import Path

from regcert_xl.model.issues import CATALOGUE

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_issue_code_is_documented():
    missing = [code for code in CATALOGUE if f"`{code}`" not in README]
    assert missing == []


def test_readme_commands_are_the_ci_commands():
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    test_command = 'python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && .venv/bin/python -m pytest'
    assert test_command in README
    assert test_command in ci
