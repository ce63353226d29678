"""The annual performance evaluation (issue 16 §4): rules in evaluation.yaml, scores by indicator
with their evidence, json/csv, the 年度绩效评价报告 with its bar chart, and every refusal."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from conftest import ok, refused
from docx import Document
from supervision_registry import SUPERVISION_FILES

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("JIUZHU_UPDATE_GOLDEN") == "1"

RULES = """
indicators:
  - {id: tasks, name: 议定事项按期完成, weight: 35, measure: tasks_on_time}
  - {id: reports, name: 进展报告及时, weight: 15, measure: progress_reports, within_workdays: 10}
  - {id: meetings, name: 会议出席, weight: 15, measure: attendance, excused: 0.5}
  - {id: findings, name: 问题按期整改, weight: 15, measure: findings_on_time}
  - {id: replies, name: 督办按期回复, weight: 10, measure: notice_replies}
  - {id: office, name: 办公室评分, weight: 10, measure: manual, source: 联席会议办公室评分}
improve_below: 90
scores:
  2026:
    minzheng: {office: 95, note: 牵头抓总作用明显}
    caizheng: {office: 80}
"""
YEAR = ["evaluate", "--year", "2026", "--as-of", "2026-12-31"]


@pytest.fixture
def reg(make_registry) -> Path:
    return make_registry({**SUPERVISION_FILES, "evaluation.yaml": RULES})



def test_scores_ranks_and_evidence(jz, reg):
    data = json.loads(ok(jz, reg, *YEAR, "--format", "json"))
    by = {u["unit"]: u for u in data["units"]}
    assert [(u["rank"], u["unit"], u["total"]) for u in data["units"]] == [
        (1, "weiji", 92.5), (2, "minzheng", 42.0), (3, "caizheng", 23.0)]
    points = {s["indicator"]: s for s in by["caizheng"]["scores"]}
    assert (points["tasks"]["points"], points["tasks"]["met"], points["tasks"]["counted"]) == (0, 0, 1)
    assert "m-20261126-regular-a1b2-2" in points["tasks"]["evidence"][0]
    assert points["replies"]["evidence"][0].startswith("dn-20261216-caizheng-e5f6")  # one task never answered
    assert points["office"]["points"] == 8.0 and points["office"]["evidence"] == ["联席会议办公室评分 80 分"]
    weiji = {s["indicator"]: s for s in by["weiji"]["scores"]}
    assert weiji["meetings"]["points"] == 7.5 and "请假" in weiji["meetings"]["evidence"][0]  # excused: half
    assert weiji["tasks"]["rate"] is None and weiji["tasks"]["evidence"] == ["本年度无此项，按满分计"]
    # the reopened task (a failed spot check) is not done on time
    assert "截至 2026-12-31 未完成" in {s["indicator"]: s for s in by["minzheng"]["scores"]}["tasks"]["evidence"][0]
    table = ok(jz, reg, *YEAR)
    assert "扣分依据：" in table and "县财政局 · 督办按期回复" in table
    rows = list(csv.reader(io.StringIO(ok(jz, reg, *YEAR, "--format", "csv"))))
    assert rows[0][:3] == ["名次", "单位标识", "单位"] and rows[0][-1] == "总分"
    assert rows[1][:3] == ["1", "weiji", "县卫生健康局"] and rows[1][-1] == "92.5"


def test_no_data_exclude_scales_the_rest_to_100(jz, reg):
    (reg / "evaluation.yaml").write_text(RULES + "no_data: exclude\n", encoding="utf-8")
    by = {u["unit"]: u for u in json.loads(ok(jz, reg, *YEAR, "--format", "json"))["units"]}
    weiji = {s["indicator"]: s for s in by["weiji"]["scores"]}
    assert weiji["tasks"]["points"] is None
    # counted: reports (its ongoing decision reported in time) 15 of 15, meetings 7.5 of 15; tasks,
    # findings, replies and the office score (none given) have nothing to count and leave the total
    assert by["weiji"]["total"] == round((15 + 7.5) * 100 / (15 + 15), 1)


def test_golden_report_md(jz, reg):
    text = ok(jz, reg, *YEAR, "--render", "md")
    golden = GOLDEN / "evaluation.md"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} 与输出不同；确认改动后运行 make golden"


def test_report_docx_and_html_carry_the_chart(jz, reg):
    out = reg.parent / "评价.docx"
    ok(jz, reg, *YEAR, "--render", "docx", "-o", str(out))
    doc = Document(str(out))
    assert len(doc.inline_shapes) == 1 and doc.inline_shapes[0].width > 0
    assert doc.tables[0].rows[1].cells[1].text == "县卫生健康局" and doc.tables[0].rows[1].cells[-1].text == "92.5"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "（一）县民政局（42分，第2名）" in text and "m-2026" not in text
    html = reg.parent / "评价.html"
    ok(jz, reg, *YEAR, "--render", "html", "-o", str(html))
    png = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html.read_text(encoding="utf-8"))
    assert png is not None and len(png[1]) > 1000


@pytest.mark.parametrize(("edit", "code", "where"), [
    (("weight: 35", "weight: 30"), "weights-not-100", "evaluation.yaml:1:1"),
    (("caizheng: {office: 80}", "caizheng: {office: 80, tasks: 90}"), "unknown-indicator", "evaluation.yaml:12:"),
    (("caizheng: {office: 80}", "caizheng: {offfice: 80}"), "unknown-indicator", "evaluation.yaml:12:"),
    (("measure: notice_replies", "measure: replies"), "bad-enum", "evaluation.yaml:6:"),
    (("caizheng: {office: 80}", "caizheng: {office: 180}"), "bad-score", "evaluation.yaml:12:"),
])
def test_bad_rules_point_at_the_line_and_refuse(jz, reg, edit, code, where):
    path = reg / "evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    result = jz(reg, "validate")
    assert result.exit_code == 1
    assert f"{where}" in result.output and code in result.output, result.output
    refused(jz, reg, *YEAR)


@pytest.mark.parametrize(("args", "message"), [
    (["evaluate", "--year", "2019"], "2019年没有可评价的记录"),
    ([*YEAR, "-o", "x.docx"], "-o 只用于生成报告"),
    ([*YEAR, "--render", "xlsx"], "--render 的值“xlsx”不可用"),
    ([*YEAR, "--render", "docx"], "-o"),
])
def test_refusals(jz, reg, args, message):
    assert message in refused(jz, reg, *args)


def test_an_unknown_format_is_a_usage_error(jz, reg):
    result = jz(reg, *YEAR, "--format", "xml")
    assert result.exit_code == 2 and "只能是 table、json 或 csv" in result.output


def test_without_rules_it_says_where_to_write_them(jz, make_registry):
    reg = make_registry(SUPERVISION_FILES)
    assert "登记册没有 evaluation.yaml" in refused(jz, reg, *YEAR)
