"""The static site (`jiuzhu site build`): a folder of pages that opens from disk or any static host.

Every page is rendered from a template in templates/site/ (a registry's own templates/site/ shadows
them) in the documents' sandboxed, autoescaping environment; the style and the one script are
copied into assets/, so nothing is fetched from the network. The pages are flat (index.html,
meeting-<id>.html, unit-<id>.html ...) so every link is a plain file name. Issued minutes are
rendered into files/ as html and docx (and pdf when asked, printed by Chromium).

The folder is written whole or not at all (`publish`): built beside the target, then moved into
place; a folder that is not a jiuzhu site is never replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jiuzhu import render, site_context, snapshot
from jiuzhu.errors import InputRefused
from jiuzhu.model import Registry
from jiuzhu.render_context import minutes_context
from jiuzhu.tasks import task_views
from jiuzhu.workdays import Calendar

ASSETS = ("site.css", "site.js")
MARKER = ".jiuzhu-site"  # written into every site: the only kind of folder `publish` replaces
NAV = (("index.html", "概况"), ("meetings.html", "会议"), ("units.html", "成员单位"), ("matrix.html", "职责矩阵"),
       ("tasks.html", "全部任务"), ("search.html", "搜索"))
Progress = Callable[[int, int], Any]


def build(full: Registry, day: dt.date, formats: tuple[str, ...] = ("html", "docx"),
          progress: Progress | None = None) -> dict[str, bytes]:
    """Every file of the site as of `day`, by its path in the site folder."""
    reg = snapshot.on(full, day)
    cal = Calendar.of(reg)
    views = task_views(reg, day, cal)
    by_id = {v.id: v for v in views}
    s = reg.system
    title = s.name if s else "联席会议"
    base = {"doc_date": day, "site": {"name": title, "as_of": day, "nav": NAV, "formats": formats,
                                      "jurisdiction": s.jurisdiction if s else ""}}
    files: dict[str, bytes] = {}
    renderer = render.Renderer(reg)

    def page(name: str, template: str, **ctx: Any) -> None:
        files[name] = renderer.template(f"site/{template}", {**base, "page": name, **ctx}, "html").encode()

    page("index.html", "index.html.j2", overview=site_context.overview(reg, full, views, day, cal))
    page("meetings.html", "meetings.html.j2", meetings=site_context.meetings(reg, full, day))
    page("units.html", "units.html.j2", units=site_context.units(reg, views, day))
    page("matrix.html", "matrix.html.j2", rows=site_context.matrix(reg, day))
    page("tasks.html", "tasks.html.j2", tasks=site_context.task_rows(reg, views, day),
         units=site_context.units(reg, views, day), statuses=site_context.STATUS_ORDER,
         sources=site_context.SOURCE_NAMES)
    page("search.html", "search.html.j2", index=site_context.search_index(reg, views, day))
    for u in site_context.units(reg, views, day):
        page(f"unit-{u['id']}.html", "unit.html.j2", unit=site_context.unit_page(reg, u["id"], views, day))
    for m in [*reg.meetings.values(), *(m for m in full.meetings.values() if m.date > day)]:
        page(f"meeting-{m.id}.html", "meeting.html.j2",
             meeting=site_context.meeting_page(reg if m.date <= day else full, m, by_id, day))
    files.update(_minutes(reg, renderer, formats, progress))
    for asset in ASSETS:
        files[f"assets/{asset}"] = _asset(renderer, asset, day)
    files[MARKER] = f"jiuzhu site of {title} as of {day.isoformat()}\n".encode()
    return files


def _minutes(reg: Registry, renderer: render.Renderer, formats: tuple[str, ...],
             progress: Progress | None) -> dict[str, bytes]:
    """The issued minutes in each format (the slow part: the Word build, Chromium's printing)."""
    issued = [m for m in reg.meetings.values() if m.minutes is not None]
    files = {}
    for n, m in enumerate(issued, 1):
        ctx = minutes_context(reg, m.id)
        for fmt in formats:
            files[f"files/minutes-{m.id}.{fmt}"] = renderer.document("minutes", fmt, ctx)
        if progress is not None:
            progress(n, len(issued))
    return files


def _asset(renderer: render.Renderer, name: str, day: dt.date) -> bytes:
    """A static file of templates/site/, copied as it is (the registry's own copy first)."""
    env = renderer.environment("html", day)
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, f"site/{name}")
    return source.encode("utf-8")


def check_target(target: Path, force: bool, registry: Path | None) -> None:
    """Refuse before any work a target the site must not replace."""
    if target.exists() and not target.is_dir():
        raise InputRefused(f"{target} 是文件，不是目录", "-o 后写站点目录，例如 -o out/site。")
    if not target.parent.is_dir():
        raise InputRefused(f"输出目录不存在：{target.parent}", "先建立这个目录，或把 -o 写到已有的目录中。")
    if registry is not None and Path(os.path.realpath(target)).is_relative_to(os.path.realpath(registry)):
        raise InputRefused(f"{target} 在登记册目录 {registry} 之内：生成的站点不放进登记册",
                           "把站点写到登记册之外，例如 -o out/site。")
    if target.is_dir() and any(target.iterdir()):
        if not (target / MARKER).is_file():
            raise InputRefused(f"目录 {target} 不是空的，也不是 jiuzhu 生成的站点，不会覆盖它",
                               "换一个新目录，或先清空这个目录。")
        if not force:
            raise InputRefused(f"站点目录已存在：{target}", "加 --force 用新生成的站点替换它，或换一个目录。")


def publish(target: Path, files: dict[str, bytes]) -> None:
    """Write the site whole: into a new folder beside `target`, then swap it in (the old site, if
    any, is removed only after the new one is in place)."""
    parent = target.parent
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    try:
        for rel, data in files.items():
            path = fresh / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        os.chmod(fresh, 0o755)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
        os.replace(target, old / "site")
    try:
        os.replace(fresh, target)
    except BaseException:
        if old is not None:
            os.replace(old / "site", target)  # the old site back where it was
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
