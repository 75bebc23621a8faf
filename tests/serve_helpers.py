"""A real ``negkg serve`` for the tests: started as a subprocess on 127.0.0.1 and a free port, stopped afterwards."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
_URL = re.compile(r"workbench at (http://\S+)")


@dataclass
class Served:
    url: str  # the workbench URL as printed (with ?token=... when there is one)
    proc: subprocess.Popen[str]
    log: list[str]

    @property
    def base(self) -> str:
        return self.url.split("?")[0].rstrip("/")


@contextlib.contextmanager
def serve(*args: str, env: dict[str, str] | None = None, data: Path = MINI, timeout: float = 120) -> Iterator[Served]:
    """Run ``negkg --data DATA serve ARGS`` until the context exits; yield its URL once every worker is ready."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "NEGKG_"))}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "--data", str(data), "serve", *args], cwd=ROOT,
                            env={**base_env, **(env or {})}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            log.append(line)
            if (m := _URL.search(line)) and not found:
                found.append(m.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout) or not found:
            raise RuntimeError(f"negkg serve did not start: {''.join(log)[-2000:]}")
        yield Served(found[0], proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None,
        method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request: status, headers (lower-case names) and body, whatever the status."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def wait_for(predicate, timeout: float = 30.0, step: float = 0.1) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
