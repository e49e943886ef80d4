"""One build: articles in, exports out. The CLI's `kg build` is a thin wrapper around `build`."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg.corpus import Corpus, read_corpus
from kg.extract import ArticleFacts, ArticleReader
from kg.model import Article, KnowledgeGraph
from kg.namespace import DEFAULT_BASE_IRI
from kg.nlp import DEFAULT_MODEL


@dataclass
class BuildSummary:
    articles: int
    entities: Counter
    events: Counter
    triples: int
    seconds: float
    written: list[Path] = field(default_factory=list)
    warnings: tuple[str, ...] = ()
    parsed: int = 0  # articles parsed (not taken from the cache)

    def lines(self) -> list[str]:
        ents = ", ".join(f"{n} {c}" for c, n in sorted(self.entities.items())) or "none"
        evs = ", ".join(f"{n} {c}" for c, n in sorted(self.events.items())) or "none"
        return [
            f"articles: {self.articles} ({self.parsed} parsed)",
            f"entities: {sum(self.entities.values())} ({ents})",
            f"events: {sum(self.events.values())} ({evs})",
            f"triples: {self.triples}",
            f"seconds: {self.seconds:.1f}",
        ]


def parse_articles(articles: Sequence[Article], model: str = DEFAULT_MODEL, *, cache=None,
                   n_process: int = 1, progress: Callable[[int], None] | None = None):
    """Yield (article, [(segment, Doc)]) for each article, parsing only what the cache lacks."""
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    for article, docs in _parse(nlp, articles, cache, n_process):
        if progress:
            progress(1)
        yield article, docs


def _parse(nlp, articles, cache, n_process):
    chunk = 256
    for start in range(0, len(articles), chunk):
        batch = articles[start:start + chunk]
        cached = {a.id: cache.get(a) for a in batch} if cache is not None else {}
        todo = [a for a in batch if cached.get(a.id) is None]
        texts, owners = [], []
        for article in todo:
            for segment in article.body():
                texts.append(article.text[segment.start:segment.end])
                owners.append((article.id, segment))
        parsed: dict[str, list] = {a.id: [] for a in todo}
        for (article_id, segment), doc in zip(owners, nlp.pipe(texts, batch_size=64, n_process=n_process)):
            parsed[article_id].append((segment, doc))
        for article in todo:
            if cache is not None:
                cache.put(article, [doc for _, doc in parsed[article.id]])
        for article in batch:
            if article.id in parsed:
                yield article, parsed[article.id]
            else:
                yield article, list(zip(article.body(), cached[article.id]))


def extract_facts(parsed: Iterable) -> list[ArticleFacts]:
    """The per-article half: entity and event mentions of each parsed article."""
    return [ArticleReader(article).read(docs) for article, docs in parsed]


def build_graph(corpus: Corpus, model: str = DEFAULT_MODEL, *, cache=None, n_process: int = 1,
                progress=None) -> tuple[KnowledgeGraph, int]:
    from kg.gazetteer import load_gazetteer
    from kg.resolve import resolve_corpus

    articles = list(corpus.articles)
    parsed_count = 0

    def counting():
        nonlocal parsed_count
        for article, docs in parse_articles(articles, model, cache=cache, n_process=n_process, progress=progress):
            yield article, docs

    facts = extract_facts(counting())
    if cache is not None:
        parsed_count = cache.misses
    else:
        parsed_count = len(articles)
    return resolve_corpus(articles, facts, load_gazetteer()), parsed_count


def build(sources: Sequence[Path], out_dir: Path, *, base_iri: str = DEFAULT_BASE_IRI, model: str = DEFAULT_MODEL,
          formats: Sequence[str] | None = None, cache=None, n_process: int = 1, progress=None,
          warn: Callable[[str], None] | None = None) -> BuildSummary:
    """Read `sources`, extract the graph, write every export into `out_dir` atomically."""
    from kg.formats import FORMATS, check_formats, check_output_dir, write_exports
    from kg.page import write_page
    from kg.rdf import to_rdf

    started = time.perf_counter()
    check_output_dir(out_dir)
    corpus = read_corpus(sources)
    for line in corpus.warnings:
        if warn:
            warn(line)
    kg, parsed = build_graph(corpus, model, cache=cache, n_process=n_process, progress=progress)
    graph = to_rdf(kg, base_iri)
    chosen = list(formats) if formats else list(FORMATS) + ["html"]
    check_formats([f for f in chosen if f != "html"])
    written = write_exports(graph, out_dir, base_iri, [f for f in chosen if f != "html"])
    if "html" in chosen:
        written.append(write_page(graph, out_dir / "graph.html"))
    return BuildSummary(
        articles=len(kg.articles),
        entities=Counter(e.cls for e in kg.entities.values()),
        events=Counter(e.cls for e in kg.events),
        triples=len(graph),
        seconds=time.perf_counter() - started,
        written=sorted(written),
        warnings=corpus.warnings,
        parsed=parsed,
    )
