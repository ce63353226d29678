"""Decisions: one lead, responsible units, deadlines in working days, suggestions from duties."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import tree_hash
from cycle_helpers import approved, meeting, ok, refused, refused_cleanly, registry

from jiuzhu.assign import Candidate, Suggestion


def test_due_in_working_days_crosses_national_day_and_is_stored_with_its_rule(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root, "regular", "2026-09-22")
    res = ok(jz, root, "decision", "add", mid, "--text", "研究提出低保标准调整方案", "--lead", "minzheng",
             "--responsible", "caizheng", "--area", "低保", "--due-workdays", "10")
    assert (
        "已添加议定事项：牵头单位 县民政局；责任单位 县财政局；完成时限 2026-10-13"
        "（会议日期 2026-09-22 起 10 个工作日，依据国务院节假日安排（chinese-calendar））"
    ) in res.output
    assert f"编号：{mid}-1" in res.output
    d = registry(root).decisions[f"{mid}-1"]
    assert (d.lead, d.responsible, d.areas, d.due, d.assigned) == ("minzheng", ("caizheng",), ("dibao",),
                                                                   dt.date(2026, 10, 13), "manual")
    assert dict(d.due_rule or {}) == {"workdays": 10, "from": dt.date(2026, 9, 22), "source": "chinese-calendar"}
    text = (root / f"meetings/2026/{mid}.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "decisions:\n"
        f"  - id: {mid}-1\n"
        "    text: 研究提出低保标准调整方案\n"
        "    areas: [dibao]\n"
        "    lead: minzheng\n"
        "    responsible: [caizheng]\n"
        "    due: 2026-10-13\n"
        "    due_rule: {workdays: 10, from: 2026-09-22, source: chinese-calendar}\n"
        "    assigned: manual\n"
    )


def test_a_year_without_holiday_data_is_counted_by_weekends_with_a_warning(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root, "regular", "2027-03-01")
    res = ok(jz, root, "decision", "add", mid, "--text", "做好低保资金发放", "--lead", "minzheng", "--responsible",
             "caizheng", "--due-workdays", "5")
    assert "警告：2027 年的法定节假日未知（chinese-calendar 和 calendar.yaml 都没有），按周末计算" in res.output
    d = registry(root).decisions[f"{mid}-1"]
    assert d.due == dt.date(2027, 3, 8) and (d.due_rule or {})["source"] == "weekends"


def test_due_date_ongoing_proposal_and_sequential_ids(make_registry, jz):
    root = make_registry()
    pid = approved(jz, root)
    mid = meeting(jz, root, "regular", "2026-09-22")
    out = json.loads(
        ok(jz, root, "decision", "add", mid, "--text", "提高城乡低保标准", "--lead", "minzheng", "--responsible",
           "caizheng", "--due", "2026-12-31", "--proposal", pid, "--format", "json").stdout
    )
    assert out == {"id": f"{mid}-1", "path": f"meetings/2026/{mid}.yaml", "lead": "minzheng",
                   "responsible": ["caizheng"], "due": "2026-12-31", "notes": []}
    ok(jz, root, "decision", "add", mid, "--text", "长期做好低保资金保障", "--lead", "caizheng", "--responsible",
       "minzheng", "--ongoing")
    reg = registry(root)
    one, two = reg.decisions[f"{mid}-1"], reg.decisions[f"{mid}-2"]
    assert (one.due, one.proposal, one.due_rule) == (dt.date(2026, 12, 31), pid, None)
    assert (two.due, two.ongoing) == (None, True)


def test_lead_and_responsible_suggested_from_duties(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    res = ok(jz, root, "decision", "add", mid, "--text", "提高城乡低保标准", "--due", "2026-12-31",
             "--accept-suggestion")
    assert "建议牵头单位：县民政局（职责 minzheng-1：负责研究制定最低生活保障政策。" in res.output
    assert "建议责任单位：县财政局（" in res.output
    d = registry(root).decisions[f"{mid}-1"]
    assert (d.lead, d.responsible, d.areas, d.assigned) == ("minzheng", ("caizheng",), ("dibao",), "suggested")
    assert d.why is not None and d.why.startswith("职责 minzheng-1")


def test_explicit_flags_win_over_the_suggestion(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    ok(jz, root, "decision", "add", mid, "--text", "提高城乡低保标准", "--lead", "caizheng", "--responsible",
       "minzheng", "--due", "2026-12-31")
    d = registry(root).decisions[f"{mid}-1"]
    assert (d.lead, d.responsible, d.assigned) == ("caizheng", ("minzheng",), "manual")


def test_nothing_matches_so_the_office_unit_leads_and_says_so(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    res = ok(jz, root, "decision", "add", mid, "--text", "开展一次联合检查活动", "--due", "2026-12-31",
             "--accept-suggestion")
    assert ("没有成员单位的职责涵盖“开展一次联合检查活动”，"
            "建议由联席会议办公室所在单位县民政局牵头并提请会议明确") in res.output
    assert registry(root).decisions[f"{mid}-1"].lead == "minzheng"


def _cand(unit: str, name: str) -> Candidate:
    return Candidate(unit, name, None, None, 0.5, "职责相同")


def test_a_tie_is_refused_naming_both_units(make_registry, jz, monkeypatch):
    root = make_registry()
    mid = meeting(jz, root)
    tie = Suggestion(["dibao"], _cand("minzheng", "县民政局"), [_cand("caizheng", "县财政局")], [])
    monkeypatch.setattr("jiuzhu.decisions.suggest", lambda reg, text, areas=(): tie)
    before = tree_hash(root)
    out = refused(jz, root, "decision", "add", mid, "--text", "低保资金", "--due", "2026-12-31")
    assert "错误：无法确定牵头单位：县民政局（minzheng）、县财政局（caizheng）同样适合牵头" in out
    assert "用 --lead 指定其中一个（每个议定事项只有一个牵头单位）。" in out
    assert tree_hash(root) == before
    ok(jz, root, "decision", "add", mid, "--text", "低保资金", "--lead", "caizheng", "--due", "2026-12-31")
    assert registry(root).decisions[f"{mid}-1"].lead == "caizheng"


def test_suggested_responsible_never_includes_the_explicit_lead(make_registry, jz, monkeypatch):
    root = make_registry()
    mid = meeting(jz, root)
    s = Suggestion(["dibao"], _cand("minzheng", "县民政局"), [], [_cand("caizheng", "县财政局")])
    monkeypatch.setattr("jiuzhu.decisions.suggest", lambda reg, text, areas=(): s)
    ok(jz, root, "decision", "add", mid, "--text", "低保资金", "--lead", "caizheng", "--due", "2026-12-31")
    d = registry(root).decisions[f"{mid}-1"]
    assert (d.lead, d.responsible) == ("caizheng", ())


def _liaison(jz, root):
    return meeting(jz, root, "liaison", "2026-09-15")


REFUSALS = [
    (("--text", "事项", "--lead", "minzheng", "--due", "2026-12-31", "--due-workdays", "10"),
     "错误：--due 和 --due-workdays 只能用一个",
     "要么给出日期（--due 2026-12-31），要么给出工作日数（--due-workdays 15）。"),
    (("--text", "事项", "--lead", "minzheng"), "错误：没有完成时限", "长期坚持的事项用 --ongoing。"),
    (("--text", "事项", "--lead", "minzheng", "--ongoing", "--due", "2026-12-31"),
     "错误：长期坚持（--ongoing）的事项没有完成时限", "去掉 --due / --due-workdays，或去掉 --ongoing。"),
    (("--text", "事项", "--lead", "minzheng", "--due", "2026-09-21"),
     "错误：完成时限 2026-09-21 早于会议日期 2026-09-22", "完成时限不能早于作出决定的会议。"),
    (("--text", "事项", "--lead", "minzheng", "--due", "2026-02-29"), "错误：--due 的值“2026-02-29”不是存在的日期",
     "检查月份和日子是否写错。"),
    (("--text", "事项", "--lead", "minzheng", "--due-workdays", "0"), "错误：--due-workdays 的值 0 不可用",
     "工作日数应为 1 到 2500 之间的整数"),
    (("--text", "事项", "--lead", "县民正局", "--due", "2026-12-31"), "错误：没有成员单位“县民正局”",
     "你是不是想写“县民政局”？"),
    (("--text", "事项", "--lead", "minzheng", "--responsible", "caizhen", "--due", "2026-12-31"),
     "错误：没有成员单位“caizhen”", "你是不是想写“caizheng”？"),
    (("--text", "事项", "--lead", "minzheng", "--responsible", "caizheng", "--responsible", "县民政局", "--due",
     "2026-12-31"), "错误：牵头单位县民政局不能同时是责任单位", "从 --responsible 中去掉牵头单位"),
    (("--text", "事项", "--lead", "minzheng", "--area", "低報", "--due", "2026-12-31"), "错误：没有领域“低報”",
     "你是不是想写“dibao”（城乡低保）？"),
    (("--text", " ", "--lead", "minzheng", "--due", "2026-12-31"), "错误：--text 不能为空", "写明议定的事项"),
    (("--text", "事项", "--lead", "minzheng", "--due", "2026-12-31", "--proposal", "p-none"), "错误：没有议题“p-none”",
     "用 jiuzhu proposal list 查看所有议题编号。"),
    (("--text", "事项", "--lead", "minzheng", "--due", "2026-12-31", "--proposal", "{pid}"),
     "错误：议题“{pid}”不在该会议的议程中", "议定事项只能来自本次会议的议题；议程：（空）。"),
]


@pytest.mark.parametrize(("args", "message", "hint"), REFUSALS)
def test_refused_with_message_and_nothing_written(make_registry, jz, args, message, hint):
    root = make_registry()
    mid = meeting(jz, root, "regular", "2026-09-22")
    pid = approved(jz, root, approve="2026-09-30")  # approved after the meeting: not on its agenda
    refused_cleanly(jz, root, ("decision", "add", mid, *args), message, hint, pid=pid)


def test_unknown_meeting_suggests_the_nearest(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root, "regular", "2026-09-22")
    before = tree_hash(root)
    out = refused(jz, root, "decision", "add", mid[:-1], "--text", "事项", "--lead", "minzheng", "--due", "2026-12-31")
    assert f"错误：没有会议“{mid[:-1]}”" in out and f"你是不是想写“{mid}”？" in out
    assert tree_hash(root) == before


def test_liaison_meeting_makes_no_decisions(make_registry, jz):
    root = make_registry()
    mid = _liaison(jz, root)
    before = tree_hash(root)
    out = refused(jz, root, "decision", "add", mid, "--text", "事项", "--lead", "minzheng", "--due", "2026-12-31")
    assert f"错误：会议“{mid}”是联络员会议，不能添加议定事项" in out
    assert tree_hash(root) == before
