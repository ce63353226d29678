"""YAML syntax errors as problems a clerk can fix: where the construct began, in Chinese."""

from __future__ import annotations

from typing import Any

from jiuzhu.problems import Pos, Problem, error

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
