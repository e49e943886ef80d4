"""The kg vocabulary as one namespace: a misspelt term fails at import, not in an export."""
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

ONTOLOGY_IRI = "https://example.org/kg/ontology#"
DEFAULT_BASE_IRI = "https://example.org/kg/"
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")


class KGO(DefinedNamespace):
    _fail = True
    _NS = Namespace(ONTOLOGY_IRI)

    # entity classes
    Person: URIRef
    State: URIRef
    Organization: URIRef
    Place: URIRef
    # event classes
    Event: URIRef
    Meeting: URIRef
    Agreement: URIRef
    ArmsTransfer: URIRef
    Deployment: URIRef
    # provenance
    Article: URIRef
    Evidence: URIRef
    Factuality: URIRef
    Asserted: URIRef
    Reported: URIRef
    Possible: URIRef
    Denied: URIRef
    # item categories
    ItemCategory: URIRef
    Ammunition: URIRef
    Missiles: URIRef
    RocketLaunchers: URIRef
    Artillery: URIRef
    MilitaryEquipment: URIRef
    # quantity qualifiers (added to the contract)
    QuantityQualifier: URIRef
    Exactly: URIRef
    Approximately: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    # entity properties
    role: URIRef
    affiliation: URIRef
    mentionedIn: URIRef
    # event properties
    participant: URIRef
    place: URIRef
    date: URIRef
    party: URIRef
    signatory: URIRef
    supplier: URIRef
    recipient: URIRef
    item: URIRef
    itemCategory: URIRef
    quantity: URIRef
    quantityQualifier: URIRef
    sender: URIRef
    conflict: URIRef
    evidence: URIRef
    # evidence properties
    article: URIRef
    text: URIRef
    start: URIRef
    end: URIRef
    factuality: URIRef
    attributedTo: URIRef
    trigger: URIRef
    triggerStart: URIRef
    triggerEnd: URIRef
    # article properties
    file: URIRef


# DefinedNamespace answers `KGO.term` through its metaclass's __getattr__, a few µs each and
# called millions of times in a large build; terms stored on the class are plain attributes.
for _term in KGO.__annotations__:
    setattr(KGO, _term, KGO._NS[_term])
del _term


def standard_prefixes(base_iri: str) -> dict[str, str]:
    """The prefixes every kg file uses: the resource namespaces under `base_iri`, then the vocabularies."""
    base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
    return {
        "kg": base,
        "entity": base + "entity/",
        "event": base + "event/",
        "evidence": base + "evidence/",
        "article": base + "article/",
        "kgo": ONTOLOGY_IRI,
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "skos": str(SKOS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "dcterms": str(DCTERMS),
        "schema": str(SCHEMA),
        "prov": str(PROV),
        "sem": str(SEM),
        "wd": str(WIKIDATA),
    }
