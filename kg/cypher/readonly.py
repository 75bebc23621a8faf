"""Refuse Cypher that writes, before it runs: a conservative check of the statement's clauses.

The text is tokenized the way Cypher reads it (string literals, backquoted names and comments are
skipped), so a keyword inside a string (``'SET'``), a comment, a property (``n.set``), a label or a
relationship type (``:Set``), a parameter (``$create``) or a map key (``{delete: 1}``) never counts.
Any other occurrence of a writing or administrative keyword refuses the statement, and so does a
second statement after ``;``. This is the first of two gates: the engine then checks again with its
own planner (Neo4j: ``EXPLAIN`` and the summary's query type; LadybugDB: a read-only database).

>>> check("MATCH (n:Party) WHERE n.name = 'SET x' RETURN n.id // DELETE")
>>> check("MATCH (n) DETACH DELETE n")
Traceback (most recent call last):
...
kg.errors.UsageError: refused: this statement writes (DETACH); only read-only Cypher runs here
>>> check("CALL show_tables() RETURN *", engine="ladybug")
>>> check("CALL threads=1", engine="ladybug")
Traceback (most recent call last):
...
kg.errors.UsageError: refused: CALL threads is not a read-only procedure of the embedded engine
"""

from __future__ import annotations

import re

from kg.errors import UsageError

__all__ = ["WRITE_KEYWORDS", "READ_CALLS", "words", "tokens", "check", "rename_parameters", "null_property"]

#: clauses and commands that write data or schema, change settings, or reach outside the database
WRITE_KEYWORDS: frozenset[str] = frozenset(
    {
        *("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "RENAME", "INSERT", "FOREACH"),
        *("COPY", "LOAD", "IMPORT", "EXPORT", "INSTALL", "UNINSTALL", "ATTACH"),
        *("BEGIN", "COMMIT", "ROLLBACK", "CHECKPOINT", "GRANT", "DENY", "REVOKE", "START", "STOP", "TERMINATE"),
    }
)

#: LadybugDB table functions that only read (``CALL name(...)``); anything else after CALL is refused there
READ_CALLS: frozenset[str] = frozenset(
    {"show_tables", "table_info", "show_connection", "db_version", "show_functions", "show_macro", "show_indexes",
     "show_sequences", "show_warnings", "current_setting", "show_loaded_extensions", "show_official_extensions"}
)

_LEX = re.compile(
    r"""
      (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<name>`(?:[^`]|``)*`)
    | (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokens(text: str) -> list[re.Match[str]]:
    """The statement's tokens (strings, backquoted names, words, symbols) without comments, as regex matches
    whose ``lastgroup`` is the kind and ``start()``/``end()`` the position in ``text``."""
    return [m for m in _LEX.finditer(text) if m.lastgroup != "comment"]


def words(text: str) -> list[tuple[str, str, str]]:
    """Each bare word outside strings, names and comments, with the symbols just before and after it.

    >>> [w for w, _, _ in words("MATCH (n {set: 'CREATE'}) /* DROP */ RETURN n.delete")]
    ['MATCH', 'n', 'set', 'RETURN', 'n', 'delete']
    """
    tokens: list[tuple[str, str]] = []
    for m in _LEX.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "comment":
            continue
        tokens.append((kind, m.group()))
    out = []
    for i, (kind, tok) in enumerate(tokens):
        if kind == "word":
            before = tokens[i - 1][1] if i > 0 else ""
            after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            out.append((tok, before, after))
    return out


def _statements(text: str) -> int:
    parts, current = 0, False
    for m in _LEX.finditer(text):
        if m.lastgroup == "comment":
            continue
        if m.group() == ";":
            parts += current
            current = False
        else:
            current = True
    return parts + current


def check(text: str, engine: str = "neo4j") -> None:
    """Raise :class:`UsageError` unless ``text`` is one statement with no writing clause.

    On ``engine="ladybug"`` a ``CALL`` must name a read-only table function of :data:`READ_CALLS`;
    on Neo4j procedures are judged by ``EXPLAIN`` (see :mod:`kg.cypher.neo4j`).
    """
    if _statements(text) > 1:
        raise UsageError("refused: give one statement at a time (no ';' between statements)")
    if _statements(text) == 0:
        raise UsageError("empty Cypher statement")
    ws = words(text)
    for i, (w, before, after) in enumerate(ws):
        if before in (".", ":", "$") or after == ":":
            continue  # a property, label/type, parameter or map key, not a clause
        up = w.upper()
        if up in WRITE_KEYWORDS:
            raise UsageError(f"refused: this statement writes ({up}); only read-only Cypher runs here")
        if up == "CALL" and engine == "ladybug":
            name = ws[i + 1][0] if i + 1 < len(ws) else ""
            if name.lower() not in READ_CALLS or ws[i + 1][2] != "(":
                raise UsageError(f"refused: CALL {name} is not a read-only procedure of the embedded engine")


def rename_parameters(text: str, prefix: str) -> str:
    """``text`` with every parameter ``$name`` renamed ``$<prefix>name`` (strings and comments untouched).

    LadybugDB cannot parse a parameter named like a keyword (``$case``); the embedded engine renames them.

    >>> rename_parameters("MATCH (n) WHERE n.id = $case AND n.x = '$case' RETURN n // $case", "p_")
    "MATCH (n) WHERE n.id = $p_case AND n.x = '$case' RETURN n // $case"
    """
    out, last, prev = [], 0, None
    for m in _LEX.finditer(text):
        if m.lastgroup == "comment":
            continue
        if m.lastgroup in ("word", "name") and prev is not None and prev.group() == "$" and prev.end() == m.start():
            name = m.group().strip("`").replace("``", "`")
            out.append(text[last : m.start()])
            out.append(prefix + name if re.fullmatch(r"\w+", name) else f"`{prefix}{name}`")
            last = m.end()
        prev = m
    out.append(text[last:])
    return "".join(out)


_ITEM_END = frozenset({"ORDER", "SKIP", "LIMIT", "UNION"})


def null_property(text: str, var: str, prop: str) -> str:
    """``text`` with every ``var.prop`` read as null: a whole ``RETURN`` item becomes ``NULL AS `var.prop```
    (the column keeps its name), any other occurrence ``NULL``. Strings and comments are untouched.

    The embedded engine refuses a property its schema lacks where Neo4j reads null; this makes them agree.

    >>> null_property("MATCH (p) WHERE p.x = 'p.x' RETURN p.x, coalesce(p.x, 1) AS c ORDER BY p.x", "p", "x")
    "MATCH (p) WHERE NULL = 'p.x' RETURN NULL AS `p.x`, coalesce(NULL, 1) AS c ORDER BY NULL"
    """
    toks = tokens(text)
    out, last, depth, clause = [], 0, 0, ""
    i = 0
    while i < len(toks):
        t = toks[i].group()
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        elif toks[i].lastgroup == "word" and depth == 0 and (i == 0 or toks[i - 1].group() != "."):
            clause = t.upper() if t.upper() in ("RETURN", "WITH", "WHERE", "ORDER", "MATCH", "UNWIND") else clause
        prop_at = (
            toks[i].lastgroup in ("word", "name") and toks[i].group().strip("`") == var
            and i + 2 < len(toks) and toks[i + 1].group() == "." and toks[i + 2].group().strip("`") == prop
            and (i == 0 or toks[i - 1].group() != ".")
        )
        if not prop_at:
            i += 1
            continue
        before = toks[i - 1].group().upper() if i else ""
        after = toks[i + 3].group().upper() if i + 3 < len(toks) else ""
        whole = clause == "RETURN" and depth == 0 and before in ("RETURN", "DISTINCT", ",") and (
            after in ("", ",", ";") or after in _ITEM_END)
        out.append(text[last:toks[i].start()])
        out.append(f"NULL AS `{var}.{prop}`" if whole else "NULL")
        last = toks[i + 2].end()
        i += 3
    out.append(text[last:])
    return "".join(out)
