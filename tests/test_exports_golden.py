"""The committed exports/ is exactly what `kg build seeds` writes now: never stale (`make run` regenerates it)."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

EXPORTS = Path(__file__).resolve().parent.parent / "exports"
EXPORT_FILES = (
    "graph.graphml",
    "graph.html",
    "graph.jsonld",
    "graph.nt",
    "graph.trig",
    "graph.ttl",
    "ontology.ttl",
    "void.ttl",
)
DIFF_LINES = 80
LINE_CHARS = 200  # the page holds its data on very long lines


def readable_diff(committed: bytes, built: bytes, name: str) -> str:
    """The first DIFF_LINES lines of a unified diff, each cut to LINE_CHARS characters."""
    diff = difflib.unified_diff(
        committed.decode("utf-8", "replace").splitlines(),
        built.decode("utf-8", "replace").splitlines(),
        fromfile=f"exports/{name} (committed)",
        tofile=f"{name} (built now)",
        lineterm="",
        n=2,
    )
    lines = [line if len(line) <= LINE_CHARS else line[:LINE_CHARS] + "…" for line in diff]
    shown = "\n".join(lines[:DIFF_LINES])
    more = f"\n… {len(lines) - DIFF_LINES} more diff lines" if len(lines) > DIFF_LINES else ""
    return shown + more


def test_exports_golden_builds_exactly_the_committed_files(seeds_export):
    assert sorted(seeds_export.files()) == list(EXPORT_FILES)
    assert sorted(p.name for p in EXPORTS.iterdir()) == list(EXPORT_FILES)


@pytest.mark.parametrize("name", EXPORT_FILES)
def test_exports_golden_file_is_up_to_date(seeds_export, name):
    committed = (EXPORTS / name).read_bytes()
    built = seeds_export.files()[name]
    if committed != built:
        pytest.fail(
            f"exports/{name} is stale: run `make run` and commit exports/.\n"
            + readable_diff(committed, built, name),
            pytrace=False,
        )


def test_exports_golden_diff_is_readable_and_short():
    committed = "".join(f"ligne {i}\n" for i in range(200)).encode()
    built = committed.replace(b"ligne 5\n", b"ligne cinq\n") + b"x" * 500 + b"\n"
    diff = readable_diff(committed, built, "graph.ttl").splitlines()
    assert diff[:9] == [
        "--- exports/graph.ttl (committed)",
        "+++ graph.ttl (built now)",
        "@@ -4,5 +4,5 @@",
        " ligne 3",
        " ligne 4",
        "-ligne 5",
        "+ligne cinq",
        " ligne 6",
        " ligne 7",
    ]
    assert diff[-1] == "+" + "x" * (LINE_CHARS - 1) + "…"
    assert len(diff) <= DIFF_LINES
