"""Writing commands run 10 at a time, as real processes: every write is kept, every id and number
is drawn once (each command holds the registry's lock from before it reads until it has written)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, tree_hash

from jiuzhu.loader import load
from jiuzhu.writer import registry_lock

TODAY = "2026-10-20"


def _together(root: Path, commands: list[list[str]], tmp_path: Path) -> list[subprocess.CompletedProcess[str]]:
    """Run the commands at the same moment, each as its own `python -m jiuzhu` process."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    go = tmp_path / "go"
    starter = ("import os, sys, time, runpy\n"
               "deadline = time.monotonic() + 60\n"
               "while not os.path.exists(sys.argv[1]):\n"
               "    if time.monotonic() > deadline: sys.exit('never started')\n"
               "    time.sleep(0.001)\n"
               "sys.argv = ['jiuzhu', *sys.argv[2:]]\n"
               "runpy.run_module('jiuzhu', run_name='__main__')\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIUZHU_TODAY": TODAY, "JIUZHU_CACHE_DIR": str(tmp_path / "cache")}
    procs = [subprocess.Popen([sys.executable, "-c", starter, str(go), "-r", str(root), *args], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for args in commands]
    try:
        time.sleep(0.5)
        go.touch()
        done = []
        for p, args in zip(procs, commands, strict=True):
            out, err = p.communicate(timeout=300)
            done.append(subprocess.CompletedProcess(args, p.returncode, out, err))
        return done
    finally:
        for p in procs:  # none outlives the test, whatever happened
            if p.poll() is None:
                p.kill()


def _meeting(jz, root: Path) -> str:  # type: ignore[no-untyped-def]
    made = jz(root, "meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--format", "json")
    assert made.exit_code == 0, made.output
    return str(json.loads(made.output)["id"])


def test_ten_decisions_added_at_once_are_all_kept_with_distinct_ids(make_registry, jz, tmp_path) -> None:
    root = make_registry()
    mid = _meeting(jz, root)
    runs = _together(root, [["decision", "add", mid, "--text", f"第 {i} 项议定事项", "--lead", "minzheng",
                             "--due", "2026-12-31"] for i in range(10)], tmp_path)
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    decisions = load(root).registry.meetings[mid].decisions
    assert sorted(d.text for d in decisions) == sorted(f"第 {i} 项议定事项" for i in range(10))
    assert len({d.id for d in decisions}) == 10


def test_ten_units_recorded_at_once_are_all_kept(make_registry, jz, tmp_path) -> None:
    extra = {f"units/u{i}.yaml": f"id: u{i}\nname: 县第{i}局\nkind: government\norder: {i + 10}\n" for i in range(8)}
    root = make_registry(extra)
    mid = _meeting(jz, root)
    units = ["minzheng", "caizheng", *(f"u{i}" for i in range(8))]
    runs = _together(root, [["meeting", "attend", mid, "--unit", u, "--attended"] for u in units], tmp_path)
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    assert sorted(a.unit for a in load(root).registry.meetings[mid].attended) == sorted(units)


def test_ten_proposals_and_their_reviews_at_once(make_registry, tmp_path) -> None:
    root = make_registry()
    runs = _together(root, [["proposal", "new", "--unit", "minzheng", "--title", f"议题{i}", "--date", "2026-09-01",
                             "--format", "json"] for i in range(10)], tmp_path / "a")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    ids = [json.loads(r.stdout)["id"] for r in runs]
    assert len(set(ids)) == 10 and len(load(root).registry.proposals) == 10
    runs = _together(root, [["proposal", "review", p, "--pass", "--opinion", f"同意{i}", "--date", "2026-09-02"]
                            for i, p in enumerate(ids)], tmp_path / "b")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    reg = load(root).registry
    assert all(reg.proposals[p].history[-1].opinion == f"同意{i}" for i, p in enumerate(ids))


def test_minutes_of_two_meetings_issued_at_once_get_two_numbers(make_registry, jz, tmp_path) -> None:
    root = make_registry()
    meetings = []
    for day in ("2026-09-22", "2026-09-23"):
        made = jz(root, "meeting", "new", "--kind", "adhoc", "--date", day, "--format", "json")
        meetings.append(json.loads(made.output)["id"])
        added = jz(root, "decision", "add", meetings[-1], "--text", "完善低保资金发放机制", "--lead", "minzheng",
                   "--due", "2026-12-31")
        assert added.exit_code == 0, added.output
        assert jz(root, "meeting", "attend", meetings[-1], "--rest", "--attended").exit_code == 0
    runs = _together(root, [["minutes", "issue", m, "--date", "2026-09-25"] for m in meetings], tmp_path)
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    numbers = sorted(load(root).registry.meetings[m].minutes.number for m in meetings)  # type: ignore[union-attr]
    assert numbers == [1, 2]


def test_a_writer_waits_for_the_lock_and_then_sees_the_other_write(make_registry, jz, tmp_path) -> None:
    """While another process holds the lock, a command waits; it then works on fresh data."""
    root = make_registry()
    mid = _meeting(jz, root)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from jiuzhu.writer import registry_lock\n"
        "with registry_lock(Path(sys.argv[1])):\n"
        "    Path(sys.argv[2]).touch(); time.sleep(1.5)\n"), str(root), str(tmp_path / "held")],
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    while not (tmp_path / "held").exists():
        time.sleep(0.01)
    started = time.monotonic()
    added = jz(root, "decision", "add", mid, "--text", "等锁之后添加", "--lead", "minzheng", "--due", "2026-12-31")
    assert added.exit_code == 0, added.output
    assert time.monotonic() - started > 0.5
    holder.wait(timeout=30)


def test_a_write_outside_the_lock_is_a_bug(make_registry) -> None:
    from jiuzhu.writer import Transaction

    root = make_registry()
    with pytest.raises(RuntimeError, match="outside registry_lock"):
        Transaction(root)
    with registry_lock(root), registry_lock(root):  # re-entrant
        Transaction(root)


# --- a command killed midway: the registry is fully before or fully after ----------------------------

KILL_AT = """
import os, runpy, sys
from jiuzhu import writer
step, seen = int(sys.argv[1]), [0]
def hook(path):
    if seen[0] == step:
        os._exit(9)  # as if killed: no cleanup of any kind
    seen[0] += 1
writer._before_replace = hook
sys.argv = ["jiuzhu", *sys.argv[2:]]
runpy.run_module("jiuzhu", run_name="__main__")
"""


def _state(root: Path) -> tuple[int, list[str]]:
    reg = load(root, use_cache=False).registry
    return len(reg.meetings), sorted(p.status for p in reg.proposals.values())


@pytest.mark.parametrize("step", [0, 1, 2])
def test_a_meeting_killed_at_each_replace_is_completed_by_the_next_writer(step, make_registry, jz, tmp_path) -> None:
    from cycle_helpers import approved

    root = make_registry()
    for title in ("关于提高城乡低保标准的议题", "关于加强救助资金监管的议题"):
        approved(jz, root, title=title)
    before = _state(root)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIUZHU_TODAY": TODAY, "JIUZHU_CACHE_DIR": str(tmp_path / "c")}
    killed = subprocess.run([sys.executable, "-c", KILL_AT, str(step), "-r", str(root), "meeting", "new", "--kind",
                             "regular", "--date", "2026-09-22"], env=env, capture_output=True, text=True)
    assert killed.returncode == 9
    half = jz(root, "validate", "--as-of", "2026-11-26")
    assert half.exit_code == 1 and "unfinished-write" in half.output  # validate sees the half-applied change
    again = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "另一个议题", "--date", "2026-09-23")
    assert again.exit_code == 0, again.output  # the next writer completed the meeting first
    meetings, statuses = _state(root)
    assert (meetings, statuses) == (before[0] + 1, sorted(["已上会", "已上会", "待初审"]))
    assert not list(root.rglob("*.tmp")) and not (root / ".jiuzhu-journal.json").exists()


def test_a_change_killed_before_it_was_ready_is_undone(make_registry) -> None:
    from jiuzhu import writer

    root = make_registry()
    before = tree_hash(root)
    target = root / "units" / "caizheng.yaml"
    tmp = target.parent / ".caizheng.yaml.0badc0de.tmp"
    tmp.write_text("id: caizheng\nname: 半截\n", encoding="utf-8")
    writer._journal(root, "preparing", [(tmp, target)])
    with registry_lock(root):  # any writer: the change is undone
        pass
    assert tree_hash(root) == before and not tmp.exists()


def test_ten_meetings_progress_reports_and_briefings_at_once(make_registry, jz, tmp_path) -> None:
    root = make_registry()
    runs = _together(root, [["meeting", "new", "--kind", "adhoc", "--date", "2026-09-22", "--format", "json"]
                            for _ in range(10)], tmp_path / "m")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    ids = {json.loads(r.stdout)["id"] for r in runs}
    assert len(ids) == 10 and len(load(root).registry.meetings) == 10
    mid = sorted(ids)[0]
    added = jz(root, "decision", "add", mid, "--text", "完善低保资金发放机制", "--lead", "minzheng", "--due",
               "2026-12-31")
    assert added.exit_code == 0, added.output
    runs = _together(root, [["tasks", "update", f"{mid}-1", "--by", "minzheng", "--note", f"第 {i} 次进展",
                             "--date", "2026-10-01"] for i in range(10)], tmp_path / "t")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    notes = sorted(e.note for e in load(root).registry.tasks[f"{mid}-1"].log)
    assert notes == sorted(f"第 {i} 次进展" for i in range(10))
    runs = _together(root, [["briefing", "render", "--issue", "--date", "2026-10-20", "-o",
                             str(tmp_path / f"简报{i}.md")] for i in range(10)], tmp_path / "b")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    numbers = sorted(b.number for b in load(root).registry.system.briefings)  # type: ignore[union-attr]
    assert numbers == list(range(1, 11))


@pytest.mark.parametrize("step", [0, 1, 2])
def test_minutes_issue_killed_at_each_replace_is_completed_by_the_next_writer(step, make_registry, jz,
                                                                           tmp_path) -> None:
    from cycle_helpers import approved

    root = make_registry()
    for title in ("关于提高城乡低保标准的议题", "关于加强救助资金监管的议题"):
        approved(jz, root, title=title)
    mid = _meeting(jz, root)
    added = jz(root, "decision", "add", mid, "--text", "完善低保资金发放机制", "--lead", "minzheng", "--due",
               "2026-12-31")
    assert added.exit_code == 0, added.output
    assert jz(root, "meeting", "attend", mid, "--rest", "--attended").exit_code == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIUZHU_TODAY": TODAY, "JIUZHU_CACHE_DIR": str(tmp_path / "c")}
    killed = subprocess.run([sys.executable, "-c", KILL_AT, str(step), "-r", str(root), "minutes", "issue", mid,
                             "--date", "2026-09-25"], env=env, capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    assert "unfinished-write" in jz(root, "validate", "--as-of", "2026-11-26").output
    again = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "另一个议题", "--date", "2026-09-26")
    assert again.exit_code == 0, again.output
    reg = load(root, use_cache=False).registry
    assert reg.meetings[mid].minutes is not None
    assert sorted(p.status for p in reg.proposals.values()) == ["已议定", "已议定", "待初审"]
    assert not list(root.rglob("*.tmp"))


EIGHT_UNITS = {f"units/u{i}.yaml": f"id: u{i}\nname: 县第{i}局\nkind: government\norder: {i + 10}\n"
               f"duties:\n  - {{id: u{i}-1, text: 负责第{i}项工作。, role: lead}}\n" for i in range(8)}


def test_ten_approvals_and_ten_renames_at_once(make_registry, jz, tmp_path) -> None:
    from cycle_helpers import ok, proposal

    root = make_registry(EIGHT_UNITS)
    ids = [proposal(jz, root, "minzheng", f"议题{i}", "2026-09-01") for i in range(10)]
    for p in ids:
        ok(jz, root, "proposal", "review", p, "--pass", "--opinion", "同意", "--date", "2026-09-02")
    runs = _together(root, [["proposal", "approve", p, "--date", "2026-09-03"] for p in ids], tmp_path / "a")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    assert all(p.status == "已审定" for p in load(root).registry.proposals.values())
    units = [f"u{i}" for i in range(8)] + ["minzheng", "caizheng"]
    runs = _together(root, [["units", "rename", u, "--name", f"县新{u}局", "--date", "2026-10-01"] for u in units],
                     tmp_path / "r")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    reg = load(root).registry
    assert [reg.units[u].name for u in units] == [f"县新{u}局" for u in units]


@pytest.mark.parametrize("step", [0, 1, 2])
@pytest.mark.parametrize("command", [["units", "merge", "u0", "u1", "--into", "u2"],
                                     ["units", "dissolve", "u0", "--duties-to", "u1"],
                                     ["units", "split", "s0", "--into", "u1", "--into", "u2",
                                      "--duty", "s0-1=u1", "--duty", "s0-2=u2"],
                                     ["duties", "move", "u0-1", "--to", "u1"]])
def test_a_reorganisation_killed_at_each_replace_is_completed(command, step, make_registry, jz, tmp_path) -> None:
    split_me = {"units/s0.yaml": "id: s0\nname: 县拆分局\nkind: government\norder: 30\nduties:\n"
                                 "  - {id: s0-1, text: 负责甲项工作。, role: lead}\n"
                                 "  - {id: s0-2, text: 负责乙项工作。, role: lead}\n"}
    root = make_registry({**EIGHT_UNITS, **split_me})
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIUZHU_TODAY": TODAY, "JIUZHU_CACHE_DIR": str(tmp_path / "c")}
    whole = tmp_path / "whole"
    subprocess.run(["cp", "-r", str(root), str(whole)], check=True)
    done = jz(whole, *command, "--date", "2026-10-01")
    assert done.exit_code == 0, done.output
    killed = subprocess.run([sys.executable, "-c", KILL_AT, str(step), "-r", str(root), *command, "--date",
                             "2026-10-01"], env=env, capture_output=True, text=True)
    if killed.returncode == 0:  # fewer files than this step: nothing to kill
        return
    assert killed.returncode == 9, killed.stderr
    again = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "议题", "--date", "2026-10-02")
    assert again.exit_code == 0, again.output
    for rel in ("units/u0.yaml", "units/u1.yaml", "units/u2.yaml", "units/s0.yaml"):  # as the uninterrupted run
        assert (root / rel).read_bytes() == (whole / rel).read_bytes(), rel
    assert not list(root.rglob("*.tmp"))


def test_ten_resubmissions_reassignments_and_new_units_at_once(make_registry, jz, tmp_path) -> None:
    from cycle_helpers import ok, proposal

    root = make_registry(EIGHT_UNITS)
    ids = [proposal(jz, root, "minzheng", f"议题{i}", "2026-09-01") for i in range(10)]
    for p in ids:
        ok(jz, root, "proposal", "review", p, "--return", "--opinion", "请补充", "--date", "2026-09-02")
    runs = _together(root, [["proposal", "resubmit", p, "--note", f"已补充{i}", "--date", "2026-09-03"]
                            for i, p in enumerate(ids)], tmp_path / "s")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    assert all(p.status == "待初审" for p in load(root).registry.proposals.values())
    mid = _meeting(jz, root)
    for i in range(10):
        ok(jz, root, "decision", "add", mid, "--text", f"事项{i}", "--lead", "minzheng", "--due", "2026-12-31")
    leads = [f"u{i % 8}" for i in range(10)]
    runs = _together(root, [["tasks", "reassign", f"{mid}-{i + 1}", "--lead", leads[i], "--reason", "分工调整",
                             "--decided-by", "总召集人", "--date", "2026-10-01"] for i in range(10)], tmp_path / "r")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    tasks = load(root).registry.tasks
    assert [tasks[f"{mid}-{i + 1}"].reassignments[-1].lead for i in range(10)] == leads
    runs = _together(root, [["units", "add", f"n{i}", "--name", f"县新设{i}局", "--date", "2026-10-02"]
                            for i in range(10)], tmp_path / "u")
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs if r.returncode]
    units = load(root).registry.units
    assert all(f"n{i}" in units for i in range(10)) and len({u.order for u in units.values()}) == len(units)


def test_a_single_file_write_killed_midway_leaves_nothing_behind(make_registry, jz, tmp_path) -> None:
    from cycle_helpers import proposal

    root = make_registry()
    pid = proposal(jz, root, "minzheng", "议题", "2026-09-01")
    note = root / "units" / ".notes.tmp"  # not jiuzhu's: kept
    note.write_text("自己的笔记\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIUZHU_TODAY": TODAY, "JIUZHU_CACHE_DIR": str(tmp_path / "c")}
    killed = subprocess.run([sys.executable, "-c", KILL_AT, "0", "-r", str(root), "proposal", "review", pid,
                             "--pass", "--opinion", "同意", "--date", "2026-09-02"], env=env, capture_output=True,
                            text=True)
    assert killed.returncode == 9, killed.stderr
    done = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "议题", "--date", "2026-10-02")
    assert done.exit_code == 0, done.output
    assert not [p for p in root.rglob("*.tmp") if p != note] and note.exists()
    assert load(root).registry.proposals[pid].history[-1].opinion == "同意"
