"""`jiuzhu liaisons ...`: the liaison directory (list, set, export). Core: jiuzhu.liaisons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from jiuzhu.cli.apps import liaisons_app
from jiuzhu.cli.common import STATE, as_of_or_today, load, parse_date, writes

EXPORTS = ("docx", "xlsx", "vcf", "html", "md", "pdf")
ROLE_NAMES = {"liaison": "联络员", "deputy": "备用联络员"}
AsOf = Annotated[Optional[str], typer.Option("--as-of", help="查看这一天的联络员（默认今天）")]


def _rows(reg: Any, day: Any) -> list[dict[str, Any]]:
    from jiuzhu.liaisons import directory

    return [{"unit": e.unit, "unit_name": e.unit_name, "role": ROLE_NAMES[e.role],
             "name": e.contact.name if e.contact else None, "post": e.contact.post if e.contact else None,
             "phone": e.contact.phone if e.contact else None, "mobile": e.contact.mobile if e.contact else None,
             "since": e.contact.since.isoformat() if e.contact and e.contact.since else None}
            for e in directory(reg, day)]


@liaisons_app.command("list")
def liaisons_list(
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：table、json 或 csv")] = "table",
    as_of: AsOf = None,
) -> None:
    """各成员单位的联络员和备用联络员：姓名、职务、办公电话、手机。"""
    import csv
    import sys

    from jiuzhu.cli.output import check_format, print_json, table

    check_format(fmt, ("table", "json", "csv"))
    day = as_of_or_today(as_of)
    rows = _rows(load(allow_errors=True, founding=True), day)
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["单位标识", "单位", "角色", "姓名", "职务", "办公电话", "手机", "任职起"])
        out.writerows([r["unit"], r["unit_name"], r["role"], r["name"], r["post"], r["phone"], r["mobile"], r["since"]]
                      for r in rows)
    else:
        missing = sum(1 for r in rows if r["role"] == "联络员" and not r["name"])
        table(f"联络员（{day}；{missing} 个单位未填）" if missing else f"联络员（{day}）",
              ["单位", "角色", "姓名", "职务", "办公电话", "手机"],
              [(r["unit_name"], r["role"], r["name"] or "未填", r["post"] or "", r["phone"] or "", r["mobile"] or "")
               for r in rows])


@liaisons_app.command("set")
@writes
def liaisons_set(
    unit: Annotated[str, typer.Argument(help="单位标识或名称")],
    name: Annotated[str, typer.Option("--name", help="联络员姓名")],
    post: Annotated[Optional[str], typer.Option("--post", help="职务，例如 科长")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="办公电话，例如 0316-8812345")] = None,
    mobile: Annotated[Optional[str], typer.Option("--mobile", help="手机（工作联系用）")] = None,
    deputy: Annotated[bool, typer.Option("--deputy", help="设置备用联络员（默认设置联络员）")] = False,
    start: Annotated[Optional[str], typer.Option("--from", help="新联络员开始联系的日期（默认今天）")] = None,
) -> None:
    """登记联络员或备用联络员。换人时原联络员记入 liaison_history（任职到前一天）；同一人只更新联系方式。"""
    from jiuzhu import parse
    from jiuzhu.cli.output import echo
    from jiuzhu.liaisons import ROLES, stage_change
    from jiuzhu.queries import find_unit

    reg = load()
    target = find_unit(reg, unit)
    day = parse_date(start, "--from") or as_of_or_today(None)
    role = "deputy" if deputy else "liaison"
    new = {"name": parse.line(name, "--name"), "post": parse.line(post, "--post"),
           "phone": parse.line(phone, "--phone"), "mobile": parse.line(mobile, "--mobile")}
    before = target.liaison if role == "liaison" else target.deputy
    stage_change(reg, target, role, new, day).commit()
    if before.name and before.name != new["name"]:
        echo(f"已登记{target.name}{ROLES[role]}：{new['name']}（自 {day} 起；"
             f"原{ROLES[role]}{before.name}记入变更记录）")
    else:
        echo(f"已登记{target.name}{ROLES[role]}：{new['name']}")
    echo(f"  文件：{STATE.shown(target.file)}")


@liaisons_app.command("export")
def liaisons_export(
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f",
        help="docx、xlsx、vcf（手机通讯录）、html、md 或 pdf；默认按 -o 的扩展名，没有 -o 时为 md")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="输出文件")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    as_of: AsOf = None,
) -> None:
    """导出联络员通讯录：印发用的 docx/html/pdf、表格 xlsx、手机可导入的 vcf。"""
    from jiuzhu.cli.output import echo
    from jiuzhu.errors import InputRefused
    from jiuzhu.render import KINDS, check_target, render, save
    from jiuzhu.render_context import liaisons_context

    chosen = fmt or (output.suffix.lower().lstrip(".") if output is not None else "md")
    if chosen not in EXPORTS:
        raise InputRefused(f"不能导出为“{chosen or '（未指定）'}”",
                           "用 --format docx|xlsx|vcf|html|md|pdf，或 -o 文件名.docx 等。")
    if output is not None and output.suffix and output.suffix.lower() != f".{chosen}":
        raise InputRefused(f"--format {chosen} 与输出文件 {output.name} 的扩展名不符", f"把文件名改为 .{chosen} 结尾。")
    if output is None and chosen != "md":
        raise InputRefused(f"{chosen} 格式需要用 -o 指定输出文件", f"例如 -o 联络员通讯录.{chosen}。")
    check_target(chosen if chosen in ("md", "html", "docx", "pdf") else "md", output, force, STATE.root)
    reg = load(allow_errors=True, founding=True)
    ctx = liaisons_context(reg, as_of_or_today(as_of))
    if chosen == "xlsx":
        data = _xlsx(ctx)
    elif chosen == "vcf":
        data = _vcf(reg, as_of_or_today(as_of))
    else:
        data = render(reg, "liaisons", chosen, ctx)
    if output is None:
        echo(data.decode("utf-8").rstrip("\n"))
        return
    save(output, data, force)
    echo(f"已生成{KINDS['liaisons']}：{output}")


def _xlsx(ctx: dict[str, Any]) -> bytes:
    from jiuzhu.sheets import xlsx

    d = ctx["directory"]
    rows = [(i, r["unit"], r["liaison"], r["liaison_phones"], r["deputy"], r["deputy_phones"])
            for i, r in enumerate(d["rows"], 1)]
    return xlsx([("联络员通讯录", ["序号", "成员单位", "联络员", "联系电话", "备用联络员", "联系电话"], rows)],
                d["title"], ctx["system"].get("issuing_office", ""))


def _vcf(reg: Any, day: Any) -> bytes:
    from jiuzhu.liaisons import ROLES, directory
    from jiuzhu.vcard import Card, vcards

    cards = [Card(e.contact.name, e.unit_name, ROLES[e.role] + (f"（{e.contact.post}）" if e.contact.post else ""),
                  e.contact.phone, e.contact.mobile, f"jiuzhu-{e.unit}-{e.role}-{e.contact.name}")
             for e in directory(reg, day) if e.contact is not None and e.contact.name]
    return vcards(cards).encode("utf-8")
