"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the embedded store of the same graph.

- ``GET /sparql?query=...``, ``POST`` with a form (``query=...``) or the query itself
  (``Content-Type: application/sparql-query``); ``default-graph-uri`` and ``named-graph-uri`` as the
  protocol says; the project's prefixes are predeclared.
- Answers by ``Accept`` (or a ``format``/``output`` parameter, as some clients send): SELECT and ASK as
  SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (default), JSON-LD,
  N-Triples or RDF/XML.
- Refused: SPARQL Update (403), SERVICE (403), cross-origin POSTs (403, :mod:`kg.serve.security`);
  past the time limit 503; more rows than the cap 400 with a message saying so; bad syntax 400, one line
  with line and column.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from kg.errors import UsageError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["sparql", "preferences", "MEDIA"]

#: media type -> format names (of kg.serve.worker.RESULT_FORMATS / RDF_FORMATS) it stands for
MEDIA: dict[str, tuple[str, ...]] = {
    "application/sparql-results+json": ("json",), "application/json": ("json", "jsonld"),
    "application/sparql-results+xml": ("xml",), "application/xml": ("xml", "rdfxml"), "text/xml": ("xml", "rdfxml"),
    "text/csv": ("csv",), "text/tab-separated-values": ("tsv",),
    "text/turtle": ("turtle",), "application/x-turtle": ("turtle",), "application/ld+json": ("jsonld",),
    "application/n-triples": ("ntriples",), "application/rdf+xml": ("rdfxml",),
}
_SHORT = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
          "jsonld": "jsonld", "json-ld": "jsonld", "nt": "ntriples", "ntriples": "ntriples", "rdfxml": "rdfxml"}


def preferences(accept: str, short: str | None = None) -> list[str]:
    """The acceptable formats, best first, from an Accept header (q-values honoured) and a short name.

    >>> preferences("text/csv;q=0.5, application/sparql-results+xml")
    ['xml', 'csv']
    >>> preferences("*/*", "json")
    ['json', 'jsonld']
    """
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *opts = (x.strip() for x in part.split(";"))
        q = 1.0
        for o in opts:
            if o.startswith("q="):
                try:
                    q = float(o[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.extend((-q, i, f) for f in MEDIA.get(media.lower(), ()))
    out = [f for _, _, f in sorted(ranked)]
    if short and short.lower() in _SHORT:
        name = _SHORT[short.lower()]
        out = [name, *(["jsonld"] if name == "json" else []), *out]
    return list(dict.fromkeys(out))


async def sparql(request: Request) -> Response:
    """The endpoint (GET and POST)."""
    from starlette.responses import Response

    from kg.rdf.sparql import UpdateRefused
    from kg.serve import params, worker

    try:
        q = urllib.parse.parse_qs(request.url.query, keep_blank_values=True)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST":
            body = (await params.body_of(request)).decode("utf-8", "replace")
            if ctype == "application/x-www-form-urlencoded":
                for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                    q.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                q["query"] = [body]
            elif ctype == "application/sparql-update":
                raise UpdateRefused("SPARQL Update is not allowed here (read-only)")
            else:
                raise UsageError("POST a form (application/x-www-form-urlencoded) or application/sparql-query")
        if q.get("update"):
            raise UpdateRefused("SPARQL Update is not allowed here (read-only)")
        texts = q.get("query") or []
        if len(texts) != 1 or not texts[0].strip():
            raise UsageError("give exactly one query: /sparql?query=SELECT... (SPARQL 1.1 Protocol)")
        short = (q.get("format") or q.get("output") or [None])[0]
        prefs = preferences(request.headers.get("accept", ""), short)
        pool = request.app.state.pool
        media, body = await pool.run(worker.protocol, texts[0], prefs, q.get("default-graph-uri", []),
                                     q.get("named-graph-uri", []), pool.config.max_rows)
    except Exception as e:
        return params.error_response(e)
    return Response(body, media_type=media, headers={"vary": "Accept"})
