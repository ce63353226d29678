"""Everything the CLI prints: Chinese messages, problem lines, JSON porcelain, rich tables.

Kept apart from the logic (idea from todoman's formatters): core functions return values, this
module turns them into text.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import typer
from rich.cells import cell_len

from jiuzhu.cli.common import STATE
from jiuzhu.privacy import mask_text

if TYPE_CHECKING:
    from jiuzhu.errors import JiuzhuError
    from jiuzhu.problems import Problem


def check_format(fmt: str, allowed: tuple[str, ...] = ("table", "json")) -> None:
    """Refuse an unknown --format as a usage error (exit 2) instead of silently printing a table."""
    if fmt not in allowed:
        choices = "、".join(allowed[:-1]) + f" 或 {allowed[-1]}"
        raise typer.BadParameter(f"只能是 {choices}", param_hint="--format")


# Control characters in what users wrote (an ESC in a note) are shown, never sent to the terminal.
_SHOWN = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7f, *range(0x80, 0xa0)) if chr(c) not in "\n\t"}
_HAS_CONTROL = re.compile("[" + "".join(map(chr, _SHOWN)) + "]").search  # one pass in C; translate() looks
# every character up in a dict, half of printing a long table


def printable(text: str) -> str:
    return text.translate(_SHOWN) if _HAS_CONTROL(text) else text


def said(text: str | None) -> str:
    """A message or hint as shown: personal data masked (a user's value quoted in a message may
    hold an ID number), control characters shown. Every problem and error goes through here."""
    return mask_text(text or "")


def echo(text: str = "", err: bool = False) -> None:
    typer.echo(printable(text), err=err)


NAMELESS_CHAIR_HINT = "在会议文件的 chair 下填写 name，或在 system.yaml 的召集人中填写姓名。"


def warn(message: str, hint: str = "") -> None:
    """A warning on stderr: what, then how to fix it."""
    echo(f"警告：{message}", err=True)
    if hint:
        echo(f"  提示：{hint}", err=True)


def report_error(exc: JiuzhuError) -> None:
    from jiuzhu.errors import RegistryInvalid

    echo(f"错误：{said(exc.message)}", err=True)
    if exc.hint:
        echo(f"  提示：{said(exc.hint)}", err=True)
    if isinstance(exc, RegistryInvalid):
        for p in exc.problems[:10]:
            echo(problem_line(p), err=True)
        if len(exc.problems) > 10:
            echo(f"……另有 {len(exc.problems) - 10} 个错误", err=True)


def problem_line(p: Problem) -> str:
    label = "错误" if p.is_error else "警告"
    return f"{STATE.shown(p.pos.file)}:{p.pos.line}:{p.pos.column}: {p.code} {label}：{said(p.message)}"


def print_problems(problems: Sequence[Problem], fmt: str, verbose: bool = False) -> None:
    """Errors first, then warnings. Text folds repeated warnings into one line unless `verbose`;
    the machine formats (json, github, codequality) always give every problem."""
    from jiuzhu.problems import ordered

    found = ordered(list(problems))
    if fmt == "text":
        _problems_text(found, verbose)
    else:
        {"json": _problems_json, "codequality": _problems_codequality, "github": _problems_github}[fmt](found)


def _problems_json(problems: Sequence[Problem]) -> None:
    def obj(p: Problem) -> dict[str, Any]:
        return {"file": STATE.shown(p.pos.file), "line": p.pos.line, "column": p.pos.column,
                "code": p.code, "message": said(p.message), "hint": said(p.hint)}
    print_json({"errors": [obj(p) for p in problems if p.is_error],
                "warnings": [obj(p) for p in problems if not p.is_error]})


def _problems_codequality(problems: Sequence[Problem]) -> None:
    print_json([_codequality(p) for p in problems])


def _problems_github(problems: Sequence[Problem]) -> None:
    for p in problems:
        kind = "error" if p.is_error else "warning"
        msg = f"{p.code} {said(p.message)}" + (f"（{said(p.hint)}）" if p.hint else "")
        where = f"file={_gh_property(STATE.shown(p.pos.file))},line={p.pos.line},col={p.pos.column}"
        typer.echo(f"::{kind} {where}::{_gh_escape(msg)}")


def _problems_text(problems: Sequence[Problem], verbose: bool) -> None:
    from jiuzhu.problems import Group, grouped

    folded = False
    for item in (list(problems) if verbose else grouped(list(problems))):
        if isinstance(item, Group):
            folded = True
            p = item.first
            echo(f"{STATE.shown(p.pos.file)}:{p.pos.line}:{p.pos.column} 等 {len(item.problems)} 处: "
                 f"{p.code} 警告：{said(item.message)}")
        else:
            p = item
            echo(problem_line(p))
        if p.hint:
            echo(f"    提示：{said(p.hint)}")
    errors = sum(1 for p in problems if p.is_error)
    if problems:
        echo(f"共 {errors} 个错误，{len(problems) - errors} 个警告。"
             + ("相同的警告已合并为一行，加 --verbose 逐条列出。" if folded else ""))
    else:
        echo("登记册检查通过，没有发现问题。")


def _codequality(p: Problem) -> dict[str, Any]:
    """One GitLab Code Quality issue (merge-request widget and diff annotations); the fingerprint
    is stable across pipelines while file, line, code and message stay the same."""
    import hashlib

    path = STATE.shown(p.pos.file).removeprefix("./")
    key = "\0".join((path, str(p.pos.line), p.code, said(p.message)))
    return {"description": f"{p.code} {said(p.message)}" + (f"（{said(p.hint)}）" if p.hint else ""),
            "check_name": p.code, "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
            "severity": "major" if p.is_error else "minor", "location": {"path": path, "lines": {"begin": p.pos.line}}}


def _gh_property(s: str) -> str:
    """A workflow command's property value (GitHub's rules: %, CR, LF, and : and , too)."""
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def print_json(value: Any) -> None:
    """UTF-8 JSON with Chinese kept readable; key order is the one the core produced (stable). A
    long list is written one element a line, as it goes: json's C encoder does no indenting."""
    sys.stdout.flush()
    out = sys.stdout
    if isinstance(value, list) and len(value) >= LONG_FROM:
        encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
        out.write("[\n")
        for start in range(0, len(value), _CHUNK):
            part = value[start:start + _CHUNK]
            out.write(",\n".join("  " + encode(x) for x in part) + (",\n" if start + _CHUNK < len(value) else "\n"))
        out.write("]\n")
    else:
        out.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
    out.flush()


Column = str | tuple[str, dict[str, Any]]
LONG_FROM = 50  # rows from which a table is printed as plain aligned lines, streamed
_CHUNK = 1000  # lines written at once


def table(title: str | None, columns: Iterable[Column], rows: Iterable[Sequence[Any]],
          long: bool | None = None) -> None:
    """A table. Up to LONG_FROM rows: a rich table sized for the terminal (long cells wrap,
    never cut). Longer: one plain line per row, columns aligned, the free-text column (option
    "text": True, else the last one) at the end where it may run on; streamed as it goes.
    Cells are plain text: brackets in a duty or a note are printed, not read as rich markup.
    `long`: the layout chosen by the caller (several tables of one listing look alike)."""
    specs = [col if isinstance(col, tuple) else (col, {}) for col in columns]
    title = printable(title) if title else title
    cells = [["" if v is None else printable(str(v)) for v in row] for row in rows]
    if len(cells) >= LONG_FROM if long is None else long:
        _plain(title, specs, cells)
        return
    # rich's console and table are imported only for short tables: 40 ms that a long listing and
    # JSON do not need (python -X importtime)
    from rich.console import Console
    from rich.table import Table

    console = Console(width=_width(), soft_wrap=False, highlight=False, markup=False)
    t = Table(title=title, show_lines=False, header_style="bold", expand=False)
    for name, opts in specs:
        t.add_column(name, overflow="fold", **{k: v for k, v in opts.items() if k != "text"})
    for row in cells:
        t.add_row(*row)
    console.print(t)


def _plain(title: str | None, specs: list[tuple[str, dict[str, Any]]], rows: list[list[str]]) -> None:
    free = next((i for i, (_, opts) in enumerate(specs) if opts.get("text")), len(specs) - 1)
    order = [i for i in range(len(specs)) if i != free] + [free]
    head = [[specs[i][0] for i in order]]
    flat = head + [[row[i].replace("\n", " ").replace("\t", " ") for i in order] for row in rows]
    # the fixed columns padded to their widest cell (measured once each), the free text after them
    padded = [_padded([r[c] for r in flat]) for c in range(len(order) - 1)]
    lines = ["  ".join(parts).rstrip() + "\n" for parts in zip(*padded, [r[-1] for r in flat], strict=True)]
    out = sys.stdout
    out.write((f"{title}\n" if title else "") + lines[0] + "─" * min(cell_len(lines[0]) - 1, _width()) + "\n")
    for start in range(1, len(lines), _CHUNK):
        out.write("".join(lines[start:start + _CHUNK]))
    out.flush()


def _padded(cells: list[str]) -> list[str]:
    """A column's cells padded to its widest (display width: CJK counts two)."""
    sizes = [len(x) if x.isascii() else cell_len(x) for x in cells]
    most = max(sizes)
    return [x + " " * (most - n) for x, n in zip(cells, sizes, strict=True)]


def _width() -> int:
    import shutil

    cols = shutil.get_terminal_size((80, 24)).columns
    return max(60, min(cols, 120)) if sys.stdout.isatty() else 80


def created(fmt: str, ident: str, rel: str, message: str) -> None:
    """What commands that create something print: the id and file, or {"id","path"} as JSON."""
    if fmt == "json":
        print_json({"id": ident, "path": rel})
    else:
        echo(message)
        echo(f"  编号：{ident}")
        echo(f"  文件：{STATE.shown(rel)}")


def initialized(fmt: str, directory: str, files: list[str]) -> None:
    """What `init` prints: the new registry and its files, or {"id","path"} as JSON."""
    import os

    if fmt == "json":
        print_json({"id": os.path.basename(os.path.normpath(directory)), "path": directory})
        return
    echo(f"已新建登记册：{directory}")
    for rel in files:
        echo(f"  {os.path.join(directory, rel)}")
    echo(f"接着填写成员单位和职责，然后运行 jiuzhu --registry {directory} validate。")
