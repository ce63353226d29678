"""Load a registry folder: find files, parse them (read path), check their shape, build the model.

`load()` never raises for the user's mistakes: it returns the registry built from whatever is
sound plus every problem found, so `validate` can report them all at once.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from jiuzhu import schema
from jiuzhu.files import registry_paths  # noqa: F401  (the one listing; also for the loader's users)
from jiuzhu.model import (
    Act,
    Area,
    Attendee,
    BriefingIssue,
    Decision,
    Duty,
    FoundingDocument,
    Index,
    Level,
    Liaison,
    LogEntry,
    Meeting,
    Minutes,
    Office,
    Parameters,
    Person,
    Proposal,
    Reassignment,
    Registry,
    System,
    Task,
    TextItem,
    Transition,
    Unit,
    UnitEvent,
    Workflow,
)
from jiuzhu.problems import Pos, Problem, error, warning
from jiuzhu.yamlread import Doc, parse_file

# relative folder -> (schema, builder name); single files are listed by name.
_SINGLE = {"system.yaml": schema.SYSTEM, "areas.yaml": schema.AREAS, "calendar.yaml": schema.CALENDAR}
_FOLDERS = {"units": schema.UNIT, "proposals": schema.PROPOSAL, "meetings": schema.MEETING, "tasks": schema.TASK}



@dataclass
class Loaded:
    registry: Registry
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def registry_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every YAML file of the registry as (relative POSIX path, absolute path), sorted."""
    for rel in registry_paths(root):
        yield rel, root / rel


def spec_for(rel: str) -> schema.Field | None:
    if rel in _SINGLE:
        return _SINGLE[rel]
    top = rel.split("/")[0]
    return _FOLDERS.get(top) if "/" in rel else None


# What `assign` and other questions about units and duties need: not the meetings and tasks.
FOUNDING = ("system.yaml", "areas.yaml", "calendar.yaml", "units")


class Piece(NamedTuple):
    """The model records one file gives, before they meet the other files' (duplicate ids, order).
    A pure function of the file's content: the parse cache keeps it with the file's hash."""

    kind: str  # system, areas, calendar, unit, proposal, meeting, task; "" when nothing was built
    value: Any = None  # System, tuple[Area, ...], calendar years, Unit, Proposal, Meeting or Task
    where: tuple[Pos, ...] = ()  # where each id is defined (a meeting's own, then its decisions')
    incomplete: tuple[str, ...] = ()  # indexes (Registry attribute names) missing an entry of this file


class Read(NamedTuple):
    """What reading one file gave: its document (None when it could not be parsed), the problems
    found in it alone (syntax, shape, calendar entries) and its piece of the model."""

    doc: Any  # a Doc, or the parse cache's stand-in that reads the Doc only when asked
    problems: list[Problem]
    piece: Piece


Reader = Callable[[str, str], Read]


def read_file(path: Path | str, rel: str) -> Read:
    """Parse, check and build one registry file (what the parse cache stores)."""
    doc, problems = parse_file(Path(path), rel)
    return read_doc(doc, problems, rel)


def read_doc(doc: Doc | None, problems: list[Problem], rel: str) -> Read:
    spec = spec_for(rel)
    if doc is None or spec is None:
        return Read(doc, problems, Piece("", incomplete=_indexes(rel)))
    data, found = schema.check(doc, spec)
    problems = [*problems, *found]
    if not isinstance(data, dict):
        return Read(doc, problems, Piece("", incomplete=_indexes(rel)))
    return Read(doc, problems, build_piece(rel, doc, data, problems))


def load(root: Path, parser: Reader | None = None, only: Collection[str] | None = None) -> Loaded:
    """Load the registry at `root`. `parser` lets the parse cache stand in for `read_file`.
    `only` (top-level file and folder names, e.g. FOUNDING) leaves the rest of the registry out."""
    from jiuzhu.errors import InputRefused

    if not root.is_dir():
        raise InputRefused(f"找不到登记册目录：{root}",
                           "用 --registry 指定登记册目录，或设置环境变量 JIUZHU_REGISTRY；新建登记册用 jiuzhu init。")
    import gc

    # Loading allocates hundreds of thousands of small tuples and nothing cyclic: the cyclic
    # collector would walk the growing heap again and again (two thirds of a warm 10k-task load).
    # It is paused while loading, and what was loaded is moved out of its sight afterwards.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(root, parser, only)
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def _load(root: Path, parser: Reader | None, only: Collection[str] | None) -> Loaded:
    read = parser or read_file
    # The parse cache (jiuzhu.cache) also offers prepare(files) and close().
    reg = Registry(root=str(root))
    for left_out in () if only is None else (set(_SINGLE) | set(_FOLDERS)) - set(only):
        _mark_incomplete(reg, _indexes(left_out))
    listed = getattr(read, "listed", None)  # the parse cache has just listed the folder
    base = os.path.join(str(root), "")  # with the separator: joined by +, 11k times
    rels = listed if listed and only is None else registry_paths(root, only)
    files = [(rel, base + rel) for rel in rels]
    getattr(read, "prepare", lambda files: None)(files)
    problems: list[Problem] = []
    pieces: list[Piece] = []
    for rel, path in files:
        if spec_for(rel) is None:
            problems.append(warning(Pos(rel), "unknown-file", "不认识的文件，jiuzhu 不会读取它",
                                    "登记册只含 system.yaml、areas.yaml、calendar.yaml 和 "
                                    "units/、proposals/、meetings/、tasks/ 下的文件。"))
            continue
        doc, found, piece = read(path, rel)
        problems.extend(found)
        if doc is not None:
            reg.files[rel] = doc
        pieces.append(piece)
    for required in ("system.yaml", "areas.yaml"):
        if not (root / required).is_file():
            problems.append(error(Pos(required), "missing-file", f"登记册缺少 {required}",
                                  f"用 jiuzhu init 新建登记册，或从已有登记册复制 {required} 后修改。"))
            _mark_incomplete(reg, _indexes(required))
    getattr(read, "close", lambda: None)()
    _assemble(reg, pieces, problems)
    return Loaded(reg, problems)


def _indexes(rel: str) -> tuple[str, ...]:
    """The indexes a file of this kind adds to (a meeting file also holds its decisions)."""
    by_top = {"areas.yaml": ("areas",), "units": ("units",), "proposals": ("proposals",),
              "meetings": ("meetings", "decisions"), "tasks": ("tasks",)}
    return by_top.get(rel.split("/")[0], ())


def _mark_incomplete(reg: Registry, names: Iterable[str]) -> None:
    for name in names:
        getattr(reg, name).incomplete = True


def _count(data: Any, key: str) -> int:
    value = data.get(key) if isinstance(data, dict) else None
    return len(value) if isinstance(value, list) else 0


def build_piece(rel: str, doc: Doc, data: dict[str, Any], problems: list[Problem]) -> Piece:
    """Model records from one file's checked data. An entity (or list item) the schema check left
    without its required fields is skipped and its index marked incomplete: the error is already
    reported. Problems only the building finds (calendar entries) are added to `problems`."""
    top = rel.split("/")[0]
    if rel == "system.yaml":
        # built only when every required field survived the check: a made-up default (a founding
        # date, an office) would send later checks after problems that are not there
        return Piece("system", _system(doc, data)) if schema.complete(data, schema.SYSTEM) else Piece("")
    if rel == "areas.yaml":
        areas, ids = [], []
        for i, a in enumerate(data.get("areas", [])):
            if {"id", "name", "kind"} <= a.keys():
                areas.append(Area(a["id"], a["name"], a["kind"], tuple(a.get("synonyms", [])), a.get("lead"),
                                  doc.at("areas", i)))
                ids.append(doc.at("areas", i, "id"))
        whole = len(areas) == _count(doc.data, "areas")
        return Piece("areas", tuple(areas), tuple(ids), () if whole else ("areas",))
    if rel == "calendar.yaml":
        return Piece("calendar", _calendar(doc, data, problems))
    if top == "units" and {"id", "name", "kind", "order"} <= data.keys():
        unit = _unit(doc, data)
        whole = len(unit.duties) == _count(doc.data, "duties")
        return Piece("unit", unit, (doc.at("id"),), () if whole else ("units",))
    if top == "proposals" and {"id", "unit", "title"} <= data.keys():
        return Piece("proposal", _proposal(doc, data), (doc.at("id"),))
    if top == "meetings" and {"id", "kind", "date"} <= data.keys():
        meeting = _meeting(doc, data)
        whole = len(meeting.decisions) == _count(doc.data, "decisions")
        where = (doc.at("id"), *(doc.at("decisions", d.seq - 1, "id") for d in meeting.decisions))
        return Piece("meeting", meeting, where, () if whole else ("decisions",))
    if top == "tasks" and "task" in data:
        return Piece("task", build_task(doc, data), (doc.at("task"),))
    return Piece("", incomplete=_indexes(rel))


_LABELS = {"areas": "领域标识", "units": "成员单位标识", "proposals": "议题编号", "meetings": "会议编号",
           "decisions": "议定事项编号", "tasks": "任务进展编号"}


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

    for piece in pieces:
        kind, value, where, incomplete = piece
        if incomplete:
            _mark_incomplete(reg, incomplete)
        if kind == "task":
            put("tasks", value, where[0])
        elif kind == "meeting":
            put("meetings", value, where[0])
            for d, pos in zip(value.decisions, where[1:], strict=True):
                put("decisions", d, pos)
        elif kind == "proposal":
            put("proposals", value, where[0])
        elif kind == "unit":
            put("units", value, where[0])
        elif kind == "areas":
            for area, pos in zip(value, where, strict=True):
                put("areas", area, pos)
        elif kind == "system":
            reg.system = value
        elif kind == "calendar":
            reg.calendar.update(value)
    reg.units = _sorted(reg.units, lambda u: (u.order, u.id))
    reg.meetings = _sorted(reg.meetings, lambda m: (m.date, m.time or "", m.id))


def _sorted(index: Index[Any], key: Callable[[Any], Any]) -> Index[Any]:
    out: Index[Any] = Index(sorted(index.items(), key=lambda kv: key(kv[1])))
    out.incomplete = index.incomplete
    return out


def _texts(doc: Doc, items: list[dict[str, Any]], *path: Any) -> tuple[TextItem, ...]:
    return tuple(TextItem(t["id"], t["text"], tuple(t.get("areas", [])), doc.at(*path, i))
                 for i, t in enumerate(items) if "id" in t and "text" in t)


def _system(doc: Doc, d: dict[str, Any]) -> System:
    fd = d.get("founding_document", {})
    conv = d.get("conveners", {})
    office = d.get("office", {})
    par = d.get("parameters", {})
    wf = par.get("proposal_workflow", {})
    workflow = Workflow(
        wf.get("initial", ""), tuple(wf.get("states", [])),
        tuple(Transition(t["action"], tuple(t["from"]), t["to"], t.get("by", ""))
              for t in wf.get("transitions", []) if {"action", "from", "to"} <= t.keys()),
    )
    params = Parameters(
        regular_meetings_per_year=par.get("regular_meetings_per_year", 1),
        liaison_meeting_before_joint=par.get("liaison_meeting_before_joint", True),
        minutes_report_to=par.get("minutes_report_to", d.get("government", "")),
        minutes_send_to=par.get("minutes_send_to", "联席会议各成员单位"),
        due_soon_workdays=par.get("due_soon_workdays", 5),
        workflow=workflow,
        escalation=tuple(Level(x["level"], x["from_workdays"]) for x in par.get("escalation", [])
                         if {"level", "from_workdays"} <= x.keys()),
        documents=dict(par.get("documents") or {}),
    )
    chief = conv.get("chief") or {}
    return System(
        name=d.get("name", ""), jurisdiction=d.get("jurisdiction", ""), government=d.get("government", ""),
        founding=FoundingDocument(fd.get("title", ""), fd.get("issuer", ""), fd.get("date", dt.date(1970, 1, 1)),
                                  fd.get("index_number"), fd.get("number"), fd.get("preamble")),
        chief=Person(chief.get("name"), chief.get("post")),
        conveners=tuple(Person(c.get("name"), c.get("post")) for c in conv.get("conveners", [])),
        office=Office(office.get("unit", ""), office.get("director"), office.get("text"),
                      _texts(doc, office.get("duties", []), "office", "duties")),
        duties=_texts(doc, d.get("duties", []), "duties"),
        rules=_texts(doc, d.get("rules", []), "rules"),
        parameters=params,
        briefings=tuple(BriefingIssue(b["year"], b["number"], b["date"], b.get("from"), b.get("to"))
                        for b in (d.get("briefings") or {}).get("issued", [])),
        pos=doc.at(),
    )


def _unit(doc: Doc, d: dict[str, Any]) -> Unit:
    duties = tuple(
        Duty(x["id"], d["id"], x["text"], tuple(x.get("areas", [])), x["role"], tuple(x.get("info", [])),
             tuple(x.get("shared_with", [])), x.get("moved_from"), x.get("since"), doc.at("duties", i),
             tuple((a, r) for a, r in (x.get("roles") or {}).items()
                   if a in x.get("areas", []) and r in schema.DUTY_ROLES))
        for i, x in enumerate(d.get("duties", [])) if {"id", "text", "role"} <= x.keys()
    )
    li = d.get("liaison") or {}
    history = tuple(
        UnitEvent(h["date"], h["act"], h.get("name"), h.get("old_name"), tuple(h.get("units", [])), h.get("into"),
                  h.get("duties_to"), h.get("note"), doc.at("history", i))
        for i, h in enumerate(d.get("history", [])) if {"date", "act"} <= h.keys()
    )
    return Unit(d["id"], d["name"], d["kind"], d["order"], d.get("item"), d.get("active", True), d.get("since"),
                d.get("until"), Liaison(li.get("name"), li.get("phone"), li.get("post")),
                tuple(d.get("reviewers", [])), history, duties, doc.file, doc.at())


def _proposal(doc: Doc, d: dict[str, Any]) -> Proposal:
    acts = tuple(Act(a["action"], a["to"], a["date"], a["by"], a.get("opinion"), a.get("meeting"), doc.at("history", i))
                 for i, a in enumerate(d.get("history", [])) if {"action", "to", "date", "by"} <= a.keys())
    return Proposal(d["id"], d["unit"], d["title"], d.get("summary"), acts, doc.file, doc.at())


def _attendees(items: list[dict[str, Any]]) -> tuple[Attendee, ...]:
    return tuple(Attendee(a.get("unit"), tuple(a.get("names", [])), a.get("org")) for a in items)


def _meeting(doc: Doc, d: dict[str, Any]) -> Meeting:
    decisions = tuple(
        Decision(x["id"], d["id"], x["text"], tuple(x.get("areas", [])), x["lead"], tuple(x.get("responsible", [])),
                 x.get("due"), x.get("ongoing", False), x.get("due_rule"), x.get("proposal"),
                 x.get("assigned", "manual"), x.get("why"), i + 1, doc.at("decisions", i))
        for i, x in enumerate(d.get("decisions", [])) if {"id", "text", "lead"} <= x.keys()
    )
    chair = d.get("chair") or {}
    att = d.get("attendance") or {}
    m = d.get("minutes")
    return Meeting(
        d["id"], d["kind"], d.get("title"), d["date"], d.get("time"), d.get("place"), chair.get("role"),
        chair.get("name"), tuple(d.get("expected", [])), _attendees(att.get("attended", [])),
        _attendees(att.get("excused", [])), _attendees(att.get("observers", [])), tuple(d.get("agenda", [])),
        tuple(d.get("heard", [])), decisions,
        Minutes(m["year"], m["number"], m["issued"], m["reported_to"])
        if m and {"year", "number", "issued", "reported_to"} <= m.keys() else None,
        doc.file, doc.at(),
    )


def build_task(doc: Doc, d: dict[str, Any]) -> Task:
    """The task of a checked progress file. An entry the schema check left without a required
    field (a bad date, a missing note or decided_by: already reported) is skipped; positions stay
    those of the file, since the check keeps a bad entry as `{}` in its place."""
    log = tuple(LogEntry(e["date"], e["by"], e["note"], e.get("percent"), e.get("status"), e.get("reason"),
                         doc.at("log", i)) for i, e in enumerate(d.get("log", []))
                if isinstance(e, dict) and {"date", "by", "note"} <= e.keys())
    re_ = tuple(Reassignment(r["date"], r["lead"], tuple(r.get("responsible", [])), r["reason"], r["decided_by"],
                             doc.at("reassignments", i)) for i, r in enumerate(d.get("reassignments", []))
                if isinstance(r, dict) and {"date", "lead", "reason", "decided_by"} <= r.keys())
    return Task(d["task"], log, re_, doc.file, doc.at())


def _calendar(doc: Doc, data: dict[str, Any], problems: list[Problem]) -> dict[int, dict[str, tuple[dt.date, ...]]]:
    years: dict[int, dict[str, tuple[dt.date, ...]]] = {}
    for year, spec in (data.get("years") or {}).items():
        if not isinstance(year, int) or not 1949 <= year <= 2199 or not isinstance(spec, dict):
            problems.append(error(doc.at("years", year), "wrong-type", f"calendar.yaml 中“{year}”应为年份及其假日设置",
                                  "写成 2027: {holidays: [...], workdays: [...]}。"))
            continue
        entry: dict[str, tuple[dt.date, ...]] = {}
        for key in ("holidays", "workdays"):
            days = []
            listed = spec.get(key) or []
            if not isinstance(listed, list):
                problems.append(error(doc.at("years", year, key), "wrong-type",
                                      f"calendar.yaml 中 {year} 年的 {key} 应为日期列表",
                                      f"写成 {key}: [{year}-01-01, …]。"))
                listed = []
            for i, raw in enumerate(listed):
                try:
                    day = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
                except ValueError:
                    problems.append(error(doc.at("years", year, key, i), "bad-date", f"日期 {raw} 不存在",
                                          "日期写成 YYYY-MM-DD，并检查月份和日期（例如 2 月没有 30 日）。"))
                    continue
                days.append(day)
            entry[key] = tuple(days)
        for key in spec:
            if key not in ("holidays", "workdays"):
                problems.append(error(doc.key_at("years", year, key), "unknown-key", f"未知的键“{key}”",
                                      "每年只有 holidays（放假日）和 workdays（调休上班日）两项。"))
        years[year] = entry
    return years
