"""Safe file output and input: nothing of the user's is ever deleted, moved or overwritten.

Every command that writes goes through this module. Its rules:

- A target that does not exist is created (parent directories too) and appears whole, at once.
- An existing file is replaced only when negkg wrote it and nobody changed it since: the
  manifest of its directory (:data:`MANIFEST`, JSON) lists its name with the SHA-256 of its
  content, or, for generated files kept in a source checkout, it carries the caller's
  ``signature`` text. An existing directory output (:func:`atomic_dir`) is replaced only when it
  is empty or holds nothing but the files its own manifest lists. ``force`` (``--force``) lifts
  these two rules; :func:`overwrite` sets it for everything inside a ``with`` block.
- Refused even with ``force``: the working directory, its parents, the home directory and ``/``;
  a directory where a file is expected; a FIFO, device or socket.
- Replacement is atomic. A file is written beside the target and renamed over it (a new file
  is hard-linked into place, so a file that appeared meanwhile is never clobbered). A directory
  is written beside the target and exchanged with the old one in one step
  (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on macOS); only then are
  the old directory's own files removed. There is no moment where neither the old nor the new
  output exists (see docs/security.md for systems without an exchange call).

Refusals raise :class:`Refused` (a ``UsageError``, exit 2); failures of the file system raise
``RuntimeFailure`` (exit 1) with the path and the reason. :func:`read_bytes` is the input side:
regular files only, never more than a limit, and a FIFO cannot make it wait.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "x.txt", "hello").read_text()
'hello'
>>> _ = atomic_write(d / "x.txt", "again")        # negkg wrote it: replaced
>>> (d / "mine.txt").write_text("precious")
8
>>> atomic_write(d / "mine.txt", "oops")
Traceback (most recent call last):
...
kg.io.Refused: refusing to overwrite .../mine.txt: negkg did not write it, or it changed since (use --force to overwrite it)
>>> with atomic_dir(d / "csv") as tmp:
...     _ = (tmp / "a.csv").write_text("a\\n")
>>> sorted(p.name for p in (d / "csv").iterdir())
['.negkg-manifest.json', 'a.csv']
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import errno
import hashlib
import json
import logging
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import RuntimeFailure, UsageError

__all__ = ["MANIFEST", "STDOUT", "Refused", "ReadRefused", "overwrite", "check_target", "check_out_dir", "atomic_path",
           "atomic_write", "atomic_dir", "read_bytes"]

MANIFEST = ".negkg-manifest.json"  #: the file that lists what negkg wrote in a directory
STDOUT = "-"  #: ``--out -``: standard output (the CLI's convention; the functions here never treat it specially)
_TMP_SUFFIX = ".negkg-tmp"
_NO_MANIFEST = "\0no manifest"
_FORCE: contextvars.ContextVar[bool] = contextvars.ContextVar("negkg_force", default=False)
_log = logging.getLogger(__name__)
PathLike = str | os.PathLike[str]


class Refused(UsageError):
    """The output target is protected: it is not negkg's to replace (exit 2)."""


class ReadRefused(Exception):
    """:func:`read_bytes` will not read this path; ``str()`` says why (e.g. ``not a regular file (a FIFO)``)."""


@contextlib.contextmanager
def overwrite(force: bool = True) -> Iterator[None]:
    """Within the block, writes may replace what negkg did not write (the CLI's ``--force``)."""
    token = _FORCE.set(force)
    try:
        yield
    finally:
        _FORCE.reset(token)


def _forced(force: bool | None) -> bool:
    return _FORCE.get() if force is None else force


# ------------------------------------------------------------------------------------- checks


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def _protected(p: Path) -> str | None:
    """Why ``p`` may never be an output (the working directory, a parent of it, home, /), or None."""
    real = Path(os.path.realpath(p))
    cwd = Path(os.path.realpath(os.getcwd()))
    if real == Path(real.anchor):
        return "the root directory"
    if real == cwd:
        return "the working directory"
    if real in cwd.parents:
        return "a parent of the working directory"
    with contextlib.suppress(RuntimeError, KeyError):
        if real == Path(os.path.realpath(Path.home())):
            return "the home directory"
    return None


def _cannot(p: PathLike, e: OSError) -> RuntimeFailure:
    return RuntimeFailure(f"cannot write {os.fspath(p)}: {e.strerror or e}")


def _sha256(path: PathLike) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class _Manifest:
    """The manifest of a directory: file name (or relative path) -> SHA-256 digests negkg wrote there."""

    def __init__(self, directory: Path):
        self.path = directory / MANIFEST
        self.files: dict[str, list[str]] = {}
        self.valid = True  # False: a file of that name that is not ours (never overwritten)
        try:
            doc = json.loads(read_bytes(self.path, 256 * 1024 * 1024))
        except FileNotFoundError:
            return
        except (OSError, ReadRefused, ValueError):
            self.valid = False
            return
        files = doc.get("files") if isinstance(doc, dict) and doc.get("negkg") == 1 else None
        if not isinstance(files, dict):
            self.valid = False
            return
        self.files = {k: [h for h in v if isinstance(h, str)] for k, v in files.items() if isinstance(v, list)}

    def owns(self, name: str, path: Path) -> bool:
        return bool(self.files.get(name)) and _sha256(path) in self.files[name]

    def save(self) -> None:
        """Write the manifest atomically; a directory negkg may not write a manifest into just keeps none."""
        if not self.valid:
            return
        text = json.dumps({"negkg": 1, "files": dict(sorted(self.files.items()))}, indent=1) + "\n"
        try:
            fd, tmp = tempfile.mkstemp(prefix=MANIFEST + ".", suffix=_TMP_SUFFIX, dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, self.path)
        except OSError as e:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)
            _log.debug("no manifest in %s: %s", self.path.parent, e)


def _has_signature(path: Path, signature: str | None) -> bool:
    if not signature:
        return False
    try:
        return signature.encode("utf-8") in read_bytes(path, 16 * 1024 * 1024)
    except (OSError, ReadRefused):
        return False


def _owned_file(p: Path, signature: str | None) -> bool:
    try:
        return _Manifest(p.parent).owns(p.name, p) or _has_signature(p, signature)
    except OSError:
        return False


def _foreign(directory: Path) -> list[str]:
    """What a directory holds that negkg did not write there (empty: it may be replaced)."""
    try:
        entries = sorted(os.listdir(directory))
    except OSError as e:
        return [f"(cannot list it: {e.strerror or e})"]
    if not entries:
        return []
    m = _Manifest(directory)
    if not m.valid or MANIFEST not in entries:
        return [_NO_MANIFEST]
    out: list[str] = []
    for root, dirs, files in os.walk(directory):
        rel = Path(root).relative_to(directory)
        for name in sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(root, d))):
            key = (rel / name).as_posix()
            if key == MANIFEST:
                continue
            full = Path(root) / name
            if not (os.path.isfile(full) and not os.path.islink(full) and m.owns(key, full)):
                out.append(key)
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        if len(out) > 3:
            break
    return out


def check_target(target: PathLike, *, kind: str = "file", force: bool | None = None,
                 signature: str | None = None) -> Path:
    """Raise :class:`Refused` unless ``target`` may be written as a file (``kind="file"``) or a directory
    (``kind="dir"``); return it as a Path. Call it before long work, so a refused ``--out`` fails fast.

    ``signature``: text that marks an existing file as negkg's own generated file (e.g. docs in a checkout).
    """
    p = Path(target)
    force = _forced(force)
    if why := _protected(p):
        raise Refused(f"refusing to write to {os.fspath(p)}: it is {why} (choose a new or negkg-made --out)")
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return p
    except OSError as e:
        raise _cannot(p, e) from None
    shown = os.fspath(p)
    if stat.S_ISLNK(st.st_mode):
        if force:
            return p
        raise Refused(f"refusing to replace {shown}: it is a symbolic link (use --force to replace the link itself)")
    if kind == "file" and stat.S_ISDIR(st.st_mode):
        raise Refused(f"refusing to write {shown}: it is a directory (give a file name)")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise Refused(f"refusing to write {shown}: it is {_kind(st.st_mode)}, not a regular file")
    if force:
        return p
    if stat.S_ISREG(st.st_mode):
        if _owned_file(p, signature):
            return p
        raise Refused(f"refusing to overwrite {shown}: negkg did not write it, or it changed since "
                      "(use --force to overwrite it)")
    foreign = _foreign(p)
    if foreign == [_NO_MANIFEST]:
        raise Refused(f"refusing to replace directory {shown}: negkg did not write it (it has no valid {MANIFEST}); "
                      "use --force, or an empty or new --out")
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise Refused(f"refusing to replace directory {shown}: it holds what negkg did not write: "
                      f"{', '.join(foreign[:3])}{more} (use --force, or an empty or new --out)")
    return p


def check_out_dir(directory: PathLike) -> Path:
    """Raise unless ``directory`` may receive output files (``--out`` of build, viz, docs, schema): it is not the
    working directory, a parent of it, home or ``/``, and it is a directory if it exists. Files in it are each
    checked when written."""
    p = Path(directory)
    if why := _protected(p):
        raise Refused(f"refusing to write into {os.fspath(p)}: it is {why} (choose a new or negkg-made --out)")
    if os.path.lexists(p) and not os.path.isdir(p):
        raise Refused(f"refusing to write into {os.fspath(p)}: it is not a directory")
    return p


# ------------------------------------------------------------------------------------- files


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mkdirs(d: Path) -> None:
    try:
        d.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise RuntimeFailure(f"cannot write into {os.fspath(d)}: it is not a directory") from None
    except OSError as e:
        raise _cannot(d, e) from None


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on a directory (flock), so negkg processes update its manifest one at a time."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _place_new(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target``, which must not exist: hard link (fails if it appeared), else no-replace rename."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise Refused(f"refusing to overwrite {os.fspath(target)}: it appeared while negkg was writing") from None
    except OSError:  # file systems without hard links
        if not _rename2(tmp, target, exchange=False):
            if os.path.lexists(target):
                raise Refused(f"refusing to overwrite {os.fspath(target)}: it appeared while negkg was writing") from None
            os.rename(tmp, target)
        return
    os.unlink(tmp)


def _commit_file(tmp: Path, target: Path, force: bool, signature: str | None) -> None:
    digest = _sha256(tmp)
    with _locked(target.parent):
        check_target(target, force=force, signature=signature)  # again, now that other negkg processes wait
        m = _Manifest(target.parent)
        m.files[target.name] = [*m.files.get(target.name, []), digest]  # old and new both ours until the rename
        m.save()
        try:
            if os.path.lexists(target):
                os.replace(tmp, target)
            else:
                _place_new(tmp, target)
        except OSError as e:
            raise _cannot(target, e) from None
        m.files[target.name] = [digest]
        m.save()


@contextlib.contextmanager
def atomic_path(target: PathLike, *, force: bool | None = None, signature: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block succeeds, the file there replaces ``target``.

    The target is checked first (:func:`check_target`); on any error the temporary file is removed.
    """
    target = Path(target)
    force = _forced(force)
    check_target(target, force=force, signature=signature)
    _mkdirs(target.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=target.parent)
    except OSError as e:
        raise _cannot(target, e) from None
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            yield tmp
            if tmp.is_file():  # mkstemp makes 0600; give the file the mode any new file would get
                os.chmod(tmp, 0o666 & ~_umask())
        except OSError as e:
            raise _cannot(target, e) from None
        _commit_file(tmp, target, force, signature)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def atomic_write(target: PathLike, data: str | bytes, *, force: bool | None = None, signature: str | None = None) -> Path:
    """Write text (UTF-8) or bytes to ``target`` atomically, under the rules above; return the path."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as e:
            from kg.errors import InvalidInput

            bad = data[e.start]
            raise InvalidInput(f"cannot write {os.fspath(target)}: the text holds U+{ord(bad):04X}, which is not "
                               "valid Unicode (an unpaired surrogate)") from None
    with atomic_path(target, force=force, signature=signature) as tmp:
        tmp.write_bytes(data)
    return Path(target)


# ------------------------------------------------------------------------------------- directories


def _libc_rename2() -> Callable[[bytes, bytes, int], int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        f = libc.renameat2
        return lambda a, b, flags: f(-100, a, -100, b, flags)  # AT_FDCWD
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        f = libc.renamex_np
        return lambda a, b, flags: f(a, b, {1: 0x4, 2: 0x2}[flags])  # RENAME_EXCL, RENAME_SWAP
    return None


_RENAME2 = _libc_rename2()


def _rename2(src: Path, dst: Path, *, exchange: bool) -> bool:
    """Exchange ``src`` and ``dst`` (or move ``src`` to a ``dst`` that must not exist) in one system call.

    Returns False when the system or the file system has no such call; raises OSError on a real failure.
    """
    if _RENAME2 is None:
        return False
    if _RENAME2(os.fsencode(src), os.fsencode(dst), 2 if exchange else 1) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(dst))


def _swap_in(new: Path, target: Path) -> bool:
    """Put directory ``new`` at ``target``; return True if the old output now sits at ``new``."""
    if not os.path.lexists(target):
        if not _rename2(new, target, exchange=False):
            os.rename(new, target)  # replaces at most an empty directory that appeared meanwhile
        return False
    if not _rename2(new, target, exchange=True):  # no exchange call: two renames (see docs/security.md)
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=target.parent))
        os.rmdir(aside)
        os.rename(target, aside)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(aside, target)
            raise
        os.rename(aside, new)
    return True


def _discard(old: Path, force: bool) -> None:
    """Remove an output that was replaced: with ``force`` entirely, else only the files its manifest lists."""
    if old.is_symlink() or not old.is_dir():
        old.unlink()
        return
    if force:
        shutil.rmtree(old)
        return
    m = _Manifest(old)
    for root, dirs, files in os.walk(old, topdown=False):
        for name in files:
            full = Path(root) / name
            key = full.relative_to(old).as_posix()
            if key == MANIFEST or (not full.is_symlink() and m.owns(key, full)):
                full.unlink()
        for name in dirs:
            with contextlib.suppress(OSError):
                os.rmdir(Path(root) / name)
    try:
        old.rmdir()
    except OSError:
        _log.warning("kept %s: files appeared there that negkg did not write", old)


def _write_manifest_of(d: Path) -> None:
    m = _Manifest(d)
    m.files = {}
    for root, _, files in os.walk(d):
        for name in files:
            full = Path(root) / name
            if not full.is_symlink():
                m.files[full.relative_to(d).as_posix()] = [_sha256(full)]
    m.save()


@contextlib.contextmanager
def atomic_dir(target: PathLike, *, force: bool | None = None) -> Iterator[Path]:
    """Yield a new, empty directory beside ``target``; when the block succeeds, it replaces ``target`` at once.

    The new directory gets a manifest of its files. The old one is replaced only when it is empty or holds
    nothing but its own manifest's files (or ``force``); it is exchanged with the new one in one step, then
    its files are removed.
    """
    target = Path(target)
    force = _forced(force)
    check_target(target, kind="dir", force=force)
    _mkdirs(target.parent)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=target.parent))
    except OSError as e:
        raise _cannot(target, e) from None
    swapped = False
    try:
        try:
            yield tmp
            _write_manifest_of(tmp)
            os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
            with _locked(target.parent):
                check_target(target, kind="dir", force=force)
                swapped = _swap_in(tmp, target)
        except OSError as e:
            raise _cannot(target, e) from None
        if swapped:
            with contextlib.suppress(OSError):
                _discard(tmp, force)
    finally:
        if not swapped:
            shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------------------------- input


def read_bytes(path: PathLike, limit: int) -> bytes:
    """The content of a regular file (symbolic links followed), if it is at most ``limit`` bytes.

    Raises :class:`ReadRefused` for anything else (a FIFO, device, socket or directory; a larger file),
    without waiting on a FIFO or reading more than ``limit + 1`` bytes; OSError when it cannot be opened.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise ReadRefused(f"not a regular file ({_kind(st.st_mode)})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)  # the file opened, not the one stat() saw a moment ago
        if not stat.S_ISREG(st.st_mode):
            raise ReadRefused(f"not a regular file ({_kind(st.st_mode)})")
        if st.st_size > limit:
            raise ReadRefused(f"file is too large ({st.st_size} bytes; the limit is {limit})")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise ReadRefused(f"file is too large (more than {limit} bytes; the limit is {limit})")
    return b"".join(chunks)
