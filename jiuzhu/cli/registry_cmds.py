"""Commands over the registry as a whole: validate, units, duties, init."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from jiuzhu.cli.apps import duties_app, units_app
from jiuzhu.cli.common import STATE, FormatOpt, as_of_or_today, load
from jiuzhu.cli.sheet_out import ListFormatOpt, SheetForceOpt, SheetOutputOpt

if TYPE_CHECKING:
    from jiuzhu.model import Registry

UnitArg = typer.Argument(help="单位标识或名称")


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate(
        fmt: Annotated[str, typer.Option("--format", "-f",
                                         help="输出格式：text、json、github（GitHub Actions 注释）或 codequality"
                                              "（GitLab Code Quality 报告）")] = "text",
        strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束")] = False,
        as_of: Annotated[Optional[str], typer.Option("--as-of", help="按此日期检查议事规则（默认今天）")] = None,
        against: Annotated[Optional[str], typer.Option("--against",
                                                       help="与该 git 版本比较，报告已印发纪要的改动")] = None,
        no_cache: Annotated[bool, typer.Option("--no-cache", help="不使用解析缓存")] = False,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="逐条列出每个警告（默认把相同的警告合并为一行）")]
        = False,
    ) -> None:
        """检查整个登记册：格式、引用、议事规则、个人信息。有错误时退出码为 1。"""
        from jiuzhu.cli.common import load_all
        from jiuzhu.cli.output import check_format, print_problems
        from jiuzhu.validate import run

        check_format(fmt, ("text", "json", "github", "codequality"))
        STATE.no_cache = STATE.no_cache or no_cache
        day = as_of_or_today(as_of)
        problems = run(load_all(), day)
        if against:
            from jiuzhu.semdiff import check_against

            problems += check_against(STATE.root, against, day)
        print_problems(problems, fmt, verbose)
        if any(p.is_error for p in problems) or (strict and problems):
            raise typer.Exit(1)

    @app.command("init")
    def init(
        directory: Annotated[str, typer.Argument(help="新登记册目录")],
        name: Annotated[str, typer.Option("--name", help="联席会议名称，如 某某县社会救助工作联席会议")],
        jurisdiction: Annotated[str, typer.Option("--jurisdiction", help="辖区，如 某某县、某某省、全国")],
        government: Annotated[Optional[str], typer.Option(
            "--government", help="本级政府的简称（默认按辖区：县政府、市政府、省政府、国务院等）")] = None,
        fmt: Annotated[str, FormatOpt] = "table",
    ) -> None:
        """为另一个地方政府新建一个最小的、可通过检查的登记册。"""
        from pathlib import Path

        from jiuzhu.cli.output import check_format, initialized
        from jiuzhu.scaffold import init_registry

        check_format(fmt)
        from jiuzhu import parse

        initialized(fmt, directory, init_registry(Path(directory), parse.line(name, "--name") or "",
                                                  parse.line(jurisdiction, "--jurisdiction") or "",
                                                  parse.line(government, "--government")))


@units_app.command("list")
def units_list(fmt: Annotated[str, ListFormatOpt] = "table", output: Annotated[Optional[Path], SheetOutputOpt] = None,
               force: Annotated[bool, SheetForceOpt] = False) -> None:
    """按成立文件中的顺序列出成员单位。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.cli.output import print_json, table
    from jiuzhu.queries import unit_rows

    sheet_out.check(fmt, output, force)
    rows = unit_rows(load(allow_errors=True, founding=True))
    if fmt == "json":
        print_json(rows)
        return
    if fmt in ("csv", "xlsx"):
        sheet_out.write_list("units", fmt, output, force, rows)
        return
    def name(r: dict[str, Any]) -> str:
        return r["name"] + ("（办公室）" if r["office"] else "") + ("" if r["active"] else "（已撤销）")

    table(f"成员单位（{len(rows)} 个）", ["序号", "标识", "名称", "类别", "职责", "联络员"],
          [(r["order"], r["id"], name(r), r["kind_name"], r["duties"], r["liaison"] or "未填") for r in rows])


@units_app.command("show")
def units_show(unit: Annotated[str, UnitArg], fmt: Annotated[str, FormatOpt] = "table") -> None:
    """显示一个成员单位：基本信息、联络员和全部职责。"""
    from jiuzhu.cli.output import check_format, echo, print_json
    from jiuzhu.queries import KIND_NAMES, find_unit, unit_detail

    check_format(fmt)
    reg = load(allow_errors=True, founding=True)
    d = unit_detail(reg, find_unit(reg, unit))
    if fmt == "json":
        print_json(d)
        return
    echo(f"{d['name']}（{d['id']}）  {KIND_NAMES.get(d['kind'], d['kind'])}  成立文件第 {d['item'] or d['order']} 项"
         + ("  联席会议办公室所在单位" if d["office"] else "") + ("" if d["active"] else "  已撤销"))
    li = d["liaison"]
    reviewers = "、".join(d["reviewers"]) or "未登记"
    member = d["member"]
    if member:
        echo(f"联席会议成员：{member['name'] or '未填写'}" + (f"（{member['post']}）" if member["post"] else ""))
    echo(f"联络员：{li['name'] or '未填写'}  电话：{li['phone'] or '未填写'}  审阅人：{reviewers}")
    _duty_table(d["duties"])


def _duty_table(duties: list[dict[str, Any]]) -> None:
    from jiuzhu.cli.output import table

    table(None, [("编号", {"no_wrap": True}), ("角色", {"no_wrap": True}), "职责", "领域"],
          [(x["id"], x["role_name"], x["text"] + (f"（提供：{'、'.join(x['info'])}）" if x["info"] else ""),
            "、".join(x["area_names"])) for x in duties])


@duties_app.command("show")
def duties_show(unit: Annotated[str, UnitArg], fmt: Annotated[str, FormatOpt] = "table") -> None:
    """列出一个单位的全部职责，及其领域和角色。"""
    from jiuzhu.cli.output import check_format, echo, print_json
    from jiuzhu.queries import duty_rows, find_unit

    check_format(fmt)
    reg = load(allow_errors=True, founding=True)
    u = find_unit(reg, unit)
    rows = duty_rows(reg, u)
    if fmt == "json":
        print_json(rows)
        return
    echo(f"{u.name}的职责（{len(rows)} 条）")
    _duty_table(rows)


@duties_app.command("matrix")
def duties_matrix(
    info: Annotated[bool, typer.Option("--info", help="改为显示家庭经济状况核对中各单位提供的信息")] = False,
    fmt: Annotated[str, ListFormatOpt] = "table",
    output: Annotated[Optional[Path], SheetOutputOpt] = None,
    force: Annotated[bool, SheetForceOpt] = False,
) -> None:
    """领域×单位职责矩阵：每个领域由谁牵头（●）、配合（○）、提供信息（◆）。"""
    from jiuzhu.cli import sheet_out
    from jiuzhu.cli.output import echo, print_json, table
    from jiuzhu.queries import duty_matrix, info_matrix, unit_names

    sheet_out.check(fmt, output, force)
    reg = load(allow_errors=True, founding=True)
    if info:
        rows = info_matrix(reg)
        if fmt == "json":
            print_json(rows)
            return
        if fmt in ("csv", "xlsx"):
            sheet_out.write_list("info", fmt, output, force, rows)
            return
        if not rows:
            echo("没有成员单位的职责写明为家庭经济状况核对提供哪些信息（职责的 role: info 和 info: [...]）。")
            return
        table("家庭经济状况核对：各单位提供的信息", ["单位", "提供的信息", "依据职责"],
              [(r["unit_name"], "、".join(r["info"]), r["duty"]) for r in rows])
        return
    rows = duty_matrix(reg)
    if fmt == "json":
        print_json(rows)
        return
    cells = [(r["area_name"], _lead_names(reg, r), unit_names(reg, r["support"]), unit_names(reg, r["info"]))
             for r in rows]
    if fmt in ("csv", "xlsx"):
        sheet_out.write(fmt, output, force, "职责矩阵", ["领域", "牵头", "配合", "提供信息"], cells)
        return
    table("领域×单位职责矩阵（● 牵头 ○ 配合 ◆ 提供信息）",
          [("领域", {"no_wrap": True}), "● 牵头", "○ 配合", "◆ 提供信息"], cells)


def _lead_names(reg: Registry, row: dict[str, Any]) -> str:
    """Lead units of an area; when several lead, the one areas.yaml designates is marked."""
    from jiuzhu.queries import unit_names

    chosen = row["designated_lead"]
    if not chosen or len(row["lead"]) < 2:
        return unit_names(reg, row["lead"])
    names = [unit_names(reg, [u]) + ("（指定）" if u == chosen else "") for u in row["lead"]]
    if chosen not in row["lead"]:
        names.append(f"（指定：{unit_names(reg, [chosen])}）")
    return "、".join(names)
