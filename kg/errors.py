"""kg's own exceptions: each says what was wrong and what to do; the CLI turns them into one line."""


class KgError(Exception):
    """Base class: a problem a user can fix. `exit_code` is what the CLI exits with."""

    exit_code = 1


class InputError(KgError):
    """A source path or article cannot be used (missing path, folder without articles...)."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query is malformed, unknown, or tries to change the graph."""

    exit_code = 2


class GraphError(KgError):
    """A graph file is missing or cannot be parsed."""

    exit_code = 2


class OutputError(KgError):
    """The output folder or file cannot be written."""

    exit_code = 3


class ValidationFailed(KgError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1
