"""Usage errors: exit 2, in Chinese, for every command group."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("command", [
    ["units", "list"], ["proposal", "list"], ["meeting", "list"], ["tasks", "list"], ["tasks", "overdue"],
    ["tasks", "due-soon"],
])
def test_unknown_format_is_a_usage_error(make_registry, jz, command):
    res = jz(make_registry(), *command, "--format", "xml")
    assert res.exit_code == 2, res.output
    assert "用法错误：选项 --format 的值无效：“xml”不是可用的格式，只能是 table 或 json" in res.output
    assert "Error" not in res.output and "Try" not in res.output


def test_missing_option_unknown_command_and_option(make_registry, jz):
    root = make_registry()
    res = jz(root, "proposal", "review", "p-1", "--pass")
    assert res.exit_code == 2
    assert "用法错误：缺少选项 --opinion。" in res.output
    assert "运行 jiuzhu proposal review -h 查看帮助。" in res.output
    res = jz(root, "nosuch")
    assert res.exit_code == 2
    assert "用法错误：没有命令“nosuch”。" in res.output
    res = jz(root, "units", "list", "--bogus")
    assert res.exit_code == 2
    assert "用法错误：没有选项 --bogus。" in res.output


def test_translate_keeps_unknown_messages():
    from jiuzhu.cli.usage import translate

    assert translate("Got unexpected extra argument (x)") == "多余的参数：x。"
    assert translate("something new") == "something new"


def test_a_closed_pipe_is_not_an_internal_error(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import SHIPPED

    reg = tmp_path / "registry"
    shutil.copytree(SHIPPED, reg)
    jiuzhu = Path(sys.executable).with_name("jiuzhu")
    res = subprocess.run(["bash", "-c", f"set -o pipefail; '{jiuzhu}' -r '{reg}' validate --format github | head -n 1"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "内部错误" not in res.stderr


def test_long_tables_print_in_parts_with_headers(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Past TABLE_ROWS rows a table is printed in parts (rich lays out a table whole: 100k rows
    would take over 1 GB), each part with its header; every row is printed once."""
    from jiuzhu.cli import output

    monkeypatch.setattr(output, "TABLE_ROWS", 2)
    output.table("督办任务", ["编号", "单位"], [(f"t-{i}", "民政局") for i in range(5)])
    out = capsys.readouterr().out
    assert out.count("编号") == 3 and "督办任务（续2）" in out and "督办任务（续3）" in out
    assert [f"t-{i}" in out for i in range(5)] == [True] * 5 and out.count("t-") == 5
