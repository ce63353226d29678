"""`jiuzhu rollup`: many registries at once (a city or province). Core: jiuzhu.rollup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

ROLLUP_FORMATS = ("table", "json", "csv", "xlsx", "html")


def _rollup_format(value: str) -> str:
    if value not in ROLLUP_FORMATS:
        raise typer.BadParameter(f"“{value}”不是可用的格式，只能是 table、json、csv、xlsx 或 html")
    return value


_GROUP_NAMES = {"登记册": "registry", "单位类别": "kind", "领域": "area",
                "registry": "registry", "kind": "kind", "area": "area"}


def _group(value: str) -> str:
    if value not in _GROUP_NAMES:
        raise typer.BadParameter(f"“{value}”不是可用的分组，只能是 登记册、单位类别 或 领域")
    return _GROUP_NAMES[value]


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup)


def rollup(
    registries: Annotated[Optional[list[Path]], typer.Argument(
        help="要汇总的登记册目录（或用 --config）", metavar="[登记册目录]...")] = None,
    config: Annotated[Optional[Path], typer.Option(
        "--config", "-c", help="汇总配置文件 rollup.yaml（写法见 docs/rollup.md）", metavar="文件")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="统计日期（默认今天）")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="输出格式：table、json、csv、xlsx（需 -o）或 html（需 -o，一页网页）",
        callback=_rollup_format)] = "table",
    by: Annotated[str, typer.Option(
        "--by", help="csv 的分组：登记册、单位类别（牵头单位的类别）或 领域（救助领域）",
        callback=_group, metavar="分组")] = "登记册",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="csv、xlsx 或 html 的输出文件")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="同时读取的登记册数（默认为处理器核数）")] = None,
    exports: Annotated[Optional[Path], typer.Option(
        "--exports", help="把各登记册的任务导出（CSV，格式见 docs/rollup.md）另存到这个已有目录",
        metavar="目录")] = None,
) -> None:
    """汇总多个登记册：各登记册、各类牵头单位、各救助领域的逾期、即将到期和完成率（DuckDB 计算）。

    有错误的登记册列出它的第一个错误，不计入汇总，其余照常汇总。"""
    from jiuzhu import parse
    from jiuzhu.cli.common import as_of_or_today
    from jiuzhu.cli.output import warn
    from jiuzhu.errors import InputRefused
    from jiuzhu.rollup import read_config, rolled_up

    if config is not None and registries:
        raise InputRefused("登记册目录和 --config 只能用一种",
                           "把目录写进 rollup.yaml 的 registries，或去掉 --config。")
    _check_output(fmt, output, force)
    parse.positive(jobs, "--jobs")
    if exports is not None and not exports.is_dir():
        raise InputRefused(f"--exports 的目录不存在：{exports}", "先建立这个目录。")
    title, roots = read_config(config) if config is not None else (None, list(registries or []))
    day = as_of_or_today(as_of)
    with rolled_up(roots, day, jobs) as result:
        for m in result.failed:
            warn(f"未纳入汇总：{m.root}", m.problem or "")
        if exports is not None:
            _copy_exports(result, exports)
        _emit(result, title, fmt, by, output, force)


def _copy_exports(result: Any, folder: Path) -> None:
    """Each rolled-up registry's export as <jurisdiction>.csv (a number added when two share one)."""

    from jiuzhu.atomic import atomic_write

    taken: set[str] = set()
    for m in result.members:
        if m.file is None:
            continue
        base = m.jurisdiction or Path(m.root).name
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        with open(m.file, "rb") as src:
            atomic_write(folder / f"{name}.csv", src.read())


def _check_output(fmt: str, output: Path | None, force: bool) -> None:
    from jiuzhu.errors import InputRefused
    from jiuzhu.render import check_output

    if fmt in ("xlsx", "html") and output is None:
        raise InputRefused(f"{fmt} 格式需要用 -o 指定输出文件", f"例如 --format {fmt} -o 汇总.{fmt}。")
    if output is None:
        return
    if fmt in ("table", "json"):
        raise InputRefused(f"-o 只用于 csv、xlsx 或 html，而 --format 是 {fmt}", "加 --format xlsx（或 csv、html）。")
    if output.suffix.lower() != f".{fmt}":
        raise InputRefused(f"--format {fmt} 与输出文件 {output.name} 的扩展名不符",
                           f"把文件名改为 .{fmt} 结尾，或改 --format。")
    check_output(output, force, None, f"汇总.{fmt}")


def _emit(result: Any, title: str | None, fmt: str, by: str, output: Path | None, force: bool) -> None:
    from jiuzhu.cli.output import echo
    from jiuzhu.render import save
    from jiuzhu.rollup import GROUPS, HEADERS, row_values

    heading = title or "社会救助工作联席会议汇总"
    if fmt == "json":
        from jiuzhu.cli.output import print_json

        print_json(_json(result, heading))
    elif fmt == "table":
        _table(result, heading)
    elif fmt == "csv":
        from jiuzhu.cli.sheet_out import write

        write("csv", output, force, GROUPS[by], (GROUPS[by], *HEADERS),
              [[r["name"], *row_values(r)] for r in result.tables[by]])
    elif fmt == "xlsx":
        from jiuzhu.sheets import xlsx

        assert output is not None
        sheets: list[tuple[str, tuple[str, ...], list[list[Any]]]] = [
            (label, (label, *HEADERS), [[r["name"], *row_values(r)] for r in result.tables[g]])
            for g, label in GROUPS.items()]
        sheets.append(("未纳入汇总", ("登记册", "问题"), [[m.root, m.problem] for m in result.failed]))
        save(output, xlsx(sheets, heading), force)
        echo(f"已生成：{output}（{len(result.tables['registry'])} 个登记册）")
    else:
        assert output is not None
        save(output, _html(result, heading), force)
        echo(f"已生成：{output}（{len(result.tables['registry'])} 个登记册）")


def _json(result: Any, heading: str) -> dict[str, Any]:
    return {"title": heading, "as_of": result.as_of.isoformat(), **result.tables,
            "failed": [{"registry": m.root, "problem": m.problem} for m in result.failed]}


def _table(result: Any, heading: str) -> None:
    from jiuzhu.cli.output import echo, table
    from jiuzhu.rollup import GROUPS, HEADERS, row_values

    echo(f"{heading}（截至 {result.as_of.isoformat()}）")
    right = {"justify": "right"}
    for group, label in GROUPS.items():
        rows = [[r["name"], *("—" if v is None else v for v in row_values(r))] for r in result.tables[group]]
        table(f"按{label}", [label, *((h, right) for h in HEADERS)], rows, long=len(result.tables["registry"]) >= 50)


def _html(result: Any, heading: str) -> bytes:
    import datetime as dt

    from jiuzhu.model import Registry
    from jiuzhu.render import Renderer
    from jiuzhu.rollup import GROUPS, HEADERS

    ctx = {"doc_date": result.as_of, "title": heading, "as_of": result.as_of, "groups": GROUPS, "headers": HEADERS,
           "tables": result.tables, "failed": result.failed, "generated": dt.date.today()}
    return Renderer(Registry(root=".")).template("site/rollup.html.j2", ctx, "html").encode("utf-8")
