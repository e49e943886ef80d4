"""kg/ontology.ttl documents every term of the vocabulary, in French and English, with alignments."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from kg import model
from kg.namespace import KGO, ONTOLOGY_IRI, SCHEMA, SEM

ONTOLOGY = Path(__file__).resolve().parent.parent / "kg" / "ontology.ttl"
TERMS = sorted(KGO.__annotations__)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def test_ontology_has_header_with_version_and_titles(ontology):
    header = rdflib.URIRef(ONTOLOGY_IRI.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(header, OWL.versionInfo)) == "0.1.0"
    titles = {t.language for t in ontology.objects(header, DCTERMS.title)}
    assert titles == {"fr", "en"}


@pytest.mark.parametrize("term", TERMS)
def test_ontology_declares_every_namespace_term_with_kind(ontology, term):
    kinds = set(ontology.objects(KGO[term], RDF.type)) & set(KINDS)
    assert kinds, f"kgo:{term} is not declared as a class, property or individual"


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment])
def test_ontology_documents_every_term_in_french_and_english(ontology, term, predicate):
    languages = sorted(v.language for v in ontology.objects(KGO[term], predicate) if v.language)
    assert languages == ["en", "fr"], f"kgo:{term} {predicate.n3()} languages: {languages}"


def test_ontology_declares_no_term_outside_the_namespace(ontology):
    used = {str(t) for t in ontology.all_nodes() if isinstance(t, rdflib.URIRef) and str(t).startswith(ONTOLOGY_IRI)}
    assert used == {ONTOLOGY_IRI + t for t in TERMS}


@pytest.mark.parametrize("term", [t for t in TERMS if t[0].islower()])
def test_ontology_properties_have_domain_and_range(ontology, term):
    assert ontology.value(KGO[term], RDFS.domain) is not None
    assert ontology.value(KGO[term], RDFS.range) is not None


@pytest.mark.parametrize(
    "names, cls",
    [
        (model.FACTUALITIES, KGO.Factuality),
        (model.ITEM_CATEGORIES, KGO.ItemCategory),
        (model.QUALIFIERS, KGO.QuantityQualifier),
    ],
)
def test_ontology_individuals_belong_to_their_class(ontology, names, cls):
    assert {str(i) for i in ontology.subjects(RDF.type, cls)} == {ONTOLOGY_IRI + n for n in names}


@pytest.mark.parametrize("names", [model.ENTITY_CLASSES, model.EVENT_CLASSES])
def test_ontology_model_classes_are_owl_classes(ontology, names):
    for name in names:
        assert (KGO[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize(
    "sub, link, sup",
    [
        (KGO.Person, RDFS.subClassOf, SCHEMA.Person),
        (KGO.State, RDFS.subClassOf, SCHEMA.Country),
        (KGO.Organization, RDFS.subClassOf, SCHEMA.Organization),
        (KGO.Place, RDFS.subClassOf, SCHEMA.Place),
        (KGO.Event, RDFS.subClassOf, SEM.Event),
        (KGO.Event, RDFS.subClassOf, SCHEMA.Event),
        (KGO.Meeting, RDFS.subClassOf, KGO.Event),
        (KGO.Agreement, RDFS.subClassOf, KGO.Event),
        (KGO.ArmsTransfer, RDFS.subClassOf, KGO.Event),
        (KGO.Deployment, RDFS.subClassOf, KGO.Event),
        (KGO.Evidence, RDFS.subClassOf, PROV.Entity),
        (KGO.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (KGO.Article, RDFS.subClassOf, PROV.Entity),
        (KGO.participant, RDFS.subPropertyOf, SEM.hasActor),
        (KGO.place, RDFS.subPropertyOf, SEM.hasPlace),
        (KGO.date, RDFS.subPropertyOf, SEM.hasTimeStamp),
        (KGO.attributedTo, RDFS.subPropertyOf, PROV.wasAttributedTo),
        (KGO.article, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (KGO.mentionedIn, OWL.inverseOf, SCHEMA.mentions),
    ],
)
def test_ontology_aligns_with_shared_vocabularies(ontology, sub, link, sup):
    assert (sub, link, sup) in ontology


def test_ontology_date_is_not_a_schema_start_date(ontology):
    # kgo:date is a point at the text's precision, also on Evidence: not the start of an interval
    assert (KGO.date, RDFS.subPropertyOf, SCHEMA.startDate) not in ontology
