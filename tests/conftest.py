"""Fixtures shared by the test files: the seeds' export built once, and `kg` run as a real process."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import pytest
import rdflib
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
KG_EXECUTABLE = Path(sys.executable).with_name("kg")  # the console script installed beside this Python


@dataclass(frozen=True)
class SeedsExport:
    """`kg build seeds/` run once per test session into a temporary folder."""

    out_dir: Path
    graph: rdflib.Graph  # graph.ttl, loaded

    def files(self) -> dict[str, bytes]:
        """Every file the build wrote, by name."""
        return {path.name: path.read_bytes() for path in sorted(self.out_dir.iterdir())}


@pytest.fixture(scope="session")
def seeds_export(tmp_path_factory) -> SeedsExport:
    """The seeds built with the default options, as `make run` builds exports/ (own empty cache)."""
    from kg.cli import app
    from kg.formats import load_graph

    out_dir = tmp_path_factory.mktemp("seeds-export")
    cache = tmp_path_factory.mktemp("seeds-cache")
    result = CliRunner(env={"XDG_CACHE_HOME": str(cache)}).invoke(
        app, ["build", str(SEEDS), "--out", str(out_dir), "--quiet"]
    )
    if result.exit_code != 0:
        raise RuntimeError(f"kg build seeds failed ({result.exit_code}): {result.stderr}{result.exception!r}")
    return SeedsExport(out_dir=out_dir, graph=load_graph(out_dir / "graph.ttl"))


@pytest.fixture
def kg_process(tmp_path_factory) -> Callable[..., subprocess.CompletedProcess]:
    """Run `kg ARGS…` as a real process to its end (own empty cache folder); return the finished process.

    Keyword arguments: cwd, env (added to the environment), timeout (seconds).
    """

    def run(args: Sequence[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(KG_EXECUTABLE), *map(str, args)],
            cwd=cwd or tmp_path_factory.mktemp("cwd"),
            env=_environment(tmp_path_factory.mktemp("cache"), env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture
def kg_popen(tmp_path_factory) -> Callable[..., subprocess.Popen]:
    """Start `kg ARGS…` as a real process (own empty cache folder), text pipes on stdout and stderr.

    Keyword arguments: cwd, env (added to the environment). Processes still running at the end of
    the test are killed.
    """
    started: list[subprocess.Popen] = []

    def start(args: Sequence[str | Path], *, cwd: Path | None = None,
              env: dict[str, str] | None = None) -> subprocess.Popen:
        process = subprocess.Popen(
            [str(KG_EXECUTABLE), *map(str, args)],
            cwd=cwd or tmp_path_factory.mktemp("cwd"),
            env=_environment(tmp_path_factory.mktemp("cache"), env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _environment(cache_dir: Path, extra: dict[str, str] | None) -> dict[str, str]:
    """The current environment with kg's cache in `cache_dir`, plain (uncoloured) output, and `extra`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update({"XDG_CACHE_HOME": str(cache_dir), "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"})
    env.update(extra or {})
    return env
