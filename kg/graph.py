"""The networkx view of the model: entities and events are nodes, roles and affiliations are edges.

Node attributes hold plain values (str, int, bool, lists, dicts) so the graph can go through
`networkx.node_link_data` and JSON. Edges point from an event to the entities that play a role
in it (edge key = role) and from an entity to the entities it is affiliated with (key
"affiliation"). A reference to a key missing from `kg.entities` gets no edge, as in the RDF.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import networkx as nx

from kg.model import Article, DateValue, Entity, Event, Evidence, KnowledgeGraph, Quantity
from kg.rdf import ModelError

AFFILIATION = "affiliation"


def entity_node(key: str) -> str:
    return f"entity:{key}"


def event_node(key: str) -> str:
    return f"event:{key}"


def quantity_text(value: Decimal) -> str:
    """A number as people write it: no exponent, no trailing zeros ("12000000", "1.5")."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


# --- model → networkx -------------------------------------------------------------------------


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """A new MultiDiGraph of `kg`'s entities and events; `kg` is not modified."""
    graph = nx.MultiDiGraph()
    for key, entity in kg.entities.items():
        graph.add_node(entity_node(key), **_entity_attrs(key, entity, kg.entities))
    for key, entity in kg.entities.items():
        for target in sorted(entity.affiliations & kg.entities.keys()):
            graph.add_edge(entity_node(key), entity_node(target), key=AFFILIATION, role=AFFILIATION)
    for event in kg.events:
        node = event_node(event.key)
        if node in graph:
            raise ModelError(f"two events have the key '{event.key}'; event keys must be unique")
        graph.add_node(node, **_event_attrs(event))
        for role, keys in event.roles.items():
            present = [key for key in dict.fromkeys(keys) if key in kg.entities]  # first occurrence wins
            for position, target in enumerate(present):
                graph.add_edge(node, entity_node(target), key=role, role=role, position=position)
    return graph


def _entity_attrs(key: str, entity: Entity, entities: Mapping[str, Entity]) -> dict[str, Any]:
    return {
        "kind": "entity",
        "key": key,
        "cls": entity.cls,
        "label": entity.label,
        "alt_labels": sorted(entity.alt_labels),
        "wikidata": entity.wikidata,
        "roles": sorted(entity.roles),
        "affiliations": sorted(entity.affiliations & entities.keys()),
        "articles": sorted(entity.articles),
    }


def _event_attrs(event: Event) -> dict[str, Any]:
    return {
        "kind": "event",
        "key": event.key,
        "cls": event.cls,
        "label": event.label,
        "names": list(event.names),
        "dates": [value.lexical for value in event.dates],
        "date_types": [value.datatype for value in event.dates],
        "quantity": quantity_text(event.quantity.value) if event.quantity else None,
        "qualifier": event.quantity.qualifier if event.quantity else None,
        "conflict": event.conflict,
        "items": list(event.items),
        "categories": list(event.item_categories),
        "evidence": [_evidence_attrs(evidence) for evidence in event.evidence],
    }


def _evidence_attrs(evidence: Evidence) -> dict[str, Any]:
    return {
        "article": evidence.article,
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
        "factuality": evidence.factuality,
        "attributed_to": evidence.attributed_to,
        "quantity": quantity_text(evidence.quantity.value) if evidence.quantity else None,
        "qualifier": evidence.quantity.qualifier if evidence.quantity else None,
        "date": evidence.date.lexical if evidence.date else None,
        "date_type": evidence.date.datatype if evidence.date else None,
        "trigger": evidence.trigger,
        "trigger_start": evidence.trigger_start,
        "trigger_end": evidence.trigger_end,
    }


# --- networkx → model -------------------------------------------------------------------------


def from_networkx(graph: nx.MultiDiGraph, articles: Iterable[Article] = ()) -> KnowledgeGraph:
    """The model back from a graph made by `to_networkx`; edges, not node lists, say who plays which role."""
    entities: dict[str, Entity] = {}
    events: list[Event] = []
    for node, attrs in graph.nodes(data=True):
        kind = attrs.get("kind")
        if kind == "entity":
            entity = _entity_from(graph, node, attrs)
            entities[entity.key] = entity
        elif kind == "event":
            events.append(_event_from(graph, node, attrs))
        else:
            raise ModelError(f"node '{node}' has kind {kind!r}; expected 'entity' or 'event'")
    return KnowledgeGraph(articles=list(articles), entities=entities, events=events)


def _read(where: str, attrs: Mapping[str, Any], name: str) -> Any:
    if name not in attrs:
        raise ModelError(f"{where} has no '{name}' attribute; build the graph with kg.graph.to_networkx")
    return attrs[name]


def _quantity(where: str, attrs: Mapping[str, Any]) -> Quantity | None:
    if attrs.get("quantity") is None:
        return None
    try:
        value = Decimal(attrs["quantity"])
    except (InvalidOperation, TypeError, ValueError):
        raise ModelError(f"{where}: quantity {attrs['quantity']!r} is not a number") from None
    return Quantity(value, _read(where, attrs, "qualifier"))


def _targets(graph: nx.MultiDiGraph, node: Any) -> list[tuple[str, str, int]]:
    """(role, entity key, position) of every edge leaving `node` towards an entity node."""
    found = []
    for _, target, edge_key, data in graph.out_edges(node, keys=True, data=True):
        target_attrs = graph.nodes[target]
        if target_attrs.get("kind") == "entity":
            key = _read(f"node '{target}'", target_attrs, "key")
            found.append((data.get("role", edge_key), key, data.get("position", 0)))
    return found


def _entity_from(graph: nx.MultiDiGraph, node: Any, attrs: Mapping[str, Any]) -> Entity:
    where = f"node '{node}'"
    return Entity(
        key=_read(where, attrs, "key"),
        cls=_read(where, attrs, "cls"),
        label=_read(where, attrs, "label"),
        alt_labels=set(attrs.get("alt_labels", ())),
        wikidata=attrs.get("wikidata"),
        roles=set(attrs.get("roles", ())),
        affiliations={key for role, key, _ in _targets(graph, node) if role == AFFILIATION},
        articles=set(attrs.get("articles", ())),
    )


def _event_from(graph: nx.MultiDiGraph, node: Any, attrs: Mapping[str, Any]) -> Event:
    where = f"node '{node}'"
    by_role: dict[str, list[tuple[int, str]]] = {}
    for role, key, position in _targets(graph, node):
        by_role.setdefault(role, []).append((position, key))
    dates = _read(where, attrs, "dates")
    date_types = _read(where, attrs, "date_types")
    if len(dates) != len(date_types):
        raise ModelError(f"{where} has {len(dates)} dates but {len(date_types)} date types")
    return Event(
        key=_read(where, attrs, "key"),
        cls=_read(where, attrs, "cls"),
        roles={role: tuple(key for _, key in sorted(pairs)) for role, pairs in sorted(by_role.items())},
        evidence=[_evidence_from(node, item) for item in _read(where, attrs, "evidence")],
        label=_read(where, attrs, "label"),
        items=tuple(attrs.get("items", ())),
        item_categories=tuple(attrs.get("categories", ())),
        names=tuple(attrs.get("names", ())),
        quantity=_quantity(where, attrs),
        dates=tuple(DateValue(lexical, datatype) for lexical, datatype in zip(dates, date_types)),
        conflict=bool(attrs.get("conflict", False)),
    )


def _evidence_from(node: Any, attrs: Mapping[str, Any]) -> Evidence:
    where = f"an evidence of node '{node}'"
    date = attrs.get("date")
    return Evidence(
        article=_read(where, attrs, "article"),
        start=_read(where, attrs, "start"),
        end=_read(where, attrs, "end"),
        text=_read(where, attrs, "text"),
        factuality=_read(where, attrs, "factuality"),
        trigger=_read(where, attrs, "trigger"),
        trigger_start=_read(where, attrs, "trigger_start"),
        trigger_end=_read(where, attrs, "trigger_end"),
        attributed_to=attrs.get("attributed_to"),
        quantity=_quantity(where, attrs),
        date=DateValue(date, _read(where, attrs, "date_type")) if date is not None else None,
    )
