"""kg build / kg view at the command line: every bad input gives one exact line and its exit code.

Errors print `Error: …` on stderr and stop the build (InputError 2, OutputError 3, an unknown
format 2); a file that cannot be used prints `Warning: …` and the build goes on without it.
The builds here run in this process (the model loads once); tests/test_robust_build.py runs
`kg` as a real process.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

from kg.cli import app
from kg.formats import load_graph
from kg.namespace import KGO

# Our own French prose (never the seeds'): a visit, with names the gazetteer knows.
GOOD = (
    "Le ministre russe de la Défense a rencontré le dirigeant nord-coréen Kim Jong-un à Pyongyang.\n\n"
    "Les deux hommes ont évoqué la coopération militaire entre Moscou et Pyongyang pendant deux heures.\n"
)
ENGLISH = (
    "The defence minister of Russia met the leader of North Korea in the capital on Tuesday, and the two men "
    "talked for a long time about the war and about the new trains between the two countries.\n"
)
LATIN_1 = "---\ntitle: Entretien à Moscou\n---\nLe président russe a reçu le ministre nord-coréen à Moscou pour un entretien très attendu.\n"
BAD_FRONT_MATTER = (
    "---\ntitle: Une visite\nceci n'est pas une clé\ndate: demain\n---\n"
    "Le dirigeant nord-coréen a reçu le ministre russe de la Défense à Wonsan pour la deuxième fois.\n"
)
TWENTY_MB = 20 * 1024 * 1024


@pytest.fixture
def kg(tmp_path, monkeypatch):
    """Invoke the CLI in this process, with an empty cache folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runner = CliRunner()

    def invoke(*args: str | Path):
        result = runner.invoke(app, [str(a) for a in args])
        # no exception may escape the CLI's error handling (that is what prints a traceback)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return result

    return invoke


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the build loads the spaCy pipeline: the error must come before any parsing."""

    def refuse(*args, **kwargs):
        raise AssertionError("the build started parsing before it found the error")

    monkeypatch.setattr("kg.nlp.load_pipeline", refuse)


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


def built_graph(out: Path) -> rdflib.Graph:
    return load_graph(out / "graph.ttl")


def article_files(graph: rdflib.Graph) -> dict[str, list[str]]:
    """{article identifier: sorted kgo:file names}."""
    return {
        str(graph.value(article, DCTERMS.identifier)): sorted(str(f) for f in graph.objects(article, KGO.file))
        for article in graph.subjects(rdflib.RDF.type, KGO.Article)
    }


# ---------------------------------------------------------------- errors: nothing is built


def test_cli_build_missing_source(kg, tmp_path, no_parsing):
    missing = tmp_path / "absent"
    result = kg("build", missing, "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"Error: source not found: {missing}\n", "")


def test_cli_build_folder_without_articles(kg, articles, tmp_path, no_parsing):
    (articles / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (articles / ".cache.txt").write_text(GOOD, encoding="utf-8")  # hidden files are not articles
    result = kg("build", articles, "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr) == (2, f"Error: no articles (.txt, .md, .html) in {articles}\n")


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _blank(path: Path) -> None:
    path.write_bytes(b" \n\t\n\n")


def _twenty_mb(path: Path) -> None:
    with path.open("wb") as stream:
        stream.truncate(TWENTY_MB)  # sparse: no 20 MB written to the disk


UNUSABLE = {
    "binary": (_binary, "{path}: binary file, skipped"),
    "empty": (_empty, "{path}: empty article, skipped"),
    "blank": (_blank, "{path}: empty article, skipped"),
    "20 MB": (_twenty_mb, "{path}: too large (20.0 MiB, limit 5.0 MiB), skipped — raise the size limit (max_bytes) to read it"),
}


@pytest.mark.parametrize("kind", sorted(UNUSABLE))
def test_cli_build_only_an_unusable_file_is_an_error(kg, tmp_path, kind, no_parsing):
    make, warning = UNUSABLE[kind]
    path = tmp_path / "article.txt"
    make(path)
    result = kg("build", path, "--out", tmp_path / "out")
    expected = f"Error: no readable article in {path}: {warning.format(path=path)}\n"
    assert (result.exit_code, result.stderr, result.stdout) == (2, expected, "")
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_cli_build_unknown_format(kg, articles, tmp_path, no_parsing):
    (articles / "bon.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    result = kg("build", articles, "--out", out, "--format", "ttl", "--format", "yaml")
    expected = "Error: unknown format 'yaml' (choose from ttl, trig, jsonld, nt, graphml, void, html)\n"
    assert (result.exit_code, result.stderr, result.stdout) == (2, expected, "")
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize(
    "where, message",
    [
        ("a file", "Error: cannot create output folder {out}: it is a file\n"),
        ("under a file", "Error: cannot create output folder {out}: {blocker} is a file\n"),
        ("deep under a file", "Error: cannot create output folder {out}: {blocker} is a file\n"),
    ],
)
def test_cli_build_output_folder_cannot_be_written(kg, tmp_path, where, message, no_parsing):
    """Exit 3 before any article is parsed: a long build must not fail at its very end."""
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    blocker = tmp_path / "exports"
    blocker.write_text("un fichier, pas un dossier\n", encoding="utf-8")
    out = {"a file": blocker, "under a file": blocker / "sub", "deep under a file": blocker / "a" / "b"}[where]
    result = kg("build", seeds, "--out", out)
    assert (result.exit_code, result.stderr, result.stdout) == (3, message.format(out=out, blocker=blocker), "")
    assert blocker.read_text(encoding="utf-8") == "un fichier, pas un dossier\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write into any folder")
def test_cli_build_output_folder_without_write_permission(kg, tmp_path, no_parsing):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    out = tmp_path / "exports"
    out.mkdir(mode=0o500)
    try:
        result = kg("build", seeds, "--out", out)
    finally:
        out.chmod(0o700)
    assert (result.exit_code, result.stderr) == (3, f"Error: cannot write into output folder {out}: permission denied\n")


# ---------------------------------------------------------------- warnings: the build goes on


def test_cli_build_good_article_alone_has_no_warning(kg, articles, tmp_path):
    (articles / "bon.txt").write_text(GOOD, encoding="utf-8")
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl")
    assert (result.exit_code, result.stderr) == (0, "")
    assert article_files(built_graph(tmp_path / "out")) == {"bon": ["bon.txt"]}


@pytest.mark.parametrize("kind", sorted(UNUSABLE))
def test_cli_build_skips_an_unusable_file_beside_a_good_one(kg, articles, tmp_path, kind):
    make, warning = UNUSABLE[kind]
    (articles / "bon.txt").write_text(GOOD, encoding="utf-8")
    bad = articles / "mauvais.txt"
    make(bad)
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl")
    assert (result.exit_code, result.stderr) == (0, f"Warning: {warning.format(path=bad)}\n")
    assert article_files(built_graph(tmp_path / "out")) == {"bon": ["bon.txt"]}


def test_cli_build_same_article_twice_is_one_article(kg, articles, tmp_path):
    (articles / "a.txt").write_text(GOOD, encoding="utf-8")
    (articles / "b.txt").write_text(GOOD, encoding="utf-8")
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl")
    expected = f"Warning: {articles / 'b.txt'}: same text as {articles / 'a.txt'} — kept once, as article 'a'\n"
    assert (result.exit_code, result.stderr) == (0, expected)
    assert article_files(built_graph(tmp_path / "out")) == {"a": ["a.txt", "b.txt"]}


def test_cli_build_non_french_article_is_kept_with_a_warning(kg, articles, tmp_path):
    (articles / "bon.txt").write_text(GOOD, encoding="utf-8")
    (articles / "english.txt").write_text(ENGLISH, encoding="utf-8")
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl")
    expected = f"Warning: {articles / 'english.txt'}: does not look like French (kg reads French articles); read anyway\n"
    assert (result.exit_code, result.stderr) == (0, expected)
    assert article_files(built_graph(tmp_path / "out")) == {"bon": ["bon.txt"], "english": ["english.txt"]}


def test_cli_build_malformed_front_matter_lines_are_ignored(kg, articles, tmp_path):
    path = articles / "visite.txt"
    path.write_text(BAD_FRONT_MATTER, encoding="utf-8")
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl")
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: {path}: front matter line 3 \"ceci n'est pas une clé\" is not 'key: value' — ignored\n"
        f"Warning: {path}: front matter line 4: date 'demain' is not a date YYYY-MM-DD — ignored\n"
    )
    graph = built_graph(tmp_path / "out")
    article = next(graph.subjects(DCTERMS.identifier, rdflib.Literal("visite")))
    assert str(graph.value(article, DCTERMS.title)) == "Une visite"
    assert graph.value(article, DCTERMS.date) is None


def test_cli_build_unclosed_front_matter_is_read_as_text(kg, articles, tmp_path):
    path = articles / "ouvert.txt"
    path.write_text("---\ntitle: Sans fin\n" + GOOD, encoding="utf-8")
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl")
    expected = f"Warning: {path}: front matter opened on line 1 is not closed by '---' within 40 lines — read as plain text\n"
    assert (result.exit_code, result.stderr) == (0, expected)
    assert article_files(built_graph(tmp_path / "out")) == {"ouvert": ["ouvert.txt"]}


def test_cli_build_latin_1_article_is_decoded(kg, articles, tmp_path):
    path = articles / "latin.txt"
    path.write_bytes(LATIN_1.encode("latin-1"))
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl")
    assert (result.exit_code, result.stderr) == (0, f"Warning: {path}: decoded as cp1252\n")
    graph = built_graph(tmp_path / "out")
    article = next(graph.subjects(DCTERMS.identifier, rdflib.Literal("latin")))
    assert str(graph.value(article, DCTERMS.title)) == "Entretien à Moscou"


def test_cli_build_quiet_prints_nothing_but_errors(kg, articles, tmp_path):
    (articles / "bon.txt").write_text(GOOD, encoding="utf-8")
    (articles / "vide.txt").write_bytes(b"")
    result = kg("build", articles, "--out", tmp_path / "out", "--format", "ttl", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "formats, written",
    [
        (["ttl"], ["graph.ttl", "ontology.ttl"]),
        (["nt", "html"], ["graph.html", "graph.nt", "ontology.ttl"]),
        (["void", "void"], ["ontology.ttl", "void.ttl"]),
    ],
)
def test_cli_build_writes_the_chosen_formats(kg, articles, tmp_path, formats, written):
    (articles / "bon.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    options = [arg for name in formats for arg in ("--format", name)]
    result = kg("build", articles, "--out", out, *options)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == written


# ---------------------------------------------------------------- kg view


def test_cli_build_view_missing_page(kg, tmp_path):
    page = tmp_path / "graph.html"
    result = kg("view", "--graph", page)
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"Error: page not found: {page} (build it with kg build)\n", "")


@pytest.mark.parametrize("given", ["graph.html", "graph.ttl"])
def test_cli_build_view_prints_the_page_path(kg, tmp_path, given):
    page = tmp_path / "graph.html"
    page.write_text("<!doctype html>\n", encoding="utf-8")
    result = kg("view", "--graph", tmp_path / given)
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{page.resolve()}\n", "")


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("command", ["build", "view"])
def test_cli_build_help_has_an_example(kg, command):
    result = kg(command, "--help")
    assert result.exit_code == 0
    assert "kg " + command in result.stdout.replace("Examples: ", "Example: ")
