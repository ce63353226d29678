"""Annual performance evaluation (绩效评价) of the member units, by the rules in evaluation.yaml.

Each indicator has a weight and a measure computed from the registry — tasks and rectification
tasks finished by their deadline, the first progress report within N working days, attendance at
the meetings a unit was expected at, replies to supervision notices by their deadline — or a
manual score (a unit's 自评, the office's 评分). A unit's points on an indicator are its rate times
the weight; every number keeps its evidence (which tasks were late, which meetings missed). An
indicator with nothing to count for a unit scores full marks (`no_data: full`, the default) or
leaves the total, the others scaled to 100 (`no_data: exclude`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jiuzhu.checking import Context, unresolved
from jiuzhu.errors import InputRefused, RegistryInvalid
from jiuzhu.model import Decision, EvaluationRules, Indicator, Registry, Unit
from jiuzhu.notices import replies
from jiuzhu.problems import Problem, error
from jiuzhu.tasks import DONE, assignment, state
from jiuzhu.workdays import Calendar

DEFAULT_WITHIN = 10  # progress_reports without within_workdays (docs/supervision.md)
# How each measure is computed, as the report explains it.
MEASURES = {
    "tasks_on_time": "当年到期的议定事项（本单位牵头）中按期办结的比例",
    "findings_on_time": "当年到期的检查整改任务（本单位整改）中按期完成的比例",
    "progress_reports": "当年议定的事项（本单位牵头）中在规定工作日内首次报告进展的比例",
    "attendance": "应出席的会议中实际出席的比例（请假按规则折算）",
    "notice_replies": "当年收到的督办通知单中按回复时限回复的比例",
    "manual": "按百分制评分折算",
}


@dataclass(frozen=True)
class Score:
    """One unit on one indicator: `met` of `counted` (rate None: nothing to count), its points and
    the evidence behind them."""

    indicator: str
    rate: float | None
    points: float | None  # None: left out of the total (no_data: exclude)
    met: float
    counted: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class UnitResult:
    unit: str
    name: str
    scores: tuple[Score, ...]
    total: float
    rank: int = 0


@dataclass(frozen=True)
class Result:
    year: int
    as_of: dt.date
    indicators: tuple[Indicator, ...]
    units: list[UnitResult]
    improve_below: int | None


def evaluate(reg: Registry, year: int, as_of: dt.date | None = None) -> Result:
    """Every member unit of `year`, scored by indicator, totalled and ranked (ties share a rank)."""
    rules, start, day = _checked(reg, year, as_of)
    cal = Calendar.of(reg)
    results = [_unit_result(reg, rules, u, year, start, day, cal)
               for u in reg.units.values() if _member_in(u, start, day)]
    results.sort(key=lambda r: -r.total)
    ranked = [UnitResult(r.unit, r.name, r.scores, r.total, 1 + sum(1 for o in results if o.total > r.total))
              for r in results]
    return Result(year, day, rules.indicators, ranked, rules.improve_below)


def _checked(reg: Registry, year: int, as_of: dt.date | None) -> tuple[EvaluationRules, dt.date, dt.date]:
    """(rules, first day, last day counted), refused when there are no rules, they contradict
    themselves (scores by them would be silently wrong) or the year has nothing to evaluate."""
    rules = reg.evaluation
    if rules is None:
        raise InputRefused("登记册没有 evaluation.yaml，不知道按什么规则评价",
                           "新建 evaluation.yaml 写明评价指标和分值（格式见 docs/supervision.md）。")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    wrong = [p for p in check_evaluation(reg, Context(as_of or end)) if p.is_error]
    if wrong:
        raise RegistryInvalid(wrong)
    day = min(end, as_of) if as_of is not None else end
    if day < start:
        raise InputRefused(f"{year}年还没有开始（截至 {day}）", "检查 --year 和 --as-of。")
    if not _has_data(reg, year, start, day):
        raise InputRefused(f"{year}年没有可评价的记录（会议、任务、检查、督办或人工评分都没有）",
                           "检查 --year；或先把当年的会议、任务和评分记入登记册。")
    return rules, start, day


def _unit_result(reg: Registry, rules: EvaluationRules, u: Unit, year: int, start: dt.date, day: dt.date,
                 cal: Calendar) -> UnitResult:
    scores = tuple(_score(reg, ind, u, year, start, day, cal, rules.no_data) for ind in rules.indicators)
    counted = [(s.points, ind.weight) for s, ind in zip(scores, rules.indicators, strict=True) if s.points is not None]
    weight = sum(w for _, w in counted)
    total = round(sum(p for p, _ in counted) * 100 / weight, 1) if weight else 0.0
    return UnitResult(u.id, u.name_on(day), scores, total)


def _member_in(u: Unit, start: dt.date, end: dt.date) -> bool:
    if u.since is not None and u.since > end:
        return False
    if u.until is not None and u.until < start:
        return False
    return u.active or u.until is not None


def _has_data(reg: Registry, year: int, start: dt.date, day: dt.date) -> bool:
    rules = reg.evaluation
    return (any(start <= m.date <= day for m in reg.meetings.values())
            or any(d.due is not None and start <= d.due <= day for d in reg.decisions.values())
            or any(start <= i.date <= day for i in reg.inspections.values())
            or any(start <= n.date <= day for n in reg.notices.values())
            or bool(rules and rules.scores.get(year)))


def _score(reg: Registry, ind: Indicator, u: Unit, year: int, start: dt.date, day: dt.date, cal: Calendar,
           no_data: str) -> Score:
    if ind.measure == "manual":
        met, counted, evidence = _manual(reg, ind, u, year)
    elif ind.measure == "attendance":
        met, counted, evidence = _attendance(reg, ind, u, start, day)
    elif ind.measure == "notice_replies":
        met, counted, evidence = _replies(reg, u, start, day)
    elif ind.measure == "progress_reports":
        met, counted, evidence = _first_reports(reg, ind, u, start, day, cal)
    else:
        met, counted, evidence = _on_time(reg, u, start, day,
                                          "inspection" if ind.measure == "findings_on_time" else "meeting")
    if counted == 0:
        full = no_data == "full"
        return Score(ind.id, None, float(ind.weight) if full else None, 0, 0,
                     ("本年度无此项，按满分计" if full else "本年度无此项，不计入总分",))
    rate = met / counted
    return Score(ind.id, rate, round(rate * ind.weight, 1), met, counted, tuple(evidence))


Counted = tuple[float, int, list[str]]


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _done_on(reg: Registry, d: Decision, day: dt.date) -> dt.date | None:
    """When the task was (last) reported done, as recorded by `day`; None if not done then."""
    task = reg.tasks.get(d.id)
    if task is None:
        return None
    log = tuple(e for e in task.log if e.date <= day)
    if state(d, task._replace(log=log))[0] != DONE:
        return None
    return next(e.date for e in reversed(log) if e.status == DONE)


def _on_time(reg: Registry, u: Unit, start: dt.date, day: dt.date, source: str) -> Counted:
    met, counted, evidence = 0, 0, []
    for d in reg.decisions.values():
        if d.source != source or d.ongoing or d.due is None or not start <= d.due <= day:
            continue
        if assignment(d, reg.tasks.get(d.id), d.due)[0] != u.id:
            continue
        counted += 1
        done = _done_on(reg, d, day)
        if done is not None and done <= d.due:
            met += 1
        else:
            how = f"{done} 才完成" if done else f"截至 {day} 未完成"
            evidence.append(f"{d.id}“{_short(d.text)}”：时限 {d.due}，{how}")
    return met, counted, evidence


def _first_reports(reg: Registry, ind: Indicator, u: Unit, start: dt.date, day: dt.date, cal: Calendar) -> Counted:
    within = ind.within_workdays or DEFAULT_WITHIN
    met, counted, evidence = 0, 0, []
    for d in reg.decisions.values():
        if d.made is None or not start <= d.made <= day:
            continue
        task = reg.tasks.get(d.id)
        lead = assignment(d, task, d.made)[0]
        if lead != u.id:
            continue
        by = cal.add_workdays(d.made, within).date
        if by > day:
            continue  # not yet due
        counted += 1
        first = next((e.date for e in (task.log if task else ()) if e.by == u.id), None)
        if first is not None and first <= by:
            met += 1
        else:
            evidence.append(f"{d.id}“{_short(d.text)}”：应于 {by} 前首次报告进展，"
                            + (f"{first} 才报告" if first else f"截至 {day} 未报告"))
    return met, counted, evidence


def _attendance(reg: Registry, ind: Indicator, u: Unit, start: dt.date, day: dt.date) -> Counted:
    met, counted, evidence = 0.0, 0, []
    for m in reg.meetings.values():
        if m.kind not in ind.kinds or not start <= m.date <= day or u.id not in m.expected:
            continue
        counted += 1
        if any(a.unit == u.id for a in m.attended):
            met += 1
        elif any(a.unit == u.id for a in m.excused):
            met += ind.excused
            evidence.append(f"{m.date} {m.title or m.id}：请假")
        else:
            evidence.append(f"{m.date} {m.title or m.id}：缺席")
    return met, counted, evidence


def _replies(reg: Registry, u: Unit, start: dt.date, day: dt.date) -> Counted:
    met, counted, evidence = 0, 0, []
    for n in reg.notices.values():
        if n.unit != u.id or not start <= n.date <= day or n.reply_due > day:
            continue
        counted += 1
        got = replies(reg, n)
        late = [t for t in n.tasks if t not in got or got[t] > n.reply_due]
        if not late:
            met += 1
        else:
            evidence.append(f"{n.id}（{n.level}，{n.date}）：回复时限 {n.reply_due}，"
                            + "、".join(f"{t} {f'于 {got[t]} 才回复' if t in got else '未回复'}" for t in late))
    return met, counted, evidence


def _manual(reg: Registry, ind: Indicator, u: Unit, year: int) -> Counted:
    rules = reg.evaluation
    given = ((rules.scores.get(year) or {}).get(u.id) or {}) if rules else {}
    value = given.get(ind.id)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return 0, 0, []
    note = given.get("note")
    return value / 100, 1, [f"{ind.source or ind.name} {value} 分" + (f"：{note}" if note else "")]


# --- rows for the CLI and documents -------------------------------------------------------------

def rows(result: Result) -> list[dict[str, Any]]:
    """The porcelain of a result (json, csv, the report)."""
    names = {i.id: i.name for i in result.indicators}
    return [{"rank": r.rank, "unit": r.unit, "unit_name": r.name, "total": r.total,
             "scores": [{"indicator": s.indicator, "name": names[s.indicator], "points": s.points,
                         "rate": None if s.rate is None else round(s.rate, 4), "met": s.met, "counted": s.counted,
                         "evidence": list(s.evidence)} for s in r.scores]}
            for r in result.units]


def report_context(result: Result) -> dict[str, Any]:
    """The 年度绩效评价报告's own part of the template context (with jiuzhu.render_context's system)."""
    totals = [r.total for r in result.units]
    return {
        "year": result.year, "as_of": result.as_of, "count": len(result.units),
        "indicators": [{"id": i.id, "name": i.name, "weight": i.weight, "how": MEASURES[i.measure]}
                       for i in result.indicators],
        "rows": [_formatted(row) for row in rows(result)],
        "average": round(sum(totals) / len(totals), 1) if totals else 0,
        "best": _shown(result.units[0]) if result.units else None,
        "worst": _shown(result.units[-1]) if result.units else None,
        "improve": [{"unit": r.unit, "name": r.name, "total": f"{r.total:g}", "rank": r.rank,
                     "lost": _lost(result, r)} for r in needs_improvement(result)],
    }


def _formatted(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its numbers as a document prints them (92.5, 35: no trailing .0)."""
    return {**row, "total": f"{row['total']:g}",
            "scores": [{**x, "points": None if x["points"] is None else f"{x['points']:g}"} for x in row["scores"]]}


def _lost(result: Result, r: UnitResult) -> list[str]:
    """Where a unit lost points: the indicator, its points of the weight, the first three pieces of evidence."""
    names = {i.id: i.name for i in result.indicators}
    weights = {i.id: i.weight for i in result.indicators}
    out = []
    for s in r.scores:
        if s.points is None or s.rate is None or s.rate >= 1:
            continue
        shown = "；".join(map(_plain, s.evidence[:3])) + ("等" if len(s.evidence) > 3 else "")
        head = f"{names[s.indicator]}得{s.points:g}分（满分{weights[s.indicator]}分）"
        out.append(head + (f"：{shown}" if shown else ""))
    return out


def _shown(r: UnitResult) -> dict[str, Any]:
    return {"name": r.name, "total": f"{r.total:g}"}


def _plain(evidence: str) -> str:
    """Evidence as a document states it: without the registry's ids (a task's text says which)."""
    return _ID_BEFORE_TEXT.sub("", _NOTICE_ID.sub("督办通知单", evidence), count=1)


_ID_BEFORE_TEXT = re.compile(r"^[a-z0-9][a-z0-9-]*(?=“)")
_NOTICE_ID = re.compile(r"^dn-[a-z0-9-]+(?=（)")


def needs_improvement(result: Result) -> list[UnitResult]:
    """Units below `improve_below` (default: the lowest-ranked units below 100, at most three)."""
    if result.improve_below is not None:
        return [r for r in result.units if r.total < result.improve_below]
    below = [r for r in result.units if r.total < 100]
    return below[-3:]


# --- validate -----------------------------------------------------------------------------------

def check_evaluation(reg: Registry, ctx: Context) -> Iterable[Problem]:
    rules = reg.evaluation
    if rules is None:
        return
    doc = reg.files[rules.file]
    total = sum(i.weight for i in rules.indicators)
    if rules.indicators and total != 100:
        yield error(doc.key_at("indicators"), "weights-not-100", f"各评价指标的分值合计为 {total}，应为 100",
                    "调整各指标的 weight，使合计为 100。")
    seen: set[str] = set()
    for i in rules.indicators:
        if i.id in seen:
            yield error(i.pos, "duplicate-id", f"评价指标“{i.id}”重复", "每个指标的 id 只能出现一次。")
        seen.add(i.id)
        if not 0 <= i.excused <= 1:
            yield error(doc.at(*doc.path_of(i.pos), "excused"), "bad-excused",
                        f"excused 的值 {i.excused} 应在 0 到 1 之间", "请假按几次出席计，例如 0.5。")
        if i.weight < 0:
            yield error(doc.at(*doc.path_of(i.pos), "weight"), "bad-weight", f"分值 {i.weight} 不能为负数",
                        "写成 0–100 的整数。")
    yield from _check_scores(reg, doc, rules.scores, {i.id for i in rules.indicators if i.measure == "manual"},
                             seen)


def _check_scores(reg: Registry, doc: Any, scores: Any, manual: set[str], known: set[str]) -> Iterator[Problem]:
    for year, by_unit in scores.items():
        if not isinstance(year, int) or not isinstance(by_unit, dict):
            yield error(doc.key_at("scores", year), "wrong-type", f"scores 中“{year}”应为年份及各单位的评分",
                        "写成 2026: {minzheng: {office: 90, note: …}}。")
            continue
        for uid, given in by_unit.items():
            if uid not in reg.units:
                yield unresolved(doc.key_at("scores", year, uid), "成员单位", str(uid), reg.units)
                continue
            for key, value in (given or {}).items() if isinstance(given, dict) else ():
                yield from _check_score(doc, (year, uid, key), value, manual, known)


def _check_score(doc: Any, path: tuple[Any, ...], value: Any, manual: set[str], known: set[str]) -> Iterator[Problem]:
    key = path[-1]
    if key == "note":
        return
    if key not in manual:
        what = "不是人工评分指标（measure: manual）" if key in known else "不是评价指标"
        yield error(doc.key_at("scores", *path), "unknown-indicator", f"“{key}”{what}",
                    "人工评分的键只能是 measure 为 manual 的指标 id：" + ("、".join(sorted(manual)) or "（没有）")
                    + "；说明写在 note。")
    elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        yield error(doc.at("scores", *path), "bad-score", f"评分“{value}”应为 0 到 100 之间的数", "例如 office: 90。")
