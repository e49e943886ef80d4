"""`kg` as a real process: bad input never prints a traceback, Ctrl-C exits 130, and a build killed
while writing leaves every export either as it was or complete — never half written."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Callable

import networkx as nx
import pytest
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

from kg.formats import load_graph

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
QUERIES = ROOT / "queries"
MINI = ROOT / "tests" / "data" / "mini.ttl"
RDF_EXPORTS = ("graph.jsonld", "graph.nt", "graph.trig", "graph.ttl", "ontology.ttl", "void.ttl")

GOOD = (
    "La ministre nord-coréenne des Affaires étrangères a reçu son homologue russe à Pyongyang.\n\n"
    "Ils ont parlé des échanges entre leurs deux pays pendant toute la matinée.\n"
)
ENGLISH = (
    "The foreign minister of North Korea received her Russian counterpart in the capital, and the two "
    "of them spoke about trade between their countries for the whole morning and most of the afternoon.\n"
)
BAD_FRONT_MATTER = "---\nrubrique: monde\ndate: 2025-13-01\n---\n" + GOOD.replace("Pyongyang", "Wonsan")
LATIN_1 = "La délégation russe est arrivée à Pyongyang pour préparer une visite très attendue.\n"


def one_error_line(stderr: str) -> str:
    """The single `Error: …` line, after checking nothing else was printed (no traceback)."""
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("Error: "), stderr
    return stderr


# ---------------------------------------------------------------- bad input: one line, no traceback


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as stream:
        stream.truncate(size)


BAD_BUILDS = {
    # name: (prepare tmp_path → arguments, exit code, stderr with {tmp} for tmp_path)
    "missing source": (lambda t: ["build", t / "absent", "--out", t / "out"], 2, "Error: source not found: {tmp}/absent\n"),
    "folder without articles": (
        lambda t: (t / "vide").mkdir() or ["build", t / "vide", "--out", t / "out"],
        2,
        "Error: no articles (.txt, .md, .html) in {tmp}/vide\n",
    ),
    "binary file": (
        lambda t: (t / "a.txt").write_bytes(b"\x00\x01\x02\xff" * 1000) and ["build", t / "a.txt", "--out", t / "out"],
        2,
        "Error: no readable article in {tmp}/a.txt: {tmp}/a.txt: binary file, skipped\n",
    ),
    "20 MB file": (
        lambda t: _sparse(t / "a.txt", 20 * 1024 * 1024) or ["build", t / "a.txt", "--out", t / "out"],
        2,
        "Error: no readable article in {tmp}/a.txt: {tmp}/a.txt: too large (20.0 MiB, limit 5.0 MiB), skipped"
        " — raise the size limit (max_bytes) to read it\n",
    ),
    "unknown format": (
        lambda t: ["build", SEEDS, "--out", t / "out", "--format", "pdf"],
        2,
        "Error: unknown format 'pdf' (choose from ttl, trig, jsonld, nt, graphml, void, html)\n",
    ),
    "output is a file": (
        lambda t: (t / "out").write_text("x") and ["build", SEEDS, "--out", t / "out"],
        3,
        "Error: cannot create output folder {tmp}/out: it is a file\n",
    ),
    "output under a file": (
        lambda t: (t / "out").write_text("x") and ["build", SEEDS, "--out", t / "out" / "sub"],
        3,
        "Error: cannot create output folder {tmp}/out/sub: {tmp}/out is a file\n",
    ),
    "unknown query": (
        lambda t: ["query", "who-knows", "--graph", MINI, "--dir", QUERIES],
        2,
        "Error: unknown query 'who-knows': not a file, not in queries/ (kg queries lists them)\n",
    ),
    "SPARQL UPDATE": (
        lambda t: ["query", "DELETE WHERE { ?s ?p ?o }", "--graph", MINI, "--dir", QUERIES],
        2,
        "Error: SPARQL UPDATE is not allowed: kg query only reads the graph\n",
    ),
    "graph that is not RDF": (
        lambda t: (t / "g.nt").write_text("pas du RDF\n") and ["validate", "--graph", t / "g.nt"],
        2,
        None,  # rdflib's own words after "Error: cannot parse …/g.nt as nt: "
    ),
}


@pytest.fixture(scope="module")
def without_spacy(tmp_path_factory) -> dict[str, str]:
    """An environment in which `import spacy` fails: what runs there never parsed an article."""
    shadow = tmp_path_factory.mktemp("without-spacy")
    (shadow / "spacy").mkdir()
    (shadow / "spacy" / "__init__.py").write_text('raise ImportError("kg imported spaCy")\n', encoding="utf-8")
    return {"PYTHONPATH": str(shadow)}


@pytest.mark.parametrize("case", sorted(BAD_BUILDS))
def test_robust_build_bad_input_is_one_line_without_traceback(kg_process, tmp_path, case, without_spacy):
    """Each error is found before any parsing (spaCy cannot even be imported here), in one line."""
    prepare, code, expected = BAD_BUILDS[case]
    result = kg_process(prepare(tmp_path), env=without_spacy, timeout=120)
    assert result.returncode == code
    assert result.stdout == ""
    line = one_error_line(result.stderr)
    if expected is None:
        assert line.startswith(f"Error: cannot parse {tmp_path}/g.nt as nt: ")
    else:
        assert line == expected.format(tmp=tmp_path)


def test_robust_build_without_spacy_a_build_that_parses_fails(kg_process, tmp_path, without_spacy):
    """The shadowing works: a build that must parse cannot run there."""
    (tmp_path / "bon.txt").write_text(GOOD, encoding="utf-8")
    result = kg_process(["build", tmp_path / "bon.txt", "--out", tmp_path / "out"], env=without_spacy)
    assert (result.returncode, result.stderr) == (2, "Error: cannot import spaCy, needed to parse new articles: kg imported spaCy\n")


def test_robust_build_malformed_sparql_is_one_line(kg_process):
    result = kg_process(["query", "SELECT ?x WHERE { ?x ?y", "--graph", MINI, "--dir", QUERIES])
    assert result.returncode == 2
    assert one_error_line(result.stderr).startswith("Error: malformed SPARQL: ")


@pytest.mark.slow
def test_robust_build_messy_folder_builds_with_one_warning_per_problem(kg_process, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-bon.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b-copie.txt").write_text(GOOD, encoding="utf-8")
    (folder / "c-vide.txt").write_bytes(b"")
    (folder / "d-binaire.txt").write_bytes(bytes(range(256)) * 4)
    _sparse(folder / "e-enorme.txt", 20 * 1024 * 1024)
    (folder / "f-english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "g-entete.txt").write_text(BAD_FRONT_MATTER, encoding="utf-8")
    (folder / "h-latin.txt").write_bytes(LATIN_1.encode("latin-1"))
    result = kg_process(["build", folder, "--out", tmp_path / "out", "--format", "ttl"])
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"Warning: {folder}/c-vide.txt: empty article, skipped",
        f"Warning: {folder}/d-binaire.txt: binary file, skipped",
        f"Warning: {folder}/e-enorme.txt: too large (20.0 MiB, limit 5.0 MiB), skipped — raise the size limit (max_bytes) to read it",
        f"Warning: {folder}/f-english.txt: does not look like French (kg reads French articles); read anyway",
        f"Warning: {folder}/g-entete.txt: front matter line 2: unknown key 'rubrique' — ignored (known: title, date, source, url)",
        f"Warning: {folder}/g-entete.txt: front matter line 3: date '2025-13-01' is not a date YYYY-MM-DD — ignored",
        f"Warning: {folder}/h-latin.txt: decoded as cp1252",
        f"Warning: {folder}/b-copie.txt: same text as {folder}/a-bon.txt — kept once, as article 'a-bon'",
    ]
    graph = load_graph(tmp_path / "out" / "graph.ttl")
    identifiers = sorted(str(o) for o in graph.objects(None, DCTERMS.identifier))
    assert identifiers == ["a-bon", "f-english", "g-entete", "h-latin"]


# ---------------------------------------------------------------- Ctrl-C


def wait_until(process, found: Callable[[], bool], timeout: float = 120) -> bool:
    """Poll `found` until it holds (True), the process ends or the time is up (False)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if found():
            return True
        time.sleep(0.0005)
    return False


def loaded(process, library: str) -> Callable[[], bool]:
    """True once the process has mapped one of `library`'s compiled modules (Linux /proc)."""

    def check() -> bool:
        try:
            return f"/{library}/" in Path(f"/proc/{process.pid}/maps").read_text()
        except OSError:
            return False

    return check


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc to see the build at work")
def test_robust_build_ctrl_c_exits_130_without_traceback(kg_popen, tmp_path):
    process = kg_popen(["build", SEEDS, "--out", tmp_path / "out"])
    assert wait_until(process, loaded(process, "spacy")), "the build ended before loading spaCy"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr, stdout) == (130, "Interrupted.\n", "")


# ---------------------------------------------------------------- killed while writing


@pytest.fixture(scope="module")
def previous_export(tmp_path_factory) -> dict[str, bytes]:
    """A complete export of two seed articles: what an out folder holds before the next build."""
    from kg.cli import app

    out = tmp_path_factory.mktemp("previous")
    sources = sorted(SEEDS.glob("*.txt"))[:2]
    result = CliRunner(env={"XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache"))}).invoke(
        app, ["build", *map(str, sources), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def replaced(out: Path, name: str) -> Callable[[], bool]:
    """True once `out/name` is another file than it was now (the build renamed its new version over it)."""
    before = os.stat(out / name).st_ino

    def check() -> bool:
        try:
            return os.stat(out / name).st_ino != before
        except OSError:
            return False

    return check


def previous_in(out: Path, previous: dict[str, bytes]) -> Path:
    out.mkdir()
    for name, data in previous.items():
        (out / name).write_bytes(data)
    return out


def check_each_export_whole(out: Path, previous: dict[str, bytes], new: dict[str, bytes]) -> dict[str, str]:
    """Every export is the old file or the new one, and reads; {name: "old" or "new"}."""
    present = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert present == sorted(new)  # a killed build can only leave hidden temporary files behind
    states = {}
    for name in present:
        data = (out / name).read_bytes()
        assert data in (previous[name], new[name]), f"{name} is neither the old nor the new export"
        states[name] = "new" if data == new[name] else "old"
    for name in RDF_EXPORTS:
        assert len(load_graph(out / name)) > 0
    nx.read_graphml(out / "graph.graphml")
    assert (out / "graph.html").read_bytes().rstrip().endswith(b"</html>")
    return states


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", ["graph.trig", "void.ttl"])
def test_robust_build_killed_while_writing_keeps_each_export_whole(kg_popen, tmp_path, seeds_export, previous_export, kill_after):
    new = seeds_export.files()
    assert sorted(new) == sorted(previous_export)
    assert all(previous_export[name] != new[name] for name in new if name != "ontology.ttl")
    out = previous_in(tmp_path / "out", previous_export)

    process = kg_popen(["build", SEEDS, "--out", out, "--quiet"])
    assert wait_until(process, replaced(out, kill_after)), f"the build ended before it replaced {kill_after}"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    states = check_each_export_whole(out, previous_export, new)
    assert states[kill_after] == "new"  # it was seen replaced, so it is complete


@pytest.mark.slow
def test_robust_build_ctrl_c_while_writing_leaves_no_temporary_file(kg_popen, tmp_path, seeds_export, previous_export):
    new = seeds_export.files()
    out = previous_in(tmp_path / "out", previous_export)

    process = kg_popen(["build", SEEDS, "--out", out, "--quiet"])
    assert wait_until(process, replaced(out, "graph.ttl")), "the build ended before it replaced graph.ttl"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr, stdout) == (130, "Interrupted.\n", "")

    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert check_each_export_whole(out, previous_export, new)["graph.ttl"] == "new"
