"""The registry's read-only commands on a small registry: exact output, JSON porcelain, refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, mini_unit


def ok(jz, root, *args: str):
    res = jz(root, *args)
    assert "Traceback" not in res.output
    assert res.exit_code == 0, res.output
    return res


def test_units_list_json(make_registry, jz):
    rows = json.loads(ok(jz, make_registry(), "units", "list", "--format", "json").stdout)
    assert rows == [
        {"id": "minzheng", "name": "县民政局", "kind": "government", "kind_name": "政府部门", "order": 1,
         "active": True, "duties": 1, "liaison": "赵六", "office": True},
        {"id": "caizheng", "name": "县财政局", "kind": "government", "kind_name": "政府部门", "order": 2,
         "active": True, "duties": 2, "liaison": "赵六", "office": False},
    ]


def test_units_follow_order_not_file_name(make_registry, jz):
    duty = "- {id: aaa-1, text: 审计。, role: support}"
    root = make_registry({"units/aaa.yaml": mini_unit("aaa", "县审计局", 3, duty)})
    rows = json.loads(ok(jz, root, "units", "list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["minzheng", "caizheng", "aaa"]


def test_units_list_table(make_registry, jz):
    out = ok(jz, make_registry(), "units", "list").output
    assert "│ 1    │ minzheng │ 县民政局（办公室） │ 政府部门 │ 1    │ 赵六   │" in out
    assert "│ 2    │ caizheng │ 县财政局           │ 政府部门 │ 2    │ 赵六   │" in out


def test_units_show(make_registry, jz):
    out = ok(jz, make_registry(), "units", "show", "县财政局").output
    assert out.splitlines()[:2] == ["县财政局（caizheng）  政府部门  成立文件第 2 项",
                                    "联络员：赵六  电话：0316-1234567  审阅人：caizheng-liaison"]
    assert "│ caizheng-2 │ 配合 │ 配合民政部门做好低保资金发放。   │ 城乡低保       │" in out


def test_units_show_json(make_registry, jz):
    detail = json.loads(ok(jz, make_registry(), "units", "show", "caizheng", "-f", "json").stdout)
    assert detail["liaison"] == {"name": "赵六", "phone": "0316-1234567", "post": "科长"}
    assert [d["id"] for d in detail["duties"]] == ["caizheng-1", "caizheng-2"]
    assert detail["duties"][1] == {
        "id": "caizheng-2", "text": "配合民政部门做好低保资金发放。", "role": "support", "role_name": "配合",
        "areas": ["dibao"], "area_names": ["城乡低保"], "info": [], "shared_with": [], "roles": {}}


@pytest.mark.parametrize("ref, hint", [
    ("县财正局", "你是不是想写“县财政局”？"),
    ("caizhen", "你是不是想写“caizheng”？"),
    ("公安", "用 jiuzhu units list 查看所有成员单位。"),
])
def test_unknown_unit_is_refused(make_registry, jz, ref, hint):
    res = jz(make_registry(), "units", "show", ref)
    assert res.exit_code == 1
    assert res.output == f"错误：没有成员单位“{ref}”\n  提示：{hint}\n"


def test_duties_matrix(make_registry, jz):
    out = ok(jz, make_registry(), "duties", "matrix").output
    assert "│ 城乡低保       │ 县民政局 │ 县财政局 │            │" in out
    assert "│ 资金保障与监管 │ 县财政局 │          │            │" in out
    rows = json.loads(ok(jz, make_registry(), "duties", "matrix", "-f", "json").stdout)
    assert [(r["area"], r["lead"], r["support"], r["info"]) for r in rows] == [
        ("dibao", ["minzheng"], ["caizheng"], []), ("zijin", ["caizheng"], [], [])]


def test_duties_matrix_marks_designated_lead(make_registry, jz):
    duty = "- {id: aaa-1, text: 负责低保审计。, areas: [dibao], role: lead}"
    root = make_registry({"units/aaa.yaml": mini_unit("aaa", "县审计局", 3, duty),
                          "areas.yaml": "areas:\n  - {id: dibao, name: 城乡低保, kind: assistance, lead: minzheng}\n"
                                        "  - {id: zijin, name: 资金保障与监管, kind: work}\n"})
    out = ok(jz, root, "duties", "matrix").output
    assert "│ 城乡低保       │ 县民政局（指定）、县审计局 │ 县财政局 │            │" in out


def test_duties_matrix_info(make_registry, jz):
    duty = "- {id: aaa-1, text: 依法提供房产信息。, areas: [dibao], role: info, info: [房产]}"
    root = make_registry({"units/aaa.yaml": mini_unit("aaa", "县房管局", 3, duty)})
    out = ok(jz, root, "duties", "matrix", "--info").output
    assert "│ 县房管局 │ 房产       │ aaa-1    │" in out
    rows = json.loads(ok(jz, root, "duties", "matrix", "--info", "-f", "json").stdout)
    assert rows == [{"unit": "aaa", "unit_name": "县房管局", "info": ["房产"], "duty": "aaa-1",
                     "text": "依法提供房产信息。"}]


def test_duties_matrix_info_when_nobody_provides(make_registry, jz):
    out = ok(jz, make_registry(), "duties", "matrix", "--info").output
    assert out == "没有成员单位的职责写明为家庭经济状况核对提供哪些信息（职责的 role: info 和 info: [...]）。\n"


@pytest.mark.parametrize("args", [
    ("units", "list"), ("units", "show", "minzheng"), ("duties", "show", "minzheng"), ("duties", "matrix"),
])
def test_unknown_format_is_refused(make_registry, jz, args):
    res = jz(make_registry(), *args, "--format", "xml")
    assert res.exit_code == 2
    lists = args in (("units", "list"), ("duties", "matrix"))  # these go to spreadsheets too
    assert ("只能是 table、json、csv 或 xlsx" if lists else "只能是 table 或 json") in res.output


def test_queries_on_a_registry_with_errors_show_what_loaded(make_registry, jz):
    root = make_registry({"units/caizheng.yaml": "id: caizheng\nname: [县财政局\n"})
    rows = json.loads(ok(jz, root, "units", "list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["minzheng"]
    res = jz(root, "validate")
    assert res.exit_code == 1


@pytest.mark.parametrize("args", [
    ("units", "list"), ("duties", "matrix"), ("units", "show", "x"), ("validate", "--strict"),
])
def test_missing_registry_never_a_traceback(tmp_path, jz, args):
    res = jz(tmp_path / "none", *args)
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert res.output.startswith("错误：找不到登记册目录：")


def test_help_does_not_import_heavy_modules():
    """`jiuzhu --help` stays fast: the YAML parser, rich and the model load only when a command runs."""
    code = ("import sys, jiuzhu.cli; heavy = [m for m in ('ruamel.yaml', 'rich.table', 'jiuzhu.loader', 'jinja2') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_a_command_that_only_reads_imports_no_writer(tmp_path):
    """After an edit, neither `validate` nor `tasks overdue` imports the file lock or ruamel.yaml:
    only commands that write need them (docs/performance.md). (validate re-reads system.yaml for the
    position of a warning there, with the quick reader since it takes a key's comment.)"""
    import shutil

    from jiuzhu import yamlfast

    reg = tmp_path / "registry"
    shutil.copytree(ROOT / "registry", reg)
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "cache")}
    run = ("import sys; from jiuzhu.cli import app\n"
           "try: app(['-r', *sys.argv[1:]], prog_name='jiuzhu')\nexcept SystemExit: pass\n"
           "print([m for m in ('ruamel.yaml', 'filelock', 'jinja2') if m in sys.modules], file=sys.stderr)")
    plain = next(u for u in sorted((reg / "units").glob("*.yaml"))  # a file the quick reader reads
                 if yamlfast.parse(u.read_text(encoding="utf-8"), {}.setdefault) is not None)
    expected = {"validate": "[]", "tasks": "[]"}
    for n, args in enumerate((["validate"], ["validate"], ["tasks", "overdue", "--as-of", "2026-06-30"])):
        plain.write_text(plain.read_text(encoding="utf-8") + "# 改动\n", encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", run, str(reg), *args], capture_output=True, text=True,
                             cwd=ROOT, env=env)
        if n:  # the first run parses every file and fills the cache
            assert out.stderr.strip().splitlines()[-1] == expected[args[0]], (args, out.stderr[-500:])


def test_units_are_found_without_the_jurisdiction_prefix(tmp_path, jz):
    target = tmp_path / "district"
    assert jz(tmp_path, "init", str(target), "--name", "某某区社会救助工作联席会议",
              "--jurisdiction", "某某区").exit_code == 0
    for ref in ("民政局", "区民政局", "某某区民政局", "minzheng"):
        res = jz(target, "units", "show", ref, "--format", "json")
        assert res.exit_code == 0, (ref, res.output)
