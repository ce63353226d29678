"""jiuzhu.cli.longtable draws a table exactly as rich does (without rich's per-cell machinery), and
output.table prints cells as plain text, never as rich markup."""

from __future__ import annotations

import io
import random
import re
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table

from jiuzhu.cli import longtable, output

WORDS = ["县民政局", "低保", "minzheng", "m-20260101-regular-1234-5", "进一步规范城乡低保审核审批程序", "a b c",
         "2026-12-31", "逾期 3 个工作日（督办）", "", "x" * 40, "长期坚持", "100%",
         "配合 民政 部门 做好 资金 发放 工作", "第一行\n第二行", "  前后有空格  ", "全角，标点。",
         "[bold]不是样式[/bold]"]


def _rich(title: str | None, columns: list[tuple[str, dict[str, Any]]], rows: list[list[str]], width: int) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, soft_wrap=False, highlight=False, markup=False, color_system=None)
    t = Table(title=title, show_lines=False, header_style="bold", expand=False)
    for name, opts in columns:
        t.add_column(name, **opts)
    for row in rows:
        t.add_row(*row)
    console.print(t)
    return buf.getvalue()


def _case(rnd: random.Random) -> tuple[str | None, list[tuple[str, dict[str, Any]]], list[list[str]], int]:
    columns = []
    for _ in range(rnd.randint(1, 6)):
        opts: dict[str, Any] = {"overflow": "fold"}
        if rnd.random() < 0.3:
            opts["no_wrap"] = True
        if rnd.random() < 0.15:
            opts["min_width"] = rnd.randint(5, 25)
        columns.append((rnd.choice(WORDS[:8]) or "列", opts))
    rows = [[" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 3))) for _ in columns]
            for _ in range(rnd.randint(1, 8))]
    title = rnd.choice([None, "牵头单位：县民政局（12 项）", "进展记录", "非常长的标题" * 8])
    return title, columns, rows, rnd.choice([40, 60, 80, 100, 120])


@pytest.mark.parametrize("seed", range(6))
def test_same_lines_as_rich(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(150):
        title, columns, rows, width = _case(rnd)
        drawn = longtable.draw(title, columns, rows, width)
        assert drawn == _rich(title, columns, rows, width), (title, columns, width)


def test_styled_is_the_same_text_with_bold_header_and_italic_title() -> None:
    columns = [("编号", {"no_wrap": True}), ("事项", {})]
    rows = [["m-1", "进一步规范城乡低保审核审批程序" * 3]] * 3
    styled = longtable.draw("督办", columns, rows, 60, styled=True)
    assert "\x1b[1m" in styled and "\x1b[3m" in styled
    assert re.sub(r"\x1b\[[0-9;]*m", "", styled) == longtable.draw("督办", columns, rows, 60)


def test_output_table_is_the_same_either_way(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Long parts go through longtable, short ones through rich: the printed text is the same, and
    a cell's brackets are printed as they are."""
    rnd = random.Random(7)
    rows: list[list[Any]] = [[rnd.choice(WORDS), rnd.choice(WORDS), None, rnd.randint(0, 100)]
                             for _ in range(output.FAST_FROM + 5)]
    columns: list[output.Column] = [("任务编号", {"min_width": 12}), "事项", ("完成时限", {"no_wrap": True}), "进度"]
    output.table("逾期任务", columns, rows)
    fast = capsys.readouterr().out
    monkeypatch.setattr(output, "FAST_FROM", 10**9)
    output.table("逾期任务", columns, rows)
    assert capsys.readouterr().out == fast
    rows[3][1] = "制表符\t之后"  # tabs: rich draws the part
    output.table("逾期任务", columns, rows)
    with_tab = capsys.readouterr().out
    monkeypatch.setattr(output, "FAST_FROM", 1)
    output.table("逾期任务", columns, rows)
    assert capsys.readouterr().out == with_tab
    output.table(None, ["说明"], [["见[附件1]和[bold]说明"]])
    assert "见[附件1]和[bold]说明" in capsys.readouterr().out


@pytest.mark.parametrize("rows_count", [3, 60])  # drawn by rich, by longtable
def test_a_table_that_cannot_keep_min_width_wraps_instead_of_being_cut(
        rows_count: int, capsys: pytest.CaptureFixture[str]) -> None:
    """At 80 columns an overdue table's 25-wide id column left no room for the last columns: rich
    cut them at the edge. The min_width is dropped then, and every line keeps its right border."""
    rows = [["m-20160808-regular-2265-10\n组织开展统计政策宣传进村入户活动。", "县农业局 县法制办 县财政局",
             "2016-09-05", "3472天 2368工作日 通报", "63% 推进中"]] * rows_count
    columns: list[output.Column] = [("任务编号 / 议定事项", {"min_width": 25}), "责任单位",
                                    ("完成时限", {"no_wrap": True}), "逾期/等级", "进度"]
    output.table("牵头单位：县统计局", columns, rows)
    lines = [line for line in capsys.readouterr().out.splitlines() if line[:1] in "┏┃┡│└"]
    assert lines and all(line[-1] in "┓┃┩│┘" for line in lines)
    assert any("推进中" in line for line in lines)
