"""The fast read path: YAML text -> plain data plus the 1-based position of every key and value.

Uses ruamel.yaml's C parser (typ='safe', pure=False) to compose nodes, then converts the nodes
itself so that positions survive and duplicate keys are found. Dates stay ISO strings here; the
schema check turns them into real dates and reports days that do not exist.
"""

from __future__ import annotations

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

    def at(self, *path: Any) -> Pos:
        """Position of the value at `path`, or of its nearest enclosing value."""
        return self._lookup(self.values, path)

    def key_at(self, *path: Any) -> Pos:
        """Position of the mapping key at `path` (falls back to the value's position)."""
        if path in self.keys:
            line, col = self.keys[path]
            return Pos(self.file, line, col)
        return self.at(*path)

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
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = _guess_encoding(raw)
        hint = "请用文本编辑器“另存为”UTF-8 编码（记事本：编码选 UTF-8；VS Code：右下角“通过编码保存”→ UTF-8）。"
        msg = f"文件不是 UTF-8 编码{f'，看起来是 {guess} 编码' if guess else ''}"
        return None, [error(Pos(file, line, col), "encoding", msg, hint)]


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for enc, label in (("gb18030", "GBK（Windows 中文默认编码）"), ("big5", "Big5")):
        try:
            raw.decode(enc)
            return label
        except UnicodeDecodeError:
            continue
    return ""


def parse_text(text: str, file: str) -> tuple[Doc | None, list[Problem]]:
    """Parse YAML text; syntax errors, tabs, duplicate keys and empty files become problems."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=False)
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, file)]
    except YAMLError as exc:  # unmarked errors are rare; still the user's file
        return None, [error(Pos(file), "yaml-syntax", f"YAML 语法错误：{exc}")]
    if node is None:
        return None, [error(Pos(file), "empty-file", "文件是空的", "删除该文件，或按 README 中该类文件的字段填写内容。")]
    conv = _Converter(file)
    data = conv.convert(node, ())
    return Doc(file, data, conv.values, conv.keys), conv.problems


def parse_file(path: Path, file: str) -> tuple[Doc | None, list[Problem]]:
    text, problems = decode(path.read_bytes(), file)
    if text is None:
        return None, problems
    return parse_text(text, file)


def _syntax_problem(exc: Any, text: str, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in src[: max(col, 1)] or (col - 1 < len(src) and src[col - 1 : col] == "\t"):
        tab_col = src.index("\t") + 1
        return error(Pos(file, line, tab_col), "yaml-tab", "用了制表符（Tab）缩进，YAML 只允许空格",
                     "把该行开头的 Tab 换成空格（每级两个空格）。")
    detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    return error(Pos(file, line, col), "yaml-syntax", f"YAML 语法错误：{_translate(detail)}",
                 "检查这一行及上一行的缩进、冒号后的空格、括号和引号是否成对。")


_TRANSLATIONS = {
    "did not find expected ',' or ']'": "缺少逗号或右方括号 ]",
    "did not find expected ',' or '}'": "缺少逗号或右花括号 }",
    "mapping values are not allowed here": "此处不能出现“键: 值”（冒号后可能缺空格或缩进不对）",
    "could not find expected ':'": "缺少冒号“:”",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found character that cannot start any token": "出现了不能开始一个值的字符",
    "did not find expected key": "缩进不对，找不到预期的键",
    "did not find expected '-' indicator": "列表项缩进不对，缺少“-”",
    "found undefined alias": "引用了未定义的锚点",
}


def _translate(detail: str) -> str:
    for en, zh in _TRANSLATIONS.items():
        if en in detail:
            return zh
    return detail


class _Converter:
    """Nodes -> plain data, recording positions and reporting duplicate keys."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[PathKey, tuple[int, int]] = {}
        self.keys: dict[PathKey, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def convert(self, node: Any, path: PathKey) -> Any:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

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
                self.keys[path + (key,)] = kpos
                out[key] = self.convert(vnode, path + (key,))
            return out
        if isinstance(node, SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    @staticmethod
    def _scalar(node: Any) -> Any:
        tag = str(getattr(node.tag, "value", node.tag) or "")
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
