"""`jiuzhu tasks ...`: supervision of decisions (list, overdue, due-soon, update, reassign, show)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from jiuzhu import parse
from jiuzhu.cli.apps import tasks_app
from jiuzhu.cli.common import STATE, FormatOpt, as_of_or_today, load, parse_date, writes
from jiuzhu.cli.sheet_out import ListFormatOpt, SheetForceOpt, SheetOutputOpt

if TYPE_CHECKING:
    from jiuzhu.model import Registry
    from jiuzhu.tasks import Listing, TaskView

AsOfOpt = typer.Option("--as-of", help="按此日期计算（默认今天，北京时间）")
TASK_COL = ("任务编号 / 议定事项", {"text": True})
DATE_COL = ("完成时限", {"no_wrap": True})
STATUS_HELP = "未开始、推进中、已完成、长期坚持"
TodayOpt = typer.Option("--as-of", help="视为今天的日期：进展日期不能晚于它（默认今天，北京时间）")
UnitOpt = typer.Option("--unit", "-u", help="只看该单位牵头或负责的任务（标识或名称）")


SHEET_HEADERS = ("任务编号", "事项", "来源", "来源编号", "来源日期", "牵头单位", "责任单位", "完成时限", "状态",
                 "进度（%）", "通报状态", "逾期天数", "逾期工作日", "督办等级", "最近进展日期", "最近进展")


def _print(reg: Registry, listing: Listing, fmt: str, title: str, empty: str, overdue: bool = False,
           sheet: tuple[Path | None, bool] = (None, False)) -> None:
    from jiuzhu.cli.output import LONG_FROM, echo, print_json, table
    from jiuzhu.queries import unit_names
    from jiuzhu.tasks import view_row

    for w in listing.warnings:
        echo(f"警告：{w}", err=True)
    if fmt == "json":
        print_json([view_row(reg, v) for v in listing.views])
        return
    if fmt in ("csv", "xlsx"):
        _sheet(reg, listing, fmt, title, sheet)
        return
    if not listing.views:
        echo(empty)
        return
    if overdue:
        groups: dict[str, list[tuple[object, ...]]] = {}
        for v in listing.views:
            groups.setdefault(v.lead_name, []).append(
                (_task_cell(v), unit_names(reg, v.responsible).replace("、", "\n") or "无", v.due,
                 f"{v.days_overdue}天\n{v.workdays_overdue}工作日\n{v.level or ''}", f"{v.percent}%\n{v.status}"))
        echo(title)
        long = len(listing.views) >= LONG_FROM
        for lead, rows in groups.items():
            table(f"牵头单位：{lead}（{len(rows)} 项）", [TASK_COL, "责任单位", DATE_COL, "逾期/等级", "进度"], rows,
                  long=long)
        return
    table(title, [TASK_COL, "牵头单位", DATE_COL, "进度", "通报状态"],
          [(_task_cell(v), v.lead_name, v.due or "长期", f"{v.percent}%\n{v.status}",
            v.report_status + (f"\n{v.level}" if v.level else "")) for v in listing.views])


def _sheet(reg: Registry, listing: Listing, fmt: str, title: str, sheet: tuple[Path | None, bool]) -> None:
    from jiuzhu.cli import sheet_out
    from jiuzhu.queries import unit_names

    rows = [(v.id, v.text, "检查" if v.source == "inspection" else "会议", v.meeting, v.meeting_date, v.lead_name,
             unit_names(reg, v.responsible), v.due, v.status, v.percent, v.report_status, v.days_overdue,
             v.workdays_overdue, v.level, v.last_date, v.last_note) for v in listing.views]
    sheet_out.write(fmt, sheet[0], sheet[1], title.split("（")[0], SHEET_HEADERS, rows)


def _task_cell(v: TaskView) -> str:
    """The task id (what `tasks update` takes) above its text: readable in 80 columns. A task
    from an inspection says so (a meeting's task id names its meeting)."""
    return f"{v.id}\n{v.text}" + ("\n〔检查整改〕" if v.source == "inspection" else "")


@tasks_app.command("list")
def tasks_list(
    unit: Annotated[Optional[str], UnitOpt] = None,
    status: Annotated[Optional[str], typer.Option("--status", "-s", help=f"只看该状态：{STATUS_HELP}")] = None,
    as_of: Annotated[Optional[str], AsOfOpt] = None,
    fmt: Annotated[str, ListFormatOpt] = "table",
    output: Annotated[Optional[Path], SheetOutputOpt] = None,
    force: Annotated[bool, SheetForceOpt] = False,
) -> None:
    """列出全部议定事项和检查整改任务及其进度和状态。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.tasks import list_tasks

    sheet_out.check(fmt, output, force)
    reg = load()
    listing = list_tasks(reg, as_of_or_today(as_of), unit, status)
    _print(reg, listing, fmt, f"督办任务（{len(listing.views)} 项）", "没有任务。", sheet=(output, force))


@tasks_app.command("overdue")
def tasks_overdue(
    as_of: Annotated[Optional[str], AsOfOpt] = None,
    unit: Annotated[Optional[str], UnitOpt] = None,
    fmt: Annotated[str, ListFormatOpt] = "table",
    fail: Annotated[bool, typer.Option("--fail", help="有逾期任务时以退出码 1 结束（供定时 CI 任务使用）")] = False,
    output: Annotated[Optional[Path], SheetOutputOpt] = None,
    force: Annotated[bool, SheetForceOpt] = False,
) -> None:
    """逾期未完成的任务：按牵头单位分组，逾期最久的在前，含逾期天数、工作日数和督办等级。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.tasks import overdue_tasks

    sheet_out.check(fmt, output, force)
    day = as_of_or_today(as_of)
    reg = load()
    listing = overdue_tasks(reg, day, unit)
    _print(reg, listing, fmt, f"截至 {day} 逾期未完成的任务（{len(listing.views)} 项）",
           f"截至 {day} 没有逾期任务。", overdue=True, sheet=(output, force))
    if fail and listing.views:
        raise typer.Exit(1)


@tasks_app.command("due-soon")
def tasks_due_soon(
    within: Annotated[Optional[int], typer.Option(
        "--within", "-n", help="多少个工作日内到期（默认取 system.yaml 的 due_soon_workdays）")] = None,
    as_of: Annotated[Optional[str], AsOfOpt] = None,
    unit: Annotated[Optional[str], UnitOpt] = None,
    fmt: Annotated[str, ListFormatOpt] = "table",
    output: Annotated[Optional[Path], SheetOutputOpt] = None,
    force: Annotated[bool, SheetForceOpt] = False,
) -> None:
    """即将到期的任务：N 个工作日内到期（含今天到期）且未完成。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.tasks import due_soon_tasks

    sheet_out.check(fmt, output, force)
    reg = load()
    day = as_of_or_today(as_of)
    listing = due_soon_tasks(reg, day, within, unit)
    _print(reg, listing, fmt, f"截至 {day} 即将到期的任务（{len(listing.views)} 项）",
           f"截至 {day} 没有即将到期的任务。", sheet=(output, force))


@tasks_app.command("update")
@writes
def tasks_update(
    task: Annotated[str, typer.Argument(help="任务编号（议定事项编号）")],
    by: Annotated[str, typer.Option("--by", help="报告进展的单位（标识或名称）")],
    note: Annotated[str, typer.Option("--note", help="本次进展情况")],
    percent: Annotated[Optional[str], typer.Option("--percent", help="完成进度 0–100，如 40 或 40%")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help=f"状态：{STATUS_HELP}")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="进展日期（默认今天）")] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="进度下降或重新打开已完成任务时的原因")] = None,
    reply_to: Annotated[Optional[str], typer.Option(
        "--reply-to", help="这次报告回复的督办通知单编号（见 jiuzhu supervise list）")] = None,
    as_of: Annotated[Optional[str], TodayOpt] = None,
) -> None:
    """报告一项任务的进展：追加到 tasks/<年>/<任务编号>.yaml 的进展记录。"""
    from jiuzhu.cli.output import echo
    from jiuzhu.task_writes import Update, update_task

    reg = load()
    done = None if percent is None else parse.percent(percent, "--percent")
    upd = Update(task, by, parse.text(note, "--note") or "", done, status, parse_date(date, "--date"),
                 parse.text(reason, "--reason"), reply_to)
    rel, entry = update_task(STATE.root, reg, upd, as_of_or_today(as_of))
    parts = [f"{entry['percent']}%" if "percent" in entry else "", entry.get("status", "")]
    echo(f"已记录任务 {task} 的进展（{entry['date']}，{reg.units[entry['by']].name}）"
         + (f"：{' '.join(p for p in parts if p)}" if any(parts) else ""))
    if "reply_to" in entry:
        echo(f"  已回复督办通知单 {entry['reply_to']}")
    echo(f"  文件：{STATE.shown(rel)}")


@tasks_app.command("reassign")
@writes
def tasks_reassign(
    task: Annotated[str, typer.Argument(help="任务编号（议定事项编号）")],
    lead: Annotated[str, typer.Option("--lead", help="新的牵头单位")],
    reason: Annotated[str, typer.Option("--reason", help="调整原因")],
    decided_by: Annotated[str, typer.Option("--decided-by", help="作出调整决定的会议或领导")],
    responsible: Annotated[Optional[list[str]], typer.Option(
        "--responsible", help="新的责任单位（可多次，或用顿号连接）；不写则保留现有责任单位（新牵头单位从中去掉）"),
    ] = None,
    no_responsible: Annotated[bool, typer.Option("--no-responsible", help="调整后不再有责任单位")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="调整日期（默认今天）")] = None,
    as_of: Annotated[Optional[str], TodayOpt] = None,
) -> None:
    """调整任务的牵头单位和责任单位：作为一次有日期、原因和决定人的记录追加，原记录不改写。

    不写 --responsible 时保留现有的责任单位（新牵头单位若在其中则去掉）；要取消全部责任单位用 --no-responsible。
    """
    from jiuzhu.cli.output import echo
    from jiuzhu.errors import InputRefused
    from jiuzhu.queries import unit_names
    from jiuzhu.task_writes import Reassign, reassign_task

    if no_responsible and responsible:
        raise InputRefused("--responsible 和 --no-responsible 不能同时使用", "只写其中一个。")
    kept = () if no_responsible else parse.items(responsible) or None
    reg = load()
    act = Reassign(task, lead, kept, parse.text(reason, "--reason") or "", parse.line(decided_by, "--decided-by") or "",
                   parse_date(date, "--date"))
    rel, entry = reassign_task(STATE.root, reg, act, as_of_or_today(as_of))
    echo(f"已调整任务 {task}（{entry['date']}）：牵头单位 {unit_names(reg, [entry['lead']])}；"
         f"责任单位 {unit_names(reg, entry['responsible']) or '无'}")
    echo(f"  文件：{STATE.shown(rel)}")


@tasks_app.command("show")
def tasks_show(
    task: Annotated[str, typer.Argument(help="任务编号（议定事项编号）")],
    as_of: Annotated[Optional[str], AsOfOpt] = None,
    fmt: Annotated[str, FormatOpt] = "table",
) -> None:
    """显示一项任务：当前状态、全部进展记录和牵头/责任单位调整记录。"""
    from jiuzhu.cli.output import check_format, echo, print_json, table
    from jiuzhu.queries import unit_names
    from jiuzhu.tasks import task_detail

    check_format(fmt)
    reg = load()
    d = task_detail(reg, task, as_of_or_today(as_of))
    if fmt == "json":
        print_json(d)
        return
    echo(f"{d['id']}：{d['text']}")
    echo(f"{'检查' if d['source'] == 'inspection' else '会议'}：{d['meeting']}（{d['meeting_date']}）  "
         f"完成时限：{d['due'] or '长期坚持'}" + (f"  已发督办通知单 {d['notices']} 次" if d["notices"] else ""))
    echo(f"牵头单位：{d['lead_name']}  责任单位：{'、'.join(d['responsible_names']) or '无'}")
    echo(f"状态：{d['status']}  进度：{d['percent']}%  {d['report_status']}"
         + (f"  逾期 {d['days_overdue']} 天（{d['workdays_overdue']} 个工作日）" if d["days_overdue"] else "")
         + (f"  督办等级：{d['level']}" if d["level"] else ""))
    if d["log"]:
        table("进展记录", ["日期", "单位", "进度", "状态", "情况", "原因"],
              [(e["date"], e["by_name"], "" if e["percent"] is None else f"{e['percent']}%", e["status"] or "",
                e["note"], e["reason"] or "") for e in d["log"]])
    else:
        echo("进展记录：暂无")
    if d["reassignments"]:
        table("调整记录", ["日期", "牵头单位", "责任单位", "原因", "决定"],
              [(r["date"], unit_names(reg, [r["lead"]]), unit_names(reg, r["responsible"]), r["reason"],
                r["decided_by"]) for r in d["reassignments"]])
