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


def test_every_flag_is_documented():
    from regcert_xl.evaluate.flags import FLAGS

    assert [f.name for f in FLAGS if f"| `{f.name}` |" not in README] == []


def test_every_setting_is_documented_with_its_default():
    from regcert_xl.model.settings import describe_settings

    missing = [key for key, default, _ in describe_settings()
               if f"| `{key}` | {default if default else '(blank)'} |" not in README]
    assert missing == []


def test_every_setting_has_a_description():
    from regcert_xl.model.settings import Settings

    assert [name for name, field in Settings.model_fields.items() if not field.description] == []
