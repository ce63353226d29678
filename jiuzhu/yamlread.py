"""The fast read path: YAML text -> plain data plus the 1-based position of every key and value.

Uses ruamel.yaml's C parser (typ='safe', pure=False) to compose nodes, then converts the nodes
itself so that positions survive and duplicate keys are found. Dates stay ISO strings here; the
schema check turns them into real dates and reports days that do not exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiuzhu.problems import Pos, Problem, error

PathKey = tuple[Any, ...]
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Doc:
    """One parsed file: plain data and where each value (and mapping key) sits in the text."""

    file: str
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    text: str = ""  # the decoded text, for checks that read what the data does not keep (comments)

    def at(self, *path: Any) -> Pos:
        """Position of the value at `path`, or of its nearest enclosing value."""
        return self._lookup(self.values, path)

    def key_at(self, *path: Any) -> Pos:
        """Position of the mapping key at `path` (falls back to the value's position)."""
        if path in self.keys:
            line, col = self.keys[path]
            return Pos(self.file, line, col)
        return self.at(*path)

    def item_at(self, path: PathKey, value: Any) -> Pos:
        """Position of `value` in the list at `path` (checks hold cleaned lists, whose indexes can
        differ from the file's once a bad entry was dropped)."""
        node: Any = self.data
        for key in path:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return self.at(*path)
        if isinstance(node, list) and value in node:
            return self.at(*path, node.index(value))
        return self.at(*path)

    def path_of(self, pos: Pos) -> PathKey:
        """The path of the value that starts at `pos` (the shortest one), or () when none does."""
        by_pos = self.__dict__.get("_by_pos")
        if by_pos is None:  # built once per document: checks ask for many positions of one file
            by_pos = {}
            for p, lc in self.values.items():
                if lc not in by_pos or len(p) < len(by_pos[lc]):
                    by_pos[lc] = p
            object.__setattr__(self, "_by_pos", by_pos)
        return by_pos.get((pos.line, pos.column), ())  # type: ignore[no-any-return]

    def _lookup(self, table: dict[PathKey, tuple[int, int]], path: PathKey) -> Pos:
        p = tuple(path)
        while p:
            if p in table:
                line, col = table[p]
                return Pos(self.file, line, col)
            p = p[:-1]
        line, col = table.get((), (1, 1))
        return Pos(self.file, line, col)


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Bytes -> text. UTF-8 (BOM allowed) only; anything else is refused with a re-save hint."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        guess = _guess_encoding(raw)
        looks = f"，看起来是 {guess} 编码" if guess else ""
        msg = f"文件不是 UTF-8 编码{looks}（第一个无法识别的字节在此处）"
        hint = ("用编辑器把文件另存为 UTF-8 编码：记事本“另存为”时编码选 UTF-8，VS Code 点右下角编码→“通过编码保存”"
                f"→ UTF-8；命令行：iconv -f {guess or 'GBK'} -t UTF-8 原文件 > 新文件。")
        return None, [error(Pos(file, line, col), "encoding", msg, hint)]


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for enc, label in (("gbk", "GBK"), ("gb18030", "GB18030"), ("big5", "Big5")):
        try:
            raw.decode(enc)
            return label
        except UnicodeDecodeError:
            continue
    return ""


def parse_text(text: str, file: str) -> tuple[Doc | None, list[Problem]]:
    """Parse YAML text; syntax errors, tabs, duplicate keys and empty files become problems."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        node = _compose(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, file)]
    except YAMLError as exc:  # unmarked errors are rare; still the user's file
        return None, [error(Pos(file), "yaml-syntax", f"YAML 语法错误：{exc}", _SYNTAX_HINT)]
    if node is None:
        return None, [error(Pos(file), "empty-file", "文件是空的（没有任何 YAML 内容）",
                            "删除该文件，或按 README 中该类文件的字段填写内容。")]
    conv = _Converter(file)
    data = conv.convert(node, ())
    return Doc(file, data, conv.values, conv.keys, text), conv.problems


@functools.cache
def _composer() -> Any:
    """The C parser with the YAML 1.2 resolver, made once. Same nodes as
    `YAML(typ="safe", pure=False).compose` (which resolves 1.2 too), without building a YAML
    object, a loader class and the version lookups per file and per scalar: a third of the time."""
    from ruamel.yaml.cyaml import CParser
    from ruamel.yaml.resolver import Resolver

    class Composer(CParser, Resolver):
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            self._parser = self._composer = self
            Resolver.__init__(self, loadumper=self)

    return Composer


def _compose(text: str) -> Any:
    composer = _composer()(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


def parse_file(path: Path, file: str) -> tuple[Doc | None, list[Problem]]:
    text, problems = decode(path.read_bytes(), file)
    if text is None:
        return None, problems
    return parse_text(text, file)


_SYNTAX_HINT = "检查这一行及上一行的缩进、冒号后的空格、括号和引号是否成对。"

# (words in the parser's context, Chinese message): errors best shown where the construct began.
_UNCLOSED = (
    ("flow sequence", "这里的“[”没有配对的“]”，或列表项之间缺少逗号"),
    ("flow mapping", "这里的“{”没有配对的“}”，或各项之间缺少逗号"),
    ("quoted scalar", "这里开始的引号没有闭合"),
)


def _syntax_problem(exc: Any, text: str, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = src[: len(src) - len(src.lstrip(" \t"))]
    if "\t" in indent or "tab character" in str(exc.problem):
        tab_line = line if "\t" in indent else next(
            (i + 1 for i, s in enumerate(lines) if "\t" in s[: len(s) - len(s.lstrip(" \t"))]), line)
        tab_src = lines[tab_line - 1] if 0 < tab_line <= len(lines) else ""
        return error(Pos(file, tab_line, tab_src.find("\t") + 1), "yaml-tab", "用了制表符（Tab）缩进，YAML 只允许空格",
                     "把该行开头的 Tab 换成空格（每级两个空格）。")
    context = str(exc.context or "")
    for words, message in _UNCLOSED:
        if words in context and exc.context_mark is not None:
            cm = exc.context_mark
            return error(Pos(file, cm.line + 1, cm.column + 1), "yaml-syntax",
                         f"YAML 语法错误：{message}（解析到第 {line} 行第 {col} 列时发现）", _SYNTAX_HINT)
    detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    return error(Pos(file, line, col), "yaml-syntax", f"YAML 语法错误：{_translate(detail)}", _SYNTAX_HINT)


_TRANSLATIONS = {
    "mapping values are not allowed": "此处不能出现“键: 值”（冒号后可能缺空格，或缩进不对）",
    "could not find expected ':'": "缺少冒号“:”",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found character that cannot start any token": "出现了不能作为值开头的字符（如 `、@ 或 Tab），请给值加引号",
    "did not find expected key": "缩进不对或多了字符，这里应是一个“键:”",
    "did not find expected '-' indicator": "列表项缩进不对，缺少“-”",
    "block sequence entries are not allowed": "此处不能出现列表项“- ”（缩进不对）",
    "found undefined alias": "引用了未定义的锚点（*名称）",
    "found duplicate anchor": "锚点（&名称）重复定义",
    "but found another document": "一个文件只能有一个 YAML 文档（删去多余的“---”）",
}


def _translate(detail: str) -> str:
    for en, zh in _TRANSLATIONS.items():
        if en in detail:
            return zh
    return f"无法解析（解析器原文：{detail}）"


@functools.cache
def _node_classes() -> tuple[Any, Any]:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    return MappingNode, SequenceNode


class _Converter:
    """Nodes -> plain data, recording positions and reporting duplicate keys."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[PathKey, tuple[int, int]] = {}
        self.keys: dict[PathKey, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def convert(self, node: Any, path: PathKey) -> Any:
        MappingNode, SequenceNode = _node_classes()  # noqa: N806

        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                key = self._scalar(knode) if not isinstance(knode, (MappingNode, SequenceNode)) else str(knode.value)
                if key == "<<":
                    continue
                kpos = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                if key in out:
                    first = self.keys[path + (key,)]
                    self.problems.append(error(
                        Pos(self.file, *kpos), "duplicate-key",
                        f"键“{key}”重复出现（第一次在第 {first[0]} 行）",
                        "删除或合并重复的键；YAML 中后出现的值会悄悄覆盖前面的值。"))
                    continue
                child = path + (key,)  # one tuple for both tables: less memory, smaller cache
                self.keys[child] = kpos
                out[key] = self.convert(vnode, child)
            return out
        if isinstance(node, SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    @staticmethod
    def _scalar(node: Any) -> Any:
        ctag = node.ctag  # a resolved tag's suffix is the whole tag: skip Tag.__str__ (hot path)
        if ctag is None:
            tag = ""
        elif ctag.handle is None and "%" not in (ctag.suffix or "%"):
            tag = ctag.suffix
        else:
            tag = str(ctag)
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
