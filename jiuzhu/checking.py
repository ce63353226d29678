"""What every check shares: its signature, its context, and the two problems every feature reports
(a reference that does not resolve, an id that is not its file's name). Feature modules import
this, never `jiuzhu.validate`, which imports them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jiuzhu.model import Registry
from jiuzhu.problems import Pos, Problem, error, nearest

Check = Callable[[Registry, "Context"], Iterable[Problem]]


@dataclass(frozen=True)
class Context:
    """What checks may need beyond the registry itself."""

    as_of: dt.date


def unresolved(pos: Pos, label: str, value: str, candidates: Iterable[str]) -> Problem:
    """A reference that does not resolve, with the nearest valid id as a hint. When `candidates` is
    an `Index` some of whose files failed to load, the problem is marked secondary (`run` drops it):
    the id may be defined in the broken file, whose own error is the one to fix. A secondary
    problem is never shown, so it is not given the nearest id (a search over all the candidates)."""
    secondary = bool(getattr(candidates, "incomplete", False))
    near = None if secondary else nearest(value, list(candidates))
    hint = f"你是不是想写“{near}”？" if near else "检查拼写，或先在登记册中添加它。"
    return Problem(pos, "unresolved-ref", f"{label}“{value}”不存在", hint, secondary=secondary)


def id_matches_file(doc: Any, ident: str, label: str, key: str = "id") -> Iterator[Problem]:
    """The id of a one-record file is its file name: git shows the id, the file is found by it.
    `label` names the id in Chinese (单位标识, 会议编号 …); `key` is the field holding it."""
    stem = doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem != ident:
        yield error(doc.at(key), "id-file-mismatch", f"{label}“{ident}”与文件名“{stem}.yaml”不一致",
                    f"把文件改名为 {ident}.yaml，或把 {key} 改为 {stem}。")
