"""The misses issue 19 names, each now a test on the shipped registry: a character shared across a
word boundary (利用电视台 → 用电), the document acted on (《临时救助实施办法》) beating the action
(合法性审查), who benefits (低保家庭) pulling in the units of that area, and the area synonym for
危房 being known."""

from __future__ import annotations

import json

import pytest

CASES = [
    ("利用电视台、报纸等媒体开展社会救助政策宣传", "县委宣传部", ()),
    ("对《临时救助实施办法（送审稿）》进行合法性审查", "县法制办", ()),
    ("将低保家庭的危房优先纳入年度改造计划", "县建设局", ("县统计局", "县民政局")),
    ("对低保家庭中有劳动能力的失业人员开展就业援助", "县人社局", ("县统计局", "县民政局")),
    ("对农村危房改造中的低保户给予优先支持", "县建设局", ("县统计局",)),
]


@pytest.mark.parametrize(("text", "lead", "not_involved"), CASES)
def test_the_named_miss(jz, shipped_copy, text, lead, not_involved):
    s = json.loads(jz(shipped_copy, "assign", text, "--format", "json").stdout)
    assert s["lead"]["name"] == lead and not s["tied"], s
    involved = {s["lead"]["name"], *(r["name"] for r in s["responsible"])}
    assert not involved & set(not_involved), involved


def test_a_beneficiary_area_is_still_recorded(jz, shipped_copy):
    s = json.loads(jz(shipped_copy, "assign", "将低保家庭的危房优先纳入年度改造计划", "--format", "json").stdout)
    assert "dibao" in s["areas"] and "zhufang" in s["areas"]


def test_an_area_the_user_names_counts_even_for_beneficiaries(jz, shipped_copy):
    s = json.loads(jz(shipped_copy, "assign", "对低保家庭中有劳动能力的失业人员开展就业援助", "--area", "dibao",
                      "--format", "json").stdout)
    involved = {s["lead"]["name"], *(t["name"] for t in s["tied"]), *(r["name"] for r in s["responsible"])}
    assert "县民政局" in involved
