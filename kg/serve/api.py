"""``/api/*``: what the workbench's script asks for; every answer is computed by a worker (kg.serve.worker).

- ``GET /api/meta``: the library as forms (parameters and their allowed values), the schemas, the limits;
- ``GET|POST /api/run?SOURCE``: a result as JSON for the workbench (``{"columns", "rows", "truncated", ...}``),
  or with ``format=csv`` / ``format=json`` as a download (refused past the row cap, never cut);
- ``GET /api/export?SOURCE&format=F``: the result's subgraph in any export format of ``kg.sinks``.

SOURCE is described in :mod:`kg.serve.params`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["meta", "run", "export", "attachment"]


def attachment(body: bytes | str, media: str, filename: str) -> Response:
    """A download: the body with ``Content-Disposition: attachment`` (the file name is ours, never the user's)."""
    from starlette.responses import Response

    return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{filename}"'})


async def meta(request: Request) -> Response:
    from starlette.responses import JSONResponse

    return JSONResponse(request.app.state.meta)


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    from kg.api import Result
    from kg.output import json_cell

    return Result("result", tuple(columns), [{c: json_cell(r.get(c)) for c in columns} for r in rows]).to_csv()


def _stem(src: dict[str, Any]) -> str:
    return src["name"] if src["kind"] == "library" else src["kind"]


async def run(request: Request) -> Response:
    import json

    from starlette.responses import JSONResponse

    from kg.serve import params, worker

    try:
        p = await params.read(request)
        src = params.source(p)
        fmt = p.get("format") or "table"
        pool = request.app.state.pool
        t0 = time.perf_counter()
        res = await pool.run(worker.run, src, pool.config.max_rows)
        ms = (time.perf_counter() - t0) * 1000
        if fmt == "table":
            if res.get("truncated"):
                res["message"] = (f"showing the first {pool.config.max_rows} rows, this server's cap (--max-rows); "
                                  "narrow the query to see the rest")
            return JSONResponse({**res, "ms": round(ms, 1)})
        if res["kind"] != "rows":
            raise params.UsageError("only rows download as csv or json; a graph result exports (format below)")
        if res["truncated"]:
            raise worker.TooLarge(f"the result has more than {pool.config.max_rows} rows, this server's cap "
                                  "(--max-rows): narrow the query or run it with the command line")
        if fmt == "csv":
            return attachment(_csv(res["columns"], res["rows"]), "text/csv; charset=utf-8", f"{_stem(src)}.csv")
        if fmt == "json":
            body = json.dumps(res["rows"], ensure_ascii=False, indent=2, default=str)
            return attachment(body, "application/json", f"{_stem(src)}.json")
        raise params.UsageError(f"unknown format {fmt!r} (table, csv or json)")
    except Exception as e:
        return params.error_response(e)


async def export(request: Request) -> Response:
    from kg.serve import params, worker

    try:
        p = await params.read(request)
        src = params.source(p)
        fmt = p.get("format") or "graphml"
        from kg.sinks import sink

        sink(fmt)  # an unknown format fails here, before any work
        pool = request.app.state.pool
        name, body = await pool.run(worker.export, src, fmt, timeout=pool.config.page_timeout)
    except Exception as e:
        return params.error_response(e)
    return attachment(body, "application/octet-stream", f"{_stem(src)}-{name}")
