"""The Starlette application: routes, the guard (kg.serve.security) and the worker pool's lifetime."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from kg.serve.config import Config

__all__ = ["create_app"]


def create_app(config: Config, meta: dict[str, Any], hosts: set[str] | None,
               on_ready: Callable[[], None] | None = None) -> Starlette:
    """The workbench application; ``meta`` is :func:`kg.serve.worker.meta` of the graph, ``hosts`` the accepted
    Host names. The worker pool starts with the application (``on_ready`` is called once every worker has
    built its graph) and stops with it."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    from kg.serve import api, endpoint, pages, worker
    from kg.serve.pool import Pool
    from kg.serve.security import Guard

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = Pool(config)
        app.state.meta = meta
        app.state.gallery = None
        app.state.gallery_lock = asyncio.Lock()
        pool = app.state.pool
        await asyncio.gather(*(pool.run(worker.ping, 0.3, timeout=config.page_timeout) for _ in range(config.workers)))
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            app.state.pool.close()
            if config.scratch:  # here, not after uvicorn returns: it re-raises SIGTERM/SIGINT on its way out
                shutil.rmtree(config.scratch, ignore_errors=True)

    routes = [
        Route("/", pages.workbench),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/api/meta", api.meta),
        Route("/api/run", api.run, methods=["GET", "POST"]),
        Route("/api/export", api.export),
        Route("/view", pages.view),
        Route("/report", pages.report),
        Route("/gallery/", pages.gallery),
        Route("/gallery/{name:str}", pages.gallery),
        Route("/ontology.ttl", pages.ontology),
    ]
    guard = Middleware(Guard, hosts=hosts, token=config.token, cors=config.cors)
    return Starlette(routes=routes, middleware=[guard], lifespan=lifespan)
