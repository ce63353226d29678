"""The roll-up's export of one registry: its tasks as of a date, one CSV row a task, in a format
documented in docs/rollup.md so any engine can read it (DuckDB here; Spark or a database for a
whole country). The numbers are those of `jiuzhu tasks list --as-of` (jiuzhu.tasks).

`export(root, as_of)` loads the registry, refuses it with its first error (load or validate), and
keeps the export with jiuzhu.cache_derived, so an unchanged registry is not read again.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from jiuzhu import cache, cache_derived, listing, loader, validate
from jiuzhu.errors import InputRefused
from jiuzhu.model import Registry
from jiuzhu.queries import KIND_NAMES
from jiuzhu.tasks import task_views

FORMAT = 1  # bump when a column changes: it is part of every kept export's key
COLUMNS = (  # (name, DuckDB type): the export's columns, documented in docs/rollup.md
    ("registry", "VARCHAR"), ("name", "VARCHAR"), ("jurisdiction", "VARCHAR"), ("as_of", "DATE"),
    ("task", "VARCHAR"), ("source", "VARCHAR"), ("made", "DATE"), ("due", "DATE"), ("ongoing", "BOOLEAN"),
    ("lead", "VARCHAR"), ("lead_name", "VARCHAR"), ("lead_kind", "VARCHAR"), ("responsible", "VARCHAR"),
    ("areas", "VARCHAR"), ("status", "VARCHAR"), ("report_status", "VARCHAR"), ("percent", "INTEGER"),
    ("days_overdue", "INTEGER"), ("workdays_left", "INTEGER"),
)
LIST_SEP = ";"  # inside the responsible and areas columns


@dataclass(frozen=True)
class Export:
    """One registry in the roll-up: its names, and its export file or the problem keeping it out."""

    root: str
    name: str
    jurisdiction: str
    tasks: int
    file: str | None  # the export CSV; None when refused
    problem: str | None = None
    reused: bool = False  # the kept export was still valid


def rows(reg: Registry, root: str, as_of: dt.date) -> list[list[object]]:
    s = reg.system
    name, jurisdiction = (s.name, s.jurisdiction) if s else ("", "")
    decisions = reg.decisions
    out: list[list[object]] = []
    for v in task_views(reg, as_of):
        d = decisions.get(v.id)
        unit = reg.units.get(v.lead)
        areas = [reg.areas[a].name if a in reg.areas else a for a in (d.areas if d else ())]
        ongoing = "true" if v.due is None else "false"  # as the CSV writes it (to_csv)
        out.append([root, name, jurisdiction, as_of, v.id, v.source, v.meeting_date, v.due, ongoing,
                    v.lead, v.lead_name, KIND_NAMES.get(unit.kind, unit.kind) if unit else "",
                    LIST_SEP.join(v.responsible), LIST_SEP.join(areas), v.status, v.report_status, v.percent,
                    v.days_overdue, v.workdays_left])
    return out


def to_csv(table: list[list[object]]) -> bytes:
    """The rows as CSV: a day as YYYY-MM-DD and nothing as an empty cell (the csv module's own
    str() and None)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c for c, _ in COLUMNS])
    writer.writerows(table)
    return out.getvalue().encode("utf-8")


def export(root: Path, as_of: dt.date, scratch: Path, code: bytes | None = None) -> Export:
    """The registry's export as of `as_of`, kept or computed (and kept). An export that cannot be
    kept (a file too recent to key, no cache folder) goes to `scratch`, which the caller removes.
    `code`: jiuzhu.cache.code_key() (the roll-up computes it once for all its registries)."""
    code = code or cache.code_key()
    listed = listing.take(root)  # one listing for the key and, if need be, the load
    ident = cache_derived.key(root, f"rollup-export|{FORMAT}|{as_of.isoformat()}", listed, code)
    if ident is not None:
        kept_meta = cache_derived.path(root, "rollup", ident, ".json")
        if kept_meta is not None:
            meta = json.loads(kept_meta.read_text(encoding="utf-8"))
            kept_csv = cache_derived.path(root, "rollup", ident, ".csv")
            if meta["problem"] is not None or kept_csv is not None:
                return Export(**{**meta, "file": str(kept_csv) if kept_csv else None, "reused": True})
    made, data = _computed(root, as_of, listed, code)
    if ident is not None:
        kept = cache_derived.keep(root, "rollup", ident, ".csv", data) if data is not None else None
        meta = {k: v for k, v in made.__dict__.items() if k not in ("file", "reused")}
        cache_derived.keep(root, "rollup", ident, ".json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        if kept is not None:
            return Export(**{**made.__dict__, "file": str(kept)})
    if data is None:
        return made
    unkept = scratch / f"{hashlib.blake2b(str(root).encode('utf-8'), digest_size=10).hexdigest()}.csv"
    unkept.write_bytes(data)
    return Export(**{**made.__dict__, "file": str(unkept)})


def _computed(root: Path, as_of: dt.date, listed: listing.Listing, code: bytes) -> tuple[Export, bytes | None]:
    label = str(root)
    try:
        # jiuzhu.rollup runs one registry a process: no pool of its own
        loaded = loader.load(root, parallel=False, listed=listed, code=code)
    except InputRefused as exc:
        return Export(label, "", "", 0, None, exc.message), None
    reg = loaded.registry
    s = reg.system
    name, jurisdiction = (s.name, s.jurisdiction) if s else ("", "")
    errors = loaded.errors or [p for p in validate.run(loaded, as_of) if p.is_error]
    if errors:
        first = errors[0]
        where = Path(label) / str(first.pos)
        return Export(label, name, jurisdiction, 0, None, f"{where}：{first.message}（共 {len(errors)} 个错误）"), None
    table = rows(reg, label, as_of)
    return Export(label, name, jurisdiction, len(table), None), to_csv(table)
