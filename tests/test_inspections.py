"""Inspections (issue 16 §1): new, findings as rectification tasks sharing the task model, spot
checks (reproducible, spread over units; a failed check reopens the task), the 检查情况通报, the
validate checks and every refusal."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ok, refused
from docs_registry import DOCS_FILES, MEETING_ID
from docx import Document
from supervision_registry import INSPECTION, SPOT_CHECK, SUPERVISION_FILES

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("JIUZHU_UPDATE_GOLDEN") == "1"



def _new(jz, reg: Path, *extra: str) -> str:
    out = ok(jz, reg, "inspection", "new", "--kind", "专项检查", "--topic", "低保资金发放",
             "--units", "县民政局、caizheng", "--date", "2026-12-01", *extra)
    return re.search(r"(in-20261201-[0-9a-f]{4})", out)[1]


def test_new_inspection_and_findings_become_tasks(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    ident = _new(jz, reg)
    text = (reg / f"inspections/2026/{ident}.yaml").read_text(encoding="utf-8")
    assert "kind: 专项检查" in text and "units: [minzheng, caizheng]" in text and "lead: minzheng" in text
    out = ok(jz, reg, "inspection", "finding", ident, "--unit", "caizheng", "--text", "资金拨付滞后，限期整改。",
             "--due-workdays", "10")
    assert f"{ident}-1" in out and "2026-12-15" in out
    ok(jz, reg, "inspection", "finding", ident, "--unit", "minzheng", "--text", "复核台账不全。", "--due", "2026-12-31",
       "--responsible", "caizheng")
    assert "due_rule: {workdays: 10, from: 2026-12-01, source:" in (reg / f"inspections/2026/{ident}.yaml").read_text(
        encoding="utf-8")
    assert jz(reg, "validate").exit_code == 0
    rows = {r["id"]: r for r in json.loads(ok(jz, reg, "tasks", "list", "--as-of", "2026-12-20", "--format", "json"))}
    first = rows[f"{ident}-1"]
    assert (first["source"], first["meeting"], first["lead"], first["due"]) == ("inspection", ident, "caizheng",
                                                                                "2026-12-15")
    assert rows[f"{MEETING_ID}-1"]["source"] == "meeting"
    overdue = json.loads(ok(jz, reg, "tasks", "overdue", "--as-of", "2026-12-20", "--format", "json"))
    assert f"{ident}-1" in {r["id"] for r in overdue}
    assert "〔检查整改〕" in ok(jz, reg, "tasks", "overdue", "--as-of", "2026-12-20")
    # progress on a rectification task, exactly like a decision
    ok(jz, reg, "tasks", "update", f"{ident}-1", "--by", "caizheng", "--status", "已完成", "--note", "已整改到位。",
       "--date", "2026-12-14", "--as-of", "2026-12-20")
    shown = json.loads(ok(jz, reg, "tasks", "show", f"{ident}-1", "--format", "json", "--as-of", "2026-12-20"))
    assert shown["status"] == "已完成" and shown["file"] == f"tasks/2026/{ident}-1.yaml"
    assert "检查：" in ok(jz, reg, "tasks", "show", f"{ident}-1", "--as-of", "2026-12-20")
    listed = json.loads(ok(jz, reg, "inspection", "list", "--format", "json"))
    assert listed[0]["findings"] == [f"{ident}-1", f"{ident}-2"]


@pytest.mark.parametrize(("args", "message"), [
    (["--kind", "暗访"], "检查类型“暗访”不可用"),
    (["--kind", "专项检查", "--topic", ""], "--topic"),
    (["--kind", "专项检查", "--units", "县公安局"], "没有成员单位"),
])
def test_new_inspection_refusals(jz, make_registry, args, message):
    reg = make_registry(DOCS_FILES)
    base = {"--kind": "专项检查", "--topic": "低保", "--units": "minzheng", "--date": "2026-12-01"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    out = refused(jz, reg, "inspection", "new", *[x for kv in base.items() for x in kv])
    assert message in out


def test_inspecting_a_unit_that_is_not_a_member_on_that_date_is_refused(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    unit = reg / "units/caizheng.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("order:", "since: 2027-01-01\norder:"), encoding="utf-8")
    out = refused(jz, reg, "inspection", "new", "--kind", "专项检查", "--topic", "低保", "--units", "caizheng",
                  "--date", "2026-12-01")
    assert "县财政局在 2026-12-01 不是联席会议成员单位" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", "minzheng", "--text", "台账不全。"], "没有完成时限"),
    (["--unit", "weiji", "--text", "台账不全。", "--due", "2026-12-31"], "不是这次检查的被检查单位"),
    (["--unit", "minzheng", "--text", "台账不全。", "--due", "2026-11-30"], "早于检查日期"),
    (["--unit", "minzheng", "--text", "台账不全。", "--due", "2026-12-31", "--due-workdays", "5"], "只能用一个"),
    (["--unit", "minzheng", "--text", "  ", "--due", "2026-12-31"], "--text"),
])
def test_finding_refusals(jz, make_registry, args, message):
    reg = make_registry(DOCS_FILES)
    ident = _new(jz, reg)
    assert message in refused(jz, reg, "inspection", "finding", ident, *args)


def _done(jz, reg: Path, task: str, by: str, day: str) -> None:
    ok(jz, reg, "tasks", "update", task, "--by", by, "--status", "已完成", "--note", "已办结。", "--date", day,
       "--as-of", "2026-12-31")


def test_spot_check_is_reproducible_spread_over_units_and_recorded(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    ident = _new(jz, reg)
    for n, (unit, due) in enumerate([("minzheng", "2026-12-10"), ("minzheng", "2026-12-11"),
                                     ("caizheng", "2026-12-14"), ("caizheng", "2026-12-15")], 1):
        ok(jz, reg, "inspection", "finding", ident, "--unit", unit, "--text", f"问题{n}。", "--due", due)
        _done(jz, reg, f"{ident}-{n}", unit, "2026-12-08")
    _done(jz, reg, f"{MEETING_ID}-1", "minzheng", "2026-12-08")
    preview = json.dumps([ok(jz, reg, "inspection", "sample", "--done", "--n", "2", "--seed", "7",
                             "--as-of", "2026-12-20") for _ in range(2)])
    first, again = json.loads(preview)
    assert first == again  # the same seed, the same pick
    picked = re.findall(rf"({ident}-\d|{MEETING_ID}-1)", first)
    assert len(picked) == 2
    leads = {"1": "minzheng", "2": "minzheng", "3": "caizheng", "4": "caizheng"}
    units = {leads[p[-1]] if p.startswith(ident) else "minzheng" for p in picked}
    assert units == {"minzheng", "caizheng"}  # one task of each unit before any unit twice
    # recorded in a 重点抽查
    out = ok(jz, reg, "inspection", "new", "--kind", "重点抽查", "--topic", "已办结事项", "--units",
             "minzheng,caizheng", "--date", "2026-12-20")
    spot = re.search(r"(in-20261220-[0-9a-f]{4})", out)[1]
    ok(jz, reg, "inspection", "sample", spot, "--done", "--n", "3", "--as-of", "2026-12-20")
    text = (reg / f"inspections/2026/{spot}.yaml").read_text(encoding="utf-8")
    assert f"seed: {spot}" in text and text.count("- {task: ") == 3
    # the rest only: a second draw never repeats a task already sampled
    assert "只有 2 项" in refused(jz, reg, "inspection", "sample", spot, "--done", "--n", "3", "--as-of", "2026-12-20")
    ok(jz, reg, "inspection", "sample", spot, "--done", "--n", "2", "--as-of", "2026-12-20")
    assert len(set(re.findall(r"- \{task: ([\w-]+)", (reg / f"inspections/2026/{spot}.yaml").read_text(
        encoding="utf-8")))) == 5
    assert jz(reg, "validate").exit_code == 0


def test_a_sample_larger_than_the_done_tasks_is_refused(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    assert "报告已完成（且未抽过）的任务只有 0 项" in refused(jz, reg, "inspection", "sample", "--done", "--n", "1",
                                                    "--as-of", "2026-12-20")
    assert "--done" in refused(jz, reg, "inspection", "sample", "--n", "1")
    assert "正整数" in refused(jz, reg, "inspection", "sample", "--done", "--n", "0")


def test_a_failed_spot_check_reopens_the_task_with_the_reason(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    _done(jz, reg, f"{MEETING_ID}-1", "minzheng", "2026-12-08")
    out = ok(jz, reg, "inspection", "new", "--kind", "重点抽查", "--topic", "已办结事项", "--units", "minzheng",
             "--date", "2026-12-20")
    spot = re.search(r"(in-20261220-[0-9a-f]{4})", out)[1]
    ok(jz, reg, "inspection", "sample", spot, "--done", "--n", "1", "--as-of", "2026-12-20")
    assert "要写明原因" in refused(jz, reg, "inspection", "verify", spot, f"{MEETING_ID}-1", "--result", "不属实",
                              "--date", "2026-12-21", "--as-of", "2026-12-31")
    assert "不在检查" in refused(jz, reg, "inspection", "verify", spot, f"{MEETING_ID}-2", "--result", "属实",
                               "--as-of", "2026-12-31")
    out = ok(jz, reg, "inspection", "verify", spot, f"{MEETING_ID}-1", "--result", "不属实", "--reason",
             "方案尚未报县政府审定", "--date", "2026-12-21", "--as-of", "2026-12-31")
    assert "重新打开" in out
    shown = json.loads(ok(jz, reg, "tasks", "show", f"{MEETING_ID}-1", "--format", "json", "--as-of", "2026-12-31"))
    assert shown["status"] == "推进中"
    assert shown["log"][-1]["reason"] == "方案尚未报县政府审定" and shown["log"][-1]["by"] == "minzheng"
    assert shown["report_status"] == "即将到期"  # open again, due 2026-12-31
    text = (reg / f"inspections/2026/{spot}.yaml").read_text(encoding="utf-8")
    assert "result: 不属实, checked: 2026-12-21, reason: 方案尚未报县政府审定" in text
    assert "已于 2026-12-21 核实为不属实" in refused(jz, reg, "inspection", "verify", spot, f"{MEETING_ID}-1",
                                              "--result", "属实", "--as-of", "2026-12-31")
    assert jz(reg, "validate").exit_code == 0


@pytest.mark.parametrize(("edit", "code", "line"), [
    (("units: [minzheng, caizheng]", "units: [minzheng, gongan]"), "unresolved-ref", 7),
    (("lead: caizheng\n    due: 2026-12-15", "lead: weiji\n    due: 2026-12-15"), "finding-not-inspected", 11),
    (("    due: 2026-12-15\n", ""), "finding-without-due", 9),
    (("date: 2026-12-01\n", "date: 2026-12-20\n"), "due-before-inspection", 12),
])
def test_validate_points_at_inspection_problems(jz, make_registry, edit, code, line):
    reg = make_registry(SUPERVISION_FILES)
    path = reg / f"inspections/2026/{INSPECTION}.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    result = jz(reg, "validate")
    assert result.exit_code == 1
    assert re.search(rf"inspections/2026/{INSPECTION}\.yaml:{line}:\d+: {code} 错误", result.output), result.output


def test_inspection_of_a_former_member_is_an_error(jz, make_registry):
    reg = make_registry(SUPERVISION_FILES)
    unit = reg / "units/caizheng.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("order:", "since: 2027-01-01\norder:"), encoding="utf-8")
    result = jz(reg, "validate")
    assert "inspected-non-member 错误：县财政局在检查日期 2026-12-01 不是联席会议成员单位" in result.output


@pytest.mark.parametrize(("ident", "fmt"), [(INSPECTION, "md"), (INSPECTION, "html"), (SPOT_CHECK, "md")])
def test_golden_inspection_report(jz, make_registry, ident, fmt):
    reg = make_registry(SUPERVISION_FILES)
    out = reg.parent / f"report.{fmt}"
    ok(jz, reg, "inspection", "render", ident, "--date", "2026-12-24", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    golden = GOLDEN / f"inspection-{'spot' if ident == SPOT_CHECK else 'special'}.{fmt}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} 与输出不同；确认改动后运行 make golden"


def test_inspection_report_docx(jz, make_registry):
    reg = make_registry(SUPERVISION_FILES)
    out = reg.parent / "检查情况通报.docx"
    ok(jz, reg, "inspection", "render", INSPECTION, "--date", "2026-12-24", "-o", str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "关于社会救助资金管理使用专项检查情况的通报" in text.replace("\n", "")
    assert "整改时限：2026年12月15日前" in text and "（一）县民政局（1个）" in text
    assert "早于检查日期" in refused(jz, reg, "inspection", "render", INSPECTION, "--date", "2026-11-30")


def test_the_progress_report_names_each_tasks_source(jz, make_registry):
    reg = make_registry(SUPERVISION_FILES)
    out = ok(jz, reg, "report", "progress", "--as-of", "2026-12-24")
    assert "2026年联席会议议定事项和检查整改任务共5项" in out
    assert "| 4 | 2026年12月1日专项检查 | 临时救助资金拨付不及时" in out
    assert "| 1 | 纪要〔2026〕3号 |" in out


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_briefing_reports_the_inspections_of_its_period(jz, make_registry, fmt):
    reg = make_registry(SUPERVISION_FILES)
    out = reg.parent / f"简报.{fmt}"
    ok(jz, reg, "briefing", "render", "--from", "2026-11-01", "--to", "2026-12-31", "--date", "2026-12-31",
       "-o", str(out))
    text = ("\n".join(p.text for p in Document(str(out)).paragraphs) if fmt == "docx"
            else out.read_text(encoding="utf-8"))
    assert "一、会议召开和检查情况" in text
    assert "开展社会救助资金管理使用专项检查，发现问题2个，已列为整改任务限期整改。" in text
    assert "抽查已办结任务1项，其中1项核实不属实、已重新督办。" in text
