"""Benchmark the documents on a synthetic registry: the 进展情况通报 over every task, as docx, html
and md, and one meeting's minutes as docx.

    python bench/documents.py --tasks 5000 [--runs 3] [--keep DIR] [--format table|json]

The real path, as bench/run.py: before each timed run one task file changes and the report is
asked for another as-of date, so nothing computed for one run can answer the next. Target (issue
15): the 5,000-task 通报 as docx in ≤ 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402

DOCX_TARGET = 10.0  # seconds, for 5,000 tasks


def measure_documents(tasks: int, runs: int, seed: int, keep: Path | None) -> dict[str, object]:
    cli = bench.jiuzhu_command()
    with tempfile.TemporaryDirectory(prefix="jiuzhu-docbench-") as tmp:
        work = Path(tmp)
        root = bench.prepare_registry(tasks, seed, keep, work)
        env = {**os.environ, "JIUZHU_CACHE_DIR": str(work / "cache")}
        env.pop("JIUZHU_REGISTRY", None)
        change = bench.touch_one(root)
        out = work / "out"
        out.mkdir()

        def report(fmt: str) -> object:
            def argv(i: int) -> list[str]:
                day = (bench.gen.AS_OF + dt.timedelta(days=i + 1)).isoformat()  # another day every run
                return [*cli, "-r", str(root), "report", "progress", "--as-of", day, "--from", "2000-01-01",
                        "-o", str(out / f"通报-{i}.{fmt}"), "--force"]
            target = DOCX_TARGET if fmt == "docx" and tasks <= 5000 else None
            return bench.measure(f"进展情况通报（全部 {tasks} 项，{fmt}）", argv, runs, target, env, change)

        figures = [report("docx"), report("html"), report("md")]
        meeting = bench.last_minuted_meeting(root)
        if meeting:
            figures.append(bench.measure("会议纪要（一次会议，docx）",
                                         lambda i: [*cli, "-r", str(root), "minutes", "render", meeting,
                                                    "-o", str(out / f"纪要-{i}.docx"), "--force"],
                                         runs, None, env, change))
        return {"tasks": tasks, "runs": runs, "machine": bench.machine(), "figures": figures}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jiuzhu 公文生成性能测试")
    ap.add_argument("--tasks", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3, help="每项运行次数（取中位数）")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="把生成的登记册放在（或复用）这个目录")
    ap.add_argument("--format", choices=("table", "json"), default="table")
    args = ap.parse_args(argv)
    result = measure_documents(args.tasks, args.runs, args.seed, args.keep)
    figures = result["figures"]
    assert isinstance(figures, list)
    if args.format == "json":
        print(json.dumps({**result, "figures": [{**asdict(f), "ok": f.ok} for f in figures]},
                         ensure_ascii=False, indent=2))
        return 0
    m = result["machine"]
    assert isinstance(m, dict)
    print(f"jiuzhu 公文生成：{args.tasks} 个任务，每项取 {args.runs} 次中位数；"
          f"{m['cpu']}，{m['nproc']} 核，Python {m['python']}")
    for f in figures:
        secs = f"{f.seconds:.2f} s" if f.seconds is not None else "—"
        rss = f"{f.rss_mb:.0f} MB" if f.rss_mb is not None else "—"
        target = f"≤{f.target:g} s" if f.target is not None else ""
        verdict = {True: "达标", False: "未达标", None: ""}[f.ok] + (f"  {f.note}" if f.note else "")
        print(f"{bench._pad(f.name, 36)}{secs:>10}{rss:>10}{target:>10}  {verdict}")
    return 0


if __name__ == "__main__":
    bench._in_project_venv()
    sys.exit(main())
