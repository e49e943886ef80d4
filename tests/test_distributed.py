"""kg build --executor dask: the map on Dask workers, the reduce here, the same bytes as one process."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

pytestmark = pytest.mark.slow


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def cluster():
    """One in-process worker: it shares this process's loaded model, so the test stays quick."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as made:
        yield made


@pytest.fixture(scope="module")
def single_process(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single")
    result = CliRunner().invoke(app, ["build", str(SEEDS), "--out", str(out), "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_distributed_build_is_byte_identical_to_single_process(cluster, single_process, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(SEEDS), "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
                                      "--executor", "dask", "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("(5 parsed, 0 from cache; 8 files written)")
    assert files(out) == files(single_process)


def test_distributed_facts_come_back_in_article_order_and_pickle(cluster):
    from kg.build import extract_facts, parse_articles
    from kg.corpus import read_corpus
    from kg.distributed import read_on_dask

    articles = list(read_corpus([SEEDS]).articles)
    got = list(read_on_dask(articles, "fr_core_news_md", scheduler=cluster.scheduler_address, shard_size=2))
    assert sorted(a.id for a, _ in got) == [a.id for a in articles]
    assert all(facts.article == article.id for article, facts in got)
    local = {f.article: f for f in extract_facts(parse_articles(articles))}
    assert {a.id: f for a, f in got} == local
    assert [pickle.loads(pickle.dumps(f)) for f in local.values()] == list(local.values())


@pytest.mark.parametrize(("size", "expected"), [(2, [2, 2, 1]), (5, [5]), (16, [5])])
def test_distributed_shards_cover_every_article_once(size, expected):
    from kg.corpus import read_corpus
    from kg.distributed import shards

    articles = list(read_corpus([SEEDS]).articles)
    parts = shards(articles, size)
    assert [len(p) for p in parts] == expected
    assert [a for p in parts for a in p] == articles


def test_distributed_worker_with_other_kg_is_refused(cluster, monkeypatch):
    import kg.distributed
    from kg.corpus import read_corpus

    def other_kg(articles, model):
        return "another extractor", "another pipeline", []

    monkeypatch.setattr(kg.distributed, "read_shard", other_kg)
    articles = list(read_corpus([SEEDS]).articles)[:1]
    with pytest.raises(kg.distributed.ClusterError) as raised:
        list(kg.distributed.read_on_dask(articles, "fr_core_news_md", scheduler=cluster.scheduler_address))
    assert str(raised.value) == ("a Dask worker runs another kg or model than this client "
                                 "(install the same kg and spaCy model on every worker)")


def test_distributed_unreachable_scheduler_is_one_line(tmp_path):
    from kg.corpus import read_corpus
    from kg.distributed import ClusterError, read_on_dask

    articles = list(read_corpus([SEEDS]).articles)[:1]
    with pytest.raises(ClusterError) as raised:
        list(read_on_dask(articles, "fr_core_news_md", scheduler="tcp://127.0.0.1:9", connect_timeout="1s"))
    assert str(raised.value).startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert "\n" not in str(raised.value)
