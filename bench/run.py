"""Benchmark kg build on synthetic corpora of N articles; see bench/README.md.

    .venv/bin/python bench/run.py                      # N = 100, 1000, 5000
    .venv/bin/python bench/run.py --sizes 100,1000 --n-process 2

For each N: a corpus made by recombining the body paragraphs of seeds/ (deterministic seed, each
article with its own title and date so every text differs), written under --work (default
bench/corpora, git-ignored). Then, each in its own process, timed from outside, with the
process's peak RSS (getrusage of a wrapper's children):
  bare        spacy.load(model) + nlp.pipe over the same body segments (kg's batch size)
  cold        kg build with an empty cache
  cold-npN    the same with --n-process N (when --n-process > 1)
  warm        kg build into a new folder with the cache filled (facts reused, exports rewritten)
  noop        the same build again: the up-to-date check, nothing written
  incremental one article added, built into the warm folder
then, in this process: serialisation speed of each export format (triples/s) and the latency of
every queries/*.rq on the cold build's graph under rdflib and Oxigraph.
Results: a markdown table on stdout and bench/out/results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_SIZES = (100, 1000, 5000)
MODEL = "fr_core_news_md"
PIPE_BATCH = 64  # kg.build.PIPE_BATCH: the bare run parses with kg's batch size
PARAGRAPHS_PER_ARTICLE = (4, 9)
QUERY_RUNS = 3
QUERY_REPEAT_BELOW = 2.0  # seconds: slower queries run once


# ---------------------------------------------------------------------------------- corpora


def seed_paragraphs(seeds: Path) -> list[str]:
    """The body paragraphs of the seed articles, in order (read at run time, never copied here)."""
    from kg.corpus import read_corpus

    corpus = read_corpus([seeds])
    return [a.text[s.start:s.end] for a in corpus.articles for s in a.body()]


def synthetic_article(number: int, paragraphs: list[str], seed: int) -> str:
    """Article `number`: a title, a date and 4 to 9 seed paragraphs in a random order."""
    rng = random.Random(f"{seed}:{number}")
    chosen = rng.sample(paragraphs, rng.randint(*PARAGRAPHS_PER_ARTICLE))
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(900))
    header = f"---\ntitle: Dépêche de synthèse numéro {number}\ndate: {day.isoformat()}\n---\n"
    return header + f"Dépêche de synthèse numéro {number}\n\n" + "\n\n".join(chosen) + "\n"


def write_corpus(folder: Path, size: int, paragraphs: list[str], seed: int) -> Path:
    """`size` articles in `folder` (rewritten from scratch)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for number in range(size):
        (folder / f"a{number:06d}.txt").write_text(synthetic_article(number, paragraphs, seed), encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------- measuring


def measure(command: list[str]) -> dict:
    """Run `command` in a wrapper process; wall seconds, peak RSS (MiB) and its JSON stdout, if any."""
    wrapper = [PYTHON, __file__, "--measure", "--", *command]
    done = subprocess.run(wrapper, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def tree_pss_mib(root: int) -> float:
    """Proportional set size of `root` and its descendants (MiB): forked workers share pages, PSS splits them."""
    total_kib, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total_kib += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):  # the process ended meanwhile
            pass
    return total_kib / 1024


def measured_child(command: list[str]) -> None:
    """In the wrapper: run the command, then print its time, peak RSS and last output line.

    `peak_mib` is the largest single process (getrusage); `peak_tree_mib` the largest total PSS
    of the command's whole process tree, sampled every 0.2 s: what a build with a parsing child
    process, or worker processes, holds at once.
    """
    import threading

    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree_peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            tree_peak[0] = max(tree_peak[0], tree_pss_mib(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    if process.returncode != 0:
        sys.stderr.write(stderr)
        raise SystemExit(process.returncode)
    lines = stdout.strip().splitlines()
    try:
        output = json.loads(lines[-1]) if lines else None
    except ValueError:
        output = lines[-1]
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "peak_tree_mib": tree_peak[0], "output": output}))


BARE = """
import json, sys, time
started = time.perf_counter()
import spacy
nlp = spacy.load(sys.argv[1])
loaded = time.perf_counter()
texts = json.load(open(sys.argv[2], encoding="utf-8"))
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=int(sys.argv[3])))
print(json.dumps({"load": loaded - started, "pipe": time.perf_counter() - loaded, "tokens": tokens}))
"""

BUILD = """
import json, sys
from pathlib import Path
from kg.build import build
from kg.cache import BuildCache
corpus, out, cache, n_process = sys.argv[1:5]
summary = build([Path(corpus)], Path(out), cache=BuildCache.for_model(Path(cache), "fr_core_news_md"),
                n_process=int(n_process))
print(json.dumps({"line": summary.line(), "parsed": summary.parsed, "reused": summary.reused,
                  "restored": summary.restored, "triples": summary.triples, "up_to_date": summary.up_to_date,
                  "timings": summary.timings}))
"""


def bare_texts(corpus: Path, target: Path) -> int:
    from kg.corpus import read_corpus

    texts = [a.text[s.start:s.end] for a in read_corpus([corpus]).articles for s in a.body()]
    target.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return len(texts)


def kg_build(corpus: Path, out: Path, cache: Path, n_process: int = 1) -> dict:
    return measure([PYTHON, "-c", BUILD, str(corpus), str(out), str(cache), str(n_process)])


def serialisation(graph_file: Path, base_iri: str = "https://example.org/kg/") -> dict:
    """Seconds and triples/s of each export writer on the built graph."""
    from kg import formats
    from kg.page import render_page

    started = time.perf_counter()
    graph = formats.load_graph(graph_file)
    results = {"load_nt": {"seconds": time.perf_counter() - started}}
    writers = {
        "ttl": lambda: formats.to_turtle(graph, base_iri),
        "trig": lambda: formats.to_trig(graph, base_iri),
        "jsonld": lambda: formats.to_jsonld(graph, base_iri),
        "nt": lambda: formats.to_ntriples(graph),
        "graphml": lambda: formats.to_graphml(graph),
        "html": lambda: render_page(graph),
    }
    for name, write in writers.items():
        started = time.perf_counter()
        write()
        results[name] = {"seconds": time.perf_counter() - started}
    for entry in results.values():
        entry["triples_per_s"] = len(graph) / entry["seconds"] if entry["seconds"] else None
    return {"triples": len(graph), "writers": results}


QUERY = """
import json, statistics, sys, time
from pathlib import Path
from kg.formats import load_graph
from kg.query import oxigraph_store, query_prefixes, resolve_query, run_query
engine, graph_file, queries, name, runs, repeat_below = sys.argv[1:7]
started = time.perf_counter()
source = load_graph(Path(graph_file)) if engine == "rdflib" else oxigraph_store(Path(graph_file))
loaded = time.perf_counter() - started
prefixes = query_prefixes(source if engine == "rdflib" else Path(graph_file))
_, sparql = resolve_query(name, Path(queries))
times, rows = [], 0
for _ in range(int(runs)):
    started = time.perf_counter()
    rows = len(list(run_query(source, sparql, {}, store=engine, prefixes=prefixes)))
    times.append(time.perf_counter() - started)
    if times[-1] > float(repeat_below):
        break
print(json.dumps({"load": loaded, "seconds": statistics.median(times), "rows": rows}))
"""


def timed_query(engine: str, graph_file: Path, name: str, timeout: float) -> dict | None:
    """{load, seconds (median of up to QUERY_RUNS runs), rows} in a fresh process; None past `timeout`.

    A process per query, because neither engine can be interrupted reliably from inside.
    """
    command = [PYTHON, "-c", QUERY, engine, str(graph_file), str(ROOT / "queries"), name,
               str(QUERY_RUNS), str(QUERY_REPEAT_BELOW)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"query {name} failed under {engine}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def query_latency(graph_file: Path, timeout: float) -> dict:
    """Latency of each named query under rdflib and Oxigraph (graph loading excluded)."""
    from kg.query import list_queries

    results = {}
    for name, _ in list_queries(ROOT / "queries"):
        row = {}
        for engine in ("rdflib", "oxigraph"):
            measured = timed_query(engine, graph_file, name, timeout)
            row[engine] = measured["seconds"] if measured else None
            row[f"{engine}_rows"] = measured["rows"] if measured else None
            row[f"{engine}_load"] = measured["load"] if measured else None
        results[name] = row
    return {"timeout": timeout, "queries": results}


# ---------------------------------------------------------------------------------- one size


def bench_size(size: int, work: Path, paragraphs: list[str], seed: int, n_process: int, query_timeout: float,
               save, queries: bool = True) -> dict:
    """Every measurement for one corpus size; `save(result)` is called after each (partial results)."""
    folder = work / str(size)
    corpus = write_corpus(folder / "articles", size, paragraphs, seed)
    for name in ("cache", "cache-np", "out"):
        shutil.rmtree(folder / name, ignore_errors=True)
    result: dict = {"size": size}

    def step(name: str, measured) -> None:
        print(f"  {name} …", file=sys.stderr, flush=True)
        result[name] = measured()
        save(result)

    texts = folder / "segments.json"
    result["segments"] = bare_texts(corpus, texts)
    out = folder / "out"
    step("bare", lambda: measure([PYTHON, "-c", BARE, MODEL, str(texts), str(PIPE_BATCH)]))
    step("cold", lambda: kg_build(corpus, out / "cold", folder / "cache"))
    if n_process > 1:
        step(f"cold_np{n_process}", lambda: kg_build(corpus, out / "cold-np", folder / "cache-np", n_process))
        result[f"cold_np{n_process}"]["identical_exports"] = same_files(out / "cold", out / "cold-np")
    step("warm", lambda: kg_build(corpus, out / "warm", folder / "cache"))
    result["warm"]["identical_exports"] = same_files(out / "cold", out / "warm")
    step("noop", lambda: kg_build(corpus, out / "warm", folder / "cache"))
    (corpus / "z-extra.txt").write_text(synthetic_article(size, paragraphs, seed + 1), encoding="utf-8")
    step("incremental", lambda: kg_build(corpus, out / "warm", folder / "cache"))
    (corpus / "z-extra.txt").unlink()
    cold, bare, warm = result["cold"]["seconds"], result["bare"]["seconds"], result["warm"]["seconds"]
    result["ratios"] = {"cold_over_bare": cold / bare, "warm_over_cold": warm / cold,
                        "noop_over_cold": result["noop"]["seconds"] / cold}

    graph_file = out / "cold" / "graph.nt"
    step("serialisation", lambda: serialisation(graph_file))
    if queries:
        step("sparql", lambda: query_latency(graph_file, query_timeout))
    return result


def same_files(left: Path, right: Path) -> bool:
    names = sorted(p.name for p in left.iterdir())
    return names == sorted(p.name for p in right.iterdir()) and all(
        (left / n).read_bytes() == (right / n).read_bytes() for n in names)


def help_seconds(runs: int = 5) -> float:
    """Median wall time of `kg --help`."""
    kg = Path(PYTHON).with_name("kg")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(kg), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# ---------------------------------------------------------------------------------- report


def markdown(results: list[dict], help_time: float) -> str:
    def s(entry: dict) -> str:
        return f"{entry['seconds']:.1f} s"

    lines = [
        "| N | segments | bare spaCy | cold | warm | no-op | +1 article | cold/bare | warm/cold | peak RSS cold "
        "(largest process / whole tree, PSS) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['size']} | {r['segments']} | {s(r['bare'])} | {s(r['cold'])} | {s(r['warm'])} | {s(r['noop'])} "
            f"| {s(r['incremental'])} | {r['ratios']['cold_over_bare']:.2f} | {r['ratios']['warm_over_cold']:.3f} "
            f"| {r['cold']['peak_mib']:.0f} / {r['cold'].get('peak_tree_mib', 0):.0f} MiB |"
        )
    lines += ["", "Stages of the cold build (s):", "",
              "| N | read | facts (parse+extract) | resolve | rdf | exports | page | bare load | bare pipe |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        t = r["cold"]["output"]["timings"]
        lines.append(
            f"| {r['size']} | {t.get('read', 0):.1f} | {t.get('facts', 0):.1f} | {t.get('resolve', 0):.1f} "
            f"| {t.get('rdf', 0):.1f} | {t.get('exports', 0):.1f} | {t.get('page', 0):.1f} "
            f"| {r['bare']['output']['load']:.1f} | {r['bare']['output']['pipe']:.1f} |"
        )
    extra = [key for key in results[0] if key.startswith("cold_np")] if results else []
    for key in extra:
        lines += ["", f"{key}: " + ", ".join(
            f"N={r['size']}: {r[key]['seconds']:.1f} s (vs {r['cold']['seconds']:.1f} s, "
            f"peak {r[key]['peak_mib']:.0f} MiB, tree {r[key].get('peak_tree_mib', 0):.0f} MiB, same exports: {r[key]['identical_exports']})" for r in results)]
    lines += ["", "Serialisation (triples/s):", "", "| N | triples | ttl | trig | jsonld | nt | graphml | html |",
              "|---|---|---|---|---|---|---|---|"]
    for r in results:
        w = r["serialisation"]["writers"]
        lines.append(f"| {r['size']} | {r['serialisation']['triples']} | "
                     + " | ".join(f"{w[k]['triples_per_s']:,.0f}" for k in ("ttl", "trig", "jsonld", "nt", "graphml", "html"))
                     + " |")
    timed = [r for r in results if "sparql" in r]
    if timed:
        timeout = timed[0]["sparql"]["timeout"]
        lines += ["", "SPARQL latency on the cold graph (ms, rdflib / Oxigraph; median of 3 runs, 1 run above "
                      f"{QUERY_REPEAT_BELOW:.0f} s):", ""]
        lines += ["| query | " + " | ".join(f"N={r['size']}" for r in timed) + " |", "|---|" + "---|" * len(timed)]
        for name in sorted(timed[0]["sparql"]["queries"]):
            cells = []
            for r in timed:
                q = r["sparql"]["queries"][name]
                cells.append(" / ".join(f"{q[e] * 1000:,.0f}" if q[e] is not None else f"> {timeout:.0f} s"
                                        for e in ("rdflib", "oxigraph")))
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", f"kg --help: {help_time:.2f} s (median of 5)"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--measure", "--"]:
        measured_child(argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic corpora")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "corpora", help="where corpora and builds go")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="where results.json goes")
    parser.add_argument("--n-process", type=int, default=1, help="also time a cold build with this many processes")
    parser.add_argument("--skip-queries", action="store_true", help="do not time the SPARQL queries")
    parser.add_argument("--query-timeout", type=float, default=60.0, help="seconds before a query (load + runs) is given up")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    paragraphs = seed_paragraphs(ROOT / "seeds")
    results: list[dict] = []
    args.out.mkdir(parents=True, exist_ok=True)
    help_time = help_seconds()

    def save(partial: dict | None = None) -> None:
        done = results + ([partial] if partial is not None else [])
        (args.out / "results.json").write_text(
            json.dumps({"help_seconds": help_time, "cpus": os.cpu_count(), "sizes": done}, indent=1) + "\n"
        )

    for size in sizes:
        print(f"N = {size} …", file=sys.stderr, flush=True)
        results.append(bench_size(size, args.work, paragraphs, args.seed, args.n_process, args.query_timeout, save,
                                  queries=not args.skip_queries))
        save()
    sys.stdout.write(markdown(results, help_time))


if __name__ == "__main__":
    main()
