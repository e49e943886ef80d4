"""Send a graph file to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol (urllib only)."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.errors import OutputError
from kg.formats import load_graph, to_ntriples

# Files sent as they are; anything else is re-encoded as N-Triples (quads are merged first).
CONTENT_TYPES = {".ttl": "text/turtle; charset=utf-8", ".nt": "application/n-triples"}


class PushError(OutputError):
    """The triple store refused the graph or could not be reached."""


def graph_store_url(endpoint: str, graph_iri: str | None) -> str:
    """`<endpoint>?default` or `<endpoint>?graph=<iri>` (appended with & if the endpoint has a query)."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"endpoint must be an http(s) URL, got '{endpoint}'")
    target = "default" if graph_iri is None else "graph=" + urllib.parse.quote(graph_iri, safe="")
    separator = "&" if parts.query else "?"
    return f"{endpoint}{separator}{target}"


def _detail(error: urllib.error.HTTPError, limit: int = 200) -> str:
    """The first line of a plain-text error body (what the store says was wrong), if any."""
    if "html" in (error.headers.get("Content-Type") or "").lower():
        return ""
    try:
        body = error.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return ""
    first = next((" ".join(line.split()) for line in body.splitlines() if line.strip()), "")
    return first if len(first) <= limit else first[: limit - 1] + "…"


def push(
    graph_file: Path,
    endpoint: str,
    *,
    graph_iri: str | None = None,
    replace: bool = True,
    timeout: float = 30,
) -> int:
    """PUT (replace) or POST (append) `graph_file` to the store's default graph or `graph_iri`.

    The file is parsed first, so a broken file is reported before anything is sent.
    Returns the number of triples sent.
    """
    graph_file = Path(graph_file)
    graph = load_graph(graph_file)
    url = graph_store_url(endpoint, graph_iri)
    suffix = graph_file.suffix.lower()
    if suffix in CONTENT_TYPES:
        body, content_type = graph_file.read_bytes(), CONTENT_TYPES[suffix]
    else:
        body, content_type = to_ntriples(graph), CONTENT_TYPES[".nt"]
    request = urllib.request.Request(
        url,
        data=body,
        method="PUT" if replace else "POST",
        headers={"Content-Type": content_type, "Content-Length": str(len(body))},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = _detail(error)
        raise PushError(f"push to {url} failed: {error.code} {error.reason}{': ' + detail if detail else ''}") from None
    except urllib.error.URLError as error:
        reason = getattr(error.reason, "strerror", None) or error.reason
        raise PushError(f"push to {url} failed: {reason}") from None
    except (TimeoutError, OSError) as error:
        raise PushError(f"push to {url} failed: {getattr(error, 'strerror', None) or error or 'timed out'}") from None
    return len(graph)
