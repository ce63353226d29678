"""Suggestions in a system that lists its member units without their own duties (issue 19): an
area's designated lead (areas.yaml `lead:`) is used, with the reason, instead of falling back to
the office's unit; a text in no area says that no unit's duty covers it."""

from __future__ import annotations

import json

import pytest
from conftest import MINI_AREAS, mini_unit, ok

DIBAO, ZIJIN = "    synonyms: [低保, 最低生活保障]", "    synonyms: [资金, 预算]"
AREAS = MINI_AREAS.replace(DIBAO, DIBAO + "\n    lead: minzheng").replace(ZIJIN, ZIJIN + "\n    lead: caizheng")


@pytest.fixture
def reg(make_registry):
    return make_registry({
        "areas.yaml": AREAS,
        "units/minzheng.yaml": mini_unit("minzheng", "县民政局", 1, "[]"),
        "units/caizheng.yaml": mini_unit("caizheng", "县财政局", 2, "[]"),
        "units/weiji.yaml": mini_unit("weiji", "县卫生健康局", 3, "[]"),
    })


def _assign(jz, reg, text: str) -> dict:
    return json.loads(ok(jz, reg, "assign", text, "--format", "json"))


def test_the_area_s_designated_lead_leads(jz, reg):
    s = _assign(jz, reg, "提高农村低保标准")
    assert s["lead"]["id"] == "minzheng"
    assert "城乡低保的指定牵头单位是县民政局" in s["lead"]["why"]
    s = _assign(jz, reg, "加强资金监管")
    assert s["lead"]["id"] == "caizheng"


def test_two_areas_with_two_designated_leads_are_a_tie(jz, reg):
    s = _assign(jz, reg, "足额安排低保资金")
    assert {s["lead"]["id"], *(t["id"] for t in s.get("tied", []))} == {"minzheng", "caizheng"}


def test_a_text_in_no_area_says_no_duty_covers_it(jz, reg):
    s = _assign(jz, reg, "明年春节前完成办公楼维修")
    assert "没有成员单位的职责涵盖" in s["lead"]["why"]


def test_who_benefits_does_not_decide_who_leads(jz):
    """"优先保障低保家庭住房安全": 低保 names who benefits; the work is housing, so its lead leads."""
    from pathlib import Path

    national = Path(__file__).resolve().parents[1] / "examples" / "national"
    out = jz(national, "assign", "加大农村危房改造力度，优先保障低保家庭住房安全", "--format", "json").stdout
    import json

    s = json.loads(out)
    assert s["lead"]["name"] == "住房城乡建设部" and not s["tied"]
    assert {"zhufang", "dibao"} <= set(s["areas"])  # both areas are still recorded
    out = json.loads(jz(national, "assign", "提高农村低保标准", "--format", "json").stdout)
    assert out["lead"]["name"] == "民政部"  # where 低保 is the work itself, its lead leads


@pytest.mark.parametrize(("text", "lead", "helper"), [
    ("人社部会同民政部做好低保对象就业帮扶", "人力资源社会保障部", "民政部"),
    ("住建部会同民政部门做好农村低保家庭危房改造", "住房城乡建设部", "民政部"),
    ("民政部会同住建部做好就业援助", "民政部", "住房城乡建设部"),
])
def test_registry_aliases_and_helpers_in_assignment(jz, text, lead, helper):
    """A unit written by its `aliases:` entry (人社部) is recognised in the text; the unit named as
    the helper (会同…) is responsible and never the lead, even against an area's designated lead."""
    import json
    from pathlib import Path

    national = Path(__file__).resolve().parents[1] / "examples" / "national"
    s = json.loads(jz(national, "assign", text, "--format", "json").stdout)
    assert s["lead"]["name"] == lead and not s["tied"], s
    assert helper in [r["name"] for r in s["responsible"]]
