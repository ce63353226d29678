"""`jiuzhu validate`: every check is a small function over the loaded registry returning problems.

Checks of later features live beside those features and are listed in `CHECKS`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jiuzhu import (
    assign_checks,
    decisions,
    evaluation,
    inspections,
    liaisons,
    minutes,
    notices,
    privacy,
    proposals,
    reorg_checks,
    rules,
    task_checks,
)
from jiuzhu.checking import Check, Context, id_matches_file, unresolved
from jiuzhu.loader import Loaded
from jiuzhu.model import Area, Duty, Registry, System, Unit, Workflow
from jiuzhu.problems import Pos, Problem, error, warning


def check_personal_data(reg: Registry, ctx: Context) -> Iterable[Problem]:
    for doc in reg.files.values():
        yield from privacy.scan(doc)
    yield from privacy.scan_names(reg.files)
    yield from privacy.scan_other_files(Path(reg.root), reg.files)


def check_system(reg: Registry, ctx: Context) -> Iterable[Problem]:
    s = reg.system
    if s is None:
        return
    doc = reg.files["system.yaml"]
    if s.office.unit and s.office.unit not in reg.units:
        yield unresolved(doc.at("office", "unit"), "办公室所在单位", s.office.unit, reg.units)
    if not s.office.director:
        yield warning(doc.key_at("office"), "unknown-director", "办公室主任未填写", "在 office.director 填写姓名。")
    yield from _conveners(doc, s)
    rules = {r.id: r for r in s.rules}
    for check, rule_id in s.parameters.basis.items():
        if rule_id not in rules:
            yield unresolved(doc.at("parameters", "basis", check), "议事规则", rule_id, rules)
    for item in s.duties:
        for a in item.areas:
            if a not in reg.areas:
                yield unresolved(doc.item_at((*doc.path_of(item.pos), "areas"), a), "领域", a, reg.areas)
    yield from _check_workflow(doc, s.parameters.workflow)
    yield from _negative_parameters(doc, s)
    levels = [lv.from_workdays for lv in s.parameters.escalation]
    if levels != sorted(levels) or len(set(levels)) != len(levels):
        yield error(doc.at("parameters", "escalation"), "bad-ladder", "督办升级阶梯的 from_workdays 应严格递增",
                    "按从轻到重排列，例如 催办 -3、督办 1、通报 10。")
    yield from _issue_numbers(doc, "briefings", "简报", s.briefings)
    yield from _issue_numbers(doc, "reports", "进展情况通报", s.reports)


def _conveners(doc: Any, s: System) -> Iterator[Problem]:
    """The convener structure: a chief convener only where the system has one (no `chief`: none)."""
    chief, convener = s.leadership.chief_title, s.leadership.convener_title
    if s.chief is not None and not s.chief.name and not s.chief.post:
        yield warning(doc.at("conveners", "chief"), "unknown-convener", f"{chief}未填写",
                      f"在 conveners.chief 填写{chief}的姓名或职务，例如 post: 副县长；制度没有{chief}时删去 chief。")
    if not s.conveners:
        yield warning(doc.at("conveners"), "unknown-convener", f"{convener}未填写",
                      f"在 conveners.conveners 列出{convener}的姓名或职务。")
    for key in ("approves", "chairs"):
        if getattr(s.leadership, key) == "chief" and s.chief is None:
            yield error(doc.at("conveners", key), "no-chief", f"conveners.{key} 是 chief，但制度没有{chief}",
                        f"改为 convener，或在 conveners.chief 写明{chief}。")


def _negative_parameters(doc: Any, s: Any) -> Iterator[Problem]:
    for key in ("regular_meetings_per_year", "due_soon_workdays"):
        value = getattr(s.parameters, key)
        if value < 0:
            yield error(doc.at("parameters", key), "negative-parameter", f"{key} 的值 {value} 不能为负数",
                        "写成 0 或正整数（regular_meetings_per_year 为 0：成立文件没有规定例会次数）。")


def _issue_numbers(doc: Any, section: str, what: str, issued: Iterable[Any]) -> Iterator[Problem]:
    """Each year's numbers of a document series are given once."""
    first: dict[tuple[int, int], int] = {}
    for i, item in enumerate(issued):
        key = (item.year, item.number)
        if key in first:
            yield error(doc.at(section, "issued", i, "number"), "duplicate-issue-number",
                        f"{what}{item.year}年第{item.number}期登记了两次（第一次在第{first[key] + 1}条）",
                        "每年的期号只能用一次：删除重复的一条，或改正它的期号。")
        else:
            first[key] = i


def _check_workflow(doc: Any, wf: Workflow) -> Iterator[Problem]:
    states = set(wf.states)
    if wf.initial and wf.initial not in states:
        yield error(doc.at("parameters", "proposal_workflow", "initial"), "unresolved-ref",
                    f"初始状态“{wf.initial}”不在 states 中", "把它加入 states，或改成 states 中的一个。")
    for i, t in enumerate(wf.transitions):  # system.yaml is built only when complete: indexes match the file
        path = ("parameters", "proposal_workflow", "transitions", i)
        for st in t.from_states:
            if st not in states:
                yield unresolved(doc.item_at((*path, "from"), st), "议题状态", st, states)
        if t.to not in states:
            yield unresolved(doc.at(*path, "to"), "议题状态", t.to, states)


def check_areas(reg: Registry, ctx: Context) -> Iterable[Problem]:
    leads: dict[str, set[str]] = defaultdict(set)
    covered: set[str] = set()
    for duty in reg.duties():
        for a in duty.areas:
            covered.add(a)
            if duty.role_in(a) == "lead":
                leads[a].add(duty.unit)
    synonyms: dict[str, str] = {}
    for area in reg.areas.values():
        doc = reg.files[area.pos.file]
        if area.lead and area.lead not in reg.units:
            yield unresolved(doc.at(*doc.path_of(area.pos), "lead"), "指定牵头单位", area.lead, reg.units)
        if area.id not in covered and not area.lead and not reg.units.incomplete:  # a designated lead covers it
            yield warning(area.pos, "area-uncovered", f"没有任何成员单位的职责涉及领域“{area.name}”",
                          "在相关单位的职责 areas 中加入该领域，或删除该领域。", area.name)
        elif len(leads[area.id]) > 1 and not area.lead:
            names = "、".join(reg.units[u].name for u in reg.units if u in leads[area.id])
            yield warning(area.pos, "area-multi-lead", f"领域“{area.name}”有多个牵头单位（{names}），未指定由谁牵头",
                          "在 areas.yaml 中为该领域加 lead: <单位标识>。")
        yield from _synonym_clashes(area, synonyms)


def _synonym_clashes(area: Area, synonyms: dict[str, str]) -> Iterator[Problem]:
    """A word that names two areas (`synonyms`: each word seen so far, with its area)."""
    for word in (area.name, *area.synonyms):
        if word in synonyms and synonyms[word] != area.id:
            yield warning(area.pos, "synonym-clash", f"同义词“{word}”同时属于领域 {synonyms[word]} 和 {area.id}",
                          "一个词只归一个领域，删去其中一处。")
        synonyms.setdefault(word, area.id)


def check_units(reg: Registry, ctx: Context) -> Iterable[Problem]:
    orders: dict[int, str] = {}
    duty_ids: dict[str, tuple[Any, Pos]] = {}  # the first duty of each id: its file and place
    names: dict[str, str] = {}
    for unit in reg.units.values():
        doc = reg.files[unit.file]
        yield from id_matches_file(doc, unit.id, "单位标识")
        if unit.order in orders:
            yield error(doc.at("order"), "duplicate-order", f"顺序号 {unit.order} 与单位 {orders[unit.order]} 重复",
                        "order 是单位在成立文件中的位置，每个单位不同。")
        orders.setdefault(unit.order, unit.id)
        if unit.active:
            if unit.name in names:
                yield error(doc.at("name"), "duplicate-name", f"单位名称“{unit.name}”与单位 {names[unit.name]} 重复",
                            "现有成员单位的名称不能相同。")
            names.setdefault(unit.name, unit.id)
            yield from _unit_contacts(unit, doc)
        for duty in unit.duties:
            yield from _check_duty(reg, doc, duty, duty_ids)
    yield from _alias_clashes(reg)


def _alias_clashes(reg: Registry) -> Iterator[Problem]:
    """An alias names one unit: not another member unit's name or alias (a name that fits two units
    would be refused on every command that takes it)."""
    owner = {n: u.id for u in reg.units.values() if u.active for n in (u.name,)}
    for unit in reg.units.values():
        doc = reg.files[unit.file]
        for i, alias in enumerate(unit.aliases):
            other = owner.get(alias)
            if other is not None and other != unit.id:
                yield error(doc.at("aliases", i), "alias-clash", f"别名“{alias}”已是单位 {other} 的名称或别名",
                            "一个别名只能指一个单位：删除或改写它。")
            elif unit.active:
                owner[alias] = unit.id


def _unit_contacts(unit: Unit, doc: Any) -> Iterator[Problem]:
    """A member unit's liaison and reviewers (raw values: one of the wrong type is an error already,
    not also a warning)."""
    if unit.liaison.name and unit.liaison.phone and unit.reviewers:
        return  # nothing to warn of: the file is not parsed again for its raw values
    raw_liaison, raw_reviewers = doc.data.get("liaison"), doc.data.get("reviewers")
    if (raw_liaison is None or isinstance(raw_liaison, dict)) and not (unit.liaison.name and unit.liaison.phone):
        yield warning(doc.at("liaison"), "unknown-liaison", f"{unit.name}的联络员姓名或电话未填写",
                      "在 liaison 下填写 name 和 phone（联络员的工作电话可以保存）。", unit.name)
    if not raw_reviewers:
        yield warning(doc.at("reviewers") if "reviewers" in doc.data else doc.at(), "no-reviewers",
                      f"{unit.name}没有登记审阅人", "在 reviewers 中填写该单位负责审阅改动的 git 账号。", unit.name)


def _check_duty(reg: Registry, doc: Any, duty: Duty, duty_ids: dict[str, tuple[Any, Pos]]) -> Iterator[Problem]:
    """One duty's id and references. Positions inside the unit file are looked up only for a
    problem: finding them parses the file again (jiuzhu.cache.LazyDoc)."""
    if duty.id in duty_ids:
        first = _duty_id_at(*duty_ids[duty.id])
        yield error(_duty_id_at(doc, duty.pos), "duplicate-id", f"职责编号“{duty.id}”重复（已在 {first} 定义）",
                    "每条职责的编号在整个登记册中唯一，通常为 <单位标识>-<序号>。")
    duty_ids.setdefault(duty.id, (doc, duty.pos))
    for a in duty.areas:
        if a not in reg.areas:
            yield unresolved(doc.item_at((*doc.path_of(duty.pos), "areas"), a), "领域", a, reg.areas)
    for other in duty.shared_with:
        if other not in reg.units:
            yield unresolved(doc.item_at((*doc.path_of(duty.pos), "shared_with"), other), "成员单位", other, reg.units)
    if duty.role == "info" and not duty.info:
        yield warning(duty.pos, "info-missing", "提供信息的职责没有写明提供哪些信息", "加 info: [房产] 之类的列表。")


def _duty_id_at(doc: Any, pos: Pos) -> Pos:
    return doc.at(*doc.path_of(pos), "id")  # type: ignore[no-any-return]


CHECKS: list[Check] = [check_personal_data, check_system, check_areas, check_units, liaisons.check_contacts,
                       inspections.check_inspections, notices.check_notices, evaluation.check_evaluation,
                       minutes.check_minutes_workflow]


def run(loaded: Loaded, as_of: dt.date) -> list[Problem]:
    """All problems: those found while loading plus those of every check, sorted by place."""
    ctx = Context(as_of)
    problems = list(loaded.problems)
    for check in all_checks():
        problems.extend(p for p in check(loaded.registry, ctx) if not p.secondary)
    seen: set[Problem] = set()
    unique = [p for p in problems if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]
    return sorted(unique, key=Problem.sort_key)


def all_checks() -> list[Check]:
    """The base checks here, then those each feature module lists in its CHECKS."""
    return (list(CHECKS) + list(task_checks.CHECKS) + list(proposals.CHECKS) + list(rules.CHECKS)
            + list(decisions.CHECKS) + list(reorg_checks.CHECKS) + list(assign_checks.CHECKS))
