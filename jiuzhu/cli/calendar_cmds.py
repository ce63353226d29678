"""`jiuzhu calendar export`: meetings and task deadlines as an .ics file. Core: jiuzhu.calendar_export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from jiuzhu.cli.apps import calendar_app
from jiuzhu.cli.common import STATE, as_of_or_today, load


@calendar_app.command("export")
def calendar_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的 .ics 文件")],
    unit: Annotated[Optional[str], typer.Option(
        "--unit", "-u", help="只导出该单位应参加的会议和它牵头或负责的任务时限")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按此日期取未完成的任务（默认今天）")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件")] = False,
) -> None:
    """导出日历：会议（时间、地点、议程）和未完成任务的完成时限；再次导入时更新原有日程而不重复。"""
    from jiuzhu.calendar_export import export
    from jiuzhu.cli.output import echo
    from jiuzhu.errors import InputRefused
    from jiuzhu.render import check_output, save

    if output.suffix.lower() != ".ics":
        raise InputRefused(f"日历文件应以 .ics 结尾：{output.name}", "例如 -o 联席会议.ics。")
    check_output(output, force, STATE.root, "联席会议.ics")
    reg = load()
    data = export(reg, as_of_or_today(as_of), unit)
    save(output, data, force)
    echo(f"已导出日历：{output}（{data.count(b'BEGIN:VEVENT')} 个日程）")
