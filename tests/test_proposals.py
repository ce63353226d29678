"""Proposals: submit, office review, convener approval, return and resubmit — states from data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cycle_helpers import ok, proposal, refused_cleanly, registry

from jiuzhu.errors import InputRefused
from jiuzhu.proposals import new_proposal
from jiuzhu.records import draw_id
from jiuzhu.writer import registry_lock


def test_new_writes_the_file_with_its_submit_step(make_registry):
    root = make_registry()
    with registry_lock(root):
        c = new_proposal(registry(root), "县民政局", "关于提高城乡低保标准的议题", "物价上涨", dt.date(2026, 9, 1),
                         draw=lambda: "abcd")
    assert c.id == "p-20260901-minzheng-abcd"
    assert c.path == "proposals/2026/p-20260901-minzheng-abcd.yaml"
    assert (root / c.path).read_text(encoding="utf-8") == (
        "# 议题：关于提高城乡低保标准的议题\n"
        "id: p-20260901-minzheng-abcd\n"
        "unit: minzheng\n"
        "title: 关于提高城乡低保标准的议题\n"
        "summary: 物价上涨\n"
        "history:\n"
        "  - {action: submit, to: 待初审, date: 2026-09-01, by: minzheng}\n"
    )


def test_new_prints_id_and_path(make_registry, jz):
    root = make_registry()
    res = ok(jz, root, "proposal", "new", "--unit", "caizheng", "--title", "资金议题", "--date", "2026-09-02")
    assert "已提交议题：资金议题（待办公室初审）" in res.output
    assert "编号：p-20260902-caizheng-" in res.output
    out = json.loads(
        ok(jz, root, "proposal", "new", "--unit", "caizheng", "--title", "资金议题", "--date", "2026-09-02", "--format",
           "json").stdout
    )
    assert set(out) == {"id", "path"} and (root / out["path"]).is_file()


def test_two_proposals_same_unit_same_day_get_two_ids(make_registry, jz):
    root = make_registry()
    a, b = proposal(jz, root), proposal(jz, root)
    assert a != b and a.startswith("p-20260901-minzheng-") and b.startswith("p-20260901-minzheng-")


def test_id_is_drawn_again_while_taken():
    draws = iter(["aaaa", "aaaa", "bbbb"])
    taken = {"p-x-aaaa"}
    assert draw_id("p-x", taken.__contains__, lambda: next(draws)) == "p-x-bbbb"


def test_the_whole_path_review_approve(make_registry, jz):
    root = make_registry()
    pid = proposal(jz, root)
    res = ok(jz, root, "proposal", "review", pid, "--pass", "--opinion", "同意提交审定", "--date", "2026-09-02")
    assert f"议题 {pid}：初审通过，状态变为“已通过初审”（2026-09-02）" in res.output
    res = ok(jz, root, "proposal", "approve", pid, "--by", "convener", "--date", "2026-09-03")
    assert "审定，状态变为“已审定”" in res.output
    p = registry(root).proposals[pid]
    assert p.status == "已审定"
    assert [(a.action, a.to, a.date.isoformat(), a.by, a.opinion) for a in p.history] == [
        ("submit", "待初审", "2026-09-01", "minzheng", None),
        ("review_pass", "已通过初审", "2026-09-02", "office", "同意提交审定"),
        ("approve", "已审定", "2026-09-03", "convener", None),
    ]


def test_returned_proposal_is_revised_and_resubmitted(make_registry, jz):
    root = make_registry()
    pid = proposal(jz, root, title="旧标题")
    ok(jz, root, "proposal", "review", pid, "--return", "--opinion", "请补充资金测算", "--date", "2026-09-02")
    ok(jz, root, "proposal", "resubmit", pid, "--note", "已补充测算", "--title", "新标题", "--summary", "含测算",
       "--date", "2026-09-05")
    ok(jz, root, "proposal", "review", pid, "--pass", "--opinion", "同意", "--date", "2026-09-06")
    p = registry(root).proposals[pid]
    assert (p.title, p.summary, p.status) == ("新标题", "含测算", "已通过初审")
    assert [a.action for a in p.history] == ["submit", "review_return", "resubmit", "review_pass"]
    assert p.history[2].by == "minzheng" and p.history[2].opinion == "已补充测算"


def test_show_lists_the_history_and_next_step(make_registry, jz):
    root = make_registry()
    pid = proposal(jz, root)
    ok(jz, root, "proposal", "review", pid, "--pass", "--opinion", "同意", "--date", "2026-09-02")
    res = ok(jz, root, "proposal", "show", pid)
    assert "提出单位：县民政局  状态：已通过初审" in res.output
    assert "联席会议办公室" in res.output
    assert "可以进行的下一步：审定（jiuzhu proposal approve ID）。" in res.output
    d = json.loads(ok(jz, root, "proposal", "show", pid, "--format", "json").stdout)
    assert [h["action"] for h in d["history"]] == ["submit", "review_pass"]


def test_list_json_and_status_filter(make_registry, jz):
    root = make_registry()
    a = proposal(jz, root)
    b = proposal(jz, root, unit="caizheng", title="资金议题", date="2026-09-02")
    ok(jz, root, "proposal", "review", b, "--pass", "--opinion", "同意", "--date", "2026-09-03")
    rows = json.loads(ok(jz, root, "proposal", "list", "--format", "json").stdout)
    assert [(r["id"], r["unit"], r["unit_name"], r["status"]) for r in rows] == [
        (a, "minzheng", "县民政局", "待初审"),
        (b, "caizheng", "县财政局", "已通过初审"),
    ]
    assert {"id", "unit", "title", "status"} <= set(rows[0])
    rows = json.loads(ok(jz, root, "proposal", "list", "--status", "已通过初审", "--format", "json").stdout)
    assert [r["id"] for r in rows] == [b]
    assert "资金议题" in ok(jz, root, "proposal", "list").output
    assert "没有状态为“已审定”的议题。" in ok(jz, root, "proposal", "list", "--status", "已审定").output


def test_edit_changes_only_the_history_and_keeps_comments(make_registry, jz):
    root = make_registry()
    pid = proposal(jz, root)
    path = next((root / "proposals/2026").glob("*.yaml"))
    before = path.read_text(encoding="utf-8").replace(
        "title: 关于提高城乡低保标准的议题", "title: 关于提高城乡低保标准的议题   # 民政局 9 月提出"
    )
    path.write_text(before, encoding="utf-8")
    ok(jz, root, "proposal", "review", pid, "--pass", "--opinion", "同意：报审定", "--date", "2026-09-02")
    after = path.read_text(encoding="utf-8")
    assert after.splitlines()[:-1] == before.splitlines()
    assert after.splitlines()[-1] == (
        "  - {action: review_pass, to: 已通过初审, date: 2026-09-02, by: office, opinion: 同意：报审定}"
    )
    assert "# 民政局 9 月提出" in after


# --- refusals: message shown, nothing written -----------------------------------------------------


def _setup(jz, root, state):
    pid = proposal(jz, root)
    if state in ("passed", "returned"):
        ok(jz, root, "proposal", "review", pid, "--pass" if state == "passed" else "--return", "--opinion", "意见",
           "--date", "2026-09-02")
    return pid


REFUSALS = [
    ("new", ("proposal", "new", "--unit", "县民正局", "--title", "标题"), "错误：没有成员单位“县民正局”",
     "你是不是想写“县民政局”？"),
    ("new", ("proposal", "new", "--unit", "minzheng", "--title", "  "), "错误：--title 不能为空", "写明议题的标题"),
    ("new", ("proposal", "new", "--unit", "minzheng", "--title", "标题", "--date", "2026-02-30"),
     "错误：--date 的值“2026-02-30”不是存在的日期", "检查月份和日子是否写错。"),
    (
        "new",
        ("proposal", "approve", "{pid}", "--date", "2026-09-03"),
        "错误：议题“{pid}”当前状态为“待初审”，不能审定",
        "可以进行的下一步：初审通过（jiuzhu proposal review ID --pass）；"
        "初审退回（jiuzhu proposal review ID --return）。",
    ),
    ("passed", ("proposal", "review", "{pid}", "--pass", "--opinion", "再审", "--date", "2026-09-03"),
     "错误：议题“{pid}”当前状态为“已通过初审”，不能初审通过", "可以进行的下一步：审定（jiuzhu proposal approve ID）。"),
    ("new", ("proposal", "resubmit", "{pid}", "--note", "改了", "--date", "2026-09-03"),
     "错误：议题“{pid}”当前状态为“待初审”，不能修改后重新提交", "可以进行的下一步：初审通过"),
    ("new", ("proposal", "review", "{pid}", "--opinion", "意见"), "错误：请在 --pass 和 --return 中选择一个",
     "--pass 表示初审通过"),
    ("new", ("proposal", "review", "{pid}", "--pass", "--return", "--opinion", "意见"),
     "错误：请在 --pass 和 --return 中选择一个", "--return 表示退回"),
    ("new", ("proposal", "review", "{pid}", "--pass", "--opinion", " ", "--date", "2026-09-02"),
     "错误：--opinion 不能为空", "写明初审意见"),
    ("new", ("proposal", "review", "{pid}", "--pass", "--opinion", "同意", "--date", "2026-08-31"),
     "错误：日期 2026-08-31 早于该议题上一步的日期 2026-09-01", "日期不能倒退"),
    ("passed", ("proposal", "approve", "{pid}", "--by", "mayor", "--date", "2026-09-03"),
     "错误：--by 的值“mayor”不可用", "审定人只能是 chief（总召集人）或 convener（召集人）。"),
    ("returned", ("proposal", "resubmit", "{pid}", "--note", "", "--date", "2026-09-03"), "错误：--note 不能为空",
     "说明作了哪些修改"),
    ("new", ("proposal", "review", "p-20260901-minzheng-zzzz", "--pass", "--opinion", "同意"),
     "错误：没有议题“p-20260901-minzheng-zzzz”", "你是不是想写“{pid}”？"),
    ("new", ("proposal", "list", "--status", "已审"), "错误：没有议题状态“已审”", "你是不是想写“已审定”？"),
]


@pytest.mark.parametrize(("state", "args", "message", "hint"), REFUSALS)
def test_refused_with_message_and_nothing_written(make_registry, jz, state, args, message, hint):
    root = make_registry()
    refused_cleanly(jz, root, args, message, hint, pid=_setup(jz, root, state))


def test_inactive_unit_cannot_propose(make_registry):
    root = make_registry()
    path = root / "units/caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("active: true", "active: false"), encoding="utf-8")
    with pytest.raises(InputRefused) as exc:
        new_proposal(registry(root), "caizheng", "标题", None, dt.date(2026, 9, 1))
    assert exc.value.message == "县财政局（caizheng）已不是成员单位"


def test_an_act_cannot_be_dated_after_today(make_registry, jz):
    from tests.conftest import tree_hash

    root = make_registry()
    before = tree_hash(root)
    res = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "关于明年的议题", "--date", "2099-01-01")
    assert res.exit_code == 1
    assert "错误：--date 2099-01-01 晚于今天" in res.output
    assert "只记录已经办理的事；不写 --date 即为今天。" in res.output
    assert tree_hash(root) == before
