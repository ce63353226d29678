"""The shipped Dachang registry through the CLI: it validates, lists its 27 units in the founding
document's order, and its tables fit an 80-column terminal."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from tests.conftest import SEED


def run(jz, root, *args: str):
    res = jz(root, *args)
    assert "Traceback" not in res.output
    assert res.exit_code == 0, res.output
    return res


def assert_fits_80(output: str) -> None:
    too_wide = [line for line in output.splitlines() if cell_len(line) > 80]
    assert too_wide == []
    # a table wider than the terminal is cut at its edge: its lines then lose their right border
    cut = [line for line in output.splitlines() if line[:1] in "┏┃┡│└" and line.rstrip()[-1:] not in "┓┃┩│┘"]
    assert cut == []


def seed_unit_items() -> dict[str, int]:
    """Unit name (without the leading 县) -> item number in section 三 of the seed's first copy."""
    text = SEED.read_text(encoding="utf-8")
    section = text[text.index("三、成员单位职责"):text.index("四、")]
    items: dict[str, int] = {}
    for no, names in re.findall(r"^(\d+)\.([^:：]+)[:：]", section, flags=re.M):
        for name in names.split("、"):
            items[name.strip().removeprefix("县")] = int(no)
    return items


def test_validate_exits_zero_without_errors(shipped_copy, jz):
    res = run(jz, shipped_copy, "validate")
    assert " 错误：" not in res.output
    assert res.output.splitlines()[-1].startswith("共 0 个错误，")
    res = run(jz, shipped_copy, "validate", "--format", "json")
    assert json.loads(res.stdout)["errors"] == []


def test_27_units_in_founding_document_order(shipped_copy, jz):
    rows = json.loads(run(jz, shipped_copy, "units", "list", "--format", "json").stdout)
    assert len(rows) == 27
    for row in rows:
        assert {"id", "name", "kind", "active"} <= row.keys()
        assert row["active"] is True
    items = seed_unit_items()
    seen = [items[row["name"].removeprefix("县")] for row in rows]
    assert seen == sorted(seen)
    assert sorted(set(seen)) == list(range(1, 27))
    assert [r["id"] for r in rows if items[r["name"].removeprefix("县")] == 19] == ["guoshui", "dishui"]
    assert [r["order"] for r in rows] == list(range(1, 28))


def test_units_list_table(shipped_copy, jz):
    out = run(jz, shipped_copy, "units", "list").output
    assert_fits_80(out)
    assert "成员单位（27 个）" in out
    assert "县民政局（办公室）" in out
    lines = out.splitlines()
    assert [i for i, ln in enumerate(lines) if "xinfang" in ln] < [i for i, ln in enumerate(lines) if "fazhi" in ln]


def test_units_show_minzheng(shipped_copy, jz):
    out = run(jz, shipped_copy, "units", "show", "minzheng").output
    assert_fits_80(out)
    assert out.splitlines()[0] == "县民政局（minzheng）  政府部门  成立文件第 9 项  联席会议办公室所在单位"
    assert "minzheng-1" in out and "牵头" in out
    detail = json.loads(run(jz, shipped_copy, "units", "show", "minzheng", "--format", "json").stdout)
    assert (detail["id"], detail["name"], detail["item"], detail["office"]) == ("minzheng", "县民政局", 9, True)
    assert detail["duties"][0]["text"] == "负责统筹全县社会救助体系建设。"


@pytest.mark.parametrize("ref", ["县民政局", "民政局", "minzheng"])
def test_duties_show_by_name_or_id(shipped_copy, jz, ref):
    out = run(jz, shipped_copy, "duties", "show", ref).output
    assert_fits_80(out)
    assert out.splitlines()[0].startswith("县民政局的职责（")
    rows = json.loads(run(jz, shipped_copy, "duties", "show", ref, "--format", "json").stdout)
    assert rows[0]["id"] == "minzheng-1"
    assert {"id", "text", "role", "areas", "info"} <= rows[0].keys()


def test_duties_show_unknown_unit_suggests(shipped_copy, jz):
    res = jz(shipped_copy, "duties", "show", "minzhen")
    assert res.exit_code == 1
    assert res.output == "错误：没有成员单位“minzhen”\n  提示：你是不是想写“minzheng”？\n"


def test_duties_matrix(shipped_copy, jz):
    out = run(jz, shipped_copy, "duties", "matrix").output
    assert_fits_80(out)
    assert "领域×单位职责矩阵（● 牵头 ○ 配合 ◆ 提供信息）" in out
    rows = json.loads(run(jz, shipped_copy, "duties", "matrix", "--format", "json").stdout)
    by_area = {r["area"]: r for r in rows}
    assert "minzheng" in by_area["dibao"]["lead"]
    assert by_area["dibao"]["designated_lead"] == "minzheng"
    assert "fangguan" in by_area["hedui"]["info"]
    for r in rows:
        assert not set(r["lead"]) & set(r["support"])


def test_duties_matrix_info(shipped_copy, jz):
    out = run(jz, shipped_copy, "duties", "matrix", "--info").output
    assert_fits_80(out)
    assert "家庭经济状况核对：各单位提供的信息" in out
    rows = json.loads(run(jz, shipped_copy, "duties", "matrix", "--info", "--format", "json").stdout)
    info: dict[str, list[str]] = {}
    for r in rows:
        info.setdefault(r["unit"], []).extend(r["info"])
    assert "房产" in info["fangguan"]
    assert "用电" in info["gongdian"]
    assert {"车辆", "户籍"} <= set(info["gongan"])
    assert "纳税" in info["guoshui"] and "纳税" in info["dishui"]
    assert "银行账户" in info["renhang"]
    assert "金融资产" in info["yinjian"]
    assert len(info) >= 10  # the seed names at least ten information providers


def test_registry_option_and_env(shipped_copy, monkeypatch):
    from jiuzhu.cli import app

    runner = CliRunner()
    monkeypatch.setenv("JIUZHU_REGISTRY", str(shipped_copy))
    res = runner.invoke(app, ["units", "list", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)) == 27
    monkeypatch.setenv("JIUZHU_REGISTRY", str(shipped_copy / "nowhere"))
    res = runner.invoke(app, ["--registry", str(shipped_copy), "units", "list", "--format", "json"])
    assert res.exit_code == 0, res.output  # --registry wins over the environment
    res = runner.invoke(app, ["units", "list"])
    assert res.exit_code == 1
    assert res.output.startswith(f"错误：找不到登记册目录：{shipped_copy / 'nowhere'}\n")


def test_init_writes_a_registry_that_validates(tmp_path, jz):
    target = tmp_path / "new"
    res = jz(tmp_path / "unused", "init", str(target),
             "--name", "某某县社会救助工作联席会议", "--jurisdiction", "某某县")
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == [
        f"已新建登记册：{target}",
        f"  {target}/system.yaml",
        f"  {target}/areas.yaml",
        f"  {target}/units/minzheng.yaml",
        f"  {target}/evaluation.yaml",
        f"  {target}/.gitignore",
        f"接着填写成员单位和职责，然后运行 jiuzhu --registry {target} validate。",
    ]
    res = jz(target, "validate")
    assert res.exit_code == 0, res.output
    assert " 错误：" not in res.output
    system = (target / "system.yaml").read_text(encoding="utf-8")
    assert "name: 某某县社会救助工作联席会议\njurisdiction: 某某县\ngovernment: 县政府\n" in system
    assert "大厂" not in system
    assert ".*.lock" in (target / ".gitignore").read_text(encoding="utf-8")
    assert "weight: 40" in (target / "evaluation.yaml").read_text(encoding="utf-8")  # rules that validate (above)


def test_init_json(tmp_path, jz):
    target = tmp_path / "city"
    res = jz(tmp_path, "init", str(target), "--name", "某市社会救助工作联席会议", "--jurisdiction", "某市",
             "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"id": "city", "path": str(target)}
    assert "government: 市政府\n" in (target / "system.yaml").read_text(encoding="utf-8")
    assert jz(target, "validate").exit_code == 0


def test_init_refuses_non_empty_directory(tmp_path, jz):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("x", encoding="utf-8")
    res = jz(tmp_path, "init", str(target), "--name", "某某县社会救助工作联席会议", "--jurisdiction", "某某县")
    assert res.exit_code == 1
    assert res.output == (f"错误：目录 {target} 已存在且不为空\n"
                          "  提示：换一个新目录，jiuzhu init 不会覆盖已有文件。\n")
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_init_refuses_a_file_and_empty_names(tmp_path, jz):
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    res = jz(tmp_path, "init", str(path), "--name", "某", "--jurisdiction", "某县")
    assert (res.exit_code, res.output.splitlines()[0]) == (1, f"错误：{path} 已存在且不是目录")
    res = jz(tmp_path, "init", str(tmp_path / "x"), "--name", " ", "--jurisdiction", "某县")
    assert (res.exit_code, res.output.splitlines()[0]) == (1, "错误：--name 和 --jurisdiction 不能为空")
    assert not (tmp_path / "x").exists()
