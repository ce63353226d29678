"""Real processes: concurrent `tasks update` never loses an entry; a killed write never tears a file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from test_tasks import MEETING, M

from jiuzhu.loader import load

ROOT = Path(__file__).resolve().parents[1]
JIUZHU = [sys.executable, "-m", "jiuzhu"]

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from jiuzhu.loader import load
    from jiuzhu.task_writes import Update, update_task
    from jiuzhu.writer import registry_lock
    import datetime as dt

    root, who, start = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    while not start.exists():          # all workers start writing at the same moment
        time.sleep(0.001)
    for i in range(5):
        with registry_lock(root):       # as the CLI does: the lock, then read the registry, then write
            reg = load(root).registry
            update_task(root, reg, Update(sys.argv[4], who, f"{who} 第 {i + 1} 次"), dt.date(2026, 10, 20))
""")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_two_processes_five_updates_each_lose_nothing(make_registry, tmp_path: Path) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    start = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(root), who, str(start), f"{M}-1"], env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for who in ("minzheng", "caizheng")]
    time.sleep(0.5)
    start.touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    log = load(root).registry.tasks[f"{M}-1"].log
    assert len(log) == 10
    assert sorted(e.note for e in log) == sorted(f"{who} 第 {i} 次" for who in ("minzheng", "caizheng")
                                                 for i in range(1, 6))
    for who in ("minzheng", "caizheng"):  # each process's own entries keep their order
        assert [e.note for e in log if e.by == who] == [f"{who} 第 {i} 次" for i in range(1, 6)]


def test_concurrent_cli_processes(make_registry) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    procs = [subprocess.Popen([*JIUZHU, "--registry", str(root), "tasks", "update", f"{M}-2", "--by", who,
                               "--note", f"{who} {i}", "--as-of", "2026-10-20"], env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(3) for who in ("caizheng", "minzheng")]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    log = load(root).registry.tasks[f"{M}-2"].log
    assert sorted(e.note for e in log) == sorted(f"{w} {i}" for i in range(3) for w in ("caizheng", "minzheng"))


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from jiuzhu.atomic import atomic_write

    target, ready = Path(sys.argv[1]), Path(sys.argv[2])
    contents = [b"A" * 8_000_000, b"B" * 8_000_000]
    i = 0
    while True:
        atomic_write(target, contents[i % 2])
        i += 1
        if i == 2:
            ready.touch()
""")


def test_a_killed_writer_leaves_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    target = tmp_path / "big.yaml"
    old = b"old\n" * 1000
    target.write_bytes(old)
    allowed = {old, b"A" * 8_000_000, b"B" * 8_000_000}
    for round_ in range(6):
        ready = tmp_path / f"ready-{round_}"
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(ready)], env=_env())
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.013 * round_)  # kill at a different point of the write loop each round
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        assert p.returncode == -signal.SIGKILL
        assert target.read_bytes() in allowed
    assert {f.name for f in tmp_path.iterdir() if not f.name.startswith((".big.yaml.", "ready-"))} == {"big.yaml"}
