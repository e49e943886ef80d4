"""`kg --help`, `kg queries` and `kg query` never import spaCy (they start fast and work without it)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")
MINI = ROOT / "tests" / "data" / "mini.ttl"
QUERIES = ROOT / "queries"

COMMANDS = {
    "help": ["--help"],
    "build-help": ["build", "--help"],
    "queries": ["queries", "--dir", str(QUERIES)],
    "query": ["query", "people", "--graph", str(MINI), "--dir", str(QUERIES), "--format", "csv"],
    "query-oxigraph": ["query", "meetings", "--graph", str(MINI), "--dir", str(QUERIES), "--store", "oxigraph"],
}


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update({"XDG_CACHE_HOME": str(tmp_path / "xdg"), "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}, **extra)
    return env


def imported_modules(stderr: str) -> set[str]:
    """Module names from `-X importtime` lines ("import time: self | cumulative | name")."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_fast_start_command_does_not_import_spacy(tmp_path, command):
    done = subprocess.run([str(KG), *COMMANDS[command]], capture_output=True, text=True, timeout=120,
                          env=environment(tmp_path, PYTHONPROFILEIMPORTTIME="1"))
    assert done.returncode == 0, done.stderr[-2000:]
    modules = imported_modules(done.stderr)
    assert "typer" in modules  # the import log was read
    assert not {m for m in modules if m == "spacy" or m.startswith(("spacy.", "thinc"))}


def test_fast_start_help_does_not_import_rdflib_or_numpy(tmp_path):
    done = subprocess.run([str(KG), "--help"], capture_output=True, text=True, timeout=60,
                          env=environment(tmp_path, PYTHONPROFILEIMPORTTIME="1"))
    modules = imported_modules(done.stderr)
    assert not {m for m in modules if m.split(".")[0] in ("rdflib", "numpy", "spacy", "dask", "pyoxigraph")}


@pytest.fixture
def without_spacy(tmp_path) -> dict[str, str]:
    """An environment where `import spacy` raises ImportError (a shadowing package on PYTHONPATH)."""
    shim = tmp_path / "shim" / "spacy"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("spacy is blocked for this test")\n')
    return environment(tmp_path, PYTHONPATH=str(shim.parent))


def test_fast_start_help_works_without_spacy(without_spacy):
    done = subprocess.run([str(KG), "--help"], capture_output=True, text=True, timeout=60, env=without_spacy)
    assert (done.returncode, done.stderr) == (0, "")
    assert "build" in done.stdout and "query" in done.stdout


def test_fast_start_queries_works_without_spacy(without_spacy):
    done = subprocess.run([str(KG), *COMMANDS["queries"]], capture_output=True, text=True, timeout=60, env=without_spacy)
    assert (done.returncode, done.stderr) == (0, "")
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert names == sorted(p.stem for p in QUERIES.glob("*.rq"))


def test_fast_start_query_works_without_spacy(without_spacy):
    done = subprocess.run([str(KG), *COMMANDS["query"]], capture_output=True, text=True, timeout=60, env=without_spacy)
    assert (done.returncode, done.stderr) == (0, "")
    with_spacy = subprocess.run([str(KG), *COMMANDS["query"]], capture_output=True, text=True, timeout=60)
    assert done.stdout == with_spacy.stdout
    assert len(done.stdout.splitlines()) > 1  # a header and rows
