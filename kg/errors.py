"""Errors the public API raises; the CLI maps them to exit codes (2 bad input, 1 runtime)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input, located by file, line and path inside the document."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if not where:  # a problem of no file (e.g. a writer refusing data): the message alone
            return f"{self.path}: {self.message}" if self.path else self.message
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class KGError(Exception):
    """Base class of the errors the CLI reports without a traceback."""

    exit_code = 1


class InvalidInput(KGError):
    """The input is invalid; ``problems`` lists every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", 0, "", problems)]
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(KGError):
    """A bad name or parameter given by the user (unknown case, unknown query, ...)."""

    exit_code = 2


class RuntimeFailure(KGError):
    """Something outside the input failed: a server unreachable, a credential refused."""

    exit_code = 1
