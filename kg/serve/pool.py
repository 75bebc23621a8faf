"""Worker processes that can be stopped: how a query past the time limit ends while the server keeps answering.

Neither pyoxigraph nor LadybugDB can cancel a running query from another thread, so each query runs in
a pool of worker processes (pebble's ``ProcessPool``, started with ``spawn``). A task that runs past
its time limit has its worker terminated, and the pool starts a fresh one (which builds the graph
and warms its engines again) while the other workers go on answering. A worker that dies (out of
memory, a crash in an engine) fails only its own task.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kg.errors import RuntimeFailure

if TYPE_CHECKING:
    from kg.serve.config import Config

__all__ = ["Pool", "TimeLimit"]


class TimeLimit(RuntimeFailure):
    """A task ran past its time limit and was stopped."""


class Pool:
    """``config.workers`` processes, each initialised with :func:`kg.serve.worker.init`."""

    def __init__(self, config: Config):
        import pebble

        from kg.serve import worker

        self.config = config
        self._pool = pebble.ProcessPool(max_workers=config.workers, initializer=worker.init, initargs=(config,),
                                        context=multiprocessing.get_context("spawn"))

    async def run(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """Run ``fn(*args)`` in a worker; :class:`TimeLimit` after ``timeout`` seconds (default: the query limit)."""
        import pebble

        limit = self.config.timeout if timeout is None else timeout
        future = self._pool.schedule(fn, args=args, timeout=limit)
        try:
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            raise TimeLimit(f"stopped after {limit:g} s, this server's time limit (--timeout): narrow the query "
                            "(a case, a filter, LIMIT) or run it with the command line") from None
        except pebble.ProcessExpired as e:
            raise RuntimeFailure(f"the worker running this request died (exit {e.exitcode}); "
                                 "it was replaced, try a smaller query") from None

    def close(self) -> None:
        """Stop every worker now."""
        self._pool.stop()
        self._pool.join(timeout=10)
