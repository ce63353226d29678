"""Say so before it matters: rest-day deadlines, suggestions a person accepts, minutes that are
not ready, chairs without a name."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import MINI_SYSTEM, tree_hash
from cycle_helpers import meeting, ok, refused, registry

TEXT = "提高城乡低保标准"


@pytest.mark.parametrize("due, rest, nxt", [
    ("2026-12-26", "星期六", "2026-12-28"),
    ("2026-12-27", "星期日", "2026-12-28"),
    ("2026-10-01", "法定节假日", "2026-10-08"),
])
def test_a_deadline_on_a_rest_day_is_kept_and_said(make_registry, jz, due, rest, nxt):
    root = make_registry()
    mid = meeting(jz, root)
    res = ok(jz, root, "decision", "add", mid, "--text", TEXT, "--lead", "minzheng", "--due", due)
    assert f"警告：完成时限 {due} 是{rest}，不是工作日；下一个工作日是 {nxt}（加 --next-workday 改用它" in res.output
    assert registry(root).decisions[f"{mid}-1"].due == dt.date.fromisoformat(due)


def test_next_workday_moves_a_rest_day_deadline_and_says_so(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    res = ok(jz, root, "decision", "add", mid, "--text", TEXT, "--lead", "minzheng", "--due", "2026-10-01",
             "--next-workday")
    assert "完成时限 2026-10-01 是法定节假日，已改为下一个工作日 2026-10-08" in res.output
    assert registry(root).decisions[f"{mid}-1"].due == dt.date(2026, 10, 8)


def test_a_working_day_deadline_says_nothing(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    res = ok(jz, root, "decision", "add", mid, "--text", TEXT, "--lead", "minzheng", "--due", "2026-12-31",
             "--next-workday")
    assert "警告" not in res.output and "工作日" not in res.output
    assert registry(root).decisions[f"{mid}-1"].due == dt.date(2026, 12, 31)


def test_a_script_without_lead_gets_the_suggestion_and_nothing_is_written(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    before = tree_hash(root)
    out = refused(jz, root, "decision", "add", mid, "--text", TEXT, "--due", "2026-12-31")
    assert "没有指定牵头单位（--lead），按职责建议：\n  建议牵头单位：县民政局（职责 minzheng-1" in out
    assert "采用建议请加 --accept-suggestion，或用 --lead（和 --responsible）指定。" in out
    assert tree_hash(root) == before
    ok(jz, root, "decision", "add", mid, "--text", TEXT, "--due", "2026-12-31", "--accept-suggestion")
    d = registry(root).decisions[f"{mid}-1"]
    assert (d.lead, d.assigned) == ("minzheng", "suggested")


@pytest.fixture
def at_a_terminal(monkeypatch):
    monkeypatch.setattr("jiuzhu.cli.common.interactive", lambda: True)


def test_a_person_at_a_terminal_is_asked_and_yes_writes_the_suggestion(make_registry, runner, at_a_terminal):
    from jiuzhu.cli import app

    root = make_registry()
    mid = meeting(lambda r, *a: runner.invoke(app, ["--registry", str(r), *a]), root)
    res = runner.invoke(app, ["--registry", str(root), "decision", "add", mid, "--text", TEXT, "--due",
                              "2026-12-31"], input="是\n")
    assert res.exit_code == 0, res.output
    assert "没有指定牵头单位，按职责建议：" in res.output
    assert "建议牵头单位：县民政局（职责 minzheng-1" in res.output
    assert "采用以上建议吗？" in res.output
    assert registry(root).decisions[f"{mid}-1"].lead == "minzheng"


def test_a_person_at_a_terminal_who_says_no_gets_nothing_written(make_registry, runner, at_a_terminal):
    from jiuzhu.cli import app

    root = make_registry()
    mid = meeting(lambda r, *a: runner.invoke(app, ["--registry", str(r), *a]), root)
    before = tree_hash(root)
    res = runner.invoke(app, ["--registry", str(root), "decision", "add", mid, "--text", TEXT, "--due",
                              "2026-12-31"], input="否\n")
    assert res.exit_code == 1, res.output
    assert "未采用建议，什么也没有写" in res.output
    assert tree_hash(root) == before


def _nameless_chief(make_registry):
    return make_registry({"system.yaml": MINI_SYSTEM.replace("chief: {name: 张三, post: 副县长}",
                                                             "chief: {name: null, post: 副县长}")})


def test_minutes_issued_with_a_chair_without_a_name_warn(make_registry, jz):
    root = _nameless_chief(make_registry)
    mid = meeting(jz, root)
    ok(jz, root, "meeting", "attend", mid, "--rest", "--attended")
    ok(jz, root, "decision", "add", mid, "--text", TEXT, "--lead", "minzheng", "--due", "2026-12-31")
    res = ok(jz, root, "minutes", "render", mid)
    assert "警告：会议主持人没有姓名，文档中只写职务" in res.output
    res = ok(jz, root, "minutes", "issue", mid, "--date", "2026-09-25")
    assert "警告：会议主持人没有姓名，纪要中只写职务" in res.output


def test_a_chair_with_a_name_gives_no_warning(make_registry, jz):
    root = make_registry()
    mid = meeting(jz, root)
    ok(jz, root, "meeting", "attend", mid, "--rest", "--attended")
    ok(jz, root, "decision", "add", mid, "--text", TEXT, "--lead", "minzheng", "--due", "2026-12-31")
    assert "主持人没有姓名" not in ok(jz, root, "minutes", "render", mid).output
    assert "主持人没有姓名" not in ok(jz, root, "minutes", "issue", mid, "--date", "2026-09-25").output
