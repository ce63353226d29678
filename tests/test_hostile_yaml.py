"""Hostile and broken registry files (property-based, hypothesis): whatever bytes a file holds,
the reader, the loader, the validator and the writer answer with problems or a clean refusal,
never an exception; every registry file jiuzhu writes or ships reads and writes back unchanged.

Cases are derived deterministically (derandomize=True), so CI runs the same 10,000+ every time;
`HYPOTHESIS_PROFILE=deep` runs ten times as many with fresh randomness."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from conftest import SHIPPED, bench_gen, build_tree, tree_hash
from docs_registry import DOCS_FILES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jiuzhu import loader, privacy, validate
from jiuzhu.errors import InputRefused
from jiuzhu.pieces import read_bytes
from jiuzhu.roundtrip import dump_rt, load_rt
from jiuzhu.writer import Transaction, registry_lock

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SCALE = 10 if PROFILE == "deep" else 1


def examples(n: int) -> settings:
    return settings(settings.get_profile(PROFILE), max_examples=n * SCALE)


@functools.cache
def seeds() -> tuple[tuple[str, str], ...]:
    """Every kind of registry file as jiuzhu ships or writes it: the first county's registry, the
    documents' test registry, and a generated registry with meetings, proposals and tasks."""
    found: dict[str, str] = {}
    for p in sorted(SHIPPED.rglob("*.yaml")):
        found[p.relative_to(SHIPPED).as_posix()] = p.read_text(encoding="utf-8")
    for rel, text in DOCS_FILES.items():
        if isinstance(text, str):
            found.setdefault(rel, textwrap.dedent(text).lstrip("\n"))  # as build_tree writes it
    out = Path(tempfile.mkdtemp(prefix="jiuzhu-seeds-"))
    try:
        bench_gen().generate(out, 40, seed=7)
        kinds: dict[str, int] = {}
        for p in sorted(out.rglob("*.yaml")):
            rel = p.relative_to(out).as_posix()
            kind = rel.split("/")[0]
            if kinds.get(kind, 0) < 6:  # a few of each kind
                kinds[kind] = kinds.get(kind, 0) + 1
                found.setdefault(rel, p.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(out)
    return tuple(found.items())


TRICKY = ["", "null", "~", "yes", "no", "on", "1e3", "0x1F", "0o17", ".inf", "-.nan", "2026-02-30", "2026-9-22",
          "12:30", "&a", "*a", "*nosuch", "!!python/object/apply:os.system ['ls']", "!!binary aGk=", "!foo x",
          "'", '"', "'unterminated", "[", "]", "{", "}", "{a: [1, {b: c}]}", "|", ">-", "- ", "? ", ": ",
          "%YAML 1.1", "---", "...", "#", "<<: *a", "县民政局", "\t", "\x00", "\x1b[31m", "\ufeff", "\u2028",
          "😀", "\ud7ff", "a" * 3000, "110101199003077777", "6222020200112233445", "13812345678", "\r", "\r\n"]
YAML_CHARS = st.sampled_from(list(":-[]{}&*!|>#'\",?%@`\n\r\t \\") + ["县", "局", "a", "1", "0", "\x00", "\x85"])


@st.composite
def mutated(draw: st.DrawFn, fewest: int = 1, most: int = 4, encodings: bool = True) -> tuple[str, bytes]:
    """A registry file with `fewest` to `most` edits a careless hand, a bad merge or an attacker
    makes; with `encodings`, also saved in another encoding or with stray bytes."""
    rel, text = draw(st.sampled_from(seeds()))
    for _ in range(draw(st.integers(fewest, most))):
        lines = text.split("\n")
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        how = draw(st.sampled_from(["insert", "delete", "value", "dup", "swap", "indent", "drop", "tricky"]))
        if how == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(YAML_CHARS, min_size=1, max_size=6)) + text[at:]
        elif how == "delete":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif how == "value" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(TRICKY))}"
            text = "\n".join(lines)
        elif how == "dup":
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif how == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif how == "indent":
            lines[i] = " " * draw(st.integers(0, 5)) + lines[i].lstrip(" ")
            text = "\n".join(lines)
        elif how == "drop":
            del lines[i]
            text = "\n".join(lines)
        else:
            lines.insert(i, draw(st.sampled_from(TRICKY)))
            text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "gbk", "utf-16"])) if encodings else "utf-8"
    raw = text.encode(encoding, errors="replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")
    if encodings and draw(st.booleans()) and draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return rel, raw


def _well_placed(problems: list, rel: str, raw: bytes) -> None:
    lines = raw.count(b"\n") + raw.count(b"\r") + 2
    for p in problems:
        assert p.pos.file == rel
        assert 1 <= p.pos.line <= lines and p.pos.column >= 1, p
        assert p.message and "Traceback" not in p.message


@examples(6000)
@given(mutated())
def test_the_reader_answers_any_bytes_with_problems(case: tuple[str, bytes]) -> None:
    rel, raw = case
    doc, problems, piece = read_bytes(raw, rel)
    _well_placed(problems, rel, raw)
    if doc is not None:
        privacy.scan(doc)
    assert doc is not None or any(p.is_error for p in problems)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.dates().map(dt.date.isoformat), st.sampled_from(TRICKY))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8) | st.sampled_from(["id", "name", "duties", "text"]),
                                      inner, max_size=4), max_leaves=30)


@examples(3000)
@given(st.sampled_from(seeds()), DATA)
def test_the_reader_answers_any_shape_with_problems(seed: tuple[str, str], data: object) -> None:
    """Well-formed YAML of any shape in the place of a registry file: wrong types are problems."""
    import io

    from ruamel.yaml import YAML

    rel = seed[0]
    buf = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, buf)
    raw = buf.getvalue().encode("utf-8", "surrogatepass")
    doc, problems, piece = read_bytes(raw, rel)
    _well_placed(problems, rel, raw)


@functools.cache
def _scratch() -> Path:
    """A small registry (the documents' one) that each case below changes one file of."""
    return build_tree(Path(tempfile.mkdtemp(prefix="jiuzhu-hostile-")) / "registry", DOCS_FILES)


@examples(700)
@given(mutated())
def test_the_loader_and_validator_answer_any_file_with_problems(case: tuple[str, bytes]) -> None:
    rel, raw = case
    root = _scratch()
    path = root / rel
    old = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    try:
        loaded = loader.load(root, use_cache=False)
        problems = validate.run(loaded, dt.date(2026, 12, 31))
        assert any(p.pos.file == rel for p in problems) or not any(p.pos.file == rel for p in loaded.problems)
    finally:
        if old is None:
            path.unlink()
        else:
            path.write_bytes(old)


@examples(400)
@given(mutated(fewest=0, most=1, encodings=False), st.data(), st.text(min_size=1, max_size=30))
def test_the_writer_edits_any_readable_file_or_refuses_cleanly(case: tuple[str, bytes], data: st.DataObject,
                                                               value: str) -> None:
    """A file jiuzhu reads without error can be edited (one of its texts replaced by any text):
    the change reads back and nothing else changes, or the edit is refused (InputRefused) with
    not a byte written."""
    rel, raw = case
    doc, problems, _ = read_bytes(raw, rel)
    if doc is None or any(p.is_error for p in problems) or not isinstance(doc.data, dict):
        event("not readable: nothing to edit")
        return
    texts = sorted(k for k, v in doc.data.items() if isinstance(v, str) and isinstance(k, str))
    if not texts:
        event("no text to edit")
        return
    key = data.draw(st.sampled_from(texts))
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-write-"))
    try:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(raw)
        before = tree_hash(root)
        try:
            with registry_lock(root):
                tx = Transaction(root)
                tx.edit(rel, lambda d: d.__setitem__(key, value))
                tx.commit()
        except InputRefused:  # a value the field cannot take (a kind, a date, an id): said, not written
            event("refused")
            assert tree_hash(root) == before
            return
        event("edited")
        after, _, _ = read_bytes((root / rel).read_bytes(), rel)
        assert after is not None
        assert after.data[key] == value
        assert {k: v for k, v in after.data.items() if k != key} == {k: v for k, v in doc.data.items() if k != key}
    finally:
        shutil.rmtree(root)


@pytest.mark.parametrize("rel", [rel for rel, _ in seeds() if rel not in DOCS_FILES or (SHIPPED / rel).exists()])
def test_load_then_write_of_every_registry_file_is_byte_identical(rel: str) -> None:
    """Files as the first county's registry has them and as jiuzhu writes them. (A hand-made
    flow mapping over several lines, as in the documents' test registry, is joined onto one line
    by an edit of that file: ruamel.yaml keeps no line breaks inside flow collections.)"""
    text = dict(seeds())[rel]
    yaml, data = load_rt(text)
    assert dump_rt(yaml, data, text) == text


def _bomb(levels: int) -> str:
    lines = ["id: bomb", "name: 县某局", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_at_once_at_its_line(make_registry, jz) -> None:
    root = make_registry({"units/bomb.yaml": _bomb(10)})
    started = time.perf_counter()
    res = jz(root, "validate")
    assert time.perf_counter() - started < 10  # the unbounded expansion ran past 60 s
    assert res.exit_code == 1
    assert ("units/bomb.yaml:3:5: yaml-alias-bomb 错误："
            "这里的内容经 YAML 别名（*名称）反复引用，展开后远大于文件本身") in res.output


def test_a_few_aliases_are_still_read() -> None:
    doc, problems, _ = read_bytes(_bomb(3).encode(), "units/bomb.yaml")
    assert doc is not None and not [p for p in problems if p.code == "yaml-alias-bomb"]
    assert doc.data["a2"] == [[["lol"] * 9] * 9] * 9  # 729 entries from a 4-line file: within bounds


@pytest.mark.parametrize("text", ["duties: " + "[" * 5000 + "]" * 5000 + "\n",
                                  "duties:\n" + "".join("  " * i + "- \n" for i in range(1, 5000))])
def test_five_thousand_levels_deep_is_refused_at_its_line(make_registry, jz, text) -> None:
    res = jz(make_registry({"units/deep.yaml": "id: deep\nname: 县某局\n" + text}), "validate")
    assert res.exit_code == 1
    assert "units/deep.yaml:" in res.output and "yaml-too-deep 错误：嵌套超过 64 层" in res.output
    assert "内部错误" not in res.output


def test_a_dangling_link_a_pipe_and_a_linked_folder_are_named(make_registry, jz, tmp_path) -> None:
    root = make_registry()
    (root / "units" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    os.mkfifo(root / "units" / "pipe.yaml")
    (tmp_path / "elsewhere").mkdir()
    (root / "meetings").symlink_to(tmp_path / "elsewhere")
    out = jz(root, "validate").output
    assert "units/gone.yaml:1:1: link-dangling 错误：units/gone.yaml 是符号链接，但它指向的文件不存在" in out
    assert "units/pipe.yaml:1:1: not-a-file 错误：units/pipe.yaml 不是普通文件（管道、套接字或设备），不会读取它" in out
    assert "meetings:1:1: link-folder 错误：meetings 是指向目录的符号链接，jiuzhu 不进入它" in out


def test_an_unreadable_file_is_named(make_registry, jz, monkeypatch) -> None:
    root = make_registry()
    real_open = os.open  # files are read through their descriptor (jiuzhu.readpool.file_bytes)

    def deny(path, *args, **kwargs):
        if str(path).endswith("caizheng.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    for flags in ([], ["--no-cache"]):
        res = jz(root, *flags, "validate")
        assert res.exit_code == 1
        assert ("units/caizheng.yaml:1:1: unreadable-file 错误：读不了文件 units/caizheng.yaml（没有读取权限），"
                "其内容都没有检查") in res.output
        assert "caizheng”不存在" not in res.output  # the cause, not a cascade of missing references


@pytest.mark.parametrize("char, name", [("\u2028", "U+2028（行分隔符）"), ("\x85", "U+0085（NEL）"),
                                        ("\u2029", "U+2029（段分隔符）")])
def test_a_line_break_no_editor_shows_is_refused_where_the_editor_sees_it(char, name) -> None:
    """YAML parsers count these as line breaks, editors do not: every later line number would be off."""
    raw = f"id: x\nname: 县民政局\nduties:\n  - {{id: x-1, text: 负责{char}低保。}}\n".encode()
    doc, problems, _ = read_bytes(raw, "units/x.yaml")
    assert doc is None
    assert [(str(p.pos), p.code) for p in problems] == [("units/x.yaml:4:23", "odd-line-break")]
    assert problems[0].message.startswith(f"文件中有编辑器看不见的换行符 {name}（共 1 处，第一处在此）")


def test_a_file_the_round_trip_parser_cannot_take_is_refused_with_its_place(tmp_path: Path) -> None:
    """libyaml reads `name\\t: …` (a tab before the colon); ruamel's round-trip parser does not.
    Found by the property test above: the edit is refused at the tab, not a traceback."""
    raw = (SHIPPED / "system.yaml").read_bytes().replace(b"\nname: ", b"\nname\t: ", 1)
    doc, problems, _ = read_bytes(raw, "system.yaml")
    assert doc is not None and not any(p.is_error for p in problems)
    (tmp_path / "system.yaml").write_bytes(raw)
    with registry_lock(tmp_path), pytest.raises(InputRefused) as refused:
        Transaction(tmp_path).edit("system.yaml", lambda d: d.__setitem__("government", "区政府"))
    assert refused.value.message.startswith("system.yaml:2:5：jiuzhu 能读这个文件，但不能在保留格式的前提下改写它")
    assert "制表符" in (refused.value.hint or "")
    assert (tmp_path / "system.yaml").read_bytes() == raw
