"""`jiuzhu inspection ...` and `jiuzhu supervise ...`: inspections with their rectification tasks
and spot checks; supervision notices and their replies. Core: jiuzhu.inspections, jiuzhu.notices,
jiuzhu.supervision_docs."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from jiuzhu import parse
from jiuzhu.cli.apps import inspection_app, supervise_app
from jiuzhu.cli.common import STATE, as_of_or_today, load, parse_date, write_lock, writes
from jiuzhu.cli.docs_cmds import DocFormat, Force, Output, _emit, format_for
from jiuzhu.cli.sheet_out import ListFormatOpt, SheetForceOpt, SheetOutputOpt

KIND_HELP = "专项检查、重点抽查、专题走访 或 调研"
TodayOpt = typer.Option("--as-of", help="视为今天的日期（默认今天，北京时间）")


@inspection_app.command("new")
@writes
def inspection_new(
    kind: Annotated[str, typer.Option("--kind", help=f"类型：{KIND_HELP}")],
    topic: Annotated[str, typer.Option("--topic", help="检查内容，例如 低保资金发放情况")],
    units: Annotated[list[str], typer.Option("--units", help="被检查单位（可多次，或用顿号连接）")],
    date: Annotated[Optional[str], typer.Option("--date", help="检查日期（默认今天）")] = None,
    lead: Annotated[Optional[str], typer.Option(
        "--lead-unit", help="组织检查的单位（默认联席会议办公室所在单位）")] = None,
) -> None:
    """新建一次检查（专项检查、重点抽查、专题走访、调研）：inspections/<年>/<编号>.yaml。"""
    from jiuzhu.cli.output import echo
    from jiuzhu.inspections import NewInspection, new_inspection

    reg = load()
    day = parse_date(date, "--date") or as_of_or_today(None)
    ident, rel = new_inspection(reg, NewInspection(kind.strip(), parse.line(topic, "--topic") or "", day,
                                                   parse.items(units), lead))
    echo(f"已新建{kind.strip()} {ident}（{day}）")
    echo(f"  文件：{STATE.shown(rel)}")
    echo(f"  下一步：jiuzhu inspection finding {ident} --unit 单位 --text 问题及整改要求 --due-workdays 15")


@inspection_app.command("finding")
@writes
def inspection_finding(
    inspection: Annotated[str, typer.Argument(help="检查编号")],
    unit: Annotated[str, typer.Option("--unit", help="整改单位（被检查单位之一）")],
    text: Annotated[str, typer.Option("--text", help="发现的问题及整改要求")],
    due: Annotated[Optional[str], typer.Option("--due", help="整改时限（日期）")] = None,
    due_workdays: Annotated[Optional[int], typer.Option(
        "--due-workdays", help="整改时限：检查日期后第 N 个工作日（按国务院节假日安排）")] = None,
    responsible: Annotated[Optional[list[str]], typer.Option("--responsible", help="配合单位（可多次）")] = None,
    next_workday: Annotated[bool, typer.Option("--next-workday", help="时限落在休息日时改为下一个工作日")] = False,
    as_of: Annotated[Optional[str], TodayOpt] = None,
) -> None:
    """记录检查发现的一个问题：成为整改任务，和议定事项一样督办（进展、时限、逾期、升级）。"""
    from jiuzhu.cli.output import echo, warn
    from jiuzhu.inspections import NewFinding, add_finding
    from jiuzhu.queries import find_unit

    reg = load()
    new = NewFinding(inspection, unit, parse.text(text, "--text") or "", parse_date(due, "--due"),
                     parse.positive(due_workdays, "--due-workdays"), parse.items(responsible), next_workday)
    ident, day, warnings, rel = add_finding(reg, new)
    for w in warnings:
        warn(w, "")
    echo(f"已记录整改任务 {ident}（整改单位：{find_unit(reg, unit).name}；整改时限：{day}）")
    echo(f"  文件：{STATE.shown(rel)}")


@inspection_app.command("sample")
def inspection_sample(
    inspection: Annotated[Optional[str], typer.Argument(
        help="记入这次重点抽查（检查编号）；不写只显示抽取结果")] = None,
    done: Annotated[bool, typer.Option("--done", help="从已报告完成的任务中抽取（目前唯一的抽查对象）")] = False,
    n: Annotated[int, typer.Option("--n", help="抽取的任务数")] = 10,
    seed: Annotated[Optional[str], typer.Option(
        "--seed", help="随机种子：同一种子抽取结果相同（默认用检查编号）")] = None,
    as_of: Annotated[Optional[str], TodayOpt] = None,
) -> None:
    """重点抽查：从已报告完成的任务中按牵头单位分层抽取，可重复（同一种子结果相同）。"""
    from jiuzhu.cli.output import echo, table
    from jiuzhu.errors import InputRefused
    from jiuzhu.inspections import sample

    if not done:
        raise InputRefused("没有说明抽查对象", "加 --done：从已报告完成的任务中抽取。")
    with write_lock() if inspection else contextlib.nullcontext():
        reg = load()
        picked, used = sample(reg, inspection, n, seed, as_of_or_today(as_of))
    table(f"抽取的任务（{len(picked)} 项，随机种子 {used}）", ["任务编号", "牵头单位", "事项"],
          [(t, reg.units[reg.decisions[t].lead].name if reg.decisions[t].lead in reg.units else "",
            reg.decisions[t].text) for t in picked])
    if inspection:
        echo(f"已记入 {inspection}；核实后用 jiuzhu inspection verify {inspection} 任务编号 --result 属实|不属实")


@inspection_app.command("verify")
@writes
def inspection_verify(
    inspection: Annotated[str, typer.Argument(help="检查编号")],
    task: Annotated[str, typer.Argument(help="抽查的任务编号")],
    result: Annotated[str, typer.Option("--result", help="核实结果：属实 或 不属实")],
    reason: Annotated[Optional[str], typer.Option("--reason", help="不属实的原因（不属实时必填）")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="核实日期（默认今天）")] = None,
    as_of: Annotated[Optional[str], TodayOpt] = None,
) -> None:
    """记录抽查核实结果；不属实的任务重新打开（推进中），原因记入进展记录。"""
    from jiuzhu.cli.output import echo
    from jiuzhu.inspections import verify

    reg = load()
    today = as_of_or_today(as_of)
    day = parse_date(date, "--date") or today
    reopened = verify(reg, inspection, task, result.strip(), parse.text(reason, "--reason"), day, today)
    echo(f"已记录任务 {task} 的核实结果：{result.strip()}" + ("；任务已重新打开（推进中）" if reopened else ""))


@inspection_app.command("list")
def inspection_list(fmt: Annotated[str, ListFormatOpt] = "table",
                    output: Annotated[Optional[Path], SheetOutputOpt] = None,
                    force: Annotated[bool, SheetForceOpt] = False) -> None:
    """列出全部检查：类型、日期、内容、被检查单位、发现问题数和抽查数。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.cli.output import print_json, table
    from jiuzhu.queries import unit_names

    sheet_out.check(fmt, output, force)
    reg = load()
    rows: list[dict[str, Any]] = [
        {"id": i.id, "kind": i.kind, "date": i.date.isoformat(), "topic": i.topic, "lead": i.lead,
         "lead_name": unit_names(reg, [i.lead]), "units": list(i.units), "unit_names": unit_names(reg, i.units),
         "findings": [f.id for f in i.findings], "samples": len(i.samples)}
        for i in reg.inspections.values()]
    if fmt == "json":
        print_json(rows)
        return
    if fmt in ("csv", "xlsx"):
        sheet_out.write_list("inspections", fmt, output, force, rows)
        return
    table(f"检查（{len(rows)} 次）", ["编号", "类型", "日期", "内容", "被检查单位", "问题", "抽查"],
          [(r["id"], r["kind"], r["date"], r["topic"], unit_names(reg, r["units"]), len(r["findings"]), r["samples"])
           for r in rows])


@inspection_app.command("render")
def inspection_render(
    inspection: Annotated[str, typer.Argument(help="检查编号")], fmt: DocFormat = None, output: Output = None,
    force: Force = False, date: Annotated[Optional[str], typer.Option("--date", help="通报日期（默认今天）")] = None,
) -> None:
    """生成检查情况通报：检查了什么、各单位发现的问题、整改要求和时限、抽查核实结果。"""
    from jiuzhu.supervision_docs import inspection_context

    day = parse_date(date, "--date") or as_of_or_today(None)
    _emit("inspection", fmt, output, force, lambda reg: inspection_context(reg, inspection, day))


# --- supervise --------------------------------------------------------------------------------------

@supervise_app.command("notice")
def supervise_notice(
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="被督办单位（标识或名称）")] = None,
    every: Annotated[bool, typer.Option("--all", help="每个有逾期任务的牵头单位各一份（需 -o 目录）")] = False,
    level: Annotated[Optional[str], typer.Option(
        "--level", help="督办等级（升级阶梯中的一级；默认取任务已达到的最高一级）")] = None,
    record: Annotated[bool, typer.Option("--record", help="登记为已发出（写入 notices/，计入督办次数）")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="发出日期，也是统计日期（默认今天）")] = None,
    fmt: DocFormat = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="输出文件；--all 时为输出目录")] = None,
    force: Force = False,
) -> None:
    """生成督办通知单：该单位逾期和即将到期的任务、要求和回复时限（按升级阶梯的工作日数）。"""
    from jiuzhu.errors import InputRefused

    day = parse_date(date, "--date") or as_of_or_today(None)
    if record and day > as_of_or_today(None):
        raise InputRefused(f"发出日期 {day} 晚于今天，不能登记为已发出",
                           "去掉 --date（即今天），或先只预览（去掉 --record）。")
    if every == (unit is not None):
        raise InputRefused("--unit 和 --all 要用且只用一个",
                           "一个单位：--unit 单位；所有有逾期任务的单位：--all -o 目录。")
    if unit is not None:
        _one_notice(unit, day, level, record, fmt, output, force)
    else:
        _all_notices(day, level, record, fmt, output, force)


def _one_notice(unit: str, day: Any, level: str | None, record: bool, fmt: str | None, output: Path | None,
                force: bool) -> None:
    from jiuzhu.notices import draft, new_id, stage
    from jiuzhu.supervision_docs import notice_doc_context

    def context(reg: Any) -> dict[str, Any]:
        d = draft(reg, unit, day, level)
        return {**notice_doc_context(reg, d, new_id(reg, d) if record else None), "_draft": d}

    _emit("supervision", fmt, output, force, context,
          (lambda reg, ctx: stage(reg, ctx["_draft"], ctx["notice"]["id"])) if record else None)


def _all_notices(day: Any, level: str | None, record: bool, fmt: str | None, output: Path | None,
                 force: bool) -> None:
    from jiuzhu.cli.output import echo
    from jiuzhu.errors import InputRefused
    from jiuzhu.notices import all_drafts, new_id, stage_all
    from jiuzhu.render import Renderer, check_target, save
    from jiuzhu.supervision_docs import notice_doc_context

    if output is None or output.suffix:
        raise InputRefused("--all 要用 -o 指定一个输出目录", "例如 --all -o 督办通知单/ --format docx。")
    chosen = format_for(fmt, None)
    with write_lock() if record else contextlib.nullcontext():
        reg = load()
        drafts = all_drafts(reg, day, level)
        if not drafts:
            echo(f"截至 {day} 没有逾期任务，不需要督办。")
            return
        output.mkdir(parents=True, exist_ok=True)
        files = []
        ids: list[str | None] = []
        renderer = Renderer(reg)  # every notice from the same compiled templates
        for d in drafts:
            ident = new_id(reg, d, taken=set(ids)) if record else None
            ids.append(ident)
            ctx = notice_doc_context(reg, d, ident)
            target = output / f"{ctx['notice']['title']}-{d.unit.name}.{chosen}"
            check_target(chosen, target, force, STATE.root)
            files.append((target, renderer.document("supervision", chosen, ctx)))
        if record:
            stage_all(reg, list(zip(drafts, ids, strict=True))).commit()
        for target, data in files:
            save(target, data, force)
    echo(f"已生成 {len(files)} 份督办通知单：{output}" + ("（已登记）" if record else "（未登记，加 --record 登记）"))


@supervise_app.command("list")
def supervise_list(
    every: Annotated[bool, typer.Option("--all", help="也列出已回复的通知单")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按此日期计算（默认今天）")] = None,
    fmt: Annotated[str, ListFormatOpt] = "table",
    output: Annotated[Optional[Path], SheetOutputOpt] = None,
    force: Annotated[bool, SheetForceOpt] = False,
) -> None:
    """列出督办通知单：待回复的和逾期未回复的（--all 含已回复的）。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.cli.output import echo, print_json, table
    from jiuzhu.notices import notice_rows

    sheet_out.check(fmt, output, force)
    day = as_of_or_today(as_of)
    rows = notice_rows(load(), day, open_only=not every)
    if fmt == "json":
        print_json(rows)
        return
    if fmt in ("csv", "xlsx"):
        sheet_out.write_list("notices", fmt, output, force, rows)
        return
    if not rows:
        echo(f"截至 {day} 没有待回复的督办通知单。" if not every else "还没有督办通知单。")
        return
    table(f"督办通知单（截至 {day}，{len(rows)} 份）", ["编号", "单位", "等级", "发出", "回复时限", "状态", "已回复"],
          [(r["id"], r["unit_name"], r["level"], r["date"], r["reply_due"],
            r["status"] + (f"\n{r['days_late']}天" if r["days_late"] else ""), f"{len(r['replied'])}/{len(r['tasks'])}")
           for r in rows])
