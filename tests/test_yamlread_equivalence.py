"""Differential test of the fast read path (jiuzhu.yamlread.parse_text) against a straightforward
reference: ruamel's own YAML 1.2 Resolver plus a plain recursive converter (the original
algorithm, kept here verbatim). Data (with types and key order), both position tables (with
their order), problems and the kept text must be identical for every input."""

from __future__ import annotations

import random
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from jiuzhu import yamlc, yamlerrors, yamlread
from jiuzhu.doc import Doc
from jiuzhu.problems import Pos, Problem, error
from jiuzhu.yamlerrors import decode
from jiuzhu.yamlread import parse_text

ROOT = Path(__file__).resolve().parents[1]


# --- the reference: the original algorithm ---------------------------------------------------

def _ref_composer_class() -> Any:
    from ruamel.yaml.cyaml import CParser
    from ruamel.yaml.resolver import Resolver

    class Composer(CParser, Resolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            self._parser = self._composer = self
            Resolver.__init__(self, loadumper=self)

    return Composer


_RefComposer = _ref_composer_class()


class _RefConverter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.keys: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def convert(self, node: Any, path: tuple[Any, ...]) -> Any:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                key = self._scalar(knode) if not isinstance(knode, (MappingNode, SequenceNode)) else str(knode.value)
                if key == "<<":
                    self.problems.append(error(
                        Pos(self.file, knode.start_mark.line + 1, knode.start_mark.column + 1), "yaml-merge-key",
                        "jiuzhu 不支持 YAML 合并键“<<”，其中的内容不会生效", "把要合并的键和值直接写在这里。"))
                    continue
                kpos = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                if key in out:
                    first = self.keys[path + (key,)]
                    self.problems.append(error(
                        Pos(self.file, *kpos), "duplicate-key",
                        f"键“{key}”重复出现（第一次在第 {first[0]} 行）",
                        "删除或合并重复的键；YAML 中后出现的值会悄悄覆盖前面的值。"))
                    continue
                child = path + (key,)
                self.keys[child] = kpos
                out[key] = self.convert(vnode, child)
            return out
        if isinstance(node, SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    @staticmethod
    def _scalar(node: Any) -> Any:
        tag = "" if node.ctag is None else str(node.ctag)
        value: str = node.value
        if node.style in ("'", '"', "|", ">"):
            return value
        if tag.endswith(":null"):
            return None
        if tag.endswith(":bool"):
            return value.lower() == "true"
        if tag.endswith(":int"):
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        if tag.endswith(":float"):
            try:
                return float(value.replace("_", ""))
            except ValueError:
                return value
        return value


def ref_parse_text(text: str, file: str) -> tuple[Doc | None, list[Problem]]:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    composer = _RefComposer(text)
    try:
        node = composer.get_single_node()
    except MarkedYAMLError as exc:
        return None, [yamlerrors.syntax_problem(exc, text, file)]
    except YAMLError as exc:
        return None, [error(Pos(file), "yaml-syntax", f"YAML 语法错误：{exc}", yamlerrors.SYNTAX_HINT)]
    finally:
        composer.dispose()
    if node is None:
        return None, [error(Pos(file), "empty-file", "文件是空的（没有任何 YAML 内容）",
                            "删除该文件，或按 docs/registry.md 中该类文件的字段填写内容。")]
    conv = _RefConverter(file)
    data = conv.convert(node, ())
    return Doc(file, data, conv.values, conv.keys, text), conv.problems


# --- comparison ------------------------------------------------------------------------------

def typed(x: Any) -> Any:
    """A comparable picture of plain data that keeps types (True vs 1, 1 vs 1.0), dict order and
    NaN (compared by repr)."""
    if isinstance(x, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in x.items()])
    if isinstance(x, list):
        return ("list", [typed(v) for v in x])
    return (type(x).__name__, repr(x))


def table(positions: dict[tuple[Any, ...], tuple[int, int]]) -> list[Any]:
    """A position table in order, its paths typed (the key True is not the index 1)."""
    return [(typed(list(path)), lc) for path, lc in positions.items()]


def assert_same(text: str, file: str = "t.yaml") -> tuple[Doc | None, list[Problem]]:
    got_doc, got_problems = parse_text(text, file)
    ref_doc, ref_problems = ref_parse_text(text, file)
    assert got_problems == ref_problems, text
    if ref_doc is None:
        assert got_doc is None, text
        return got_doc, got_problems
    assert got_doc is not None, text
    assert typed(got_doc.data) == typed(ref_doc.data), text
    assert table(got_doc.values) == table(ref_doc.values), text
    assert table(got_doc.keys) == table(ref_doc.keys), text
    assert (got_doc.file, got_doc.text) == (ref_doc.file, ref_doc.text)
    return got_doc, got_problems


def check_tree(root: Path) -> int:
    n = 0
    for path in sorted(root.rglob("*.yaml")):
        text, problems = decode(path.read_bytes(), path.name)
        assert text is not None, (path, problems)
        assert_same(text, path.relative_to(root).as_posix())
        n += 1
    return n


# --- inputs ----------------------------------------------------------------------------------

def test_shipped_registry_and_test_data() -> None:
    assert check_tree(ROOT / "registry") > 10
    assert check_tree(ROOT / "tests" / "data") >= 1


def test_test_fixture_texts() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import conftest
        import docs_registry
    finally:
        sys.path.remove(str(ROOT / "tests"))
    texts = [conftest.MINI_SYSTEM, conftest.mini_unit("minzheng", "县民政局", 1, "")]
    for value in docs_registry.DOCS_FILES.values():
        if isinstance(value, str):
            texts += [value, textwrap.dedent(value)]
    for text in texts:
        assert_same(text)


def test_generated_registry(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import gen
    finally:
        sys.path.remove(str(ROOT / "bench"))
    gen.generate(tmp_path / "reg", 200)
    assert check_tree(tmp_path / "reg") > 200


SCALARS = [
    # bools: 1.2 only knows true/false; yes/no/on/off/y/n stay strings
    "true", "True", "TRUE", "tRue", "false", "False", "FALSE", "yes", "no", "on", "off", "Yes", "NO",
    "y", "n", "Y", "N", "On", "OFF",
    # nulls
    "~", "null", "Null", "NULL", "nULL", "none", "None",
    # ints
    "0", "1", "-1", "+1", "007", "08", "09", "0o17", "0O17", "0o", "0o8", "0x1F", "0X1F", "0xg", "0b101",
    "0b102", "-0x1F", "+0o7", "1_000", "1__0", "_1", "1_", "0_7", "-0", "12345678901234567890",
    "0b", "0x", "0x_", "0b_1", "1:30", "190:20:30",
    # floats
    "1.0", "1.", ".5", "._5", "-.5", "+.5", "1e5", "1E5", "1e+5", "1.5e-3", "1.5e", ".inf", "-.inf",
    "+.Inf", ".INF", ".nan", ".NaN", ".NAN", "nan", "inf", "-inf", "1_000.5", "1e999", "-1e999", ".5e+3",
    ".5e3", "1.2.3", "6.8523015e+5", "685.230_15e+03", "190:20:30.15",
    # dates, times, timestamps stay strings
    "2026-01-01", "2026-1-1", "2026-02-30", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
    "2001-12-15T02:59:43.1Z", "09:30", "9:30", "14:30:00",
    # others
    "<<", "=", "abc", "张伟", "县政府第一会议室", "a b", "-", "a:b", "1 2", "1,2", "0.0.0.0", "v1.2",
    "12ab", "x" * 70, "1" * 70, "t", "f", "T", "F", "nul", "n0",
]


def scalar_forms(s: str) -> list[str]:
    quoted = s.replace("\\", "\\\\").replace('"', '\\"')
    single = s.replace("'", "''")
    return [s, f'"{quoted}"', f"'{single}'", f"!!str {s}", f"! {s}", f'! "{quoted}"', f"!!int {s}",
            f"!!float {s}", f"!!bool {s}", f"!!null {s}", f"!custom {s}", f"!<tag:yaml.org,2002:int> {s}"]


def test_scalars_every_style() -> None:
    for s in SCALARS:
        for form in scalar_forms(s):
            assert_same(f"v: {form}\n")
            assert_same(f"- {form}\n- [{form}, x]\n")
            assert_same(f"{form}: 1\n")
            assert_same(f"{form}\n")
            assert_same(f"{{{form}: {form}}}\n")


SNIPPETS = [
    "",
    "   \n",
    "# only a comment\n",
    "---\n",
    "---\n...\n",
    "~\n",
    "null\n",
    "123\n",
    "'quoted'\n",
    "a: 1\na: 2\n",
    "a: 1\nb:\n  c: 1\n  c: 2\n  d: [1, 2]\nb: 3\n",
    "1: a\n'1': b\n1: c\ntrue: x\nTrue: y\nnull: z\n~: w\n1.0: v\n1.00: u\n0x1: t\n",
    "? [a, b]\n: 1\n? {x: 1}\n: 2\n? [a, b]\n: 3\n",
    "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n  '<<': 4\n",
    "a: &x 1\nb: *x\nc: &l [1, 2]\nd: *l\ne: &m {k: v}\nf: *m\ng: [*x, *l, *m]\n",
    "a: *undefined\n",
    "a: &x 1\nb: &x 2\n",
    "%YAML 1.1\n---\nflag: yes\nother: on\noctal: 017\nx: 0o17\nb: true\n",
    "%YAML 1.2\n---\nflag: yes\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!thing 1\nb: !!str 2\n",
    "a: !!str\nb: !!null ''\nc: !!int '12'\nd: !!float 1\ne: !!bool yes\nf: !!timestamp 2026-01-01\n",
    "a: !!map {x: 1}\nb: !!seq [1]\nc: !!set {x, y}\nd: !!omap [{a: 1}]\ne: !!binary aGVsbG8=\n",
    "a:\n\tb: 1\n",
    "a:\n  b: 1\n\tc: 2\n",
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n---\n",
    "a: [1, 2\n",
    "a: {x: 1\n",
    "a: 'abc\n",
    'a: "abc\n',
    "a: b: c\n",
    "a:1\nb: 2\n",
    "- a\nb: 1\n",
    "a: `x`\n",
    "a: @x\n",
    "key: value\n  bad: indent\n",
    "text: |\n  line 1\n  line 2\nfolded: >\n  a\n  b\n\n  c\nkeep: |+\n  x\n\nstrip: |-\n  y\nindented: |2\n   z\n",
    "text: |\n  true\nn: >\n  12\n",
    "multi: this is\n  a plain\n  multi-line scalar\nnum: 1\n",
    "flow: {a: 1, b: [x, {c: ~}], 'd': \"e\", ? f : g, h}\n",
    "[1, [2, [3, [4, [5]]]]]\n",
    "{a: {b: {c: {d: {e: {f: 1}}}}}}\n",
    "- - - - - 1\n    - 2\n",
    "empty_map: {}\nempty_list: []\nempty: \nnull_value:\n",
    "?\n: 1\n? x\n",
    "- \n- ''\n- \"\"\n-\n",
    "标题: 县政府第一会议室\n名单: [张伟, 王芳]\n'键': \"值\"\n",
    "emoji: \"\\U0001F600\"\nescape: \"a\\tb\\n\"\n",
    "a: 1 # comment\n# full line\nb: 2\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: [x,\r\n  y]\r\n",
    "a: 'it''s'\nb: \"say \\\"hi\\\"\"\n",
    "nan_list: [.nan, .NaN]\nnan_keys: {.nan: 1, .nan: 2}\ninf: [.inf, -.inf]\n",
    "times: [09:30, 9:30, 14:30:00, 2026-01-01, 2026-01-01T09:30:00Z]\n",
    "ints: [0o17, 0x1F, 017, 1_000, +5, -0, 0b11]\n",
    "! a: ! b\n! [1]: 2\n",
    "&a x: &b y\n*a : z\n",
    "a: - b\n",
    "- a\n - b\n",
    "a: [b, c]]\n",
    "{a: 1}}\n",
    "a: 'x' y\n",
    "a: \"\\q\"\n",
    "\x85a: 1\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets(text: str) -> None:
    assert_same(text)


def _nested(depth: int) -> list[str]:
    return ["a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, depth)) + "  " * depth + "leaf\n",
            "[" * depth + "1" + "]" * depth + "\n",
            "".join("  " * i + "- \n" for i in range(depth)) + "  " * depth + "- x\n"]


def test_deep_nesting() -> None:
    for text in _nested(yamlerrors.MAX_DEPTH - 2):
        assert_same(text)


def test_nesting_beyond_the_limit_is_one_problem_at_its_place() -> None:
    for text in _nested(yamlerrors.MAX_DEPTH + 1) + _nested(5000):
        doc, problems = yamlread.parse_text(text, "units/x.yaml")
        assert doc is None
        assert [p.code for p in problems] == ["yaml-too-deep"]
        assert problems[0].pos.line in (1, yamlerrors.MAX_DEPTH + 1)


def test_random_documents() -> None:
    """Random nested documents built from the tricky scalars in every style, with duplicates."""
    rng = random.Random(20261126)
    words = SCALARS + ["id", "name", "a", "b", "a"]

    def scalar() -> str:
        return rng.choice(scalar_forms(rng.choice(words))[:6])

    def flow(depth: int) -> str:
        r = rng.random()
        if depth > 2 or r < 0.5:
            return scalar()
        if r < 0.75:
            return "[" + ", ".join(flow(depth + 1) for _ in range(rng.randint(0, 3))) + "]"
        return "{" + ", ".join(f"{scalar()}: {flow(depth + 1)}" for _ in range(rng.randint(0, 3))) + "}"

    def block(depth: int, indent: str) -> str:
        lines = []
        seq = rng.random() < 0.3
        for _ in range(rng.randint(1, 4)):
            head = f"{indent}- " if seq else f"{indent}{scalar()}:"
            r = rng.random()
            if depth < 4 and r < 0.3:
                lines.append(head.rstrip() + "\n" + block(depth + 1, indent + "  "))
            else:
                lines.append(f"{head} {flow(depth)}\n")
        return "".join(lines)

    for _ in range(1500):
        assert_same(block(0, ""))


def test_fallback_when_ruamel_resolver_has_path_resolvers(monkeypatch: pytest.MonkeyPatch) -> None:
    """With path resolvers registered, ruamel's own Resolver is used: still the same results."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import Resolver

    never = {(((None, "never-a-key-in-these-inputs"),), ScalarNode): "tag:yaml.org,2002:str"}
    monkeypatch.setattr(Resolver, "yaml_path_resolvers", never)
    yamlc._composer.cache_clear()
    try:
        assert yamlc._composer().__name__ == "ResolvingComposer"
        for text in SNIPPETS[:30] + ["a: [1, 0x1F, .5, true, ~, '1', !!str 2, 2026-01-01]\n"]:
            assert_same(text)
    finally:
        monkeypatch.undo()
        yamlc._composer.cache_clear()
    assert yamlc._composer().__name__ == "Composer"
