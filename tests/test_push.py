"""kg push against a real Oxigraph server on 127.0.0.1: what is pushed answers queries as locally."""
from __future__ import annotations

import io
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app
from kg.formats import load_graph, to_jsonld
from kg.push import PushError, graph_store_url, push
from kg.query import canonical, resolve_query, run_query

HERE = Path(__file__).resolve().parent
# rdflib warns about its own deprecated internals (ConjunctiveGraph, default_context)
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

MINI = HERE / "data" / "mini.ttl"
QUERIES = HERE.parent / "queries"
QUERY_NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
OXIGRAPH_BIN = str(OXIGRAPH) if OXIGRAPH.exists() else shutil.which("oxigraph")
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh Oxigraph server bound to 127.0.0.1 only; its base URL."""
    if OXIGRAPH_BIN is None:
        pytest.skip("the `oxigraph` server binary is not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = open(location.parent / "oxigraph.log", "wb")
    process = subprocess.Popen(
        [OXIGRAPH_BIN, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while not answers(base + "/"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph did not start: {(location.parent / 'oxigraph.log').read_text(errors='replace')}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def remote_select(base: str, sparql: str, graph_iri: str | None = None) -> list[tuple]:
    """Run a query over HTTP (SPARQL protocol), rows as canonical rdflib terms."""
    form = {"query": sparql}
    if graph_iri:
        form["default-graph-uri"] = graph_iri
    request = urllib.request.Request(
        f"{base}/query",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result = rdflib.query.Result.parse(io.BytesIO(response.read()), format="json")
    return [tuple(canonical(row.get(v)) if row.get(v) is not None else None for v in result.vars) for row in result.bindings]


def local_select(sparql: str) -> list[tuple]:
    result = run_query(load_graph(MINI), sparql)
    return [tuple(row.get(v) for v in result.vars) for row in result.bindings]


def test_push_replaces_the_default_graph_and_answers_like_local(server):
    assert push(MINI, f"{server}/store") == 132
    assert push(MINI, f"{server}/store") == 132  # PUT replaces: still 132, not 264
    assert remote_select(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [(rdflib.Literal(132),)]
    for name in QUERY_NAMES:
        sparql = resolve_query(name, QUERIES)[1]
        assert remote_select(server, sparql) == local_select(sparql), name


def test_push_appends_to_a_named_graph(server, tmp_path):
    graph_iri = "https://example.org/kg/graph/test-append"
    jsonld = tmp_path / "mini.jsonld"
    jsonld.write_bytes(to_jsonld(load_graph(MINI), "https://example.org/kg/"))
    assert push(jsonld, f"{server}/store", graph_iri=graph_iri, replace=False) == 132
    extra = tmp_path / "extra.nt"
    extra.write_text('<https://example.org/kg/entity/x> <http://www.w3.org/2000/01/rdf-schema#label> "X"@fr .\n', encoding="utf-8")
    assert push(extra, f"{server}/store", graph_iri=graph_iri, replace=False) == 1
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert remote_select(server, count, graph_iri) == [(rdflib.Literal(133),)]


def test_push_http_error_is_one_line(server):
    with pytest.raises(PushError) as caught:
        push(MINI, f"{server}/nowhere")
    assert str(caught.value) == f"push to {server}/nowhere?default failed: 404 Not Found: PUT /nowhere is not supported by this server"
    assert caught.value.exit_code == 3


def test_push_says_why_the_store_refused(server):
    with pytest.raises(PushError) as caught:
        push(MINI, f"{server}/store", graph_iri="https://example.org/kg/a b")
    assert str(caught.value) == (
        f"push to {server}/store?graph=https%3A%2F%2Fexample.org%2Fkg%2Fa%20b failed: 400 Bad Request: Invalid IRI code point ' '"
    )


def test_push_connection_refused_is_one_line():
    port = free_port()
    with pytest.raises(PushError) as caught:
        push(MINI, f"http://127.0.0.1:{port}/store", timeout=5)
    assert str(caught.value) == f"push to http://127.0.0.1:{port}/store?default failed: Connection refused"


@pytest.mark.parametrize("endpoint", ["ftp://127.0.0.1/store", "localhost:7878/store", "store"])
def test_push_refuses_non_http_endpoints(endpoint):
    with pytest.raises(PushError) as caught:
        push(MINI, endpoint)
    assert str(caught.value) == f"endpoint must be an http(s) URL, got '{endpoint}'"


@pytest.mark.parametrize(
    "endpoint, graph_iri, url",
    [
        ("http://h:1/store", None, "http://h:1/store?default"),
        ("http://h:1/store", "https://example.org/g#1", "http://h:1/store?graph=https%3A%2F%2Fexample.org%2Fg%231"),
        ("http://h:1/db?key=v", None, "http://h:1/db?key=v&default"),
    ],
)
def test_push_graph_store_url(endpoint, graph_iri, url):
    assert graph_store_url(endpoint, graph_iri) == url


def test_push_cli_reports_what_it_sent(server):
    result = CliRunner().invoke(app, ["push", "--graph", str(MINI), "--endpoint", f"{server}/store", "--graph-iri", "https://example.org/kg/cli"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"pushed 132 triples to {server}/store?graph=https%3A%2F%2Fexample.org%2Fkg%2Fcli\n"


def test_push_cli_error_is_one_line(server):
    result = CliRunner().invoke(app, ["push", "--graph", str(MINI), "--endpoint", f"{server}/nowhere", "--append"])
    assert result.exit_code == 3
    assert result.stderr == f"Error: push to {server}/nowhere?default failed: 404 Not Found: POST /nowhere is not supported by this server\n"
