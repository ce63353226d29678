"""The caches (jiuzhu.cache, jiuzhu.files, jiuzhu.launch) never make jiuzhu print anything other
than `--no-cache` would: adversarial cases found in review."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from test_cache import _generated

from jiuzhu.loader import load

AS_OF = "2026-11-26"
PHONE = "联系人 张三 电话 13912345678\n"
MASKED = "联系人 张三 电话 XXXXXXXXXXX\n"  # same size, no personal data


pytestmark = pytest.mark.usefixtures("settled_sources", "cache_dir")


def _age(path: Path, seconds: int = 60) -> None:
    past = time.time() - seconds
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (past, past), follow_symlinks=False)


def _same(jz: Any, root: Path, *args: str) -> Any:
    """Run with the cache and with --no-cache: the same output and exit code."""
    cached = jz(root, *args)
    plain = jz(root, "--no-cache", *args)
    assert (cached.output, cached.exit_code) == (plain.output, plain.exit_code)
    return cached


@pytest.mark.parametrize("name", ["notes.txt", "extra.yaml", "units/readme.md"])
def test_files_the_loader_does_not_read_still_count_for_validate(name: str, jz: Any, make_registry: Any) -> None:
    """validate scans every file of the registry for personal data, not only those it loads: an
    edit of a note (or of a YAML file of no known kind) reaches it through both memos."""
    root = make_registry({name: PHONE})
    _age(root)
    first = _same(jz, root, "validate", "--as-of", AS_OF)
    assert first.exit_code == 1 and "139****5678" in first.output
    _same(jz, root, "validate", "--as-of", AS_OF)  # from the stat memo
    (root / name).write_text(MASKED, encoding="utf-8")
    _age(root / name, 30)  # same size, another (old) mtime: the stat key changes, the content memo is asked
    assert _same(jz, root, "validate", "--as-of", AS_OF).exit_code == 0
    _same(jz, root, "validate", "--as-of", AS_OF)
    (root / name).write_text(PHONE, encoding="utf-8")  # a note written just now: racy
    assert _same(jz, root, "validate", "--as-of", AS_OF).exit_code == 1


def test_new_note_counts_for_validate(jz: Any, make_registry: Any) -> None:
    root = make_registry()
    _age(root)
    assert _same(jz, root, "validate", "--as-of", AS_OF).exit_code == 0
    _same(jz, root, "validate", "--as-of", AS_OF)
    (root / "notes.txt").write_text(PHONE, encoding="utf-8")
    _age(root / "notes.txt")
    assert _same(jz, root, "validate", "--as-of", AS_OF).exit_code == 1


def test_dangling_link_in_templates_is_not_an_error(jz: Any, make_registry: Any) -> None:
    root = make_registry()
    (root / "templates").mkdir()
    (root / "templates" / "gone.md.j2").symlink_to(root / "nowhere")
    assert _same(jz, root, "validate", "--as-of", AS_OF).exit_code == 0
    _same(jz, root, "validate", "--as-of", AS_OF)


def test_replayed_query_follows_the_output_environment(jz: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """FORCE_COLOR makes rich colour output to a pipe: a replay recorded without it (or with it)
    must not answer the other."""
    root = _generated(tmp_path, 30)
    args = ("tasks", "overdue", "--as-of", "2027-02-01")
    plain = _same(jz, root, *args)
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = _same(jz, root, *args)
    assert "\x1b[" in coloured.output and "\x1b[" not in plain.output
    monkeypatch.delenv("FORCE_COLOR")
    _same(jz, root, *args)


def test_launch_follows_a_relinked_registry(tmp_path: Path) -> None:
    """A recorded invocation through a link to a registry answers for the registry the link points
    to now, not the one it pointed to then."""
    root = _generated(tmp_path, 30)
    other = tmp_path / "other"
    other.mkdir()
    for p in root.iterdir():
        if p.name != "tasks":
            os.symlink(p, other / p.name)  # the same registry without its progress files
    link = tmp_path / "link"
    link.symlink_to(root)
    _age(root)
    newest = max(p.stat().st_mtime for p in (ROOT / "jiuzhu").rglob("*.py"))
    time.sleep(max(0.0, newest + 2.5 - time.time()))  # a source just edited: wait till it is settled
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "launch-cache")}
    code = "import sys\nsys.argv = ['jiuzhu', *sys.argv[1:]]\nfrom jiuzhu.launch import main\nmain()\n"

    def run(*more: str) -> tuple[str, int]:
        args = [sys.executable, "-c", code, "--registry", "link", *more, "tasks", "overdue", "--as-of", "2027-02-01"]
        done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
        return done.stdout, done.returncode

    first = run()
    assert run() == first == run("--no-cache")
    link.unlink()
    link.symlink_to(other)
    assert run() == run("--no-cache") != first


@pytest.mark.parametrize("which", ["pack", "memo", "fast", "invocations"])
def test_cache_file_name_taken_by_a_folder_is_not_an_error(which: str, jz: Any, make_registry: Any,
                                                           cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """atomic_write refuses to replace what is not a file: for a cache file that costs speed only."""
    from jiuzhu import launch
    from jiuzhu.cache import pack_path
    from jiuzhu.files import Scan

    root = make_registry()
    _age(root)
    pack = pack_path(root)
    taken = {"pack": pack, "memo": pack.with_suffix(".memo"), "fast": Scan(root).memo_path("tasks overdue"),
             "invocations": cache_dir / "invocations"}[which]
    taken.mkdir(parents=True)
    monkeypatch.setattr(launch, "ARGV", ["tasks", "overdue", "--as-of", AS_OF])  # as if started as `jiuzhu`
    for _ in range(2):
        assert _same(jz, root, "tasks", "overdue", "--as-of", AS_OF).exit_code == 0
        assert _same(jz, root, "validate", "--as-of", AS_OF).exit_code == 0
    assert taken.is_dir()


def test_replayed_query_follows_the_output_encoding(tmp_path: Path) -> None:
    """rich draws tables in ASCII for a stdout that is not UTF (a pipe on Chinese Windows is GBK):
    the replay is recorded for the encoding it was printed for."""
    from typer.testing import CliRunner

    from jiuzhu.cli import app

    root = _generated(tmp_path, 30)
    args = ["--registry", str(root), "tasks", "overdue", "--as-of", "2027-02-01"]
    outputs = {}
    for charset in ("gbk", "utf-8", "gbk"):
        runner = CliRunner(charset=charset)
        cached, plain = runner.invoke(app, args), runner.invoke(app, ["--no-cache", *args])
        assert (cached.output, cached.exit_code) == (plain.output, plain.exit_code)
        outputs[charset] = cached.output
    assert "+-" in outputs["gbk"] and "+-" not in outputs["utf-8"]


def test_a_changed_mode_is_not_taken_as_unchanged(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 leaves size, mtime and inode as they were, but makes the file unreadable: --no-cache
    then fails to read it. Its ctime changed: neither the pack nor the stat memo takes it as unchanged
    (as root a chmod does not stop reading: the file is read again, which is what is checked)."""
    from jiuzhu import cache
    from jiuzhu.files import Scan

    root = make_registry()
    _age(root)
    calls: list[str] = []
    compute = lambda parser: (calls.append("x"), load(root, parser=parser).problems)[1]  # noqa: E731
    first = cache.cached(root, "validate", (AS_OF,), compute)
    assert cache.cached(root, "validate", (AS_OF,), compute) == first and len(calls) == 1
    unit = root / "units" / "caizheng.yaml"
    before = os.stat(unit)
    time.sleep(0.01)
    unit.chmod(0)
    try:
        assert os.stat(unit)[6:9] == before[6:9] and os.stat(unit).st_ino == before.st_ino
        assert Scan(root).recall("validate", (AS_OF,)) == (False, None)
        read: list[str] = []
        real = cache.digest
        parser = cache.ParseCache(root)
        monkeypatch.setattr(cache, "digest", lambda raw: (read.append("x"), real(raw))[1])
        parser.prepare([(rel, root / rel) for rel in ("units/caizheng.yaml", "units/minzheng.yaml")])
        assert read == ["x"]  # the changed mode only: read again, not taken from the pack
    finally:
        unit.chmod(0o644)



def test_invocation_key_does_not_depend_on_other_references(monkeypatch: pytest.MonkeyPatch) -> None:
    """marshal marks objects referenced elsewhere (version 3 and later): the key of an invocation taken
    at start-up and the one recorded once the CLI has run must be the same bytes."""
    from jiuzhu import launch

    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    fresh = launch.invocation_key(["".join(["ta", "sks"]), "".join(["over", "due"])])
    words = ["tasks", "overdue"]
    held = [words[0], words[0], words[1], words[1]]  # noqa: F841  (more references, as typer's)
    assert launch.invocation_key(words) == fresh


@pytest.mark.parametrize("pool", [False, True])
def test_a_full_cache_folder_while_spilling_is_not_an_error(pool: bool, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold run spills its entries to disk as they come: the disk filling up meanwhile costs
    speed (the entries stay in memory), never the load."""
    import errno

    from test_cache import _snapshot

    from jiuzhu import cache

    monkeypatch.setattr(cache, "SPILL_THRESHOLD", 1)
    monkeypatch.setattr(cache, "POOL_THRESHOLD", 10 if pool else 10**9)
    root = _generated(tmp_path, 60)
    expected = _snapshot(load(root))
    real = cache.ParseCache._open_spill

    class Full:
        def __init__(self, fh: Any) -> None:
            self.fh, self.left = fh, 20

        def write(self, data: bytes) -> int:
            self.left -= 1
            if self.left < 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.fh.write(data)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.fh, name)

    monkeypatch.setattr(cache.ParseCache, "_open_spill", lambda self: (lambda fh: fh and Full(fh))(real(self)))
    assert _snapshot(load(root, parser=cache.ParseCache(root))) == expected
    monkeypatch.setattr(cache.ParseCache, "_open_spill", real)
    assert _snapshot(load(root, parser=cache.ParseCache(root))) == expected
    assert list(cache.pack_path(root).parent.glob("*.spill")) == []


def test_a_terminal_that_hides_its_size_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The output environment (part of every replay key) asks the terminal its size; one that will
    not say costs the replay, never the command."""
    from jiuzhu import launch

    def refuse(*_: Any) -> os.terminal_size:
        raise OSError("not a terminal after all")

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(os, "get_terminal_size", refuse)
    env = dict(launch.output_env())
    assert env["tty"].startswith("True|") and env["tty"].endswith("|?")
    assert launch.invocation_key(["tasks", "overdue"]) is not None
