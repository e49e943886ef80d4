"""Run SPARQL over an exported graph: named queries from queries/, bindings, result formats.

Two stores give the same rows: rdflib (default) and Oxigraph (`store="oxigraph"`, faster on big
graphs). Results come back as an rdflib `Result` either way, with numbers in their canonical
form (Oxigraph writes 12000000.0 as 12000000, so rdflib's results are normalised the same way).
"""
from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

import rdflib
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD

from kg.errors import GraphError, QueryError
from kg.formats import FormatError, compact, declared_prefixes, load_graph, nt_term, standard_prefixes, to_turtle
from kg.namespace import DEFAULT_BASE_IRI

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
STORES = ("rdflib", "oxigraph")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
SPARQL_KEYWORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") + UPDATE_KEYWORDS
UPDATE_REFUSED = "SPARQL UPDATE is not allowed: kg query only reads the graph"


# ---------------------------------------------------------------- finding queries


def _read_query(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"cannot read query file {path}: {getattr(error, 'strerror', None) or error}") from None


def resolve_query(query: str, queries_dir: Path) -> tuple[str, str]:
    """(name, SPARQL) for a path to a .rq file, inline SPARQL (has "{" or starts like SPARQL: "DROP ALL"),
    or the name of a query in `queries_dir`."""
    path = Path(query)
    if "{" not in query and path.is_file():
        return path.stem, _read_query(path)
    if "{" in query or (_first_keyword(query) in SPARQL_KEYWORDS and re.search(r"\s", query.strip())):
        return "inline", query
    name = query[:-3] if query.endswith(".rq") else query
    candidate = Path(queries_dir) / f"{name}.rq"
    if "/" not in name and candidate.is_file():
        return name, _read_query(candidate)
    raise QueryError(f"unknown query '{query}': not a file, not in {Path(queries_dir).name}/ (kg queries lists them)")


def list_queries(queries_dir: Path) -> list[tuple[str, str]]:
    """(name, question) for each .rq file of `queries_dir`, the question being its first comment line."""
    queries_dir = Path(queries_dir)
    if not queries_dir.is_dir():
        raise QueryError(f"queries folder not found: {queries_dir}")
    listed = []
    for path in sorted(queries_dir.glob("*.rq"), key=lambda p: p.stem):
        first = next((line for line in _read_query(path).splitlines() if line.strip()), "")
        question = first.lstrip("#").strip() if first.lstrip().startswith("#") else ""
        listed.append((path.stem, question))
    return listed


# ---------------------------------------------------------------- bindings

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(.+))?', re.S)
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def _namespaces(graph_namespaces) -> dict[str, str]:
    if isinstance(graph_namespaces, Mapping):
        return {str(p): str(n) for p, n in graph_namespaces.items()}
    return {str(p): str(n) for p, n in graph_namespaces}


def _iri(text: str, namespaces: Mapping[str, str], pair: str) -> URIRef:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    match = _PREFIXED.fullmatch(text)
    if match and (match.group(1) or "") in namespaces:
        return URIRef(namespaces[match.group(1) or ""] + match.group(2))
    known = ", ".join(sorted(p for p in namespaces if p))
    raise QueryError(f"unknown prefix '{(match.group(1) if match else text)}' in --bind {pair} (known: {known})")


def _value(text: str, namespaces: Mapping[str, str], pair: str) -> rdflib.term.Node:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    quoted = _QUOTED.fullmatch(text)
    if quoted:
        lexical = re.sub(r"\\(.)", r"\1", quoted.group(1))
        if quoted.group(2):
            return Literal(lexical, lang=quoted.group(2))
        if quoted.group(3):
            return Literal(lexical, datatype=_iri(quoted.group(3), namespaces, pair))
        return Literal(lexical)
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return Literal(text, datatype=XSD.integer)
    if re.fullmatch(r"[+-]?[0-9]*\.[0-9]+", text):
        return Literal(text, datatype=XSD.decimal)
    if text in ("true", "false"):
        return Literal(text, datatype=XSD.boolean)
    if _ABSOLUTE_IRI.fullmatch(text):
        return URIRef(text)
    if _PREFIXED.fullmatch(text):
        return _iri(text, namespaces, pair)
    return Literal(text)


def parse_bindings(pairs: Sequence[str], graph_namespaces) -> dict[str, rdflib.term.Node]:
    """NAME=VALUE pairs as SPARQL values.

    `<iri>` or `http://…` → IRI; `prefix:name` → IRI through `graph_namespaces`; `2024` → xsd:integer,
    `1.5` → xsd:decimal, `true` → xsd:boolean; `"text"@fr` / `"2024-06"^^xsd:gYearMonth` → that
    literal; anything else → a plain string.
    """
    namespaces = _namespaces(graph_namespaces)
    bindings: dict[str, rdflib.term.Node] = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not equals or not _VARIABLE.fullmatch(name):
            raise QueryError(f"malformed --bind '{pair}': write NAME=VALUE, e.g. person=entity:kim-jong-un")
        bindings[name] = _value(text.strip(), namespaces, pair)
    return bindings


# ---------------------------------------------------------------- running


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _first_keyword(sparql: str) -> str:
    """The first keyword after the prologue (comments, BASE and PREFIX declarations)."""
    position = 0
    prologue = re.compile(
        r"\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>", re.IGNORECASE
    )
    while True:
        match = prologue.match(sparql, position)
        if not match or match.end() == position:
            break
        position = match.end()
    word = re.match(r"[A-Za-z]+", sparql[position:])
    return word.group(0).upper() if word else ""


def is_update(sparql: str) -> bool:
    """True if `sparql` is a SPARQL UPDATE request (INSERT, DELETE, LOAD, CLEAR, DROP, ...)."""
    if _first_keyword(sparql) in UPDATE_KEYWORDS:
        return True
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(sparql)
    except Exception:
        return False
    return True


def prepare(sparql: str, prefixes: Mapping[str, str]):
    """Parse a read-only query with rdflib; UPDATE and malformed SPARQL are refused in one line."""
    from rdflib.plugins.sparql import prepareQuery

    if _first_keyword(sparql) in UPDATE_KEYWORDS:
        raise QueryError(UPDATE_REFUSED)
    try:
        return prepareQuery(sparql, initNs=dict(prefixes))
    except Exception as error:
        if is_update(sparql):
            raise QueryError(UPDATE_REFUSED) from None
        raise QueryError(f"malformed SPARQL: {_one_line(error)}") from None


def _projected(prepared) -> list[str]:
    return [str(v) for v in (prepared.algebra.get("PV") or [])]


def _check_bindings(prepared, bindings: Mapping[str, rdflib.term.Node]) -> None:
    """Both stores bind a variable by substituting it in the results: it must be one the query selects."""
    if not bindings:
        return
    if prepared.algebra.name != "SelectQuery":
        raise QueryError("--bind works with SELECT queries only")
    selected = _projected(prepared)
    for name in sorted(bindings):
        if name not in selected:
            listed = ", ".join(f"?{v}" for v in selected)
            raise QueryError(f"cannot bind ?{name}: the query does not select it (it selects {listed})")


def canonical(term):
    """A term as Oxigraph writes it: canonical xsd:decimal (12000000.0 → 12000000), plain strings."""
    if not isinstance(term, Literal) or term.language:
        return term
    if term.datatype == XSD.string:
        return Literal(str(term))
    if term.datatype == XSD.decimal:
        try:
            value = Decimal(str(term))
        except InvalidOperation:
            return term
        if value == value.to_integral_value():
            return Literal(str(int(value)), datatype=XSD.decimal)
        return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)
    return term


def _select_result(variables: Sequence[str], rows: Iterable[Mapping[str, rdflib.term.Node]]) -> rdflib.query.Result:
    result = rdflib.query.Result("SELECT")
    result.vars = [Variable(v) for v in variables]
    result.bindings = [
        {Variable(k): canonical(v) for k, v in row.items() if v is not None} for row in rows
    ]
    return result


def file_prefixes(path: Path) -> dict[str, str]:
    """Prefixes a Turtle/TriG file declares at its top, read without parsing the whole file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return declared_prefixes(stream.read(65536))
    except OSError:
        return {}


def query_prefixes(graph: rdflib.Graph | Path) -> dict[str, str]:
    """Prefixes a query may use without declaring them: kg's own, then the graph file's."""
    prefixes = standard_prefixes(DEFAULT_BASE_IRI)
    if isinstance(graph, rdflib.Graph):
        # what the file declared (rdflib's core "xml" binding is no prefix a query needs)
        prefixes.update({p: str(n) for p, n in graph.namespaces() if p and p != "xml"})
    else:
        prefixes.update(file_prefixes(Path(graph)))
    return prefixes


def _run_rdflib(graph, prepared, bindings) -> rdflib.query.Result:
    if not isinstance(graph, rdflib.Graph):
        graph = load_graph(Path(graph))
    try:
        result = graph.query(prepared, initBindings=dict(bindings))
        if result.type != "SELECT":
            return result  # ASK: result.askAnswer; CONSTRUCT / DESCRIBE: result.graph
        variables = [str(v) for v in result.vars]
        return _select_result(variables, [dict(zip(variables, row)) for row in result])
    except Exception as error:  # evaluation errors (a bad function call, say) become one line
        raise QueryError(f"query failed: {_one_line(error)}") from None


_OX_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG", ".jsonld": "JSON_LD", ".rdf": "RDF_XML", ".xml": "RDF_XML"}


def _to_rdflib(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _to_oxigraph(term):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def oxigraph_store(graph: rdflib.Graph | Path):
    """An in-memory Oxigraph store holding `graph` (a file is bulk-loaded directly, without rdflib)."""
    import pyoxigraph as ox

    store = ox.Store()
    if isinstance(graph, rdflib.Graph):
        from kg.formats import to_ntriples

        store.bulk_load(to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)
        return store
    path = Path(graph)
    suffix = path.suffix.lower()
    if suffix not in _OX_FORMATS or not path.is_file():
        load_graph(path)  # raises the same one-line error as with rdflib (unknown suffix, missing, folder)
    try:
        syntax = getattr(ox.RdfFormat, _OX_FORMATS[suffix])
        if suffix in (".trig", ".nq"):  # merge every graph into the default one, as load_graph does
            store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=syntax))
        else:
            store.bulk_load(path=str(path), format=syntax)
    except (SyntaxError, ValueError, OSError) as error:
        raise GraphError(f"cannot parse {path}: {_one_line(error)}") from None
    return store


def _run_oxigraph(graph, sparql, bindings, prefixes) -> rdflib.query.Result:
    import pyoxigraph as ox

    store = graph if isinstance(graph, ox.Store) else oxigraph_store(graph)
    try:
        answer = store.query(
            sparql,
            prefixes=dict(prefixes),
            substitutions={ox.Variable(k): _to_oxigraph(v) for k, v in bindings.items()} or None,
        )
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {_one_line(error)}") from None
    except Exception as error:
        raise QueryError(f"query failed: {_one_line(error)}") from None
    if isinstance(answer, ox.QueryBoolean):
        result = rdflib.query.Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QueryTriples):
        result = rdflib.query.Result("CONSTRUCT")
        result.graph = rdflib.Graph()
        for triple in answer:
            result.graph.add((_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object)))
        return result
    variables = [v.value for v in answer.variables]
    rows = ({v: _to_rdflib(solution[v]) for v in variables} for solution in answer)
    return _select_result(variables, rows)


def run_query(
    graph: rdflib.Graph | Path,
    sparql: str,
    bindings: Mapping[str, rdflib.term.Node] | None = None,
    *,
    store: str = "rdflib",
    prefixes: Mapping[str, str] | None = None,
) -> rdflib.query.Result:
    """Run a read-only query over `graph` (a loaded graph or an RDF file) in `store`.

    SPARQL UPDATE is refused; bindings replace variables the query selects (rdflib initBindings,
    Oxigraph substitutions). Prefixes kg knows and the graph declares need no PREFIX line.
    """
    if store not in STORES:
        raise FormatError(f"unknown store '{store}' (choose from {', '.join(STORES)})")
    bindings = dict(bindings or {})
    prefixes = dict(prefixes) if prefixes is not None else query_prefixes(graph)
    prepared = prepare(sparql, prefixes)
    _check_bindings(prepared, bindings)
    if store == "rdflib":
        return _run_rdflib(graph, prepared, bindings)
    return _run_oxigraph(graph, sparql, bindings, prefixes)


# ---------------------------------------------------------------- formatting


def _cell(term, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return " ".join(str(term).split())
    return compact(term, prefixes)


def _plain_table(header: list[str], rows: list[list[str]]) -> str:
    from rich.cells import cell_len

    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    count = len(rows)
    out.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"


def _rich_table(header: list[str], rows: list[list[str]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*header, caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}", show_lines=False)
    for row in rows:
        table.add_row(*row)
    console = Console(width=shutil.get_terminal_size().columns, force_terminal=True)
    with console.capture() as capture:
        console.print(table)
    return capture.get()


def _tsv(result: rdflib.query.Result) -> str:
    """W3C SPARQL 1.1 TSV: `?var` headers, terms in N-Triples syntax."""
    variables = [str(v) for v in result.vars]
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in result.bindings:
        lines.append("\t".join(nt_term(row[Variable(v)]) if row.get(Variable(v)) is not None else "" for v in variables))
    return "\n".join(lines) + "\n"


def format_result(
    result: rdflib.query.Result,
    fmt: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    rich_table: bool | None = None,
) -> str:
    """Results as text: W3C CSV / TSV / JSON / XML, or a table (rich on a terminal, plain aligned otherwise).

    Table cells show IRIs as prefixed names and literals without datatype or language noise.
    CONSTRUCT / DESCRIBE results print as sorted Turtle whatever the format.
    """
    if fmt not in RESULT_FORMATS:
        raise FormatError(f"unknown format '{fmt}' (choose from {', '.join(RESULT_FORMATS)})")
    prefixes = dict(prefixes) if prefixes is not None else standard_prefixes(DEFAULT_BASE_IRI)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return to_turtle(result.graph, prefixes.get("kg", DEFAULT_BASE_IRI)).decode("utf-8")
    if result.type == "ASK":
        if fmt in ("json", "xml"):
            return result.serialize(format=fmt).decode("utf-8")
        answer = "true" if result.askAnswer else "false"
        return f"{answer}\n" if fmt != "csv" else f"{answer}\r\n"
    if fmt == "tsv":
        return _tsv(result)
    if fmt in ("csv", "json", "xml"):
        text = result.serialize(format=fmt).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    header = [str(v) for v in result.vars]
    rows = [[_cell(row.get(Variable(v)), prefixes) for v in header] for row in result.bindings]
    if rich_table is None:
        rich_table = sys.stdout.isatty()
    return _rich_table(header, rows) if rich_table else _plain_table(header, rows)
