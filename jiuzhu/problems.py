"""Problems as values: each carries its source position so any check can point at a line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, TypeVar

Severity = Literal["error", "warning"]
_R = TypeVar("_R")


def fast_pickle(cls: type[_R]) -> type[_R]:
    """Give a NamedTuple class a reduce that unpickles with one C call (`tuple.__new__`), skipping
    the class's Python `__new__`: records are the bulk of what the parse cache reads back."""
    def reduce(self: Any) -> tuple[Any, ...]:
        return (tuple.__new__, (cls, tuple(self)))

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


@fast_pickle
class Pos(NamedTuple):
    """A 1-based position in a registry file (path relative to the registry root, POSIX style)."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the validator: where, a stable code, a Chinese message and a fix hint."""

    pos: Pos
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    # True for a consequence of another error (a reference into a file that failed to load):
    # validate drops these so the user sees the cause, not a cascade.
    secondary: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.pos.file, self.pos.line, self.pos.column, self.code)


def error(pos: Pos, code: str, message: str, hint: str = "") -> Problem:
    return Problem(pos, code, message, hint, "error")


def warning(pos: Pos, code: str, message: str, hint: str = "") -> Problem:
    return Problem(pos, code, message, hint, "warning")


def nearest(value: str, candidates: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The closest candidate to `value`, for "did you mean" hints (None when nothing is close)."""

    found = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.5)
    return found[0] if found else None
