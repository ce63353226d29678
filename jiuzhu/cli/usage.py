"""Usage errors in Chinese. click prints them in English, so `click.UsageError.show` is replaced
once, here, with a Chinese one: same exit code 2, same facts (usage line, what was wrong, how to
get help)."""

from __future__ import annotations

import re
from typing import IO, Any

import click
import typer

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^Missing argument '([^']+)'\.?$", r"缺少参数 \1。"),
    (r"^Missing option '([^']+)'(?: / '([^']+)')?\.?$", r"缺少选项 \1。"),
    (r"^Missing parameter: (.+)$", r"缺少参数 \1。"),
    (r"^No such option: (\S+)(?: Did you mean (\S+)\?)?$", r"没有选项 \1。"),
    (r"^No such command '([^']+)'\.?$", r"没有命令“\1”。"),
    (r"^Option '([^']+)' requires an argument\.?$", r"选项 \1 后面需要一个值。"),
    (r"^Option '([^']+)' does not take a value\.?$", r"选项 \1 不带值。"),
    (r"^Got unexpected extra arguments? \((.+)\)$", r"多余的参数：\1。"),
    (r"^Invalid value for '([^']+)'(?: / '[^']+')?: (.+)$", r"选项 \1 的值无效：\2"),
    (r"^Invalid value for ([^:]+): (.+)$", r"\1 的值无效：\2"),
    (r"^Invalid value: (.+)$", r"值无效：\1"),
))
_DETAILS = (
    ("Input should be a valid integer, unable to parse string as an integer", "应为整数"),
    ("is not a valid integer", "不是整数"),
    ("is not one of", "不在可选值中："),
)


def translate(message: str) -> str:
    for pattern, repl in _PATTERNS:
        if pattern.match(message):
            message = pattern.sub(repl, message)
            break
    for en, zh in _DETAILS:
        message = message.replace(en, zh)
    return message


def _show(self: Any, file: IO[Any] | None = None) -> None:
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
    typer.echo(f"用法错误：{translate(self.format_message())}", err=True)
    if ctx is not None:
        typer.echo(f"运行 {ctx.command_path} -h 查看帮助。", err=True)


def install() -> None:
    """Replace the usage-error printer (idempotent)."""
    click.UsageError.show = _show  # type: ignore[method-assign]
