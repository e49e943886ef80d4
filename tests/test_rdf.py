"""kg.rdf: the contract mapping, checked triple by triple on small hand-made graphs."""
from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.errors import KgError
from kg.model import Article, DateValue, Entity, Event, Evidence, KnowledgeGraph, Quantity
from kg.namespace import DEFAULT_BASE_IRI, KGO, SCHEMA
from kg.rdf import (
    ModelError,
    article_iri,
    decimal_lexical,
    entity_iri,
    event_iri,
    evidence_iri,
    rdf_triples,
    to_rdf,
)
from kg.slug import short_hash

BASE = DEFAULT_BASE_IRI
E = f"{BASE}entity/"
WD = "http://www.wikidata.org/entity/"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest's collection probes warn on rdflib's

S1 = "Élise Marchand a rencontré le ministre mongol mardi à Oulan-Bator."
S2 = "L’Islande et la Mongolie ont signé le pacte des steppes le 19 juin 2023."
S3 = "Selon l’Agence polaire de presse, la Mongolie aurait livré près de 12 millions de cartouches à l’Islande."
S4 = "Oulan-Bator a expédié un million de cartouches vers Reykjavik."
S5 = "Près de 1 500 soldats mongols pourraient être envoyés en Islande."

A1 = Article(
    id="a1",
    files=("a1.txt", "a1-copie.txt"),
    text=" ".join([S1, S2, S3]),
    segments=(),
    title="Steppes et glaciers",
    date=date(2023, 6, 20),
    source="Gazette du Nord",
    url="https://example.com/steppes",
)
A2 = Article(id="a2", files=("a2.md",), text=f"{S4}\n\n{S5}", segments=())


def evidence(article: Article, sentence: str, trigger: str, factuality: str = "Asserted", **extra) -> Evidence:
    """An evidence whose offsets are found in the article, as the extractor would give them."""
    start = article.text.find(sentence)
    trigger_start = article.text.find(trigger, start)
    return Evidence(
        article=article.id,
        start=start,
        end=start + len(sentence),
        text=sentence,
        factuality=factuality,
        trigger=trigger,
        trigger_start=trigger_start,
        trigger_end=trigger_start + len(trigger),
        **extra,
    )


def sample_kg() -> KnowledgeGraph:
    entities = {
        "mongolie": Entity("mongolie", "State", "Mongolie", {"Mongolie", "Oulan-Bator"}, "Q711", articles={"a1", "a2"}),
        "islande": Entity("islande", "State", "Islande", {"Reykjavik"}, "Q189", articles={"a1", "a2"}),
        "oulan-bator": Entity("oulan-bator", "Place", "Oulan-Bator", articles={"a1"}),
        "elise-marchand": Entity(
            "elise-marchand",
            "Person",
            "Élise Marchand",
            {"Marchand", "Élise Marchand"},
            roles={"ministre de la Défense", "porte-parole"},
            affiliations={"islande", "absente"},
            articles={"a1", "a9"},
        ),
        "agence-polaire": Entity("agence-polaire", "Organization", "Agence polaire de presse", articles={"a1"}),
    }
    events = [
        Event(
            key="meeting-1",
            cls="Meeting",
            roles={"participant": ("elise-marchand", "mongolie", "absente"), "place": ("oulan-bator",)},
            evidence=[evidence(A1, S1, "rencontré")],
            label="Rencontre Élise Marchand – Mongolie",
            dates=(DateValue("2023-06-13", "date"),),
        ),
        Event(
            key="agreement-1",
            cls="Agreement",
            roles={"party": ("islande", "mongolie"), "signatory": ("elise-marchand",)},
            evidence=[evidence(A1, S2, "signé")],
            label="Accord Islande – Mongolie",
            names=("pacte des steppes", "pacte d’Oulan-Bator"),
            dates=(DateValue("2023-06-19", "date"),),
        ),
        Event(
            key="armstransfer-1",
            cls="ArmsTransfer",
            roles={"supplier": ("mongolie",), "recipient": ("islande",)},
            evidence=[
                evidence(
                    A1, S3, "livré", "Reported",
                    attributed_to="agence-polaire",
                    quantity=Quantity(Decimal("12000000"), "Approximately"),
                ),
                evidence(A2, S4, "expédié", quantity=Quantity(Decimal("1E+6")), date=DateValue("2023", "gYear")),
            ],
            label="Mongolie → Islande : cartouches",
            items=("cartouches", "roquettes"),
            item_categories=("Ammunition", "RocketLaunchers"),
            quantity=Quantity(Decimal("1.2E+7"), "Approximately"),
            dates=(DateValue("2023-06", "gYearMonth"),),
            conflict=True,
        ),
        Event(
            key="deployment-1",
            cls="Deployment",
            roles={"sender": ("mongolie",), "recipient": ("islande",)},
            evidence=[evidence(A2, S5, "envoyés", "Possible")],
            label="Mongolie → Islande : troupes",
            quantity=Quantity(Decimal("1500")),
            dates=(DateValue("--06-19", "gMonthDay"),),
        ),
    ]
    return KnowledgeGraph(articles=[A1, A2], entities=entities, events=events)


def outgoing(graph: Graph, node: URIRef) -> set[tuple]:
    return set(graph.predicate_objects(node))


def fr(text: str) -> Literal:
    return Literal(text, lang="fr")


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def sorted_ntriples(graph: Graph) -> str:
    return "\n".join(sorted(line for line in graph.serialize(format="nt").splitlines() if line))


@pytest.fixture(scope="module")
def graph() -> Graph:
    return to_rdf(sample_kg())


def test_rdf_triples_are_the_graph_s_triples(graph):
    triples = rdf_triples(sample_kg())
    assert triples == set(graph)
    assert len(triples) == len(graph) > 50


def ev_node(event_key: str, index: int = 0) -> URIRef:
    event = next(e for e in sample_kg().events if e.key == event_key)
    return evidence_iri(BASE, event_key, event.evidence[index])


# --- IRIs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "key", "expected"),
    [
        (entity_iri, "kim-jong-un", "https://example.org/kg/entity/kim-jong-un"),
        (entity_iri, "sergueï lavrov", "https://example.org/kg/entity/sergue%C3%AF%20lavrov"),
        (event_iri, "meeting-0a1b2c3d", "https://example.org/kg/event/meeting-0a1b2c3d"),
        (article_iri, "000_b1b128fd", "https://example.org/kg/article/000_b1b128fd"),
        (article_iri, "Dépêche 12/06", "https://example.org/kg/article/D%C3%A9p%C3%AAche%2012%2F06"),
        (article_iri, 'a<b>"c"#d', "https://example.org/kg/article/a%3Cb%3E%22c%22%23d"),
    ],
)
def test_rdf_iris_keep_slugs_and_percent_encode_the_rest(make, key, expected):
    assert make(BASE, key) == URIRef(expected)


def test_rdf_evidence_iri_is_event_key_and_hash_of_article_and_offsets():
    item = evidence(A1, S3, "livré", "Reported")
    assert evidence_iri(BASE, "armstransfer-1", item) == URIRef(
        f"{BASE}evidence/armstransfer-1-{short_hash('a1', str(item.start), str(item.end))}"
    )
    # only where the sentence is counts: another factuality or trigger is the same node
    other = dataclasses.replace(item, factuality="Asserted", trigger="près", trigger_start=item.start)
    assert evidence_iri(BASE, "armstransfer-1", other) == evidence_iri(BASE, "armstransfer-1", item)
    moved = dataclasses.replace(item, start=item.start + 1)
    assert evidence_iri(BASE, "armstransfer-1", moved) != evidence_iri(BASE, "armstransfer-1", item)


def test_rdf_iris_do_not_shift_when_articles_and_events_are_added(graph):
    kg = sample_kg()
    extra = Article(id="a0", files=("a0.txt",), text="Une phrase de plus sur la Mongolie.", segments=())
    kg.articles.insert(0, extra)
    kg.events.insert(
        0,
        Event("meeting-0", "Meeting", {"participant": ("mongolie",)}, [evidence(extra, extra.text, "phrase")], "Autre"),
    )
    bigger = to_rdf(kg)
    assert set(graph) < set(bigger)


def test_rdf_custom_base_iri_moves_every_resource_and_prefix():
    other = "https://data.example.net/kg2/"
    g = to_rdf(sample_kg(), base_iri=other)
    resources = {term for triple in g for term in triple if isinstance(term, URIRef)}
    ours = {str(term) for term in resources if not str(term).startswith(("https://example.org/kg/ontology#",))}
    assert not any(term.startswith(BASE) for term in ours)
    assert (URIRef(f"{other}entity/mongolie"), RDF.type, KGO.State) in g
    prefixes = dict(g.namespaces())
    assert str(prefixes["entity"]) == f"{other}entity/"
    assert str(prefixes["kg"]) == other


@pytest.mark.parametrize("base", ["https://example.org/kg", "kg/", "example.org/kg/", "https://exa mple.org/kg/", ""])
def test_rdf_rejects_a_base_iri_that_would_glue_names(base):
    with pytest.raises(ModelError) as caught:
        to_rdf(sample_kg(), base_iri=base)
    assert str(caught.value) == (
        f"base IRI '{base}' must be an absolute IRI ending with '/' or '#', like https://example.org/kg/"
    )


def test_rdf_binds_the_contract_prefixes(graph):
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    assert prefixes == {
        "kg": BASE,
        "kgo": "https://example.org/kg/ontology#",
        "entity": f"{BASE}entity/",
        "event": f"{BASE}event/",
        "evidence": f"{BASE}evidence/",
        "article": f"{BASE}article/",
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "skos": str(SKOS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "dcterms": str(DCTERMS),
        "schema": "https://schema.org/",
        "prov": "http://www.w3.org/ns/prov#",
        "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "wd": WD,
    }


# --- articles ---------------------------------------------------------------------------------


def test_rdf_article_with_metadata(graph):
    assert outgoing(graph, article_iri(BASE, "a1")) == {
        (RDF.type, KGO.Article),
        (DCTERMS.identifier, Literal("a1")),
        (DCTERMS.title, Literal("Steppes et glaciers")),
        (DCTERMS.date, Literal("2023-06-20", datatype=XSD.date)),
        (DCTERMS.source, Literal("Gazette du Nord")),
        (SCHEMA.url, URIRef("https://example.com/steppes")),
        (KGO.file, Literal("a1.txt")),
        (KGO.file, Literal("a1-copie.txt")),
    }


def test_rdf_article_without_metadata_is_titled_by_its_id(graph):
    assert outgoing(graph, article_iri(BASE, "a2")) == {
        (RDF.type, KGO.Article),
        (DCTERMS.identifier, Literal("a2")),
        (DCTERMS.title, Literal("a2")),
        (KGO.file, Literal("a2.md")),
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com/a?b=1", URIRef("http://example.com/a?b=1")),
        ("https://example.com/é", URIRef("https://example.com/é")),
        ("ftp://example.com/a", None),
        ("example.com/a", None),
        ("https://example.com/a b", None),
        ("https:///sans-hote", None),
        ('https://example.com/"x"', None),
    ],
)
def test_rdf_article_url_only_as_a_web_iri(url, expected):
    kg = KnowledgeGraph([dataclasses.replace(A2, url=url)], {}, [])
    found = set(to_rdf(kg).objects(article_iri(BASE, "a2"), SCHEMA.url))
    assert found == ({expected} if expected else set())


# --- entities ---------------------------------------------------------------------------------


def test_rdf_person_with_roles_affiliation_and_mentions(graph):
    # the alt label equal to the label is dropped; the dangling affiliation and article are skipped
    assert outgoing(graph, entity_iri(BASE, "elise-marchand")) == {
        (RDF.type, KGO.Person),
        (RDFS.label, fr("Élise Marchand")),
        (SKOS.altLabel, fr("Marchand")),
        (KGO.role, fr("ministre de la Défense")),
        (KGO.role, fr("porte-parole")),
        (KGO.affiliation, URIRef(f"{E}islande")),
        (KGO.mentionedIn, article_iri(BASE, "a1")),
    }


def test_rdf_state_with_wikidata(graph):
    assert outgoing(graph, entity_iri(BASE, "mongolie")) == {
        (RDF.type, KGO.State),
        (RDFS.label, fr("Mongolie")),
        (SKOS.altLabel, fr("Oulan-Bator")),
        (OWL.sameAs, URIRef(f"{WD}Q711")),
        (KGO.mentionedIn, article_iri(BASE, "a1")),
        (KGO.mentionedIn, article_iri(BASE, "a2")),
    }


def test_rdf_every_entity_has_exactly_one_class(graph):
    for key in sample_kg().entities:
        assert len(set(graph.objects(entity_iri(BASE, key), RDF.type))) == 1


@pytest.mark.parametrize("wikidata", ["q711", "Q711 ", "Q711\n", "Q", "Q७११", "Q71a", "P31", f"{WD}Q711", ""])
def test_rdf_malformed_wikidata_id_gives_no_same_as(wikidata):
    entity = Entity("mongolie", "State", "Mongolie", wikidata=wikidata)
    g = to_rdf(KnowledgeGraph([], {"mongolie": entity}, []))
    assert list(g.triples((None, OWL.sameAs, None))) == []


# --- events -----------------------------------------------------------------------------------


def test_rdf_meeting(graph):
    assert outgoing(graph, event_iri(BASE, "meeting-1")) == {
        (RDF.type, KGO.Meeting),
        (RDFS.label, fr("Rencontre Élise Marchand – Mongolie")),
        (KGO.participant, URIRef(f"{E}elise-marchand")),
        (KGO.participant, URIRef(f"{E}mongolie")),  # "absente" is not an entity: no edge
        (KGO.place, URIRef(f"{E}oulan-bator")),
        (KGO.date, Literal("2023-06-13", datatype=XSD.date)),
        (KGO.evidence, ev_node("meeting-1")),
    }


def test_rdf_agreement_is_labelled_by_its_first_name(graph):
    assert outgoing(graph, event_iri(BASE, "agreement-1")) == {
        (RDF.type, KGO.Agreement),
        (RDFS.label, fr("pacte des steppes")),
        (SKOS.altLabel, fr("pacte d’Oulan-Bator")),
        (KGO.party, URIRef(f"{E}islande")),
        (KGO.party, URIRef(f"{E}mongolie")),
        (KGO.signatory, URIRef(f"{E}elise-marchand")),
        (KGO.date, Literal("2023-06-19", datatype=XSD.date)),
        (KGO.evidence, ev_node("agreement-1")),
    }


def test_rdf_agreement_without_names_keeps_its_label():
    kg = sample_kg()
    kg.events[1].names = ()
    g = to_rdf(kg)
    node = event_iri(BASE, "agreement-1")
    assert set(g.objects(node, RDFS.label)) == {fr("Accord Islande – Mongolie")}
    assert set(g.objects(node, SKOS.altLabel)) == set()


def test_rdf_names_of_other_events_are_not_written():
    kg = sample_kg()
    kg.events[0].names = ("sommet des steppes",)
    g = to_rdf(kg)
    node = event_iri(BASE, "meeting-1")
    assert set(g.objects(node, RDFS.label)) == {fr("Rencontre Élise Marchand – Mongolie")}
    assert set(g.objects(node, SKOS.altLabel)) == set()


def test_rdf_arms_transfer(graph):
    assert outgoing(graph, event_iri(BASE, "armstransfer-1")) == {
        (RDF.type, KGO.ArmsTransfer),
        (RDFS.label, fr("Mongolie → Islande : cartouches")),
        (KGO.supplier, URIRef(f"{E}mongolie")),
        (KGO.recipient, URIRef(f"{E}islande")),
        (KGO.item, fr("cartouches")),
        (KGO.item, fr("roquettes")),
        (KGO.itemCategory, KGO.Ammunition),
        (KGO.itemCategory, KGO.RocketLaunchers),
        (KGO.quantity, Literal("12000000.0", datatype=XSD.decimal)),
        (KGO.quantityQualifier, KGO.Approximately),
        (KGO.date, Literal("2023-06", datatype=XSD.gYearMonth)),
        (KGO.conflict, Literal(True)),
        (KGO.evidence, ev_node("armstransfer-1", 0)),
        (KGO.evidence, ev_node("armstransfer-1", 1)),
    }


def test_rdf_deployment_exact_quantity_has_no_qualifier(graph):
    assert outgoing(graph, event_iri(BASE, "deployment-1")) == {
        (RDF.type, KGO.Deployment),
        (RDFS.label, fr("Mongolie → Islande : troupes")),
        (KGO.sender, URIRef(f"{E}mongolie")),
        (KGO.recipient, URIRef(f"{E}islande")),
        (KGO.quantity, Literal("1500.0", datatype=XSD.decimal)),
        (KGO.date, Literal("--06-19", datatype=XSD.gMonthDay)),
        (KGO.evidence, ev_node("deployment-1")),
    }


def test_rdf_conflict_only_when_sources_disagree(graph):
    assert set(graph.subject_objects(KGO.conflict)) == {(event_iri(BASE, "armstransfer-1"), Literal(True))}


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [("2024-06-19", "date"), ("2024-02-29", "date"), ("2024-06", "gYearMonth"), ("2024", "gYear"),
     ("--06-19", "gMonthDay"), ("--02-29", "gMonthDay")],
)
def test_rdf_date_keeps_its_lexical_form_and_datatype(lexical, datatype):
    kg = sample_kg()
    kg.events[0].dates = (DateValue(lexical, datatype),)
    (value,) = to_rdf(kg).objects(event_iri(BASE, "meeting-1"), KGO.date)
    assert (str(value), value.datatype) == (lexical, XSD[datatype])
    assert value.n3() == f'"{lexical}"^^<http://www.w3.org/2001/XMLSchema#{datatype}>'


@pytest.mark.parametrize(
    ("value", "lexical"),
    [("12000000", "12000000.0"), ("1.2E+7", "12000000.0"), ("1.50", "1.5"), ("0.5", "0.5"), ("1E-7", "0.0000001"),
     ("-0", "0.0"), ("13000", "13000.0"), ("-3.250", "-3.25")],
)
def test_rdf_decimal_lexical_has_no_exponent_and_a_point(value, lexical):
    assert decimal_lexical(Decimal(value)) == lexical


@pytest.mark.parametrize(
    ("qualifier", "written"),
    [("Exactly", set()), ("Approximately", {KGO.Approximately}), ("AtLeast", {KGO.AtLeast}), ("AtMost", {KGO.AtMost})],
)
def test_rdf_quantity_qualifier_only_when_not_exact(qualifier, written):
    kg = sample_kg()
    kg.events[3].quantity = Quantity(Decimal("2500"), qualifier)
    g = to_rdf(kg)
    node = event_iri(BASE, "deployment-1")
    assert set(g.objects(node, KGO.quantity)) == {Literal("2500.0", datatype=XSD.decimal)}
    assert set(g.objects(node, KGO.quantityQualifier)) == written


# --- evidence ---------------------------------------------------------------------------------


def test_rdf_reported_evidence_with_attribution_and_quantity(graph):
    start = A1.text.find(S3)
    trigger = A1.text.find("livré")
    assert outgoing(graph, ev_node("armstransfer-1", 0)) == {
        (RDF.type, KGO.Evidence),
        (KGO.article, article_iri(BASE, "a1")),
        (KGO.text, Literal(S3)),
        (KGO.start, integer(start)),
        (KGO.end, integer(start + len(S3))),
        (KGO.factuality, KGO.Reported),
        (KGO.attributedTo, URIRef(f"{E}agence-polaire")),
        (KGO.quantity, Literal("12000000.0", datatype=XSD.decimal)),
        (KGO.quantityQualifier, KGO.Approximately),
        (KGO.trigger, Literal("livré")),
        (KGO.triggerStart, integer(trigger)),
        (KGO.triggerEnd, integer(trigger + len("livré"))),
    }


def test_rdf_evidence_with_its_own_date_and_exact_quantity(graph):
    node = ev_node("armstransfer-1", 1)
    assert set(graph.objects(node, KGO.date)) == {Literal("2023", datatype=XSD.gYear)}
    assert set(graph.objects(node, KGO.quantity)) == {Literal("1000000.0", datatype=XSD.decimal)}
    assert set(graph.objects(node, KGO.quantityQualifier)) == set()
    assert set(graph.objects(node, KGO.start)) == {integer(0)}


def test_rdf_evidence_text_is_a_plain_string(graph):
    for text in graph.objects(None, KGO.text):
        assert text.language is None and text.datatype is None


def test_rdf_dangling_attribution_is_skipped():
    kg = sample_kg()
    kg.events[2].evidence[0] = dataclasses.replace(kg.events[2].evidence[0], attributed_to="inconnue")
    assert list(to_rdf(kg).triples((None, KGO.attributedTo, None))) == []


def test_rdf_same_sentence_for_two_events_gives_two_evidence_nodes():
    kg = sample_kg()
    shared = evidence(A1, S2, "signé")
    kg.events[0].evidence.append(shared)
    g = to_rdf(kg)
    nodes = set(g.subjects(KGO.text, Literal(S2)))
    assert nodes == {evidence_iri(BASE, "agreement-1", shared), evidence_iri(BASE, "meeting-1", shared)}


def test_rdf_every_evidence_slices_back_like_the_scorer(graph):
    """What an outside checker does: parse the Turtle, cut each article's text at start:end."""
    texts = {article.id: article.text for article in sample_kg().articles}
    parsed = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    checked = 0
    for node in parsed.subjects(RDF.type, KGO.Evidence):
        article_id = str(parsed.value(parsed.value(node, KGO.article), DCTERMS.identifier))
        start, end = parsed.value(node, KGO.start).toPython(), parsed.value(node, KGO.end).toPython()
        assert texts[article_id][start:end] == str(parsed.value(node, KGO.text))
        t_start, t_end = parsed.value(node, KGO.triggerStart).toPython(), parsed.value(node, KGO.triggerEnd).toPython()
        assert texts[article_id][t_start:t_end] == str(parsed.value(node, KGO.trigger))
        checked += 1
    assert checked == 5


# --- whole graph ------------------------------------------------------------------------------


def test_rdf_has_no_blank_nodes(graph):
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_rdf_two_builds_give_identical_ntriples():
    assert sorted_ntriples(to_rdf(sample_kg())) == sorted_ntriples(to_rdf(sample_kg()))


def test_rdf_same_bytes_under_other_hash_seeds(tmp_path: Path, graph):
    """Sets in the model iterate differently under another PYTHONHASHSEED; the output must not."""
    pickled = tmp_path / "kg.pickle"
    pickled.write_bytes(pickle.dumps(sample_kg()))
    script = (
        "import pickle, sys\n"
        "from kg.rdf import to_rdf\n"
        "g = to_rdf(pickle.loads(open(sys.argv[1], 'rb').read()))\n"
        "lines = sorted(l for l in g.serialize(format='nt').splitlines() if l)\n"
        "sys.stdout.buffer.write('\\n'.join(lines).encode('utf-8'))\n"
        "sys.stdout.buffer.write(b'\\n=====\\n' + g.serialize(format='turtle').encode('utf-8'))\n"
    )
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, str(pickled)], capture_output=True, env=env, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    ntriples, _ = outputs.pop().split(b"\n=====\n")
    assert ntriples == sorted_ntriples(graph).encode("utf-8")


def test_rdf_turtle_round_trip_is_isomorphic(graph):
    parsed = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert isomorphic(graph, parsed)
    assert set(parsed) == set(graph)  # no blank nodes, so every triple is literally the same


def test_rdf_does_not_change_the_model():
    kg = sample_kg()
    to_rdf(kg)
    assert kg == sample_kg()


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(lambda t: t.strip())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=_TEXT, alt=_TEXT, before=st.text(st.characters(exclude_categories=("Cs",)), max_size=20), sentence=_TEXT)
def test_rdf_any_unicode_survives_turtle(label, alt, before, sentence):
    article = Article(id="a1", files=("a1.txt",), text=before + sentence + " fin", segments=())
    start = len(before)
    entity = Entity("x", "Person", label, {alt}, articles={"a1"})
    item = Evidence("a1", start, start + len(sentence), sentence, "Asserted", sentence, start, start + len(sentence))
    event = Event("e", "Meeting", {"participant": ("x",)}, [item], label, items=(alt,))
    g = to_rdf(KnowledgeGraph([article], {"x": entity}, [event]))
    parsed = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    assert set(parsed) == set(g)
    assert str(parsed.value(entity_iri(BASE, "x"), RDFS.label)) == label
    (node,) = parsed.subjects(RDF.type, KGO.Evidence)
    assert str(parsed.value(node, KGO.text)) == sentence == article.text[start : start + len(sentence)]


# --- errors -----------------------------------------------------------------------------------


def _broken(change) -> KnowledgeGraph:
    kg = sample_kg()
    change(kg)
    return kg


def _set_evidence(kg: KnowledgeGraph, event: int, index: int, **changes) -> None:
    kg.events[event].evidence[index] = dataclasses.replace(kg.events[event].evidence[index], **changes)


S3_START = A1.text.find(S3)
S3_AT = f"{S3_START}:{S3_START + len(S3)}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda kg: setattr(kg.entities["mongolie"], "cls", "Country"),
            "entity 'mongolie': unknown class 'Country'; expected one of Person, State, Organization, Place",
        ),
        (
            lambda kg: setattr(kg.entities["mongolie"], "label", "  "),
            "entity 'mongolie': the label is empty; give it a name",
        ),
        (
            lambda kg: setattr(kg.entities["mongolie"], "key", "mongolia"),
            "entity 'mongolie': it is stored under 'mongolie' but its key is 'mongolia'",
        ),
        (
            lambda kg: setattr(kg.events[0], "cls", "Visit"),
            "event 'meeting-1': unknown class 'Visit'; expected one of Meeting, Agreement, ArmsTransfer, Deployment",
        ),
        (
            lambda kg: kg.events[0].roles.update(host=("mongolie",)),
            "event 'meeting-1': unknown role 'host'; expected one of "
            "participant, place, party, signatory, supplier, recipient, sender",
        ),
        (
            lambda kg: setattr(kg.events[2], "item_categories", ("Drones",)),
            "event 'armstransfer-1': unknown item category 'Drones'; expected one of "
            "Ammunition, Missiles, RocketLaunchers, Artillery, MilitaryEquipment",
        ),
        (
            lambda kg: setattr(kg.events[2], "quantity", Quantity(Decimal("5"), "Roughly")),
            "event 'armstransfer-1': unknown quantity qualifier 'Roughly'; expected one of "
            "Exactly, Approximately, AtLeast, AtMost",
        ),
        (
            lambda kg: setattr(kg.events[2], "quantity", Quantity(Decimal("NaN"))),
            "event 'armstransfer-1': quantity 'NaN' is not a finite number",
        ),
        (
            lambda kg: setattr(kg.events[0], "dates", (DateValue("2023", "year"),)),
            "event 'meeting-1': unknown date datatype 'year'; expected one of date, gYearMonth, gYear, gMonthDay",
        ),
        (
            lambda kg: setattr(kg.events[0], "dates", (DateValue("2023-6", "gYearMonth"),)),
            "event 'meeting-1': '2023-6' is not an xsd:gYearMonth; write it like 2024-06",
        ),
        (
            lambda kg: setattr(kg.events[0], "dates", (DateValue("2023-02-30", "date"),)),
            "event 'meeting-1': '2023-02-30' is not an xsd:date; write it like 2024-06-19",
        ),
        (
            lambda kg: setattr(kg.events[0], "dates", (DateValue("06-19", "gMonthDay"),)),
            "event 'meeting-1': '06-19' is not an xsd:gMonthDay; write it like --06-19",
        ),
        (
            lambda kg: setattr(kg.events[0], "label", ""),
            "event 'meeting-1': the label is empty; give it a name",
        ),
        (
            lambda kg: kg.events.append(kg.events[0]),
            "two events have the key 'meeting-1'; event keys must be unique",
        ),
        (
            lambda kg: kg.articles.append(A1),
            "two articles have the id 'a1'; article ids must be unique",
        ),
        (
            lambda kg: _set_evidence(kg, 2, 0, factuality="Rumoured"),
            f"event 'armstransfer-1', evidence in article 'a1' at {S3_AT}: unknown factuality 'Rumoured'; "
            "expected one of Asserted, Reported, Possible, Denied",
        ),
        (
            lambda kg: _set_evidence(kg, 2, 0, quantity=Quantity(Decimal("3"), "Some")),
            f"event 'armstransfer-1', evidence in article 'a1' at {S3_AT}: unknown quantity qualifier 'Some'; "
            "expected one of Exactly, Approximately, AtLeast, AtMost",
        ),
        (
            lambda kg: _set_evidence(kg, 2, 0, date=DateValue("juin 2023", "gYearMonth")),
            f"event 'armstransfer-1', evidence in article 'a1' at {S3_AT}: 'juin 2023' is not an xsd:gYearMonth; "
            "write it like 2024-06",
        ),
        (
            lambda kg: _set_evidence(kg, 2, 0, article="a7"),
            "event 'armstransfer-1': evidence cites unknown article 'a7'",
        ),
        (
            lambda kg: _set_evidence(kg, 2, 0, start=S3_START - 1, end=S3_START - 1 + len(S3)),
            f"event 'armstransfer-1': evidence text does not match article 'a1' at {S3_START - 1}:"
            f"{S3_START - 1 + len(S3)}: the article has ' Selon l’Agence polaire de presse, la Mongolie aurait livré…' "
            "there, the evidence text says 'Selon l’Agence polaire de presse, la Mongolie aurait livré …'",
        ),
        (
            lambda kg: _set_evidence(kg, 0, 0, start=0, end=10_000),
            "event 'meeting-1': evidence text offsets 0:10000 lie outside article 'a1' "
            f"(its text has {len(A1.text)} characters)",
        ),
        (
            lambda kg: _set_evidence(kg, 0, 0, start=-5, end=len(S1) - 5),
            f"event 'meeting-1': evidence text offsets -5:{len(S1) - 5} lie outside article 'a1' "
            f"(its text has {len(A1.text)} characters)",
        ),
        (
            lambda kg: _set_evidence(kg, 0, 0, trigger="rencontrer"),
            f"event 'meeting-1': trigger does not match article 'a1' at 17:26: the article has 'rencontré' there, "
            "the trigger says 'rencontrer'",
        ),
        (
            lambda kg: _set_evidence(kg, 0, 0, end=16, text=S1[:16]),
            "event 'meeting-1', evidence in article 'a1' at 0:16: trigger at 17:26 lies outside its sentence",
        ),
        (
            lambda kg: kg.events[0].evidence.append(dataclasses.replace(kg.events[0].evidence[0], factuality="Denied")),
            "event 'meeting-1': two different evidences for the sentence of article 'a1' at 0:66; merge them into one",
        ),
    ],
)
def test_rdf_model_errors_say_what_is_wrong(change, message):
    with pytest.raises(ModelError) as caught:
        to_rdf(_broken(change))
    assert str(caught.value) == message
    assert isinstance(caught.value, KgError)


def test_rdf_identical_duplicate_evidence_is_one_node():
    kg = sample_kg()
    kg.events[0].evidence.append(kg.events[0].evidence[0])
    assert set(to_rdf(kg)) == set(to_rdf(sample_kg()))
