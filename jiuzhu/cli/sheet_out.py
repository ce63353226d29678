"""Lists a user takes to a spreadsheet: `--format csv` (to the terminal or `-o x.csv`) and
`--format xlsx -o x.xlsx` (jiuzhu.sheets), beside table and json. The format is checked when the
options are parsed, the output before the registry is read: a refused command writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

LIST_FORMATS = ("table", "json", "csv", "xlsx")


def _list_format(value: str) -> str:
    if value not in LIST_FORMATS:
        raise typer.BadParameter(f"“{value}”不是可用的格式，只能是 table、json、csv 或 xlsx")
    return value


ListFormatOpt = typer.Option("--format", "-f", help="输出格式：table、json、csv 或 xlsx（xlsx 需 -o 文件.xlsx）",
                             callback=_list_format)
SheetOutputOpt = typer.Option("--output", "-o", help="csv 或 xlsx 的输出文件")
SheetForceOpt = typer.Option("--force", help="覆盖已存在的输出文件")


def check(fmt: str, output: Path | None, force: bool) -> None:
    """Refuse a spreadsheet request that cannot be met, before any work."""
    from jiuzhu.errors import InputRefused

    if output is None:
        if fmt == "xlsx":
            raise InputRefused("xlsx 格式需要用 -o 指定输出文件", "例如 --format xlsx -o 任务清单.xlsx。")
        return
    if fmt not in ("csv", "xlsx"):
        raise InputRefused(f"-o 只用于 csv 或 xlsx，而 --format 是 {fmt}", "加 --format xlsx（或 csv）。")
    if output.suffix.lower() != f".{fmt}":
        raise InputRefused(f"--format {fmt} 与输出文件 {output.name} 的扩展名不符",
                           f"把文件名改为 .{fmt} 结尾，或改 --format。")
    from jiuzhu.cli.common import STATE
    from jiuzhu.render import check_output  # python-docx and jinja2: ~0.1 s, only when writing a file

    check_output(output, force, STATE.root, f"清单.{fmt}")


def write(fmt: str, output: Path | None, force: bool, name: str, headers: Sequence[str],
          rows: Sequence[Sequence[Any]], author: str = "") -> None:
    """Print the csv or write the csv/xlsx file of one list (one sheet named `name`)."""
    from jiuzhu.cli.output import echo
    from jiuzhu.render import save

    if fmt == "xlsx":
        from jiuzhu.sheets import xlsx

        assert output is not None
        save(output, xlsx([(name, headers, rows)], name, author), force)
        echo(f"已生成：{output}（{len(rows)} 行）")
        return
    text = _csv(headers, rows)
    if output is None:
        echo(text.rstrip("\n"))
    else:
        save(output, text.encode("utf-8-sig"), force)  # with a BOM: Excel opens it as UTF-8
        echo(f"已生成：{output}（{len(rows)} 行）")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# The porcelain rows (dicts) of a list command as spreadsheet columns: (sheet name, headers, row).
LISTS: dict[str, tuple[str, tuple[str, ...], Any]] = {
    "meetings": ("会议", ("编号", "日期", "时间", "类型", "名称", "议题数", "议定事项数", "状态", "纪要号"),
                 lambda r: (r["id"], _date(r["date"]), r["time"], r["kind_name"], r["title"], r["agenda"],
                            r["decisions"], r["status"], r["minutes"])),
    "proposals": ("议题", ("编号", "提出单位", "标题", "状态", "提交日期"),
                  lambda r: (r["id"], r["unit_name"], r["title"], r["status"], _date(r["submitted"]))),
    "units": ("成员单位", ("序号", "标识", "名称", "类别", "职责条数", "联络员", "是否成员", "办公室"),
              lambda r: (r["order"], r["id"], r["name"], r["kind_name"], r["duties"], r["liaison"],
                         "是" if r["active"] else "已撤销", "是" if r["office"] else "")),
    "inspections": ("检查", ("编号", "类型", "日期", "内容", "组织单位", "被检查单位", "发现问题", "抽查任务"),
                    lambda r: (r["id"], r["kind"], _date(r["date"]), r["topic"], r["lead_name"], r["unit_names"],
                               len(r["findings"]), r["samples"])),
    "notices": ("督办通知单",
                ("编号", "单位", "等级", "发出日期", "回复时限", "状态", "逾期天数", "督办任务", "已回复"),
                lambda r: (r["id"], r["unit_name"], r["level"], _date(r["date"]), _date(r["reply_due"]), r["status"],
                           r["days_late"], "、".join(r["tasks"]), "、".join(r["replied"]))),
    "info": ("核对信息", ("单位", "提供的信息", "依据职责"),
             lambda r: (r["unit_name"], "、".join(r["info"]), r["duty"])),
}


def write_list(kind: str, fmt: str, output: Path | None, force: bool, rows: Sequence[dict[str, Any]]) -> None:
    name, headers, row = LISTS[kind]
    write(fmt, output, force, name, headers, [row(r) for r in rows])


def _csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _cell(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else "" if v is None else v
