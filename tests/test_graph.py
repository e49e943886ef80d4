"""kg.graph: the networkx view of the model and its way back, as networkx's own node-link tests do."""
from __future__ import annotations

import copy
import json
from decimal import Decimal

import networkx as nx
import pytest
from rdflib.compare import isomorphic

from kg.graph import entity_node, event_node, from_networkx, quantity_text, to_networkx
from kg.model import Article, DateValue, Entity, Event, Evidence, KnowledgeGraph, Quantity
from kg.rdf import ModelError, to_rdf

S1 = "Le Chili et la Norvège ont conclu l’accord des fjords le 2 mai 2022 à Oslo."
S2 = "D’après la radio chilienne, Santiago aurait vendu au moins 300 obus de mortier à Oslo."
S3 = "Oslo a reçu environ 250 obus."
ARTICLE = Article(id="b1", files=("b1.txt",), text=f"{S1} {S2}\n{S3}", segments=())


def evidence(sentence: str, trigger: str, factuality: str = "Asserted", **extra) -> Evidence:
    start = ARTICLE.text.find(sentence)
    trigger_start = ARTICLE.text.find(trigger, start)
    return Evidence(
        "b1", start, start + len(sentence), sentence, factuality, trigger,
        trigger_start, trigger_start + len(trigger), **extra,
    )


def sample_kg() -> KnowledgeGraph:
    entities = {
        "chili": Entity("chili", "State", "Chili", {"Santiago"}, "Q298", articles={"b1"}),
        "norvege": Entity("norvege", "State", "Norvège", {"Oslo"}, "Q20", articles={"b1"}),
        "oslo": Entity("oslo", "Place", "Oslo", articles={"b1"}),
        "ines-vidal": Entity(
            "ines-vidal", "Person", "Inés Vidal", {"Vidal"}, roles={"ministre des Affaires étrangères"},
            affiliations={"chili", "norvege"}, articles={"b1"},
        ),
        "radio-chilienne": Entity("radio-chilienne", "Organization", "radio chilienne", affiliations={"chili"}),
    }
    events = [
        Event(
            key="agreement-fjords",
            cls="Agreement",
            # listed out of the natural order on purpose: the round trip must keep tuple order
            roles={"place": ("oslo",), "party": ("norvege", "chili"), "signatory": ("ines-vidal",)},
            evidence=[evidence(S1, "conclu")],
            label="Accord Chili – Norvège",
            names=("accord des fjords",),
            dates=(DateValue("2022-05-02", "date"), DateValue("2022", "gYear")),
        ),
        Event(
            key="armstransfer-obus",
            cls="ArmsTransfer",
            roles={"supplier": ("chili",), "recipient": ("norvege",)},
            evidence=[
                evidence(
                    S2, "vendu", "Reported", attributed_to="radio-chilienne",
                    quantity=Quantity(Decimal("300"), "AtLeast"), date=DateValue("--05-02", "gMonthDay"),
                ),
                evidence(S3, "reçu", quantity=Quantity(Decimal("250"), "Approximately")),
            ],
            label="Chili → Norvège : obus de mortier",
            items=("obus de mortier",),
            item_categories=("Ammunition",),
            quantity=Quantity(Decimal("3E+2"), "AtLeast"),
            dates=(DateValue("2022-05", "gYearMonth"),),
            conflict=True,
        ),
    ]
    return KnowledgeGraph(articles=[ARTICLE], entities=entities, events=events)


def test_graph_entity_node_attributes():
    g = to_networkx(sample_kg())
    assert g.nodes[entity_node("ines-vidal")] == {
        "kind": "entity",
        "key": "ines-vidal",
        "cls": "Person",
        "label": "Inés Vidal",
        "alt_labels": ["Vidal"],
        "wikidata": None,
        "roles": ["ministre des Affaires étrangères"],
        "affiliations": ["chili", "norvege"],
        "articles": ["b1"],
    }


def test_graph_event_node_attributes():
    g = to_networkx(sample_kg())
    s2_start = ARTICLE.text.find(S2)
    s3_start = ARTICLE.text.find(S3)
    assert g.nodes[event_node("armstransfer-obus")] == {
        "kind": "event",
        "key": "armstransfer-obus",
        "cls": "ArmsTransfer",
        "label": "Chili → Norvège : obus de mortier",
        "names": [],
        "dates": ["2022-05"],
        "date_types": ["gYearMonth"],
        "quantity": "300",
        "qualifier": "AtLeast",
        "conflict": True,
        "items": ["obus de mortier"],
        "categories": ["Ammunition"],
        "evidence": [
            {
                "article": "b1",
                "start": s2_start,
                "end": s2_start + len(S2),
                "text": S2,
                "factuality": "Reported",
                "attributed_to": "radio-chilienne",
                "quantity": "300",
                "qualifier": "AtLeast",
                "date": "--05-02",
                "date_type": "gMonthDay",
                "trigger": "vendu",
                "trigger_start": ARTICLE.text.find("vendu"),
                "trigger_end": ARTICLE.text.find("vendu") + len("vendu"),
            },
            {
                "article": "b1",
                "start": s3_start,
                "end": s3_start + len(S3),
                "text": S3,
                "factuality": "Asserted",
                "attributed_to": None,
                "quantity": "250",
                "qualifier": "Approximately",
                "date": None,
                "date_type": None,
                "trigger": "reçu",
                "trigger_start": ARTICLE.text.find("reçu"),
                "trigger_end": ARTICLE.text.find("reçu") + len("reçu"),
            },
        ],
    }


def test_graph_edges_are_roles_and_affiliations():
    g = to_networkx(sample_kg())
    assert sorted(g.edges(keys=True)) == [
        ("entity:ines-vidal", "entity:chili", "affiliation"),
        ("entity:ines-vidal", "entity:norvege", "affiliation"),
        ("entity:radio-chilienne", "entity:chili", "affiliation"),
        ("event:agreement-fjords", "entity:chili", "party"),
        ("event:agreement-fjords", "entity:ines-vidal", "signatory"),
        ("event:agreement-fjords", "entity:norvege", "party"),
        ("event:agreement-fjords", "entity:oslo", "place"),
        ("event:armstransfer-obus", "entity:chili", "supplier"),
        ("event:armstransfer-obus", "entity:norvege", "recipient"),
    ]
    assert all(data["role"] == key for _, _, key, data in g.edges(keys=True, data=True))
    assert g.edges["event:agreement-fjords", "entity:norvege", "party"]["position"] == 0
    assert g.edges["event:agreement-fjords", "entity:chili", "party"]["position"] == 1


def test_graph_entity_in_two_roles_of_one_event_gives_two_edges():
    kg = sample_kg()
    kg.events[0].roles["participant"] = ("chili",)
    g = to_networkx(kg)
    assert set(g["event:agreement-fjords"]["entity:chili"]) == {"party", "participant"}


@pytest.mark.parametrize(("value", "text"), [("3E+2", "300"), ("12000000", "12000000"), ("1.50", "1.5"), ("-0", "0")])
def test_graph_quantity_text_is_plain(value, text):
    assert quantity_text(Decimal(value)) == text


def test_graph_round_trip_gives_equal_entities_and_events():
    kg = sample_kg()
    back = from_networkx(to_networkx(kg), kg.articles)
    assert back.entities == kg.entities
    assert back.events == kg.events
    assert back == kg


def test_graph_round_trip_through_node_link_json():
    kg = sample_kg()
    data = json.loads(json.dumps(nx.node_link_data(to_networkx(kg), edges="edges")))
    g = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    assert from_networkx(g, kg.articles) == kg


def test_graph_round_trip_gives_isomorphic_rdf():
    kg = sample_kg()
    assert isomorphic(to_rdf(kg), to_rdf(from_networkx(to_networkx(kg), kg.articles)))


def test_graph_dangling_references_get_no_edge_and_rdf_agrees():
    kg = sample_kg()
    kg.entities["ines-vidal"].affiliations.add("disparue")
    kg.events[0].roles["party"] = ("norvege", "disparue", "chili")
    g = to_networkx(kg)
    assert "entity:disparue" not in g
    assert g.nodes["entity:ines-vidal"]["affiliations"] == ["chili", "norvege"]
    back = from_networkx(g, kg.articles)
    assert back.events[0].roles["party"] == ("norvege", "chili")
    assert back.entities["ines-vidal"].affiliations == {"chili", "norvege"}
    assert isomorphic(to_rdf(kg), to_rdf(back))


def test_graph_from_networkx_reads_roles_from_edges():
    g = to_networkx(sample_kg())
    g.remove_edge("event:agreement-fjords", "entity:oslo", key="place")
    g.add_edge("event:agreement-fjords", "entity:oslo", key="participant", role="participant", position=0)
    roles = from_networkx(g).events[0].roles
    assert roles == {"participant": ("oslo",), "party": ("norvege", "chili"), "signatory": ("ines-vidal",)}


def test_graph_to_networkx_does_not_change_the_model():
    kg = sample_kg()
    before = copy.deepcopy(kg)
    to_networkx(kg)
    assert kg == before


def test_graph_to_networkx_rejects_two_events_with_one_key():
    kg = sample_kg()
    kg.events.append(kg.events[0])
    with pytest.raises(ModelError) as caught:
        to_networkx(kg)
    assert str(caught.value) == "two events have the key 'agreement-fjords'; event keys must be unique"


def _drop_attribute(g: nx.MultiDiGraph) -> None:
    del g.nodes["event:agreement-fjords"]["label"]


def _drop_evidence_attribute(g: nx.MultiDiGraph) -> None:
    del g.nodes["event:agreement-fjords"]["evidence"][0]["trigger"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g: g.add_node("lonely"), "node 'lonely' has kind None; expected 'entity' or 'event'"),
        (lambda g: g.add_node("x", kind="article"), "node 'x' has kind 'article'; expected 'entity' or 'event'"),
        (_drop_attribute, "node 'event:agreement-fjords' has no 'label' attribute; build the graph with kg.graph.to_networkx"),
        (
            _drop_evidence_attribute,
            "an evidence of node 'event:agreement-fjords' has no 'trigger' attribute; "
            "build the graph with kg.graph.to_networkx",
        ),
        (
            lambda g: g.nodes["event:armstransfer-obus"].update(quantity="beaucoup"),
            "node 'event:armstransfer-obus': quantity 'beaucoup' is not a number",
        ),
        (
            lambda g: g.nodes["event:agreement-fjords"].update(date_types=["date"]),
            "node 'event:agreement-fjords' has 2 dates but 1 date types",
        ),
    ],
)
def test_graph_from_networkx_errors_name_the_node(change, message):
    g = to_networkx(sample_kg())
    change(g)
    with pytest.raises(ModelError) as caught:
        from_networkx(g)
    assert str(caught.value) == message
