"""A file's own problems a clerk can fix, in Chinese: bytes that are not UTF-8, YAML syntax
(shown where the construct began), and structure no registry file has (alias bombs, deep nesting)."""

from __future__ import annotations

import re
from typing import Any

from jiuzhu.problems import Pos, Problem, error

_BOM = b"\xef\xbb\xbf"
SYNTAX_HINT = "检查这一行及上一行的缩进、冒号后的空格、括号和引号是否成对。"


# (words in the parser's context, Chinese message): errors best shown where the construct began.
_UNCLOSED = (
    ("flow sequence", "这里的“[”没有配对的“]”，或列表项之间缺少逗号"),
    ("flow mapping", "这里的“{”没有配对的“}”，或各项之间缺少逗号"),
    ("quoted scalar", "这里开始的引号没有闭合"),
)


def syntax_problem(exc: Any, text: str, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in _indent(src) or "tab character" in str(exc.problem):
        return _tab_problem(lines, line, file)
    context = str(exc.context or "")
    for words, message in _UNCLOSED:
        if words in context and exc.context_mark is not None:
            cm = exc.context_mark
            return error(Pos(file, cm.line + 1, cm.column + 1), "yaml-syntax",
                         f"YAML 语法错误：{message}（解析到第 {line} 行第 {col} 列时发现）", SYNTAX_HINT)
    detail = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    return error(Pos(file, line, col), "yaml-syntax", f"YAML 语法错误：{_translate(detail)}", SYNTAX_HINT)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _tab_problem(lines: list[str], line: int, file: str) -> Problem:
    """A tab in an indentation: on this line, else the first line indented with one."""
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    tab_line = line if "\t" in _indent(src) else next(
        (i + 1 for i, s in enumerate(lines) if "\t" in _indent(s)), line)
    tab_src = lines[tab_line - 1] if 0 < tab_line <= len(lines) else ""
    return error(Pos(file, tab_line, tab_src.find("\t") + 1), "yaml-tab", "用了制表符（Tab）缩进，YAML 只允许空格",
                 "把该行开头的 Tab 换成空格（每级两个空格）。")


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


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Bytes -> text. UTF-8 (BOM allowed) only; anything else is refused with a re-save hint."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    try:
        text = raw.decode("utf-8")
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
    # three plain searches, each at memchr speed: a class search tests every character (~5 ms a county)
    odd = _ODD_BREAK.search(text) if "\x85" in text or "\u2028" in text or "\u2029" in text else None
    if odd:
        return None, [_odd_break(text, odd.start(), file)]
    return text, []


# Line breaks to the YAML parser (YAML 1.1's NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR) that an
# editor neither shows nor counts: every line number after one would point at the wrong line.
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_ODD_NAMES = {"\x85": "U+0085（NEL）", "\u2028": "U+2028（行分隔符）", "\u2029": "U+2029（段分隔符）"}


def _odd_break(text: str, at: int, file: str) -> Problem:
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    count = len(_ODD_BREAK.findall(text))
    return error(Pos(file, line, col), "odd-line-break",
                 f"文件中有编辑器看不见的换行符 {_ODD_NAMES[text[at]]}（共 {count} 处，第一处在此），"
                 "YAML 会把它当作换行，行号和内容都会对不上",
                 "删除这些字符（常见于从网页或 Word 复制的文字）：VS Code 中按 Ctrl+H，启用正则表达式，"
                 "查找 \\u2028|\\u2029|\\u0085 并全部替换为空。")


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


MAX_DEPTH = 64  # registry files nest about 6 deep; far beyond this is a broken or hostile file
ALIAS_ALLOWANCE = 10_000  # entries aliases (*x) may add beyond what the text itself could hold


class Hostile(Exception):
    """Nesting or alias expansion beyond any registry file: conversion stops with this problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def too_much(node: Any, file: str, depth: int) -> Hostile:
    mark = node.start_mark
    pos = Pos(file, mark.line + 1, mark.column + 1)
    if depth >= MAX_DEPTH:
        return Hostile(error(pos, "yaml-too-deep", f"嵌套超过 {MAX_DEPTH} 层，登记册文件不会有这么深的结构",
                              "检查这里是否多写了括号或缩进；登记册文件通常只有几层。"))
    return Hostile(error(pos, "yaml-alias-bomb", "这里的内容经 YAML 别名（*名称）反复引用，展开后远大于文件本身",
                          "删除锚点（&名称）和别名（*名称），把内容直接写出来；登记册不需要别名。"))
