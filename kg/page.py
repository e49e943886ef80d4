"""The interactive page: one self-contained HTML file that lets an analyst browse the graph.

Events are drawn as nodes of their own, not as edges between two entities. An event has
more than two arguments (a supplier, a recipient, an item, a date, a place…) and its own
evidence, factuality and sources; as an edge it would have to drop all but two of them, or be
split into several edges that no longer say they are one happening. As a small node it links
its participants with role-labelled edges (fournisseur → transfert → destinataire), carries
its dates, quantity and conflict flag, and opens its evidence sentences on click.

The page is built from the RDF graph alone (the contract of CONTRACT.md), so it shows exactly
what the export says. Every script and style is inlined (vis-network is vendored in
`kg/page/`), a Content-Security-Policy with the scripts' hashes forbids any other script and
any network request, and the data travels as escaped JSON that the page reads with
`JSON.parse` and only ever puts on screen as text. pyvis is not used: it loads Bootstrap and
tom-select from CDNs and renders tooltips as HTML; the template here owns every byte instead.

Above `layout_threshold` nodes the positions are computed here (a grid-approximated
Fruchterman–Reingold, a couple of seconds for 5 000 nodes) and the browser's physics stays off,
so a large graph opens at once; below it, vis-network's physics places the nodes, then stops.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import tempfile
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from kg.errors import OutputError
from kg.model import ENTITY_CLASSES, EVENT_CLASSES, FACTUALITIES, ITEM_CATEGORIES, QUALIFIERS
from kg.namespace import KGO, ONTOLOGY_IRI

if TYPE_CHECKING:
    from kg.formats import TripleIndex

# Event argument → (edge points from the entity to the event?, the edge has an arrow?).
# Suppliers and senders flow into the event, recipients and places out of it, so a transfer
# reads "fournisseur → transfert → destinataire"; participants and parties have no direction.
EVENT_ROLES: dict[str, tuple[bool, bool]] = {
    "participant": (True, False),
    "party": (True, False),
    "signatory": (True, True),
    "supplier": (True, True),
    "sender": (True, True),
    "recipient": (False, True),
    "place": (False, False),
}
AFFILIATION_ROLE = "affiliation"
WIKIDATA_ENTITY = re.compile(r"^http://www\.wikidata\.org/entity/Q\d+$")

_ASSETS = resources.files("kg") / "page"
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
# Escapes that keep JSON inert inside <script>: no tag can close or open, no entity forms.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


# --------------------------------------------------------------------------- reading the graph


def _text(graph: rdflib.Graph, subject: URIRef, predicate: URIRef) -> str | None:
    """One literal value, French first, then the smallest, so the choice never varies."""
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    if not values:
        return None
    values.sort(key=lambda lit: (lit.language != "fr", lit.language or "", str(lit)))
    return str(values[0])


def _texts(graph: rdflib.Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return sorted({str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)})


def _int(graph: rdflib.Graph, subject: URIRef, predicate: URIRef) -> int | None:
    values = []
    for value in graph.objects(subject, predicate):
        try:
            values.append(int(str(value)))
        except ValueError:
            continue  # not an integer: the offset is unknown, the page does without it
    return min(values) if values else None


def _decimal(value: Any) -> str | None:
    """A quantity as plain decimal digits ("12000000", "2.5"): exact, and the same on every run."""
    if not isinstance(value, Literal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return format(number.normalize(), "f")


def _quantity(graph: rdflib.Graph, subject: URIRef) -> str | None:
    values = sorted(filter(None, (_decimal(v) for v in graph.objects(subject, KGO.quantity))), key=Decimal)
    return values[0] if values else None


def _local(iri: URIRef | str) -> str:
    return re.split(r"[#/]", str(iri).rstrip("/#"))[-1]


def _term(graph: rdflib.Graph, subject: URIRef, predicate: URIRef, allowed: tuple[str, ...]) -> str | None:
    """The kgo term (local name) an object property points to, if it is one of `allowed`."""
    names = sorted(_local(o) for o in graph.objects(subject, predicate) if str(o) == ONTOLOGY_IRI + _local(o))
    return next((name for name in names if name in allowed), None)


def _terms(graph: rdflib.Graph, subject: URIRef, predicate: URIRef, allowed: tuple[str, ...]) -> list[str]:
    names = {_local(o) for o in graph.objects(subject, predicate) if str(o) == ONTOLOGY_IRI + _local(o)}
    return [name for name in allowed if name in names]


def _class_of(graph: rdflib.Graph, subject: URIRef, classes: tuple[str, ...]) -> str | None:
    types = {str(t) for t in graph.objects(subject, RDF.type)}
    return next((name for name in classes if str(KGO[name]) in types), None)


def _subjects_of_classes(graph: rdflib.Graph, classes: tuple[str, ...]) -> dict[str, str]:
    """IRI → class for every subject typed with one of `classes` (the first class wins)."""
    found: dict[str, str] = {}
    for name in classes:
        for subject in graph.subjects(RDF.type, KGO[name]):
            if isinstance(subject, URIRef):
                found.setdefault(str(subject), name)
    return found


def _dates(graph: rdflib.Graph, subject: URIRef) -> list[dict[str, str]]:
    dates = []
    for value in graph.objects(subject, KGO.date):
        if isinstance(value, Literal):
            datatype = _local(value.datatype) if value.datatype else "string"
            dates.append({"value": str(value), "datatype": datatype})
    return sorted(dates, key=lambda d: (d["value"], d["datatype"]))


def _label(graph: rdflib.Graph, subject: URIRef) -> str:
    return _text(graph, subject, RDFS.label) or _local(subject)


def _articles(graph: rdflib.Graph) -> dict[str, dict[str, Any]]:
    articles = {}
    for iri in _subjects_of_classes(graph, ("Article",)):
        subject = URIRef(iri)
        identifier = _text(graph, subject, DCTERMS.identifier) or _local(subject)
        articles[iri] = {
            "identifier": identifier,
            "title": _text(graph, subject, DCTERMS.title),
            "date": _text(graph, subject, DCTERMS.date),
            "source": _text(graph, subject, DCTERMS.source),
            "file": _text(graph, subject, KGO.file),
        }
    return articles


def _trigger_span(text: str, start: int | None, trigger: str | None, t_start: int | None, t_end: int | None):
    """The trigger's offsets inside the sentence (code points), or None when they do not fit it.

    The graph gives them in the article's text; the sentence starts at kgo:start. Offsets that
    fall outside the sentence or do not spell the trigger are replaced by the trigger's first
    occurrence, so a slightly wrong export still highlights the right word, never a wrong one.
    """
    if start is not None and t_start is not None and t_end is not None:
        rel_start, rel_end = t_start - start, t_end - start
        if 0 <= rel_start < rel_end <= len(text) and (trigger is None or text[rel_start:rel_end] == trigger):
            return rel_start, rel_end
    if trigger:
        found = text.find(trigger)
        if found >= 0:
            return found, found + len(trigger)
    return None


def _evidence(graph: rdflib.Graph, iri: URIRef, entities: dict[str, str]) -> dict[str, Any]:
    text = _text(graph, iri, KGO.text) or ""
    start = _int(graph, iri, KGO.start)
    trigger = _text(graph, iri, KGO.trigger)
    span = _trigger_span(text, start, trigger, _int(graph, iri, KGO.triggerStart), _int(graph, iri, KGO.triggerEnd))
    article = next(iter(sorted(str(o) for o in graph.objects(iri, KGO.article))), None)
    claimers = sorted(str(o) for o in graph.objects(iri, KGO.attributedTo))
    claimer = claimers[0] if claimers else None
    return {
        "text": text,
        "start": start,
        "end": _int(graph, iri, KGO.end),
        "trigger": trigger,
        "triggerStart": span[0] if span else None,
        "triggerEnd": span[1] if span else None,
        "article": article,
        "factuality": _term(graph, iri, KGO.factuality, FACTUALITIES),
        "claimer": claimer if claimer in entities else None,
        "claimerLabel": _label(graph, URIRef(claimer)) if claimer else None,
        "quantity": _quantity(graph, iri),
        "dates": _dates(graph, iri),
    }


def _entity_node(graph: rdflib.Graph, iri: str, cls: str, entities: dict[str, str]) -> dict[str, Any]:
    subject = URIRef(iri)
    wikidata = sorted(str(o) for o in graph.objects(subject, OWL.sameAs) if WIKIDATA_ENTITY.match(str(o)))
    return {
        "id": iri,
        "kind": "entity",
        "cls": cls,
        "label": _label(graph, subject),
        "altLabels": _texts(graph, subject, SKOS.altLabel),
        "roles": _texts(graph, subject, KGO.role),
        "affiliations": sorted(str(o) for o in graph.objects(subject, KGO.affiliation) if str(o) in entities),
        "wikidata": wikidata[0] if wikidata else None,
        "articles": sorted(str(o) for o in graph.objects(subject, KGO.mentionedIn)),
    }


def _event_node(graph: rdflib.Graph, iri: str, cls: str, evidence: dict[str, dict[str, Any]]) -> dict[str, Any]:
    subject = URIRef(iri)
    conflict = any(isinstance(o, Literal) and o.toPython() is True for o in graph.objects(subject, KGO.conflict))
    own_evidence = sorted(str(o) for o in graph.objects(subject, KGO.evidence) if str(o) in evidence)
    return {
        "id": iri,
        "kind": "event",
        "cls": cls,
        "label": _label(graph, subject),
        "dates": _dates(graph, subject),
        "quantity": _quantity(graph, subject),
        "qualifier": _term(graph, subject, KGO.quantityQualifier, QUALIFIERS),
        "items": _texts(graph, subject, KGO.item),
        "itemCategories": _terms(graph, subject, KGO.itemCategory, ITEM_CATEGORIES),
        "conflict": conflict,
        "evidence": own_evidence,
        "factualities": sorted({evidence[e]["factuality"] for e in own_evidence if evidence[e]["factuality"]}),
        "articles": sorted({evidence[e]["article"] for e in own_evidence if evidence[e]["article"]}),
    }


def _edges(graph: rdflib.Graph, entities: dict[str, str], events: dict[str, str]) -> list[dict[str, Any]]:
    edges = []
    for event in events:
        for role, (into_event, arrow) in EVENT_ROLES.items():
            for target in graph.objects(URIRef(event), KGO[role]):
                entity = str(target)
                if entity not in entities:
                    continue  # only typed entities are drawn; an untyped target has nowhere to go
                source, sink = (entity, event) if into_event else (event, entity)
                edges.append({"from": source, "to": sink, "role": role, "arrow": arrow})
    for entity in entities:
        for target in graph.objects(URIRef(entity), KGO.affiliation):
            if str(target) in entities:
                edges.append({"from": entity, "to": str(target), "role": AFFILIATION_ROLE, "arrow": True})
    for edge in edges:
        edge["id"] = f"{edge['from']} {edge['role']} {edge['to']}"
    return sorted(edges, key=lambda e: e["id"])


def _timeline(nodes: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Events with a date that has a year, oldest first; an event with two dates appears twice."""
    entries = [
        {"event": node["id"], "date": date["value"], "datatype": date["datatype"]}
        for node in nodes
        if node["kind"] == "event"
        for date in node["dates"]
        if re.match(r"^\d{4}", date["value"])
    ]
    return sorted(entries, key=lambda e: (e["date"], e["event"]))


def page_data(graph: rdflib.Graph | TripleIndex) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-able data sorted the same way on every run.

    `graph` is an rdflib Graph or the kg.formats.TripleIndex a build makes (the same lookups).

    `nodes` (entities then events, by IRI), `edges` (role-labelled, by id), `evidence` and
    `articles` (keyed by IRI), `timeline` (dated events, oldest first). Trigger offsets in the
    evidence are relative to the sentence, in code points.
    """
    entities = _subjects_of_classes(graph, ENTITY_CLASSES)
    events = _subjects_of_classes(graph, EVENT_CLASSES)
    for iri in list(entities):
        if iri in events:  # a resource typed both ways is drawn once, as the event it reports
            del entities[iri]
    evidence = {
        str(e): _evidence(graph, e, entities)
        for event in events
        for e in graph.objects(URIRef(event), KGO.evidence)
        if isinstance(e, URIRef)
    }
    nodes = [_entity_node(graph, iri, entities[iri], entities) for iri in sorted(entities)]
    nodes += [_event_node(graph, iri, events[iri], evidence) for iri in sorted(events)]
    return {
        "nodes": nodes,
        "edges": _edges(graph, entities, events),
        "evidence": dict(sorted(evidence.items())),
        "articles": dict(sorted(_articles(graph).items())),
        "timeline": _timeline(nodes),
    }


# --------------------------------------------------------------------------- layout of big graphs


EDGE_PX = 60.0  # the distance between neighbours, in pixels, that big layouts aim for
SMALL_COMPONENT = 9  # components smaller than this are laid out on a ring, not simulated


def layout_positions(node_ids: list[str], edges: list[tuple[str, str]], *, iterations: int = 60) -> dict[str, tuple[float, float]]:
    """Fixed positions (pixels) for a large graph, the same on every run.

    Each connected component is laid out on its own: big ones by `_force_layout`, small ones
    on a ring. The largest goes first and the others are packed in rows beneath it, so
    isolated nodes do not end up flung to the edge of one big drawing.
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(node_ids))
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    positions: dict[str, tuple[float, float]] = {}
    row_width = cursor_x = cursor_y = row_height = 0.0
    for rank, members in enumerate(components):
        if len(members) >= SMALL_COMPONENT:
            index = {node: i for i, node in enumerate(members)}
            pairs = sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.subgraph(members).edges())
            xy = _force_layout(len(members), np.array(pairs, dtype=np.int64).reshape(-1, 2), iterations)
        else:
            xy = _ring(len(members))
        xy = xy - xy.min(0)
        width, height = (xy.max(0) + EDGE_PX).tolist()
        if rank > 0 and cursor_x > 0 and cursor_x + width > row_width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height, 0.0
        for node, (x, y) in zip(members, xy):
            positions[node] = (round(float(x + cursor_x), 1), round(float(y + cursor_y), 1))
        if rank == 0:  # the largest component sets the width of the rows packed beneath it
            row_width, cursor_y = max(width, 20 * EDGE_PX), height
        else:
            cursor_x += width
            row_height = max(row_height, height)
    return positions


def _ring(size: int) -> np.ndarray:
    if size == 1:
        return np.zeros((1, 2))
    radius = EDGE_PX / (2 * np.sin(np.pi / size))
    angles = 2 * np.pi * np.arange(size) / size
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)


def _force_layout(n: int, pairs: np.ndarray, iterations: int) -> np.ndarray:
    """Fruchterman–Reingold with a grid approximation of the repulsion, in pixels.

    Exact repulsion costs n² per step (a fifth of a second per step at 5 000 nodes, and the
    dense networkx version needs gigabytes of memory). Here a node is repelled exactly by the
    nodes of its own grid cell and by every other cell as one body at its centre of mass,
    which keeps a step to a few tens of milliseconds. Seeded: same graph, same positions.
    """
    xy = np.random.default_rng(0).random((n, 2))
    k = 1.0 / np.sqrt(n)  # ideal edge length in the unit square
    grid = max(2, int(np.sqrt(n / 8)))  # about eight nodes per cell
    step = 0.1
    cooling = step / (iterations + 1)
    for _ in range(iterations):
        force = _repulsion(xy, grid) * (k * k)
        delta = xy[pairs[:, 0]] - xy[pairs[:, 1]]
        pull = delta * (np.sqrt((delta * delta).sum(1)) / k)[:, None]
        for axis in (0, 1):
            force[:, axis] -= np.bincount(pairs[:, 0], weights=pull[:, axis], minlength=n)
            force[:, axis] += np.bincount(pairs[:, 1], weights=pull[:, axis], minlength=n)
        force -= (xy - xy.mean(0)) * k  # a weak gravity keeps loose branches close
        length = np.maximum(np.sqrt((force * force).sum(1)), 1e-12)[:, None]
        xy = xy + force / length * np.minimum(length, step)
        step -= cooling
    xy -= xy.mean(0)
    spread = float(np.abs(xy).max()) or 1.0
    return xy * (EDGE_PX / 2 * np.sqrt(n) / spread)  # the area grows with the node count


def _repulsion(xy: np.ndarray, grid: int) -> np.ndarray:
    """Σ (p_i - p_j) / |p_i - p_j|² over all j ≠ i, approximated by grid cells (see above)."""
    n = len(xy)
    low = xy.min(0)
    span = float((xy.max(0) - low).max()) + 1e-12
    cells = np.minimum(((xy - low) / span * grid).astype(np.int64), grid - 1)
    cell = cells[:, 0] * grid + cells[:, 1]
    counts = np.bincount(cell, minlength=grid * grid)
    occupied = np.flatnonzero(counts)
    mass = counts[occupied].astype(float)
    centre_x = np.bincount(cell, weights=xy[:, 0], minlength=grid * grid)[occupied] / mass
    centre_y = np.bincount(cell, weights=xy[:, 1], minlength=grid * grid)[occupied] / mass
    # far field: each other occupied cell as one body
    dx = xy[:, 0, None] - centre_x[None, :]
    dy = xy[:, 1, None] - centre_y[None, :]
    weight = mass[None, :] / np.maximum(dx * dx + dy * dy, 1e-12)
    weight[cell[:, None] == occupied[None, :]] = 0.0
    force = np.stack([(dx * weight).sum(1), (dy * weight).sum(1)], axis=1)
    # near field: exact pairs inside each cell (nodes sorted by cell, each paired with its cell)
    order = np.argsort(cell, kind="stable")
    first = np.cumsum(counts) - counts
    size = counts[cell[order]]
    left = np.repeat(order, size)
    offset = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    right = order[np.repeat(first[cell[order]], size) + offset]
    keep = left != right
    left, right = left[keep], right[keep]
    ddx, ddy = xy[left, 0] - xy[right, 0], xy[left, 1] - xy[right, 1]
    inverse = 1.0 / np.maximum(ddx * ddx + ddy * ddy, 1e-12)
    force[:, 0] += np.bincount(left, weights=ddx * inverse, minlength=n)
    force[:, 1] += np.bincount(left, weights=ddy * inverse, minlength=n)
    return force


# --------------------------------------------------------------------------- the HTML document


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_page(graph: rdflib.Graph | TripleIndex, *, title: str = "kg — graphe", layout_threshold: int = 300) -> str:
    """The whole HTML document for `graph`: self-contained, no network, same graph → same bytes."""
    data = page_data(graph)
    fixed = len(data["nodes"]) > layout_threshold
    if fixed:
        positions = layout_positions(
            [node["id"] for node in data["nodes"]], [(edge["from"], edge["to"]) for edge in data["edges"]]
        )
        for node in data["nodes"]:
            node["x"], node["y"] = positions[node["id"]]
    data["layout"] = {"fixed": fixed, "physics": not fixed, "threshold": layout_threshold}
    # The vendored file ends with a source-map comment; dropped so no tool goes looking for it.
    vis = _SOURCE_MAP.sub("", _asset("vis-network.min.js"))
    app = _asset("page.js")
    for script in (vis, app):
        if re.search(r"</script|<!--", script, re.IGNORECASE):
            raise OutputError("an inlined script contains '</script' or '<!--'; it cannot be embedded safely")
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis)} {_csp_hash(app)}",
            "style-src 'unsafe-inline'",  # vis-network adds <style> elements and inline styles
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    parts = {
        "TITLE": html.escape(title),
        "CSP": csp,  # our own text: hashes and keywords, no quote or markup
        "STYLE": _asset("page.css"),
        "DATA": _script_json(data),
        "VIS": vis,
        "APP": app,
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("template.html"))


def write_page(graph: rdflib.Graph | TripleIndex, path: Path, **kwargs: Any) -> Path:
    """Render the page and write it atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    document = render_page(graph, **kwargs).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(document)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write the page to {path}: {error.strerror or error}") from error
    return path
