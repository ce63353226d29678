"""Commands for duty changes by pull request: diff, codeowners, and the unit reorganisations."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from jiuzhu import parse
from jiuzhu.cli.apps import duties_app, units_app
from jiuzhu.cli.common import STATE, load, parse_date, writes

if TYPE_CHECKING:
    from jiuzhu.reorg import Outcome

DateOpt = typer.Option("--date", help="生效日期，如 2026-9-22 或 9月22日")
CheckOpt = typer.Option("--check", help="只检查 CODEOWNERS 是否与登记册一致，不一致时退出码为 1")
OfficeTeamOpt = typer.Option("--office-team", help="代表联席会议办公室的 git 账号或团队，如 @org/office")
OutputOpt = typer.Option("--output", "-o", help="CODEOWNERS 文件路径（默认：仓库根目录 .github/ 或 .gitlab/ 下）")
KindOpt = typer.Option("--kind", help="类别：government、party、mass、vertical、enterprise")
ReviewerOpt = typer.Option("--reviewer", help="审阅该单位文件的 git 账号（可多次）")
StyleOpt = typer.Option("--style", help="github（默认）或 gitlab（分节：单位文件须本单位和办公室各自批准）")


def register(app: typer.Typer) -> None:
    @app.command("diff")
    def diff(
        rev1: Annotated[Optional[str], typer.Argument(help="比较的起点（默认：当前分支与默认分支的分叉点）")] = None,
        rev2: Annotated[Optional[str], typer.Argument(help="比较的终点（默认：工作区）")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：md（合并请求评论）或 json")] = "md",
    ) -> None:
        """说明两个 git 版本之间登记册的改动：成员单位、职责、议定事项和需要调整的任务。"""
        from jiuzhu.cli.output import echo, print_json
        from jiuzhu.diffmd import to_markdown
        from jiuzhu.semdiff import diff as semdiff

        if fmt not in ("md", "json"):
            raise typer.BadParameter("只能是 md 或 json", param_hint="--format")
        result = semdiff(STATE.root, rev1, rev2)
        if fmt == "json":
            print_json(result.as_json())
        else:
            echo(to_markdown(result))

    @app.command("codeowners")
    def codeowners(
        check: Annotated[bool, CheckOpt] = False,
        office_team: Annotated[Optional[str], OfficeTeamOpt] = None,
        output: Annotated[Optional[str], OutputOpt] = None,
        style: Annotated[str, StyleOpt] = "github",
        fmt: Annotated[str, typer.Option("--format", "-f", help=(
            "text（默认：写入或检查 CODEOWNERS）或 json（只输出办公室和各单位文件的审阅人，"
            "供 CI 检查批准情况，不写文件）"))] = "text",
    ) -> None:
        """按各成员单位的 reviewers 生成（或检查）CODEOWNERS：单位文件的改动须经本单位和办公室审阅。"""
        from jiuzhu import codeowners as co
        from jiuzhu.cli.output import check_format, echo, print_json

        check_format(fmt, ("text", "json"))
        if fmt == "json":
            print_json(co.owners(load(), STATE.root, office_team))
            return
        p = co.plan(load(), STATE.root, office_team, output, style)
        if check:
            differences = co.check(p)
            if differences:
                echo(f"CODEOWNERS 与登记册不一致：{p.path}", err=True)
                for line in differences:
                    echo(f"  {line}", err=True)
                echo("  提示：运行 jiuzhu codeowners 重新生成并提交。", err=True)
                raise typer.Exit(1)
            echo(f"CODEOWNERS 与登记册一致：{p.path}")
            return
        echo(f"{'已写入' if co.write(p) else '无需改动'}：{p.path}")


@units_app.command("rename")
@writes
def units_rename(
    unit: Annotated[str, typer.Argument(help="单位标识或名称")],
    name: Annotated[str, typer.Option("--name", help="新名称")],
    date: Annotated[str, DateOpt],
) -> None:
    """成员单位更名：自该日期起使用新名称，旧名称记入机构变更记录（历史文件仍用旧名）。"""
    from jiuzhu.reorg import rename

    _done(rename(STATE.root, load(), unit, parse.line(name, "--name") or "", _day(date)))


@units_app.command("merge")
@writes
def units_merge(
    units: Annotated[list[str], typer.Argument(help="被合并的单位（标识或名称，可多个）")],
    into: Annotated[str, typer.Option("--into", help="合并后的单位：已有单位，或新单位的标识（同时给出 --name）")],
    date: Annotated[str, DateOpt],
    name: Annotated[Optional[str], typer.Option("--name", help="新建合并后的单位时的名称")] = None,
) -> None:
    """合并成员单位：被合并的单位自该日期起不再是成员单位，职责转入合并后的单位。"""
    from jiuzhu.reorg import merge

    _done(merge(STATE.root, load(), list(parse.items(units)), into, parse.line(name, "--name"), _day(date)))


@units_app.command("split")
@writes
def units_split(
    unit: Annotated[str, typer.Argument(help="被拆分的单位（标识或名称）")],
    into: Annotated[list[str], typer.Option(
        "--into", help="承接职责的单位：已有单位，或新单位的标识（可多次，至少两个）")],
    duty: Annotated[list[str], typer.Option(
        "--duty", help="职责去向：职责编号=承接单位，如 --duty weiji-2=yibao（被拆分单位的每条职责都要写）")],
    date: Annotated[str, DateOpt],
    name: Annotated[Optional[list[str]], typer.Option(
        "--name", help="新单位的名称：标识=名称，如 --name yibao=县医疗保障局（每个新单位一次）")] = None,
) -> None:
    """拆分成员单位：每条职责转入指定的单位（已有或新设），被拆分的单位自该日期起不再是成员单位，
    机构变更记录写明每条职责的去向。"""
    from jiuzhu.reorg_split import split

    _done(split(STATE.root, load(), unit, list(parse.items(into)), list(parse.items(duty)),
                [parse.line(n, "--name") or "" for n in parse.items(name)], _day(date)))


@units_app.command("dissolve")
@writes
def units_dissolve(
    unit: Annotated[str, typer.Argument(help="单位标识或名称")],
    date: Annotated[str, DateOpt],
    duties_to: Annotated[str, typer.Option("--duties-to", help="承接其职责的成员单位")],
) -> None:
    """撤销成员单位：自该日期起不再是成员单位，职责转入另一个单位。"""
    from jiuzhu.reorg import dissolve

    _done(dissolve(STATE.root, load(), unit, _day(date), duties_to))


@units_app.command("add")
@writes
def units_add(
    unit: Annotated[str, typer.Argument(help="新单位的标识（小写字母、数字和连字符，如 yibao）")],
    name: Annotated[str, typer.Option("--name", help="单位名称，如 县医疗保障局")],
    date: Annotated[str, DateOpt],
    kind: Annotated[str, KindOpt] = "government",
    reviewers: Annotated[Optional[list[str]], ReviewerOpt] = None,
) -> None:
    """新增成员单位（自该日期起加入联席会议）；职责用 jiuzhu duties move 移入或直接写入文件。"""
    from jiuzhu.reorg import add_unit

    _done(add_unit(STATE.root, load(), unit, parse.line(name, "--name") or "", kind, _day(date),
                   list(parse.items(reviewers))))


@duties_app.command("move")
@writes
def duties_move(
    duties: Annotated[list[str], typer.Argument(help="要移交的职责编号（可多个）")],
    to: Annotated[str, typer.Option("--to", help="接收职责的成员单位")],
    date: Annotated[str, DateOpt],
) -> None:
    """把职责移交给另一个成员单位（自该日期起），记录原单位（moved_from）。"""
    from jiuzhu.reorg import move_duties

    _done(move_duties(STATE.root, load(), list(parse.items(duties)), to, _day(date)))


def _day(value: str) -> dt.date:
    day = parse_date(value, "--date")
    assert day is not None
    return day


def _done(outcome: Outcome) -> None:
    from jiuzhu.cli.output import echo

    echo(outcome.summary)
    for rel in outcome.files:
        echo(f"  写入：{STATE.shown(rel)}")
    if outcome.to_reassign:
        echo("以下未完成的议定事项仍由不再是成员单位的单位牵头，jiuzhu validate 会报错，请调整：")
        for did, lead in outcome.to_reassign:
            echo(f"  {did}（{lead}）：jiuzhu tasks reassign {did} --lead <单位> --reason … --decided-by …")
