"""bench/: the synthetic registry is deterministic and valid, and bench/run.py reports every figure
docs/performance.md shows (run here on a small registry; the real figures are in docs/performance.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, bench_gen

from jiuzhu import tasks
from jiuzhu.loader import load
from jiuzhu.validate import run


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_registry_is_deterministic_and_valid(tmp_path: Path) -> None:
    gen = bench_gen()
    gen.generate(tmp_path / "a", 120, seed=7)
    gen.generate(tmp_path / "b", 120, seed=7)
    gen.generate(tmp_path / "c", 120, seed=8)
    a = _tree(tmp_path / "a")
    assert a == _tree(tmp_path / "b") and a != _tree(tmp_path / "c")
    loaded = load(tmp_path / "a")
    assert len(loaded.registry.decisions) == 120
    problems = run(loaded, gen.AS_OF)
    assert [p for p in problems if p.is_error] == []
    overdue = tasks.overdue_tasks(loaded.registry, gen.AS_OF)
    assert 0 < len(overdue.views) < 120 / 2  # a share of them


def test_run_reports_every_figure(tmp_path: Path) -> None:
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--tasks", "40", "--runs", "1",
                           "--no-install", "--format", "json", "--keep", str(tmp_path / "reg")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    figures = {f["name"]: f for f in result["figures"]}
    for name in ("jiuzhu --help", "tasks overdue --help", "validate（冷：缓存为空）", "validate（改动一个文件后）",
                 "tasks overdue（表格，管道）", "tasks overdue（表格，终端）", "tasks overdue（JSON）",
                 "minutes render（一次会议，md）", "assign"):
        assert figures[name]["seconds"] > 0 and figures[name]["rss_mb"] > 0, name
        assert figures[name]["note"] == "", name
    assert figures["validate（冷：缓存为空）"]["target"] == 3.0 and figures["assign"]["target"] == 0.2
    floor = figures["下限：启动、列出并 stat 每个文件"]
    assert floor["seconds"] > 0 and floor["note"] == "不读任何文件内容" and floor["target"] is None
    start, cli = figures["其中：启动 Python"], figures["其中：启动 Python、载入命令行"]
    assert 0 < start["seconds"] and 0 < cli["seconds"] and start["rss_mb"] < cli["rss_mb"]
    assert result["tasks"] == 40 and result["files"] > 40 and result["machine"]["nproc"]
    if shutil.which("task"):
        assert result["taskwarrior_overdue_tasks"] > 0
        assert isinstance(result["ratio_jiuzhu_to_taskwarrior"], float) and len(result["ratios"]) == 3
        assert isinstance(result["floor_to_taskwarrior"], float)
        assert figures["tasks overdue（JSON）"]["target"] == figures["Taskwarrior: task overdue"]["seconds"]
    else:
        assert figures["Taskwarrior: task overdue"]["note"] == "缺少 taskwarrior"


def test_documents_benchmark_reports_every_document(tmp_path: Path) -> None:
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "documents.py"), "--tasks", "40", "--runs", "1",
                           "--format", "json", "--keep", str(tmp_path / "reg")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    figures = {f["name"]: f for f in json.loads(proc.stdout)["figures"]}
    for name in ("进展情况通报（全部 40 项，docx）", "进展情况通报（全部 40 项，html）",
                 "进展情况通报（全部 40 项，md）", "会议纪要（一次会议，docx）"):
        assert figures[name]["seconds"] > 0 and figures[name]["rss_mb"] > 0, name
        assert figures[name]["note"] == "", name
    assert figures["进展情况通报（全部 40 项，docx）"]["target"] == 10.0


def test_rollup_benchmark_reports_each_case_with_its_cpu_time(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "rollup.py"), "--registries", "2", "--tasks", "30",
                           "--keep", str(tmp_path / "regs")],
                          capture_output=True, text=True, env=dict(os.environ), cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("jiuzhu rollup：2 个登记册 × 30 个任务")
    assert lines[0].endswith("冷启动前文件已请出页缓存" if hasattr(os, "posix_fadvise") else "可能还在内存里")
    assert len(lines) == 6
    for case, line in zip(("cold", "one changed", "nothing changed", "another day"), lines[1:5], strict=True):
        assert line.strip().startswith(case + " "), line
        assert float(line.split("CPU")[1].split()[0]) > 0 and "峰值内存" in line
    # the cold CPU a registry: for the same code, the machine's moment
    cold_cpu = float(lines[1].split("CPU")[1].split()[0])
    each = float(lines[5].split("冷启动每个登记册 CPU ")[1].split()[0])
    assert abs(each - cold_cpu / 2) <= 0.05 / 2 + 0.001, lines  # the cold line rounds to 0.1 s
