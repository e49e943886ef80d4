"""CLI commands that work on an exported graph: query, queries, validate, push."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

DEFAULT_GRAPH = Path("exports/graph.ttl")


def default_queries_dir() -> Path:
    """`queries/` in the current folder if there is one, else the folder shipped beside the package."""
    local = Path("queries")
    if local.is_dir():
        return local
    import kg

    return Path(kg.__file__).resolve().parent.parent / "queries"


def existing_graph(graph: Path) -> Path:
    """The graph path, or a one-line error that says how to get one."""
    from kg.errors import GraphError

    if not graph.exists():
        raise GraphError(f"graph file not found: {graph} (build one with kg build, or pass --graph FILE)")
    return graph


def register(app, handle_errors) -> None:
    """Add this module's commands to `app`, each wrapped by `handle_errors`."""

    @app.command("query")
    @handle_errors
    def query_command(
        query: str = typer.Argument(..., help="A query name from `kg queries`, a path to a .rq file, or SPARQL text."),
        graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The RDF graph file to query."),
        fmt: str = typer.Option("table", "--format", "-f", help="Result format: table, csv, tsv, json or xml."),
        bind: Optional[List[str]] = typer.Option(None, "--bind", "-b", help="NAME=VALUE for a variable the query selects; repeatable."),
        store: str = typer.Option("rdflib", "--store", help="Query engine: rdflib or oxigraph (faster on big graphs)."),
        queries_dir: Optional[Path] = typer.Option(None, "--dir", help="Folder of named queries (default: queries/)."),
    ) -> None:
        """Run a SPARQL query over the graph and print the results.

        Example: kg query meetings-of --bind person=entity:kim-jong-un --format csv
        """
        from kg.formats import FormatError, load_graph
        from kg.query import RESULT_FORMATS, STORES, format_result, parse_bindings, query_prefixes, resolve_query, run_query

        if fmt not in RESULT_FORMATS:
            raise FormatError(f"unknown format '{fmt}' (choose from {', '.join(RESULT_FORMATS)})")
        if store not in STORES:
            raise FormatError(f"unknown store '{store}' (choose from {', '.join(STORES)})")
        _, sparql = resolve_query(query, queries_dir or default_queries_dir())
        existing_graph(graph)
        source = load_graph(graph) if store == "rdflib" else graph
        prefixes = query_prefixes(source)
        bindings = parse_bindings(bind or [], prefixes)
        result = run_query(source, sparql, bindings, store=store, prefixes=prefixes)
        typer.echo(format_result(result, fmt, prefixes=prefixes), nl=False)

    @app.command("queries")
    @handle_errors
    def queries_command(
        queries_dir: Optional[Path] = typer.Option(None, "--dir", help="Folder of named queries (default: queries/)."),
    ) -> None:
        """List the named queries and the question each one answers.

        Example: kg queries
        """
        from kg.query import list_queries

        listed = list_queries(queries_dir or default_queries_dir())
        width = max((len(name) for name, _ in listed), default=0)
        for name, question in listed:
            typer.echo(f"{name.ljust(width)}  {question}".rstrip())

    @app.command("validate")
    @handle_errors
    def validate_command(
        graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The RDF graph file to check."),
    ) -> None:
        """Check the graph against the contract's SHACL shapes; list each problem on its own line.

        Exit code 0 if it conforms, 1 with problems, 2 if the file cannot be read.
        Example: kg validate --graph exports/graph.ttl
        """
        from kg.errors import ValidationFailed
        from kg.formats import load_graph
        from kg.validate import validate_graph

        data = load_graph(existing_graph(graph))
        report = validate_graph(data)
        if report.conforms:
            typer.echo(f"conforms: {len(data)} triples")
            return
        for problem in report.problems:
            typer.echo(problem)
        count = len(report.problems)
        raise ValidationFailed(f"{graph} does not conform: {count} problem{'s' if count != 1 else ''}")

    @app.command("push")
    @handle_errors
    def push_command(
        graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", "-g", help="The RDF graph file to send."),
        endpoint: str = typer.Option(..., "--endpoint", "-e", help="The store's Graph Store Protocol URL, e.g. http://localhost:7878/store."),
        graph_iri: Optional[str] = typer.Option(None, "--graph-iri", help="Named graph to write (default: the default graph)."),
        append: bool = typer.Option(False, "--append", help="Add to the graph (POST) instead of replacing it (PUT)."),
    ) -> None:
        """Send the graph to a triple store (SPARQL 1.1 Graph Store HTTP Protocol).

        Example: kg push --graph exports/graph.ttl --endpoint http://localhost:7878/store
        """
        from kg.push import graph_store_url, push

        count = push(existing_graph(graph), endpoint, graph_iri=graph_iri, replace=not append)
        typer.echo(f"{'appended' if append else 'pushed'} {count} triples to {graph_store_url(endpoint, graph_iri)}")
