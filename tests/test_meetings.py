"""Meetings: pre-filled files, ids that never collide, attendance, listing, minutes issue."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from cycle_helpers import approved, errors, meeting, ok, problems, proposal, refused_cleanly, registry

from jiuzhu.meetings import new_meeting
from jiuzhu.writer import registry_lock


def test_regular_meeting_file_is_prefilled_and_topics_scheduled(make_registry, jz):
    root = make_registry()
    pid = approved(jz, root)
    with registry_lock(root):
        m = new_meeting(registry(root), "regular", dt.date(2026, 9, 22), "09:30", "县政府第一会议室",
                        draw=lambda: "a1b2")
    assert m.id == "m-20260922-regular-a1b2" and m.chair == "总召集人（张三）"
    assert (root / m.path).read_text(encoding="utf-8") == (
        "# 测试县社会救助工作联席会议2026年例会\n"
        "id: m-20260922-regular-a1b2\n"
        "kind: regular\n"
        "title: 测试县社会救助工作联席会议2026年例会\n"
        "date: 2026-09-22\n"
        'time: "09:30"\n'
        "place: 县政府第一会议室\n"
        "chair: {role: chief, name: 张三}\n"
        "expected: [minzheng, caizheng]\n"
        f"agenda: [{pid}]\n"
        "decisions: []\n"
    )
    p = registry(root).proposals[pid]
    assert p.status == "已上会"
    assert (p.history[-1].action, p.history[-1].date, p.history[-1].meeting) == ("schedule", dt.date(2026, 9, 22),
                                                                                 "m-20260922-regular-a1b2")


def test_joint_agenda_only_has_topics_approved_by_the_meeting_date(make_registry, jz):
    root = make_registry()
    early = approved(jz, root, approve="2026-09-08")
    approved(jz, root, unit="caizheng", title="晚审定的议题", approve="2026-09-30")
    reviewed = proposal(jz, root, unit="caizheng", title="只过了初审")
    ok(jz, root, "proposal", "review", reviewed, "--pass", "--opinion", "同意", "--date", "2026-09-02")
    mid = meeting(jz, root, "regular", "2026-09-22")
    assert registry(root).meetings[mid].agenda == (early,)


def test_liaison_meeting_discusses_reviewed_topics_without_scheduling_them(make_registry, jz):
    root = make_registry()
    a = approved(jz, root)
    b = proposal(jz, root, unit="caizheng", title="只过了初审", date="2026-09-02")
    ok(jz, root, "proposal", "review", b, "--pass", "--opinion", "同意", "--date", "2026-09-03")
    proposal(jz, root, unit="caizheng", title="未初审", date="2026-09-03")
    res = ok(jz, root, "meeting", "new", "--kind", "liaison", "--date", "2026-09-15")
    assert "主持：联席会议办公室（王五）" in res.output
    m = next(iter(registry(root).meetings.values()))
    assert (m.kind, m.chair_role, m.chair_name, m.agenda) == ("liaison", "office", "王五", (a, b))
    assert registry(root).proposals[a].status == "已审定"


@pytest.mark.parametrize(
    ("chair", "role", "name"),
    [
        ("convener", "convener", "李四"),
        ("李四", "convener", "李四"),
        ("chief", "chief", "张三"),
        ("副县长", "chief", "张三"),
    ],
)
def test_chair_may_be_delegated_to_a_convener(make_registry, jz, chair, role, name):
    root = make_registry()
    mid = meeting(jz, root, "adhoc", "2026-10-20", "--chair", chair)
    m = registry(root).meetings[mid]
    assert (m.chair_role, m.chair_name) == (role, name)


def test_two_meetings_one_day_and_a_taken_id_drawn_again(make_registry):
    root = make_registry()
    draws = iter(["abcd", "abcd", "ef01"])
    with registry_lock(root):
        first = new_meeting(registry(root), "regular", dt.date(2026, 11, 26), draw=lambda: "abcd")
        second = new_meeting(registry(root), "regular", dt.date(2026, 11, 26), draw=lambda: next(draws))
    assert (first.id, second.id) == ("m-20261126-regular-abcd", "m-20261126-regular-ef01")
    assert len(registry(root).meetings) == 2


def test_two_offices_on_two_branches_do_not_collide(make_registry, jz, tmp_path):
    root = make_registry()
    other = tmp_path / "branch-b"
    shutil.copytree(root, other)
    a = meeting(jz, root, "regular", "2026-11-26")
    b = meeting(jz, other, "regular", "2026-11-26")
    assert a != b and a.startswith("m-20261126-regular-") and b.startswith("m-20261126-regular-")
    shutil.copy(other / f"meetings/2026/{b}.yaml", root / f"meetings/2026/{b}.yaml")  # the merge
    assert "duplicate-id" not in [p.code for p in errors(problems(root))]
    assert set(registry(root).meetings) == {a, b}


# --- attendance ------------------------------------------------------------------------------------


def test_attendance_attended_excused_observers(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    res = ok(jz, root, "meeting", "attend", mid, "--unit", "民政局", "--attended", "--name", "王五", "--name", "赵六")
    assert "已登记出席：县民政局（王五、赵六）" in res.output
    assert "已登记请假：县财政局" in ok(jz, root, "meeting", "attend", mid, "--unit", "caizheng", "--excused").output
    ok(jz, root, "meeting", "attend", mid, "--observer", "--org", "县人大常委会", "--name", "钱七")
    m = registry(root).meetings[mid]
    assert [(a.unit, a.names) for a in m.attended] == [("minzheng", ("王五", "赵六"))]
    assert [a.unit for a in m.excused] == ["caizheng"]
    assert [(a.org, a.names) for a in m.observers] == [("县人大常委会", ("钱七",))]
    text = (root / m.file).read_text(encoding="utf-8")
    assert (
        "attendance:\n  attended:\n    - {unit: minzheng, names: [王五, 赵六]}\n"
        "  excused:\n    - {unit: caizheng}\n  observers:\n    - {org: 县人大常委会, names: [钱七]}\n"
    ) in text


def test_a_unit_recorded_again_is_moved_and_rest_fills_the_others(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    ok(jz, root, "meeting", "attend", mid, "--unit", "caizheng", "--excused")
    ok(jz, root, "meeting", "attend", mid, "--rest", "--attended")
    m = registry(root).meetings[mid]
    assert ([a.unit for a in m.attended], [a.unit for a in m.excused]) == (["minzheng"], ["caizheng"])
    ok(jz, root, "meeting", "attend", mid, "--unit", "caizheng", "--attended", "--name", "孙八")
    m = registry(root).meetings[mid]
    assert ([a.unit for a in m.attended], m.excused) == (["minzheng", "caizheng"], ())


# --- list and show ------------------------------------------------------------------------------------


def test_list_json_status_and_year(make_registry, jz):
    root = make_registry()
    held = meeting(jz, root, "liaison", "2025-03-01")
    future = meeting(jz, root, "regular", "2099-01-05")
    rows = json.loads(ok(jz, root, "meeting", "list", "--format", "json").stdout)
    assert [(r["id"], r["kind"], r["date"], r["status"]) for r in rows] == [
        (held, "liaison", "2025-03-01", "已召开"),
        (future, "regular", "2099-01-05", "筹备中"),
    ]
    rows = json.loads(ok(jz, root, "meeting", "list", "--year", "2099", "--format", "json").stdout)
    assert [r["id"] for r in rows] == [future]
    assert "没有会议记录。" in ok(jz, root, "meeting", "list", "--year", "2000").output


def test_show_prints_chair_attendance_agenda_decisions_minutes(make_registry, jz):
    root = make_registry()
    pid = approved(jz, root)
    mid = meeting(jz, root, "regular", "2026-09-22", "--place", "县政府第一会议室")
    ok(jz, root, "meeting", "attend", mid, "--unit", "minzheng", "--attended", "--name", "王五")
    ok(jz, root, "decision", "add", mid, "--text", "提高城乡低保标准", "--lead", "minzheng", "--responsible",
       "caizheng", "--due", "2026-12-31", "--proposal", pid)
    ok(jz, root, "minutes", "issue", mid, "--date", "2026-09-25")
    out = ok(jz, root, "meeting", "show", mid).output
    for line in ("例会  2026-09-22  县政府第一会议室  状态：纪要已印发", "主持：总召集人（张三）",
                 "出席：县民政局（王五）", "请假：无", "未登记出席情况的应到单位：1 个",
                 "会议纪要：〔2026〕1号，2026-09-25 印发，已报县政府"):
        assert line in out
    d = json.loads(ok(jz, root, "meeting", "show", mid, "--format", "json").stdout)
    assert d["agenda"][0]["status"] == "已议定" and d["decisions"][0]["lead"] == "minzheng"


# --- minutes issue -----------------------------------------------------------------------------------


def _joint_with_decision(jz, root, date="2026-09-22"):
    mid = meeting(jz, root, "regular", date)
    ok(jz, root, "decision", "add", mid, "--text", "落实社会救助资金预算", "--lead", "caizheng", "--responsible",
       "minzheng", "--due", f"{date[:4]}-12-31")
    ok(jz, root, "meeting", "attend", mid, "--rest", "--attended")
    return mid


def test_minutes_numbered_per_year_and_topics_decided(make_registry, jz, monkeypatch):
    monkeypatch.setenv("JIUZHU_TODAY", "2027-12-31")
    root = make_registry()
    pid = approved(jz, root)
    first = _joint_with_decision(jz, root, "2026-09-22")
    res = ok(jz, root, "minutes", "issue", first, "--date", "2026-09-25")
    assert "已印发会议纪要 〔2026〕1号（2026-09-25），报县政府。" in res.output
    assert f"已议定的议题：{pid}" in res.output
    second = _joint_with_decision(jz, root, "2026-11-10")
    assert "〔2026〕2号" in ok(jz, root, "minutes", "issue", second, "--date", "2026-11-12").output
    third = _joint_with_decision(jz, root, "2027-01-10")
    assert "〔2027〕1号" in ok(jz, root, "minutes", "issue", third, "--date", "2027-01-12").output
    reg = registry(root)
    assert reg.proposals[pid].status == "已议定"
    assert (reg.proposals[pid].history[-1].meeting, reg.proposals[pid].history[-1].opinion) == (first,
                                                                                                "会议纪要〔2026〕1号")
    assert reg.meetings[first].minutes is not None and reg.meetings[first].minutes.reported_to == "县政府"
    assert "minutes: {year: 2026, number: 1, issued: 2026-09-25, reported_to: 县政府}" in (
        root / reg.meetings[first].file
    ).read_text(encoding="utf-8")
    assert errors(problems(root, "2027-06-30")) == []


def _issued(jz, root):
    mid = _joint_with_decision(jz, root)
    ok(jz, root, "minutes", "issue", mid, "--date", "2026-09-25")
    return mid


def _unattended(jz, root):
    mid = meeting(jz, root, "regular")
    ok(jz, root, "decision", "add", mid, "--text", "落实社会救助资金预算", "--lead", "caizheng", "--due", "2026-12-31")
    return mid


def _twice(jz, root):
    mid = _joint_with_decision(jz, root)
    ok(jz, root, "decision", "add", mid, "--text", "落实社会救助资金预算 。", "--lead", "caizheng",
       "--due", "2026-12-31")
    return mid


FROZEN = "错误：会议“{mid}”的纪要已于 2026-09-25 印发（〔2026〕1号），不能再修改"

REFUSALS = [
    (None, ("meeting", "new", "--kind", "annual", "--date", "2026-09-22"), "错误：--kind 的值“annual”不可用",
     "可选：例会（regular）、临时会议（adhoc）、联络员会议（liaison）。"),
    (None, ("meeting", "new", "--kind", "regular", "--date", "2026-13-01"),
     "错误：--date 的值“2026-13-01”不是存在的日期", "检查月份和日子是否写错。"),
    (None, ("meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--time", "25点"),
     "错误：--time 的值“25点”不是一天中的时间", "小时为 0–23，分钟为 0–59。"),
    (None, ("meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--chair", "王五"),
     "错误：“王五”不是总召集人或召集人，不能主持联席会议",
     "用 --chair chief（总召集人）或 convener（召集人），或写姓名：张三、李四；制度允许委托有关同志主持时"),
    ("plain", ("meeting", "attend", "{mid}", "--unit", "minzheng"),
     "错误：请在 --attended、--excused、--observer 中选择一个", "每次登记一种出席情况。"),
    ("plain", ("meeting", "attend", "{mid}", "--attended"), "错误：没有指定单位", "用 --unit 指定单位（可重复）"),
    ("plain",
     ("meeting", "attend", "{mid}", "--unit", "minzheng", "--unit", "caizheng", "--attended", "--name", "王五"),
     "错误：--name 只能用于一个单位", "每次一个 --unit 加它的 --name"),
    ("plain", ("meeting", "attend", "{mid}", "--org", "县人大", "--attended"), "错误：--org 只用于列席人员",
     "非成员单位的列席人员用 --observer --org 单位名称。"),
    ("plain", ("meeting", "attend", "{mid}", "--unit", "县民正局", "--attended"), "错误：没有成员单位“县民正局”",
     "你是不是想写“县民政局”？"),
    ("plain", ("meeting", "attend", "m-20260922-regular", "--unit", "minzheng", "--attended"),
     "错误：没有会议“m-20260922-regular”", "你是不是想写“{mid}”？"),
    ("plain", ("meeting", "show", "m-2026"), "错误：没有会议“m-2026”", "用 jiuzhu meeting list 查看所有会议编号。"),
    ("plain", ("minutes", "issue", "{mid}", "--date", "2026-09-25"), "错误：会议“{mid}”还没有议定事项",
     "先用 jiuzhu decision add 添加。"),
    ("decided", ("minutes", "issue", "{mid}", "--date", "2026-09-21"),
     "错误：印发日期 2026-09-21 早于会议日期 2026-09-22", "--date 不能早于会议日期。"),
    ("liaison", ("minutes", "issue", "{mid}", "--date", "2026-09-25"),
     "错误：会议“{mid}”是联络员会议，不能印发会议纪要", "议定事项和会议纪要属于联席会议"),
    ("issued", ("minutes", "issue", "{mid}", "--date", "2026-09-26"), FROZEN, "tasks reassign"),
    ("unattended", ("minutes", "issue", "{mid}", "--date", "2026-09-25"), "错误：会议“{mid}”还没有登记出席情况",
     "先用 jiuzhu meeting attend {mid} 登记"),
    ("twice", ("minutes", "issue", "{mid}", "--date", "2026-09-25"),
     "错误：议定事项 {mid}-1 和 {mid}-2 的内容相同：“落实社会救助资金预算 。”", "同一事项只写一次"),
    ("issued", ("meeting", "attend", "{mid}", "--unit", "minzheng", "--excused"), FROZEN, "需要新的决定请另开会议"),
    ("issued", ("decision", "add", "{mid}", "--text", "新增事项", "--lead", "minzheng", "--due", "2026-12-31"), FROZEN,
     "需要新的决定请另开会议"),
]


@pytest.mark.parametrize(("state", "args", "message", "hint"), REFUSALS)
def test_refused_with_message_and_nothing_written(make_registry, jz, state, args, message, hint):
    root = make_registry()
    mid = {
        None: lambda: "",
        "plain": lambda: meeting(jz, root),
        "liaison": lambda: meeting(jz, root, "liaison"),
        "decided": lambda: _joint_with_decision(jz, root),
        "issued": lambda: _issued(jz, root),
        "unattended": lambda: _unattended(jz, root),
        "twice": lambda: _twice(jz, root),
    }[state]()
    refused_cleanly(jz, root, args, message, hint, mid=mid)
