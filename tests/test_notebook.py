"""The worked notebooks under docs/notebooks/ run top to bottom in a real Jupyter kernel (nbclient + ipykernel).

The kernel runs with the network blocked: in a network namespace of its own (``unshare -n``; the client talks to
it over Unix sockets) where this machine allows it, and in any case with Python's sockets refusing, and recording,
any connection to an address other than the loopback. A failing cell fails the test. The picture cells must
display inline with nothing loaded from anywhere.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_viz import tags_of

nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[test]' (nbformat, nbclient, ipykernel)")
nbclient = pytest.importorskip("nbclient", reason="pip install -e '.[test]' (nbformat, nbclient, ipykernel)")

pytestmark = pytest.mark.timeout(600)

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))

#: run first, in the kernel: refuse and record every connection to anything but the loopback
GUARD = """
import ipaddress as _ip, socket as _socket
_negkg_attempts = []
_negkg_connect = _socket.socket.connect
_negkg_connect_ex = _socket.socket.connect_ex
def _negkg_local(address):
    try:
        return _ip.ip_address(address[0]).is_loopback
    except (ValueError, TypeError, IndexError):
        return address[0] in ("localhost",) if isinstance(address, tuple) else True  # AF_UNIX paths are local
def _negkg_check(sock, address):
    if sock.family in (_socket.AF_INET, _socket.AF_INET6) and not _negkg_local(address):
        _negkg_attempts.append(repr(address))
        raise OSError("network blocked by the notebook test")
_socket.socket.connect = lambda self, address: (_negkg_check(self, address), _negkg_connect(self, address))[1]
_socket.socket.connect_ex = lambda self, address: (_negkg_check(self, address), _negkg_connect_ex(self, address))[1]
"""
REPORT = "import json as _json; print('NEGKG-ATTEMPTS ' + _json.dumps(_negkg_attempts))"
#: after the report: the guard does refuse and record an outside address (TEST-NET-1, never routed)
CONTROL = """
try:
    _socket.create_connection(("192.0.2.1", 80), timeout=0.5)
except OSError:
    print("NEGKG-CONTROL " + _json.dumps(_negkg_attempts))
"""


def _namespaces_work() -> bool:
    exe = shutil.which("unshare")
    return bool(exe) and subprocess.run([exe, "-n", "true"], capture_output=True).returncode == 0


def _kernel_manager(tmp: Path):
    """A kernel manager for this interpreter's ipykernel, in its own network namespace when possible."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    isolated = _namespaces_work()
    if isolated:
        argv = [shutil.which("unshare"), "-n", *argv]
    spec = tmp / "kernels" / "negkg-offline"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "negkg offline", "language": "python"}))
    km = KernelManager(kernel_name="negkg-offline", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)]),
                       transport="ipc" if isolated else "tcp")
    if isolated:
        km.ip = str(tmp / "kernel-ipc")
    return km, isolated


def _html_outputs(cell) -> list[str]:
    return [o["data"]["text/html"] for o in cell.get("outputs", []) if "text/html" in o.get("data", {})]


def _loads_nothing(page: str) -> list[str]:
    """Elements of a page that would fetch something: any src/href other than a fragment or the gallery index."""
    return [f"{t} {a}" for t, a in tags_of(page) for k in ("src", "href", "srcset", "data")
            if (v := a.get(k)) and not v.startswith("#") and not (t == "iframe" and k == "src")] + \
           [t for t, _ in tags_of(page) if t in ("link", "object", "embed", "base")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_offline_in_a_real_kernel(path, tmp_path, capsys):
    nb = nbformat.read(path, as_version=4)
    assert len(nb.cells) >= 8
    nb.cells.insert(0, nbformat.v4.new_code_cell(GUARD))
    nb.cells += [nbformat.v4.new_code_cell(REPORT), nbformat.v4.new_code_cell(CONTROL)]
    km, isolated = _kernel_manager(tmp_path)
    client = nbclient.NotebookClient(nb, km=km, timeout=300, allow_errors=False,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, when a cell fails
    cells = nb.cells[1:-2]
    assert all(c.get("execution_count") for c in cells if c.cell_type == "code")
    attempts = "".join(o.get("text", "") for o in nb.cells[-2].outputs)
    assert "NEGKG-ATTEMPTS []" in attempts, attempts
    assert "NEGKG-CONTROL [\"('192.0.2.1', 80)\"]" in "".join(o.get("text", "") for o in nb.cells[-1].outputs)

    # every picture displays inline, loads nothing, and keeps its scripts to the page's own
    pictures = [c for c in cells if c.cell_type == "code" and "kg.network(" in c.source]
    assert pictures and any('kg.network(case="camp-david-1978")' in c.source for c in pictures)
    for cell in pictures:
        (frame,) = _html_outputs(cell)
        assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
        page = html.unescape(frame.split('srcdoc="', 1)[1].split('"', 1)[0])
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
        assert _loads_nothing(page) == [], cell.source
        assert [t for t, _ in tags_of(page)].count("script") == 3
    for cell in cells:
        for out in _html_outputs(cell):
            assert _loads_nothing(out) == [], cell.source
    # the headline shows as an escaped table, and the export cell wrote its files
    assert any("<table" in h for c in cells for h in _html_outputs(c))
    written = {p.name for p in (tmp_path / "out" / "notebook").iterdir()}
    assert {"camp-david-links.csv", "camp-david.html", "paris.graphml", "paris.md", "paris.svg"} <= written
    with capsys.disabled():
        print(f"\n{path.name}: {sum(c.cell_type == 'code' for c in cells)} code cells ran in a kernel with the network "
              f"{'unshared and' if isolated else ''} guarded")
