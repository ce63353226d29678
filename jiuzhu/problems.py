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
    # What the message is about (a unit's or an area's name, as it appears in the message): warnings
    # that differ only in it are shown as one line naming them all (see `grouped`).
    subject: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.pos.file, self.pos.line, self.pos.column, self.code)


def error(pos: Pos, code: str, message: str, hint: str = "") -> Problem:
    return Problem(pos, code, message, hint, "error")


def warning(pos: Pos, code: str, message: str, hint: str = "", subject: str = "") -> Problem:
    return Problem(pos, code, message, hint, "warning", subject=subject)


@dataclass(frozen=True)
class Group:
    """Warnings of one code that say the same thing about different subjects (or the very same
    thing in different places), shown as one line: the first place, how many, and every subject."""

    problems: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        return self.problems[0]

    @property
    def message(self) -> str:
        subjects = [p.subject for p in self.problems if p.subject]
        if len(subjects) == len(self.problems):
            return self.first.message.replace(self.first.subject, "、".join(dict.fromkeys(subjects)), 1)
        return self.first.message


def _template(p: Problem) -> str:
    return p.message.replace(p.subject, "\0", 1) if p.subject and p.subject in p.message else p.message


def ordered(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    """Errors first, then warnings; each in file, line, column order."""
    return sorted(problems, key=lambda p: (not p.is_error, p.sort_key()))


def grouped(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem | Group]:
    """`ordered` problems with repeated warnings folded: those of one code, one hint and one
    message but for their subject become one `Group` where the first of them stood."""
    items = ordered(problems)
    by_key: dict[tuple[str, str, str], list[Problem]] = {}
    for p in items:
        if not p.is_error:
            by_key.setdefault((p.code, p.hint, _template(p)), []).append(p)
    out: list[Problem | Group] = []
    for p in items:
        same = by_key.get((p.code, p.hint, _template(p)), []) if not p.is_error else []
        if len(same) < 2:
            out.append(p)
        elif same[0] is p:
            out.append(Group(tuple(same)))
    return out


def nearest(value: str, candidates: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The closest candidate to `value`, for "did you mean" hints (None when nothing is close)."""

    found = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.5)
    return found[0] if found else None
