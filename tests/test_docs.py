"""Every command has help text and is documented in the README."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import REPO

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name):
    res = CliRunner().invoke(main, [name, "--help"])
    assert res.exit_code == 0
    assert main.commands[name].help and len(main.commands[name].help) > 20


@pytest.mark.parametrize("name", COMMANDS)
def test_command_in_readme(name):
    assert f"`kg {name}" in (REPO / "README.md").read_text(encoding="utf8")


def test_readme_has_the_two_quick_start_commands():
    text = (REPO / "README.md").read_text(encoding="utf8")
    assert "pip install . && kg build " in text
    assert "pip install '.[test]' && python -m pytest -q" in text
    ci = (REPO / ".ci" / "run").read_text(encoding="utf8")
    assert "pip install '.[test]' && python -m pytest -q" in ci


def test_readme_python_examples_print_what_they_say(capsys, pipeline):
    """Each ```python block runs, and prints what its `# ...` comments show."""
    import re

    text = (REPO / "README.md").read_text(encoding="utf8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
        printed = capsys.readouterr().out.splitlines()
        promised = [m.group(1).strip() for m in re.finditer(r"print\(.*\)\s+# (.*)", block)]
        assert printed == promised
