"""``negkg serve``: a local analyst workbench and a read-only SPARQL 1.1 endpoint (see docs/serve.md).

- :mod:`kg.serve.config`: the options; :mod:`kg.serve.app`: the Starlette application;
- :mod:`kg.serve.security`: host check, access token, cross-origin refusal, headers;
- :mod:`kg.serve.pool`: worker processes stopped at the time limit; :mod:`kg.serve.worker`: the work, done
  through the public API;
- :mod:`kg.serve.api`, :mod:`kg.serve.endpoint`, :mod:`kg.serve.pages`: the routes; :mod:`kg.serve.params`:
  request parameters and errors.

>>> from kg.serve.config import Config
>>> Config().host, Config().max_rows
('127.0.0.1', 10000)
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.serve.config import Config

__all__ = ["serve", "url_of"]


def url_of(host: str, port: int, token: str | None = None) -> str:
    """The workbench's URL (with the token, which sets the cookie, when there is one).

    >>> url_of("::1", 8080, "t")
    'http://[::1]:8080/?token=t'
    """
    h = f"[{host}]" if ":" in host else host
    return f"http://{h}:{port}/" + (f"?token={token}" if token else "")


def serve(config: Config, *, ready: Callable[[str], None] | None = None) -> None:
    """Validate the data, bind ``config.host:config.port`` (0: a free port), start the workers, call ``ready(url)``
    once they have built the graph, and serve until Ctrl-C (or SIGTERM)."""
    import uvicorn

    from kg import api
    from kg.errors import UsageError
    from kg.serve.app import create_app
    from kg.serve.config import is_loopback
    from kg.serve.worker import meta

    if not is_loopback(config.host) and not config.token:
        raise UsageError(f"--host {config.host} listens beyond this machine: it needs an access token "
                         "(set NEGKG_SERVE_TOKEN, or let negkg serve generate one)")
    g = api.graph(data_dir=config.data_dir)  # bad data fails here, with every problem located
    info = meta(g, config)
    del g
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as e:
        sock.close()
        raise UsageError(f"cannot listen on {config.host}:{config.port}: {e.strerror}") from None
    port = sock.getsockname()[1]
    scratch = tempfile.mkdtemp(prefix="negkg-serve-")
    config = dataclasses.replace(config, scratch=scratch)
    # on loopback, only our own names (DNS rebinding); beyond it the token guards every request
    hosts = {"127.0.0.1", "localhost", "::1", config.host} if is_loopback(config.host) else None
    url = url_of("127.0.0.1" if config.host in ("0.0.0.0", "::") else config.host, port, config.token)
    announce = ready or (lambda u: print(u, file=sys.stderr, flush=True))
    tasks: list[asyncio.Task[None]] = []

    async def when_listening() -> None:  # the workers are ready; the URL is printed once uvicorn accepts connections
        while not server.started:
            await asyncio.sleep(0.02)
        announce(url)

    app = create_app(config, info, hosts, on_ready=lambda: tasks.append(asyncio.create_task(when_listening())))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                           timeout_graceful_shutdown=5))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        shutil.rmtree(scratch, ignore_errors=True)
