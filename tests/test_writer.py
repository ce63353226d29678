"""The one writer: round-trip edits leave every other byte alone; writes are atomic and staged."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest

from jiuzhu import writer
from jiuzhu.atomic import atomic_write
from jiuzhu.errors import InputRefused
from jiuzhu.roundtrip import _guess_indent, dump_rt, load_rt, new_document
from jiuzhu.writer import Transaction
from tests.conftest import SHIPPED

SHIPPED_FILES = sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.rglob("*.yaml"))


class _AlwaysHeld(dict):  # type: ignore[type-arg]
    def get(self, key: object, default: object = None) -> object:
        return 1


@pytest.fixture(autouse=True)
def _as_if_locked(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about what the writer writes; the registry lock is tested in
    tests/test_concurrency.py."""
    monkeypatch.setattr(writer, "_held", _AlwaysHeld())


def test_shipped_registry_has_files():
    assert "system.yaml" in SHIPPED_FILES and "areas.yaml" in SHIPPED_FILES
    assert len([f for f in SHIPPED_FILES if f.startswith("units/")]) == 27


@pytest.mark.parametrize("rel", SHIPPED_FILES)
def test_round_trip_is_byte_identical(rel):
    text = (SHIPPED / rel).read_text(encoding="utf-8")
    yaml, data = load_rt(text)
    assert dump_rt(yaml, data) == text


@pytest.mark.parametrize("rel", SHIPPED_FILES)
def test_noop_edit_writes_nothing(shipped_copy, rel):
    path = shipped_copy / rel
    before = path.read_bytes()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    tx = Transaction(shipped_copy)
    tx.edit(rel, lambda data: None)
    assert tx.commit() == []
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == 1_000_000_000


def _changed_lines(before: str, after: str) -> list[str]:
    return [ln for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def test_edit_changes_only_that_line_and_keeps_comments(shipped_copy):
    path = shipped_copy / "system.yaml"
    before = path.read_text(encoding="utf-8")
    assert "office:                           # 二、联席会议办公室\n" in before

    def change(data):
        data["office"]["director"] = "张三"

    tx = Transaction(shipped_copy)
    tx.edit("system.yaml", change)
    assert tx.commit() == [path]
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == ["-  director: 徐智勇", "+  director: 张三"]
    assert "office:                           # 二、联席会议办公室\n" in after
    assert "  duties:                         # 二、1-5\n" in after


def test_edit_inside_a_unit_list_keeps_the_rest(shipped_copy):
    path = shipped_copy / "units" / "gongan.yaml"
    before = path.read_text(encoding="utf-8")

    def change(data):
        data["duties"][1]["info"].append("婚姻")

    tx = Transaction(shipped_copy)
    tx.edit("units/gongan.yaml", change)
    tx.commit()
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == ["-    info: [车辆, 户籍]", "+    info: [车辆, 户籍, 婚姻]"]
    assert after.startswith("# 《大厂回族自治县社会救助工作联席会议制度》三、22\n")


def test_two_edits_of_one_file_in_one_transaction(shipped_copy):
    tx = Transaction(shipped_copy)
    tx.edit("units/gongan.yaml", lambda d: d["liaison"].__setitem__("name", "李四"))
    tx.edit("units/gongan.yaml", lambda d: d["liaison"].__setitem__("post", "科长"))
    tx.commit()
    text = (shipped_copy / "units" / "gongan.yaml").read_text(encoding="utf-8")
    assert "liaison: {name: 李四, post: 科长, phone: null, mobile: null}\n" in text


def test_bom_survives_an_edit(tmp_path):
    path = tmp_path / "areas.yaml"
    path.write_bytes(b"\xef\xbb\xbf# \xe9\xa2\x86\xe5\x9f\x9f\nareas:\n  - id: dibao\n    name: x\n")
    tx = Transaction(tmp_path)
    tx.edit("areas.yaml", lambda d: d["areas"][0].__setitem__("name", "城乡低保"))
    tx.commit()
    assert path.read_bytes() == "\ufeff# 领域\nareas:\n  - id: dibao\n    name: 城乡低保\n".encode()


@pytest.mark.parametrize("text, expected", [
    ("a:\n  b: 1\nc:\n  - x\n", (2, 4, 2)),
    ("a:\n    b: 1\nc:\n- x\n", (4, 2, 0)),
    ("c:\n    -   x\n", (2, 8, 4)),
    ("x: 1\n", (2, 4, 2)),
    ("k:   # comment\n  - a: 1\n    b:\n      c: 2\n", (2, 4, 2)),
])
def test_guess_indent(text, expected):
    assert _guess_indent(text) == expected


@pytest.mark.parametrize("text", [
    "a:\n- x\n- y\nb:\n   c: 1\n",
    "duties:\n    - id: a\n      text: t   # note\n      areas: [x]\n",
])
def test_other_indent_styles_round_trip(text):
    yaml, data = load_rt(text)
    assert dump_rt(yaml, data) == text


def test_atomic_write_keeps_mode(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0o640)
    atomic_write(path, b"a: 2\n")
    assert path.read_bytes() == b"a: 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]  # no temp file left behind


def test_atomic_write_new_file_creates_folders(tmp_path):
    path = tmp_path / "meetings" / "2026" / "m.yaml"
    atomic_write(path, b"id: m\n")
    assert path.read_bytes() == b"id: m\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_atomic_write_failure_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"old\n")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_create_refuses_existing_file_and_writes_nothing(tmp_path):
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    tx = Transaction(tmp_path)
    tx.create("b.yaml", "b: 1\n")
    with pytest.raises(InputRefused) as exc:
        tx.create("a.yaml", "a: 2\n")
    assert exc.value.message == "文件已存在：a.yaml"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]  # nothing committed


def test_nothing_written_before_commit(tmp_path):
    tx = Transaction(tmp_path)
    tx.create("units/x.yaml", "id: x\nname: 县某局\nkind: government\norder: 1\n")
    assert not (tmp_path / "units").exists()
    assert tx.commit() == [tmp_path / "units" / "x.yaml"]


def test_new_document_house_style():
    text = new_document({"id": "x", "areas": ["a", "b"], "duties": [{"id": "x-1", "text": "负责。"}],
                         "liaison": {"name": None}}, "成员单位")
    assert text == ("# 成员单位\nid: x\nareas: [a, b]\nduties:\n  - id: x-1\n    text: 负责。\n"
                    "liaison:\n  name:\n")
    yaml, data = load_rt(text)
    assert dump_rt(yaml, data) == text


def test_unchanged_file_is_not_rewritten_by_create_then_noop(tmp_path: Path):
    tx = Transaction(tmp_path)
    tx.create("a.yaml", "a: 1\n")
    tx.edit("a.yaml", lambda d: None)
    tx.commit()
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "a: 1\n"


def test_a_write_jiuzhus_reader_would_reject_is_refused(make_registry) -> None:
    """The writer reads every registry file back before writing: nothing that would break the
    registry for every later command is written."""
    root = make_registry()
    before = (root / "units/caizheng.yaml").read_bytes()
    for bad in (b"id: caizheng\nname: [unclosed\n", b"id: caizheng\nname: \xff\xfe\n", b"id: caizheng\norder: three\n"):
        tx = Transaction(root)
        tx.staged[root / "units/caizheng.yaml"] = bad
        with pytest.raises(InputRefused, match="写入后 units/caizheng.yaml 将无法读取"):
            tx.commit()
        assert (root / "units/caizheng.yaml").read_bytes() == before
    tx = Transaction(root)  # a file that was already broken may be edited without being repaired
    (root / "units/caizheng.yaml").write_bytes(before.replace(b"order: 2", b"order: two"))
    tx.edit("units/caizheng.yaml", lambda data: data.__setitem__("name", "县财政局（改）"))
    tx.commit()


def test_arguments_that_are_not_text_are_refused(make_registry, tmp_path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT, tree_hash

    root = make_registry()
    before = tree_hash(root)
    out = subprocess.run([sys.executable.encode(), b"-m", b"jiuzhu", b"-r", str(root).encode(), b"proposal", b"new",
                          b"--unit", b"minzheng", b"--title", b"\xff\xfe\xe5\x9d\x8f"], capture_output=True,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT),
                              "JIUZHU_CACHE_DIR": str(tmp_path / "cache")})
    assert out.returncode == 2
    assert "含有不是 UTF-8 文字的字节" in out.stderr.decode("utf-8") and b"Traceback" not in out.stderr
    assert tree_hash(root) == before
