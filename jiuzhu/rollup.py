"""A roll-up of many registries (`jiuzhu rollup`): a city or province looks at all its counties'
joint meetings at once — overdue, due-soon and completion per registry, per kind of lead unit and
per assistance area.

Each registry is exported on its own (jiuzhu.rollup_export: its tasks as of the date, one CSV row a
task, kept between runs while the registry is unchanged), by as many processes as there are
cores; the aggregation is SQL in DuckDB over those CSV files, the same files any bigger engine
could read (docs/rollup.md). A registry with errors is listed with its first problem and left
out; the others are still rolled up.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu import cache
from jiuzhu.errors import InputRefused
from jiuzhu.rollup_export import COLUMNS, LIST_SEP, Export, export
from jiuzhu.tasks import DONE, DUE_SOON, OVERDUE

GROUPS = {"registry": "登记册", "kind": "牵头单位类别", "area": "救助领域"}
HEADERS = ("任务", "已完成", "逾期未完成", "即将到期", "长期坚持", "完成率%")
NO_AREA = "（未标领域）"


@dataclass(frozen=True)
class Rollup:
    as_of: dt.date
    members: list[Export]
    tables: dict[str, list[dict[str, Any]]]  # by group: rows of {"name", "tasks", "done", ...}

    @property
    def failed(self) -> list[Export]:
        return [m for m in self.members if m.problem is not None]


def _one(args: tuple[str, str, str, bytes]) -> Export:
    root, day, scratch, code = args
    return export(Path(root), dt.date.fromisoformat(day), Path(scratch), code)


def collect(roots: Sequence[Path], as_of: dt.date, scratch: Path, workers: int | None = None) -> list[Export]:
    """Every registry's export, in the order given; by `workers` processes (default: the cores)."""
    code = cache.code_key()  # once: every registry of a roll-up is read by the same code
    jobs = [(str(r), as_of.isoformat(), str(scratch), code) for r in roots]
    n = min(workers or os.cpu_count() or 1, len(jobs))
    if n < 2:
        return [_one(j) for j in jobs]
    try:
        with ProcessPoolExecutor(n) as pool:
            return list(pool.map(_one, jobs, chunksize=1))
    except (OSError, RuntimeError):  # no fork or semaphores here (some sandboxes): one by one
        return [_one(j) for j in jobs]


def check_roots(roots: Sequence[Path]) -> list[Path]:
    """The registries named, each once (the same folder twice would count its tasks twice)."""
    if not roots:
        raise InputRefused("没有给出要汇总的登记册", "在命令后列出登记册目录，或用 --config rollup.yaml。")
    seen: dict[str, Path] = {}
    for r in roots:
        real = os.path.realpath(r)
        if real in seen:
            raise InputRefused(f"登记册 {r} 重复列出（与 {seen[real]} 是同一个目录）", "每个登记册只列一次。")
        seen[real] = r
    return list(roots)


@contextmanager
def rolled_up(roots: Sequence[Path], as_of: dt.date, workers: int | None = None) -> Iterator[Rollup]:
    """The roll-up of these registries as of `as_of` (exports made in a scratch folder live
    while the caller uses the result)."""
    roots = check_roots(roots)
    with tempfile.TemporaryDirectory(prefix="jiuzhu-rollup-") as scratch:
        members = collect(roots, as_of, Path(scratch), workers)
        yield Rollup(as_of, members, aggregate(members))


def aggregate(members: Sequence[Export]) -> dict[str, list[dict[str, Any]]]:
    """Per registry, per kind of lead unit and per area, in DuckDB over the export files."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE registries (registry VARCHAR, name VARCHAR, jurisdiction VARCHAR, ord INTEGER)")
    con.executemany("INSERT INTO registries VALUES (?, ?, ?, ?)",
                    [(m.root, m.name, m.jurisdiction, i) for i, m in enumerate(members) if m.problem is None])
    files = [m.file for m in members if m.problem is None and m.file]
    columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in COLUMNS) + "}"
    if files:
        listed = "[" + ", ".join(_quoted(f) for f in files) + "]"
        con.execute(f"CREATE VIEW tasks AS SELECT * FROM read_csv({listed}, header = true, columns = {columns}, "
                    "auto_detect = false, quote = '\"', escape = '\"')")
    else:
        con.execute("CREATE TABLE tasks AS SELECT " + ", ".join(f"NULL::{t} AS {c}" for c, t in COLUMNS)
                    + " WHERE false")
    measures = (f"count(t.task) AS tasks, count(*) FILTER (t.status = '{DONE}') AS done, "
                f"count(*) FILTER (t.report_status = '{OVERDUE}') AS overdue, "
                f"count(*) FILTER (t.report_status = '{DUE_SOON}') AS due_soon, "
                "count(*) FILTER (t.ongoing) AS ongoing")
    queries = {
        "registry": f"SELECT r.jurisdiction AS name, r.name AS system, r.registry, {measures} "
                    "FROM registries r LEFT JOIN tasks t ON t.registry = r.registry "
                    "GROUP BY r.registry, r.name, r.jurisdiction, r.ord ORDER BY r.ord",
        "kind": f"SELECT t.lead_kind AS name, {measures} FROM tasks t GROUP BY 1 ORDER BY overdue DESC, tasks DESC, 1",
        "area": f"SELECT a.area AS name, {measures} FROM tasks t, "
                f"unnest(CASE WHEN t.areas IS NULL OR t.areas = '' THEN ['{NO_AREA}'] "
                f"ELSE string_split(t.areas, '{LIST_SEP}') END) AS a(area) "
                "GROUP BY 1 ORDER BY overdue DESC, tasks DESC, 1",
    }
    tables = {}
    for group, sql in queries.items():
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        tables[group] = [_with_rate(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    con.close()
    return tables


def _quoted(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _with_rate(row: dict[str, Any]) -> dict[str, Any]:
    """Completion: done over the tasks that can be done (long-standing ones never are)."""
    doable = row["tasks"] - row["ongoing"]
    row["completion"] = round(row["done"] * 100 / doable, 1) if doable else None
    return row


def row_values(row: dict[str, Any]) -> list[Any]:
    return [row["tasks"], row["done"], row["overdue"], row["due_soon"], row["ongoing"], row["completion"]]


def read_config(path: Path) -> tuple[str | None, list[Path]]:
    """rollup.yaml: an optional `title` and the `registries` to roll up, as folders relative to
    the file. Mistakes are refused with their place in the file."""
    from jiuzhu.yamlread import parse_text

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputRefused(f"无法读取汇总配置 {path}：{getattr(exc, 'strerror', None) or exc}",
                           "检查文件名；配置的写法见 docs/rollup.md。") from None
    doc, problems = parse_text(text, str(path))
    if doc is None or problems:
        first = problems[0]
        raise InputRefused(f"{first.pos}：{first.message}", first.hint or "配置的写法见 docs/rollup.md。")
    data = doc.data
    listed = data.get("registries") if isinstance(data, dict) else None
    if not isinstance(listed, list) or not listed:
        where = doc.at() if not isinstance(data, dict) or "registries" not in data else doc.at("registries")
        raise InputRefused(f"{where}：汇总配置需要 registries（登记册目录的列表）",
                           "例如：\nregistries:\n  - ../大厂/registry\n  - ../香河/registry")
    roots = []
    for i, item in enumerate(listed):
        if not isinstance(item, str) or not item.strip():
            raise InputRefused(f"{doc.at('registries', i)}：registries 的每一项应是一个目录", "写登记册目录的路径。")
        roots.append(path.parent / item)
    title = data.get("title")
    return (str(title) if title is not None else None), roots
