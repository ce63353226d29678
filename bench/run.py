"""Benchmark the real CLI on a synthetic registry, side by side with Taskwarrior.

    python bench/run.py --tasks 10000 [--format table|json] [--keep DIR] [--runs 5]

Every figure is the median wall time of separate `jiuzhu` processes and the peak resident memory
of the largest process (os.wait4: the CLI or, for a cold parse, one of its pool workers). The
parse cache lives in a temporary folder (JIUZHU_CACHE_DIR), so the user's own cache is untouched.
Taskwarrior (Debian package `taskwarrior`, installed with apt-get when missing and allowed) gets
the same tasks, imported from `jiuzhu tasks list --format json`, in a temporary TASKDATA; its
`task overdue` is timed the same way. A command another feature has not shipped yet is reported
as missing, not as a failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen  # noqa: E402

AS_OF = gen.AS_OF.isoformat()


@dataclass
class Figure:
    name: str
    seconds: float | None  # median wall time; None when missing or failed
    rss_mb: float | None  # peak RSS of the largest process
    target: float | None = None
    note: str = ""
    memory_target: float | None = None  # MB (the province-scale target: every command ≤ 1 GB)

    @property
    def ok(self) -> bool | None:
        checks = []
        if self.seconds is not None and self.target is not None:
            checks.append(self.seconds <= self.target)
        if self.rss_mb is not None and self.memory_target is not None:
            checks.append(self.rss_mb <= self.memory_target)
        return all(checks) if checks else None


def jiuzhu_command() -> list[str]:
    """The installed `jiuzhu` beside this Python, else the project's .venv one (`python3
    bench/run.py` after `make test`), else `python -m jiuzhu`."""
    project_venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "jiuzhu"
    for script in (Path(sys.executable).with_name("jiuzhu"), project_venv):
        if script.exists():
            return [str(script)]
    return [sys.executable, "-m", "jiuzhu"]


# GNU time reports the peak memory of the command alone. The process's own figure (os.wait4)
# counts the memory of the process it was forked from, this script, which grows to hundreds of MB
# while it feeds Taskwarrior: every command would then seem as large as the benchmark itself.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def timed(argv: Sequence[str], env: dict[str, str] | None = None, tty: bool = False) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one process, output discarded (`tty`: its
    stdout is a terminal, read as fast as it writes)."""
    if tty:
        master, slave = pty.openpty()
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        command = [GNU_TIME, "-f", "%M", "-o", report.name, *argv] if GNU_TIME else list(argv)
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=slave if tty else subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        kb = int(report.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
    if tty:
        os.close(slave)
        drain.join(5)
        os.close(master)
    return wall, kb / 1024, os.waitstatus_to_exitcode(status)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 1 << 16):
            pass
    except OSError:  # the terminal closed
        pass


def measure(name: str, argv: Sequence[str] | Callable[[int], Sequence[str]], runs: int, target: float | None,
            env: dict[str, str], before: Callable[[], None] | None = None, ok_codes: tuple[int, ...] = (0,),
            tty: bool = False) -> Figure:
    walls, peaks = [], []
    for i in range(runs):
        if before:
            before()
        args = argv(i) if callable(argv) else argv
        wall, rss, code = timed(args, env, tty)
        if code not in ok_codes:
            out = subprocess.run(args, capture_output=True, text=True, env=env)
            detail = (out.stderr or out.stdout).strip()[:200]
            return Figure(name, None, None, target, f"失败（退出码 {code}）：{detail}")
        walls.append(wall)
        peaks.append(rss)
    return Figure(name, statistics.median(walls), max(peaks), target)


def prepare_registry(tasks: int, seed: int, keep: Path | None, work: Path) -> Path:
    out = keep or work / "registry"
    marker = out / ".bench.json"
    import hashlib

    want = {"tasks": tasks, "seed": seed, "generator": hashlib.sha256(Path(gen.__file__).read_bytes()).hexdigest()}
    if marker.is_file() and json.loads(marker.read_text()) == want:
        return out
    started = time.perf_counter()
    gen.generate(out, tasks, seed, progress=sys.stderr.isatty())
    marker.write_text(json.dumps(want))
    print(f"已生成 {tasks} 个任务的登记册：{out}（{time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    return out


def touch_one(root: Path) -> Callable[[], None]:
    """Change one task file (a comment line more or less) before each run."""
    target = sorted((root / "tasks").rglob("*.yaml"))[-1]
    original = target.read_bytes()
    count = [0]

    def change() -> None:
        count[0] += 1
        target.write_bytes(original + f"# bench {count[0]}\n".encode())

    return change


def last_minuted_meeting(root: Path) -> str | None:
    for path in sorted((root / "meetings").rglob("*.yaml"), reverse=True):
        text = path.read_text(encoding="utf-8")
        if "\nminutes:" in text and "\ndecisions:" in text:
            return path.stem
    return None


# --- Taskwarrior ---------------------------------------------------------------------------------

def ensure_taskwarrior(install: bool) -> str | None:
    found = shutil.which("task")
    if found or not install:
        return found
    apt = ["apt-get"] if os.geteuid() == 0 else ["sudo", "-n", "apt-get"]
    print("正在安装 taskwarrior（apt-get）……", file=sys.stderr)
    subprocess.run([*apt, "update", "-qq"], capture_output=True)
    subprocess.run([*apt, "install", "-y", "-qq", "taskwarrior"], capture_output=True)
    return shutil.which("task")


def to_taskwarrior(rows: list[dict[str, object]], shift: dt.timedelta) -> list[dict[str, object]]:
    """jiuzhu tasks -> Taskwarrior import JSON. Due dates move by `shift` (today - as-of), since
    Taskwarrior's overdue report always counts from the real today."""
    def stamp(day: str) -> str:
        return (dt.date.fromisoformat(day) + shift).strftime("%Y%m%dT000000Z")

    out: list[dict[str, object]] = []
    for r in rows:
        done = r["status"] == "已完成"
        t: dict[str, object] = {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, str(r["id"]))),
                                "description": f"{r['id']} {r['text']}", "project": r["lead"],
                                "status": "completed" if done else "pending",
                                "entry": stamp(str(r["meeting_date"]))}
        if r.get("due"):
            t["due"] = stamp(str(r["due"]))
        if done:
            t["end"] = stamp(str(r.get("last_date") or r["meeting_date"]))
        out.append(t)
    return out


TW_RC = ["rc.verbose=nothing", "rc.gc=off", "rc.hooks=off", "rc.confirmation=off", "rc.json.array=on"]


def taskwarrior(cli: list[str], root: Path, work: Path, runs: int, env: dict[str, str],
                install: bool) -> tuple[Figure, int | None]:
    task = ensure_taskwarrior(install)
    if task is None:
        return Figure("Taskwarrior: task overdue", None, None, note="缺少 taskwarrior"), None
    listed = subprocess.run([*cli, "-r", str(root), "tasks", "list", "--format", "json"], capture_output=True,
                            text=True, env=env)
    if listed.returncode != 0:
        return Figure("Taskwarrior: task overdue", None, None, note="jiuzhu tasks list --format json 不可用"), None
    rows = json.loads(listed.stdout)
    data = work / "taskdata"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    rc = work / "taskrc"
    rc.write_text(f"data.location={data}\nnews.version=2.6.2\n", encoding="utf-8")
    tw_env = {**env, "TASKDATA": str(data), "TASKRC": str(rc)}
    shift = dt.date.today() - gen.AS_OF
    (work / "tasks.json").write_text(json.dumps(to_taskwarrior(rows, shift), ensure_ascii=False), encoding="utf-8")
    subprocess.run([task, *TW_RC, "import", str(work / "tasks.json")], capture_output=True, env=tw_env, check=True)
    subprocess.run([task, "rc.verbose=nothing", "rc.gc=on", "rc.confirmation=off", "count"], capture_output=True,
                   env=tw_env)  # settle: completed tasks move to completed.data, as in daily use
    count = subprocess.run([task, *TW_RC, "+OVERDUE", "count"], capture_output=True, text=True, env=tw_env)
    fig = measure("Taskwarrior: task overdue", [task, *TW_RC, "overdue"], runs, None, tw_env, ok_codes=(0, 1))
    return fig, int(count.stdout.strip() or 0)


# --- the run -------------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        mem_gb = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        mem_gb = "?"
    return {"cpu": cpu or "?", "nproc": str(os.cpu_count()), "memory": mem_gb, "python": platform.python_version(),
            "os": platform.platform()}


# The least any run of jiuzhu does before it reads a byte of the registry: start Python, import the
# typer app, list the registry and stat every file (a file changed since the last run must be
# read again; only its stat tells). No answer can come faster than this.
# Each ends as jiuzhu itself does (jiuzhu.cli.main): os._exit, without tearing down what was loaded.
FLOOR = ("import os, sys, jiuzhu.cli; from jiuzhu.listing import registry_paths; "
         "registry_paths(sys.argv[1], stats=[]); os._exit(0)")  # the stat of every file, as the loader takes it
FLOOR_PARTS = (("其中：启动 Python", "import os; os._exit(0)"),
               ("其中：启动 Python、载入命令行", "import os, jiuzhu.cli; os._exit(0)"))


def run(tasks: int, runs: int, seed: int, keep: Path | None, install: bool) -> dict[str, object]:
    cli = jiuzhu_command()
    # Bytecode as a normal install has it: pip compiles on install, but an editable install under
    # PYTHONDONTWRITEBYTECODE (set on some CI machines) would recompile every module on every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "jiuzhu")],
                   check=False, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="jiuzhu-bench-") as tmp:
        work = Path(tmp)
        root = prepare_registry(tasks, seed, keep, work)
        cache = work / "cache"
        env = {**os.environ, "JIUZHU_CACHE_DIR": str(cache)}
        env.pop("JIUZHU_REGISTRY", None)
        reg = [*cli, "-r", str(root)]
        figures: list[Figure] = []

        def clear_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        county = tasks <= 10_000  # the targets: at 10k tasks times; above, ≤ 3 s overdue and 1 GB

        def only(seconds: float) -> float | None:
            return seconds if county else None

        # Every timed run is on the real path: one task file changed just before it and a date not
        # asked before, so nothing a run computed can serve the next (docs/performance.md).
        change = touch_one(root)
        days = iter(range(1, 10_000))

        def fresh(*words: str) -> Callable[[int], list[str]]:
            return lambda i: [*reg, *words, "--as-of", (gen.AS_OF + dt.timedelta(days=next(days))).isoformat()]

        figures.append(measure("jiuzhu --help", [*cli, "--help"], max(runs, 10), 0.1, env))
        figures.append(measure("tasks overdue --help", [*cli, "tasks", "overdue", "--help"], max(runs, 10), 0.15, env))
        validate = fresh("validate")
        figures.append(measure("validate（冷：缓存为空）", validate, max(1, min(runs, 5)), only(3.0), env, clear_cache))
        figures.append(measure("validate（改动一个文件后）", validate, runs, only(0.6), env, change))
        tw, tw_overdue = taskwarrior(cli, root, work, runs, env, install)
        limit = tw.seconds if county and tw.seconds else (3.0 if not county else None)
        overdue = fresh("tasks", "overdue")
        figures.append(measure("tasks overdue（表格，管道）", overdue, runs, limit, env, change))
        figures.append(measure("tasks overdue（表格，终端）", overdue, runs, limit, env, change, tty=True))
        figures.append(measure("tasks overdue（JSON）", lambda i: [*overdue(i), "--format", "json"], runs, limit, env,
                               change))
        floor = measure("下限：启动、列出并 stat 每个文件", [sys.executable, "-c", FLOOR, str(root)], runs, None, env)
        floor.note = "不读任何文件内容"
        figures.append(floor)
        for name, code in FLOOR_PARTS:
            figures.append(measure(name, [sys.executable, "-c", code], max(runs, 10), None, env))
        meeting = last_minuted_meeting(root)
        if meeting:
            render = [*reg, "minutes", "render", meeting, "--format", "md"]
            figures.append(measure("minutes render（一次会议，md）", render, runs, None, env, change))
        text = "进一步规范城乡低保审核审批程序，开展专项检查"
        figures.append(measure("assign", [*reg, "assign", text], runs, 0.2, env))
        figures.append(tw)
        overdue_figures = [f for f in figures if f.name.startswith("tasks overdue（")]
        ratios = {f.name: f.seconds / tw.seconds for f in overdue_figures if f.seconds and tw.seconds}
        ratio = max(ratios.values()) if ratios else None
        for f in figures:
            if not county and not f.name.startswith("Taskwarrior"):
                f.memory_target = 500
        files = sum(1 for _ in root.rglob("*.yaml"))
        return {"tasks": tasks, "files": files, "runs": runs, "machine": machine(), "figures": figures,
                "taskwarrior_overdue_tasks": tw_overdue, "ratio_jiuzhu_to_taskwarrior": ratio,
                "ratios": ratios,
                "floor_to_taskwarrior": floor.seconds / tw.seconds if floor.seconds and tw.seconds else None}


def print_table(result: dict[str, object]) -> None:
    m = result["machine"]
    assert isinstance(m, dict)
    print(f"jiuzhu 性能测试：{result['tasks']} 个任务，{result['files']} 个 YAML 文件，"
          f"每项取 {result['runs']} 次中位数")
    print(f"机器：{m['cpu']}，{m['nproc']} 核，内存 {m['memory']}，Python {m['python']}")
    print()
    print(f"{'项目':<32}{'中位时间':>10}{'峰值内存':>12}{'目标':>16}  结果")
    figures = result["figures"]
    assert isinstance(figures, list)
    for f in figures:
        secs = f"{f.seconds:.3f} s" if f.seconds is not None else "—"
        rss = f"{f.rss_mb:.0f} MB" if f.rss_mb is not None else "—"
        target = " ".join([*([f"≤{f.target:g} s"] if f.target is not None else []),
                           *([f"≤{f.memory_target:g} MB"] if f.memory_target is not None else [])])
        verdict = {True: "达标", False: "未达标", None: ""}[f.ok] + (f"  {f.note}" if f.note else "")
        print(f"{_pad(f.name, 32)}{secs:>10}{rss:>12}{target:>16}  {verdict}")
    ratios = result["ratios"]
    print()
    if isinstance(ratios, dict) and ratios:
        for name, value in ratios.items():
            print(f"{name} / Taskwarrior task overdue = {value:.2f}")
        print(f"（Taskwarrior 逾期任务 {result['taskwarrior_overdue_tasks']} 个；目标 ≤ 1.0）")
        floor = result.get("floor_to_taskwarrior")
        if isinstance(floor, float):
            print(f"下限（启动、列出并 stat 每个文件）/ Taskwarrior task overdue = {floor:.2f}")
    else:
        print("jiuzhu / Taskwarrior：无法比较（见上表说明）")


def _pad(text: str, width: int) -> str:
    """Left-justify counting CJK characters as two columns."""
    cols = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
    return text + " " * max(1, width - cols)


def _in_project_venv() -> None:
    """`python bench/run.py` with a Python that lacks jiuzhu's packages (the system's, after
    `make test` installed them in .venv): start again with the project's .venv Python."""
    import importlib.util

    venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"
    if importlib.util.find_spec("ruamel") is None and venv.exists() and Path(sys.executable) != venv:
        os.execv(venv, [str(venv), str(Path(__file__).resolve()), *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jiuzhu 性能测试（与 Taskwarrior 对照）")
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--format", choices=("table", "json"), default="table")
    ap.add_argument("--keep", type=Path, help="把生成的登记册放在（或复用）这个目录")
    ap.add_argument("--runs", type=int, default=5, help="每项运行次数（取中位数）")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-install", action="store_true", help="缺少 taskwarrior 时不用 apt-get 安装")
    args = ap.parse_args(argv)
    result = run(args.tasks, args.runs, args.seed, args.keep, not args.no_install)
    if args.format == "json":
        out = {**result, "figures": [{**asdict(f), "ok": f.ok} for f in result["figures"]]}  # type: ignore[attr-defined]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    _in_project_venv()
    sys.exit(main())
