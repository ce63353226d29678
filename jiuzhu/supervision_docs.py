"""What the supervision documents say: the 检查情况通报 of an inspection and the 督办通知单 of a
unit, as template contexts built from the registry as of the document's date."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from jiuzhu.chart import bars
from jiuzhu.errors import InputRefused
from jiuzhu.evaluation import Result, report_context
from jiuzhu.model import Registry
from jiuzhu.notices import Draft, ladder, rung
from jiuzhu.queries import find_inspection
from jiuzhu.render_context import source_label, system_context, task_state
from jiuzhu.tasks import TaskView


def _row(reg: Registry, v: TaskView) -> dict[str, Any]:
    return {"id": v.id, "text": v.text, "source": source_label(reg, v), "lead": v.lead,
            "responsible": list(v.responsible), "due": v.due, "ongoing": v.due is None, "status": v.report_status,
            "percent": v.percent, "note": v.last_note, "note_date": v.last_date, "days_overdue": v.days_overdue,
            "workdays_overdue": v.workdays_overdue, "workdays_left": v.workdays_left, "level": v.level}


def inspection_context(reg: Registry, ref: str, day: dt.date) -> dict[str, Any]:
    """检查情况通报 of one inspection on `day`: what was checked, the findings by unit with their
    deadlines and progress, and the spot-check results."""
    ins = find_inspection(reg, ref)
    if day < ins.date:
        raise InputRefused(f"通报日期 {day} 早于检查日期 {ins.date}", "用 --date 给出检查之后的日期。")
    state = task_state(reg, day)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for f in ins.findings:
        by_unit.setdefault(f.lead, []).append(_row(reg, state[f.id]) if f.id in state else {})
    order = {u: i for i, u in enumerate(ins.units)}
    samples = [{"task": s.task, "text": reg.decisions[s.task].text if s.task in reg.decisions else s.task,
                "lead": state[s.task].lead if s.task in state else None, "result": s.result or "待核实",
                "reason": s.reason, "checked": s.checked} for s in ins.samples]
    return {
        "doc_date": day,
        "system": system_context(reg, day),
        "inspection": {"id": ins.id, "kind": ins.kind, "topic": ins.topic, "date": ins.date, "lead": ins.lead,
                       "units": list(ins.units), "findings": len(ins.findings), "samples": len(ins.samples),
                       "title": f"关于{ins.topic}{ins.kind}情况的通报"},
        "by_unit": [{"unit": u, "findings": by_unit[u]} for u in sorted(by_unit, key=lambda u: order.get(u, 0))],
        "clean": [u for u in ins.units if u not in by_unit],
        "samples": samples,
        "samples_false": sum(1 for s in ins.samples if s.result == "不属实"),
    }


def notice_doc_context(reg: Registry, d: Draft, ident: str | None) -> dict[str, Any]:
    """督办通知单 for one unit (`ident`: its number once recorded, None for a preview)."""
    names = [lv.level for lv in ladder(reg)]
    after = names[names.index(d.level) + 1] if d.level in names and names.index(d.level) + 1 < len(names) else None
    return {
        "doc_date": d.date,
        "system": system_context(reg, d.date),
        "notice": {"id": ident, "unit": d.unit.id, "level": d.level, "date": d.date, "reply_due": d.reply_due,
                   "title": rung(reg, d.level).title or "督办通知单", "next_level": after, "count": d.number + 1,
                   "overdue": [_row(reg, v) for v in d.overdue], "due_soon": [_row(reg, v) for v in d.due_soon]},
    }


def evaluation_doc_context(reg: Registry, result: Result, chart: bool = True) -> dict[str, Any]:
    """年度绩效评价报告: indicators, the ranked table, the bar chart (PNG, base64; `chart` False for
    Markdown, which cannot hold it) and a paragraph for each unit needing improvement."""
    system = system_context(reg, result.as_of)
    ev = report_context(result)
    docs = reg.system.parameters.documents if reg.system else {}
    ev["title"] = docs.get("evaluation_title") or f"{system['name']}{result.year}年度成员单位绩效评价报告"
    ev["chart"] = None
    if chart and result.units:
        png = bars([r.name for r in result.units], [r.total for r in result.units], f"{result.year}年度绩效评价得分")
        ev["chart"] = base64.b64encode(png).decode("ascii")
    founding = reg.system.founding.title if reg.system else ""
    return {"doc_date": result.as_of, "system": {**system, "founding_title": founding}, "evaluation": ev}
