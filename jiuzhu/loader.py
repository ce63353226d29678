"""Load a registry folder: find files, parse them (read path), check their shape, build the model.

`load()` never raises for the user's mistakes: it returns the registry built from whatever is
sound plus every problem found, so `validate` can report them all at once.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu import cache
from jiuzhu.atomic import JOURNAL
from jiuzhu.errors import no_registry
from jiuzhu.listing import Listing, registry_paths
from jiuzhu.model import Index, Registry
from jiuzhu.pieces import FOLDERS, SINGLE, Piece, indexes, read_file, spec_for
from jiuzhu.problems import Pos, Problem, error, warning


@dataclass
class Loaded:
    registry: Registry
    problems: list[Problem]
    parsed: int = 0  # files parsed in this load (the rest came from the parse cache)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


# What `assign` and other questions about units and duties need: not the meetings and tasks.
FOUNDING = ("system.yaml", "areas.yaml", "calendar.yaml", "units")


def load(root: Path, only: Collection[str] | None = None, use_cache: bool = True, parallel: bool = True,
         listed: Listing | None = None, code: bytes | None = None) -> Loaded:
    """Load the registry at `root`. `only` (top-level file and folder names, e.g. FOUNDING) leaves
    the rest of the registry out. `use_cache`: read unchanged files through the parse cache
    (jiuzhu.cache); the answer is the same either way. `parallel`: parse many changed files in
    worker processes (off where the caller already runs one registry a process: jiuzhu.rollup).
    `listed`: the whole registry's listing, when the caller took one already (jiuzhu.listing.take).
    `code`: jiuzhu.cache.code_key(), when the caller has it already."""
    if not root.is_dir():
        raise no_registry(root)
    # Loading allocates hundreds of thousands of small tuples and nothing cyclic: the cyclic
    # collector would walk the growing heap again and again (two thirds of a warm 10k-task load).
    # It is paused while loading, and what was loaded is moved out of its sight afterwards.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(root, only, use_cache and only is None, parallel, listed if only is None else None, code)
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def _load(root: Path, only: Collection[str] | None, use_cache: bool, parallel: bool = True,
          listed: Listing | None = None, code: bytes | None = None) -> Loaded:
    reg = Registry(root=str(root))
    for left_out in () if only is None else (set(SINGLE) | set(FOLDERS)) - set(only):
        _mark_incomplete(reg, indexes(left_out))
    problems: list[Problem] = []
    incomplete: set[str] = set()
    stats: dict[str, os.stat_result | None] | None = {} if use_cache else None  # the cache's stat shortcut
    files = _listed(root, only, problems, incomplete, stats, listed)
    _mark_incomplete(reg, incomplete)
    pieces: list[Piece] = []
    parse_cache = cache.ParseCache(root, pool=parallel, key=code) if use_cache else None
    if parse_cache is None:
        docs = {}
        for rel, path in files:
            doc, found, piece = read_file(path, rel)
            problems.extend(found)
            if doc is not None:
                docs[rel] = doc
            pieces.append(piece)
        reg.files = docs
    else:
        parse_cache.prepare(files, stats)
        reg.files = parse_cache.gather(files, problems, pieces)
        parse_cache.close()
    _whole_registry(root, reg, problems)
    _assemble(reg, pieces, problems)
    return Loaded(reg, problems, len(files) if parse_cache is None else parse_cache.parsed)


def _listed(root: Path, only: Collection[str] | None, problems: list[Problem], incomplete: set[str],
            stats: dict[str, os.stat_result | None] | None = None,
            listed: Listing | None = None) -> list[tuple[str, str]]:
    """The registry's files jiuzhu reads, as (relative path, path); the others are reported, and
    the indexes a folder that could not be read would have filled go to `incomplete`. `stats`
    receives each file's stat as the listing (`listed`, or one taken now) took it."""
    base = os.path.join(str(root), "")
    files = []
    if listed is not None:
        paths, taken, trouble = listed
    else:
        trouble, taken = [], []
        paths = registry_paths(root, only, trouble, taken if stats is not None else None)
    if stats is not None:
        stats.update(zip(paths, taken, strict=True))
    for rel, what in trouble:
        problems.append(_FOLDER_TROUBLE[what](rel))
        incomplete.update(indexes(rel))  # what it would have held: references to it are not errors too
    for rel in paths:
        if not rel.isprintable():  # a line break in a name would forge lines in CI annotations
            problems.append(error(Pos(repr(rel)[1:-1]), "bad-file-name", "文件名中有换行或其他控制字符",
                                  "把文件改名为只含普通文字的名称。"))
        elif spec_for(rel) is None:
            problems.append(warning(Pos(rel), "unknown-file", "不认识的文件，jiuzhu 不会读取它",
                                    "登记册只含 system.yaml、areas.yaml、calendar.yaml、evaluation.yaml 和 "
                                    "units/、proposals/、meetings/、tasks/、inspections/、notices/ 下的文件。"))
        else:
            files.append((rel, base + rel))
    return files


_FOLDER_TROUBLE = {
    "unreadable": lambda rel: error(Pos(rel), "unreadable-folder", f"读不了目录 {rel}，其中的文件都没有检查",
                                    "检查目录的权限。"),
    "yaml-folder": lambda rel: error(Pos(rel), "yaml-folder", f"{rel} 是目录，不是 YAML 文件",
                                     "把它改名，或换成同名的文件。"),
    "outside": lambda rel: error(Pos(rel), "link-outside", f"{rel} 是指向登记册之外的符号链接，不会读取它",
                                 "把链接换成文件本身；登记册只读取自己目录里的文件。"),
    "dangling": lambda rel: error(Pos(rel), "link-dangling", f"{rel} 是符号链接，但它指向的文件不存在",
                                  "删除这个链接，或把它指向的文件放回原处。"),
    "linked-folder": lambda rel: error(Pos(rel), "link-folder",
                                       f"{rel} 是指向目录的符号链接，jiuzhu 不进入它，其中的文件都没有读取",
                                       "把链接换成真正的目录（或把文件移进登记册）。"),
    "special": lambda rel: error(Pos(rel), "not-a-file", f"{rel} 不是普通文件（管道、套接字或设备），不会读取它",
                                 "删除它，或换成同名的 YAML 文件。"),
}


def _whole_registry(root: Path, reg: Registry, problems: list[Problem]) -> None:
    """What only the registry as a whole can lack: a finished last write, its two required files."""
    if (root / JOURNAL).exists():
        problems.append(error(Pos(JOURNAL), "unfinished-write", "上一条修改登记册的命令被中断，修改只做了一部分",
                              "再运行一条修改登记册的命令（例如重做被中断的那一条），它会先把那次修改补完或撤销；"
                              "不要手工删除该文件。"))
    for required in ("system.yaml", "areas.yaml"):
        if not (root / required).is_file():
            problems.append(error(Pos(required), "missing-file", f"登记册缺少 {required}",
                                  f"用 jiuzhu init 新建登记册，或从已有登记册复制 {required} 后修改。"))
            _mark_incomplete(reg, indexes(required))


def _mark_incomplete(reg: Registry, names: Iterable[str]) -> None:
    for name in names:
        getattr(reg, name).incomplete = True


_LABELS = {"areas": "领域标识", "units": "成员单位标识", "proposals": "议题编号", "meetings": "会议编号",
           "decisions": "议定事项编号", "tasks": "任务进展编号", "inspections": "检查编号",
           "notices": "督办通知单编号"}


def _assemble(reg: Registry, pieces: Iterable[Piece], problems: list[Problem]) -> None:
    """Put every file's records in the registry's indexes; an id defined twice is an error at the
    second definition."""
    # index name -> (the index, where each of its ids was first defined)
    seen: dict[str, tuple[Index[Any], dict[str, Pos]]] = {name: (getattr(reg, name), {}) for name in _LABELS}

    def put(name: str, obj: Any, pos: Pos) -> None:
        index, first = seen[name]
        ident = obj.id
        if ident in index:
            problems.append(error(pos, "duplicate-id",
                                  f"{_LABELS[name]}“{ident}”重复（已在 {first[ident]} 定义）",
                                  "每个标识在整个登记册中只能出现一次，请改用新的标识。"))
            return
        index[ident] = obj
        first[ident] = pos

    # a piece's kind -> (its index, the index of the records it holds and their attribute)
    holders = {"task": ("tasks", None, ""), "meeting": ("meetings", "decisions", "decisions"),
               "inspection": ("inspections", "decisions", "findings"), "notice": ("notices", None, ""),
               "proposal": ("proposals", None, ""), "unit": ("units", None, "")}
    for piece in pieces:
        kind, value, where, incomplete = piece
        if incomplete:
            _mark_incomplete(reg, incomplete)
        if kind in holders:
            name, inner, attr = holders[kind]
            put(name, value, where[0])
            if inner is not None:
                for rec, pos in zip(getattr(value, attr), where[1:], strict=True):
                    put(inner, rec, pos)
        elif kind == "areas":
            for area, pos in zip(value, where, strict=True):
                put("areas", area, pos)
        elif kind == "system":
            reg.system = value
        elif kind == "calendar":
            reg.calendar.update(value)
        elif kind == "evaluation":
            reg.evaluation = value
    reg.units = _sorted(reg.units, lambda u: (u.order, u.id))
    reg.meetings = _sorted(reg.meetings, lambda m: (m.date, m.time or "", m.id))
    reg.inspections = _sorted(reg.inspections, lambda i: (i.date, i.id))
    reg.notices = _sorted(reg.notices, lambda n: (n.date, n.id))


def _sorted(index: Index[Any], key: Callable[[Any], Any]) -> Index[Any]:
    out: Index[Any] = Index(sorted(index.items(), key=lambda kv: key(kv[1])))
    out.incomplete = index.incomplete
    return out

