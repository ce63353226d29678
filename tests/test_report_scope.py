"""进展情况通报: which decisions it covers (--meeting, --year, --from/--to, --unit, the default), its
per-year number kept in system.yaml, its title and the sentences an office would write."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import tree_hash
from docs_registry import DOCS_FILES, MEETING_ID

LAST_YEAR = "m-20251120-regular-e5f6"
LAST_YEAR_FILES = {
    f"meetings/2025/{LAST_YEAR}.yaml": f"""
        id: {LAST_YEAR}
        kind: regular
        date: 2025-11-20
        chair: {{role: chief, name: null}}
        decisions:
          - id: {LAST_YEAR}-1
            text: 会议要求县民政局建立低保对象动态管理台账。
            areas: [dibao]
            lead: minzheng
            responsible: []
            due: 2026-03-31
          - id: {LAST_YEAR}-2
            text: 会议要求县财政局清理历年救助资金结余。
            areas: [zijin]
            lead: caizheng
            responsible: []
            due: 2026-02-28
        minutes: {{year: 2025, number: 4, issued: 2025-11-25, reported_to: 县政府}}
        """,
    f"tasks/2025/{LAST_YEAR}-2.yaml": f"""
        task: {LAST_YEAR}-2
        log:
          - {{date: 2026-02-20, by: caizheng, percent: 100, status: 已完成, note: 结余资金已清理完毕。}}
        """,
}
AS_OF = ["--as-of", "2026-12-15"]


@pytest.fixture
def reg(make_registry):
    return make_registry({**DOCS_FILES, **LAST_YEAR_FILES})


def _report(jz, reg: Path, *args: str) -> str:
    result = jz(reg, "report", "progress", *AS_OF, *args)
    assert result.exit_code == 0, result.output
    return result.output


def _rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("| ") and line[2:3].isdigit()]


def test_default_is_this_year_and_what_earlier_years_left_unfinished(jz, reg):
    out = _report(jz, reg)
    assert out.startswith("# 测试县社会救助工作联席会议议定事项进展情况通报\n")
    assert "现将2026年联席会议议定事项及以前年度未办结事项截至2026年12月15日的进展情况通报如下：" in out
    rows = _rows(out)
    assert len(rows) == 4  # three of 2026, the unfinished one of 2025; the finished one of 2025 is not reported
    assert any("动态管理台账" in r and "〔2025〕4号" in r for r in rows)
    assert not any("结余" in r for r in rows)


def test_year_meeting_and_period(jz, reg):
    assert len(_rows(_report(jz, reg, "--year", "2025"))) == 2
    assert "现将2025年联席会议议定事项截至" in _report(jz, reg, "--year", "2025")
    assert len(_rows(_report(jz, reg, "--year", "2026"))) == 3
    by_meeting = _report(jz, reg, "--meeting", MEETING_ID)
    assert len(_rows(by_meeting)) == 3
    assert "现将2026年11月26日测试县社会救助工作联席会议2026年例会议定事项截至" in by_meeting
    period = _report(jz, reg, "--from", "2025-11-01", "--to", "2025-11-30")
    assert len(_rows(period)) == 2
    assert "现将2025年11月1日至2025年11月30日召开的联席会议议定事项截至" in period


def test_unit_view_is_addressed_to_the_unit_and_holds_its_tasks_only(jz, reg):
    out = _report(jz, reg, "--unit", "县卫计委")
    assert "\n县卫生健康局：\n" in out and "联席会议各成员单位：" not in out
    assert "现将你单位牵头或参与的" in out
    rows = _rows(out)
    assert len(rows) == 1 and "快速响应机制" in rows[0]
    finance = _rows(_report(jz, reg, "--unit", "caizheng", "--year", "2026"))
    assert len(finance) == 3  # lead of one, responsible for two


def test_number_counts_per_year_and_is_recorded(jz, reg, tmp_path):
    assert "（2026年第1期）" in _report(jz, reg)  # not the month of the as-of date
    out = tmp_path / "通报.md"
    result = jz(reg, "report", "progress", *AS_OF, "--year", "2026", "--issue", "-o", str(out))
    assert result.exit_code == 0, result.output
    system = (reg / "system.yaml").read_text(encoding="utf-8")
    assert system.endswith("reports:\n  issued:\n"
                           "    - {year: 2026, number: 1, date: 2026-12-15, scope: 2026年联席会议议定事项}\n")
    assert "（2026年第2期）" in _report(jz, reg)
    assert "（2027年第1期）" in jz(reg, "report", "progress", "--as-of", "2027-01-10").output
    assert "（2026年第1期）" in _report(jz, reg, "--number", "1")  # a reprint of an issued one


def test_a_number_already_issued_is_refused(jz, reg, tmp_path):
    assert jz(reg, "report", "progress", *AS_OF, "--issue", "-o", str(tmp_path / "a.md")).exit_code == 0
    before = tree_hash(reg)
    result = jz(reg, "report", "progress", *AS_OF, "--issue", "--number", "1", "-o", str(tmp_path / "b.md"))
    assert result.exit_code == 1
    assert "2026年第1期通报已于2026年12月15日登记" in result.output and "下一期是第2期" in result.output
    assert tree_hash(reg) == before and not (tmp_path / "b.md").exists()


@pytest.mark.parametrize(("args", "says"), [
    (["--meeting", MEETING_ID, "--year", "2026"], "--meeting 不能与 --year、--from、--to 同时使用"),
    (["--year", "2026", "--from", "2026-01-01"], "--year 不能与 --from、--to 同时使用"),
    (["--from", "2026-12-01", "--to", "2026-01-01"], "晚于"),
    (["--year", "2020"], "没有2020年联席会议议定事项，不生成通报"),
    (["--meeting", "m-nosuch"], "m-nosuch"),
    (["--unit", "县不存在局"], "县不存在局"),
])
def test_contradicting_or_empty_scopes_are_refused(jz, reg, tmp_path, args, says):
    before = tree_hash(reg)
    out = tmp_path / "x.md"
    result = jz(reg, "report", "progress", *AS_OF, *args, "--issue", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert says in result.output and "Traceback" not in result.output
    assert tree_hash(reg) == before and not out.exists()


def test_late_items_read_as_sentences(jz, reg):
    out = _report(jz, reg, "--year", "2026")
    assert ("1. 会议要求县财政局足额安排2027年社会救助资金预算，并于12月10日前报送资金监管办法。"
            "完成时限为2026年12月10日，已逾期3个工作日，予以督办。牵头单位至今未报送进展情况。") in out
    late = _report(jz, reg, "--year", "2025")
    assert "已逾期" in late and "）未报送" not in late and "。。" not in late


def test_duplicate_issue_numbers_are_errors(jz, make_registry):
    system = DOCS_FILES["system.yaml"] + ("reports:\n  issued:\n"
                                          "    - {year: 2026, number: 1, date: 2026-10-01}\n"
                                          "    - {year: 2026, number: 1, date: 2026-11-01}\n")
    reg = make_registry({**DOCS_FILES, "system.yaml": system})
    result = jz(reg, "validate")
    assert result.exit_code == 1
    assert "system.yaml:" in result.output and "进展情况通报2026年第1期登记了两次（第一次在第1条）" in result.output
