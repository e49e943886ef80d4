"""Named queries, bindings, read-only SPARQL, result formats, and rdflib = Oxigraph row for row."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.formats import FormatError, load_graph
from kg.namespace import KGO
from kg.query import (
    RESULT_FORMATS,
    canonical,
    format_result,
    is_update,
    list_queries,
    parse_bindings,
    query_prefixes,
    resolve_query,
    run_query,
)

# rdflib warns about its own deprecated internals (Dataset.contexts, default_context)
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.ttl"
QUERIES = HERE.parent / "queries"
QUERY_NAMES = sorted(p.stem for p in QUERIES.glob("*.rq"))
ENTITY = "https://example.org/kg/entity/"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def mini() -> rdflib.Graph:
    return load_graph(MINI)


def rows(result) -> list[tuple]:
    return [tuple(row.get(v) for v in result.vars) for row in result.bindings]


def texts(result) -> list[tuple[str, ...]]:
    return [tuple("" if t is None else str(t) for t in row) for row in rows(result)]


def named(name: str) -> str:
    return resolve_query(name, QUERIES)[1]


# ---------------------------------------------------------------- finding queries


def test_query_resolve_by_name_path_and_inline(tmp_path):
    assert resolve_query("timeline", QUERIES) == ("timeline", (QUERIES / "timeline.rq").read_text(encoding="utf-8"))
    assert resolve_query("timeline.rq", QUERIES)[0] == "timeline"
    own = tmp_path / "mine.rq"
    own.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    assert resolve_query(str(own), QUERIES) == ("mine", "SELECT * WHERE { ?s ?p ?o }")
    assert resolve_query("SELECT ?s { ?s ?p ?o }", QUERIES) == ("inline", "SELECT ?s { ?s ?p ?o }")


@pytest.mark.parametrize("sparql", ["DROP ALL", "clear default", "PREFIX ex: <https://example.org/> ASK WHERE { }", "SELECT * {}"])
def test_query_resolve_recognises_inline_sparql_without_braces(sparql):
    assert resolve_query(sparql, QUERIES) == ("inline", sparql)


@pytest.mark.parametrize("query", ["no-such-query", "../queries/timeline", "missing.rq", "my query.rq", "select"])
def test_query_resolve_unknown_name(query):
    with pytest.raises(QueryError) as caught:
        resolve_query(query, QUERIES)
    assert str(caught.value) == f"unknown query '{query}': not a file, not in queries/ (kg queries lists them)"
    assert caught.value.exit_code == 2


def test_query_list_gives_each_question():
    listed = dict(list_queries(QUERIES))
    assert sorted(listed) == QUERY_NAMES
    assert listed["meetings"] == "Who met whom, where and when?"
    assert all(question for question in listed.values())


def test_query_list_missing_folder(tmp_path):
    with pytest.raises(QueryError) as caught:
        list_queries(tmp_path / "nowhere")
    assert str(caught.value) == f"queries folder not found: {tmp_path / 'nowhere'}"


# ---------------------------------------------------------------- the shipped queries


REQUIRED = {
    "arms-transfers", "meetings", "meetings-of", "agreements", "claims-by", "single-source", "conflicts",
    "entity", "deployments", "people", "hedged", "timeline", "sources",
}


def test_query_ships_every_required_question():
    assert REQUIRED <= set(QUERY_NAMES)
    assert len(QUERY_NAMES) >= 10


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_file_has_question_bind_lines_and_order(name):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert re.fullmatch(r"# [A-Z].*\?.*", lines[0]), lines[0]
    header = [line for line in lines if line.startswith("#")]
    assert header == lines[: len(header)], "the comment header comes first"
    for line in header[1:]:
        assert re.fullmatch(r"# bind: \?[A-Za-z_]+ — .+", line), line
    select = re.search(r"^SELECT[^\n]*", text, re.MULTILINE).group(0)
    for variable in re.findall(r"# bind: \?([A-Za-z_]+)", text):
        assert f"?{variable}" in select.split(), f"?{variable} must be selected to be bindable"
    assert re.search(r"^ORDER BY ", text, re.MULTILINE)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_file_uses_only_the_contract_vocabulary(name):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    used = set(re.findall(r"\bkgo:([A-Za-z]+)", text))
    assert used <= set(KGO.__annotations__), used - set(KGO.__annotations__)
    prefixes = dict(re.findall(r"^PREFIX (\w+): <([^>]+)>", text, re.MULTILINE))
    assert prefixes.get("kgo", "https://example.org/kg/ontology#") == "https://example.org/kg/ontology#"
    assert set(prefixes) <= {"kgo", "rdfs", "skos", "owl", "xsd", "dcterms", "rdf"}


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_returns_rows_on_mini(mini, name):
    assert rows(run_query(mini, named(name)))


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_rdflib_and_oxigraph_give_the_same_rows(mini, name):
    # every shipped query orders its rows, so the lists compare in order
    from_rdflib = [tuple(t.n3() if t is not None else None for t in row) for row in rows(run_query(mini, named(name)))]
    from_oxigraph = [
        tuple(t.n3() if t is not None else None for t in row)
        for row in rows(run_query(MINI, named(name), store="oxigraph"))
    ]
    assert from_rdflib == from_oxigraph


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".nt", ".jsonld"])
def test_query_oxigraph_reads_every_export_format_like_rdflib(mini, tmp_path, suffix):
    from kg.formats import to_jsonld, to_ntriples, to_trig

    path = tmp_path / f"graph{suffix}"
    if suffix == ".nq":  # the same triples spread over two named graphs, one triple in both
        dataset = rdflib.Dataset()
        triples = sorted(mini, key=lambda t: tuple(map(str, t)))
        for index, triple in enumerate(triples):
            dataset.graph(URIRef(f"https://example.org/kg/g{index % 2}")).add(triple)
        dataset.graph(URIRef("https://example.org/kg/g1")).add(triples[0])
        dataset.serialize(path, format="nquads", encoding="utf-8")
    else:
        render = {".trig": lambda g: to_trig(g, "https://example.org/kg/"), ".nt": to_ntriples, ".jsonld": lambda g: to_jsonld(g, "https://example.org/kg/")}[suffix]
        path.write_bytes(render(mini))
    for name in QUERY_NAMES:
        assert rows(run_query(path, named(name), store="oxigraph")) == rows(run_query(mini, named(name))), name


@pytest.mark.parametrize(
    "name, pairs",
    [
        ("meetings-of", ["person=entity:kim-jong-un"]),
        ("claims-by", [f"source=<{ENTITY}services-de-renseignement-sud-coréens>"]),
        ("entity", ["entity=entity:wonsan"]),
        ("entity", ["entity=entity:nobody"]),
    ],
)
def test_query_bindings_give_the_same_rows_in_both_stores(mini, name, pairs):
    bindings = parse_bindings(pairs, mini.namespaces())
    assert rows(run_query(mini, named(name), bindings)) == rows(run_query(MINI, named(name), bindings, store="oxigraph"))


def test_query_timeline_rows(mini):
    assert texts(run_query(mini, named("timeline"))) == [
        ("2024-06-19", "Agreement", "traité de partenariat stratégique global", "https://example.org/kg/event/agreement-2a3b4c5d"),
        ("2024-10", "ArmsTransfer", "Corée du Nord → Russie : obus de 152 mm", "https://example.org/kg/event/armstransfer-4e5f6a7b"),
        ("2025-07-12", "Meeting", "Rencontre Sergueï Lavrov – Kim Jong-un", "https://example.org/kg/event/meeting-0a1b2c3d"),
    ]


def test_query_conflicts_show_each_source(mini):
    found = [row[2:6] for row in texts(run_query(mini, named("conflicts")))]
    assert found == [("a1", "1000000", "", "Asserted"), ("a2", "12000000", "", "Reported")]


def test_query_hedged_and_single_source(mini):
    hedged = texts(run_query(mini, named("hedged")))
    assert [(r[1], r[3], r[4]) for r in hedged] == [("Deployment", "Reported", "a2")]
    single = texts(run_query(mini, named("single-source")))
    assert [(r[1], r[3], r[4]) for r in single] == [("Agreement", "a1", "1"), ("Meeting", "a1", "1"), ("Deployment", "a2", "1")]


def test_query_arms_transfers_concatenates_sources(mini):
    (row,) = texts(run_query(mini, named("arms-transfers")))
    assert row[1:] == ("Corée du Nord", "Russie", "obus de 152 mm", "Ammunition", "12000000", "Approximately", "2024-10", "Asserted, Reported", "a1, a2")


def test_query_sources_count_facts(mini):
    assert [r[0:1] + r[3:] for r in texts(run_query(mini, named("sources")))] == [("a1", "3", "3", "6"), ("a2", "2", "2", "4")]


def test_query_meetings_of_binding_filters_rows(mini):
    everyone = texts(run_query(mini, named("meetings-of")))
    assert [r[1] for r in everyone] == ["Kim Jong-un", "Sergueï Lavrov"]
    for value in ("entity:kim-jong-un", f"<{ENTITY}kim-jong-un>", f"{ENTITY}kim-jong-un"):
        bound = texts(run_query(mini, named("meetings-of"), parse_bindings([f"person={value}"], mini.namespaces())))
        assert [(r[1], r[3]) for r in bound] == [("Kim Jong-un", "Sergueï Lavrov")]


def test_query_binding_a_variable_the_query_does_not_select(mini):
    with pytest.raises(QueryError) as caught:
        run_query(mini, named("timeline"), {"person": URIRef(ENTITY + "kim-jong-un")})
    assert str(caught.value) == "cannot bind ?person: the query does not select it (it selects ?date, ?eventClass, ?label, ?event)"


# ---------------------------------------------------------------- bindings


@pytest.mark.parametrize(
    "pair, expected",
    [
        ("person=<https://example.org/kg/entity/kim-jong-un>", URIRef(ENTITY + "kim-jong-un")),
        ("person=entity:kim-jong-un", URIRef(ENTITY + "kim-jong-un")),
        ("?person=entity:sergueï-lavrov", URIRef(ENTITY + "sergueï-lavrov")),
        ("site=http://www.wikidata.org/entity/Q159", URIRef("http://www.wikidata.org/entity/Q159")),
        ("year=2024", Literal("2024", datatype=URIRef(XSD_NS + "integer"))),
        ("quantity=1.5", Literal("1.5", datatype=URIRef(XSD_NS + "decimal"))),
        ("conflict=true", Literal("true", datatype=URIRef(XSD_NS + "boolean"))),
        ('name="Kim"@fr', Literal("Kim", lang="fr")),
        ('date="2024-06"^^xsd:gYearMonth', Literal("2024-06", datatype=URIRef(XSD_NS + "gYearMonth"))),
        ('text="il a dit \\"oui\\""', Literal('il a dit "oui"')),
        ("name=Kim Jong-un", Literal("Kim Jong-un")),
        ("name=", Literal("")),
    ],
)
def test_query_parse_bindings(mini, pair, expected):
    (value,) = parse_bindings([pair], mini.namespaces()).values()
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "pair, message",
    [
        ("person", "malformed --bind 'person': write NAME=VALUE, e.g. person=entity:kim-jong-un"),
        ("=entity:x", "malformed --bind '=entity:x': write NAME=VALUE, e.g. person=entity:kim-jong-un"),
        ("1x=2", "malformed --bind '1x=2': write NAME=VALUE, e.g. person=entity:kim-jong-un"),
    ],
)
def test_query_parse_bindings_malformed(pair, message):
    with pytest.raises(QueryError) as caught:
        parse_bindings([pair], {"entity": ENTITY})
    assert str(caught.value) == message


def test_query_parse_bindings_unknown_prefix():
    with pytest.raises(QueryError) as caught:
        parse_bindings(["person=foo:kim"], {"entity": ENTITY, "kgo": str(KGO)})
    assert str(caught.value) == "unknown prefix 'foo' in --bind person=foo:kim (known: entity, kgo)"


# ---------------------------------------------------------------- read only, well formed

UPDATES = [
    "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }",
    "insert data { <https://example.org/a> <https://example.org/b> 1 }",
    "PREFIX kgo: <https://example.org/kg/ontology#>\nINSERT { ?e kgo:conflict true } WHERE { ?e a kgo:Meeting }",
    "# commentaire\nDELETE WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } where { ?s ?p ?o }",
    "WITH <https://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <https://example.org/data.ttl>",
    "CLEAR DEFAULT",
    "DROP ALL",
    "CREATE GRAPH <https://example.org/g>",
    "ADD DEFAULT TO <https://example.org/g>",
    "MOVE DEFAULT TO <https://example.org/g>",
    "COPY DEFAULT TO <https://example.org/g>",
    "BASE <https://example.org/> prefix ex: <x#> insert data { ex:a ex:b ex:c }",
]


@pytest.mark.parametrize("sparql", UPDATES)
@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_query_refuses_update(mini, sparql, store):
    before = len(mini)
    with pytest.raises(QueryError) as caught:
        run_query(mini, sparql, store=store)
    assert str(caught.value) == "SPARQL UPDATE is not allowed: kg query only reads the graph"
    assert caught.value.exit_code == 2
    assert len(mini) == before


def test_query_is_update_ignores_keywords_in_comments_and_iris():
    assert not is_update("# INSERT DATA\nSELECT * WHERE { ?s ?p ?o }")
    assert not is_update("PREFIX insert: <https://example.org/insert#> SELECT * WHERE { ?s insert:p ?o }")


@pytest.mark.parametrize(
    "sparql, fragment",
    [
        ("SELEC ?x WHERE { ?x ?y ?z }", "'SELEC'"),
        ("SELECT ?x WHERE { ?x ?y ?z", "end of text"),
        ("SELECT ?x WHERE { ?x inconnu:p ?z }", "inconnu"),
    ],
)
def test_query_malformed_is_one_line(mini, sparql, fragment):
    with pytest.raises(QueryError) as caught:
        run_query(mini, sparql)
    message = str(caught.value)
    assert message.startswith("malformed SPARQL: ")
    assert fragment in message and "\n" not in message


def test_query_undeclared_known_prefixes_work_in_both_stores(mini):
    sparql = "SELECT ?p WHERE { ?p a kgo:Person } ORDER BY ?p"
    expected = [(URIRef(ENTITY + n),) for n in ("kim-jong-un", "sergueï-choïgou", "sergueï-lavrov")]
    assert rows(run_query(mini, sparql)) == expected
    assert rows(run_query(MINI, sparql, store="oxigraph", prefixes=query_prefixes(MINI))) == expected


def test_query_unknown_store(mini):
    with pytest.raises(FormatError) as caught:
        run_query(mini, "SELECT * WHERE { ?s ?p ?o }", store="virtuoso")
    assert str(caught.value) == "unknown store 'virtuoso' (choose from rdflib, oxigraph)"


# ---------------------------------------------------------------- formats


@pytest.fixture(scope="module")
def timeline(mini):
    return run_query(mini, named("timeline"))


def test_query_format_csv_parses_back(timeline):
    parsed = list(csv.reader(io.StringIO(format_result(timeline, "csv"))))
    assert parsed[0] == ["date", "eventClass", "label", "event"]
    assert parsed[1] == ["2024-06-19", "Agreement", "traité de partenariat stratégique global", "https://example.org/kg/event/agreement-2a3b4c5d"]
    assert len(parsed) == 4


def test_query_format_tsv_writes_terms(timeline):
    lines = format_result(timeline, "tsv").splitlines()
    assert lines[0] == "?date\t?eventClass\t?label\t?event"
    assert lines[2].split("\t") == [
        f'"2024-10"^^<{XSD_NS}gYearMonth>',
        '"ArmsTransfer"',
        '"Corée du Nord → Russie : obus de 152 mm"@fr',
        "<https://example.org/kg/event/armstransfer-4e5f6a7b>",
    ]


def test_query_format_json_parses_back(timeline):
    document = json.loads(format_result(timeline, "json"))
    assert document["head"]["vars"] == ["date", "eventClass", "label", "event"]
    first = document["results"]["bindings"][0]
    assert first["date"] == {"type": "literal", "value": "2024-06-19", "datatype": XSD_NS + "date"}
    assert first["event"] == {"type": "uri", "value": "https://example.org/kg/event/agreement-2a3b4c5d"}


def test_query_format_xml_parses_back(timeline):
    root = ET.fromstring(format_result(timeline, "xml"))
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["date", "eventClass", "label", "event"]
    assert len(root.findall("s:results/s:result", ns)) == 3


def test_query_format_plain_table(timeline):
    assert format_result(timeline, "table", rich_table=False) == (
        "date        eventClass    label                                     event\n"
        "----------  ------------  ----------------------------------------  ---------------------------\n"
        "2024-06-19  Agreement     traité de partenariat stratégique global  event:agreement-2a3b4c5d\n"
        "2024-10     ArmsTransfer  Corée du Nord → Russie : obus de 152 mm   event:armstransfer-4e5f6a7b\n"
        "2025-07-12  Meeting       Rencontre Sergueï Lavrov – Kim Jong-un    event:meeting-0a1b2c3d\n"
        "(3 rows)\n"
    )


def test_query_format_rich_table_holds_the_cells(timeline):
    text = format_result(timeline, "table", rich_table=True)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "event:meeting-0a1b2c3d" in plain and "3 rows" in plain


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_query_formats_are_deterministic(mini, fmt):
    first = format_result(run_query(mini, named("entity")), fmt, rich_table=False)
    assert first == format_result(run_query(MINI, named("entity"), store="oxigraph"), fmt, rich_table=False)


def test_query_format_unknown(timeline):
    with pytest.raises(FormatError) as caught:
        format_result(timeline, "yaml")
    assert str(caught.value) == "unknown format 'yaml' (choose from table, csv, tsv, json, xml)"


def test_query_ask_and_construct(mini):
    ask = run_query(mini, "ASK { ?s a kgo:Deployment }")
    assert format_result(ask, "table") == "true\n"
    assert json.loads(format_result(ask, "json"))["boolean"] is True
    construct = run_query(mini, "CONSTRUCT { ?s a kgo:Place } WHERE { ?s a kgo:Place }")
    assert format_result(construct, "table").endswith("entity:wonsan a kgo:Place .\n")


@pytest.mark.parametrize(
    "lexical, expected",
    [("12000000.0", "12000000"), ("1.50", "1.5"), ("0.0", "0"), ("-2.250", "-2.25"), ("13000", "13000")],
)
def test_query_canonical_decimals_match_oxigraph(lexical, expected):
    term = canonical(Literal(lexical, datatype=URIRef(XSD_NS + "decimal")))
    assert str(term) == expected
    assert Decimal(str(term)) == Decimal(lexical)
