"""CLI commands that build and show the graph: build, view."""
from __future__ import annotations


def register(app, handle_errors) -> None:
    """Add this module's commands to `app`, each wrapped by `handle_errors`."""
