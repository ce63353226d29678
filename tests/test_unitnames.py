"""A unit by any name a clerk uses (jiuzhu.unitnames, queries.find_unit), and only by meaning."""

from __future__ import annotations

import pytest
from conftest import tree_hash

from jiuzhu.errors import InputRefused
from jiuzhu.loader import load
from jiuzhu.queries import find_unit
from jiuzhu.unitnames import meaning_key


@pytest.mark.parametrize(("typed", "unit"), [
    ("县卫健局", "weiji"), ("卫健委", "weiji"), ("县卫生健康局", "weiji"), ("大厂回族自治县卫计委", "weiji"),
    ("大厂县民政局", "minzheng"), ("民政局", "minzheng"), ("县人力资源和社会保障局", "renshe"),
    ("县委编办", "bianban"), ("中共县委宣传部", "xuanchuan"), ("县市场监管局", "shichang"), ("工商局", "shichang"),
    ("县乡村振兴局", "fupin"), ("县教体局", "jiaoyu"), ("人民银行", "renhang"), ("weiji", "weiji"),
])
def test_names_a_clerk_uses(shipped_copy, typed: str, unit: str) -> None:
    assert find_unit(load(shipped_copy).registry, typed).id == unit


def test_a_new_name_finds_the_old_and_back(shipped_copy) -> None:
    """The registry says 县卫计委 and the clerk the post-reform 县卫健局 (above); a registry that says
    县卫生健康局 takes the pre-reform name, and a unit renamed with `units rename` its former name."""
    path = shipped_copy / "units" / "weiji.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 县卫计委", "name: 县卫生健康局"), encoding="utf-8")
    assert find_unit(load(shipped_copy).registry, "县卫计委").id == "weiji"


def test_a_former_name_after_units_rename(shipped_copy, jz) -> None:
    res = jz(shipped_copy, "units", "rename", "xinfang", "--name", "县信访服务中心", "--date", "2026-3-1")
    assert res.exit_code == 0, res.output
    assert find_unit(load(shipped_copy).registry, "信访局").id == "xinfang"


def test_aliases_in_the_unit_file(shipped_copy, jz) -> None:
    path = shipped_copy / "units" / "renhang.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: 县人行\n", "name: 县人行\naliases: [人行大厂支行]\n"), encoding="utf-8")
    assert find_unit(load(shipped_copy).registry, "人行大厂支行").id == "renhang"
    path.write_text(text.replace("name: 县人行\n", "name: 县人行\naliases: [县民政局]\n"), encoding="utf-8")
    res = jz(shipped_copy, "validate")
    assert res.exit_code == 1 and "别名“县民政局”已是单位 minzheng 的名称或别名" in res.output
    assert "units/renhang.yaml:" in res.output


def test_a_name_that_fits_two_units_is_refused(shipped_copy) -> None:
    with pytest.raises(InputRefused) as err:
        find_unit(load(shipped_copy).registry, "县税务局")
    assert "县国税局（guoshui）、县地税局（dishui）" in err.value.message


def test_wrong_names_are_answered_by_meaning(shipped_copy) -> None:
    with pytest.raises(InputRefused) as err:
        find_unit(load(shipped_copy).registry, "县卫健委员会委员")
    assert err.value.hint == "你是不是想写“县卫计委”？"


def test_wrong_names_are_never_answered_by_one_character(make_registry, jz) -> None:
    # the small registry has only 县民政局 and 县财政局: 局 in common is no reason to suggest either
    root = make_registry()
    before = tree_hash(root)
    res = jz(root, "units", "show", "县卫健局")
    assert res.exit_code == 1
    assert "县财政局" not in res.output and "用 jiuzhu units list 查看所有成员单位。" in res.output
    assert tree_hash(root) == before


def test_a_decision_led_by_the_post_reform_name(shipped_copy, jz, monkeypatch) -> None:
    monkeypatch.setenv("JIUZHU_TODAY", "2026-09-22")
    res = jz(shipped_copy, "meeting", "new", "--kind", "例会", "--date", "2026-9-22", "--format", "json")
    assert res.exit_code == 0, res.output
    (meeting,) = load(shipped_copy).registry.meetings
    res = jz(shipped_copy, "decision", "add", meeting, "--text", "推行医疗救助一站式即时结算。", "--lead", "县卫健局",
             "--responsible", "县医疗保障局、民政局", "--due", "2026年12月31日")
    # 县医疗保障局 is not a member unit of this registry: refused, naming the nearest by meaning
    assert res.exit_code == 1 and "没有成员单位“县医疗保障局”" in res.output
    res = jz(shipped_copy, "decision", "add", meeting, "--text", "推行医疗救助一站式即时结算。", "--lead", "县卫健局",
             "--responsible", "县人社局、民政局", "--due", "2026年12月31日")
    assert res.exit_code == 0, res.output
    decision = load(shipped_copy).registry.meetings[meeting].decisions[0]
    assert (decision.lead, decision.responsible) == ("weiji", ("renshe", "minzheng"))


def test_meaning_keys() -> None:
    assert meaning_key("县卫健局") == meaning_key("县卫计委") == meaning_key("卫生和计划生育委员会") == "卫生健康"
    assert meaning_key("县市场监督管理局") == "市场监督管理"  # 市场 is a word, not the level 市
    assert meaning_key("大厂县财政局", "大厂回族自治县") == "财政"
