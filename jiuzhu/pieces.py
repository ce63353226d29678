"""One registry file on its own: parse it, check its shape, build its model records (a `Piece`).

A pure function of the file's bytes, which is what lets the parse cache (jiuzhu.cache) keep it.
"""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from jiuzhu import schema, schema_check
from jiuzhu.doc import Doc
from jiuzhu.model import (
    Act,
    Area,
    Attendee,
    Consent,
    Decision,
    Duty,
    EvaluationRules,
    Indicator,
    Inspection,
    Liaison,
    LogEntry,
    Meeting,
    Minutes,
    Notice,
    Person,
    Proposal,
    Reassignment,
    Reply,
    Sample,
    Signed,
    Task,
    Unit,
    UnitEvent,
)
from jiuzhu.pieces_system import system_record
from jiuzhu.problems import Pos, Problem, error, fast_pickle
from jiuzhu.readpool import file_bytes
from jiuzhu.yamlerrors import decode

SINGLE = {"system.yaml": schema.SYSTEM, "areas.yaml": schema.AREAS, "calendar.yaml": schema.CALENDAR,
          "evaluation.yaml": schema.EVALUATION}
FOLDERS = {"units": schema.UNIT, "proposals": schema.PROPOSAL, "meetings": schema.MEETING, "tasks": schema.TASK,
           "inspections": schema.INSPECTION, "notices": schema.NOTICE}


def spec_for(rel: str) -> schema.Field | None:
    if rel in SINGLE:
        return SINGLE[rel]
    top = rel.split("/")[0]
    return FOLDERS.get(top) if "/" in rel else None


@fast_pickle
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
    """Parse, check and build one registry file."""
    try:
        raw = file_bytes(str(path))[1]
    except OSError as exc:
        return unreadable(rel, exc)
    return read_bytes(raw, rel)


def unreadable(rel: str, exc: OSError) -> Read:
    """A listed file that cannot be read (permissions, removed meanwhile, a device): named, and
    what it would have held is incomplete rather than missing."""
    why = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "文件已不存在",
           errno.EISDIR: "是目录"}.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return read_doc(None, [error(Pos(rel), "unreadable-file", f"读不了文件 {rel}（{why}），其内容都没有检查",
                                 "检查文件的权限（ls -l）和所有者；jiuzhu 需要能读取登记册中的每个文件。")], rel)


def read_bytes(raw: bytes, rel: str) -> Read:
    """Parse, check and build one registry file from its bytes (what the parse cache keeps)."""
    text, problems = decode(raw, rel)
    doc = None
    if text is not None:
        doc, problems = parse_yaml(text, rel)
    return read_doc(doc, problems, rel)


def parse_yaml(text: str, rel: str) -> tuple[Doc | None, list[Problem]]:
    """jiuzhu.yamlread.parse_text, imported on first use: ruamel.yaml takes 15 ms to import and a
    load whose files are all in the parse cache parses nothing (python -X importtime)."""
    from jiuzhu.yamlread import parse_text

    return parse_text(text, rel)


def read_doc(doc: Doc | None, problems: list[Problem], rel: str) -> Read:
    spec = spec_for(rel)
    if doc is None or spec is None:
        return Read(doc, problems, Piece("", incomplete=indexes(rel)))
    data, found = schema_check.check(doc, spec)
    problems = [*problems, *found]
    if not isinstance(data, dict):
        return Read(doc, problems, Piece("", incomplete=indexes(rel)))
    return Read(doc, problems, build_piece(rel, doc, data, problems))


def indexes(rel: str) -> tuple[str, ...]:
    """The indexes a file of this kind adds to (a meeting file also holds its decisions)."""
    by_top = {"areas.yaml": ("areas",), "units": ("units",), "proposals": ("proposals",),
              "meetings": ("meetings", "decisions"), "tasks": ("tasks",),
              "inspections": ("inspections", "decisions"), "notices": ("notices",)}
    return by_top.get(rel.split("/")[0], ())


def _count(data: Any, key: str) -> int:
    value = data.get(key) if isinstance(data, dict) else None
    return len(value) if isinstance(value, list) else 0


def build_piece(rel: str, doc: Doc, data: dict[str, Any], problems: list[Problem]) -> Piece:
    """Model records from one file's checked data. An entity (or list item) the schema check left
    without its required fields is skipped and its index marked incomplete: the error is already
    reported. Problems only the building finds (calendar entries) are added to `problems`."""
    if rel == "system.yaml":
        # built only when every required field survived the check: a made-up default (a founding
        # date, an office) would send later checks after problems that are not there
        return Piece("system", system_record(doc, data)) if schema_check.complete(data, schema.SYSTEM) else Piece("")
    if rel == "areas.yaml":
        return _areas_piece(doc, data)
    if rel == "calendar.yaml":
        return Piece("calendar", _calendar(doc, data, problems))
    if rel == "evaluation.yaml":
        return Piece("evaluation", _evaluation(doc, data))
    builder = _BUILDERS.get(rel.split("/")[0])
    if builder is None or not builder[0] <= data.keys():
        return Piece("", incomplete=indexes(rel))
    piece = builder[1](doc, data)
    if piece.kind == "unit":
        problems.extend(_duty_roles(doc))
    return piece


def _areas_piece(doc: Doc, data: dict[str, Any]) -> Piece:
    areas, ids = [], []
    for i, a in enumerate(data.get("areas", [])):
        if {"id", "name", "kind"} <= a.keys():
            areas.append(Area(a["id"], a["name"], a["kind"], tuple(a.get("synonyms", [])), a.get("lead"),
                              doc.at("areas", i)))
            ids.append(doc.at("areas", i, "id"))
    whole = len(areas) == _count(doc.data, "areas")
    return Piece("areas", tuple(areas), tuple(ids), () if whole else ("areas",))


def _unit_piece(doc: Doc, data: dict[str, Any]) -> Piece:
    unit = _unit(doc, data)
    whole = len(unit.duties) == _count(doc.data, "duties")
    return Piece("unit", unit, (doc.at("id"),), () if whole else ("units",))


def _meeting_piece(doc: Doc, data: dict[str, Any]) -> Piece:
    meeting = _meeting(doc, data)
    whole = len(meeting.decisions) == _count(doc.data, "decisions")
    where = (doc.at("id"), *(doc.at("decisions", d.seq - 1, "id") for d in meeting.decisions))
    return Piece("meeting", meeting, where, () if whole else ("decisions",))


def _proposal_piece(doc: Doc, data: dict[str, Any]) -> Piece:
    return Piece("proposal", _proposal(doc, data), (doc.at("id"),))


def _task_piece(doc: Doc, data: dict[str, Any]) -> Piece:
    return Piece("task", build_task(doc, data), (doc.at("task"),))


def _inspection_piece(doc: Doc, d: dict[str, Any]) -> Piece:
    findings = _decisions(doc, d, "findings", "inspection")
    samples = tuple(Sample(x["task"], x.get("result"), x.get("checked"), x.get("reason"), i)
                    for i, x in enumerate(d.get("samples", [])) if "task" in x)
    ins = Inspection(d["id"], d["kind"], d["topic"], d["date"], d["lead"], tuple(d.get("units", [])), findings,
                     samples, d.get("seed"), doc.file, doc.at())
    whole = len(findings) == _count(doc.data, "findings")
    where = (doc.at("id"), *(doc.at("findings", f.seq - 1, "id") for f in findings))
    return Piece("inspection", ins, where, () if whole else ("decisions",))


def _evaluation(doc: Doc, d: dict[str, Any]) -> EvaluationRules:
    indicators = tuple(
        Indicator(x["id"], x["name"], x["weight"], x["measure"], x.get("within_workdays"),
                  float(x.get("excused") or 0), tuple(x.get("kinds") or ("regular", "adhoc", "liaison")),
                  x.get("source"), doc.at("indicators", i))
        for i, x in enumerate(d.get("indicators", [])) if {"id", "name", "weight", "measure"} <= x.keys())
    return EvaluationRules(indicators, d.get("no_data", "full"), d.get("improve_below"),
                           dict(d.get("scores") or {}), doc.file, doc.at())


def _notice_piece(doc: Doc, d: dict[str, Any]) -> Piece:
    return Piece("notice", Notice(d["id"], d["unit"], d["date"], d["level"], tuple(d.get("tasks", [])),
                                  d["reply_due"], doc.file, doc.at()), (doc.at("id"),))


# folder -> (the fields a record needs, its builder)
_BUILDERS: dict[str, tuple[set[str], Callable[[Doc, dict[str, Any]], Piece]]] = {
    "units": ({"id", "name", "kind", "order"}, _unit_piece), "proposals": ({"id", "unit", "title"}, _proposal_piece),
    "meetings": ({"id", "kind", "date"}, _meeting_piece), "tasks": ({"task"}, _task_piece),
    "inspections": ({"id", "kind", "topic", "date", "lead"}, _inspection_piece),
    "notices": ({"id", "unit", "date", "level", "reply_due"}, _notice_piece)}


def _duties(doc: Doc, d: dict[str, Any]) -> tuple[Duty, ...]:
    return tuple(
        Duty(x["id"], d["id"], x["text"], tuple(x.get("areas", [])), x["role"], tuple(x.get("info", [])),
             tuple(x.get("shared_with", [])), x.get("moved_from"), x.get("since"), doc.at("duties", i),
             tuple((a, r) for a, r in (x.get("roles") or {}).items()
                   if a in x.get("areas", []) and r in schema.DUTY_ROLES))
        for i, x in enumerate(d.get("duties", [])) if {"id", "text", "role"} <= x.keys()
    )


def _duty_roles(doc: Doc) -> list[Problem]:
    """A duty's `roles` name its own areas and the roles lead/support/info (the schema cannot say
    which keys a free mapping has; `_duties` leaves a bad entry out, this says so). From the file
    as written: an area id the schema check dropped is still one of the duty's areas here."""
    raw = doc.data.get("duties") if isinstance(doc.data, dict) else None
    found = []
    for i, d in enumerate(raw if isinstance(raw, list) else []):
        roles = d.get("roles") if isinstance(d, dict) else None
        if not isinstance(roles, dict):
            continue
        areas = d.get("areas") or []
        for area, role in roles.items():
            if area not in areas:
                found.append(error(doc.key_at("duties", i, "roles", area), "role-area-unknown",
                                   f"职责 {d.get('id')} 的 roles 写了不在其 areas 中的领域“{area}”",
                                   f"roles 只写该职责 areas（{'、'.join(map(str, areas)) or '空'}）中的领域。"))
            elif role not in schema.DUTY_ROLES:
                found.append(error(doc.at("duties", i, "roles", area), "bad-enum",
                                   f"职责 {d.get('id')} 在领域“{area}”的角色“{role}”不在可选范围内",
                                   "可选值：" + "、".join(schema.DUTY_ROLES) + "。"))
    return found


def _unit(doc: Doc, d: dict[str, Any]) -> Unit:
    duties = _duties(doc, d)
    li = d.get("liaison") or {}
    history = tuple(
        UnitEvent(h["date"], h["act"], h.get("name"), h.get("old_name"), tuple(h.get("units", [])), h.get("into"),
                  h.get("duties_to"), h.get("note"), doc.at("history", i))
        for i, h in enumerate(d.get("history", [])) if {"date", "act"} <= h.keys()
    )
    return Unit(d["id"], d["name"], d["kind"], d["order"], d.get("item"), d.get("active", True), d.get("since"),
                d.get("until"), _contact(li, "liaison"), tuple(d.get("reviewers", [])), history, duties, doc.file,
                doc.at(), tuple(a for a in d.get("aliases", []) if isinstance(a, str)),
                _contact(d.get("deputy") or {}, "deputy"),
                tuple(_contact(c, c["role"]) for c in d.get("liaison_history", [])
                      if {"role", "name", "to"} <= c.keys()),
                Person(d["member"].get("name"), d["member"].get("post")) if d.get("member") else None)


def _contact(c: dict[str, Any], role: str) -> Liaison:
    return Liaison(c.get("name"), c.get("phone"), c.get("post"), c.get("mobile"), c.get("since", c.get("from")),
                   c.get("to"), role)


def _proposal(doc: Doc, d: dict[str, Any]) -> Proposal:
    acts = tuple(Act(a["action"], a["to"], a["date"], a["by"], a.get("opinion"), a.get("meeting"), doc.at("history", i))
                 for i, a in enumerate(d.get("history", [])) if {"action", "to", "date", "by"} <= a.keys())
    return Proposal(d["id"], d["unit"], d["title"], d.get("summary"), acts, doc.file, doc.at())


def _attendees(items: list[dict[str, Any]]) -> tuple[Attendee, ...]:
    return tuple(Attendee(a.get("unit"), tuple(a.get("names", [])), a.get("org")) for a in items)


def _decisions(doc: Doc, d: dict[str, Any], key: str, source: str) -> tuple[Decision, ...]:
    """The tasks a meeting (its decisions) or an inspection (its findings) gives."""
    return tuple(
        Decision(x["id"], d["id"], x["text"], tuple(x.get("areas", [])), x["lead"], tuple(x.get("responsible", [])),
                 x.get("due"), x.get("ongoing", False), x.get("due_rule"), x.get("proposal"),
                 x.get("assigned", "manual"), x.get("why"), i + 1, doc.at(key, i), source, d["date"],
                 x.get("refer", False))
        for i, x in enumerate(d.get(key, [])) if {"id", "text", "lead"} <= x.keys()
    )


def _meeting(doc: Doc, d: dict[str, Any]) -> Meeting:
    decisions = _decisions(doc, d, "decisions", "meeting")
    chair = d.get("chair") or {}
    att = d.get("attendance") or {}
    m = d.get("minutes")
    return Meeting(
        d["id"], d["kind"], d.get("title"), d["date"], d.get("time"), d.get("place"), chair.get("role"),
        chair.get("name"), tuple(d.get("expected", [])), _attendees(att.get("attended", [])),
        _attendees(att.get("excused", [])), _attendees(att.get("observers", [])), tuple(d.get("agenda", [])),
        tuple(d.get("heard", [])), decisions,
        Minutes(m["year"], m.get("number"), m["issued"], m["reported_to"])
        if m and {"year", "issued", "reported_to"} <= m.keys() else None,
        doc.file, doc.at(), _consent(d.get("consent")),
        _signed(d.get("signed")),
    )


def _signed(s: dict[str, Any] | None) -> Signed | None:
    return Signed(s["date"], s["by"], str(s.get("digest") or "")) if s and {"date", "by"} <= s.keys() else None


def _consent(c: dict[str, Any] | None) -> Consent | None:
    if not c or not {"circulated", "digest"} <= c.keys():
        return None
    replies = tuple(Reply(r["unit"], r["date"], r["result"] == "同意", r.get("comment"))
                    for r in c.get("replies") or () if {"unit", "date", "result"} <= r.keys())
    return Consent(c["circulated"], str(c["digest"]), replies)


def build_task(doc: Doc, d: dict[str, Any]) -> Task:
    """The task of a checked progress file. An entry the schema check left without a required
    field (a bad date, a missing note or decided_by: already reported) is skipped; positions stay
    those of the file, since the check keeps a bad entry as `{}` in its place."""
    log = tuple(LogEntry(e["date"], e["by"], e["note"], e.get("percent"), e.get("status"), e.get("reason"), i,
                         e.get("reply_to"))
                for i, e in enumerate(d.get("log", []))
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
        both = sorted(set(entry.get("holidays", ())) & set(entry.get("workdays", ())))
        if both:
            problems.append(error(doc.at("years", year), "holiday-and-workday",
                                  f"{'、'.join(map(str, both))} 既写成放假日又写成调休上班日",
                                  "按国务院通知只保留其中一处。"))
        years[year] = entry
    return years
