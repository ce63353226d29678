"""Supervision of decisions: derived status, working-day overdue, the ladder, updates, refusals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import mini_unit, tree_hash

from jiuzhu.loader import load
from jiuzhu.model import Level
from jiuzhu.tasks import level_for, task_views
from jiuzhu.validate import run

D = dt.date
M = "m-20260930-regular-a1b2"

MEETING = f"""
id: {M}
kind: regular
title: 2026 年第一次例会
date: 2026-09-30
chair: {{role: chief, name: 张三}}
decisions:
  - id: {M}-1
    text: 完善低保资金发放流程。
    areas: [dibao]
    lead: minzheng
    responsible: [caizheng]
    due: 2026-10-12            # 4 working days across National Day (Sat 10-10 is a make-up workday)
    due_rule: {{workdays: 4, from: 2026-09-30, source: chinese-calendar}}
  - id: {M}-2
    text: 落实社会救助资金预算。
    areas: [zijin]
    lead: caizheng
    responsible: [minzheng]
    due: 2026-11-02
  - id: {M}-3
    text: 长期做好低保对象动态管理。
    areas: [dibao]
    lead: minzheng
    responsible: []
    due: null
    ongoing: true
  - id: {M}-4
    text: 年底前完成低保专项检查。
    areas: [dibao]
    lead: minzheng
    responsible: [caizheng]
    due: 2026-12-31
"""

EXTRA_UNIT = mini_unit("renshe", "县人社局", 3, """
    - id: renshe-1
      text: 负责就业救助工作。
      areas: [dibao]
      role: lead
    """)


@pytest.fixture
def reg_root(make_registry) -> Path:
    return make_registry({f"meetings/2026/{M}.yaml": MEETING, "units/renshe.yaml": EXTRA_UNIT})


def views(root: Path, as_of: dt.date) -> dict[str, object]:
    return {v.id.rsplit("-", 1)[1]: v for v in task_views(load(root).registry, as_of)}


def task_yaml(log: str = "", reassign: str = "", task: str = f"{M}-1") -> str:
    return f"task: {task}\nlog:\n{log.rstrip() or '  []'}\nreassignments:\n{reassign.rstrip() or '  []'}\n"


# --- derived state and the calendar --------------------------------------------------------------

def test_each_status(make_registry) -> None:
    root = make_registry({
        f"meetings/2026/{M}.yaml": MEETING,
        f"tasks/2026/{M}-2.yaml": task_yaml(
            "  - {date: 2026-10-09, by: caizheng, percent: 40, status: 推进中, note: 已编制预算草案}\n"
            "  - {date: 2026-10-20, by: minzheng, note: 配合核对}\n", task=f"{M}-2"),
        f"tasks/2026/{M}-4.yaml": task_yaml(
            "  - {date: 2026-10-09, by: minzheng, percent: 100, status: 已完成, note: 检查完毕}\n", task=f"{M}-4"),
    })
    v = views(root, D(2026, 10, 21))
    assert (v["1"].status, v["1"].percent, v["1"].last_note) == ("未开始", 0, None)
    assert (v["2"].status, v["2"].percent, v["2"].last_note, v["2"].last_date) == (
        "推进中", 40, "配合核对", D(2026, 10, 20))
    assert (v["3"].status, v["3"].due, v["3"].days_overdue, v["3"].level) == ("长期坚持", None, 0, None)
    assert (v["4"].status, v["4"].percent, v["4"].report_status) == ("已完成", 100, "已完成")
    assert v["3"].report_status == "长期坚持"
    assert v["1"].report_status == "逾期未完成"
    assert v["2"].report_status == "推进中"


def test_deadline_across_national_day_and_the_ladder(reg_root: Path) -> None:
    # due Mon 2026-10-12; working days before it: Thu 8, Fri 9, Sat 10 (make-up), Mon 12.
    v = views(reg_root, D(2026, 9, 30))["1"]
    assert (v.workdays_left, v.level, v.report_status) == (4, None, "即将到期")
    v = views(reg_root, D(2026, 10, 8))["1"]
    assert (v.workdays_left, v.level) == (3, "催办")  # 3 working days before due, counting the make-up Saturday
    v = views(reg_root, D(2026, 10, 12))["1"]
    assert (v.days_overdue, v.workdays_overdue, v.level, v.report_status) == (0, 0, "催办", "即将到期")
    v = views(reg_root, D(2026, 10, 13))["1"]  # due at the end of 10-12 in Asia/Shanghai: overdue next day
    assert (v.days_overdue, v.workdays_overdue, v.level, v.report_status) == (1, 1, "督办", "逾期未完成")
    v = views(reg_root, D(2026, 10, 26))["1"]
    assert (v.days_overdue, v.workdays_overdue, v.level) == (14, 10, "通报")


def test_ladder_levels_are_data() -> None:
    ladder = (Level("蓝色提醒", -5), Level("橙色预警", 0), Level("红色通报", 3), Level("约谈", 20))
    assert level_for(ladder, -6) is None
    assert level_for(ladder, -5) == "蓝色提醒"
    assert level_for(ladder, 0) == "橙色预警"
    assert level_for(ladder, 19) == "红色通报"
    assert level_for(ladder, 20) == "约谈"
    assert level_for((), 100) is None


def test_reassignment_changes_the_units_in_force(make_registry) -> None:
    root = make_registry({
        f"meetings/2026/{M}.yaml": MEETING, "units/renshe.yaml": EXTRA_UNIT,
        f"tasks/2026/{M}-1.yaml": task_yaml(reassign=(
            "  - {date: 2026-10-09, lead: renshe, responsible: [minzheng], reason: 职能调整, decided_by: 总召集人}\n")),
    })
    v = views(root, D(2026, 10, 10))["1"]
    assert (v.lead, v.lead_name, v.responsible) == ("renshe", "县人社局", ("minzheng",))


# --- the commands: reading ---------------------------------------------------------------------------

def test_overdue_json_grouped_by_lead_most_overdue_first(reg_root: Path, jz) -> None:
    r = jz(reg_root, "tasks", "overdue", "--as-of", "2026-11-10", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["id"] for x in rows] == [f"{M}-1", f"{M}-2"]
    first = rows[0]
    assert {"id", "text", "meeting", "lead", "responsible", "due", "days_overdue", "workdays_overdue", "status",
            "percent", "level", "lead_name"} <= first.keys()
    assert (first["lead"], first["lead_name"], first["responsible"], first["due"]) == (
        "minzheng", "县民政局", ["caizheng"], "2026-10-12")
    assert (first["days_overdue"], first["workdays_overdue"], first["level"]) == (29, 21, "通报")
    assert (rows[1]["days_overdue"], rows[1]["workdays_overdue"], rows[1]["level"]) == (8, 6, "督办")


def test_overdue_table_unit_filter_and_fail(reg_root: Path, jz) -> None:
    r = jz(reg_root, "tasks", "overdue", "--as-of", "2026-11-10")
    assert r.exit_code == 0
    assert "牵头单位：县民政局（1 项）" in r.stdout and "牵头单位：县财政局（1 项）" in r.stdout
    assert r.stdout.index("县民政局（1 项）") < r.stdout.index("县财政局（1 项）")
    assert "通报" in r.stdout
    r = jz(reg_root, "tasks", "overdue", "--as-of", "2026-11-10", "--unit", "县财政局", "--fail", "--format", "json")
    assert r.exit_code == 1
    assert [x["id"] for x in json.loads(r.stdout)] == [f"{M}-1", f"{M}-2"]  # lead or responsible
    r = jz(reg_root, "tasks", "overdue", "--as-of", "2026-10-12", "--fail")
    assert r.exit_code == 0
    assert "截至 2026-10-12 没有逾期任务。" in r.stdout


def test_due_soon(reg_root: Path, jz) -> None:
    r = jz(reg_root, "tasks", "due-soon", "--as-of", "2026-10-08", "--format", "json")
    assert [x["id"] for x in json.loads(r.stdout)] == [f"{M}-1"]  # 3 working days left, default 5
    r = jz(reg_root, "tasks", "due-soon", "--as-of", "2026-10-08", "--within", "2", "--format", "json")
    assert json.loads(r.stdout) == []
    r = jz(reg_root, "tasks", "due-soon", "--as-of", "2026-10-27", "--within", "5")
    assert r.exit_code == 0
    assert f"{M}-2" in r.stdout and "即将到期" in r.stdout


def test_list_filters(reg_root: Path, jz) -> None:
    r = jz(reg_root, "tasks", "list", "--status", "长期坚持", "--format", "json")
    assert [x["id"] for x in json.loads(r.stdout)] == [f"{M}-3"]
    r = jz(reg_root, "tasks", "list", "--unit", "caizheng", "--format", "json", "--as-of", "2026-10-01")
    assert [x["id"] for x in json.loads(r.stdout)] == [f"{M}-1", f"{M}-2", f"{M}-4"]
    r = jz(reg_root, "tasks", "list", "--as-of", "2026-10-01")
    assert r.exit_code == 0 and "长期坚持" in r.stdout


def test_unknown_calendar_year_warns(make_registry, jz) -> None:
    late = MEETING.replace("due: 2026-12-31", "due: 2031-12-31")
    root = make_registry({f"meetings/2026/{M}.yaml": late})
    r = jz(root, "tasks", "due-soon", "--as-of", "2031-12-29", "--format", "json")
    assert r.exit_code == 0
    assert [x["id"] for x in json.loads(r.stdout)] == [f"{M}-4"]
    assert "警告：2031 年的法定节假日未知（chinese-calendar 和 calendar.yaml 都没有），按周末计算" in r.stderr


# --- update and reassign ------------------------------------------------------------------------------

def test_update_creates_then_appends_keeping_comments(reg_root: Path, jz) -> None:
    r = jz(reg_root, "tasks", "update", f"{M}-1", "--by", "县民政局", "--percent", "30", "--note", "已起草流程",
           "--date", "2026-10-09", "--as-of", "2026-10-10")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == f"已记录任务 {M}-1 的进展（2026-10-09，县民政局）：30%"
    path = reg_root / f"tasks/2026/{M}-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("log:", "log:  # 只追加", 1), encoding="utf-8")
    r = jz(reg_root, "tasks", "update", f"{M}-1", "--by", "caizheng", "--percent", "100", "--status", "已完成",
           "--note", "资金已拨付", "--as-of", "2026-10-12")
    assert r.exit_code == 0, r.output
    text = path.read_text(encoding="utf-8")
    assert "# 只追加" in text
    task = load(reg_root).registry.tasks[f"{M}-1"]
    assert [(e.date, e.by, e.percent, e.status, e.note) for e in task.log] == [
        (D(2026, 10, 9), "minzheng", 30, None, "已起草流程"),
        (D(2026, 10, 12), "caizheng", 100, "已完成", "资金已拨付"),
    ]
    assert [p for p in run(load(reg_root), D(2026, 10, 12)) if p.pos.file.startswith("tasks/")] == []
    # reopening a finished task with a reason, percent going down with it
    r = jz(reg_root, "tasks", "update", f"{M}-1", "--by", "minzheng", "--status", "推进中",
           "--percent", "80", "--reason", "审计发现遗漏", "--note", "补发遗漏人员", "--as-of", "2026-10-13")
    assert r.exit_code == 0, r.output
    v = views(reg_root, D(2026, 10, 13))["1"]
    assert (v.status, v.percent, v.days_overdue, v.level) == ("推进中", 80, 1, "督办")


def test_office_may_report_and_show_lists_history(reg_root: Path, jz) -> None:
    # caizheng is neither lead nor responsible of -3, but minzheng houses the office: office may report.
    r = jz(reg_root, "tasks", "update", f"{M}-3", "--by", "minzheng", "--note", "按月更新", "--as-of", "2026-10-09")
    assert r.exit_code == 0, r.output
    r = jz(reg_root, "tasks", "reassign", f"{M}-1", "--lead", "renshe", "--responsible", "minzheng",
           "--reason", "就业救助职能调整", "--decided-by", "总召集人", "--date", "2026-10-09", "--as-of", "2026-10-10")
    assert r.exit_code == 0, r.output
    assert "牵头单位 县人社局；责任单位 县民政局" in r.stdout
    r = jz(reg_root, "tasks", "update", f"{M}-1", "--by", "renshe", "--percent", "10", "--note", "接手",
           "--as-of", "2026-10-10")
    assert r.exit_code == 0, r.output
    r = jz(reg_root, "tasks", "show", f"{M}-1", "--as-of", "2026-10-10")
    assert r.exit_code == 0, r.output
    assert "牵头单位：县人社局  责任单位：县民政局" in r.stdout
    assert "调整记录" in r.stdout and "就业救助职能调整" in r.stdout and "接手" in r.stdout
    d = json.loads(jz(reg_root, "tasks", "show", f"{M}-1", "--format", "json", "--as-of", "2026-10-10").stdout)
    assert (d["original_lead"], d["lead"], len(d["reassignments"]), d["percent"]) == ("minzheng", "renshe", 1, 10)
    meeting = (reg_root / f"meetings/2026/{M}.yaml").read_text(encoding="utf-8")
    assert meeting == MEETING.lstrip("\n")  # the decision itself is never rewritten


REFUSALS = [
    (["tasks", "update", f"{M}-9", "--by", "minzheng", "--note", "x"],
     f"错误：没有任务“{M}-9”", f"你是不是想写“{M}-"),
    (["tasks", "update", f"{M}-1", "--by", "minzhen", "--note", "x"],
     "错误：没有成员单位“minzhen”", "你是不是想写“minzheng”？"),
    (["tasks", "update", f"{M}-1", "--by", "renshe", "--note", "x"],
     f"错误：县人社局不是任务“{M}-1”的牵头单位、责任单位，也不是联席会议办公室，不能报告它的进展",
     "牵头单位：县民政局；责任单位：县财政局。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--percent", "101", "--note", "x"],
     "错误：--percent 的值“101”不是 0 到 100 之间的整数百分比", "例如 --percent 40 或 --percent 40%。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--percent", "-1", "--note", "x"],
     "错误：--percent 的值“-1”不是 0 到 100 之间的整数百分比", "例如 --percent 40 或 --percent 40%。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--percent", "20", "--note", "x"],
     "错误：进度从 50% 降为 20%，需要说明原因", "加 --reason 说明进度为什么下降。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "x", "--date", "2026-09-29"],
     "错误：日期 2026-09-29 早于作出该事项的会议日期 2026-09-30", f"任务“{M}-1”从会议当天起才能记录。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "x", "--date", "2026-10-21"],
     "错误：日期 2026-10-21 晚于今天（2026-10-20），不能预先记录", "去掉 --date 即为今天。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "x", "--date", "2026-02-30"],
     "错误：--date 的值“2026-02-30”不是存在的日期", "检查月份和日子是否写错。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "x", "--status", "进行中"],
     "错误：--status 的值“进行中”不是任务状态", "可选：未开始、推进中、已完成、长期坚持"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "x", "--status", "长期坚持"],
     f"错误：任务“{M}-1”有完成时限（2026-10-12），不能标记为长期坚持", "只有会议议定为长期坚持的事项"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "x", "--status", "已完成", "--percent", "90"],
     "错误：标记为已完成时进度应为 100%，而不是 90%", "去掉 --percent，或写 --percent 100。"),
    (["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "  "],
     "错误：--note 不能为空", "用一两句话写明本次进展。"),
    (["tasks", "update", f"{M}-4", "--by", "minzheng", "--note", "再补充"],
     f"错误：任务“{M}-4”已完成，不能再报告进展", "加 --status 推进中 --reason 说明重新打开的原因"),
    (["tasks", "update", f"{M}-4", "--by", "minzheng", "--note", "再补充", "--status", "推进中"],
     f"错误：任务“{M}-4”已完成，不能再报告进展", "加 --status 推进中 --reason 说明重新打开的原因"),
    (["tasks", "list", "--status", "已逾期"],
     "错误：--status 的值“已逾期”不是任务状态", "可选：未开始、推进中、已完成、长期坚持"),
    (["tasks", "overdue", "--unit", "县财正局"],
     "错误：没有成员单位“县财正局”", "你是不是想写“县财政局”？"),
    (["tasks", "due-soon", "--within", "-1"],
     "错误：--within 的值 -1 不能为负数", "例如 --within 5"),
    (["tasks", "show", "m-20260930-regular"],
     "错误：没有任务“m-20260930-regular”", "你是不是想写"),
    (["tasks", "reassign", f"{M}-1", "--lead", "renshi", "--reason", "r", "--decided-by", "总召集人"],
     "错误：没有成员单位“renshi”", "你是不是想写“renshe”？"),
    (["tasks", "reassign", f"{M}-1", "--lead", "renshe", "--responsible", "renshe", "--reason", "r",
      "--decided-by", "总召集人"],
     "错误：县人社局不能既是牵头单位又是责任单位", "从 --responsible 中去掉牵头单位。"),
    (["tasks", "reassign", f"{M}-1", "--lead", "minzheng", "--responsible", "caizheng", "--reason", "r",
      "--decided-by", "总召集人"],
     f"错误：任务“{M}-1”的牵头单位和责任单位已经是这样，无需调整", "检查 --lead 和 --responsible。"),
    (["tasks", "reassign", f"{M}-1", "--lead", "renshe", "--reason", " ", "--decided-by", "总召集人"],
     "错误：--reason 和 --decided-by 不能为空", "例如 --decided-by 总召集人"),
    (["tasks", "reassign", f"{M}-1", "--lead", "renshe", "--reason", "r", "--decided-by", "总召集人",
      "--date", "2026-09-01"],
     "错误：日期 2026-09-01 早于作出该事项的会议日期 2026-09-30", "从会议当天起才能记录"),
]


@pytest.mark.parametrize(("args", "message", "hint"), REFUSALS, ids=[m for _, m, _ in REFUSALS])
def test_refused_with_message_and_nothing_written(make_registry, jz, args, message, hint) -> None:
    root = make_registry({
        f"meetings/2026/{M}.yaml": MEETING, "units/renshe.yaml": EXTRA_UNIT,
        f"tasks/2026/{M}-1.yaml": task_yaml("  - {date: 2026-10-09, by: minzheng, percent: 50, note: 过半}\n"),
        f"tasks/2026/{M}-4.yaml": task_yaml(
            "  - {date: 2026-10-09, by: minzheng, percent: 100, status: 已完成, note: 检查完毕}\n", task=f"{M}-4"),
    })
    before = tree_hash(root)
    as_of = [] if args[1] in ("list", "overdue", "due-soon", "show") else ["--as-of", "2026-10-20"]
    r = jz(root, *args, *as_of)
    assert r.exit_code == 1, r.output
    lines = r.stderr.splitlines()
    assert lines[0] == message
    assert lines[1].startswith("  提示：") and hint in lines[1]
    assert tree_hash(root) == before


def test_reopen_and_lower_percent_with_reason_are_accepted(make_registry, jz) -> None:
    root = make_registry({
        f"meetings/2026/{M}.yaml": MEETING,
        f"tasks/2026/{M}-1.yaml": task_yaml("  - {date: 2026-10-09, by: minzheng, percent: 50, note: 过半}\n"),
    })
    r = jz(root, "tasks", "update", f"{M}-1", "--by", "caizheng", "--percent", "20", "--reason", "口径调整",
           "--note", "重新统计", "--as-of", "2026-10-20")
    assert r.exit_code == 0, r.output
    entry = load(root).registry.tasks[f"{M}-1"].log[-1]
    assert (entry.percent, entry.reason, entry.status) == (20, "口径调整", None)


# --- validate --------------------------------------------------------------------------------------

def test_validate_task_files(make_registry) -> None:
    root = make_registry({
        f"meetings/2026/{M}.yaml": MEETING, "units/renshe.yaml": EXTRA_UNIT,
        f"tasks/2026/{M}-1.yaml": task_yaml(
            "  - {date: 2026-09-29, by: minzheng, percent: 150, note: 早了}\n"
            "  - {date: 2026-10-09, by: renshe, note: 不是我的}\n"
            "  - {date: 2026-10-09, by: nobody, note: 谁}\n",
            "  - {date: 2026-10-10, lead: renshi, responsible: [caizheng], reason: r, decided_by: 总召集人}\n"),
        f"tasks/2026/{M}-7.yaml": task_yaml(task=f"{M}-7"),
    })
    found = {(p.pos.file, p.pos.line, p.code, p.message) for p in run(load(root), D(2026, 11, 1))
             if p.pos.file.startswith("tasks/")}
    f1, f7 = f"tasks/2026/{M}-1.yaml", f"tasks/2026/{M}-7.yaml"
    assert found == {
        (f1, 3, "task-before-meeting", "进展日期 2026-09-29 早于作出该事项的会议日期 2026-09-30"),
        (f1, 3, "bad-percent", "进度 150% 超出 0–100 的范围"),
        (f1, 4, "task-not-assigned", "县人社局在 2026-10-09 既不是该事项的牵头单位、责任单位，也不是联席会议办公室"),
        (f1, 5, "unresolved-ref", "成员单位“nobody”不存在"),
        (f1, 7, "unresolved-ref", "成员单位“renshi”不存在"),
        (f7, 1, "unresolved-ref", f"议定事项“{M}-7”不存在"),
    }


def test_entries_are_written_as_block_lists(make_registry, jz) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING, f"tasks/2026/{M}-1.yaml": task_yaml()})
    for args in (["update", f"{M}-1", "--by", "minzheng", "--note", "启动"],
                 ["reassign", f"{M}-2", "--lead", "minzheng", "--responsible", "caizheng", "--reason", "对调",
                  "--decided-by", "联席会议"],
                 ["update", f"{M}-2", "--by", "minzheng", "--note", "接手"]):
        assert jz(root, "tasks", *args, "--as-of", "2026-10-09").exit_code == 0
    assert (root / f"tasks/2026/{M}-1.yaml").read_text(encoding="utf-8") == (
        f"task: {M}-1\nlog:\n  - date: 2026-10-09\n    by: minzheng\n    note: 启动\nreassignments: []\n")
    assert (root / f"tasks/2026/{M}-2.yaml").read_text(encoding="utf-8") == (
        f"# 议定事项 {M}-2 的办理进展：只追加，不改写已有记录\ntask: {M}-2\n"
        "reassignments:\n  - date: 2026-10-09\n    lead: minzheng\n    responsible: [caizheng]\n    reason: 对调\n"
        "    decided_by: 联席会议\nlog:\n  - date: 2026-10-09\n    by: minzheng\n    note: 接手\n")


def test_on_a_copy_of_the_shipped_registry(shipped_copy: Path, jz) -> None:
    (shipped_copy / "meetings/2026").mkdir(parents=True)
    (shipped_copy / f"meetings/2026/{M}.yaml").write_text(MEETING.lstrip("\n"), encoding="utf-8")
    r = jz(shipped_copy, "tasks", "update", f"{M}-1", "--by", "县人社局", "--note", "x", "--as-of", "2026-10-09")
    assert r.exit_code == 1 and "县人社局不是任务" in r.stderr
    r = jz(shipped_copy, "tasks", "update", f"{M}-1", "--by", "县民政局", "--percent", "40", "--note", "进行中",
           "--as-of", "2026-10-09")
    assert r.exit_code == 0, r.output
    rows = json.loads(jz(shipped_copy, "tasks", "overdue", "--as-of", "2026-10-13", "--format", "json").stdout)
    assert [(x["id"], x["lead_name"], x["percent"], x["level"]) for x in rows] == [(f"{M}-1", "县民政局", 40, "督办")]
    assert not [p for p in run(load(shipped_copy), D(2026, 10, 13)) if p.pos.file.startswith("tasks/")]


# --- follow-up fixes ---------------------------------------------------------------------------------

BAD_ENTRIES = [
    ("  - {date: 2026-13-01, by: minzheng, note: x}\n", "", "bad-date 错误：“log[1].date”的日期 2026-13-01 不存在"),
    ("  - {date: 2026-10-09, by: minzheng}\n", "", "missing-field 错误：缺少必填字段“note”（“log[1]”）"),
    ("", "  - {date: 2026-10-09, lead: renshe, reason: r}\n",
     "missing-field 错误：缺少必填字段“decided_by”（“reassignments[1]”）"),
]


@pytest.mark.parametrize(("log", "reassign", "message"), BAD_ENTRIES, ids=["bad-date", "no-note", "no-decided-by"])
def test_hand_edited_bad_entry_is_reported_not_a_crash(make_registry, jz, log, reassign, message) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING, "units/renshe.yaml": EXTRA_UNIT,
                          f"tasks/2026/{M}-1.yaml": task_yaml(log, reassign)})
    r = jz(root, "validate", "--as-of", "2026-10-20")
    assert r.exit_code == 1, r.output
    assert message in r.output
    before = tree_hash(root)
    for args in (["tasks", "list"], ["tasks", "overdue", "--as-of", "2026-11-10"],
                 ["tasks", "update", f"{M}-1", "--by", "minzheng", "--note", "x", "--as-of", "2026-10-20"]):
        r = jz(root, *args)
        assert r.exit_code == 1, (args, r.output)
        assert r.stderr.startswith("错误：登记册有 1 个错误，请先运行 jiuzhu validate 并修正。"), r.stderr
        assert message in r.stderr
    assert tree_hash(root) == before


def test_reassign_without_responsible_keeps_those_in_force(reg_root: Path, jz) -> None:
    r = jz(reg_root, "tasks", "reassign", f"{M}-1", "--lead", "renshe", "--reason", "职能调整",
           "--decided-by", "总召集人", "--as-of", "2026-10-09")
    assert r.exit_code == 0, r.output
    assert "牵头单位 县人社局；责任单位 县财政局" in r.stdout
    # the new lead leaves the responsible units it was among
    r = jz(reg_root, "tasks", "reassign", f"{M}-1", "--lead", "caizheng", "--reason", "再调整",
           "--decided-by", "总召集人", "--as-of", "2026-10-09")
    assert r.exit_code == 0, r.output
    assert "牵头单位 县财政局；责任单位 无" in r.stdout
    task = load(reg_root).registry.tasks[f"{M}-1"]
    assert [(x.lead, x.responsible) for x in task.reassignments] == [("renshe", ("caizheng",)), ("caizheng", ())]
    r = jz(reg_root, "tasks", "reassign", f"{M}-2", "--lead", "minzheng", "--no-responsible", "--reason", "r",
           "--decided-by", "总召集人", "--as-of", "2026-10-09")
    assert r.exit_code == 0 and "责任单位 无" in r.stdout
    assert "不写 --responsible 时保留现有的责任单位" in jz(reg_root, "tasks", "reassign", "--help").stdout


def test_not_started_with_progress_is_refused(make_registry, jz) -> None:
    root = make_registry({
        f"meetings/2026/{M}.yaml": MEETING,
        f"tasks/2026/{M}-1.yaml": task_yaml("  - {date: 2026-10-09, by: minzheng, percent: 50, note: 过半}\n"),
        f"tasks/2026/{M}-2.yaml": task_yaml("  - {date: 2026-10-09, by: caizheng, status: 未开始, note: 待拨款}\n",
                                            task=f"{M}-2"),
    })
    before = tree_hash(root)
    r = jz(root, "tasks", "update", f"{M}-1", "--by", "minzheng", "--status", "未开始", "--note", "x",
           "--as-of", "2026-10-20")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"错误：状态为未开始时进度应为 0%，而任务“{M}-1”的进度将是 50%"
    r = jz(root, "tasks", "update", f"{M}-2", "--by", "caizheng", "--percent", "30", "--note", "x",
           "--as-of", "2026-10-20")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"错误：任务“{M}-2”的状态是未开始，不能只把进度改为 30%"
    assert tree_hash(root) == before
    # back to not started with percent 0 and a reason is consistent
    r = jz(root, "tasks", "update", f"{M}-1", "--by", "minzheng", "--status", "未开始", "--percent", "0",
           "--reason", "方案推翻重来", "--note", "重新开始", "--as-of", "2026-10-20")
    assert r.exit_code == 0, r.output
    r = jz(root, "tasks", "update", f"{M}-2", "--by", "caizheng", "--status", "推进中", "--percent", "30",
           "--note", "已拨款", "--as-of", "2026-10-20")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("args", [["list"], ["overdue"], ["due-soon"], ["show", f"{M}-1"]])
def test_unknown_format_is_a_usage_error(reg_root: Path, jz, args: list[str]) -> None:
    r = jz(reg_root, "tasks", *args, "--format", "xml")
    assert r.exit_code == 2, r.output
    allowed = "只能是 table 或 json" if args[0] == "show" else "只能是 table、json、csv 或 xlsx"
    assert "--format" in r.output and allowed in r.output


def test_checks_after_a_skipped_entry_point_at_the_right_line(make_registry) -> None:
    root = make_registry({
        f"meetings/2026/{M}.yaml": MEETING, "units/renshe.yaml": EXTRA_UNIT,
        f"tasks/2026/{M}-1.yaml": task_yaml(
            "  - {date: 2026-13-01, by: minzheng, note: 坏日期}\n"
            "  - {date: 2026-10-09, by: nobody, note: 谁}\n",
            "  - {date: 2026-10-09, lead: renshe, reason: 缺决定人}\n"
            "  - {date: 2026-10-10, lead: renshi, reason: r, decided_by: 总召集人}\n"),
    })
    found = [(p.pos.line, p.code) for p in run(load(root), D(2026, 11, 1)) if p.pos.file.startswith("tasks/")]
    assert sorted(found) == [(3, "bad-date"), (4, "unresolved-ref"), (6, "missing-field"), (7, "unresolved-ref")]
