"""The RDF mapping of CONTRACT.md: a KnowledgeGraph becomes an rdflib Graph, checked on the way.

Every value is checked as it is mapped (classes, vocabularies, date forms, offsets that slice
back to the evidence text) and any problem raises ModelError, so no half-right graph is ever
returned. No blank nodes, and every IRI derives from content, so equal input gives equal graphs
on every run.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote, urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg.errors import KgError
from kg.model import (
    ENTITY_CLASSES,
    EVENT_CLASSES,
    FACTUALITIES,
    ITEM_CATEGORIES,
    QUALIFIERS,
    Article,
    DateValue,
    Entity,
    Event,
    Evidence,
    KnowledgeGraph,
    Quantity,
)
from kg.namespace import DEFAULT_BASE_IRI, KGO, SCHEMA, WIKIDATA, standard_prefixes
from kg.slug import short_hash

ROLES = ("participant", "place", "party", "signatory", "supplier", "recipient", "sender")
DATE_DATATYPES = ("date", "gYearMonth", "gYear", "gMonthDay")

_WIKIDATA_ID = re.compile(r"Q[0-9]+")
_DATE_FORMS = {  # four-digit years, no time zone: what the extractor writes
    "date": re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"),
    "gYearMonth": re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])"),
    "gYear": re.compile(r"[0-9]{4}"),
    "gMonthDay": re.compile(r"--([0-9]{2})-([0-9]{2})"),
}
_DATE_EXAMPLES = {"date": "2024-06-19", "gYearMonth": "2024-06", "gYear": "2024", "gMonthDay": "--06-19"}
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


class ModelError(KgError):
    """The in-memory graph cannot be exported as it is (unknown class, offsets that do not slice back...)."""


# --- IRIs -------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)  # the same keys and ids come back for every evidence node
def _segment(text: str) -> str:
    """One IRI path segment: ASCII slugs stay as they are, anything else is percent-encoded."""
    return quote(text, safe="")


def entity_iri(base_iri: str, key: str) -> URIRef:
    return URIRef(f"{base_iri}entity/{_segment(key)}")


def event_iri(base_iri: str, key: str) -> URIRef:
    return URIRef(f"{base_iri}event/{_segment(key)}")


def article_iri(base_iri: str, article_id: str) -> URIRef:
    return URIRef(f"{base_iri}article/{_segment(article_id)}")


def evidence_iri(base_iri: str, event_key: str, evidence: Evidence) -> URIRef:
    """The event's key plus a hash of where the sentence is: one node per event and sentence."""
    where = short_hash(evidence.article, str(evidence.start), str(evidence.end))
    return URIRef(f"{base_iri}evidence/{_segment(event_key)}-{where}")


# --- literals ---------------------------------------------------------------------------------


def decimal_lexical(value: Decimal) -> str:
    """The canonical xsd:decimal form: no exponent, always a point ("12000000.0", "0.5", "-3.25").

    This is also the form rdflib's Turtle writer uses, so a quantity survives Turtle unchanged.
    """
    if not value.is_finite():
        raise ValueError(f"{value} is not a finite number")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0")
        text = f"{text}0" if text.endswith(".") else text
    else:
        text = f"{text}.0"
    return "0.0" if text == "-0.0" else text


def _fr(text: str) -> Literal:
    return Literal(text, lang="fr")


@lru_cache(maxsize=65536)  # offsets repeat across a corpus; a Literal costs ~10 µs to make
def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


# --- checks -----------------------------------------------------------------------------------


def _choice(where: str, what: str, value: str, allowed: tuple[str, ...]) -> str:
    """`value` if it is one of `allowed`, else a ModelError that lists them."""
    if value not in allowed:
        raise ModelError(f"{where}: unknown {what} '{value}'; expected one of {', '.join(allowed)}")
    return value


def _check_label(where: str, label: str) -> str:
    if not label.strip():
        raise ModelError(f"{where}: the label is empty; give it a name")
    return label


def _check_base_iri(base_iri: str) -> None:
    parts = urlsplit(base_iri)
    if not (parts.scheme and parts.netloc) or base_iri[-1] not in "/#" or _IRI_UNSAFE.search(base_iri):
        raise ModelError(
            f"base IRI '{base_iri}' must be an absolute IRI ending with '/' or '#', "
            f"like {DEFAULT_BASE_IRI}"
        )


def _date_literal(where: str, value: DateValue) -> Literal:
    """The typed literal of `value`, its lexical form kept exactly; impossible dates are refused."""
    datatype = _choice(where, "date datatype", value.datatype, DATE_DATATYPES)
    if not _is_valid_date(datatype, value.lexical):
        raise ModelError(
            f"{where}: '{value.lexical}' is not an xsd:{datatype}; "
            f"write it like {_DATE_EXAMPLES[datatype]}"
        )
    return Literal(value.lexical, datatype=XSD[datatype])


def _is_valid_date(datatype: str, lexical: str) -> bool:
    match = _DATE_FORMS[datatype].fullmatch(lexical)
    if match is None:
        return False
    if datatype == "date":
        year, month, day = match.groups()
    elif datatype == "gMonthDay":
        year, (month, day) = "2000", match.groups()  # a leap year: --02-29 is a real day
    else:
        return True
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _quantity_triples(where: str, subject: URIRef, quantity: Quantity) -> list[tuple]:
    """kgo:quantity, and kgo:quantityQualifier unless the number is exact (no qualifier = exact)."""
    qualifier = _choice(where, "quantity qualifier", quantity.qualifier, QUALIFIERS)
    try:
        lexical = decimal_lexical(Decimal(quantity.value))
    except (ValueError, ArithmeticError, TypeError):
        raise ModelError(f"{where}: quantity '{quantity.value}' is not a finite number") from None
    triples = [(subject, KGO.quantity, Literal(lexical, datatype=XSD.decimal))]
    if qualifier != "Exactly":
        triples.append((subject, KGO.quantityQualifier, KGO[qualifier]))
    return triples


def _check_offsets(where: str, article: Article, start: int, end: int, text: str, what: str) -> None:
    """`text` must be exactly `article.text[start:end]`: offsets are what users and the scorer check."""
    if not 0 <= start <= end <= len(article.text):
        raise ModelError(
            f"{where}: {what} offsets {start}:{end} lie outside article '{article.id}' "
            f"(its text has {len(article.text)} characters)"
        )
    found = article.text[start:end]
    if found != text:
        raise ModelError(
            f"{where}: {what} does not match article '{article.id}' at {start}:{end}: "
            f"the article has {_preview(found)} there, the {what} says {_preview(text)}"
        )


def _preview(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- nodes ------------------------------------------------------------------------------------


class _Exporter:
    """Writes one KnowledgeGraph into one rdflib Graph; holds the lookups every node needs."""

    def __init__(self, kg: KnowledgeGraph, base_iri: str) -> None:
        self.kg = kg
        self.base = base_iri
        self.triples: set[tuple] = set()
        self.articles: dict[str, Article] = {}
        for article in kg.articles:
            if article.id in self.articles:
                raise ModelError(f"two articles have the id '{article.id}'; article ids must be unique")
            self.articles[article.id] = article

    def add(self, *triples: tuple) -> None:
        self.triples.update(triples)

    def entity_refs(self, keys) -> list[URIRef]:
        """IRIs of the keys that name an entity of this graph; a dangling key is left out."""
        return [entity_iri(self.base, key) for key in keys if key in self.kg.entities]

    def article(self, article: Article) -> None:
        node = article_iri(self.base, article.id)
        self.add(
            (node, RDF.type, KGO.Article),
            (node, DCTERMS.identifier, Literal(article.id)),
            (node, DCTERMS.title, Literal(article.title or article.id)),
        )
        if article.date is not None:
            self.add((node, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)))
        if article.source:
            self.add((node, DCTERMS.source, Literal(article.source)))
        if article.url and _is_web_url(article.url):
            self.add((node, SCHEMA.url, URIRef(article.url)))
        for name in article.files:
            self.add((node, KGO.file, Literal(name)))

    def entity(self, key: str, entity: Entity) -> None:
        where = f"entity '{key}'"
        if entity.key != key:
            raise ModelError(f"{where}: it is stored under '{key}' but its key is '{entity.key}'")
        node = entity_iri(self.base, key)
        cls = _choice(where, "class", entity.cls, ENTITY_CLASSES)
        label = _check_label(where, entity.label)
        self.add((node, RDF.type, KGO[cls]), (node, RDFS.label, _fr(label)))
        for alt in sorted(entity.alt_labels - {label}):
            self.add((node, SKOS.altLabel, _fr(alt)))
        if entity.wikidata and _WIKIDATA_ID.fullmatch(entity.wikidata):
            self.add((node, OWL.sameAs, WIKIDATA[entity.wikidata]))
        for role in entity.roles:
            self.add((node, KGO.role, _fr(role)))
        for target in self.entity_refs(entity.affiliations):
            self.add((node, KGO.affiliation, target))
        for article_id in entity.articles:
            if article_id in self.articles:
                self.add((node, KGO.mentionedIn, article_iri(self.base, article_id)))

    def event(self, event: Event) -> None:
        where = f"event '{event.key}'"
        node = event_iri(self.base, event.key)
        cls = _choice(where, "class", event.cls, EVENT_CLASSES)
        names = event.names if cls == "Agreement" else ()
        label = _check_label(where, names[0] if names else event.label)  # an agreement is called by its name
        self.add((node, RDF.type, KGO[cls]), (node, RDFS.label, _fr(label)))
        for name in names:
            if name != label:
                self.add((node, SKOS.altLabel, _fr(name)))
        for role, keys in event.roles.items():
            _choice(where, "role", role, ROLES)
            for target in self.entity_refs(keys):
                self.add((node, KGO[role], target))
        for item in event.items:
            self.add((node, KGO.item, _fr(item)))
        for category in event.item_categories:
            category = _choice(where, "item category", category, ITEM_CATEGORIES)
            self.add((node, KGO.itemCategory, KGO[category]))
        if event.quantity is not None:
            self.add(*_quantity_triples(where, node, event.quantity))
        for value in event.dates:
            self.add((node, KGO.date, _date_literal(where, value)))
        if event.conflict:
            self.add((node, KGO.conflict, Literal(True)))
        written: dict[URIRef, Evidence] = {}
        for evidence in event.evidence:
            target = evidence_iri(self.base, event.key, evidence)
            if written.setdefault(target, evidence) != evidence:
                raise ModelError(
                    f"{where}: two different evidences for the sentence of article '{evidence.article}' "
                    f"at {evidence.start}:{evidence.end}; merge them into one"
                )
            self.add((node, KGO.evidence, target))
            self.evidence(where, target, evidence)

    def evidence(self, event_where: str, node: URIRef, evidence: Evidence) -> None:
        where = f"{event_where}, evidence in article '{evidence.article}' at {evidence.start}:{evidence.end}"
        article = self.articles.get(evidence.article)
        if article is None:
            raise ModelError(f"{event_where}: evidence cites unknown article '{evidence.article}'")
        trigger_start, trigger_end = evidence.trigger_start, evidence.trigger_end
        _check_offsets(event_where, article, evidence.start, evidence.end, evidence.text, "evidence text")
        _check_offsets(event_where, article, trigger_start, trigger_end, evidence.trigger, "trigger")
        if not evidence.start <= trigger_start <= trigger_end <= evidence.end:
            raise ModelError(f"{where}: trigger at {trigger_start}:{trigger_end} lies outside its sentence")
        factuality = _choice(where, "factuality", evidence.factuality, FACTUALITIES)
        self.add(
            (node, RDF.type, KGO.Evidence),
            (node, KGO.article, article_iri(self.base, article.id)),
            (node, KGO.text, Literal(evidence.text)),
            (node, KGO.start, _integer(evidence.start)),
            (node, KGO.end, _integer(evidence.end)),
            (node, KGO.factuality, KGO[factuality]),
            (node, KGO.trigger, Literal(evidence.trigger)),
            (node, KGO.triggerStart, _integer(evidence.trigger_start)),
            (node, KGO.triggerEnd, _integer(evidence.trigger_end)),
        )
        if evidence.attributed_to is not None:
            for source in self.entity_refs([evidence.attributed_to]):
                self.add((node, KGO.attributedTo, source))
        if evidence.quantity is not None:
            self.add(*_quantity_triples(where, node, evidence.quantity))
        if evidence.date is not None:
            self.add((node, KGO.date, _date_literal(where, evidence.date)))


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not _IRI_UNSAFE.search(url)


def _new_graph(base_iri: str) -> Graph:
    graph = Graph(bind_namespaces="none")
    prefixes = standard_prefixes(base_iri)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def rdf_triples(kg: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI) -> set[tuple]:
    """The triples of the contract graph of `kg`, resources under `base_iri`; ModelError if `kg` is inconsistent.

    A plain set: kg's own writers read it through kg.formats.TripleIndex, at a fraction of what
    adding each triple to an rdflib Graph costs.
    """
    _check_base_iri(base_iri)
    exporter = _Exporter(kg, base_iri)
    for article in kg.articles:
        exporter.article(article)
    for key, entity in kg.entities.items():
        exporter.entity(key, entity)
    seen: set[str] = set()
    for event in kg.events:
        if event.key in seen:
            raise ModelError(f"two events have the key '{event.key}'; event keys must be unique")
        seen.add(event.key)
        exporter.event(event)
    return exporter.triples


def to_rdf(kg: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The contract graph of `kg` as an rdflib Graph with kg's prefixes bound; ModelError if `kg` is inconsistent."""
    triples = rdf_triples(kg, base_iri)
    graph = _new_graph(base_iri)
    for triple in triples:
        graph.add(triple)
    return graph
