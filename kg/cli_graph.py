"""CLI commands that work on an exported graph: query, queries, validate, push."""
from __future__ import annotations


def register(app, handle_errors) -> None:
    """Add this module's commands to `app`, each wrapped by `handle_errors`."""
    # Filled in by the RDF-tooling work (issue 6).
