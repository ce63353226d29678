"""How fast `jiuzhu assign` answers: the CLI as a separate process and `suggest()` in process.

    python bench/assign_speed.py [--runs N] [--registry DIR] [TEXT]

Prints the median and the slowest of N runs of `jiuzhu assign TEXT --format json` (a fresh Python
process each time: start-up, loading the registry, building the index, answering), then the time
to build the index once and the median time of `suggest()` on an already indexed registry.
Target: at most 0.2 s per CLI call (issue 19).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = "由县民政局牵头，会同财政局完善低保标准动态调整机制"
TEXTS = [TEXT, "做好困难群众医疗救助一站式结算", "推进居民家庭经济状况核对信息共享", "落实贫困群众税收减免政策"]


def cli_times(registry: Path, text: str, runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("jiuzhu")
    cmd = [str(exe), "--registry", str(registry), "assign", text, "--format", "json"]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        out.append(time.perf_counter() - start)
    return out


def core_times(registry: Path, runs: int) -> tuple[float, float, list[float]]:
    from jiuzhu.assign import suggest
    from jiuzhu.loader import load

    start = time.perf_counter()
    reg = load(registry).registry
    loaded = time.perf_counter()
    suggest(reg, TEXT)  # builds the index
    first = time.perf_counter()
    out = []
    for i in range(runs):
        start_i = time.perf_counter()
        suggest(reg, TEXTS[i % len(TEXTS)])
        out.append(time.perf_counter() - start_i)
    return loaded - start, first - loaded, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("text", nargs="?", default=TEXT)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--registry", default=str(ROOT / "registry"))
    args = ap.parse_args(argv)
    registry = Path(args.registry)
    cli = cli_times(registry, args.text, args.runs)
    load_s, first_s, core = core_times(registry, max(args.runs, 100))
    print(f"jiuzhu assign（独立进程，{len(cli)} 次）：中位数 {statistics.median(cli) * 1000:.0f} ms，"
          f"最慢 {max(cli) * 1000:.0f} ms（目标 ≤ 200 ms）")
    print(f"进程内：载入登记册 {load_s * 1000:.0f} ms，首次 suggest（含建索引）{first_s * 1000:.1f} ms，"
          f"之后每次 suggest 中位数 {statistics.median(core) * 1000:.2f} ms（{len(core)} 次）")
    return 0 if statistics.median(cli) <= 0.2 else 1


if __name__ == "__main__":
    sys.exit(main())
