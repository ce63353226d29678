"""`jiuzhu proposal|meeting|decision|minutes ...`: the rules of procedure as a working cycle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from jiuzhu import parse
from jiuzhu.cli.apps import decision_app, meeting_app, proposal_app
from jiuzhu.cli.common import DateOpt, FormatOpt, act_date, load, parse_date, today, writes
from jiuzhu.cli.sheet_out import ListFormatOpt, SheetForceOpt, SheetOutputOpt


def _step(step: dict[str, Any], title: str) -> None:
    from jiuzhu.cli.output import echo
    from jiuzhu.proposals import ACTION_NAMES

    echo(f"{title}：{ACTION_NAMES.get(step['action'], step['action'])}，状态变为“{step['to']}”（{step['date']}）")
    if step.get("opinion"):
        echo(f"  意见：{step['opinion']}")


# --- proposal -----------------------------------------------------------------------------------

@proposal_app.command("new")
@writes
def proposal_new(
    unit: Annotated[str, typer.Option("--unit", "-u", help="提出议题的成员单位（标识或名称）")],
    title: Annotated[str, typer.Option("--title", "-t", help="议题标题")],
    summary: Annotated[Optional[str], typer.Option("--summary", "-s", help="议题摘要")] = None,
    date: Annotated[Optional[str], DateOpt] = None,
    fmt: Annotated[str, FormatOpt] = "table",
) -> None:
    """成员单位提出议题，等待联席会议办公室初审。"""
    from jiuzhu.cli.output import created
    from jiuzhu.proposals import new_proposal

    reg = load()
    c = new_proposal(reg, unit, parse.line(title, "--title") or "", parse.text(summary, "--summary"), act_date(date))
    created(fmt, c.id, c.path, f"已提交议题：{title}（待办公室初审）")


@proposal_app.command("review")
@writes
def proposal_review(
    ident: Annotated[str, typer.Argument(metavar="编号", help="议题编号")],
    opinion: Annotated[str, typer.Option("--opinion", "-o", help="初审意见")],
    passed: Annotated[bool, typer.Option("--pass", help="初审通过，报总召集人或召集人审定")] = False,
    returned: Annotated[bool, typer.Option("--return", help="退回提出单位修改")] = False,
    date: Annotated[Optional[str], DateOpt] = None,
) -> None:
    """联席会议办公室初审议题：通过（--pass）或退回（--return）。"""
    from jiuzhu.errors import InputRefused
    from jiuzhu.proposals import review

    if passed == returned:
        raise InputRefused("请在 --pass 和 --return 中选择一个", "--pass 表示初审通过，--return 表示退回提出单位修改。")
    _step(review(load(), ident, passed, parse.text(opinion, "--opinion") or "", act_date(date)), f"议题 {ident}")


@proposal_app.command("approve")
@writes
def proposal_approve(
    ident: Annotated[str, typer.Argument(metavar="编号", help="议题编号")],
    by: Annotated[Optional[str], typer.Option(
        "--by", help="审定人：chief（总召集人）或 convener（召集人）；默认按 system.yaml 的 conveners.approves，"
                     "没有写时为总召集人（制度没有总召集人时为召集人）")] = None,
    opinion: Annotated[Optional[str], typer.Option("--opinion", "-o", help="审定意见")] = None,
    date: Annotated[Optional[str], DateOpt] = None,
) -> None:
    """召集人（或总召集人）审定议题；审定后的议题列入下一次联席会议议程。"""
    from jiuzhu.proposals import approve

    _step(approve(load(), ident, by, parse.text(opinion, "--opinion"), act_date(date)), f"议题 {ident}")


@proposal_app.command("resubmit")
@writes
def proposal_resubmit(
    ident: Annotated[str, typer.Argument(metavar="编号", help="议题编号")],
    note: Annotated[str, typer.Option("--note", "-n", help="修改说明")],
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="修改后的标题")] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", "-s", help="修改后的摘要")] = None,
    date: Annotated[Optional[str], DateOpt] = None,
) -> None:
    """被退回的议题修改后重新提交初审。"""
    from jiuzhu.proposals import resubmit

    _step(resubmit(load(), ident, parse.text(note, "--note") or "", act_date(date), parse.line(title, "--title"),
                   parse.text(summary, "--summary")), f"议题 {ident}")


@proposal_app.command("list")
def proposal_list(
    status: Annotated[Optional[str], typer.Option("--status", "-s", help="只列出该状态的议题，如 已审定")] = None,
    fmt: Annotated[str, ListFormatOpt] = "table",
    output: Annotated[Optional[Path], SheetOutputOpt] = None,
    force: Annotated[bool, SheetForceOpt] = False,
) -> None:
    """列出议题及其状态。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.cli.output import echo, print_json, table
    from jiuzhu.proposals import proposal_rows

    sheet_out.check(fmt, output, force)
    rows = proposal_rows(load(allow_errors=True), status)
    if fmt == "json":
        print_json(rows)
        return
    if fmt in ("csv", "xlsx"):
        sheet_out.write_list("proposals", fmt, output, force, rows)
        return
    if not rows:
        echo("没有议题。" if status is None else f"没有状态为“{status}”的议题。")
        return
    table(f"议题（{len(rows)} 个）",
          [("编号", {"no_wrap": True}), "提出单位", "标题", ("状态", {"no_wrap": True}), "提交日期"],
          [(r["id"], r["unit_name"], r["title"], r["status"], r["submitted"]) for r in rows])


@proposal_app.command("show")
def proposal_show(
    ident: Annotated[str, typer.Argument(metavar="编号", help="议题编号")],
    fmt: Annotated[str, FormatOpt] = "table",
) -> None:
    """显示一个议题及其全部流转记录。"""
    from jiuzhu.cli.output import echo, print_json, table
    from jiuzhu.proposals import proposal_detail

    d = proposal_detail(load(allow_errors=True), ident)
    if fmt == "json":
        print_json(d)
        return
    echo(f"{d['title']}（{d['id']}）")
    echo(f"提出单位：{d['unit_name']}  状态：{d['status']}")
    if d["summary"]:
        echo(f"摘要：{d['summary']}")
    table("流转记录", ["日期", "步骤", "办理", "到达状态", "意见"],
          [(h["date"], h["action_name"], h["by_name"], h["to"], h["opinion"] or (h["meeting"] or ""))
           for h in d["history"]])
    echo(d["next"])


# --- meeting ------------------------------------------------------------------------------------

@meeting_app.command("new")
@writes
def meeting_new(
    kind: Annotated[str, typer.Option(
        "--kind", "-k", help="例会、临时会议或联络员会议（也可写 regular、adhoc、liaison）")],
    date: Annotated[str, typer.Option("--date", "-d", help="会议日期，如 2026-9-22 或 9月22日")],
    time: Annotated[Optional[str], typer.Option("--time", help="开始时间，如 9:00、9点30 或下午3点")] = None,
    place: Annotated[Optional[str], typer.Option("--place", help="地点")] = None,
    chair: Annotated[Optional[str], typer.Option(
        "--chair", help="主持人：chief、convener 或姓名（制度允许委托时，也可以是受委托同志的姓名）")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="会议名称")] = None,
    fmt: Annotated[str, FormatOpt] = "table",
) -> None:
    """新建会议记录：主持人、应到单位和议程（联席会议：已审定的议题；联络员会议：已通过初审的议题）。"""
    from jiuzhu.cli.output import created, echo
    from jiuzhu.meetings import kind_of, new_meeting

    day = parse_date(date, "--date")
    assert day is not None
    reg = load()
    m = new_meeting(reg, kind_of(reg.system, kind), day,
                    None if time is None else parse.time(time, "--time"), parse.line(place, "--place"),
                    parse.line(chair, "--chair"), parse.line(title, "--title"))
    created(fmt, m.id, m.path, f"已新建会议：{m.title}（{day}，主持：{m.chair}）")
    if fmt != "json":
        if m.agenda:
            echo(f"  议程（{len(m.agenda)} 项）：")
            for p in m.agenda:
                echo(f"    {p.id}  {p.title}")
        else:
            echo("  议程：暂无符合条件的议题。")


@meeting_app.command("attend")
@writes
def meeting_attend(
    meeting: Annotated[str, typer.Argument(metavar="会议", help="会议编号")],
    listed: Annotated[Optional[list[str]], typer.Argument(
        metavar="[单位]...", help="成员单位，同 --unit（可写多个，或用逗号、顿号连接）", show_default=False)] = None,
    units: Annotated[Optional[list[str]], typer.Option(
        "--unit", "-u", help="成员单位（可重复，或用逗号、顿号连接）")] = None,
    attended: Annotated[bool, typer.Option("--attended", help="出席")] = False,
    excused: Annotated[bool, typer.Option("--excused", help="请假")] = False,
    observer: Annotated[bool, typer.Option("--observer", help="列席")] = False,
    names: Annotated[Optional[list[str]], typer.Option(
        "--name", "-n", help="到会人员姓名（可重复，或用顿号连接）")] = None,
    org: Annotated[Optional[str], typer.Option("--org", help="列席的非成员单位名称")] = None,
    rest: Annotated[bool, typer.Option("--rest", help="其余尚未登记的应到单位")] = False,
) -> None:
    """登记出席（--attended）、请假（--excused）或列席（--observer）情况。"""
    from jiuzhu.cli.output import echo
    from jiuzhu.errors import InputRefused
    from jiuzhu.meetings import MODES, attend

    chosen = [m for m, on in (("attended", attended), ("excused", excused), ("observers", observer)) if on]
    if len(chosen) != 1:
        raise InputRefused("请在 --attended、--excused、--observer 中选择一个", "每次登记一种出席情况。")
    reg = load()
    a = attend(reg, meeting, chosen[0], parse.items([*(listed or ()), *(units or ())]),
               tuple(parse.line(n, "--name") or "" for n in parse.items(names)), parse.line(org, "--org"), rest)
    who = [reg.units[u].name for u in a.units] + ([a.org] if a.org else [])
    echo(f"已登记{MODES[a.mode]}：{'、'.join(who)}" + (f"（{'、'.join(a.names)}）" if a.names else ""))


@meeting_app.command("list")
def meeting_list(
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="只列出该年的会议")] = None,
    fmt: Annotated[str, ListFormatOpt] = "table",
    output: Annotated[Optional[Path], SheetOutputOpt] = None,
    force: Annotated[bool, SheetForceOpt] = False,
) -> None:
    """按日期列出会议及其状态（筹备中、已召开、纪要已印发）。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.cli.output import echo, print_json, table
    from jiuzhu.meetings import meeting_rows

    sheet_out.check(fmt, output, force)
    rows = meeting_rows(load(allow_errors=True), today(), year)
    if fmt == "json":
        print_json(rows)
        return
    if fmt in ("csv", "xlsx"):
        sheet_out.write_list("meetings", fmt, output, force, rows)
        return
    if not rows:
        echo("没有会议记录。")
        return
    nowrap = {"no_wrap": True}
    table(f"会议（{len(rows)} 次）",
          [("编号", nowrap), ("日期", nowrap), ("类型", nowrap), ("议题/事项", nowrap), "状态"],
          [(r["id"], r["date"], r["kind_name"], f"{r['agenda']}/{r['decisions']}",
            r["status"] + (f" {r['minutes']}" if r["minutes"] else "")) for r in rows])


@meeting_app.command("show")
def meeting_show(
    ident: Annotated[str, typer.Argument(metavar="编号", help="会议编号")],
    fmt: Annotated[str, FormatOpt] = "table",
) -> None:
    """显示一次会议：主持人、出席情况、议程、议定事项和纪要印发情况。"""
    from jiuzhu.cli.output import print_json
    from jiuzhu.meetings import meeting_detail
    from jiuzhu.minutes import round_detail

    reg = load(allow_errors=True)
    d = meeting_detail(reg, ident, today())
    d["before_issue"] = round_detail(reg, reg.meetings[d["id"]])
    if fmt == "json":
        print_json(d)
        return
    _print_meeting(d)


def _people(items: list[dict[str, Any]]) -> str:
    return "、".join((x["unit_name"] or x["org"] or "") + (f"（{'、'.join(x['names'])}）" if x["names"] else "")
                    for x in items) or "无"


def _print_meeting(d: dict[str, Any]) -> None:
    from jiuzhu.cli.output import echo

    echo(f"{d['title']}（{d['id']}）")
    when = d["date"] + (f" {d['time']}" if d["time"] else "")
    echo(f"{d['kind_name']}  {when}  {d['place'] or ''}  状态：{d['status']}")
    chair = d["chair"]
    echo(f"主持：{chair['role_name'] or '未填写'}{'（' + chair['name'] + '）' if chair['name'] else ''}")
    for key, label in (("attended", "出席"), ("excused", "请假"), ("observers", "列席")):
        echo(f"{label}：{_people(d[key])}")
    if d["not_recorded"]:
        echo(f"未登记出席情况的应到单位：{len(d['not_recorded'])} 个")
    _print_agenda_and_decisions(d)
    if d["before_issue"] and not d["minutes"]:
        _print_round(d["before_issue"])
    if d["minutes"]:
        mi = d["minutes"]
        echo(f"会议纪要：{mi['number']}，{mi['issued']} 印发，已报{mi['reported_to']}")


def _print_round(r: dict[str, Any]) -> None:
    from jiuzhu.cli.output import echo

    echo(f"纪要印发前：{' → '.join(r['steps'])}")
    if "征求与会单位意见" in r["steps"]:
        if r["circulated"] is None:
            echo("  纪要稿尚未送与会单位征求意见")
        else:
            echo(f"  {r['circulated']} 送与会单位征求意见" + ("；此后议定事项有改动，须重新送出" if r["stale"] else ""))
            echo(f"  已同意：{'、'.join(r['agreed']) or '无'}")
            for c in r["comments"]:
                echo(f"  有意见：{c['unit']}：{c['comment']}")
            if r["waiting"]:
                echo(f"  尚未答复：{'、'.join(r['waiting'])}")
    if "签发" in r["steps"]:
        echo(f"  签发：{r['signed']}（{r['signed_by']}）" if r["signed"] else "  尚未签发")


def _print_agenda_and_decisions(d: dict[str, Any]) -> None:
    from jiuzhu.cli.output import table

    if d["agenda"]:
        table("议程", ["议题", "提出单位", "标题", "状态"],
              [(a["id"], a["unit_name"] or "", a["title"] or "（不存在）", a["status"] or "") for a in d["agenda"]])
    if d["decisions"]:
        table("议定事项", ["编号", "事项", "牵头单位", "责任单位", "完成时限"],
              [(x["id"], x["text"], x["lead_name"], "、".join(x["responsible_names"]), x["due"] or "长期坚持")
               for x in d["decisions"]])


# --- decision -----------------------------------------------------------------------------------

@decision_app.command("add")
@writes
def decision_add(
    meeting: Annotated[str, typer.Argument(metavar="会议", help="会议编号")],
    text: Annotated[str, typer.Option("--text", "-t", help="议定事项内容")],
    areas: Annotated[Optional[list[str]], typer.Option(
        "--area", "-a", help="涉及领域（可重复，或用逗号、顿号连接）")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", "-l", help="牵头单位（省略则按职责建议）")] = None,
    responsible: Annotated[Optional[list[str]],
                           typer.Option("--responsible", "-r",
                                        help="责任单位（可重复或用顿号连接；省略则按职责建议）")] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="完成时限，如 2026-10-30 或 10月30日")] = None,
    due_workdays: Annotated[Optional[int],
                            typer.Option("--due-workdays", help="自会议日期起的工作日数（按法定节假日）")] = None,
    ongoing: Annotated[bool, typer.Option("--ongoing", help="长期坚持，没有完成时限")] = False,
    next_workday: Annotated[bool, typer.Option(
        "--next-workday", help="--due 落在周末或节假日时改为下一个工作日（不加只提醒）")] = False,
    accept: Annotated[bool, typer.Option(
        "--accept-suggestion", help="不写 --lead 时采用按职责建议的牵头单位（脚本中必须写明；终端中会询问）")] = False,
    proposal: Annotated[Optional[str], typer.Option("--proposal", "-p", help="来源议题编号")] = None,
    refer: Annotated[bool, typer.Option(
        "--refer", help="重大问题：由牵头单位报本级政府决定（制度有此规定时，parameters.major_issues_to）")] = False,
    fmt: Annotated[str, FormatOpt] = "table",
) -> None:
    """为联席会议添加议定事项：一个牵头单位、若干责任单位和完成时限。"""
    from jiuzhu.cli.output import created, echo
    from jiuzhu.decisions import NewDecision
    from jiuzhu.workdays import source_label

    reg = load()
    new = NewDecision(meeting, parse.text(text, "--text") or "", parse.items(areas), lead,
                      parse.items(responsible) or None, parse_date(due, "--due"), due_workdays, ongoing, proposal,
                      next_workday, accept, refer)
    a = _add_asking(reg, new)
    for w in a.warnings:
        echo(f"警告：{w}", err=True)
    if fmt == "json":
        from jiuzhu.cli.output import print_json

        print_json({"id": a.id, "path": a.path, "lead": a.lead, "responsible": list(a.responsible),
                    "due": a.due.isoformat() if a.due else None, "notes": list(a.notes)})
        return
    for note in a.notes:
        echo(note)
    when = "长期坚持" if a.due is None else str(a.due)
    if a.due_rule:
        source = source_label(a.due_rule["source"])
        when += f"（会议日期 {a.due_rule['from']} 起 {a.due_rule['workdays']} 个工作日，依据{source}）"
    referred = (f"；重大问题，由{reg.units[a.lead].name}报{reg.system.parameters.major_issues_to}决定"
                if refer and reg.system else "")
    created(fmt, a.id, a.path, f"已添加议定事项：牵头单位 {reg.units[a.lead].name}；责任单位 "
            f"{'、'.join(reg.units[u].name for u in a.responsible) or '无'}；完成时限 {when}{referred}")


def _add_asking(reg: Any, new: Any) -> Any:
    """Add the decision; without --lead, a person at a terminal is shown the suggestion and asked."""
    from dataclasses import replace

    from jiuzhu.cli.common import interactive
    from jiuzhu.cli.output import echo
    from jiuzhu.decisions import SuggestionNeeded, add_decision
    from jiuzhu.errors import InputRefused

    try:
        return add_decision(reg, new)
    except SuggestionNeeded as need:
        if not interactive():
            raise
        echo("没有指定牵头单位，按职责建议：")
        for note in need.notes:
            echo(f"  {note}")
        answer = typer.prompt("采用以上建议吗？输入“是”采用，其他任何输入为否", default="否", show_default=False)
        if answer.strip().lower() not in ("是", "y", "yes", "好", "采用"):
            raise InputRefused("未采用建议，什么也没有写",
                               "用 --lead（和 --responsible）指定单位后重新添加。") from None
        return add_decision(reg, replace(new, accept_suggestion=True))
