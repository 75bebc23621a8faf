"""Inter-coder agreement: raw agreement, Cohen's kappa (unweighted and linearly weighted), confusion tables.

Written here rather than taken from a statistics library: the light ones (krippendorff) and the heavy ones
(scikit-learn, statsmodels) all bring numpy, which nothing else in the project needs, for a dozen lines of
arithmetic. The tests check every coefficient against published worked examples (tests/test_reliability.py).

Cohen's kappa: ``(p_o - p_e) / (1 - p_e)``, with ``p_o`` the observed agreement and ``p_e`` the agreement expected
by chance from each coder's marginal shares. The weighted form uses disagreement weights ``|i - j| / (k - 1)``
over an ordered scale (Cohen 1968).

>>> round(cohen_kappa(["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15,
...                   ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15), 4)
0.4
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

__all__ = ["agreement", "cohen_kappa", "weighted_kappa", "confusion"]


def _check(a: Sequence[str], b: Sequence[str]) -> None:
    if len(a) != len(b) or not a:
        raise ValueError("two codings of the same, non-empty list of items are needed")


def agreement(a: Sequence[str], b: Sequence[str]) -> float:
    """The share of items both coders coded alike."""
    _check(a, b)
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two codings (1.0 when both coders used one and the same label throughout)."""
    _check(a, b)
    n = len(a)
    ca, cb = Counter(a), Counter(b)
    p_o = agreement(a, b)
    p_e = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    return 1.0 if p_e == 1 else (p_o - p_e) / (1 - p_e)


def weighted_kappa(a: Sequence[str], b: Sequence[str], scale: Sequence[str]) -> float:
    """Cohen's linearly weighted kappa over an ordered ``scale`` (every label must be on it)."""
    _check(a, b)
    rank = {v: i for i, v in enumerate(scale)}
    k, n = len(scale), len(a)
    w = lambda i, j: abs(i - j) / (k - 1)  # noqa: E731 - disagreement weight
    observed = sum(w(rank[x], rank[y]) for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(rank[x] for x in a), Counter(rank[y] for y in b)
    expected = sum(w(i, j) * ca[i] * cb[j] for i in range(k) for j in range(k)) / (n * n)
    return 1.0 if expected == 0 else 1 - observed / expected


def confusion(a: Sequence[str], b: Sequence[str]) -> tuple[list[str], list[list[int]]]:
    """The labels (sorted) and the table: row = coder A's label, column = coder B's, cell = items."""
    _check(a, b)
    labels = sorted(set(a) | set(b))
    pos = {v: i for i, v in enumerate(labels)}
    table = [[0] * len(labels) for _ in labels]
    for x, y in zip(a, b, strict=True):
        table[pos[x]][pos[y]] += 1
    return labels, table
