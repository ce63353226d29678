"""Odd input found by a crash hunt: each is refused with exit 1 and a Chinese message, nothing
written, never an internal error (exit 3)."""

from __future__ import annotations

import datetime as dt
import os

from conftest import MINI_SYSTEM, tree_hash
from cycle_helpers import meeting, ok


def _no_crash(res) -> None:  # type: ignore[no-untyped-def]
    assert res.exit_code == 1, res.output
    assert "内部错误" not in res.output and "Traceback" not in res.output


def test_decision_add_refuses_a_lead_that_is_not_a_unit(make_registry, jz):
    root = make_registry({"system.yaml": MINI_SYSTEM.replace("unit: minzheng", "unit: nosuch")})
    mid = meeting(jz, root, "adhoc", "2026-09-22")
    before = tree_hash(root)
    res = jz(root, "decision", "add", mid, "--text", "开展一次联合走访", "--ongoing", "--accept-suggestion")
    _no_crash(res)
    assert "单位“nosuch”不在登记册中，不能作为牵头或责任单位" in res.output
    assert tree_hash(root) == before


def test_force_never_replaces_a_symlink_or_device(make_registry, jz, tmp_path):
    root = make_registry()
    mid = meeting(jz, root, "regular", "2026-09-22")
    real = tmp_path / "real.md"
    real.write_text("mine", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    res = jz(root, "minutes", "render", mid, "-o", str(link), "--force")
    _no_crash(res)
    assert "不是普通文件" in res.output
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "mine"


def test_a_newline_in_a_title_is_refused(make_registry, jz):
    from conftest import tree_hash

    root = make_registry()
    before = tree_hash(root)
    res = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "甲\nsummary: 乙", "--date", "2026-09-01")
    assert res.exit_code == 1 and "--title 的值含有换行，只能是一行文字" in res.output
    res = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "长" * 201, "--date", "2026-09-01")
    assert res.exit_code == 1 and "超过上限 200 个字" in res.output
    assert tree_hash(root) == before


def test_dates_far_away_are_refused_not_overflowed(make_registry, jz):
    root = make_registry()
    res = jz(root, "tasks", "overdue", "--as-of", "9999-12-31")
    _no_crash(res)
    assert "--as-of 的日期 9999-12-31 超出可处理的范围（1949–2199 年）" in res.output


def test_counting_to_the_last_representable_day_does_not_overflow(make_registry):
    from jiuzhu.loader import load
    from jiuzhu.workdays import Calendar

    cal = Calendar.of(load(make_registry()).registry)
    assert cal.workdays_between(dt.date(9999, 12, 1), dt.date(9999, 12, 31)) > 0


def test_a_calendar_year_with_a_scalar_list_is_reported(make_registry, jz):
    root = make_registry({"calendar.yaml": "years: {2027: {holidays: 5}}\n"})
    res = jz(root, "validate", "--as-of", "2016-08-01")
    _no_crash(res)
    assert "calendar.yaml 中 2027 年的 holidays 应为日期列表" in res.output


def test_proposal_show_with_a_broken_system_file(make_registry, jz):
    root = make_registry()
    ok(jz, root, "proposal", "new", "--unit", "minzheng", "--title", "关于低保的议题", "--date", "2026-09-01")
    (path,) = (root / "proposals").rglob("*.yaml")
    (root / "system.yaml").write_text(MINI_SYSTEM.replace("\nname:", "\nnam:"), encoding="utf-8")
    res = jz(root, "proposal", "show", path.stem)
    _no_crash(res)


def test_an_output_path_under_a_file_is_a_user_error(make_registry, jz, tmp_path):
    root = make_registry()
    mid = meeting(jz, root, "regular", "2026-09-22")
    blocker = tmp_path / "f.txt"
    blocker.write_text("x", encoding="utf-8")
    res = jz(root, "minutes", "render", mid, "-o", os.path.join(blocker, "x.md"))
    _no_crash(res)
    assert f"错误：{blocker} 不是目录" in res.output
