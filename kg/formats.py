"""Every usual file format from one RDF graph, byte-identical for the same triples.

Turtle, TriG, N-Triples and JSON-LD are written by small sorted writers of our own rather than
by rdflib's serializers, so that the bytes depend only on the set of triples (never on the
order they were added, on rdflib's version, or on the prefixes a loaded file happened to bind).
"""
from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from kg.errors import GraphError, KgError, OutputError
from kg.namespace import KGO, ONTOLOGY_IRI, WIKIDATA, standard_prefixes  # noqa: F401 (re-exported)

FORMATS = ("ttl", "trig", "jsonld", "nt", "graphml", "void")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
ONTOLOGY_FILE = Path(__file__).with_name("ontology.ttl")

ENTITY_CLASSES = (KGO.Person, KGO.State, KGO.Organization, KGO.Place)
EVENT_CLASSES = (KGO.Meeting, KGO.Agreement, KGO.ArmsTransfer, KGO.Deployment)
EVENT_ROLES = (KGO.participant, KGO.place, KGO.party, KGO.signatory, KGO.supplier, KGO.recipient, KGO.sender)

# suffix -> rdflib parser name; quad formats are merged into one graph on loading
PARSERS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
}
QUAD_SUFFIXES = {".nq", ".trig"}


class FormatError(KgError):
    """An export or result format that kg does not know."""

    exit_code = 2


# ---------------------------------------------------------------- prefixes


def bind_prefixes(graph: rdflib.Graph, base_iri: str) -> None:
    """Bind kg's prefixes on `graph` (replacing any other prefix bound to the same namespaces)."""
    for prefix, namespace in standard_prefixes(base_iri).items():
        graph.bind(prefix, namespace, override=True, replace=True)


# PN_LOCAL of Turtle without escapes (and without ':' to stay clear of parser quirks).
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PERCENT = "%[0-9A-Fa-f]{2}"
_LOCAL_NAME = re.compile(
    f"(?:(?:[{_PN_CHARS_BASE}_0-9]|{_PERCENT})(?:(?:[{_PN_CHARS}.]|{_PERCENT})*(?:[{_PN_CHARS}]|{_PERCENT}))?)?"
)


class Namer:
    """Writes terms in Turtle syntax, with prefixed names where the local part allows it.

    Remembers which prefixes it used, so a file declares exactly those.
    """

    def __init__(self, prefixes: Mapping[str, str]):
        # longest namespace first: `entity:x` rather than `kg:entity/x`
        self.namespaces = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.used: set[str] = set()

    def prefixed(self, iri: str) -> str | None:
        """`prefix:local` if a namespace and a valid local name fit, else None."""
        for prefix, namespace in self.namespaces:
            if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace):]):
                self.used.add(prefix)
                return f"{prefix}:{iri[len(namespace):]}"
        return None

    def iri(self, iri: str) -> str:
        return self.prefixed(iri) or full_iri(iri)

    def term(self, term: rdflib.term.Node) -> str:
        if isinstance(term, Literal):
            return turtle_literal(term, self.iri)
        if isinstance(term, BNode):
            return "_:" + re.sub(r"[^A-Za-z0-9_]", "_", str(term))
        return self.iri(str(term))

    def predicate(self, term: rdflib.term.Node) -> str:
        return "a" if term == RDF.type else self.term(term)

    def declarations(self) -> list[str]:
        return [f"@prefix {p}: <{ns}> ." for p, ns in sorted(self.namespaces) if p in self.used]


def compact(term: rdflib.term.Node | None, prefixes: Mapping[str, str]) -> str:
    """A short readable form of a term: `entity:russie`, `"Russie"@fr`, `<http://…>`; "" for None."""
    if term is None:
        return ""
    return Namer({"rdf": str(RDF), **prefixes}).term(term)


# ---------------------------------------------------------------- term syntax

_ECHAR = {"\t": "\\t", "\b": "\\b", "\n": "\\n", "\r": "\\r", "\f": "\\f", '"': '\\"', "\\": "\\\\"}
_BARE = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}


def quote(text: str) -> str:
    """A Turtle / N-Triples string: ECHAR escapes, \\u escapes for other control characters."""
    out = []
    for char in text:
        if char in _ECHAR:
            out.append(_ECHAR[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def full_iri(iri: str) -> str:
    """`<iri>`, with \\u escapes for the characters an IRIREF cannot hold."""
    escaped = "".join(
        f"\\u{ord(c):04X}" if (ord(c) <= 0x20 or c in '<>"{}|^`\\') else c for c in iri
    )
    return f"<{escaped}>"


def turtle_literal(literal: Literal, name_iri=full_iri) -> str:
    lexical = str(literal)
    if literal.language:
        return f"{quote(lexical)}@{literal.language}"
    datatype = literal.datatype
    if datatype is None:
        return quote(lexical)
    if datatype in _BARE and _BARE[datatype].fullmatch(lexical):
        return lexical
    return f"{quote(lexical)}^^{name_iri(str(datatype))}"


def nt_term(term: rdflib.term.Node) -> str:
    if isinstance(term, Literal):
        lexical = quote(str(term))
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None:
            return f"{lexical}^^{full_iri(str(term.datatype))}"
        return lexical
    if isinstance(term, BNode):
        return "_:" + re.sub(r"[^A-Za-z0-9_]", "_", str(term))
    return full_iri(str(term))


# ---------------------------------------------------------------- loading


def _one_line(error: BaseException, limit: int = 300) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _remote_contexts(value) -> bool:
    """True if a JSON-LD document names a context by URL (rdflib would fetch it: kg never downloads)."""
    if isinstance(value, dict):
        context = value.get("@context")
        items = context if isinstance(context, list) else [context]
        if any(isinstance(item, str) for item in items):
            return True
        return any(_remote_contexts(v) for k, v in value.items() if k != "@context")
    if isinstance(value, list):
        return any(_remote_contexts(v) for v in value)
    return False


_PREFIX_LINE = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*|):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def declared_prefixes(text: str) -> dict[str, str]:
    """The `@prefix` / `PREFIX` declarations of a Turtle or TriG text (a quick scan, no parsing)."""
    return {prefix: namespace for prefix, namespace in _PREFIX_LINE.findall(text) if prefix}


def load_graph(path: Path) -> rdflib.Graph:
    """Read an RDF file, its syntax chosen by suffix; quads (TriG, N-Quads) are merged into one graph."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in PARSERS:
        known = " ".join(PARSERS)
        raise GraphError(f"cannot read {path}: unknown RDF file type '{suffix}' (use one of {known})")
    if not path.exists():
        raise GraphError(f"graph file not found: {path}")
    if not path.is_file():
        raise GraphError(f"graph file is not a file: {path}")
    syntax = PARSERS[suffix]
    try:
        data = path.read_bytes()
        if suffix == ".jsonld" and _remote_contexts(json.loads(data)):
            raise GraphError(f"cannot read {path}: it names a remote JSON-LD @context, which kg does not download")
        if suffix in QUAD_SUFFIXES:
            dataset = rdflib.Dataset()
            dataset.parse(data=data, format=syntax, publicID=path.resolve().as_uri())
            graph = rdflib.Graph(bind_namespaces="core")
            for prefix, namespace in declared_prefixes(data.decode("utf-8", errors="replace")).items():
                graph.bind(prefix, namespace, override=True)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
            return graph
        graph = rdflib.Graph(bind_namespaces="core")  # the file's own prefixes, not rdflib's long default list
        graph.parse(data=data, format=syntax, publicID=path.resolve().as_uri())
        return graph
    except GraphError:
        raise
    except OSError as error:
        raise GraphError(f"cannot read {path}: {error.strerror or error}") from None
    except Exception as error:  # rdflib raises many kinds: each becomes one line
        raise GraphError(f"cannot parse {path} as {syntax}: {_one_line(error)}") from None


# ---------------------------------------------------------------- reading a graph once


class TripleIndex:
    """A graph read once into plain dicts: subject -> predicate -> objects.

    The writers below look up every subject, predicate and object; through rdflib each lookup
    is a generator over its store (tens of µs), through these dicts a few hundred ns. Built
    from an rdflib Graph or any iterable of distinct triples.
    """

    def __init__(self, triples: Iterable[tuple]):
        spo: dict = {}
        count = 0
        # One instance per distinct term: dict lookups then match by identity, not through
        # rdflib's Python-level __eq__ (called on every hit otherwise).
        same = {term: term for term in _WELL_KNOWN}
        canonical = same.setdefault
        for s, p, o in triples:
            spo.setdefault(canonical(s, s), {}).setdefault(canonical(p, p), []).append(canonical(o, o))
            count += 1
        self.spo = spo
        self.count = count
        self._by_object: dict = {}

    @classmethod
    def of(cls, graph: "rdflib.Graph | TripleIndex") -> "TripleIndex":
        return graph if isinstance(graph, TripleIndex) else cls(graph)

    def __len__(self) -> int:
        return self.count

    def objects(self, subject, predicate) -> Sequence:
        return self.spo.get(subject, {}).get(predicate, ())

    def subjects(self, predicate, value) -> Sequence:
        """Subjects with `predicate value`; the first call for a predicate indexes it."""
        index = self._by_object.get(predicate)
        if index is None:
            index = {}
            for subject, predicates in self.spo.items():
                for target in predicates.get(predicate, ()):
                    index.setdefault(target, []).append(subject)
            self._by_object[predicate] = index
        return index.get(value, ())

    def triples(self) -> Iterable[tuple]:
        for subject, predicates in self.spo.items():
            for predicate, objects in predicates.items():
                for value in objects:
                    yield subject, predicate, value

    # The read-only part of rdflib.Graph's API that kg.page and to_graphml use, so that they
    # take either.
    __iter__ = triples

    def __contains__(self, triple: tuple) -> bool:
        subject, predicate, value = triple
        return value in self.objects(subject, predicate)

    def subject_objects(self, predicate) -> Iterable[tuple]:
        for subject, predicates in self.spo.items():
            for value in predicates.get(predicate, ()):
                yield subject, value


_RDF_TYPE = RDF.type  # RDF.type is a namespace lookup each time


class _Memo(dict):
    """`function(term)`, computed once per term; `memo[term]` is a C-level lookup once known."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, term):
        value = self[term] = self.function(term)
        return value


# ---------------------------------------------------------------- Turtle, TriG, N-Triples


def _subject_key(term: rdflib.term.Node) -> tuple[int, str]:
    return (isinstance(term, BNode), str(term))


def _predicate_key(term: rdflib.term.Node) -> tuple[bool, str]:
    return (term != RDF.type, str(term))


def _object_key(term: rdflib.term.Node) -> tuple[int, str, str, str]:
    """IRIs, then blank nodes, then literals by text, language, datatype ("Kim" before "Kim Jong Un")."""
    kind = 2 if isinstance(term, Literal) else 1 if isinstance(term, BNode) else 0
    if isinstance(term, Literal):
        return (kind, str(term), term.language or "", str(term.datatype or ""))
    return (kind, str(term), "", "")


class _TurtleWriter:
    """Turtle blocks of subject -> predicate -> objects mappings, term syntax and sort keys memoised."""

    def __init__(self, namer: Namer):
        self.namer = namer
        self.rendered = _Memo(namer.term)
        self.predicates = _Memo(namer.predicate)  # rdf:type as `a`
        self.subject_key = _Memo(_subject_key).__getitem__
        self.predicate_key = _Memo(_predicate_key).__getitem__
        self.object_key = _Memo(_object_key).__getitem__

    def blocks(self, spo: Mapping, indent: str = "") -> list[str]:
        """One block per subject: predicates sorted with rdf:type first, objects sorted by their text."""
        term, name, object_key = self.rendered.__getitem__, self.predicates.__getitem__, self.object_key
        blocks = []
        for subject in sorted(spo, key=self.subject_key):
            predicates = spo[subject]
            lines = []
            for predicate in sorted(predicates, key=self.predicate_key):
                values = predicates[predicate]
                if len(values) == 1:
                    for value in values:
                        lines.append(f"{name(predicate)} {term(value)}")
                    continue
                objects = [term(o) for o in sorted(values, key=object_key)]
                line = f"{name(predicate)} {', '.join(objects)}"
                if len(indent) + 4 + len(line) > 100:  # long lists: one object a line
                    line = f"{name(predicate)} " + f",\n{indent}        ".join(objects)
                lines.append(line)
            body = f" ;\n{indent}    ".join(lines)
            blocks.append(f"{indent}{term(subject)} {body} .")
        return blocks


def _turtle_blocks(graph: "rdflib.Graph | TripleIndex", namer: Namer, indent: str = "") -> list[str]:
    return _TurtleWriter(namer).blocks(TripleIndex.of(graph).spo, indent)


def to_turtle(graph: "rdflib.Graph | TripleIndex", base_iri: str, *, extra_prefixes: Mapping[str, str] | None = None) -> bytes:
    """Sorted Turtle: byte-identical for graphs with the same triples (no blank nodes expected)."""
    namer = Namer({**standard_prefixes(base_iri), **(extra_prefixes or {})})
    blocks = _turtle_blocks(graph, namer)
    head = namer.declarations()
    parts = ["\n".join(head)] if head else []
    parts += blocks
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def to_ntriples(graph: "rdflib.Graph | TripleIndex") -> bytes:
    """N-Triples, one line per triple, lines sorted."""
    term = _Memo(nt_term).__getitem__
    lines = sorted(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in graph)
    return "".join(lines).encode("utf-8")


# Terms the view code tests, held once (a DefinedNamespace attribute is a new object each time)
# and shared with every TripleIndex, so they match the graph's terms by identity.
_ARTICLE_CLASS, _MENTIONED_IN, _ARTICLE, _ATTRIBUTED_TO = KGO.Article, KGO.mentionedIn, KGO.article, KGO.attributedTo
_EVIDENCE, _CONFLICT, _QUANTITY = KGO.evidence, KGO.conflict, KGO.quantity
_EVENT_VALUES = (_QUANTITY, KGO.date, KGO.quantityQualifier)
_NOT_IN_VIEWS = frozenset((_EVIDENCE, _CONFLICT, *_EVENT_VALUES))  # added per article, or never
_ROLES = frozenset(EVENT_ROLES)
_ENTITY_COPIED = (_RDF_TYPE, RDFS.label, OWL.sameAs)
_TRUE = Literal(True)
_WELL_KNOWN = (_ARTICLE_CLASS, _MENTIONED_IN, _ARTICLE, _ATTRIBUTED_TO, *_NOT_IN_VIEWS, *_ROLES, *_ENTITY_COPIED, _TRUE)


def _event_value_kept(event_values: set, article_values: set, fallback: bool) -> set:
    """Event-level values an article's view keeps: the ones its own evidence gives, else all or none."""
    if article_values:
        return event_values & article_values
    return event_values if fallback else set()


def article_views(graph: "rdflib.Graph | TripleIndex"):
    """Per article, in IRI order: (article IRI, its view as subject -> predicate -> set of objects).

    A view holds the facts as that article states them, a subset of `graph`: its Article node,
    its Evidence nodes, the events they support (roles, label, items; only this article's
    kgo:evidence links), the entities those touch (types, labels, Wikidata links) and the
    entities the article mentions. Event-level kgo:quantity / kgo:date / kgo:quantityQualifier
    are kept only where this article's evidence gives the same value, or, when its evidence
    gives none, where the event has no conflict; kgo:conflict itself is a cross-source fact and
    stays out. Views are made one at a time, so only one is in memory.
    """
    index = TripleIndex.of(graph)
    spo = index.spo
    for article in sorted(index.subjects(_RDF_TYPE, _ARTICLE_CLASS), key=str):
        view: dict = {}

        def add(subject, predicate, values) -> None:
            view.setdefault(subject, {}).setdefault(predicate, set()).update(values)

        for predicate, values in spo[article].items():
            add(article, predicate, values)
        entities = set(index.subjects(_MENTIONED_IN, article))
        for entity in entities:
            add(entity, _MENTIONED_IN, (article,))
        evidence = index.subjects(_ARTICLE, article)
        own: dict = {}  # event -> this article's evidence of it, found from the evidence side
        for node in evidence:
            for predicate, values in spo[node].items():
                add(node, predicate, values)
            entities.update(index.objects(node, _ATTRIBUTED_TO))
            for event in index.subjects(_EVIDENCE, node):
                own.setdefault(event, set()).add(node)
        for event, nodes in own.items():
            facts = spo[event]
            for predicate, values in facts.items():
                if predicate not in _NOT_IN_VIEWS:
                    add(event, predicate, values)
                    if predicate in _ROLES:
                        entities.update(values)
            add(event, _EVIDENCE, nodes)
            kept: dict = {}
            for predicate in _EVENT_VALUES:
                stated = {v for n in nodes for v in index.objects(n, predicate)}
                # a qualifier without its own evidence value goes with the quantity
                fallback = bool(kept[_QUANTITY]) if predicate is _EVENT_VALUES[2] else (
                    _TRUE not in facts.get(_CONFLICT, ()))
                kept[predicate] = _event_value_kept(set(facts.get(predicate, ())), stated, fallback)
                if kept[predicate]:
                    add(event, predicate, kept[predicate])
        for entity in entities:
            for predicate in _ENTITY_COPIED:
                values = index.objects(entity, predicate)
                if values:
                    add(entity, predicate, values)
        yield str(article), view


def article_graphs(graph: "rdflib.Graph | TripleIndex") -> dict[str, rdflib.Graph]:
    """article_views as rdflib Graphs, keyed by article IRI (for callers that query them)."""
    graphs = {}
    for article, view in article_views(graph):
        graphs[article] = rdflib.Graph()
        for subject, predicates in view.items():
            for predicate, values in predicates.items():
                for value in values:
                    graphs[article].add((subject, predicate, value))
    return graphs


def named_graph_iri(article_iri: str) -> str:
    return article_iri + "/graph"


def to_trig(graph: "rdflib.Graph | TripleIndex", base_iri: str) -> bytes:
    """TriG: the merged graph as default graph, then one named graph per article (IRI `<article>/graph`)."""
    index = TripleIndex.of(graph)
    writer = _TurtleWriter(Namer(standard_prefixes(base_iri)))
    parts = writer.blocks(index.spo)
    for article, view in article_views(index):
        blocks = writer.blocks(view, indent="    ")
        parts.append(f"{full_iri(named_graph_iri(article))} {{\n" + "\n\n".join(blocks) + "\n}")
    head = writer.namer.declarations()
    return ("\n\n".join((["\n".join(head)] if head else []) + parts) + "\n").encode("utf-8")


# ---------------------------------------------------------------- JSON-LD


_json_string = json.encoder.encode_basestring  # a JSON string as ensure_ascii=False writes it


def _json_members(members: Sequence[tuple[str, str]], indent: str) -> str:
    """A JSON object of already-rendered values, keys sorted, laid out as json.dumps(indent=2) does."""
    if not members:
        return "{}"
    inner = indent + "  "
    return "{\n" + ",\n".join(f"{inner}{_json_string(k)}: {v}" for k, v in sorted(members)) + f"\n{indent}}}"


def _json_array(items: Sequence[str], indent: str) -> str:
    if not items:
        return "[]"
    inner = indent + "  "
    return "[\n" + ",\n".join(inner + item for item in items) + f"\n{indent}]"


def to_jsonld(graph: "rdflib.Graph | TripleIndex", base_iri: str) -> bytes:
    """Flattened JSON-LD: one object per subject, compact IRIs through an @context of kg's prefixes.

    Every literal keeps its exact lexical form and datatype ({"@value": …, "@type": …}), so
    the document parses back isomorphic; keys and values are sorted. The bytes are those of
    json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False), written directly:
    json's fast encoder does not indent, and its Python one takes seconds on a large graph.
    """
    prefixes = standard_prefixes(base_iri)
    namer = Namer(prefixes)
    index = TripleIndex.of(graph)
    node_indent, value_indent = " " * 4, " " * 8  # document > @graph > node > property > value
    name = _Memo(lambda term: namer.prefixed(str(term)) or str(term)).__getitem__

    def node_ref(term) -> str:
        return f"_:{term}" if isinstance(term, BNode) else name(term)

    def written_value(term) -> tuple[str, str]:
        """(sort key: the value's compact JSON, the value as written in the document)."""
        if isinstance(term, Literal):
            item = {"@value": str(term)}
            if term.language:
                item["@language"] = term.language
            elif term.datatype is not None:
                item["@type"] = name(term.datatype)
        else:
            item = {"@id": node_ref(term)}
        written = _json_members([(k, _json_string(v)) for k, v in item.items()], value_indent)
        return json.dumps(item, sort_keys=True, ensure_ascii=False), written

    value = _Memo(written_value).__getitem__
    nodes = []
    for subject in sorted(index.spo, key=_subject_key):
        predicates = index.spo[subject]
        members = [("@id", _json_string(node_ref(subject)))]
        types = sorted(node_ref(t) for t in predicates.get(_RDF_TYPE, ()))
        if types:
            members.append(("@type", _json_array([_json_string(t) for t in types], node_indent + "  ")))
        for predicate, objects in predicates.items():
            if predicate is not _RDF_TYPE:  # the index holds one rdf:type instance, this one
                written = [text for _, text in sorted(map(value, objects))]
                members.append((name(predicate), _json_array(written, node_indent + "  ")))
        nodes.append(_json_members(members, node_indent))
    context = _json_members([(k, _json_string(v)) for k, v in prefixes.items()], "  ")
    document = _json_members([("@context", context), ("@graph", _json_array(nodes, "  "))], "")
    return (document + "\n").encode("utf-8")


# ---------------------------------------------------------------- GraphML


def _entity_classes(graph: rdflib.Graph, node: rdflib.term.Node) -> set:
    return {c for c in graph.objects(node, RDF.type) if c in ENTITY_CLASSES}


def _local(term: rdflib.term.Node) -> str:
    text = str(term)
    return re.split(r"[#/]", text)[-1]


def _joined(values: Iterable, sep: str = "; ") -> str:
    return sep.join(sorted({str(v) for v in values}))


def _preferred_label(graph: rdflib.Graph, node) -> str:
    labels = sorted(graph.objects(node, RDFS.label), key=lambda l: (getattr(l, "language", None) != "fr", str(l)))
    return str(labels[0]) if labels else _local(node)


def to_graphml(graph: rdflib.Graph) -> bytes:
    """GraphML for Gephi / Cytoscape: entities and events as nodes, roles as edges.

    Edges go from an event to each entity in one of its roles (attribute `role`), from an event
    to the sources its evidence is attributed to (role `attributedTo`), and from an entity to
    its affiliations (role `affiliation`).
    """
    import networkx as nx

    nodes: dict[str, dict] = {}
    for node in sorted({s for c in ENTITY_CLASSES for s in graph.subjects(RDF.type, c)}, key=str):
        attributes = {
            "class": _joined((_local(c) for c in _entity_classes(graph, node)), ", "),
            "iri": str(node),
            "kind": "entity",
            "label": _preferred_label(graph, node),
            "role": _joined(graph.objects(node, KGO.role)),
            "wikidata": _joined((v for v in graph.objects(node, OWL.sameAs) if str(v).startswith(str(WIKIDATA))), " "),
        }
        nodes[str(node)] = attributes
    events = sorted({s for c in EVENT_CLASSES for s in graph.subjects(RDF.type, c)}, key=str)
    for event in events:
        evidence = list(graph.objects(event, KGO.evidence))
        attributes = {
            "articles": _joined((_local(a) for n in evidence for a in graph.objects(n, KGO.article)), " "),
            "class": _joined((_local(c) for c in graph.objects(event, RDF.type) if c in EVENT_CLASSES), ", "),
            "conflict": (event, KGO.conflict, Literal(True)) in graph,
            "date": _joined(graph.objects(event, KGO.date), ", "),
            "evidence": len(evidence),
            "factuality": _joined((_local(f) for n in evidence for f in graph.objects(n, KGO.factuality)), ", "),
            "iri": str(event),
            "item": _joined(graph.objects(event, KGO.item)),
            "itemCategory": _joined((_local(c) for c in graph.objects(event, KGO.itemCategory)), ", "),
            "kind": "event",
            "label": _preferred_label(graph, event),
            "quantity": _joined(graph.objects(event, KGO.quantity), ", "),
        }
        nodes[str(event)] = attributes

    edges: set[tuple[str, str, str]] = set()
    for event in events:
        for role in EVENT_ROLES:
            for entity in graph.objects(event, role):
                edges.add((str(event), str(entity), _local(role)))
        for node in graph.objects(event, KGO.evidence):
            for source in graph.objects(node, KGO.attributedTo):
                edges.add((str(event), str(source), "attributedTo"))
    for subject, target in graph.subject_objects(KGO.affiliation):
        if str(subject) in nodes:
            edges.add((str(subject), str(target), "affiliation"))

    network = nx.MultiDiGraph()
    for key in sorted(nodes):
        network.add_node(key, **{k: v for k, v in sorted(nodes[key].items()) if v != ""})
    for source, target, role in sorted(edges):
        for end in (source, target):
            if end not in nodes:  # a role filled by a node of no known class: keep the edge, say so
                network.add_node(end, iri=end, kind="other", label=_local(URIRef(end)))
                nodes[end] = {}
        network.add_edge(source, target, key=role, role=role)
    buffer = io.BytesIO()
    nx.write_graphml(network, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


# ---------------------------------------------------------------- VoID


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def to_void(
    graph: "rdflib.Graph | TripleIndex",
    base_iri: str,
    dumps: list[str],
    *,
    title: str = "kg knowledge graph: people, states, meetings, agreements, arms transfers and deployments in French news",
) -> bytes:
    """A VoID description of `graph`: sizes, class and property partitions, one void:dataDump per file.

    Relative dump names (`graph.ttl`) stay relative IRIs, read against the VoID file's own place.
    """
    prefixes = standard_prefixes(base_iri)
    namer = Namer(prefixes)
    index = TripleIndex.of(graph)
    objects: set = set()
    typed: dict = {}  # class -> its instances
    property_triples: Counter = Counter()
    for subject, predicates in index.spo.items():
        for predicate, values in predicates.items():
            objects.update(values)
            property_triples[predicate] += len(values)
            if predicate == _RDF_TYPE:
                for cls in values:
                    typed.setdefault(cls, set()).add(subject)
    dataset = URIRef(prefixes["kg"] + "dataset")
    void = rdflib.Graph()
    add = void.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, DCTERMS.title, Literal(title, lang="en")))
    add((dataset, VOID.triples, Literal(len(index))))
    add((dataset, VOID.entities, Literal(sum(isinstance(s, URIRef) for s in index.spo))))
    add((dataset, VOID.distinctSubjects, Literal(len(index.spo))))
    add((dataset, VOID.distinctObjects, Literal(len(objects))))
    classes = sorted(typed, key=str)
    add((dataset, VOID.classes, Literal(len(classes))))
    properties = sorted(property_triples, key=str)
    add((dataset, VOID.properties, Literal(len(properties))))
    add((dataset, VOID.uriSpace, Literal(prefixes["kg"])))
    add((dataset, VOID.vocabulary, URIRef(ONTOLOGY_IRI.rstrip("#"))))
    for cls in classes:
        partition = URIRef(f"{dataset}/class/{_slug(namer.iri(str(cls)))}")
        add((dataset, VOID.classPartition, partition))
        add((partition, VOID["class"], cls))
        add((partition, VOID.entities, Literal(len(typed[cls]))))
    for prop in properties:
        partition = URIRef(f"{dataset}/property/{_slug(namer.iri(str(prop)) if prop != RDF.type else 'rdf:type')}")
        add((dataset, VOID.propertyPartition, partition))
        add((partition, VOID.property, prop))
        add((partition, VOID.triples, Literal(property_triples[prop])))
    for dump in sorted(set(dumps)):
        add((dataset, VOID.dataDump, URIRef(dump)))
    return to_turtle(void, base_iri, extra_prefixes={"void": str(VOID)})


# ---------------------------------------------------------------- writing files


def replace_file(path: Path, data: bytes, *, durable: bool = True, mode: int = 0o644) -> None:
    """Write a temporary file beside `path` and rename it over `path`: never a half-written file.

    `durable` fsyncs before the rename (exports); a cache can skip it. Raises OSError.
    """
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        temporary = None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old file or the new one, never half."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    try:
        replace_file(path, data, mode=mode)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def check_formats(formats: Sequence[str], known: Sequence[str] = FORMATS) -> list[str]:
    """The requested formats, deduplicated in `known` order; an unknown one is an error."""
    for name in formats:
        if name not in known:
            raise FormatError(f"unknown format '{name}' (choose from {', '.join(known)})")
    return [name for name in known if name in formats]


def check_output_dir(out_dir: Path) -> None:
    """Create `out_dir` if needed and make sure files can be written there (before any long work)."""
    out_dir = Path(out_dir)
    # A file where a folder must be: say which one ("File exists" / "Not a directory" leave it to guess).
    blocker = next((p for p in (out_dir, *out_dir.parents) if os.path.exists(p) and not os.path.isdir(p)), None)
    if blocker is not None:
        where = "it is a file" if blocker == out_dir else f"{blocker} is a file"
        raise OutputError(f"cannot create output folder {out_dir}: {where}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create output folder {out_dir}: {error.strerror or error}") from None
    if not out_dir.is_dir():
        raise OutputError(f"output folder is not a folder: {out_dir}")
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write into output folder {out_dir}: permission denied")


def write_exports(
    graph: rdflib.Graph,
    out_dir: Path,
    base_iri: str,
    formats: Sequence[str],
    *,
    stem: str = "graph",
) -> list[Path]:
    """Write the graph in each of `formats` (plus a copy of the ontology) into `out_dir`, atomically.

    File names: `<stem>.ttl`, `.trig`, `.jsonld`, `.nt`, `.graphml`, `void.ttl`, `ontology.ttl`.
    Returns the written paths, sorted.
    """
    chosen = check_formats(formats)
    out_dir = Path(out_dir)
    check_output_dir(out_dir)

    index = TripleIndex.of(graph)  # read once, for every writer but GraphML's (which wants rdflib's lookups)
    writers = {
        "ttl": (f"{stem}.ttl", lambda: to_turtle(index, base_iri)),
        "trig": (f"{stem}.trig", lambda: to_trig(index, base_iri)),
        "jsonld": (f"{stem}.jsonld", lambda: to_jsonld(index, base_iri)),
        "nt": (f"{stem}.nt", lambda: to_ntriples(index)),
        "graphml": (f"{stem}.graphml", lambda: to_graphml(graph)),
    }
    dumps = [writers[name][0] for name in chosen if name in ("ttl", "trig", "jsonld", "nt")]
    writers["void"] = ("void.ttl", lambda: to_void(index, base_iri, dumps))

    written = []
    for name in chosen:
        file_name, render = writers[name]
        atomic_write(out_dir / file_name, render())
        written.append(out_dir / file_name)
    atomic_write(out_dir / "ontology.ttl", ONTOLOGY_FILE.read_bytes())
    written.append(out_dir / "ontology.ttl")
    return sorted(written)
