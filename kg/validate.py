"""Check a graph against the contract's SHACL shapes (kg/shapes.ttl) and list problems readably."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import SH

from kg.errors import GraphError
from kg.formats import compact, load_graph, standard_prefixes
from kg.namespace import DEFAULT_BASE_IRI

SHAPES_FILE = Path(__file__).with_name("shapes.ttl")


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    problems: tuple[str, ...]  # "<focus node>: <path>: <message>", sorted


def _prefixes(graph: rdflib.Graph) -> dict[str, str]:
    """kg's prefixes, with the resource namespaces the graph binds itself (a user's own base IRI)."""
    prefixes = standard_prefixes(DEFAULT_BASE_IRI)
    bound = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    for prefix in ("kg", "entity", "event", "evidence", "article"):
        if prefix in bound:
            prefixes[prefix] = bound[prefix]
    return prefixes


def _problem(results: rdflib.Graph, result, prefixes: dict[str, str]) -> str:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    message = "; ".join(messages) or compact(results.value(result, SH.sourceConstraintComponent), prefixes)
    value = results.value(result, SH.value)
    if value is not None and value != focus:
        message += f" (got {compact(value, prefixes)})"
    severity = results.value(result, SH.resultSeverity)
    if severity is not None and severity != SH.Violation:
        message = f"{compact(severity, {'sh': str(SH)})}: {message}"
    where = compact(path, prefixes) if isinstance(path, rdflib.URIRef) else "(node)" if path is None else "(path)"
    return f"{compact(focus, prefixes)}: {where}: {message}"


def validate_graph(graph: rdflib.Graph, shapes: Path | None = None) -> ValidationReport:
    """Validate `graph` against the shapes (kg/shapes.ttl by default); the graph is not changed."""
    import pyshacl

    shapes_path = Path(shapes) if shapes is not None else SHAPES_FILE
    try:
        shapes_graph = rdflib.Graph().parse(shapes_path, format="turtle")
    except FileNotFoundError:
        raise GraphError(f"shapes file not found: {shapes_path}") from None
    except Exception as error:
        raise GraphError(f"cannot parse shapes {shapes_path}: {' '.join(str(error).split())}") from None
    conforms, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
    )
    prefixes = _prefixes(graph)
    problems = {_problem(results, r, prefixes) for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)}
    return ValidationReport(conforms=bool(conforms), problems=tuple(sorted(problems)))


def validate_file(path: Path) -> ValidationReport:
    """Load an RDF file (GraphError if missing or unparseable) and validate it."""
    return validate_graph(load_graph(Path(path)))
