"""The README says what the code does: every command, option, query and exit code it documents
exists, everything that exists is documented, and its example commands parse."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main

from kg import errors
from kg.cli import app
from kg.query import list_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI = typer.main.get_command(app)
COMMANDS = sorted(CLI.commands)


def sections(level: str) -> dict[str, str]:
    """{heading: text under it} for the headings of one level ("##" or "###")."""
    parts = re.split(rf"^{level} (.+)$", README, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def code_lines(text: str) -> list[str]:
    """The non-empty lines of the fenced code blocks of `text`, comments cut off."""
    lines = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line:
                lines.append(line)
    return lines


def examples() -> list[str]:
    return [line for line in code_lines(README) if line.startswith("kg ")]


def table(section: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `section`, cells stripped."""
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def test_docs_cli_has_the_expected_commands():
    assert set(COMMANDS) >= {"build", "push", "queries", "query", "validate", "view"}


@pytest.mark.parametrize("command", COMMANDS)
def test_docs_every_command_has_a_section_and_an_example(command):
    assert f"kg {command}" in sections("###"), f"README has no '### kg {command}' section"
    assert any(shlex.split(line)[1] == command for line in examples()), f"README has no `kg {command} …` example"


@pytest.mark.parametrize("command", COMMANDS)
def test_docs_every_option_is_documented_in_its_section(command):
    section = sections("###")[f"kg {command}"]
    options = [
        name
        for param in CLI.commands[command].params
        if param.param_type_name == "option"
        for name in param.opts
        if name.startswith("--") and name != "--help"
    ]
    assert options, f"kg {command} has no options?"
    missing = [name for name in options if f"`{name}`" not in section]
    assert missing == [], f"kg {command}: options missing from the README: {missing}"


@pytest.mark.parametrize("line", examples())
def test_docs_every_example_parses(line):
    """Each `kg …` example names a real command with real options (parsed, not run)."""
    _, command, *args = shlex.split(line)
    assert command in CLI.commands, f"unknown command in README: {line}"
    try:
        CLI.commands[command].make_context(f"kg {command}", list(args))
    except Exception as error:  # click's UsageError family: unknown option, missing value...
        pytest.fail(f"README example does not parse: {line}\n{error}")


def test_docs_quick_start_is_exactly_make_run_and_make_test():
    quick_start = sections("##")["Quick start"]
    assert code_lines(quick_start) == ["make run", "make test"]


def test_docs_queries_table_lists_every_query_with_its_question():
    documented = {row[0].strip("`"): row[1] for row in table(sections("##")["Queries"])}
    assert documented == dict(list_queries(ROOT / "queries"))


def _exit_codes_of_errors_module() -> set[int]:
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.KgError)]
    return {c.exit_code for c in classes}


def test_docs_exit_codes_match_the_code():
    documented = {int(row[0]) for row in table(sections("##")["Exit codes"])}
    interrupted = 130 if "raise typer.Exit(130)" in (ROOT / "kg" / "cli.py").read_text(encoding="utf-8") else None
    assert documented == {0, interrupted} | _exit_codes_of_errors_module()
