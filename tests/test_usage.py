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
    # every list goes to a spreadsheet too (issue 17)
    assert "错误：'--format' / '-f' 的值无效：“xml”不是可用的格式，只能是 table、json、csv 或 xlsx" in res.output
    assert "Error" not in res.output and "Try" not in res.output


def test_missing_option_unknown_command_and_option(make_registry, jz):
    root = make_registry()
    res = jz(root, "proposal", "review", "p-1", "--pass")
    assert res.exit_code == 2
    assert "错误：缺少选项 '--opinion' / '-o'" in res.output
    assert "运行 jiuzhu proposal review -h 查看帮助。" in res.output
    res = jz(root, "nosuch")
    assert res.exit_code == 2
    assert "错误：没有命令“nosuch”。" in res.output
    res = jz(root, "units", "list", "--bogus")
    assert res.exit_code == 2
    assert "错误：没有选项 --bogus。" in res.output


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


def test_long_tables_stream_as_aligned_lines(capsys: pytest.CaptureFixture[str]) -> None:
    """From LONG_FROM rows a table is one plain line per row (no cell-by-cell layout): columns
    aligned by display width (CJK counts two), the free-text column last, every row once."""
    from jiuzhu.cli import output

    rows = [(f"t-{i}\n任务{i}的文字 [不是标记]", "民政局" if i % 2 else "县医疗保障局", "2026-10-09")
            for i in range(output.LONG_FROM)]
    output.table("督办任务", [("任务", {"text": True}), "单位", "时限"], rows)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "督办任务" and lines[1].split() == ["单位", "时限", "任务"]
    body = lines[3:]
    assert len(body) == output.LONG_FROM
    assert body[0] == "县医疗保障局  2026-10-09  t-0 任务0的文字 [不是标记]"
    assert body[1] == "民政局        2026-10-09  t-1 任务1的文字 [不是标记]"


def test_short_tables_are_rich_tables(capsys: pytest.CaptureFixture[str]) -> None:
    from jiuzhu.cli import output

    output.table("督办任务", ["编号", "单位"], [("t-1", "[bold]民政局")])
    out = capsys.readouterr().out
    assert "┏" in out and "[bold]民政局" in out


def test_the_program_exits_with_its_code_and_all_its_output(make_registry, tmp_path) -> None:
    """`python -m jiuzhu` (the console script's path) ends without tearing down what it loaded:
    every line printed arrives, exit codes are kept, a reader that leaves early is no error."""
    import subprocess
    import sys

    root = make_registry()
    env = {**__import__("os").environ, "JIUZHU_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jiuzhu", "-r", str(root), *args], capture_output=True,
                              text=True, env=env)

    ok = run("validate", "--as-of", "2026-11-26")
    assert ok.returncode == 0 and ok.stdout.endswith("共 0 个错误，1 个警告。\n")
    (root / "units" / "caizheng.yaml").write_text("id: caizheng\n", encoding="utf-8")
    bad = run("validate", "--as-of", "2026-11-26")
    assert bad.returncode == 1 and bad.stdout.rstrip().endswith("个警告。")
    assert run("no-such-command").returncode == 2
    head = subprocess.run(f"{sys.executable} -m jiuzhu -r {root} --help | head -1", shell=True, capture_output=True,
                          text=True, env=env)
    assert head.returncode == 0 and head.stdout.startswith("用法") and "Traceback" not in head.stderr


def test_a_run_builds_only_the_command_it_runs():
    """typer builds a command's options from its signature (~2 ms each); `tasks overdue` builds
    that one command, not the other sixty (jiuzhu.cli.group.built_lazily); help lists them all."""
    import click
    import typer

    from jiuzhu.cli import app

    root = typer.main.get_command(app)
    ctx = click.Context(root, info_name="jiuzhu")
    assert root.commands == {}
    tasks = root.get_command(ctx, "tasks")
    overdue = tasks.get_command(click.Context(tasks, parent=ctx, info_name="tasks"), "overdue")
    assert set(root.commands) == {"tasks"} and set(tasks.commands) == {"overdue"}
    assert {p.name for p in overdue.params} >= {"as_of", "unit", "fmt", "fail"}
    names = root.list_commands(ctx)
    assert names[:2] == ["validate", "init"] and "tasks" in names and "rollup" in names
    assert tasks.list_commands(ctx)[:3] == ["list", "overdue", "due-soon"]
    assert set(root.commands) == {"tasks"}  # listing built nothing


def test_a_group_help_lists_every_command_with_its_help_line(jz, make_registry):
    res = jz(make_registry(), "tasks", "--help")
    assert res.exit_code == 0
    lines = {line.split()[0]: line for line in res.output.splitlines() if line.startswith("  ") and line.split()}
    expected = {"list": "列出全部议定事项", "overdue": "逾期未完成的任务", "due-soon": "", "update": ""}
    for name, words in expected.items():
        assert name in lines and words in lines[name], res.output
