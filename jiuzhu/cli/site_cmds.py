"""`jiuzhu site build`: the static site. Core: jiuzhu.site (pages) over jiuzhu.site_context."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from jiuzhu.cli.apps import site_app
from jiuzhu.cli.common import STATE, as_of_or_today, load


@site_app.command("build")
def site_build(
    output: Annotated[Path, typer.Option("--output", "-o", help="站点目录（新目录，或以前生成的站点）")],
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="按登记册在这一天的状态生成（默认今天）；页面顶部注明")] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf/--no-pdf", help="已印发的纪要另附 PDF（需要 Chromium；默认附上）")] = True,
    force: Annotated[bool, typer.Option("--force", help="替换以前生成的站点目录")] = False,
) -> None:
    """生成静态网站：不需要服务器，从磁盘直接打开或放到任何静态网站空间都能用。"""
    from jiuzhu import pdf as printing
    from jiuzhu.cli.output import echo
    from jiuzhu.cli.progress import render_progress
    from jiuzhu.site import build, check_target, publish

    check_target(output, force, STATE.root)
    if pdf:  # a missing browser or font is said before any page is built
        printing.browser()
        printing.check_fonts()
    day = as_of_or_today(as_of)
    reg = load()
    with render_progress("正在生成站点") as progress:
        files = build(reg, day, ("html", "docx", "pdf") if pdf else ("html", "docx"), progress)
    publish(output, files)
    pages = sum(1 for name in files if name.endswith(".html") and "/" not in name)
    echo(f"已生成站点：{output}（{pages} 个页面，数据截至 {day.isoformat()}）")
    echo(f"用浏览器打开：{(output / 'index.html').resolve().as_uri()}")
