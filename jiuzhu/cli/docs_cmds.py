"""Document commands: minutes render, meeting notice, briefing render, report progress."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from jiuzhu.cli.apps import briefing_app, meeting_app, minutes_app, report_app
from jiuzhu.cli.common import STATE, as_of_or_today, load, parse_date, write_lock

DOC_FORMATS = ("md", "html", "docx", "pdf")  # jiuzhu.render.FORMATS, repeated so --help imports no renderer


SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


def _doc_format(value: str | None) -> str | None:
    """Refuse an unknown --format at parse time: a usage error (exit 2)."""
    if value is not None and value not in DOC_FORMATS:
        raise typer.BadParameter(f"“{value}”不是可用的格式，只能是 md、html、docx 或 pdf")
    return value


DocFormat = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="输出格式：md（可直接显示）、html（按 GB/T 9704 排版，可打印）、docx（Word/WPS）"
                           "或 pdf（由 Chromium 打印 html）；"
                           "默认按 -o 的扩展名，没有 -o 时为 md",
    callback=_doc_format)]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="输出文件；html、docx 和 pdf 必须指定")]
Force = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")]


def format_for(fmt: str | None, output: Path | None) -> str:
    """The format a document is written in: --format, else the extension of -o, else md. A
    --format the extension contradicts (md into 纪要.docx) is refused: a file that does not open."""
    from jiuzhu.errors import InputRefused

    by_name = SUFFIXES.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        if output is not None and by_name is None:
            raise InputRefused(f"无法从文件名 {output.name} 判断输出格式",
                               "用扩展名 .md、.html、.docx 或 .pdf，或加 --format md|html|docx|pdf。")
        return by_name or "md"
    if by_name is not None and by_name != fmt:
        raise InputRefused(f"--format {fmt} 与输出文件 {output.name if output else ''} 的扩展名不符",
                           f"去掉 --format（按扩展名写成 {by_name}），或把文件名改为 .{fmt} 结尾。")
    return fmt


def _emit(kind: str, chosen: str | None, output: Path | None, force: bool,
          context: Callable[[Any], dict[str, Any]], after: Callable[[Any, dict[str, Any]], Any] | None = None) -> None:
    """Render one document and print it (md without -o) or write it; `after` stages registry
    changes, written before the document (its number is recorded, or nothing is written)."""
    from jiuzhu.cli.output import NAMELESS_CHAIR_HINT, echo, warn
    from jiuzhu.cli.progress import render_progress
    from jiuzhu.render import KINDS, check_target, render, save

    fmt = format_for(chosen, output)
    check_target(fmt, output, force, STATE.root)
    with write_lock() if after else contextlib.nullcontext():  # `after` writes to the registry
        reg = load()
        ctx = context(reg)
        kind = ctx.get("kind", kind)  # a liaison meeting's minutes are its record (render_context.minutes_context)
        meeting = ctx.get("meeting")
        system = ctx.get("system")
        if kind == "notice" and isinstance(system, dict) and not system.get("office_phone"):
            warn("通知中的联系人没有电话", "在联席会议办公室所在单位的文件中填写 liaison 的 name 和 phone。")
        if isinstance(meeting, dict) and not meeting.get("chair_name"):
            warn("会议主持人没有姓名，文档中只写职务", NAMELESS_CHAIR_HINT)
        with render_progress(f"正在生成{KINDS[kind]}（{fmt}）") as progress:
            data = render(reg, kind, fmt, ctx, progress)
        if after:  # the registry's record first: a document is never out without its number kept
            after(reg, ctx).commit()
        if output is None:
            echo(data.decode("utf-8").rstrip("\n"))
        else:
            save(output, data, force)
            echo(f"已生成{KINDS[kind]}：{output}")


@minutes_app.command("render")
def minutes_render(meeting: Annotated[str, typer.Argument(help="会议编号")], fmt: DocFormat = None,
                   output: Output = None, force: Force = False) -> None:
    """生成会议纪要：已印发的带文号，未印发的是标明“征求意见稿”的草稿；联络员会议生成内部的会议记录。"""
    from jiuzhu.render_context import minutes_context

    _emit("minutes", fmt, output, force, lambda reg: minutes_context(reg, meeting))


@meeting_app.command("notice")
def meeting_notice(
    meeting: Annotated[str, typer.Argument(help="会议编号")], fmt: DocFormat = None, output: Output = None,
    force: Force = False,
    date: Annotated[Optional[str], typer.Option("--date", help="通知落款日期（默认今天）")] = None,
) -> None:
    """生成会议通知：时间、地点、参会人员、议程（议题及提出单位）和会议要求。"""
    from jiuzhu.render_context import notice_context

    day = parse_date(date, "--date") or as_of_or_today(None)
    _emit("notice", fmt, output, force, lambda reg: notice_context(reg, meeting, day))


@briefing_app.command("render")
def briefing_render(
    start: Annotated[Optional[str], typer.Option(
        "--from", help="简报期间起始日（默认上一期结束的次日，或当年1月1日）")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="简报期间结束日（默认今天）")] = None,
    fmt: DocFormat = None, output: Output = None, force: Force = False,
    date: Annotated[Optional[str], typer.Option("--date", help="简报日期（默认今天）")] = None,
    issue: Annotated[bool, typer.Option(
        "--issue", help="登记本期期号（写入 system.yaml 的 briefings.issued）")] = False,
) -> None:
    """生成工作简报：期间内的会议、议定事项和进展；不加 --issue 时只预览下一期期号。"""
    from jiuzhu.issued import stage_briefing
    from jiuzhu.render_context import briefing_context

    day = parse_date(date, "--date") or as_of_or_today(None)
    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    _emit("briefing", fmt, output, force, lambda reg: briefing_context(reg, first, last, day),
          (lambda reg, ctx: stage_briefing(reg, ctx["briefing"])) if issue else None)


@report_app.command("progress")
def report_progress(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="统计截止日期，也是通报日期（默认今天）")] = None,
    meeting: Annotated[Optional[str], typer.Option("--meeting", help="只通报这次会议的议定事项（会议编号）")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="只通报这一年召开的会议的议定事项")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="只通报此日起召开的会议的议定事项")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="只通报此日前（含）召开的会议的议定事项")] = None,
    unit: Annotated[Optional[str], typer.Option(
        "--unit", help="督办：只通报该单位牵头或参与的事项，主送该单位")] = None,
    fmt: DocFormat = None, output: Output = None, force: Force = False,
    number: Annotated[Optional[int], typer.Option(
        "--number", help="期号（默认为当年下一期，见 system.yaml 的 reports.issued）")] = None,
    issue: Annotated[bool, typer.Option(
        "--issue", help="登记本期期号（写入 system.yaml 的 reports.issued）")] = False,
) -> None:
    """生成议定事项进展情况通报：总体情况、滞后事项（按单位）、工作要求和任务清单附件。

    默认范围是当年召开的会议的议定事项，加上以前年度到截止日期仍未办结的事项。"""
    from jiuzhu import parse
    from jiuzhu.issued import stage_report
    from jiuzhu.render_context import progress_context
    from jiuzhu.report_scope import resolve

    day = as_of_or_today(as_of)
    parse.positive(number, "--number")
    first, last = parse_date(start, "--from"), parse_date(end, "--to")

    def context(reg: Any) -> dict[str, Any]:
        scope = resolve(reg, meeting, year, first, last, unit)
        return progress_context(reg, day, number, scope, issuing=issue)

    _emit("progress", fmt, output, force, context,
          (lambda reg, ctx: stage_report(reg, ctx["report"])) if issue else None)
