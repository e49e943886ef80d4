"""kg build with the cache: what is parsed, what is reused, identical exports, the up-to-date check."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.build import DEFAULT_MODEL, BuildSummary, Progress, build
from kg.cache import BuildCache, pipeline_fingerprint
from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
KG = Path(sys.executable).with_name("kg")
NEW_ARTICLE = (
    "Visite à Minsk\n\n"
    "Le président russe Vladimir Poutine a rencontré Alexandre Loukachenko à Minsk le 3 mars 2024.\n\n"
    "Les deux dirigeants ont signé un accord de coopération militaire.\n"
)
EXTRA_PARAGRAPH = "\nSelon Moscou, la Biélorussie aurait livré des obus à la Russie en avril.\n"

pytestmark = pytest.mark.slow


def copy_seeds(target: Path) -> Path:
    target.mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, target / path.name)
    return target


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def counts(summary: BuildSummary) -> tuple[int, int, int]:
    return summary.parsed, summary.restored, summary.reused


class Builds:
    """The seeds built once per way of building, sharing one cache folder."""

    def __init__(self, base: Path):
        self.base = base
        self.corpus = copy_seeds(base / "corpus")
        self.cache_dir = base / "cache"
        self.cold = self.build("cold")
        self.warm = self.build("warm")
        # the facts of another extractor: every article is read again from its cached parse
        self.docs_only = self.build("docs-only", cache=BuildCache(
            self.cache_dir, pipeline=pipeline_fingerprint(DEFAULT_MODEL), extraction="another extractor"))
        self.xdg = base / "xdg"
        self.xdg.mkdir()
        self.no_cache = CliRunner(env={"XDG_CACHE_HOME": str(self.xdg)}).invoke(
            app, ["build", str(self.corpus), "--out", str(base / "no-cache"), "--no-cache"])

    def cache(self) -> BuildCache:
        return BuildCache.for_model(self.cache_dir, DEFAULT_MODEL)

    def build(self, name: str, corpus: Path | None = None, cache: BuildCache | None = None, **options) -> BuildSummary:
        return build([corpus or self.corpus], self.base / name, cache=cache or self.cache(), **options)

    def out(self, name: str) -> Path:
        return self.base / name


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    return Builds(tmp_path_factory.mktemp("builds"))


# ---------------------------------------------------------------------------------- cache counts


def test_build_cold_parses_every_article(builds):
    assert counts(builds.cold) == (5, 0, 0)
    assert builds.cold.articles == 5 and builds.cold.up_to_date is False


def test_build_warm_parses_nothing(builds):
    assert counts(builds.warm) == (0, 0, 5)


def test_build_changed_extractor_reads_cached_parses(builds):
    assert counts(builds.docs_only) == (0, 5, 0)


@pytest.mark.parametrize("name", ["warm", "docs-only", "no-cache"])
def test_build_exports_identical_to_cold(builds, name):
    assert builds.no_cache.exit_code == 0, builds.no_cache.output
    cold = files(builds.out("cold"))
    assert sorted(cold) == ["graph.graphml", "graph.html", "graph.jsonld", "graph.nt", "graph.trig", "graph.ttl",
                            "ontology.ttl", "void.ttl"]
    assert files(builds.out(name)) == cold


def test_build_no_cache_leaves_the_cache_alone(builds):
    assert list(builds.xdg.iterdir()) == []
    assert re.search(r"\(5 parsed, 0 from cache; 8 files written\)$", builds.no_cache.stdout.strip())


def test_build_adding_an_article_parses_one(builds, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    (corpus / "zz-minsk.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    summary = builds.build("plus-one", corpus)
    assert counts(summary) == (1, 0, 5)
    assert summary.articles == 6


def test_build_new_pipeline_fingerprint_parses_all(builds):
    cache = BuildCache(builds.cache_dir, pipeline="un autre modèle", extraction="un autre extracteur")
    summary = builds.build("other-pipeline", cache=cache)
    assert counts(summary) == (5, 0, 0)
    assert files(builds.out("other-pipeline")) == files(builds.out("cold"))


def test_build_restored_docs_keep_everything_extract_reads(builds):
    from spacy.tokens import DocBin

    from kg.build import load_pipeline
    from kg.corpus import read_corpus

    nlp = load_pipeline(DEFAULT_MODEL)
    texts = [a.text[s.start:s.end] for a in read_corpus([builds.corpus]).articles for s in a.body()]
    docs = list(nlp.pipe(texts))
    back = list(DocBin(docs=docs).from_bytes(DocBin(docs=docs).to_bytes()).get_docs(nlp.vocab))

    def annotations(doc):
        return [(t.text, t.whitespace_, t.idx, t.is_sent_start, t.lemma_, t.pos_, t.tag_, str(t.morph), t.dep_,
                 t.head.i, t.ent_type_, t.ent_iob_, t.ent_id_, t.is_punct) for t in doc]

    assert [annotations(d) for d in back] == [annotations(d) for d in docs]
    assert [[s.text for s in d.sents] for d in back] == [[s.text for s in d.sents] for d in docs]
    assert any(t.ent_id_ for d in back for t in d)  # gazetteer ids did travel


def test_build_corrupt_cache_entries_are_misses(builds, tmp_path):
    cache_dir = tmp_path / "cache"
    shutil.copytree(builds.cache_dir, cache_dir)
    for kind in ("facts", "docs"):
        entries = sorted((cache_dir / "v1" / kind).rglob("*.*"))
        for entry in entries:
            entry.write_bytes(entry.read_bytes()[:40])  # every entry damaged
    result = CliRunner().invoke(
        app, ["build", str(builds.corpus), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert re.search(r"\(5 parsed, 0 from cache; 8 files written\)$", result.stdout.strip())
    assert files(tmp_path / "out") == files(builds.out("cold"))


# ---------------------------------------------------------------------------------- up to date


def test_build_unchanged_rebuild_writes_nothing(builds):
    out = builds.out("warm")
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    summary = builds.build("warm")
    assert summary.up_to_date is True
    assert summary.written == []
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert summary.line() == (
        f"exports are up to date in {out}: 5 articles, {sum(builds.cold.entities.values())} entities, "
        f"{sum(builds.cold.events.values())} events, {builds.cold.triples} triples (nothing written)"
    )


def test_build_changed_article_is_rebuilt(builds, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    builds.build("changing", corpus)
    first = sorted(corpus.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + EXTRA_PARAGRAPH, encoding="utf-8")
    summary = builds.build("changing", corpus)
    assert summary.up_to_date is False
    assert counts(summary) == (1, 0, 4)


def test_build_damaged_export_is_rebuilt(builds):
    builds.build("damaged")
    (builds.out("damaged") / "graph.ttl").write_text("# modifié à la main\n")
    summary = builds.build("damaged")
    assert (summary.up_to_date, counts(summary)) == (False, (0, 0, 5))
    assert files(builds.out("damaged")) == files(builds.out("cold"))


@pytest.mark.parametrize(
    "options",
    [{"force": True}, {"formats": ["ttl"]}, {"base_iri": "https://example.com/graphe/"}],
    ids=["force", "formats", "base-iri"],
)
def test_build_force_or_other_options_rebuild(builds, options):
    builds.build("options")
    summary = builds.build("options", **options)
    assert summary.up_to_date is False
    assert len(summary.written) > 0


def test_build_missing_export_is_rebuilt(builds):
    builds.build("missing")
    (builds.out("missing") / "graph.html").unlink()
    assert builds.build("missing").up_to_date is False
    assert (builds.out("missing") / "graph.html").read_bytes() == (builds.out("cold") / "graph.html").read_bytes()


# ---------------------------------------------------------------------------------- the command


def test_build_cli_quiet_prints_nothing(builds, tmp_path):
    result = CliRunner().invoke(app, ["build", str(builds.corpus), "--out", str(tmp_path / "out"),
                                      "--cache-dir", str(builds.cache_dir), "--quiet"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert files(tmp_path / "out") == files(builds.out("cold"))


def test_build_cli_summary_line_then_up_to_date(builds, tmp_path):
    out = tmp_path / "out"
    args = ["build", str(builds.corpus), "--out", str(out), "--cache-dir", str(builds.cache_dir)]
    first = CliRunner().invoke(app, args)
    second = CliRunner().invoke(app, args)
    entities, events, triples = sum(builds.cold.entities.values()), sum(builds.cold.events.values()), builds.cold.triples
    counted = f"5 articles, {entities} entities, {events} events, {triples} triples"
    assert first.exit_code == 0
    assert re.fullmatch(
        re.escape(f"built {out} in ") + r"\d+\.\d s: " + re.escape(f"{counted} (0 parsed, 5 from cache; 8 files written)\n"),
        first.stdout,
    ), first.stdout
    assert (second.exit_code, second.stdout) == (0, f"exports are up to date in {out}: {counted} (nothing written)\n")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--executor", "spark"], "Error: unknown executor 'spark' (choose from local, dask)\n"),
        (["--n-process", "0"], "Error: --n-process must be at least 1, not 0\n"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "Error: --scheduler needs --executor dask\n"),
        (["--format", "pdf"], "Error: unknown format 'pdf' (choose from ttl, trig, jsonld, nt, graphml, void, html)\n"),
    ],
)
def test_build_cli_bad_option_is_one_line(tmp_path, option, message):
    result = CliRunner().invoke(app, ["build", str(SEEDS), "--out", str(tmp_path / "out"), *option])
    assert (result.exit_code, result.stderr) == (2, message)
    assert not (tmp_path / "out").exists()


def test_build_reports_progress_by_stage(builds, tmp_path):
    class Recorder(Progress):
        def __init__(self):
            self.events = []

        def stage(self, name, total=None):
            self.events.append((name, total))

        def advance(self, steps=1):
            self.events.append(steps)

    recorder = Recorder()
    build([builds.corpus], tmp_path / "out", cache=builds.cache(), progress=recorder)
    assert recorder.events == [("reading articles", 5), 1, 1, 1, 1, 1, ("resolving entities and events", None),
                               ("writing exports", None), ("writing the page", None)]


def test_build_default_model_is_the_pipeline_default():
    from kg.nlp import DEFAULT_MODEL as NLP_DEFAULT

    assert DEFAULT_MODEL == NLP_DEFAULT


# ---------------------------------------------------------------------------------- without spaCy


def no_spacy_env(tmp_path: Path, cache_home: Path) -> dict[str, str]:
    """An environment where `import spacy` fails (a shadowing package first on PYTHONPATH)."""
    shim = tmp_path / "shim" / "spacy"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("spacy is blocked for this test")\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update({"PYTHONPATH": str(shim.parent), "XDG_CACHE_HOME": str(cache_home)})
    return env


def test_build_warm_build_runs_without_spacy(builds, tmp_path):
    cache_home = tmp_path / "xdg"
    shutil.copytree(builds.cache_dir, cache_home / "kg")
    done = subprocess.run([str(KG), "build", str(builds.corpus), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=no_spacy_env(tmp_path, cache_home), timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.endswith("(0 parsed, 5 from cache; 8 files written)\n")
    assert files(tmp_path / "out") == files(builds.out("cold"))


def test_build_cold_build_without_spacy_is_one_line(tmp_path):
    done = subprocess.run([str(KG), "build", str(SEEDS), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, env=no_spacy_env(tmp_path, tmp_path / "xdg"), timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "Error: cannot import spaCy, needed to parse new articles: spacy is blocked for this test\n")


# ---------------------------------------------------------------------------------- the grouped ruler


def test_build_grouped_gazetteer_ruler_finds_what_span_ruler_finds():
    import spacy

    from kg.corpus import read_corpus
    from kg.gazetteer import load_gazetteer
    from kg.nlp import GazetteerRuler  # registers the kg_gazetteer_ruler factory

    patterns = load_gazetteer().ruler_patterns()
    reference, grouped = spacy.blank("fr"), spacy.blank("fr")
    reference.add_pipe("span_ruler", config={"spans_key": "g", "annotate_ents": False}).add_patterns(patterns)
    grouped.add_pipe("kg_gazetteer_ruler", config={"spans_key": "g"}).add_patterns(patterns)
    texts = [a.text[s.start:s.end] for a in read_corpus([SEEDS]).articles for s in a.body()]
    texts.append("Kim Jong Un, Kim Jong-un et KIM JONG-UN ont vu les états-unis, la Corée du Nord et Pyongyang.")

    def spans(doc):
        return [(s.start, s.end, s.label_, s.id_) for s in doc.spans["g"]]

    assert isinstance(grouped.get_pipe("kg_gazetteer_ruler"), GazetteerRuler)
    found = [spans(d) for d in grouped.pipe(texts)]
    assert found == [spans(d) for d in reference.pipe(texts)]
    assert sum(map(len, found)) > 50


def test_build_parses_a_large_corpus_in_a_child_process(builds, tmp_path, monkeypatch):
    import kg.build

    class Recorder(Progress):
        def __init__(self):
            self.events = []

        def stage(self, name, total=None):
            self.events.append(name)

        def advance(self, steps=1):
            self.events.append(steps)

    children = []
    real = kg.build.read_in_child
    monkeypatch.setattr(kg.build, "read_in_child", lambda *a, **k: children.append(True) or real(*a, **k))
    monkeypatch.setattr(kg.build, "PARSE_APART_FROM", 5)
    cache = BuildCache(builds.cache_dir, pipeline=pipeline_fingerprint(DEFAULT_MODEL), extraction="read apart")
    recorder = Recorder()
    summary = build([builds.corpus], tmp_path / "out", cache=cache, progress=recorder)
    assert (counts(summary), children) == ((0, 5, 0), [True])
    assert recorder.events[:6] == ["reading articles", 1, 1, 1, 1, 1]
    assert files(tmp_path / "out") == files(builds.out("cold"))
    again = BuildCache(builds.cache_dir, pipeline=pipeline_fingerprint(DEFAULT_MODEL), extraction="read apart")
    assert counts(build([builds.corpus], tmp_path / "out-2", cache=again)) == (0, 0, 5)  # the child filled the cache
    monkeypatch.setattr(kg.build, "PARSE_APART_FROM", 6)  # fewer articles to read: read here
    build([builds.corpus], tmp_path / "out-3", cache=BuildCache(
        builds.cache_dir, pipeline=pipeline_fingerprint(DEFAULT_MODEL), extraction="read here"))
    assert children == [True]


def test_build_error_in_the_child_process_is_raised_as_it_was(builds, tmp_path, monkeypatch):
    import kg.build
    from kg.nlp import ModelError

    monkeypatch.setattr(kg.build, "PARSE_APART_FROM", 1)
    with pytest.raises(ModelError) as raised:
        build([builds.corpus], tmp_path / "out", model="pas_de_modele", cache=BuildCache(tmp_path / "cache", pipeline="p", extraction="e"))
    assert str(raised.value).startswith("cannot load the spaCy model 'pas_de_modele': install it with")
