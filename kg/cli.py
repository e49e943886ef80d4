"""The `kg` command line: parse options, call the library, turn library errors into one line.

Heavy libraries (spaCy, rdflib) are imported inside commands so that `kg --help` starts fast.
"""
from __future__ import annotations

import functools
import os
import sys
from typing import Callable

import typer

from kg.errors import KgError

app = typer.Typer(
    name="kg",
    help="Build a knowledge graph from French news articles, query it with SPARQL, browse it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int) -> None:
    """Print one `Error: …` line on stderr and exit with `code`."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(command: Callable) -> Callable:
    """Library errors become one line and their exit code; Ctrl-C exits 130; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KgError as error:
            fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as error:  # a bug in kg, not bad input: still one line, and how to see more
            if os.environ.get("KG_DEBUG"):
                raise
            fail(f"internal error ({type(error).__name__}: {error}); rerun with KG_DEBUG=1 for the traceback "
                 "and report it", 70)

    return wrapper


# Commands are registered from their modules at the bottom, so each stays small.
from kg import cli_build, cli_graph  # noqa: E402

cli_build.register(app, handle_errors)
cli_graph.register(app, handle_errors)


def main() -> None:  # pragma: no cover - console entry point
    app()
