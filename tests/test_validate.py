"""The SHACL shapes accept the contract graph and name each kind of breakage in one readable line."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH

from kg.errors import GraphError
from kg.namespace import KGO
from kg.validate import SHAPES_FILE, ValidationReport, validate_file, validate_graph

MINI = Path(__file__).resolve().parent / "data" / "mini.ttl"
KG = Namespace("https://example.org/kg/")
ENTITY, EVENT, EVIDENCE, ARTICLE = (Namespace(f"{KG}{part}/") for part in ("entity", "event", "evidence", "article"))


@pytest.fixture(scope="module")
def mini_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(MINI, format="turtle")


@pytest.fixture
def graph(mini_graph) -> rdflib.Graph:
    copy = rdflib.Graph()
    for prefix, namespace in mini_graph.namespaces():
        copy.bind(prefix, namespace)
    for triple in mini_graph:
        copy.add(triple)
    return copy


def test_validate_mini_conforms():
    assert validate_file(MINI) == ValidationReport(conforms=True, problems=())


def _remove(g, s, p):
    g.remove((s, p, None))


BREAKAGES = {
    "missing evidence": (
        lambda g: _remove(g, EVENT["meeting-0a1b2c3d"], KGO.evidence),
        ["event:meeting-0a1b2c3d: kgo:evidence: an event needs at least one kgo:evidence, a kgo:Evidence node"],
    ),
    "evidence that is no kgo:Evidence": (
        lambda g: g.remove((EVIDENCE["0a1b2c3d-1"], RDF.type, KGO.Evidence)),
        ["event:meeting-0a1b2c3d: kgo:evidence: an event needs at least one kgo:evidence, a kgo:Evidence node (got evidence:0a1b2c3d-1)"],
    ),
    "date as plain text": (
        lambda g: g.set((EVENT["agreement-2a3b4c5d"], KGO.date, Literal("19 juin 2024"))),
        ['event:agreement-2a3b4c5d: kgo:date: must be an xsd:date, xsd:gYearMonth, xsd:gYear or xsd:gMonthDay (got "19 juin 2024")'],
    ),
    "date as dateTime": (
        lambda g: g.set((EVENT["meeting-0a1b2c3d"], KGO.date, Literal("2025-07-12T10:00:00", datatype=rdflib.XSD.dateTime))),
        ['event:meeting-0a1b2c3d: kgo:date: must be an xsd:date, xsd:gYearMonth, xsd:gYear or xsd:gMonthDay (got "2025-07-12T10:00:00"^^xsd:dateTime)'],
    ),
    "bad factuality": (
        lambda g: g.set((EVIDENCE["4e5f6a7b-2"], KGO.factuality, KGO.Ammunition)),
        ["evidence:4e5f6a7b-2: kgo:factuality: evidence needs exactly one kgo:factuality among kgo:Asserted, kgo:Reported, kgo:Possible, kgo:Denied (got kgo:Ammunition)"],
    ),
    "two factualities": (
        lambda g: g.add((EVIDENCE["4e5f6a7b-2"], KGO.factuality, KGO.Reported)),
        ["evidence:4e5f6a7b-2: kgo:factuality: evidence needs exactly one kgo:factuality among kgo:Asserted, kgo:Reported, kgo:Possible, kgo:Denied"],
    ),
    "evidence without article": (
        lambda g: _remove(g, EVIDENCE["2a3b4c5d-1"], KGO.article),
        ["evidence:2a3b4c5d-1: kgo:article: evidence needs exactly one kgo:article, a kgo:Article"],
    ),
    "evidence without text": (
        lambda g: _remove(g, EVIDENCE["2a3b4c5d-1"], KGO.text),
        ["evidence:2a3b4c5d-1: kgo:text: evidence needs exactly one kgo:text, a string"],
    ),
    "start after end": (
        lambda g: g.set((EVIDENCE["8c9d0e1f-1"], KGO.start, Literal(500))),
        [
            "evidence:8c9d0e1f-1: kgo:start: must not be after kgo:end (got 500)",
            "evidence:8c9d0e1f-1: kgo:start: the trigger must start inside the sentence (got 500)",
            'evidence:8c9d0e1f-1: kgo:text: must be kgo:end - kgo:start characters long (got "Environ 13 000 '
            'soldats nord-coréens auraient été déployés en Russie."@fr)',
        ],
    ),
    "offset as string": (  # and a string cannot be compared with the other offsets (nor checked for length)
        lambda g: g.set((EVIDENCE["8c9d0e1f-1"], KGO.end, Literal("197"))),
        [
            'evidence:8c9d0e1f-1: kgo:end: evidence needs exactly one kgo:end, an xsd:integer ≥ 0 (got "197")',
            "evidence:8c9d0e1f-1: kgo:start: must not be after kgo:end (got 129)",
            "evidence:8c9d0e1f-1: kgo:triggerEnd: the trigger must end inside the sentence (got 186)",
        ],
    ),
    "negative offset": (
        lambda g: g.set((EVIDENCE["0a1b2c3d-1"], KGO.start, Literal(-1))),
        ["evidence:0a1b2c3d-1: kgo:start: evidence needs exactly one kgo:start, an xsd:integer ≥ 0 (got -1)",
         'evidence:0a1b2c3d-1: kgo:text: must be kgo:end - kgo:start characters long (got "Kim Jong-un a reçu '
         'Sergueï Lavrov samedi à Wonsan <script>alert(1)</script>."@fr)'],
    ),
    "entity with two classes": (
        lambda g: g.add((ENTITY["wonsan"], RDF.type, KGO.State)),
        ["entity:wonsan: rdf:type: an entity has exactly one class among kgo:Person, kgo:State, kgo:Organization, kgo:Place"],
    ),
    "entity without French label": (
        lambda g: g.set((ENTITY["wonsan"], RDFS.label, Literal("Wonsan", lang="en"))),
        ["entity:wonsan: rdfs:label: an entity has exactly one French label (@fr)"],
    ),
    "entity with two French labels": (
        lambda g: g.add((ENTITY["russie"], RDFS.label, Literal("Fédération de Russie", lang="fr"))),
        ["entity:russie: rdfs:label: an entity has exactly one French label (@fr)"],
    ),
    "affiliation to a place": (
        lambda g: g.set((ENTITY["kim-jong-un"], KGO.affiliation, ENTITY["wonsan"])),
        ["entity:kim-jong-un: kgo:affiliation: must be a kgo:State or a kgo:Organization (got entity:wonsan)"],
    ),
    "meeting participant that is a place": (
        lambda g: g.add((EVENT["meeting-0a1b2c3d"], KGO.participant, ENTITY["wonsan"])),
        ["event:meeting-0a1b2c3d: kgo:participant: must be a kgo:Person, a kgo:State or a kgo:Organization (got entity:wonsan)"],
    ),
    "supplier that is an organisation": (
        lambda g: g.set((EVENT["armstransfer-4e5f6a7b"], KGO.supplier, ENTITY["services-de-renseignement-sud-coréens"])),
        ["event:armstransfer-4e5f6a7b: kgo:supplier: must be a kgo:State (got entity:services-de-renseignement-sud-coréens)"],
    ),
    "signatory that is a state": (
        lambda g: g.set((EVENT["agreement-2a3b4c5d"], KGO.signatory, ENTITY["russie"])),
        ["event:agreement-2a3b4c5d: kgo:signatory: must be a kgo:Person (got entity:russie)"],
    ),
    "unknown item category": (
        lambda g: g.set((EVENT["armstransfer-4e5f6a7b"], KGO.itemCategory, KGO.Asserted)),
        ["event:armstransfer-4e5f6a7b: kgo:itemCategory: must be one of kgo:Ammunition, kgo:Missiles, kgo:RocketLaunchers, kgo:Artillery, kgo:MilitaryEquipment (got kgo:Asserted)"],
    ),
    "quantity as integer": (
        lambda g: g.set((EVENT["deployment-8c9d0e1f"], KGO.quantity, Literal(13000))),
        ["event:deployment-8c9d0e1f: kgo:quantity: must be one xsd:decimal ≥ 0 (got 13000)"],
    ),
    "qualifier without quantity": (
        lambda g: g.add((EVIDENCE["0a1b2c3d-1"], KGO.quantityQualifier, KGO.AtLeast)),
        ["evidence:0a1b2c3d-1: kgo:quantity: a kgo:quantityQualifier needs a kgo:quantity beside it"],
    ),
    "attributed to a place": (
        lambda g: g.add((EVIDENCE["0a1b2c3d-1"], KGO.attributedTo, ENTITY["wonsan"])),
        ["evidence:0a1b2c3d-1: kgo:attributedTo: must be one kgo:Person, kgo:State or kgo:Organization (got entity:wonsan)"],
    ),
    "sameAs that is not Wikidata": (
        lambda g: g.add((ENTITY["wonsan"], OWL.sameAs, rdflib.URIRef("https://fr.wikipedia.org/wiki/Wonsan"))),
        ["entity:wonsan: owl:sameAs: must be a Wikidata entity IRI (http://www.wikidata.org/entity/Q…) (got <https://fr.wikipedia.org/wiki/Wonsan>)"],
    ),
    "article without identifier": (
        lambda g: _remove(g, ARTICLE["a2"], DCTERMS.identifier),
        ["article:a2: dcterms:identifier: an article needs exactly one dcterms:identifier"],
    ),
    "two articles with one identifier": (
        lambda g: g.set((ARTICLE["a2"], DCTERMS.identifier, Literal("a1"))),
        [
            'article:a1: dcterms:identifier: another kgo:Article has the same dcterms:identifier (got "a1")',
            'article:a2: dcterms:identifier: another kgo:Article has the same dcterms:identifier (got "a1")',
        ],
    ),
    "event with two classes": (
        lambda g: g.add((EVENT["deployment-8c9d0e1f"], RDF.type, KGO.Meeting)),
        ["event:deployment-8c9d0e1f: rdf:type: an event has exactly one class among kgo:Meeting, kgo:Agreement, kgo:ArmsTransfer, kgo:Deployment"],
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_validate_names_each_breakage(graph, breakage):
    breaking, expected = BREAKAGES[breakage]
    breaking(graph)
    report = validate_graph(graph)
    assert report.conforms is False
    assert report.problems == tuple(expected)


def test_validate_problems_are_sorted_and_distinct(graph):
    for name in ("missing evidence", "bad factuality", "entity with two classes", "date as plain text"):
        BREAKAGES[name][0](graph)
    report = validate_graph(graph)
    assert report.problems == tuple(sorted(set(report.problems)))
    assert len(report.problems) == 4


def test_validate_does_not_change_the_graph(graph):
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before


def test_validate_text_length_shape_checks_offsets(graph):
    assert validate_graph(graph).conforms
    graph.set((EVIDENCE["0a1b2c3d-1"], KGO.end, Literal(75)))
    report = validate_graph(graph)
    assert report.problems == (
        'evidence:0a1b2c3d-1: kgo:text: must be kgo:end - kgo:start characters long (got "Kim Jong-un a reçu '
        'Sergueï Lavrov samedi à Wonsan <script>alert(1)</script>."@fr)',
    )


def test_validate_file_missing_is_a_graph_error(tmp_path):
    with pytest.raises(GraphError) as caught:
        validate_file(tmp_path / "absent.ttl")
    assert str(caught.value) == f"graph file not found: {tmp_path / 'absent.ttl'}"


def test_validate_file_not_rdf_is_a_graph_error(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("ceci n'est pas du Turtle {\n", encoding="utf-8")
    with pytest.raises(GraphError) as caught:
        validate_file(broken)
    message = str(caught.value)
    assert message.startswith(f"cannot parse {broken} as turtle: ")
    assert "\n" not in message
