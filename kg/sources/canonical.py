"""The canonical form of case files, and the YAML writer that prints it.

A case file's canonical form is what the graph records of it, written back by
:mod:`kg.sources.cases`: the same facts, in a fixed layout —

- keys in the order of the models in :mod:`kg.schema`; empty values (None, ``[]``, ``{}``) left out;
- every list sorted as the graph keeps it: issues, interests, positions, agreements and
  provisions by id, participants and holders by party, citations by source then locator,
  mechanisms, reflects and addresses by id;
- a doubt attached to one citation of a claim (a holding, a serving, ...) joins the claim's own
  ``uncertain`` note, since the graph keeps one note per claim; the note on a node's citation
  of a source is repeated on each locator of that source;
- YAML: two-space indentation, block lists at the indentation of their key (``- party: egypt``
  under ``parties:``), short lists of strings in flow style (``[a, b]``),
  long text folded (``>-``), text with line breaks as a literal block (``|``), dates quoted.

:func:`kg.sources.canonical_files` gives the canonical form of a corpus; ``negkg fmt`` prints it,
``negkg import`` writes it. Two corpora with the same canonical form build the same graph.

>>> print(dump({"id": "x", "tags": ["a", "b"], "when": "1990-05-01", "text": ("A " * 60).strip()}), end="")
id: x
tags: [a, b]
when: '1990-05-01'
text: >-
  A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A A
  A A A A A A A A A A
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

__all__ = ["dump", "plain", "WIDTH"]

WIDTH = 100  #: folded text wraps at this column
_FOLD_FROM = 80  #: text longer than this is folded
_FLOW_MAX = 70  #: a list of short strings shorter than this (joined) prints in flow style


def plain(doc: BaseModel) -> dict[str, Any]:
    """A model as plain data in its field order, without None and empty lists or mappings."""

    def conv(v: Any) -> Any:
        if isinstance(v, BaseModel):
            return {k: conv(x) for k in type(v).model_fields if (x := getattr(v, k)) is not None and x != [] and x != {}}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v

    return conv(doc)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter when present (ten times faster); both print block lists at their key's indentation."""


def _str(dumper: Any, s: str) -> yaml.Node:
    if "\n" in s:
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style="|")
    if len(s) > _FOLD_FROM and s == s.strip() and "  " not in s:
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", s)


def _list(dumper: Any, items: list[Any]) -> yaml.Node:
    simple = all(isinstance(x, str) and x and "\n" not in x for x in items)
    flow = bool(items) and simple and len(", ".join(items)) <= _FLOW_MAX
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def dump(data: dict[str, Any] | BaseModel) -> str:
    """The YAML text of a document (a model, or plain data already in canonical order)."""
    if isinstance(data, BaseModel):
        data = plain(data)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH, default_flow_style=False)
