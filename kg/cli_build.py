"""CLI commands that build and show the graph: build, view."""
from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import List, Optional

import typer

DEFAULT_SOURCES = [Path("seeds")]
DEFAULT_OUT = Path("exports")


def register(app, handle_errors) -> None:
    """Add this module's commands to `app`, each wrapped by `handle_errors`."""

    @app.command("build")
    @handle_errors
    def build_command(
        sources: Optional[List[Path]] = typer.Argument(None, help="Article files or folders (default: seeds/)."),
        out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help="Folder for the exports."),
        base_iri: str = typer.Option("https://example.org/kg/", "--base-iri", help="Base IRI of the graph's resources."),
        model: str = typer.Option("fr_core_news_md", "--model", help="Installed spaCy pipeline to parse with."),
        formats: Optional[List[str]] = typer.Option(
            None, "--format", "-f", help="Export format, repeatable: ttl, trig, jsonld, nt, graphml, void, html (default: all)."
        ),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    ) -> None:
        """Read articles, extract entities and events, write the graph and the page into --out.

        Examples: kg build; kg build articles/ --out exports/ --format ttl --format html
        """
        from kg.build import build

        def warn(line: str) -> None:
            if not quiet:
                typer.echo(f"Warning: {line}", err=True)

        summary = build(list(sources or DEFAULT_SOURCES), out, base_iri=base_iri, model=model,
                        formats=formats or None, warn=warn)
        if not quiet:
            for line in summary.lines():
                typer.echo(line)

    @app.command("view")
    @handle_errors
    def view_command(
        graph: Path = typer.Option(Path("exports/graph.html"), "--graph", "-g", help="The page written by kg build."),
        open_it: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
    ) -> None:
        """Print the path of the interactive page; --open opens it in a browser.

        Example: kg view --open
        """
        from kg.errors import GraphError

        page = graph if graph.suffix == ".html" else graph.with_suffix(".html")
        if not page.exists():
            raise GraphError(f"page not found: {page} (build it with kg build)")
        typer.echo(str(page.resolve()))
        if open_it:
            webbrowser.open(page.resolve().as_uri())
