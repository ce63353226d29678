"""Benchmark `jiuzhu rollup` on many generated registries (issue 17 §4), on the real path.

    python bench/rollup.py --registries 200 --tasks 2000 [--keep DIR]

Generates the registries (bench/gen.py, a seed and a county name each) and a rollup.yaml, then
times separate `jiuzhu rollup --config rollup.yaml --format json` processes:
- cold: an empty cache folder (no kept export, no parse cache), and the registries' files out of
  the page cache where the system allows (posix_fadvise DONTNEED): the day's first run, every
  file read from disk;
- one registry changed: a task file of one county rewritten (its bytes differ), the rest unchanged;
- nothing changed;
- another day: `--as-of` one day later, so every export is computed again (as cold, with the
  files in the page cache).
Memory is the peak of the sum of the resident memory of the command and its worker processes,
sampled every 100 ms from /proc. Each answer is checked: as many registries and tasks as generated.
The last line gives the cold case's CPU a registry: for the same code, how fast the machine was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen  # noqa: E402
from run import jiuzhu_command  # noqa: E402

TARGETS = {"cold": 60.0, "one changed": 5.0}
MEMORY_TARGET_MB = 1024


def generate(folder: Path, registries: int, tasks: int) -> Path:
    """The registries and their rollup.yaml (reused when the folder already holds this set)."""
    stamp = folder / f".made-{registries}x{tasks}"
    config = folder / "rollup.yaml"
    if stamp.is_file():
        return config
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(registries):
        out = folder / f"county-{i:03d}"
        gen.generate(out, tasks, seed=1000 + i, progress=False)
        system = out / "system.yaml"
        county = f"第{i + 1:03d}县"
        text = system.read_text(encoding="utf-8").replace("大厂回族自治县", county)
        system.write_text(text, encoding="utf-8")
        names.append(out.name)
        print(f"\r生成登记册 {i + 1}/{registries}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    config.write_text("title: 基准测试汇总\nregistries:\n" + "".join(f"  - {n}\n" for n in names), encoding="utf-8")
    stamp.touch()
    return config


def _descendants(pid: int) -> list[int]:
    """`pid` and its descendants, through /proc/PID/task/TID/children (no scan of all of /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children", encoding="ascii") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return found


def _tree_kb(root: int) -> int:
    """Memory of `root` and its descendants (kB): the sum of their proportional set sizes (Pss,
    /proc/PID/smaps_rollup: a page shared by a forked worker and its parent counts once)."""
    total = 0
    for pid in _descendants(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
        except OSError:
            continue
    return total


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds of the process tree, peak MB of the process tree, stdout). The CPU
    time (user + system, the command and the workers it waited for) tells the work from the
    machine's load: the same work took 54 s and 75 s of wall time on a shared 2-core VM."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_kb(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        out.seek(0)
        text = out.read().decode("utf-8")
    if proc.returncode != 0:
        raise SystemExit(f"jiuzhu rollup 失败（{proc.returncode}）：{err}")
    return seconds, cpu, peak / 1024, text


def evict(folder: Path) -> bool:
    """Ask the kernel to drop these files from the page cache (clean pages only: written back
    first). False where it cannot be asked."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return False
    os.sync()
    for path in folder.rglob("*.yaml"):
        fd = os.open(path, os.O_RDONLY)
        try:
            advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return True


def check(text: str, registries: int, tasks: int) -> None:
    answer = json.loads(text)
    rows = answer["registry"]
    assert len(rows) == registries and not answer["failed"], (len(rows), answer["failed"][:1])
    assert sum(r["tasks"] for r in rows) == registries * tasks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jiuzhu rollup 的基准测试")
    ap.add_argument("--registries", type=int, default=200)
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="生成的登记册放在这里（再次运行时复用）")
    args = ap.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jiuzhu-rollup-bench-"))
    config = generate(folder, args.registries, args.tasks)
    cache = Path(tempfile.mkdtemp(prefix="jiuzhu-rollup-cache-"))
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(cache)}
    base = [*jiuzhu_command(), "rollup", "--config", str(config), "--format", "json", "--as-of"]
    day = gen.AS_OF
    figures = []

    def run(name: str, as_of: dt.date) -> None:
        seconds, cpu, mb, text = timed([*base, as_of.isoformat()], env)
        check(text, args.registries, args.tasks)
        figures.append((name, seconds, cpu, mb))

    evicted = evict(folder)
    run("cold", day)
    changed = sorted((folder / f"county-{min(7, args.registries - 1):03d}" / "tasks").rglob("*.yaml"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "# 基准测试改动\n", encoding="utf-8")
    run("one changed", day)
    run("nothing changed", day)
    run("another day", day + dt.timedelta(days=1))
    print(f"jiuzhu rollup：{args.registries} 个登记册 × {args.tasks} 个任务"
          f"（{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}）；"
          + ("冷启动前文件已请出页缓存" if evicted else "这个系统不能请出页缓存：冷启动时文件可能还在内存里"))
    for name, seconds, cpu, mb in figures:
        target = TARGETS.get(name)
        verdict = "" if target is None else (" ✓" if seconds <= target else " ✗ 未达标")
        print(f"  {name:16} {seconds:6.1f} s{'' if target is None else f'（目标 ≤ {target:.0f} s）'}"
              f"  CPU {cpu:6.1f} s  峰值内存 {mb:6.0f} MB（目标 ≤ {MEMORY_TARGET_MB} MB）{verdict}")
    cold_cpu = figures[0][2]
    # the same code costs 0.42 s of CPU a registry at the quiet moments of a shared VM and 0.64 s at busy ones
    print(f"  冷启动每个登记册 CPU {cold_cpu / args.registries:.3f} s（同样的代码，机器越忙越多）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
