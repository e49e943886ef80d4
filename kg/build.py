"""One build: articles in, exports out. The CLI's `kg build` is a thin wrapper around `build`.

The work splits in two. The map (`read_articles`): each article alone is parsed by spaCy and
read by kg.extract.ArticleReader into plain ArticleFacts — from the cache when the article
was seen before, else streamed through `nlp.pipe` so memory stays flat however many articles
come, or shipped to Dask workers (kg.distributed). The reduce, always here: kg.resolve turns
every article's facts into one graph, which kg.rdf, kg.formats and kg.page write out.

Before any of it, an up-to-date check: when the cache records a build into the same folder
from the same articles, options and kg code, and every file it wrote is still there unchanged,
nothing is done and the summary says the exports are up to date.

This module imports neither spaCy nor rdflib at load time; a build whose facts all come from
the cache never imports spaCy at all.
"""
from __future__ import annotations

import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from kg.cache import BuildCache, corpus_fingerprint, file_sha256, package_fingerprint, pipeline_fingerprint
from kg.corpus import read_corpus
from kg.errors import KgError
from kg.model import Article
from kg.namespace import DEFAULT_BASE_IRI

# kg.nlp.DEFAULT_MODEL, repeated here because importing kg.nlp imports spaCy (tested equal).
DEFAULT_MODEL = "fr_core_news_md"
EXECUTORS = ("local", "dask")
EXPORT_FORMATS = ("ttl", "trig", "jsonld", "nt", "graphml", "void", "html")  # kg.formats.FORMATS + html
# From this many articles to parse on, `build` parses them in a child process: the model (~500 MiB)
# and spaCy's buffers are gone with it before the graph is built, so peak memory is the larger of
# parse and graph, not their sum (freeing the model in-process leaves most of it fragmented).
PARSE_APART_FROM = 500
PIPE_BATCH = 64  # body segments (paragraphs) per nlp.pipe batch; bench/run.py parses bare spaCy with it too


class BuildError(KgError):
    """The build cannot run as asked (an unknown executor, an unreachable scheduler...)."""

    exit_code = 2


class Progress:
    """What a build reports while it runs; the default says nothing. The CLI draws it with rich."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins; `total` is its number of steps when known."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""


@dataclass
class BuildSummary:
    articles: int
    entities: Counter
    events: Counter
    triples: int
    seconds: float
    out_dir: Path = Path("exports")
    written: list[Path] = field(default_factory=list)
    warnings: tuple[str, ...] = ()
    parsed: int = 0  # articles parsed by spaCy in this build
    restored: int = 0  # articles whose parse came from the cache (read again by a changed extractor)
    reused: int = 0  # articles whose facts came from the cache (neither parsed nor read)
    up_to_date: bool = False  # nothing was done: the exports already matched the inputs
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def line(self) -> str:
        """The one-line summary `kg build` prints."""
        counts = (f"{self.articles} articles, {sum(self.entities.values())} entities, "
                  f"{sum(self.events.values())} events, {self.triples} triples")
        if self.up_to_date:
            return f"exports are up to date in {self.out_dir}: {counts} (nothing written)"
        cached = self.restored + self.reused
        return (f"built {self.out_dir} in {self.seconds:.1f} s: {counts} "
                f"({self.parsed} parsed, {cached} from cache; {len(self.written)} files written)")

    def lines(self) -> list[str]:
        return [self.line()]


# ---------------------------------------------------------------------------------- the map


def read_articles(articles: Sequence[Article], model: str = DEFAULT_MODEL, *, cache: BuildCache | None = None,
                  n_process: int = 1, executor: str = "local", scheduler: str | None = None,
                  progress: Progress | None = None, apart: bool = False) -> tuple[list, dict[str, int]]:
    """The ArticleFacts of every article, in the order given, and how each was obtained.

    Counts: `reused` (facts from the cache), `restored` (docs from the cache, read again),
    `parsed` (parsed now). Facts read here are stored in the cache for the next build. With
    `apart`, PARSE_APART_FROM or more articles to read are read in a child process.
    """
    from kg.extract import ArticleReader

    progress = progress or Progress()
    progress.stage("reading articles", len(articles))
    facts: dict[str, object] = {}
    counts = {"reused": 0, "restored": 0, "parsed": 0}
    todo = []
    for article in articles:
        found = cache.get_facts(article) if cache is not None else None
        if found is not None:
            facts[article.id] = found
            counts["reused"] += 1
            progress.advance()
        elif not article.body():  # nothing to parse: no model needed
            facts[article.id] = ArticleReader(article).read([])
            progress.advance()
        else:
            todo.append(article)

    def keep(article: Article, found) -> None:
        facts[article.id] = found
        if cache is not None:
            cache.put_facts(article, found)
        progress.advance()

    if todo and executor == "dask":
        from kg.distributed import read_on_dask

        for article, found in read_on_dask(todo, model, scheduler=scheduler):
            counts["parsed"] += 1
            keep(article, found)
    elif apart and len(todo) >= PARSE_APART_FROM:
        found, child_counts = read_in_child(todo, model, cache=cache, n_process=n_process, progress=progress)
        facts.update(found)
        for key, value in child_counts.items():
            counts[key] += value
    elif todo:
        for article, docs, parsed in parsed_articles(todo, model, cache=cache, n_process=n_process):
            counts["parsed" if parsed else "restored"] += 1
            keep(article, ArticleReader(article).read(list(zip(article.body(), docs))))
    return [facts[a.id] for a in articles], counts


def load_pipeline(model: str):
    """kg's spaCy pipeline (kg.nlp.load_pipeline), or a one-line error when spaCy is missing."""
    try:
        from kg.nlp import load_pipeline as load
    except ImportError as error:
        raise BuildError(f"cannot import spaCy, needed to parse new articles: {error}") from None
    return load(model)


class PipeProgress(Progress):
    """A child's progress, sent to its parent (stages stay the parent's)."""

    def __init__(self, pipe):
        self.pipe = pipe

    def advance(self, steps: int = 1) -> None:
        self.pipe.send(("advance", steps))


def read_in_child(articles: Sequence[Article], model: str, *, cache: BuildCache | None = None, n_process: int = 1,
                  progress: Progress | None = None) -> tuple[dict[str, object], dict[str, int]]:
    """read_articles in a forked child process: ({article id: facts}, counts).

    The child parses, reads and fills the cache; the facts come back pickled through a pipe
    with the progress on the way. A kg error in the child is raised here as it was.
    """
    import multiprocessing

    progress = progress or Progress()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=read_for_parent, args=(sender, articles, model, cache, n_process))
    child.start()
    sender.close()
    outcome = None
    try:
        while outcome is None:
            try:
                kind, value = receiver.recv()
            except EOFError:
                break
            if kind == "advance":
                progress.advance(value)
            else:
                outcome = kind, value
    except BaseException:  # Ctrl-C or an error here: the child must not parse on alone
        child.terminate()
        raise
    finally:
        receiver.close()
        child.join()
    if outcome is None:
        raise BuildError(f"the parsing process stopped unexpectedly (exit code {child.exitcode})")
    kind, value = outcome
    if kind == "error":
        raise value
    facts, counts, problem = value
    if cache is not None and problem and cache.problem is None:
        cache.problem = problem
    return {a.id: f for a, f in zip(articles, facts)}, counts


def read_for_parent(pipe, articles: Sequence[Article], model: str, cache: BuildCache | None, n_process: int) -> None:
    """In the child: read the articles, send ("done", (facts, counts, cache problem)) or ("error", error)."""
    _fresh_standard_streams()
    try:
        facts, counts = read_articles(articles, model, cache=cache, n_process=n_process, progress=PipeProgress(pipe))
        pipe.send(("done", (facts, counts, cache.problem if cache is not None else None)))
    except KgError as error:
        pipe.send(("error", error))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the parent reports it
        pass
    except Exception:  # a bug: its traceback travels as text, so it is not lost
        import traceback

        pipe.send(("error", RuntimeError(f"parsing failed in the child process:\n{traceback.format_exc()}")))
    finally:
        pipe.close()


def _fresh_standard_streams() -> None:
    """New stdout / stderr objects on the same descriptors, in a forked child.

    The parent's progress bar writes from a thread; had it held a stream's lock at the fork,
    the child's first warning would wait on it forever.
    """
    import os

    for name, descriptor in (("stdout", 1), ("stderr", 2)):
        try:
            setattr(sys, name, open(os.dup(descriptor), "w", buffering=1, encoding="utf-8", errors="replace"))
        except OSError:  # no such descriptor: leave the stream as it is
            pass


def parsed_articles(articles: Sequence[Article], model: str = DEFAULT_MODEL, *, cache: BuildCache | None = None,
                    n_process: int = 1) -> Iterator[tuple[Article, list, bool]]:
    """(article, docs of its body segments, parsed now?) for each article with a body, one at a time.

    Cached parses come first; the rest stream through one `nlp.pipe`, and the docs of each
    article are handed over (and cached) as soon as its last segment is parsed.
    """
    nlp = load_pipeline(model)
    to_parse = []
    for article in articles:
        docs = cache.get_docs(article, nlp.vocab) if cache is not None else None
        if docs is None:
            to_parse.append(article)
        else:
            yield article, docs, False
    for article, docs in parse_stream(nlp, to_parse, n_process=n_process):
        if cache is not None:
            cache.put_docs(article, docs)
        yield article, docs, True


def parse_stream(nlp, articles: Iterable[Article], *, n_process: int = 1,
                 batch_size: int = PIPE_BATCH) -> Iterator[tuple[Article, list]]:
    """(article, docs of its body segments), parsed by one streaming `nlp.pipe` over all articles.

    `nlp.pipe` keeps the order of its input, so a queue of (article, segments left) filled as
    texts are handed out tells whose each doc is; it holds only the batches in flight.
    """
    owners: deque[tuple[Article, int]] = deque()

    def texts() -> Iterator[str]:
        for article in articles:
            body = article.body()
            for number, segment in enumerate(body):
                owners.append((article, len(body) - number - 1))
                yield article.text[segment.start:segment.end]

    docs: list = []
    for doc in nlp.pipe(texts(), batch_size=batch_size, n_process=n_process):
        article, left = owners.popleft()
        docs.append(doc)
        if left == 0:
            yield article, docs
            docs = []


def parse_articles(articles: Sequence[Article], model: str = DEFAULT_MODEL, *,
                   n_process: int = 1) -> Iterator[tuple[Article, list]]:
    """(article, [(segment, Doc)]) for every article, in order, without the cache (kg.reading)."""
    stream = parse_stream(load_pipeline(model), [a for a in articles if a.body()], n_process=n_process)
    for article in articles:
        docs = next(stream)[1] if article.body() else []
        yield article, list(zip(article.body(), docs))


def extract_facts(parsed: Iterable) -> list:
    """The per-article half for already parsed articles: (article, [(segment, Doc)]) → ArticleFacts."""
    from kg.extract import ArticleReader

    return [ArticleReader(article).read(docs) for article, docs in parsed]


# ---------------------------------------------------------------------------------- the build


def build(sources: Sequence[Path], out_dir: Path, *, base_iri: str = DEFAULT_BASE_IRI, model: str = DEFAULT_MODEL,
          formats: Sequence[str] | None = None, cache: BuildCache | None = None, n_process: int = 1,
          executor: str = "local", scheduler: str | None = None, force: bool = False,
          progress: Progress | None = None, warn: Callable[[str], None] | None = None) -> BuildSummary:
    """Read `sources`, extract the graph, write every export into `out_dir` atomically.

    With a `cache`, unchanged articles are neither parsed nor read again, and when nothing
    changed since the last build into `out_dir` (and `force` is false) nothing is written.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    chosen = check_build_options(formats, executor, n_process, scheduler)
    out_dir = Path(out_dir)

    corpus = read_corpus(sources)
    for line in corpus.warnings:
        if warn:
            warn(line)
    articles = list(corpus.articles)
    inputs = build_inputs(articles, base_iri, model, chosen)
    timings["read"] = time.perf_counter() - started

    if cache is not None and not force:
        recorded = cache.read_manifest(out_dir)
        if recorded is not None and is_up_to_date(recorded, inputs, out_dir):
            counts = recorded["summary"]
            return BuildSummary(
                articles=counts["articles"], entities=Counter(counts["entities"]), events=Counter(counts["events"]),
                triples=counts["triples"], seconds=time.perf_counter() - started, out_dir=out_dir,
                warnings=corpus.warnings, reused=len(articles), up_to_date=True, timings=timings,
            )

    from kg.formats import check_output_dir

    check_output_dir(out_dir)
    step = time.perf_counter()
    facts, counts = read_articles(articles, model, cache=cache, n_process=n_process, executor=executor,
                                  scheduler=scheduler, progress=progress, apart=True)
    timings["facts"] = time.perf_counter() - step
    progress = progress or Progress()
    graph, entities, events = resolve_graph(articles, facts, base_iri, timings, progress)
    del facts  # the graph holds everything now: what the facts took can go to the exports
    written = write_outputs(graph, out_dir, base_iri, chosen, timings, progress)
    summary = BuildSummary(
        articles=len(articles),
        entities=entities,
        events=events,
        triples=len(graph),
        seconds=time.perf_counter() - started,
        out_dir=out_dir,
        written=sorted(written),
        warnings=corpus.warnings,
        timings=timings,
        **counts,
    )
    if cache is not None:
        cache.write_manifest(out_dir, record(inputs, summary))
        if cache.problem and warn:
            warn(cache.problem)
    return summary


def resolve_graph(articles: list[Article], facts: list, base_iri: str, timings: dict[str, float],
                  progress: Progress | None = None):
    """The reduce: every article's facts resolved into one RDF graph. (graph, entities and events by class)

    The graph is a kg.formats.TripleIndex, what the writers read (an rdflib Graph would cost
    more to fill than to write out). The KnowledgeGraph is dropped once in RDF, so that it and
    the facts do not stay alive while the exports are written (at 5 000 articles, a few
    hundred MiB).
    """
    from kg.formats import TripleIndex
    from kg.gazetteer import load_gazetteer
    from kg.gcpause import cyclic_gc_paused
    from kg.rdf import rdf_triples
    from kg.resolve import resolve_corpus

    (progress or Progress()).stage("resolving entities and events")
    step = time.perf_counter()
    kg = resolve_corpus(articles, facts, load_gazetteer())
    timings["resolve"] = time.perf_counter() - step
    step = time.perf_counter()
    with cyclic_gc_paused():
        graph = TripleIndex(rdf_triples(kg, base_iri))
    timings["rdf"] = time.perf_counter() - step
    return graph, Counter(e.cls for e in kg.entities.values()), Counter(e.cls for e in kg.events)


def write_outputs(graph, out_dir: Path, base_iri: str, chosen: Sequence[str], timings: dict[str, float],
                  progress: Progress | None = None) -> list[Path]:
    """Every chosen export and the page, written atomically into `out_dir`; the written paths."""
    from kg.formats import write_exports
    from kg.page import write_page

    progress = progress or Progress()
    progress.stage("writing exports")
    step = time.perf_counter()
    written = write_exports(graph, out_dir, base_iri, [f for f in chosen if f != "html"])
    timings["exports"] = time.perf_counter() - step
    if "html" in chosen:
        progress.stage("writing the page")
        step = time.perf_counter()
        written.append(write_page(graph, out_dir / "graph.html"))
        timings["page"] = time.perf_counter() - step
    return written


def check_build_options(formats: Sequence[str] | None, executor: str = "local", n_process: int = 1,
                        scheduler: str | None = None) -> list[str]:
    """The formats to write, in canonical order; an unknown format or executor is an error."""
    if executor not in EXECUTORS:
        raise BuildError(f"unknown executor '{executor}' (choose from {', '.join(EXECUTORS)})")
    if scheduler and executor != "dask":
        raise BuildError("--scheduler needs --executor dask")
    if n_process < 1:
        raise BuildError(f"--n-process must be at least 1, not {n_process}")
    chosen = list(formats) if formats else list(EXPORT_FORMATS)
    for name in chosen:
        if name not in EXPORT_FORMATS:
            from kg.formats import FormatError

            raise FormatError(f"unknown format '{name}' (choose from {', '.join(EXPORT_FORMATS)})")
    return [name for name in EXPORT_FORMATS if name in chosen]


# ---------------------------------------------------------------------------------- up to date


def build_inputs(articles: Sequence[Article], base_iri: str, model: str, formats: Sequence[str]) -> dict:
    """Everything the exports depend on: the articles, the options, the model and kg itself."""
    return {
        "articles": corpus_fingerprint(articles),
        "options": {"base_iri": base_iri, "model": model, "formats": list(formats)},
        "pipeline": pipeline_fingerprint(model),
        "kg": package_fingerprint(),
    }


def record(inputs: dict, summary: BuildSummary) -> dict:
    """What a build leaves in the cache for the next up-to-date check (no time, no absolute path)."""
    return {
        "inputs": inputs,
        "outputs": {path.name: file_sha256(path) for path in summary.written},
        "summary": {
            "articles": summary.articles,
            "entities": dict(sorted(summary.entities.items())),
            "events": dict(sorted(summary.events.items())),
            "triples": summary.triples,
        },
    }


def is_up_to_date(recorded: dict, inputs: dict, out_dir: Path) -> bool:
    """Same inputs as the recorded build, and every file it wrote still there, byte for byte."""
    outputs = recorded.get("outputs")
    if recorded.get("inputs") != inputs or not isinstance(outputs, dict) or not outputs:
        return False
    if not isinstance(recorded.get("summary"), dict):
        return False
    return all(file_sha256(out_dir / name) == sha for name, sha in sorted(outputs.items()))
