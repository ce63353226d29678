"""`jiuzhu init` for any level of government (issue 19): the government, the founding document's
issuer and the civil-affairs department follow the jurisdiction; parameters that cannot be negative."""

from __future__ import annotations

import pytest
from conftest import ok, refused
from docs_registry import DOCS_FILES


@pytest.mark.parametrize(("jurisdiction", "government", "issuer", "civil"), [
    ("全国", "国务院", "国务院办公厅", "民政部"),
    ("四川省", "省政府", "四川省人民政府", "民政厅"),
    ("广西壮族自治区", "自治区政府", "广西壮族自治区人民政府", "民政厅"),
    ("成都市", "市政府", "成都市人民政府", "民政局"),
    ("延边朝鲜族自治州", "州政府", "延边朝鲜族自治州人民政府", "民政局"),
    ("锡林郭勒盟", "盟行署", "锡林郭勒盟行政公署", "民政局"),
    ("鄂温克族自治旗", "旗政府", "鄂温克族自治旗人民政府", "民政局"),
    ("朝阳区", "区政府", "朝阳区人民政府", "民政局"),
    ("大厂回族自治县", "县政府", "大厂回族自治县人民政府", "民政局"),
])
def test_government_follows_the_level(jz, tmp_path, jurisdiction, government, issuer, civil):
    target = tmp_path / "new"
    ok(jz, target, "init", str(target), "--name", f"{jurisdiction}社会救助工作联席会议", "--jurisdiction", jurisdiction)
    system = (target / "system.yaml").read_text(encoding="utf-8")
    assert f"government: {government}\n" in system and f"issuer: {issuer}\n" in system
    assert f"minutes_report_to: {government}\n" in system
    assert f"name: {civil}\n" in (target / "units/minzheng.yaml").read_text(encoding="utf-8")
    assert jz(target, "validate").exit_code == 0


def test_an_unknown_level_is_refused_or_given(jz, tmp_path):
    target = tmp_path / "new"
    out = refused(jz, tmp_path, "init", str(target), "--name", "某某联席会议", "--jurisdiction", "某某")
    assert "无法从辖区名称“某某”判断本级政府" in out and not target.exists()
    ok(jz, target, "init", str(target), "--name", "某某联席会议", "--jurisdiction", "某某", "--government", "管委会")
    assert "government: 管委会\n" in (target / "system.yaml").read_text(encoding="utf-8")


def test_negative_parameters_are_errors(jz, make_registry):
    reg = make_registry()
    path = reg / "system.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("regular_meetings_per_year: 1",
                                                             "regular_meetings_per_year: -1"), encoding="utf-8")
    result = jz(reg, "validate")
    assert result.exit_code == 1
    assert "negative-parameter 错误：regular_meetings_per_year 的值 -1 不能为负数" in result.output


def test_the_reports_work_requirements_come_from_the_registry(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    default = ok(jz, reg, "report", "progress", "--as-of", "2026-12-15")
    assert "个工作日内" not in default.split("三、工作要求")[1].split("附件")[0]  # no deadline nobody set
    path = reg / "system.yaml"
    rule = "  documents:\n    report_requirements: [逾期事项须在3个工作日内书面说明原因。]\n"
    path.write_text(path.read_text(encoding="utf-8").replace("  documents:\n", rule), encoding="utf-8")
    text = ok(jz, reg, "report", "progress", "--as-of", "2026-12-15")
    assert "（一）逾期事项须在3个工作日内书面说明原因。" in text and "（二）联席会议办公室将持续跟踪" in text
