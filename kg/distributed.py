"""The map step on a Dask cluster: shards of articles parsed and read on workers.

`kg build --executor dask [--scheduler tcp://host:8786]` sends the articles the cache lacks to
the workers in shards; each worker loads the spaCy pipeline once and returns, per article, the
plain ArticleFacts (mentions with their gazetteer keys, raw events with mention indexes). The
client then resolves them all together (kg.resolve) and writes the exports, exactly as a
single-process build does, so both give the same bytes.

Why facts and not N-Quads per shard: kg's entity resolution is global. A lone "Kim" becomes
Kim Jong-un only if some article of the corpus names him in full, "le dirigeant nord-coréen"
needs the article's people, and the same meeting reported by two articles is one event whose
IRI derives from its merged arguments. A shard cannot mint those IRIs alone; its facts are the
smallest output that merges without coordination, and the merge is the resolve step.

Every worker must run the same kg and model as the client: each shard reports the extraction
and pipeline fingerprints it ran with, and a mismatch stops the build with an error.
"""
from __future__ import annotations

from typing import Iterator, Sequence

from kg.errors import KgError
from kg.model import Article

SHARD_SIZE = 16  # articles per task: large enough to amortise scheduling, small enough to balance
CONNECT_TIMEOUT = "10s"


class ClusterError(KgError):
    """Dask is missing, the scheduler cannot be reached, or a worker runs another kg."""

    exit_code = 2


def shards(articles: Sequence[Article], size: int = SHARD_SIZE) -> list[list[Article]]:
    return [list(articles[i:i + size]) for i in range(0, len(articles), size)]


def read_shard(articles: Sequence[Article], model: str) -> tuple[str, str, list]:
    """On a worker: (extraction fingerprint, pipeline fingerprint, [ArticleFacts]) of a shard."""
    from kg.build import extract_facts, parse_articles
    from kg.cache import extraction_fingerprint, pipeline_fingerprint

    facts = extract_facts(parse_articles(articles, model))
    return extraction_fingerprint(), pipeline_fingerprint(model), facts


def read_on_dask(articles: Sequence[Article], model: str, *, scheduler: str | None = None,
                 shard_size: int = SHARD_SIZE, connect_timeout: str = CONNECT_TIMEOUT
                 ) -> Iterator[tuple[Article, object]]:
    """(article, ArticleFacts) for every article, as shards complete on the cluster.

    `scheduler`: a scheduler address; None starts a local cluster of worker processes.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ClusterError("--executor dask needs dask.distributed: pip install 'kg[scale]'") from None
    from kg.cache import extraction_fingerprint, pipeline_fingerprint

    expected = (extraction_fingerprint(), pipeline_fingerprint(model))
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=connect_timeout)
        else:
            cluster = LocalCluster(threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {reason}") from None
    try:
        parts = shards(articles, shard_size)
        futures = client.map(read_shard, parts, model=model, pure=False)
        owner = {future.key: part for future, part in zip(futures, parts)}
        for future in as_completed(futures):
            extraction, pipeline, facts = future.result()
            if (extraction, pipeline) != expected:
                raise ClusterError(
                    "a Dask worker runs another kg or model than this client "
                    "(install the same kg and spaCy model on every worker)"
                )
            for article, found in zip(owner[future.key], facts):
                yield article, found
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
