"""Reorganisations of units (#7): rename, merge, dissolve write the YAML; refusals write nothing;
validate reports open tasks led by retired units."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import tree_hash
from reform_registry import REFORM_FILES, REGULAR

from jiuzhu.loader import load
from jiuzhu.validate import run


@pytest.fixture
def reg_root(make_registry) -> Path:  # type: ignore[no-untyped-def]
    return make_registry(REFORM_FILES)


def codes(root: Path, as_of: str = "2026-06-01") -> list[str]:
    return [f"{p.pos.file}:{p.pos.line} {p.code} {p.message}"
            for p in run(load(root), dt.date.fromisoformat(as_of)) if p.is_error]


def test_rename_records_old_name_and_keeps_historic_names(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(reg_root, "units", "rename", "weiji", "--name", "县卫生健康局", "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "已将 县卫计委（weiji）更名为 县卫生健康局，2026-04-01 起。"
    text = (reg_root / "units/weiji.yaml").read_text(encoding="utf-8")
    assert text.endswith(textwrap.dedent("""\
        reviewers: [weiji-liaison]
        history:
          - date: 2026-04-01
            act: renamed
            name: 县卫生健康局
            old_name: 县卫计委
        duties:
          - id: weiji-1
            text: 负责配合民政部门建立健全城乡医疗救助制度。
            areas: [yiliao]
            role: support
        """))
    unit = load(reg_root).registry.units["weiji"]
    assert unit.name == "县卫生健康局"
    assert unit.name_on(dt.date(2026, 3, 10)) == "县卫计委"
    assert unit.name_on(dt.date(2026, 4, 1)) == "县卫生健康局"
    assert codes(reg_root) == []


def test_two_renames_give_each_period_its_name(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    assert jz(reg_root, "units", "rename", "fazhi", "--name", "县政府法制办", "--date", "2017-01-01").exit_code == 0
    assert jz(reg_root, "units", "rename", "fazhi", "--name", "县法治办", "--date", "2018-01-01").exit_code == 0
    unit = load(reg_root).registry.units["fazhi"]
    names = [unit.name_on(dt.date(y, 6, 1)) for y in (2016, 2017, 2018)]
    assert names == ["县法制办", "县政府法制办", "县法治办"]


def test_merge_into_new_unit_moves_duties_once(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(reg_root, "units", "merge", "guoshui", "县地税局", "--into", "shuiwu", "--name", "县税务局",
           "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    reg = str(reg_root)
    assert r.output == textwrap.dedent(f"""\
        已将 县国税局（guoshui）、县地税局（dishui） 合并为新单位 县税务局（shuiwu），2026-04-01 起。
          写入：{reg}/areas.yaml
          写入：{reg}/units/dishui.yaml
          写入：{reg}/units/guoshui.yaml
          写入：{reg}/units/shuiwu.yaml
        以下未完成的议定事项仍由不再是成员单位的单位牵头，jiuzhu validate 会报错，请调整：
          {REGULAR}-1（县国税局）：jiuzhu tasks reassign {REGULAR}-1 --lead <单位> --reason … --decided-by …
        """)
    assert (reg_root / "units/shuiwu.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        # 县税务局：由 县国税局、县地税局 合并而成（2026-04-01）
        id: shuiwu
        name: 县税务局
        kind: vertical
        order: 8
        active: true
        since: 2026-04-01
        liaison: {name: null, phone: null, post: null}
        reviewers: [guoshui-liaison, dishui-liaison]
        history:
          - date: 2026-04-01
            act: merged
            units: [guoshui, dishui]
        duties:
          - id: shuiwu-1
            text: 负责落实好贫困群众税收减免政策。
            areas: [shuishou]
            role: lead
            moved_from: guoshui
            since: 2026-04-01
          - id: shuiwu-2
            text: 依法提供社会救助家庭缴纳税收的相关信息。
            areas: [shuishou]
            role: info
            info: [纳税]
            moved_from: dishui
            since: 2026-04-01
        """)
    dishui = (reg_root / "units/dishui.yaml").read_text(encoding="utf-8")
    assert "active: false\nuntil: 2026-04-01\n" in dishui
    assert dishui.endswith(textwrap.dedent("""\
        history:
          - date: 2026-04-01
            act: merged_into
            into: shuiwu
            duties:
              - id: dishui-1
                to: shuiwu-1
              - id: dishui-2
                to: shuiwu-2
        duties: []
        """))
    assert "lead: shuiwu" in (reg_root / "areas.yaml").read_text(encoding="utf-8")
    reg = load(reg_root).registry
    assert not reg.units["guoshui"].active and reg.units["guoshui"].until == dt.date(2026, 4, 1)
    assert codes(reg_root) == [
        f"meetings/2026/{REGULAR}.yaml:11 orphan-task 未完成的议定事项 {REGULAR}-1 由县国税局牵头，"
        "但该单位自 2026-04-01 起已不是成员单位"]


def test_reassigning_the_orphan_task_clears_the_error(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    jz(reg_root, "units", "merge", "guoshui", "dishui", "--into", "shuiwu", "--name", "县税务局",
       "--date", "2026-04-01")
    (reg_root / f"tasks/2026/{REGULAR}-1.yaml").parent.mkdir(parents=True)
    (reg_root / f"tasks/2026/{REGULAR}-1.yaml").write_text(textwrap.dedent(f"""\
        task: {REGULAR}-1
        reassignments:
          - {{date: 2026-04-02, lead: shuiwu, responsible: [minzheng], reason: 国税地税合并,
             decided_by: 联席会议办公室}}
        """), encoding="utf-8")
    assert codes(reg_root) == []


def test_merge_into_existing_unit_appends_duties_and_keeps_comments(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(reg_root, "units", "merge", "weiji", "--into", "minzheng", "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    text = (reg_root / "units/minzheng.yaml").read_text(encoding="utf-8")
    assert text.endswith(textwrap.dedent("""\
        history:
          - date: 2026-04-01
            act: merged
            units: [weiji]
        duties:
          # 民政局的职责
          - id: minzheng-1
            text: 负责研究制定最低生活保障、医疗救助等社会救助政策。
            areas: [dibao, yiliao]
            role: lead
          - id: minzheng-2
            text: 负责配合民政部门建立健全城乡医疗救助制度。
            areas: [yiliao]
            role: support
            moved_from: weiji
            since: 2026-04-01
        """))
    assert codes(reg_root) == [f"meetings/2026/{REGULAR}.yaml:17 orphan-task 未完成的议定事项 {REGULAR}-2 "
                               "由县卫计委牵头，但该单位自 2026-04-01 起已不是成员单位"]


def test_merging_the_office_unit_moves_the_office(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(reg_root, "units", "merge", "minzheng", "weiji", "--into", "shehui", "--name", "县社会事务局",
           "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    assert "联席会议办公室随之设在该单位" in r.output
    assert load(reg_root).registry.system.office.unit == "shehui"  # type: ignore[union-attr]


def test_dissolve_moves_duties_to_the_heir(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(reg_root, "units", "dissolve", "fazhi", "--date", "2026-04-01", "--duties-to", "司法局")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "已撤销 县法制办（fazhi），职责转入 县司法局（sifa），2026-04-01 起。"
    sifa = load(reg_root).registry.units["sifa"]
    assert [(d.id, d.moved_from, d.since) for d in sifa.duties] == [
        ("sifa-1", None, None), ("sifa-2", "fazhi", dt.date(2026, 4, 1))]
    fazhi = (reg_root / "units/fazhi.yaml").read_text(encoding="utf-8")
    assert "    act: dissolved\n    duties_to: sifa\n" in fazhi
    assert codes(reg_root) == []


# --- refusals: clear message, exit 1, nothing written --------------------------------------------

REFUSALS = [
    (["merge", "guoshui", "dishui", "--into", "guoshui", "--date", "2026-04-01"],
     "错误：不能把县国税局（guoshui）合并到它自己"),
    (["merge", "guoshui", "guoshui", "--into", "shuiwu", "--name", "县税务局", "--date", "2026-04-01"],
     "错误：同一个单位在要合并的单位中出现了两次"),
    (["merge", "guoshui", "dishui", "--into", "shuiwuu", "--date", "2026-04-01"],
     "错误：没有成员单位“shuiwuu”"),
    (["merge", "guoshui", "dishui", "--into", "minzheng", "--name", "县税务局", "--date", "2026-04-01"],
     "错误：县民政局（minzheng）已存在，--name 只用于新建合并后的单位"),
    (["merge", "guoshui", "dishui", "--into", "税务", "--name", "县税务局", "--date", "2026-04-01"],
     "错误：新单位的标识“税务”不可用"),
    (["merge", "guoshui", "dishui", "--into", "shuiwu", "--name", "县民政局", "--date", "2026-04-01"],
     "错误：名称“县民政局”已被成员单位 minzheng 使用"),
    (["merge", "guoshui", "dishui", "--into", "shuiwu", "--name", "县税务局", "--date", "2015-01-01"],
     "错误：生效日期 2015-01-01 早于县国税局联席会议成立的日期 2016-07-27"),
    (["rename", "weiji", "--name", "县民政局", "--date", "2026-04-01"],
     "错误：名称“县民政局”已被成员单位 minzheng 使用"),
    (["rename", "weiji", "--name", "县卫计委", "--date", "2026-04-01"], "错误：县卫计委已经叫这个名字"),
    (["rename", "weiji", "--name", " ", "--date", "2026-04-01"], "错误：新名称不能为空"),
    (["rename", "weiji", "--name", "县卫健局", "--date", "2016-07-26"],
     "错误：生效日期 2016-07-26 早于县卫计委联席会议成立的日期 2016-07-27"),
    (["rename", "weiji", "--name", "县卫健局", "--date", "2026-02-30"], "错误：--date 的值“2026-02-30”不是存在的日期"),
    (["rename", "weijii", "--name", "县卫健局", "--date", "2026-04-01"],
     "错误：没有成员单位“weijii”\n  提示：你是不是想写“weiji”？"),
    (["dissolve", "minzheng", "--date", "2026-04-01", "--duties-to", "weiji"],
     "错误：县民政局是联席会议办公室所在单位，不能在办公室移走之前撤销"),
    (["dissolve", "fazhi", "--date", "2026-04-01", "--duties-to", "fazhi"], "错误：不能把县法制办的职责转给它自己"),
    (["dissolve", "fazhi", "--date", "2026-04-01", "--duties-to", "sifaa"],
     "错误：没有成员单位“sifaa”\n  提示：你是不是想写“sifa”？"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[f"{a[0]}-{i}" for i, (a, _) in enumerate(REFUSALS)])
def test_refusals_write_nothing(reg_root: Path, jz, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    before = tree_hash(reg_root)
    r = jz(reg_root, "units", *args)
    assert r.exit_code == 1, r.output
    assert message in r.stderr
    assert tree_hash(reg_root) == before


def test_date_before_a_unit_joined_is_refused(make_registry, jz) -> None:  # type: ignore[no-untyped-def]
    root = make_registry({**REFORM_FILES, "units/sifa.yaml": REFORM_FILES["units/sifa.yaml"] + "since: 2020-01-01\n"})
    before = tree_hash(root)
    r = jz(root, "units", "rename", "sifa", "--name", "县司法行政局", "--date", "2019-12-31")
    assert r.exit_code == 1
    assert "错误：生效日期 2019-12-31 早于县司法局加入联席会议的日期 2020-01-01" in r.stderr
    assert tree_hash(root) == before


def test_retired_unit_and_out_of_order_dates_are_refused(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    assert jz(reg_root, "units", "rename", "weiji", "--name", "县卫健局", "--date", "2026-04-01").exit_code == 0
    before = tree_hash(reg_root)
    r = jz(reg_root, "units", "rename", "weiji", "--name", "县卫生健康局", "--date", "2026-03-01")
    assert r.exit_code == 1
    assert "错误：生效日期 2026-03-01 早于县卫健局最近一次机构变更（2026-04-01）" in r.stderr
    assert jz(reg_root, "units", "dissolve", "fazhi", "--date", "2026-04-01", "--duties-to", "sifa").exit_code == 0
    before = tree_hash(reg_root)
    r = jz(reg_root, "units", "merge", "fazhi", "--into", "sifa", "--date", "2026-05-01")
    assert r.exit_code == 1
    assert "错误：县法制办（fazhi）自 2026-04-01 起已不是成员单位，不能合并" in r.stderr
    assert tree_hash(reg_root) == before


# --- validate checks of reorganisation records ---------------------------------------------------

def test_inconsistent_history_is_reported(make_registry) -> None:  # type: ignore[no-untyped-def]
    fazhi = REFORM_FILES["units/fazhi.yaml"] + textwrap.dedent("""\
        history:
          - {date: 2026-04-01, act: dissolved, duties_to: sifaa}
        """)
    guoshui = str(REFORM_FILES["units/guoshui.yaml"]).replace("active: true", "active: false")
    sifa = str(REFORM_FILES["units/sifa.yaml"]).replace("role: support", "role: support\n    moved_from: fazi")
    root = make_registry({**REFORM_FILES, "units/fazhi.yaml": fazhi, "units/guoshui.yaml": guoshui,
                          "units/sifa.yaml": sifa})
    found = [(p.pos.file, p.pos.line, p.code, p.message) for p in run(load(root), dt.date(2026, 6, 1))
             if p.code in ("unresolved-ref", "retired-unit-active", "missing-until", "orphan-task")]
    assert found == [
        ("meetings/2026/m-20260310-regular-a1b2.yaml", 11, "orphan-task",
         f"未完成的议定事项 {REGULAR}-1 由县国税局牵头，但该单位已不是成员单位"),
        ("units/fazhi.yaml", 14, "retired-unit-active", "县法制办记录了2026-04-01的撤销/并入，却仍是成员单位"),
        ("units/fazhi.yaml", 14, "unresolved-ref", "成员单位“sifaa”不存在"),
        ("units/guoshui.yaml", 5, "missing-until", "县国税局已不是成员单位，但没有写退出日期"),
        ("units/sifa.yaml", 13, "unresolved-ref", "成员单位“fazi”不存在"),
    ]


def test_office_in_a_retired_unit_is_an_error(make_registry) -> None:  # type: ignore[no-untyped-def]
    mz = str(REFORM_FILES["units/minzheng.yaml"]).replace("active: true", "active: false\nuntil: 2026-04-01")
    root = make_registry({**REFORM_FILES, "units/minzheng.yaml": mz})
    found = [(p.code, p.message) for p in run(load(root), dt.date(2026, 6, 1)) if p.code == "office-inactive"]
    assert found == [("office-inactive", "联席会议办公室设在县民政局，但该单位已不是成员单位")]


def test_add_unit_and_move_duties_to_it(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(reg_root, "units", "add", "yibao", "--name", "县医疗保障局", "--date", "2026-04-01", "--reviewer", "yb-li")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == ("已新增成员单位 县医疗保障局（yibao），2026-04-01 起；"
                                        "请填写联络员，并用 jiuzhu duties move 移入职责。")
    r = jz(reg_root, "duties", "move", "weiji-1", "--to", "yibao", "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "已将职责移交 县医疗保障局（yibao），2026-04-01 起：weiji-1 → yibao-1。"
    assert (reg_root / "units/yibao.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        # 县医疗保障局：2026-04-01 加入联席会议
        id: yibao
        name: 县医疗保障局
        kind: government
        order: 8
        active: true
        since: 2026-04-01
        liaison: {name: null, phone: null, post: null}
        reviewers: [yb-li]
        history:
          - date: 2026-04-01
            act: established
        duties:
          - id: yibao-1
            text: 负责配合民政部门建立健全城乡医疗救助制度。
            areas: [yiliao]
            role: support
            moved_from: weiji
            since: 2026-04-01
        """)
    weiji = (reg_root / "units/weiji.yaml").read_text(encoding="utf-8")
    assert weiji.endswith("reviewers: [weiji-liaison]\nduties: []\n")
    assert codes(reg_root) == []


ADD_MOVE_REFUSALS = [
    (["units", "add", "weiji", "--name", "县医疗保障局", "--date", "2026-04-01"],
     "错误：成员单位标识“weiji”已被县卫计委使用"),
    (["units", "add", "医保", "--name", "县医疗保障局", "--date", "2026-04-01"], "错误：新单位的标识“医保”不可用"),
    (["units", "add", "yibao", "--name", "县民政局", "--date", "2026-04-01"],
     "错误：名称“县民政局”已被成员单位 minzheng 使用"),
    (["units", "add", "yibao", "--name", "县医疗保障局", "--date", "2026-04-01", "--kind", "bureau"],
     "错误：单位类别“bureau”不在可选范围内"),
    (["units", "add", "yibao", "--name", "县医疗保障局", "--date", "2010-01-01"],
     "错误：加入日期 2010-01-01 早于联席会议成立的日期 2016-07-27"),
    (["duties", "move", "weiji-9", "--to", "minzheng", "--date", "2026-04-01"],
     "错误：没有职责“weiji-9”\n  提示：你是不是想写“weiji-1”？"),
    (["duties", "move", "weiji-1", "--to", "weiji", "--date", "2026-04-01"], "错误：职责 weiji-1 已经属于县卫计委"),
    (["duties", "move", "weiji-1", "weiji-1", "--to", "minzheng", "--date", "2026-04-01"],
     "错误：职责 weiji-1 写了两次"),
    (["duties", "move", "weiji-1", "--to", "minzheng", "--date", "2016-01-01"],
     "错误：生效日期 2016-01-01 早于县卫计委联席会议成立的日期 2016-07-27"),
]


@pytest.mark.parametrize(("args", "message"), ADD_MOVE_REFUSALS,
                         ids=[f"{a[0]}-{i}" for i, (a, _) in enumerate(ADD_MOVE_REFUSALS)])
def test_add_and_move_refusals_write_nothing(reg_root: Path, jz, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    before = tree_hash(reg_root)
    r = jz(reg_root, *args)
    assert r.exit_code == 1, r.output
    assert message in r.stderr
    assert tree_hash(reg_root) == before


def test_historic_minutes_keep_the_old_name(reg_root: Path, jz, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert jz(reg_root, "units", "rename", "weiji", "--name", "县卫生健康局", "--date", "2026-04-01").exit_code == 0
    out = tmp_path / "minutes.md"
    r = jz(reg_root, "minutes", "render", REGULAR, "--format", "md", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "牵头单位：县卫计委" in text
    assert "县卫生健康局" not in text


# --- split ----------------------------------------------------------------------------------------

WEIJI_TWO_DUTIES = str(REFORM_FILES["units/weiji.yaml"]) + textwrap.indent(textwrap.dedent("""\
    - id: weiji-2
      text: 负责医疗救助与基本医疗保险的衔接。
      areas: [yiliao]
      role: lead
    """), "  ")

SPLIT = ["units", "split", "weiji", "--into", "yibao", "--into", "weijian", "--name", "yibao=县医疗保障局",
         "--name", "weijian=县卫生健康局", "--duty", "weiji-1=weijian", "--duty", "weiji-2=yibao",
         "--date", "2026-04-01"]


@pytest.fixture
def split_root(make_registry) -> Path:  # type: ignore[no-untyped-def]
    return make_registry({**REFORM_FILES, "units/weiji.yaml": WEIJI_TWO_DUTIES})


def test_split_sends_each_duty_where_named(split_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(split_root, *SPLIT)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == (
        "已将 县卫计委（weiji）拆分，职责分别转入 县医疗保障局（yibao，新设）、县卫生健康局（weijian，新设），"
        "2026-04-01 起：weiji-1 → weijian-1；weiji-2 → yibao-1。")
    assert (split_root / "units/weiji.yaml").read_text(encoding="utf-8").endswith(textwrap.dedent("""\
        history:
          - date: 2026-04-01
            act: split
            units: [yibao, weijian]
            duties:
              - id: weiji-1
                to: weijian-1
              - id: weiji-2
                to: yibao-1
        duties: []
        """))
    assert (split_root / "units/yibao.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        # 县医疗保障局：由 县卫计委 拆分设立（2026-04-01）
        id: yibao
        name: 县医疗保障局
        kind: government
        order: 8
        active: true
        since: 2026-04-01
        liaison: {name: null, phone: null, post: null}
        reviewers: [weiji-liaison]
        history:
          - date: 2026-04-01
            act: established
            units: [weiji]
        duties:
          - id: yibao-1
            text: 负责医疗救助与基本医疗保险的衔接。
            areas: [yiliao]
            role: lead
            moved_from: weiji
            since: 2026-04-01
        """)
    reg = load(split_root).registry
    assert reg.units["weijian"].order == 9 and not reg.units["weiji"].active
    assert [d.id for d in reg.units["weijian"].duties] == ["weijian-1"]
    # validate accepts the result, except the open task still led by the split unit
    assert codes(split_root) == [f"meetings/2026/{REGULAR}.yaml:17 orphan-task 未完成的议定事项 {REGULAR}-2 "
                                 "由县卫计委牵头，但该单位自 2026-04-01 起已不是成员单位"]


def test_split_into_an_existing_unit_by_name(split_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(split_root, "units", "split", "weiji", "--into", "县民政局", "--into", "yibao",
           "--name", "yibao=县医疗保障局", "--duty", "weiji-1=民政局", "--duty", "weiji-2=yibao",
           "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    minzheng = load(split_root).registry.units["minzheng"]
    assert [(d.id, d.moved_from) for d in minzheng.duties] == [("minzheng-1", None), ("minzheng-2", "weiji")]
    assert "units: [minzheng, yibao]" in (split_root / "units/weiji.yaml").read_text(encoding="utf-8")


SPLIT_REFUSALS = [
    (["--into", "weiji", "--into", "yibao", "--name", "yibao=县医疗保障局", "--duty", "weiji-1=weiji",
      "--duty", "weiji-2=yibao", "--date", "2026-04-01"],
     "错误：不能把县卫计委（weiji）拆分到它自己"),
    (["--into", "minzheng", "--into", "yibao", "--name", "yibao=县医疗保障局", "--duty", "weiji-9=minzheng",
      "--duty", "weiji-2=yibao", "--date", "2026-04-01"],
     "错误：县卫计委没有职责“weiji-9”\n  提示：你是不是想写“weiji-1”？"),
    (["--into", "minzheng", "--into", "yibao", "--name", "yibao=县医疗保障局", "--duty", "weiji-2=yibao",
      "--date", "2026-04-01"],
     "错误：县卫计委还有 1 条职责没有指定去向：weiji-1"),
    (["--into", "minzheng", "--into", "yibao", "--name", "yibao=县医疗保障局", "--duty", "weiji-1=caizheng",
      "--duty", "weiji-2=yibao", "--date", "2026-04-01"],
     "错误：职责 weiji-1 要转给的“caizheng”不在 --into 中"),
    (["--into", "minzheng", "--into", "yibao", "--duty", "weiji-1=minzheng", "--duty", "weiji-2=yibao",
      "--date", "2026-04-01"],
     "错误：没有成员单位“yibao”；拆分出新单位时要用 --name 给出它的名称"),
    (["--into", "minzheng", "--into", "yibao", "--name", "yibao=县医疗保障局", "--duty", "weiji-1=minzheng",
      "--duty", "weiji-2=yibao", "--date", "2016-07-01"],
     "错误：生效日期 2016-07-01 早于县卫计委联席会议成立的日期 2016-07-27"),
    (["--into", "minzheng", "--duty", "weiji-1=minzheng", "--duty", "weiji-2=minzheng", "--date", "2026-04-01"],
     "错误：拆分至少要有两个承接单位"),
    (["--into", "minzheng", "--into", "sifa", "--duty", "weiji-1=minzheng", "--duty", "weiji-2=minzheng",
      "--date", "2026-04-01"],
     "错误：承接单位 sifa 没有分到任何职责"),
    (["--into", "minzheng", "--into", "yibao", "--name", "yibao=县民政局", "--duty", "weiji-1=minzheng",
      "--duty", "weiji-2=yibao", "--date", "2026-04-01"],
     "错误：名称“县民政局”已被成员单位 minzheng 使用"),
    (["--into", "minzheng", "--into", "yibao", "--name", "yibao", "--duty", "weiji-1=minzheng",
      "--duty", "weiji-2=yibao", "--date", "2026-04-01"],
     "错误：--name 的值“yibao”应写成 新单位标识=名称"),
]


@pytest.mark.parametrize(("args", "message"), SPLIT_REFUSALS, ids=[str(i) for i in range(len(SPLIT_REFUSALS))])
def test_split_refusals_write_nothing(split_root: Path, jz, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    before = tree_hash(split_root)
    r = jz(split_root, "units", "split", "weiji", *args)
    assert r.exit_code == 1, r.output
    assert message in r.stderr
    assert tree_hash(split_root) == before


def test_split_date_before_the_unit_joined(make_registry, jz) -> None:  # type: ignore[no-untyped-def]
    root = make_registry({**REFORM_FILES, "units/weiji.yaml": WEIJI_TWO_DUTIES + "since: 2020-01-01\n"})
    before = tree_hash(root)
    r = jz(root, *SPLIT[:-1], "2019-06-30")
    assert r.exit_code == 1
    assert "错误：生效日期 2019-06-30 早于县卫计委加入联席会议的日期 2020-01-01" in r.stderr
    assert tree_hash(root) == before


def test_merge_into_an_unknown_id_asks_for_a_name(reg_root: Path, jz) -> None:  # type: ignore[no-untyped-def]
    before = tree_hash(reg_root)
    r = jz(reg_root, "units", "merge", "guoshui", "dishui", "--into", "shuiwu", "--date", "2026-04-01")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == "错误：没有成员单位“shuiwu”；合并为新单位时要用 --name 给出新单位的名称"
    assert "dishui" not in r.stderr  # no "did you mean" pointing at a unit being merged
    assert tree_hash(reg_root) == before


def test_moved_duties_keep_their_per_area_roles(shipped_copy: Path, jz) -> None:  # type: ignore[no-untyped-def]
    res = jz(shipped_copy, "units", "dissolve", "tongji", "--date", "2026-01-01", "--duties-to", "minzheng")
    assert res.exit_code == 0, res.output
    moved = load(shipped_copy).registry.units["minzheng"]
    duty = next(d for d in moved.duties if d.moved_from == "tongji")
    assert duty.role_in("dibao") == "support" and duty.role_in("tongji-gongzuo") == "lead"
