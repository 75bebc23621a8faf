"""Read and validate case files: YAML (loaded safely, with lines kept) into a checked :class:`Corpus`.

Every problem is collected with file, line and path, and reported at once; nothing is built
from invalid input.

>>> corpus = load(data_dir="tests/fixtures/mini")
>>> [c.id for c in corpus.cases], sorted(corpus.parties)
(['river-1990'], ['alpha', 'beta', 'gamma'])
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from kg import schema
from kg.errors import InvalidInput, Problem
from kg.io import ReadRefused, read_bytes
from kg.paths import data_dir as default_data_dir

__all__ = ["Corpus", "load", "validate", "read_yaml", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "MAX_PROBLEMS"]

MAX_BYTES = 5 * 1024 * 1024  #: a case file larger than this is refused
MAX_DEPTH = 32  #: deeper nesting than this is refused (the format needs 6)
MAX_NODES = 50_000  #: a file with more YAML nodes is refused (the largest shipped case has about 2,000)
MAX_PROBLEMS = 100  #: problems listed per file; the rest are counted
PARALLEL_FROM = 200  #: parse on several processes from this many case files
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Lines = dict[tuple[Any, ...], int]


@dataclass
class Corpus:
    """Validated input: the party and source registries and the cases, sorted by id."""

    parties: dict[str, schema.PartyDoc]
    sources: dict[str, schema.SourceDoc]  # global ids, plus case-local ones as "case/slug"
    cases: list[schema.CaseDoc]
    files: dict[str, str] = field(default_factory=dict)  # case id -> file
    dataset: schema.DatasetDoc | None = None  # data/dataset.yaml, when the data directory has one

    def case(self, case_id: str) -> schema.CaseDoc:
        """The case with this id (KeyError if absent)."""
        for c in self.cases:
            if c.id == case_id:
                return c
        raise KeyError(case_id)

    def source_id(self, case_id: str, slug: str) -> str:
        """Resolve a citation's source slug inside a case to its corpus-wide id."""
        local = f"{case_id}/{slug}"
        return local if local in self.sources else slug


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # different drive
        return str(path)


def _fmt_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a mapping key (the key is the previous part)
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: Any, limit: int = 80) -> str:
    """A value as shown in a message: its repr, cut to ``limit`` characters with the full length given."""
    text = repr(value)
    size = len(value) if hasattr(value, "__len__") else len(text)
    return text if len(text) <= limit else f"{text[: limit - 20]}... [{size} characters]"


def read_yaml(path: Path, name: str | None = None) -> tuple[Any, Lines]:
    """Parse one YAML file safely; return the data and a map from path tuple to line number.

    Refuses what the format never needs and attackers like: anything but a regular file (a FIFO,
    a device; read through :func:`kg.io.read_bytes`, never more than :data:`MAX_BYTES`), anchors
    and aliases ("billion laughs"), duplicate keys, more than :data:`MAX_NODES` nodes, nesting over
    :data:`MAX_DEPTH`, explicit tags other than the core ones, values their tag cannot construct
    (``2001-02-30``, ``!!int abc``), binary and non-UTF-8 content. Raises :class:`InvalidInput` with
    located problems.
    """
    name = name or _display(path)
    try:
        raw = read_bytes(path, MAX_BYTES)
    except ReadRefused as e:
        raise InvalidInput([Problem(name, 0, "", str(e))]) from None
    except OSError as e:
        raise InvalidInput([Problem(name, 0, "", f"cannot read file: {e.strerror or e}")]) from None
    if b"\x00" in raw:
        raise InvalidInput([Problem(name, 0, "", "binary file (contains NUL bytes); expected UTF-8 YAML text")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InvalidInput(
            [Problem(name, line, "", f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})")]
        ) from None
    if not text.strip():
        raise InvalidInput([Problem(name, 0, "", "file is empty")])
    if (line := _too_many_nodes(text)) is not None:
        raise InvalidInput([Problem(name, line, "", f"too many YAML nodes (the limit is {MAX_NODES} per file)")])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        problems: list[Problem] = []
        lines: Lines = {}
        data = None if node is None else _walk(loader, node, (), 0, set(), lines, problems, name)
        if problems:
            raise InvalidInput(problems)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = " ".join(str(x) for x in (e.context, e.problem) if x)
        raise InvalidInput([Problem(name, (mark.line + 1) if mark else 0, "", f"YAML syntax error: {msg}")]) from None
    except yaml.YAMLError as e:
        raise InvalidInput([Problem(name, 0, "", f"YAML error: {e}")]) from None
    except RecursionError:
        raise InvalidInput([Problem(name, 0, "", f"nesting is too deep (the limit is {MAX_DEPTH})")]) from None
    finally:
        loader.dispose()
    return data, lines


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _too_many_nodes(text: str) -> int | None:
    """The line where a document passes :data:`MAX_NODES` nodes, or None (also for a syntax error: reported later).

    Every node after the first needs a separator (``:``, ``?``, ``-``, ``,``, ``[`` or ``{``), so a cheap count
    of those bounds the nodes; only a file over that bound is parsed, as events, up to the limit.
    """
    bound = 1 + sum(2 * text.count(c) if c in ":?" else text.count(c) for c in ":?-,[{")
    if bound <= MAX_NODES:
        return None
    n = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _NODE_EVENTS):
                n += 1
                if n > MAX_NODES:
                    return event.start_mark.line + 1
    except yaml.YAMLError:
        return None
    return None


def _construct(loader: Any, node: yaml.ScalarNode, where: tuple[str, int, str], problems: list[Problem]) -> Any:
    """The value of a scalar; a value its tag cannot hold (``2001-02-30``, ``!!int abc``) is one located problem."""
    if node.tag == _STR:
        return node.value
    try:
        return loader.construct_object(node)
    except yaml.MarkedYAMLError:
        raise
    except Exception as e:  # constructors raise ValueError, KeyError, OverflowError, ...
        if node.tag.endswith(":timestamp"):  # e.g. "day is out of range for month"
            msg = f"not a valid date {node.value!r} ({(str(e).strip().splitlines() or ['impossible date'])[0]})"
        else:
            msg = f"not a valid {node.tag.rpartition(':')[2]} {node.value!r}"
        problems.append(Problem(where[0], where[1], where[2], msg))
        return None


_STR = "tag:yaml.org,2002:str"
_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))


def _walk(
    loader: Any,
    node: yaml.Node,
    path: tuple[Any, ...],
    depth: int,
    seen: set[int],
    lines: Lines,
    problems: list[Problem],
    name: str,
) -> Any:
    """Construct the data in one pass, recording lines and refusing aliases, merge keys, duplicate keys, deep nesting."""
    line = node.start_mark.line + 1
    lines[path] = line
    if id(node) in seen:
        problems.append(Problem(name, line, _fmt_path(path), "anchors and aliases are not allowed in case files"))
        raise InvalidInput(problems)
    seen.add(id(node))
    if depth > MAX_DEPTH:
        problems.append(Problem(name, line, _fmt_path(path), f"nesting is too deep (the limit is {MAX_DEPTH})"))
        raise InvalidInput(problems)
    if node.tag not in _TAGS:
        problems.append(Problem(name, line, _fmt_path(path), f"YAML tags are not allowed (found {node.tag!r})"))
        raise InvalidInput(problems)
    if isinstance(node, yaml.ScalarNode):
        return _construct(loader, node, (name, line, _fmt_path(path)), problems)
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*path, i), depth + 1, seen, lines, problems, name) for i, item in enumerate(node.value)]
    out: dict[Any, Any] = {}
    first: dict[Any, int] = {}
    for k, v in node.value:
        kline = k.start_mark.line + 1
        if k.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem(name, kline, _fmt_path(path), "merge keys ('<<') are not allowed"))
            raise InvalidInput(problems)
        if not isinstance(k, yaml.ScalarNode):
            problems.append(Problem(name, kline, _fmt_path(path), "keys must be plain scalars"))
            raise InvalidInput(problems)
        before = len(problems)
        key = _construct(loader, k, (name, kline, _fmt_path(path)), problems)
        if len(problems) > before:
            continue
        if key in first:
            problems.append(Problem(name, kline, _fmt_path((*path, key)), f"duplicate key {key!r} (first on line {first[key]})"))
            continue
        first[key] = kline
        out[key] = _walk(loader, v, (*path, key), depth + 1, seen, lines, problems, name)
    return out


def _line(lines: Lines, loc: tuple[Any, ...]) -> int:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


_PATTERNS = {
    schema.SLUG: "not a valid id {input!r} (use lowercase letters, digits and single hyphens)",
    schema.QID: "not a Wikidata QID {input!r} (expected Q followed by digits, e.g. Q79)",
    schema.URL: "not an http(s) URL {input!r} (no spaces, quotes, angle brackets or backslashes; percent-encode them)",
    schema.CASE_REF: "not a reference to another case's item {input!r} (expected 'case-id/slug')",
    schema.CURRENCY: "not an ISO 4217 currency code {input!r} (three capital letters, e.g. USD)",
}
_CITED = "missing sources: at least one citation (source and locator) is required"


def _message(err: dict[str, Any]) -> str:
    """A short, specific message for one pydantic error."""
    kind, msg, loc = err["type"], err["msg"], err["loc"]
    field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    value = err.get("input")
    if kind == "extra_forbidden":
        return f"unknown field {loc[-1]!r}"
    if kind == "missing":
        return _CITED if loc[-1] == "sources" else f"missing required field {loc[-1]!r}"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind == "too_short" and isinstance(value, list) and not value:
        return _CITED if field_name == "sources" else "must not be empty"
    if kind == "string_pattern_mismatch" and (tpl := _PATTERNS.get(err.get("ctx", {}).get("pattern", ""))):
        return tpl.format(input=value)
    msg = msg[0].lower() + msg[1:]
    if isinstance(value, dict):
        return f"{msg} (got a mapping)"
    if isinstance(value, list):
        return f"{msg} (got a list)"
    return f"{msg} (got {_shown(value)})"


def _model(cls: type[BaseModel], data: Any, lines: Lines, name: str) -> tuple[Any, list[Problem]]:
    try:
        return cls.model_validate(data), []
    except ValidationError as e:
        probs = []
        for err in e.errors():
            loc = tuple(err["loc"])
            probs.append(Problem(name, _line(lines, loc), _fmt_path(loc), _message(err)))
        return None, probs


def _is_dir(p: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(p).st_mode)
    except (OSError, ValueError):
        return False


def _case_files(paths: Iterable[Path], problems: list[Problem]) -> list[Path]:
    """The case files of files and directories (a data directory means its cases/), sorted, without repeats.

    What cannot be listed (a missing path, an unreadable directory) is one problem each; each file is
    checked when it is read (:func:`read_yaml`: a symlink loop or a FIFO is one problem there).
    """
    found: dict[str, Path] = {}
    for p in paths:
        try:
            st = os.stat(p)
        except FileNotFoundError:
            problems.append(Problem(_display(p), 0, "", "no such file or directory"))
            continue
        except (OSError, ValueError) as e:
            problems.append(Problem(_display(p), 0, "", f"cannot read: {getattr(e, 'strerror', None) or e}"))
            continue
        if not stat.S_ISDIR(st.st_mode):
            found.setdefault(os.path.realpath(p), p)
            continue
        root = p / "cases" if os.path.exists(p / "parties.yaml") else p
        try:
            names = sorted(e.name for e in os.scandir(root) if e.name.endswith((".yaml", ".yml")))
        except OSError as e:
            problems.append(Problem(_display(root), 0, "", f"cannot read directory: {e.strerror or e}"))
            continue
        for n in [n for n in names if n.endswith(".yaml")] + [n for n in names if n.endswith(".yml")]:
            found.setdefault(os.path.realpath(root / n), root / n)
    return [found[k] for k in sorted(found)]


def _registry_problems(
    pfile: str,
    plines: Lines,
    pdoc: schema.PartiesFile | None,
    sfile: str,
    slines: Lines,
    sdoc: schema.SourcesFile | None,
    parties: dict[str, schema.PartyDoc],
    sources: dict[str, schema.SourceDoc],
) -> list[Problem]:
    probs: list[Problem] = []
    if pdoc:
        first: dict[str, int] = {}
        for i, p in enumerate(pdoc.parties):
            ln = _line(plines, ("parties", i, "id"))
            if p.id in parties:
                probs.append(Problem(pfile, ln, f"parties[{i}].id", f"duplicate party id {p.id!r} (first on line {first[p.id]})"))
            else:
                parties[p.id], first[p.id] = p, ln
        for i, p in enumerate(pdoc.parties):
            for j, m in enumerate(p.member_of):
                if m not in parties:
                    probs.append(
                        Problem(
                            pfile,
                            _line(plines, ("parties", i, "member_of", j)),
                            f"parties[{i}].member_of[{j}]",
                            f"unknown party {m!r}",
                        )
                    )
        probs += _membership_cycles(pfile, plines, pdoc)
    if sdoc:
        first = {}
        for i, s in enumerate(sdoc.sources):
            ln = _line(slines, ("sources", i, "id"))
            if s.id in sources:
                probs.append(
                    Problem(sfile, ln, f"sources[{i}].id", f"duplicate source id {s.id!r} (first on line {first[s.id]})")
                )
            else:
                sources[s.id], first[s.id] = s, ln
    return probs


def _membership_cycles(pfile: str, plines: Lines, pdoc: schema.PartiesFile) -> list[Problem]:
    """A party may not be, through member_of links, a member of itself."""
    members = {p.id: list(p.member_of) for p in pdoc.parties}
    probs, reported = [], set()
    for i, p in enumerate(pdoc.parties):
        path, stack, seen = [p.id], [(p.id, iter(members.get(p.id, [])))], {p.id}
        while stack:
            _, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                path.pop()
                continue
            if nxt == p.id:
                cycle = frozenset(path)
                if cycle not in reported:
                    reported.add(cycle)
                    probs.append(
                        Problem(pfile, _line(plines, ("parties", i, "member_of")), f"parties[{i}].member_of",
                                f"membership cycle: {' -> '.join([*path, p.id])}")
                    )
                continue
            if nxt in seen or nxt not in members:
                continue
            seen.add(nxt)
            path.append(nxt)
            stack.append((nxt, iter(members[nxt])))
    return probs


_NOT_PARTICIPANT = " (not a participant of this case: add it under parties)"


@dataclass(frozen=True)
class CrossRef:
    """A reference from one case into another (lineage), checked once every case is read."""

    kind: str  # "negotiation" or "interest"
    value: str
    file: str
    line: int
    path: str
    holders: frozenset[str] = frozenset()  # for an interest: the parties holding the referring interest


def _check_case(
    c: schema.CaseDoc, name: str, lines: Lines, party_ids: frozenset[str], source_ids: frozenset[str]
) -> tuple[list[Problem], list[CrossRef]]:
    """Cross-reference checks inside one case (ids, references, sources); the references into other cases."""
    probs: list[Problem] = []
    xrefs: list[CrossRef] = []

    def bad(loc: tuple[Any, ...], msg: str) -> None:
        probs.append(Problem(name, _line(lines, loc), _fmt_path(loc), msg))

    ids: dict[str, tuple[Any, ...]] = {}

    def define(slug: str, loc: tuple[Any, ...]) -> None:
        if slug in ids:
            bad((*loc, "id"), f"duplicate id {slug!r} (first at {_fmt_path(ids[slug])}, line {_line(lines, ids[slug])})")
        else:
            ids[slug] = (*loc, "id")

    for i, s in enumerate(c.sources):
        define(s.id, ("sources", i))
        if s.id in source_ids:
            bad(("sources", i, "id"), f"source id {s.id!r} is already defined in the shared sources registry")
    local_sources = {s.id for s in c.sources}
    issues = {x.id for x in c.issues}
    interests = {x.id for x in c.interests}
    provisions = {p.id for a in c.agreements for p in a.provisions}
    for i, x in enumerate(c.issues):
        define(x.id, ("issues", i))
    for i, x in enumerate(c.interests):
        define(x.id, ("interests", i))
    for i, x in enumerate(c.positions):
        define(x.id, ("positions", i))
    for i, a in enumerate(c.agreements):
        define(a.id, ("agreements", i))
        for j, p in enumerate(a.provisions):
            define(p.id, ("agreements", i, "provisions", j))

    def cite(cites: list[schema.Citation], loc: tuple[Any, ...]) -> None:
        for k, ct in enumerate(cites):
            if ct.source not in local_sources and ct.source not in source_ids:
                bad((*loc, "sources", k, "source"), f"unknown source {ct.source!r}")

    def ref(value: str, known: set[str] | dict[str, Any], kind: str, loc: tuple[Any, ...], note: str = "") -> None:
        if value not in known:
            bad(loc, f"unknown {kind} {value!r}{note}")

    participants: dict[str, int] = {}
    for i, p in enumerate(c.parties):
        if p.party not in party_ids:
            bad(("parties", i, "party"), f"unknown party {p.party!r} (not in the parties registry)")
        if p.party in participants:
            bad(("parties", i, "party"), f"party {p.party!r} is listed twice (first at parties[{participants[p.party]}])")
        participants.setdefault(p.party, i)
        cite(p.sources, ("parties", i))
    for i, x in enumerate(c.interests):
        seen: set[str] = set()
        for j, h in enumerate(x.holders):
            loc = ("interests", i, "holders", j)
            ref(h.party, participants, "party", (*loc, "party"), _NOT_PARTICIPANT)
            if h.party in seen:
                bad((*loc, "party"), f"party {h.party!r} holds this interest twice")
            seen.add(h.party)
            cite(h.sources, loc)
        for j, ct in enumerate(x.continues):
            loc = ("interests", i, "continues", j)
            cite(ct.sources, loc)
            if ct.interest.split("/", 1)[0] == c.id:
                bad((*loc, "interest"), "an interest continues one of another (earlier) negotiation, not of its own")
            else:
                holders = frozenset(h.party for h in x.holders)
                xrefs.append(CrossRef("interest", ct.interest, name, _line(lines, (*loc, "interest")),
                                      _fmt_path((*loc, "interest")), holders))
    for j, f in enumerate(c.follows):
        loc = ("follows", j)
        cite(f.sources, loc)
        if f.negotiation == c.id:
            bad((*loc, "negotiation"), "a negotiation cannot follow itself")
        else:
            xrefs.append(CrossRef("negotiation", f.negotiation, name, _line(lines, (*loc, "negotiation")),
                                  _fmt_path((*loc, "negotiation"))))
    for i, x in enumerate(c.positions):
        loc = ("positions", i)
        ref(x.party, participants, "party", (*loc, "party"), _NOT_PARTICIPANT)
        ref(x.issue, issues, "issue", (*loc, "issue"))
        for j, r in enumerate(x.reflects):
            ref(r, interests, "interest", (*loc, "reflects", j))
        cite(x.sources, loc)
    for i, a in enumerate(c.agreements):
        cite(a.sources, ("agreements", i))
        for j, p in enumerate(a.provisions):
            loc = ("agreements", i, "provisions", j)
            cite(p.sources, loc)
            for k, s in enumerate(p.addresses):
                ref(s, issues, "issue", (*loc, "addresses", k))
            for k, s in enumerate(p.serves):
                ref(s.interest, interests, "interest", (*loc, "serves", k, "interest"))
                cite(s.sources, (*loc, "serves", k))
            for k, t in enumerate(p.traded_for):
                ref(t.provision, provisions, "provision", (*loc, "traded_for", k, "provision"))
                if t.provision == p.id:
                    bad((*loc, "traded_for", k, "provision"), "a provision cannot be traded for itself")
                cite(t.sources, (*loc, "traded_for", k))
            for k, f in enumerate(p.funded_by):
                ref(f.party, participants, "party", (*loc, "funded_by", k, "party"), _NOT_PARTICIPANT)
                cite(f.sources, (*loc, "funded_by", k))
    return probs, xrefs


def _cross_case_problems(corpus: Corpus, xrefs: list[CrossRef], case_dir: Path) -> list[Problem]:
    """Lineage references must name a case of the corpus (or a case file beside it) and, when loaded, its interest.

    A continued interest must be held by a party that holds the continuing one (same party, same concern).
    """
    probs = []
    loaded = {c.id: c for c in corpus.cases}
    for x in xrefs:
        case_id, _, slug = x.value.partition("/")
        if case_id not in loaded:
            if not (case_dir / f"{case_id}.yaml").is_file():
                probs.append(Problem(x.file, x.line, x.path, f"unknown negotiation {case_id!r} (no such case in the corpus)"))
            continue
        if x.kind != "interest":
            continue
        target = next((i for i in loaded[case_id].interests if i.id == slug), None)
        if target is None:
            probs.append(Problem(x.file, x.line, x.path, f"unknown interest {x.value!r}"))
        elif not x.holders & {h.party for h in target.holders}:
            probs.append(Problem(x.file, x.line, x.path,
                                 f"interest {x.value!r} is held by none of this interest's parties (same party, same concern)"))
    return probs


def _parse(path: Path, cls: type[BaseModel]) -> tuple[Any, Lines, str, list[Problem]]:
    """Read one file and check it against its pydantic model."""
    name = _display(path)
    try:
        data, lines = read_yaml(path, name)
    except InvalidInput as e:
        return None, {}, name, e.problems
    if data is None:
        return None, {}, name, [Problem(name, 0, "", "file is empty (no YAML document)")]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        return None, {}, name, [Problem(name, 1, "", f"expected a mapping (key: value) at the top level, got {kind}")]
    doc, probs = _model(cls, data, lines, name)
    return doc, lines, name, probs


_Registries = tuple[frozenset[str], frozenset[str]]  # party ids, shared source ids


_CaseRead = tuple[schema.CaseDoc | None, str, int, list[Problem], list[CrossRef]]


def _case_file(path: Path, registries: _Registries) -> _CaseRead:
    """Parse and check one case file: (document, display name, line of its id, problems, references to other cases)."""
    doc, lines, name, problems = _parse(path, schema.CaseDoc)
    if doc is None:
        return None, name, 0, problems, []
    if path.stem != doc.id:
        problems.append(
            Problem(name, _line(lines, ("id",)), "id", f"case id {doc.id!r} does not match the file name {path.name!r}")
        )
    probs, xrefs = _check_case(doc, name, lines, *registries)
    return doc, name, _line(lines, ("id",)), problems + probs, xrefs


def _case_files_parallel(files: list[Path], registries: _Registries) -> Iterator[_CaseRead]:
    """Parse case files, on several processes when there are many (the loader is CPU-bound)."""
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_FROM or workers < 2:
        for f in files:
            yield _case_file(f, registries)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        yield from pool.map(_case_file, files, [registries] * len(files), chunksize=32)


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most :data:`MAX_PROBLEMS` problems per file (the first ones), and one line counting the rest."""
    by_file: dict[str, list[Problem]] = {}
    for p in sorted(problems):
        by_file.setdefault(p.file, []).append(p)
    out: list[Problem] = []
    for f, ps in by_file.items():
        out += ps[:MAX_PROBLEMS]
        if len(ps) > MAX_PROBLEMS:
            out.append(Problem(f, 0, "", f"{len(ps)} problems; only the first {MAX_PROBLEMS} are listed"))
    return out


def load(paths: Iterable[str | os.PathLike[str]] | None = None, data_dir: str | os.PathLike[str] | None = None) -> Corpus:
    """Read, validate and return the corpus; raise :class:`InvalidInput` listing every problem.

    ``data_dir`` holds ``parties.yaml``, ``sources.yaml`` and ``cases/``; ``paths`` (case files
    or directories) default to its ``cases/``. A path that is a data directory brings its own
    registries.
    """
    paths = [Path(p) for p in (paths or [])]
    if data_dir is None:
        roots = [p for p in paths if _is_dir(p) and os.path.exists(p / "parties.yaml")]
        data_dir = roots[0] if len(roots) == 1 else default_data_dir()
    root = Path(data_dir)
    problems: list[Problem] = []
    if not paths:
        paths = [root / "cases"]

    pdoc, plines, pname, probs = _parse(root / "parties.yaml", schema.PartiesFile)
    problems += probs
    sdoc, slines, sname, probs = _parse(root / "sources.yaml", schema.SourcesFile)
    problems += probs
    corpus = Corpus(parties={}, sources={}, cases=[])
    if (root / "dataset.yaml").exists():
        corpus.dataset, _, _, probs = _parse(root / "dataset.yaml", schema.DatasetDoc)
        problems += probs
    problems += _registry_problems(pname, plines, pdoc, sname, slines, sdoc, corpus.parties, corpus.sources)
    registries = (frozenset(corpus.parties), frozenset(corpus.sources))

    files = _case_files(paths, problems)
    cases: list[schema.CaseDoc] = []
    xrefs: list[CrossRef] = []
    for doc, name, id_line, probs, refs in _case_files_parallel(files, registries):
        problems += probs
        xrefs += refs
        if doc is None:
            continue
        if doc.id in corpus.files:
            problems.append(Problem(name, id_line, "id", f"duplicate case id {doc.id!r} (also in {corpus.files[doc.id]})"))
            continue
        corpus.files[doc.id] = name
        cases.append(doc)
        for s in doc.sources:
            corpus.sources.setdefault(f"{doc.id}/{s.id}", s)
    corpus.cases = sorted(cases, key=lambda c: c.id)
    problems += _cross_case_problems(corpus, xrefs, root / "cases")
    if problems:
        raise InvalidInput(_capped(problems))
    return corpus


def validate(
    paths: Iterable[str | os.PathLike[str]] | None = None, data_dir: str | os.PathLike[str] | None = None
) -> list[Problem]:
    """Every problem in the input (an empty list when it is valid)."""
    try:
        load(paths, data_dir)
    except InvalidInput as e:
        return e.problems
    return []
