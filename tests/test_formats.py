"""Every export format parses back to the same graph, byte-identically for the same triples."""
from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from kg.errors import GraphError, KgError, OutputError
from kg.formats import (
    FORMATS,
    ONTOLOGY_FILE,
    VOID,
    FormatError,
    TripleIndex,
    article_graphs,
    atomic_write,
    bind_prefixes,
    check_output_dir,
    load_graph,
    to_graphml,
    to_jsonld,
    to_ntriples,
    to_trig,
    to_turtle,
    to_void,
    write_exports,
)
from kg.namespace import DEFAULT_BASE_IRI, KGO

# rdflib warns about its own deprecated internals (ConjunctiveGraph, default_context)
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

MINI = Path(__file__).resolve().parent / "data" / "mini.ttl"
BASE = DEFAULT_BASE_IRI
KG = Namespace(BASE)
ENTITY, EVENT, EVIDENCE, ARTICLE = (Namespace(f"{BASE}{part}/") for part in ("entity", "event", "evidence", "article"))
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


def xsd(name: str) -> URIRef:
    return URIRef(XSD_NS + name)


@pytest.fixture(scope="module")
def mini() -> rdflib.Graph:
    return rdflib.Graph().parse(MINI, format="turtle")


def shuffled(graph: rdflib.Graph, seed: int, prefixes: dict[str, str] | None = None) -> rdflib.Graph:
    """The same triples added in another order, with other prefix bindings."""
    triples = sorted(graph, key=lambda t: tuple(map(str, t)))
    random.Random(seed).shuffle(triples)
    copy = rdflib.Graph(bind_namespaces="none")
    for prefix, namespace in (prefixes or {}).items():
        copy.bind(prefix, namespace)
    for triple in triples:
        copy.add(triple)
    return copy


# ---------------------------------------------------------------- loading

SYNTAX = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}


@pytest.mark.parametrize("suffix", sorted(SYNTAX))
def test_formats_load_graph_reads_each_suffix(mini, tmp_path, suffix):
    path = tmp_path / f"graph{suffix}"
    if suffix in (".nq", ".trig"):
        dataset = rdflib.Dataset()
        named = dataset.graph(URIRef("https://example.org/kg/some-graph"))
        for triple in mini:
            named.add(triple)
        dataset.serialize(path, format=SYNTAX[suffix])
    else:
        mini.serialize(path, format=SYNTAX[suffix], encoding="utf-8")
    assert isomorphic(load_graph(path), mini)


def test_formats_load_graph_missing_file(tmp_path):
    with pytest.raises(GraphError) as caught:
        load_graph(tmp_path / "absent.ttl")
    assert str(caught.value) == f"graph file not found: {tmp_path / 'absent.ttl'}"
    assert caught.value.exit_code == 2


def test_formats_load_graph_folder(tmp_path):
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    with pytest.raises(GraphError) as caught:
        load_graph(folder)
    assert str(caught.value) == f"graph file is not a file: {folder}"


def test_formats_load_graph_unknown_suffix(tmp_path):
    path = tmp_path / "graph.csv"
    path.write_text("a,b\n")
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value) == f"cannot read {path}: unknown RDF file type '.csv' (use one of .ttl .nt .nq .trig .jsonld .rdf .xml)"


@pytest.mark.parametrize(
    "name, content, syntax",
    [
        ("bad.ttl", b"Ceci n'est pas un graphe {{\n", "turtle"),
        ("bad.nt", b"<a> <b> .\n", "nt"),
        ("bad.jsonld", b"{ pas du json", "json-ld"),
        ("binary.ttl", b"\x89PNG\x00\x01\xff", "turtle"),
    ],
)
def test_formats_load_graph_unparseable_is_one_line(tmp_path, name, content, syntax):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    message = str(caught.value)
    assert message.startswith(f"cannot parse {path} as {syntax}: ")
    assert "\n" not in message


def test_formats_load_graph_refuses_remote_jsonld_context(tmp_path):
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org/", "name": "Kim"}))
    with pytest.raises(GraphError) as caught:
        load_graph(path)
    assert str(caught.value) == f"cannot read {path}: it names a remote JSON-LD @context, which kg does not download"


def test_formats_bind_prefixes_follows_the_base_iri():
    graph = rdflib.Graph()
    bind_prefixes(graph, "https://other.example/kb/")
    bound = {p: str(n) for p, n in graph.namespaces()}
    assert bound["entity"] == "https://other.example/kb/entity/"
    assert bound["kgo"] == "https://example.org/kg/ontology#"
    assert bound["wd"] == "http://www.wikidata.org/entity/"
    assert bound["sem"] == "http://semanticweb.cs.vu.nl/2009/11/sem/"


# ---------------------------------------------------------------- Turtle and N-Triples


def test_formats_turtle_is_byte_identical_whatever_the_triple_order(mini):
    first = to_turtle(shuffled(mini, 1), BASE)
    second = to_turtle(shuffled(mini, 2, {"ex": "https://example.org/kg/entity/"}), BASE)
    assert first == second
    assert to_turtle(mini, BASE) == first


def test_formats_turtle_parses_back_isomorphic(mini):
    assert isomorphic(rdflib.Graph().parse(data=to_turtle(mini, BASE), format="turtle"), mini)


def test_formats_turtle_writes_sorted_blocks_with_type_first(mini):
    text = to_turtle(mini, BASE).decode("utf-8")
    block = (
        "article:a2 a kgo:Article ;\n"
        '    dcterms:identifier "a2" ;\n'
        "    dcterms:title \"Livraisons d'obus\" ;\n"
        '    kgo:file "a2.txt" .\n'
    )
    assert block in text
    assert '    skos:altLabel "Kim"@fr, "Kim Jong Un"@fr ;\n' in text
    assert "    kgo:quantity 12000000.0 ;\n" in text
    assert text.splitlines()[0] == "@prefix article: <https://example.org/kg/article/> ."
    subjects = [line.split(" ")[0] for line in text.splitlines() if line and not line.startswith((" ", "@"))]
    expanded = [mini.namespace_manager.expand_curie(s) for s in subjects]
    assert expanded == sorted(expanded) and len(subjects) == 19


TRICKY_LITERALS = [
    Literal('il a dit "oui" \\ puis\tnon\nfin'),
    Literal("ligne\r\nsuivante\x01", lang="fr"),
    Literal("Кремль", lang="ru"),
    Literal("1.50", datatype=xsd("decimal")),
    Literal("-3", datatype=xsd("integer")),
    Literal("false", datatype=xsd("boolean")),
    Literal("1.5E3", datatype=xsd("double")),
    Literal("texte", datatype=xsd("string")),
    Literal("--06-19", datatype=xsd("gMonthDay")),
    Literal("x", datatype=URIRef("https://example.org/types#odd%20type")),
]
TRICKY_IRIS = [
    URIRef(BASE + "entity/côte-d'ivoire"),
    URIRef(BASE + "entity/fin."),
    URIRef(BASE + "entity/a/b"),
    URIRef(BASE + "entity/"),
    URIRef("urn:isbn:978-2"),
    URIRef(BASE + "entity/Q#1"),
    URIRef(BASE + "entity/sergue%C3%AF-lavrov"),  # percent-encoded slugs stay prefixed names
    URIRef(BASE + "entity/50%25"),
]


def tricky_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    subject = ENTITY["sergueï-lavrov"]
    for literal in TRICKY_LITERALS:
        graph.add((subject, KGO.role, literal))
    for iri in TRICKY_IRIS:
        graph.add((iri, KGO.affiliation, subject))
        graph.add((subject, KGO.affiliation, iri))
    graph.add((subject, KGO.affiliation, RDF.type))  # rdf:type as an object is no "a"
    return graph


@pytest.mark.parametrize(
    "render, syntax",
    [
        (lambda g: to_turtle(g, BASE), "turtle"),
        (to_ntriples, "nt"),
        (lambda g: to_jsonld(g, BASE), "json-ld"),
    ],
    ids=["turtle", "ntriples", "jsonld"],
)
def test_formats_tricky_terms_round_trip(render, syntax):
    graph = tricky_graph()
    back = rdflib.Graph().parse(data=render(graph), format=syntax)
    assert isomorphic(back, graph)


def test_formats_tricky_terms_round_trip_in_trig():
    graph = tricky_graph()
    dataset = rdflib.Dataset()
    dataset.parse(data=to_trig(graph, BASE), format="trig")
    assert isomorphic(dataset.default_graph, graph)


def test_formats_ntriples_lines_are_sorted_and_complete(mini):
    lines = to_ntriples(shuffled(mini, 3)).decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(mini)
    assert to_ntriples(shuffled(mini, 4)) == to_ntriples(mini)
    assert isomorphic(rdflib.Graph().parse(data=to_ntriples(mini), format="nt"), mini)


# ---------------------------------------------------------------- TriG and per-article graphs


def test_formats_trig_default_graph_is_the_merged_graph(mini):
    dataset = rdflib.Dataset()
    dataset.parse(data=to_trig(mini, BASE), format="trig")
    assert isomorphic(dataset.default_graph, mini)
    names = sorted(str(g.identifier) for g in dataset.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID)
    assert names == [f"{BASE}article/a1/graph", f"{BASE}article/a2/graph"]


def test_formats_trig_is_deterministic_and_loads_back(mini, tmp_path):
    assert to_trig(shuffled(mini, 5), BASE) == to_trig(mini, BASE)
    path = tmp_path / "graph.trig"
    path.write_bytes(to_trig(mini, BASE))
    assert isomorphic(load_graph(path), mini)


def test_formats_article_graphs_are_subsets_of_the_merged_graph(mini):
    views = article_graphs(mini)
    assert sorted(views) == [str(ARTICLE["a1"]), str(ARTICLE["a2"])]
    for view in views.values():
        assert set(view) <= set(mini)
        assert not list(view.triples((None, KGO.conflict, None)))


def test_formats_article_graph_states_the_facts_as_that_article_does(mini):
    views = article_graphs(mini)
    transfer = EVENT["armstransfer-4e5f6a7b"]
    a1 = views[str(ARTICLE["a1"])]
    # a1 says one million: the other source's twelve million stays out of a1's view
    assert set(a1.objects(transfer, KGO.evidence)) == {EVIDENCE["4e5f6a7b-2"]}
    assert set(a1.objects(transfer, KGO.quantity)) == set()
    assert set(a1.objects(transfer, KGO.quantityQualifier)) == set()
    assert a1.value(EVIDENCE["4e5f6a7b-2"], KGO.quantity) == Literal("1000000.0", datatype=xsd("decimal"))
    assert a1.value(transfer, KGO.supplier) == ENTITY["coree-du-nord"]
    assert (ENTITY["coree-du-nord"], RDF.type, KGO.State) in a1
    assert (EVENT["deployment-8c9d0e1f"], None, None) not in a1
    assert (ENTITY["sergueï-choïgou"], KGO.mentionedIn, ARTICLE["a1"]) in a1

    a2 = views[str(ARTICLE["a2"])]
    assert set(a2.objects(transfer, KGO.quantity)) == {Literal("12000000.0", datatype=xsd("decimal"))}
    assert set(a2.objects(transfer, KGO.quantityQualifier)) == {KGO.Approximately}
    assert (ENTITY["services-de-renseignement-sud-coréens"], RDF.type, KGO.Organization) in a2
    assert (EVENT["meeting-0a1b2c3d"], None, None) not in a2


# ---------------------------------------------------------------- JSON-LD


def test_formats_jsonld_parses_back_isomorphic_and_is_sorted(mini):
    data = to_jsonld(shuffled(mini, 6), BASE)
    assert data == to_jsonld(mini, BASE)
    assert isomorphic(rdflib.Graph().parse(data=data, format="json-ld"), mini)
    document = json.loads(data)
    assert document["@context"]["entity"] == f"{BASE}entity/"
    assert document["@context"]["kgo"] == "https://example.org/kg/ontology#"
    ids = [mini.namespace_manager.expand_curie(node["@id"]) for node in document["@graph"]]
    assert ids == sorted(ids)
    russie = next(node for node in document["@graph"] if node["@id"] == "entity:russie")
    assert russie["@type"] == ["kgo:State"]
    assert russie["rdfs:label"] == [{"@language": "fr", "@value": "Russie"}]
    assert russie["owl:sameAs"] == [{"@id": "wd:Q159"}]


# ---------------------------------------------------------------- GraphML


def test_formats_graphml_has_entities_events_and_role_edges(mini):
    data = to_graphml(mini)
    assert data == to_graphml(shuffled(mini, 7))
    assert data.startswith(b"<?xml")
    network = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    kinds = sorted(a["kind"] for _, a in network.nodes(data=True))
    assert kinds == ["entity"] * 8 + ["event"] * 4
    lavrov = network.nodes[str(ENTITY["sergueï-lavrov"])]
    assert (lavrov["label"], lavrov["class"], lavrov["role"]) == ("Sergueï Lavrov", "Person", "ministre des Affaires étrangères")
    assert network.nodes[str(ENTITY["russie"])]["wikidata"] == "http://www.wikidata.org/entity/Q159"
    transfer = network.nodes[str(EVENT["armstransfer-4e5f6a7b"])]
    assert (transfer["class"], transfer["evidence"], transfer["conflict"]) == ("ArmsTransfer", 2, True)
    assert transfer["factuality"] == "Asserted, Reported"
    roles = sorted((s.split("/")[-1], t.split("/")[-1], a["role"]) for s, t, a in network.edges(data=True))
    assert roles == [
        ("agreement-2a3b4c5d", "coree-du-nord", "party"),
        ("agreement-2a3b4c5d", "kim-jong-un", "signatory"),
        ("agreement-2a3b4c5d", "russie", "party"),
        ("armstransfer-4e5f6a7b", "coree-du-nord", "supplier"),
        ("armstransfer-4e5f6a7b", "russie", "recipient"),
        ("armstransfer-4e5f6a7b", "services-de-renseignement-sud-coréens", "attributedTo"),
        ("deployment-8c9d0e1f", "coree-du-nord", "sender"),
        ("deployment-8c9d0e1f", "russie", "recipient"),
        ("kim-jong-un", "coree-du-nord", "affiliation"),
        ("meeting-0a1b2c3d", "kim-jong-un", "participant"),
        ("meeting-0a1b2c3d", "sergueï-lavrov", "participant"),
        ("meeting-0a1b2c3d", "wonsan", "place"),
        ("sergueï-lavrov", "russie", "affiliation"),
        ("services-de-renseignement-sud-coréens", "coree-du-sud", "affiliation"),
    ]


# ---------------------------------------------------------------- VoID


def test_formats_void_counts_the_graph(mini):
    data = to_void(mini, BASE, ["graph.ttl", "graph.nt"])
    void = rdflib.Graph().parse(data=data, format="turtle", publicID="file:///out/void.ttl")
    dataset = KG["dataset"]
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert void.value(dataset, VOID.triples).toPython() == 132
    assert void.value(dataset, VOID.classes).toPython() == 10
    assert void.value(dataset, VOID.entities).toPython() == 19
    assert set(void.objects(dataset, VOID.dataDump)) == {URIRef("file:///out/graph.ttl"), URIRef("file:///out/graph.nt")}
    assert void.value(dataset, DCTERMS.title) is not None
    counts = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert (counts[KGO.Person], counts[KGO.State], counts[KGO.Evidence]) == (3, 3, 5)
    assert to_void(shuffled(mini, 8), BASE, ["graph.nt", "graph.ttl"]) == data


# ---------------------------------------------------------------- writing


def test_formats_write_exports_writes_every_format(mini, tmp_path):
    out = tmp_path / "out"
    written = write_exports(mini, out, BASE, FORMATS)
    names = [p.name for p in written]
    assert names == sorted(["graph.ttl", "graph.trig", "graph.jsonld", "graph.nt", "graph.graphml", "void.ttl", "ontology.ttl"])
    assert written == sorted(written)
    assert (out / "ontology.ttl").read_bytes() == ONTOLOGY_FILE.read_bytes()
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "graph.nt"):
        assert isomorphic(load_graph(out / name), mini), name
    before = {p.name: p.read_bytes() for p in written}
    write_exports(shuffled(mini, 9), out, BASE, FORMATS)
    assert {p.name: p.read_bytes() for p in written} == before
    assert sorted(p.name for p in out.iterdir()) == names  # no temporary file left behind


def test_formats_write_exports_only_asked_formats_with_stem(mini, tmp_path):
    written = write_exports(mini, tmp_path, BASE, ["nt", "ttl", "ttl"], stem="kg")
    assert [p.name for p in written] == ["kg.nt", "kg.ttl", "ontology.ttl"]


def test_formats_write_exports_unknown_format(mini, tmp_path):
    with pytest.raises(FormatError) as caught:
        write_exports(mini, tmp_path, BASE, ["ttl", "yaml"])
    assert isinstance(caught.value, KgError)
    assert str(caught.value) == "unknown format 'yaml' (choose from ttl, trig, jsonld, nt, graphml, void)"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_formats_write_exports_unwritable_folder(mini, tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    out = blocker if where == "a file" else blocker / "sub"
    with pytest.raises(OutputError) as caught:
        write_exports(mini, out, BASE, ["ttl"])
    message = str(caught.value)
    assert message.startswith(f"cannot create output folder {out}: ")
    assert "\n" not in message
    assert caught.value.exit_code == 3


def test_formats_check_output_dir_creates_nested_folders(tmp_path):
    out = tmp_path / "a" / "b"
    check_output_dir(out)
    assert out.is_dir()
    check_output_dir(out)  # an existing folder is fine


def test_formats_atomic_write_keeps_old_file_when_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old content\n")

    def failing_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError) as caught:
        atomic_write(target, b"new content\n")
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == b"old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_formats_atomic_write_replaces_and_keeps_mode(tmp_path):
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    atomic_write(tmp_path / "fresh.txt", b"x")
    assert (tmp_path / "fresh.txt").stat().st_mode & 0o777 == 0o644


def test_formats_blank_nodes_are_written_not_dropped():
    graph = rdflib.Graph()
    graph.add((BNode("b1"), KGO.role, Literal("x")))
    back = rdflib.Graph().parse(data=to_turtle(graph, BASE), format="turtle")
    assert isomorphic(back, graph)


# ---------------------------------------------------------------- one index for every writer


@pytest.mark.parametrize("render", [
    lambda g: to_turtle(g, BASE),
    lambda g: to_trig(g, BASE),
    lambda g: to_jsonld(g, BASE),
    to_ntriples,
    lambda g: to_void(g, BASE, ["graph.ttl"]),
    to_graphml,
], ids=["ttl", "trig", "jsonld", "nt", "void", "graphml"])
def test_formats_writers_give_the_same_bytes_from_an_index_or_a_graph(mini, render):
    assert render(TripleIndex(shuffled(mini, 7))) == render(mini)


def test_formats_triple_index_answers_like_the_graph(mini):
    index = TripleIndex(mini)
    transfer = EVENT["armstransfer-4e5f6a7b"]
    assert len(index) == len(mini)
    assert sorted(index) == sorted(mini)
    assert sorted(index.objects(transfer, KGO.evidence)) == sorted(mini.objects(transfer, KGO.evidence))
    assert sorted(index.subjects(RDF.type, KGO.Article)) == [ARTICLE["a1"], ARTICLE["a2"]]
    assert sorted(index.subject_objects(KGO.supplier)) == sorted(mini.subject_objects(KGO.supplier))
    assert (transfer, KGO.supplier, ENTITY["coree-du-nord"]) in index
    assert (transfer, KGO.supplier, ENTITY["russie"]) not in index
    assert index.objects(URIRef("https://example.org/nowhere"), KGO.supplier) == ()


def test_formats_jsonld_is_laid_out_exactly_as_json_dumps_would(mini):
    data = to_jsonld(mini, BASE)
    again = json.dumps(json.loads(data), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data.decode("utf-8") == again


def test_formats_jsonld_of_an_empty_graph():
    document = json.loads(to_jsonld(rdflib.Graph(), BASE))
    assert document["@graph"] == []
    assert to_jsonld(rdflib.Graph(), BASE).decode("utf-8").endswith('"@graph": []\n}\n')
