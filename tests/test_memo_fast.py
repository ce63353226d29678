"""The stat memo (jiuzhu.files): a warm query is replayed from a stat of each file, and never when a
file, a template, the query's options or jiuzhu itself may have changed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, bench_gen

from jiuzhu import cache, files
from jiuzhu.files import Scan

AS_OF = "2026-11-26"
UNIT = "units/caizheng.yaml"


pytestmark = pytest.mark.usefixtures("settled_sources", "cache_dir")  # one test checks the rule for sources on its own


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The registries whose pack was opened (the content-hash path), in order."""
    seen: list[Path] = []

    class Counting(cache.ParseCache):
        def __init__(self, root: Path, *args: Any, **kw: Any) -> None:
            seen.append(root)
            super().__init__(root, *args, **kw)

    monkeypatch.setattr(cache, "ParseCache", Counting)
    return seen


def _age(root: Path, seconds: int = 60) -> None:
    """Files written by a test are 'racily clean' for two seconds; make them older."""
    past = time.time() - seconds
    for p in [root, *root.rglob("*")]:
        os.utime(p, (past, past))


def _fast_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*.fast"))


# `jiuzhu` as its console script starts it (jiuzhu.launch), telling on stderr whether typer was imported
LAUNCH = ("import atexit, sys\n"
          "atexit.register(lambda: sys.stderr.write('TYPER ' + str('typer' in sys.modules) + '\\n'))\n"
          "sys.argv = ['jiuzhu', *sys.argv[1:]]\n"
          "from jiuzhu.launch import main\n"
          "main()\n")


def _validate(jz: Any, root: Path, *extra: str) -> Any:
    return jz(root, *extra, "validate", "--as-of", AS_OF)


def test_replays_without_opening_the_pack(jz: Any, make_registry: Any, opened: list[Path]) -> None:
    root = make_registry({"units/zz.yaml": "id: zz\nname: [\n"})  # a syntax error: output to compare
    _age(root)
    plain = _validate(jz, root, "--no-cache")
    first = _validate(jz, root)
    assert len(opened) == 1
    again = _validate(jz, root)
    assert len(opened) == 1  # answered by stat alone
    assert plain.exit_code == first.exit_code == again.exit_code == 1
    assert plain.output == first.output == again.output


def test_query_replay_is_identical(jz: Any, tmp_path: Path, opened: list[Path]) -> None:
    from test_cache import _generated

    root = _generated(tmp_path)
    _age(root)
    args = ("tasks", "overdue", "--as-of", "2027-02-01", "--fail")  # 2027: a calendar warning on stderr
    plain = jz(root, "--no-cache", *args)
    first = jz(root, *args)
    again = jz(root, *args)
    assert len(opened) == 1
    assert plain.exit_code == first.exit_code == again.exit_code == 1
    assert plain.stdout == first.stdout == again.stdout and plain.stderr == again.stderr
    assert "警告：2027 年的法定节假日未知" in again.stderr


def test_racy_file_is_checked_by_content(jz: Any, make_registry: Any, opened: list[Path], cache_dir: Path) -> None:
    """A file modified within two seconds of the walk: a later edit of the same size within the same
    mtime tick would leave every stat as it was, so its result is kept with the file's content hash
    and replayed only while the bytes are the same."""
    root = make_registry()
    _age(root)
    unit = root / UNIT
    unit.write_text(unit.read_text(encoding="utf-8"), encoding="utf-8")  # just now
    st = os.stat(unit)
    first = _validate(jz, root)
    assert first.exit_code == 0 and _fast_files(cache_dir) and len(opened) == 1
    assert _validate(jz, root).output == first.output and len(opened) == 1  # same bytes: replayed
    text = unit.read_text(encoding="utf-8")
    changed = text.replace("areas: [zijin]", "areas: [zijix]")
    assert len(changed) == len(text) and changed != text
    with open(unit, "r+", encoding="utf-8") as fh:  # in place: same inode, same size
        fh.write(changed)
    os.utime(unit, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same mtime
    assert os.stat(unit)[1:3] == st[1:3] and os.stat(unit).st_size == st.st_size
    broken = _validate(jz, root)
    assert len(opened) == 2
    assert broken.exit_code == 1 and "zijix" in broken.output
    assert broken.output == _validate(jz, root, "--no-cache").output


def test_racy_file_of_no_kind_counts_by_name(make_registry: Any) -> None:
    root = make_registry({"notes.yaml": "a: 1\n"})  # not a kind the loader reads: only its name counts
    _age(root)
    (root / "notes.yaml").write_text("a: 2\n", encoding="utf-8")
    scan = Scan(root)
    assert scan.racy() == ["notes.yaml"]
    scan.remember("validate", (AS_OF,), ["x"], lambda rel: b"")
    assert Scan(root).recall("validate", (AS_OF,)) == (True, ["x"])


def test_racy_source_is_not_recorded(make_registry: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry()
    _age(root)
    assert Scan(root).settled()
    stats, package = files._source_stats()
    monkeypatch.setattr(files, "_source_stats", lambda: ([*stats, ("new.py", 1, time.time_ns(), 1)], package))
    scan = Scan(root)
    assert not scan.settled()
    scan.remember("validate", (AS_OF,), ["x"], lambda rel: b"")
    assert scan.recall("validate", (AS_OF,)) == (False, None)


def _edit(root: Path) -> None:
    unit = root / UNIT
    unit.write_text(unit.read_text(encoding="utf-8").replace("areas: [zijin]", "areas: [zijinn]"), encoding="utf-8")


def _add(root: Path) -> None:
    (root / "units" / "zy.yaml").write_text("id: zy\nname: [\n", encoding="utf-8")


def _remove(root: Path) -> None:
    (root / "units" / "zz.yaml").unlink()


def _template(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "minutes.md.j2").write_text("{{ meeting.id }}\n", encoding="utf-8")


def _touch_same_size(root: Path) -> None:
    """Same size, older mtime than before (e.g. restored by a tool): the stat key still changes."""
    unit = root / UNIT
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace("areas: [zijin]", "areas: [zijix]"), encoding="utf-8")
    past = time.time() - 3600
    os.utime(unit, (past, past))


@pytest.mark.parametrize("change", [_edit, _add, _remove, _template, _touch_same_size])
def test_any_change_recomputes(change: Any, jz: Any, make_registry: Any, opened: list[Path]) -> None:
    root = make_registry({"units/zz.yaml": "id: zz\nname: [\n"})
    _age(root)
    _validate(jz, root)
    _validate(jz, root)
    assert len(opened) == 1
    change(root)
    after = _validate(jz, root)
    assert len(opened) == 2  # not replayed by stat
    assert after.output == _validate(jz, root, "--no-cache").output


@pytest.mark.parametrize("args", [("--as-of", "2026-11-27"), ("--as-of", AS_OF, "--unit", "caizheng"),
                                  ("--as-of", AS_OF, "--format", "json")])
def test_other_options_or_date_recompute(args: tuple[str, ...], jz: Any, make_registry: Any,
                                         opened: list[Path]) -> None:
    root = make_registry()
    _age(root)
    jz(root, "tasks", "overdue", "--as-of", AS_OF)
    jz(root, "tasks", "overdue", "--as-of", AS_OF)
    assert len(opened) == 1
    other = jz(root, "tasks", "overdue", *args)
    assert len(opened) == 2
    assert other.output == jz(root, "--no-cache", "tasks", "overdue", *args).output


def test_touched_but_unchanged_hits_the_content_memo(jz: Any, make_registry: Any, opened: list[Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """After a git checkout (new mtimes, same bytes) the content key still answers, without
    running the checks, and the new stats are recorded for the next run."""
    root = make_registry()
    _age(root)
    first = _validate(jz, root)
    _age(root, seconds=30)
    import jiuzhu.validate

    def refuse(*args: Any) -> Any:
        raise AssertionError("computed again")

    monkeypatch.setattr(jiuzhu.validate, "run", refuse)
    assert _validate(jz, root).output == first.output
    assert _validate(jz, root).output == first.output
    assert len(opened) == 2


@pytest.mark.parametrize("damage", [b"", b"garbage", b"JIUZHU-STAT-MEMO\n" + b"\0" * 40, None])
def test_corrupt_memo_is_a_miss(damage: bytes | None, jz: Any, make_registry: Any, opened: list[Path],
                                cache_dir: Path) -> None:
    root = make_registry({"units/zz.yaml": "id: zz\nname: [\n"})
    _age(root)
    first = _validate(jz, root)
    (fast,) = _fast_files(cache_dir)
    raw = fast.read_bytes()
    fast.write_bytes(raw[:-20] if damage is None else damage)  # None: truncated
    again = _validate(jz, root)
    assert again.exit_code == first.exit_code == 1 and again.output == first.output
    assert len(opened) == 2
    assert _validate(jz, root).output == first.output  # rewritten: a hit again
    assert len(opened) == 2


def test_no_cache_bypasses(jz: Any, make_registry: Any, monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    root = make_registry()
    _age(root)
    _validate(jz, root)
    assert _fast_files(cache_dir)

    def refuse(*args: Any) -> Any:
        raise AssertionError("stat memo used")

    monkeypatch.setattr(files.Scan, "recall", refuse)
    monkeypatch.setattr(files.Scan, "remember", refuse)
    assert _validate(jz, root, "--no-cache").exit_code == 0
    assert jz(root, "--no-cache", "tasks", "overdue", "--as-of", AS_OF).exit_code == 0


def test_listing_is_the_loaders(tmp_path: Path) -> None:
    from jiuzhu import loader

    assert loader.registry_paths is files.registry_paths
    for rel in ["a.yaml", "a/b.yml", "a-b.yaml", "a.b/c.yaml", ".yaml", "..yml", ".x.yaml", "x.YAML",
                "templates/t.yaml", "u/templates/t.yaml", ".git/y.yaml", "a/.git/x.yaml", "zz.yaml.bak", "a0/x.yaml"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    (tmp_path / "l.yaml").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "broken.yaml").symlink_to(tmp_path / "nope")
    # what the loader's former rglob-based listing gave: os.path.splitext's extensions (not ".yaml" or
    # "..yml"), no descent into linked folders, templates/ and .git/ skipped only at the top
    assert files.registry_paths(tmp_path) == [".x.yaml", "a/.git/x.yaml", "a/b.yml", "a-b.yaml", "a.b/c.yaml",
                                              "a.yaml", "a0/x.yaml", "l.yaml", "u/templates/t.yaml"]
    assert files.registry_paths(tmp_path, only=("a", "a.yaml")) == ["a/.git/x.yaml", "a/b.yml", "a.yaml"]
    stats: list[files.Stat] = []
    paths = files._walk(str(tmp_path), None, stats)
    assert paths == files.registry_paths(tmp_path) and len(stats) == len(paths)
    st = os.stat(tmp_path / "a.yaml")
    assert stats[paths.index("a.yaml")] == (0, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def test_warm_replay_imports_nothing_heavy(make_registry: Any, tmp_path: Path) -> None:
    """A stat-memo hit in a fresh process imports neither the cache, the loader, the model nor
    the schema."""
    root = make_registry()
    _age(root)
    newest = max(p.stat().st_mtime for p in (ROOT / "jiuzhu").rglob("*.py"))
    time.sleep(max(0.0, newest + 2.5 - time.time()))  # a source just edited: wait till it is settled
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "sub-cache")}
    code = ("import atexit, sys\n"
            "atexit.register(lambda: sys.stderr.write('MODULES ' + ' '.join(sorted(m for m in sys.modules"
            " if m.startswith('jiuzhu'))) + '\\n'))\n"
            "from jiuzhu.cli import main\n"
            "sys.argv = ['jiuzhu', *sys.argv[1:]]\n"
            "main()\n")
    args = [sys.executable, "-c", code, "--registry", str(root), "tasks", "overdue", "--as-of", AS_OF]
    runs = [subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode == 0
    first = runs[0].stderr.split("MODULES ")[1].split()
    warm = runs[1].stderr.split("MODULES ")[1].split()
    assert "jiuzhu.loader" in first
    for heavy in ("jiuzhu.cache", "jiuzhu.loader", "jiuzhu.model", "jiuzhu.schema", "jiuzhu.yamlread"):
        assert heavy not in warm, warm


def test_known_invocation_is_answered_before_the_cli_is_built(make_registry: Any, tmp_path: Path) -> None:
    """jiuzhu.launch: the same words, folder, environment and day as a recorded query replay its
    output without importing typer; anything else, or a changed registry, runs the CLI."""
    root = make_registry()
    _age(root)
    newest = max(p.stat().st_mtime for p in (ROOT / "jiuzhu").rglob("*.py"))
    time.sleep(max(0.0, newest + 2.5 - time.time()))
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "launch-cache")}
    env.pop("NO_COLOR", None)
    args = [sys.executable, "-c", LAUNCH, "--registry", str(root), "tasks", "overdue", "--as-of", AS_OF, "--fail"]

    def run(cwd: Path = ROOT, **more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, capture_output=True, text=True, env={**env, **more}, cwd=cwd, timeout=120)

    first, second = run(), run()
    assert "TYPER True" in first.stderr and "TYPER False" in second.stderr
    assert (second.stdout, second.returncode) == (first.stdout, first.returncode)
    assert first.stderr.replace("TYPER True", "") == second.stderr.replace("TYPER False", "")
    assert "TYPER True" in run(cwd=tmp_path).stderr  # another folder: not the recorded invocation
    assert "TYPER True" in run(NO_COLOR="1").stderr  # output-changing environment
    _edit(root)
    changed = run()
    assert "TYPER True" in changed.stderr


def _in_terminal(args: list[str], env: dict[str, str], columns: int) -> tuple[bytes, str]:
    """Run `args` with stdout on a pseudo-terminal `columns` wide: (what it printed there, stderr)."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen(args, stdout=slave, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end closed: the program ended
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    _, err = proc.communicate(timeout=120)
    return out, err.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_terminal_output_is_replayed_as_printed(tmp_path: Path) -> None:
    """In a terminal a query is recorded coloured and as wide as the terminal, replayed byte for
    byte before the CLI is built, and computed again for another terminal width."""
    root = tmp_path / "generated"
    bench_gen().generate(root, 60, seed=5)  # some of its tasks are overdue
    _age(root)
    newest = max(p.stat().st_mtime for p in (ROOT / "jiuzhu").rglob("*.py"))
    time.sleep(max(0.0, newest + 2.5 - time.time()))
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "tty-cache"), "TERM": "xterm-256color"}
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE"):
        env.pop(name, None)
    query = ["--registry", str(root), "tasks", "overdue", "--as-of", AS_OF]
    args = [sys.executable, "-c", LAUNCH, *query]
    live, _ = _in_terminal([sys.executable, "-c", LAUNCH, "--no-cache", *query], env, 100)
    first, first_err = _in_terminal(args, env, 100)
    second, second_err = _in_terminal(args, env, 100)
    assert b"\x1b[" in live and "逾期" in live.decode("utf-8")  # coloured, for a terminal
    assert first == live and second == live
    assert "TYPER True" in first_err and "TYPER False" in second_err
    narrow, narrow_err = _in_terminal(args, env, 64)
    assert "TYPER True" in narrow_err
    assert narrow == _in_terminal([sys.executable, "-c", LAUNCH, "--no-cache", *query], env, 64)[0] != live


def test_help_is_replayed_while_jiuzhu_is_unchanged(tmp_path: Path) -> None:
    """`jiuzhu --help` and a command's help are recorded on first use and then printed without
    building the CLI; other words, another width or a usage error are their own entries."""
    newest = max(p.stat().st_mtime for p in (ROOT / "jiuzhu").rglob("*.py"))
    time.sleep(max(0.0, newest + 2.5 - time.time()))
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(tmp_path / "help-cache")}
    env.pop("COLUMNS", None)

    def run(*words: str, **more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", LAUNCH, *words], capture_output=True, text=True,
                              env={**env, **more}, cwd=tmp_path, timeout=120)

    def plain(*words: str, **more: str) -> subprocess.CompletedProcess[str]:  # the CLI itself, no memo
        return subprocess.run([sys.executable, "-c", "from jiuzhu.cli import main; main()", *words],
                              capture_output=True, text=True, env={**env, **more}, cwd=tmp_path, timeout=120)

    for words in (["--help"], ["tasks", "overdue", "--help"], ["nosuch", "--help"]):
        first, second = run(*words), run(*words)
        expected = plain(*words)
        assert "TYPER True" in first.stderr and "TYPER False" in second.stderr, words
        for got in (first, second):
            assert (got.stdout, got.returncode) == (expected.stdout, expected.returncode), words
            assert got.stderr.replace("TYPER True\n", "").replace("TYPER False\n", "") == expected.stderr
    assert "用法" in first.stderr and first.returncode == 2  # the usage error, recorded as such
    wide = run("--help", COLUMNS="200")
    assert "TYPER True" in wide.stderr and wide.stdout == plain("--help", COLUMNS="200").stdout
    assert "TYPER True" in run("-r", "x", "--help").stderr  # an option before: not taken as help
    import marshal

    for damage in (b"garbage", b"JIUZHU-HELP-1\n" + b"\x00" * 9, b"JIUZHU-HELP-1\n" + marshal.dumps({"k": 1}),
                   b"JIUZHU-HELP-1\n" + marshal.dumps([1, 2])):
        (tmp_path / "help-cache" / "help").write_bytes(damage)
        again = run("--help")
        assert "TYPER True" in again.stderr and again.stdout == plain("--help").stdout and again.returncode == 0
    # a recorded entry of the wrong shape under the very key: asked again, not replayed
    raw = (tmp_path / "help-cache" / "help").read_bytes()
    known = marshal.loads(raw[len(b"JIUZHU-HELP-1\n"):])
    (tmp_path / "help-cache" / "help").write_bytes(b"JIUZHU-HELP-1\n" + marshal.dumps({k: "bad" for k in known}))
    again = run("--help")
    assert "TYPER True" in again.stderr and again.stdout == plain("--help").stdout


@pytest.mark.parametrize("bad", [("not a log", "x"), ([(0, 1)], 0), ([(0, "ok")], "1"), 7])
def test_recorded_output_of_the_wrong_shape_is_asked_again(bad: Any, make_registry: Any, tmp_path: Path) -> None:
    """A damaged stat memo whose entry still decodes, but not to printable output: the launcher
    lets the CLI answer instead of failing half-way through printing."""
    import marshal

    root = make_registry()
    _age(root)
    newest = max(p.stat().st_mtime for p in (ROOT / "jiuzhu").rglob("*.py"))
    time.sleep(max(0.0, newest + 2.5 - time.time()))
    cache = tmp_path / "shape-cache"
    env = {**os.environ, "JIUZHU_CACHE_DIR": str(cache)}
    args = [sys.executable, "-c", LAUNCH, "--registry", str(root), "tasks", "overdue", "--as-of", AS_OF]
    first = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert _fast_files(cache)
    for memo in _fast_files(cache):
        raw = memo.read_bytes()
        head = len(files.FAST_MAGIC) + 16
        entries = marshal.loads(raw[head:])
        memo.write_bytes(raw[:head] + marshal.dumps([(k, h, b"m" + marshal.dumps(bad)) for k, h, _ in entries]))
    again = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert "TYPER True" in again.stderr
    assert (again.stdout, again.returncode) == (first.stdout, first.returncode)


def test_validate_result_of_the_wrong_shape_is_computed_again(jz: Any, make_registry: Any, cache_dir: Path) -> None:
    import marshal

    root = make_registry()
    _age(root)
    first = _validate(jz, root)
    assert _fast_files(cache_dir)
    for memo in _fast_files(cache_dir):
        raw = memo.read_bytes()
        head = len(files.FAST_MAGIC) + 16
        entries = marshal.loads(raw[head:])
        damaged = [(k, h, b"m" + marshal.dumps(["不是问题"])) for k, h, _ in entries]
        memo.write_bytes(raw[:head] + marshal.dumps(damaged))
    again = _validate(jz, root)
    assert (again.exit_code, again.output) == (first.exit_code, first.output)
