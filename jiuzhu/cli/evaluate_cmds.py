"""`jiuzhu evaluate`: the annual performance evaluation of the member units. Core: jiuzhu.evaluation;
the report: jiuzhu.supervision_docs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from jiuzhu.cli.common import as_of_or_today, load, parse_date
from jiuzhu.cli.docs_cmds import DOC_FORMATS, Force, Output

if TYPE_CHECKING:
    from jiuzhu.evaluation import Result


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    def evaluate(
        year: Annotated[int, typer.Option("--year", help="评价年度")],
        as_of: Annotated[Optional[str], typer.Option(
            "--as-of", help="统计截止日期（默认为该年末；该年未过完时为今天）")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：table、json 或 csv")] = "table",
        report: Annotated[Optional[str], typer.Option(
            "--render", help="生成年度绩效评价报告：md、html、docx 或 pdf（html/docx/pdf 需 -o）")] = None,
        output: Output = None,
        force: Force = False,
    ) -> None:
        """年度绩效评价：各成员单位按指标的得分、总分和名次，以及每个分数的依据（哪些任务逾期、哪些会议缺席）。"""
        from jiuzhu.cli.output import check_format
        from jiuzhu.errors import InputRefused
        from jiuzhu.evaluation import evaluate as run

        check_format(fmt, ("table", "json", "csv"))
        if report is not None and report not in DOC_FORMATS:
            raise InputRefused(f"--render 的值“{report}”不可用", "只能是 md、html、docx 或 pdf。")
        if output is not None and report is None:
            raise InputRefused("-o 只用于生成报告", "加 --render docx（或 html、md、pdf）。")
        day = parse_date(as_of, "--as-of") or min(as_of_or_today(None), dt.date(year, 12, 31))
        if report is not None:
            _report(year, day, report, output, force)
            return
        result = run(load(), year, day)
        _print(result, fmt)


def _print(result: Result, fmt: str) -> None:
    from jiuzhu.cli.output import print_json
    from jiuzhu.evaluation import rows

    data = rows(result)
    if fmt == "json":
        print_json({"year": result.year, "as_of": result.as_of.isoformat(), "units": data})
    elif fmt == "csv":
        _csv(result, data)
    else:
        _table(result, data)


def _csv(result: Result, data: list[dict[str, Any]]) -> None:
    import csv
    import sys

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["名次", "单位标识", "单位", *(i.name for i in result.indicators), "总分"])
    out.writerows([r["rank"], r["unit"], r["unit_name"], *(s["points"] for s in r["scores"]), r["total"]] for r in data)


def _table(result: Result, data: list[dict[str, Any]]) -> None:
    from jiuzhu.cli.output import echo, table

    table(f"{result.year}年度绩效评价（截至 {result.as_of}，满分 100）",
          ["名次", "单位", *(i.name for i in result.indicators), "总分"],
          [(r["rank"], r["unit_name"], *("—" if s["points"] is None else f"{s['points']:g}" for s in r["scores"]),
            f"{r['total']:g}") for r in data])
    lost = [f"  {r['unit_name']} · {s['name']}：" + ("；".join(s["evidence"]) or "—")
            for r in data for s in r["scores"] if s["rate"] is not None and s["rate"] < 1]
    echo("扣分依据：")
    echo("\n".join(lost) if lost else "  （各单位各项均得满分）")


def _report(year: int, day: dt.date, fmt: str, output: Path | None, force: bool) -> None:
    """The 年度绩效评价报告, written like every other document (jiuzhu.cli.docs_cmds)."""
    from jiuzhu.cli.docs_cmds import _emit
    from jiuzhu.evaluation import evaluate as run
    from jiuzhu.supervision_docs import evaluation_doc_context

    # Markdown cannot hold the chart: it is not drawn for it
    _emit("evaluation", fmt, output, force,
          lambda reg: evaluation_doc_context(reg, run(reg, year, day), chart=fmt != "md"))
