"""kg query / queries / validate / push: one-line errors with their exit codes, parseable outputs."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.cli_graph import default_queries_dir

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.ttl"
QUERIES = HERE.parent / "queries"
QUERY_NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
UPDATE_ERROR = "Error: SPARQL UPDATE is not allowed: kg query only reads the graph\n"


@pytest.fixture
def kg():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke


def query(kg, *args: str):
    return kg("query", *args, "--graph", str(MINI), "--dir", str(QUERIES))


def test_cli_graph_help_lists_the_commands(kg):
    result = kg("--help")
    assert result.exit_code == 0
    for command in ("query", "queries", "validate", "push"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["query", "queries", "validate", "push"])
def test_cli_graph_each_command_has_help_with_an_example(kg, command):
    result = kg(command, "--help")
    assert result.exit_code == 0
    assert "Example: kg " in result.stdout


# ---------------------------------------------------------------- errors: one line, exit code


@pytest.mark.parametrize(
    "args, code, stderr",
    [
        (["no-such-query"], 2, "Error: unknown query 'no-such-query': not a file, not in queries/ (kg queries lists them)\n"),
        (["timeline", "--format", "yaml"], 2, "Error: unknown format 'yaml' (choose from table, csv, tsv, json, xml)\n"),
        (["timeline", "--store", "virtuoso"], 2, "Error: unknown store 'virtuoso' (choose from rdflib, oxigraph)\n"),
        (["timeline", "--bind", "person"], 2, "Error: malformed --bind 'person': write NAME=VALUE, e.g. person=entity:kim-jong-un\n"),
        (["meetings-of", "--bind", "person=foo:kim"], 2, "Error: unknown prefix 'foo' in --bind person=foo:kim (known: article, dcterms, entity, event, evidence, kg, kgo, owl, prov, rdf, rdfs, schema, sem, skos, wd, xsd)\n"),
        (["timeline", "--bind", "person=entity:kim-jong-un"], 2, "Error: cannot bind ?person: the query does not select it (it selects ?date, ?eventClass, ?label, ?event)\n"),
    ],
)
def test_cli_graph_query_errors(kg, args, code, stderr):
    result = query(kg, *args)
    assert (result.exit_code, result.stderr, result.stdout) == (code, stderr, "")


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_cli_graph_query_bind_unknown_prefix_same_in_both_stores(kg, store):
    result = query(kg, "meetings-of", "--bind", "person=foo:kim", "--store", store)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown prefix 'foo' in --bind person=foo:kim (known: article, dcterms, entity, ")
    assert result.stderr.endswith(", wd, xsd)\n")


@pytest.mark.parametrize(
    "sparql",
    [
        "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }",
        "insert data { <https://example.org/a> <https://example.org/b> 1 }",
        "PREFIX kgo: <https://example.org/kg/ontology#> INSERT { ?e kgo:conflict true } WHERE { ?e a kgo:Meeting }",
        "prefix kgo: <https://example.org/kg/ontology#>\ndelete where { ?e kgo:conflict ?c }",
        "DROP ALL",
        "clear default",
        "LOAD <https://example.org/data.ttl>",
    ],
)
@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_cli_graph_query_refuses_update(kg, sparql, store):
    before = MINI.read_bytes()
    result = query(kg, sparql, "--store", store)
    assert (result.exit_code, result.stderr) == (2, UPDATE_ERROR)
    assert MINI.read_bytes() == before


def test_cli_graph_query_refuses_update_file(kg, tmp_path):
    update = tmp_path / "update.rq"
    update.write_text("# retire les conflits\nDELETE WHERE { ?s <https://example.org/kg/ontology#conflict> ?o }\n", encoding="utf-8")
    result = query(kg, str(update))
    assert (result.exit_code, result.stderr) == (2, UPDATE_ERROR)


def test_cli_graph_query_malformed_sparql(kg):
    result = query(kg, "SELEC ?x WHERE { ?x ?y ?z }")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: malformed SPARQL: Expected ")
    assert "'SELEC'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_cli_graph_query_missing_graph(kg, tmp_path):
    missing = tmp_path / "absent.ttl"
    result = kg("query", "timeline", "--graph", str(missing), "--dir", str(QUERIES))
    assert (result.exit_code, result.stderr) == (2, f"Error: graph file not found: {missing} (build one with kg build, or pass --graph FILE)\n")


def test_cli_graph_query_default_graph_is_exports_graph_ttl(kg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = kg("query", "timeline", "--dir", str(QUERIES))
    expected = "Error: graph file not found: exports/graph.ttl (build one with kg build, or pass --graph FILE)\n"
    assert (result.exit_code, result.stderr) == (2, expected)


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_cli_graph_query_graph_that_is_not_rdf(kg, tmp_path, store):
    broken = tmp_path / "broken.ttl"
    broken.write_text("Ceci n'est pas un graphe.\n", encoding="utf-8")
    result = kg("query", "timeline", "--graph", str(broken), "--dir", str(QUERIES), "--store", store)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot parse {broken}")
    assert result.stderr.count("\n") == 1


# ---------------------------------------------------------------- results


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_cli_graph_every_query_runs_on_mini(kg, name):
    result = query(kg, name)
    assert result.exit_code == 0, result.stderr
    assert "(0 rows)" not in result.stdout


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_cli_graph_oxigraph_prints_the_same_csv(kg, name):
    from_rdflib = query(kg, name, "--format", "csv")
    from_oxigraph = query(kg, name, "--format", "csv", "--store", "oxigraph")
    assert from_rdflib.exit_code == from_oxigraph.exit_code == 0
    assert from_rdflib.stdout == from_oxigraph.stdout


def test_cli_graph_query_csv_parses_back(kg):
    result = query(kg, "timeline", "--format", "csv")
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["date", "eventClass", "label", "event"],
        ["2024-06-19", "Agreement", "traité de partenariat stratégique global", "https://example.org/kg/event/agreement-2a3b4c5d"],
        ["2024-10", "ArmsTransfer", "Corée du Nord → Russie : obus de 152 mm", "https://example.org/kg/event/armstransfer-4e5f6a7b"],
        ["2025-07-12", "Meeting", "Rencontre Sergueï Lavrov – Kim Jong-un", "https://example.org/kg/event/meeting-0a1b2c3d"],
    ]


def test_cli_graph_query_json_parses_back(kg):
    result = query(kg, "sources", "--format", "json")
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [(b["article"]["value"], b["sentences"]["value"], b["entities"]["value"]) for b in bindings] == [("a1", "3", "6"), ("a2", "2", "4")]


@pytest.mark.parametrize(
    "value",
    ["entity:kim-jong-un", "<https://example.org/kg/entity/kim-jong-un>", "https://example.org/kg/entity/kim-jong-un"],
)
@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_cli_graph_query_bind_filters_rows(kg, value, store):
    everyone = list(csv.DictReader(io.StringIO(query(kg, "meetings-of", "--format", "csv", "--store", store).stdout)))
    assert [row["personName"] for row in everyone] == ["Kim Jong-un", "Sergueï Lavrov"]
    result = query(kg, "meetings-of", "--format", "csv", "--store", store, "--bind", f"person={value}")
    bound = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["person"], row["others"]) for row in bound] == [("https://example.org/kg/entity/kim-jong-un", "Sergueï Lavrov")]


def test_cli_graph_query_inline_with_known_prefixes(kg):
    result = query(kg, "SELECT ?p WHERE { ?p a kgo:Place }", "--format", "tsv")
    assert result.stdout == "?p\n<https://example.org/kg/entity/wonsan>\n"


def test_cli_graph_query_table_is_plain_when_not_a_terminal(kg):
    result = query(kg, "hedged")
    assert result.stdout.splitlines()[0].split() == ["event", "eventClass", "label", "factualities", "articles"]
    assert result.stdout.endswith("(1 row)\n")
    assert "\x1b[" not in result.stdout


# ---------------------------------------------------------------- queries


def test_cli_graph_queries_lists_names_and_questions(kg):
    result = kg("queries", "--dir", str(QUERIES))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == QUERY_NAMES
    assert "timeline        What happened when? Dated events in date order (dates as precise as the texts allow)." in lines


def test_cli_graph_queries_missing_folder(kg, tmp_path):
    result = kg("queries", "--dir", str(tmp_path / "nowhere"))
    assert (result.exit_code, result.stderr) == (2, f"Error: queries folder not found: {tmp_path / 'nowhere'}\n")


def test_cli_graph_queries_folder_falls_back_to_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_queries_dir() == QUERIES
    (tmp_path / "queries").mkdir()
    assert default_queries_dir() == Path("queries")


# ---------------------------------------------------------------- validate


def test_cli_graph_validate_conforms(kg):
    result = kg("validate", "--graph", str(MINI))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "conforms: 132 triples\n", "")


def test_cli_graph_validate_lists_problems(kg, tmp_path):
    broken = tmp_path / "broken.ttl"
    text = MINI.read_text(encoding="utf-8")
    broken.write_text(text.replace("    kgo:factuality kgo:Reported ;\n    kgo:quantity 13000.0 .", "    kgo:factuality kgo:Maybe ;\n    kgo:quantity 13000.0 ."), encoding="utf-8")
    result = kg("validate", "--graph", str(broken))
    assert result.exit_code == 1
    assert result.stdout == (
        "evidence:8c9d0e1f-1: kgo:factuality: evidence needs exactly one kgo:factuality among "
        "kgo:Asserted, kgo:Reported, kgo:Possible, kgo:Denied (got kgo:Maybe)\n"
    )
    assert result.stderr == f"Error: {broken} does not conform: 1 problem\n"


@pytest.mark.parametrize("content", [None, "pas du RDF {{\n"])
def test_cli_graph_validate_unreadable(kg, tmp_path, content):
    path = tmp_path / "graph.ttl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = kg("validate", "--graph", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {'graph file not found' if content is None else 'cannot parse'}")
    assert result.stderr.count("\n") == 1


# ---------------------------------------------------------------- push (live server tests are in test_push.py)


def test_cli_graph_push_needs_an_http_endpoint(kg):
    result = kg("push", "--graph", str(MINI), "--endpoint", "localhost:7878/store")
    assert (result.exit_code, result.stderr) == (3, "Error: endpoint must be an http(s) URL, got 'localhost:7878/store'\n")


def test_cli_graph_push_missing_graph(kg, tmp_path):
    result = kg("push", "--graph", str(tmp_path / "absent.ttl"), "--endpoint", "http://127.0.0.1:9/store")
    assert result.exit_code == 2
    assert result.stderr == f"Error: graph file not found: {tmp_path / 'absent.ttl'} (build one with kg build, or pass --graph FILE)\n"
