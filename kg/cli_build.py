"""CLI commands that build and show the graph: build, view."""
from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import List, Optional

import typer

DEFAULT_SOURCES = [Path("seeds")]
DEFAULT_OUT = Path("exports")


class RichProgress:
    """kg.build.Progress drawn on stderr with rich: a bar per stage, gone when the build ends."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True,
        )
        self.task = None

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def stage(self, name: str, total: int | None = None) -> None:
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, steps)


def show_progress(quiet: bool) -> bool:
    """Progress bars only for a person watching: not with --quiet, not into a pipe or a log."""
    import sys

    return not quiet and sys.stderr.isatty()


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
        cache_dir: Optional[Path] = typer.Option(
            None, "--cache-dir", help="Cache of parses and facts (default: $XDG_CACHE_HOME/kg or ~/.cache/kg)."
        ),
        no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache: parse every article."),
        force: bool = typer.Option(False, "--force", help="Write the exports even when they are up to date."),
        n_process: int = typer.Option(1, "--n-process", help="spaCy parsing processes (local executor)."),
        executor: str = typer.Option("local", "--executor", help="Where articles are parsed and read: local or dask."),
        scheduler: Optional[str] = typer.Option(
            None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)."
        ),
    ) -> None:
        """Read articles, extract entities and events, write the graph and the page into --out.

        Unchanged articles come from the cache; when nothing changed, nothing is written.
        Examples: kg build; kg build articles/ --out exports/ --format ttl --format html
        """
        from contextlib import nullcontext

        from kg.build import build
        from kg.cache import BuildCache, default_cache_dir

        def warn(line: str) -> None:
            if not quiet:
                typer.echo(f"Warning: {line}", err=True)

        cache = None if no_cache else BuildCache.for_model(cache_dir or default_cache_dir(), model)
        with RichProgress() if show_progress(quiet) else nullcontext() as progress:
            summary = build(list(sources or DEFAULT_SOURCES), out, base_iri=base_iri, model=model,
                            formats=formats or None, cache=cache, n_process=n_process, executor=executor,
                            scheduler=scheduler, force=force, progress=progress, warn=warn)
        if not quiet:
            typer.echo(summary.line())

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
