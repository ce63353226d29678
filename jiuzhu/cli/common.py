"""Shared CLI state and the few helpers every command uses (load, dates, ids from the user)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from jiuzhu.model import Registry


@dataclass
class State:
    registry: str = "registry"
    no_cache: bool = False
    parser: Any = None  # the parse cache `replay` opened, while its query runs

    @property
    def root(self) -> Path:
        return Path(self.registry)

    def shown(self, rel: str) -> str:
        """A registry-relative path as the user should see it (joined to what they passed)."""
        return os.path.join(self.registry, rel) if rel else self.registry


STATE = State()


def load(allow_errors: bool = False, founding: bool = False) -> Registry:
    """Load the registry for a command; refuse when it has errors (validate shows them all).
    `founding`: only system.yaml, areas.yaml, calendar.yaml and units/ (questions about units and
    duties; jiuzhu.loader.FOUNDING) — a few dozen files, so parsed without opening the cache."""
    from jiuzhu.errors import RegistryInvalid
    from jiuzhu.loader import FOUNDING
    from jiuzhu.loader import load as _load

    if founding:
        loaded = _load(STATE.root, only=FOUNDING)
    else:
        loaded = _load(STATE.root, parser=_parser())
    if loaded.errors and not allow_errors:
        raise RegistryInvalid(loaded.errors)
    return loaded.registry


def _parser() -> Any:
    """The parse function for the read path: the parse cache (jiuzhu.cache), unless --no-cache."""
    if STATE.no_cache:
        return None
    if STATE.parser is not None:  # inside `replay`: the cache it already opened
        return STATE.parser
    from jiuzhu.cache import ParseCache

    return ParseCache(STATE.root)


def check_registry(as_of: dt.date) -> list[Any]:
    """`validate`'s problems on `as_of`; with the cache, the last ones while no file changed."""
    def compute(parser: Any) -> list[Any]:
        from jiuzhu.loader import load as _load
        from jiuzhu.validate import run

        return run(_load(STATE.root, parser=parser), as_of)

    if STATE.no_cache or not STATE.root.is_dir():
        return compute(_parser())

    def problems(value: Any) -> bool:
        from jiuzhu.problems import Problem

        return isinstance(value, list) and all(isinstance(p, Problem) for p in value)

    return _cached("validate", (as_of.isoformat(),), compute, problems)  # type: ignore[no-any-return]


def _cached(name: str, key: tuple[str, ...], compute: Callable[[Any], Any], valid: Callable[[Any], bool]) -> Any:
    """jiuzhu.cache.cached, after asking the stat memo (jiuzhu.files) without importing the
    cache, the loader or the model: a warm, unchanged registry costs one stat of each file.
    `valid`: whether a remembered value has the shape the caller needs (else computed again)."""
    from jiuzhu.files import Scan

    scan = Scan(STATE.root)
    hit, value = scan.recall(name, key)
    if hit and valid(value):
        return value
    from jiuzhu.cache import cached

    return cached(STATE.root, name, key, compute, scan=scan, valid=valid)


def replay(name: str, key: tuple[str, ...], produce: Callable[[], int]) -> int:
    """Run a read-only query command's `produce()` (it prints, returns the exit code), or print
    what it printed last time for the same registry content, `key` and date: a warm query then
    costs a stat of each file. Recorded as it would be printed: coloured and as wide as the
    terminal when stdout is one (the key holds its size). With --no-cache the query always runs."""
    import sys
    from contextlib import redirect_stderr, redirect_stdout

    if STATE.no_cache or not STATE.root.is_dir():
        return produce()
    from jiuzhu.launch import Recorder, output_env

    # what else changes the printed output (FORCE_COLOR makes rich colour a pipe, ...)
    key = (*key, repr(output_env()))

    def run(cache: Any) -> tuple[list[tuple[int, str]], int]:
        log: list[tuple[int, str]] = []
        STATE.parser = cache
        try:
            with redirect_stdout(Recorder(log, 0)), redirect_stderr(Recorder(log, 1)):
                code = produce()
        finally:
            STATE.parser = None
        return log, code

    from jiuzhu.launch import printable

    log, code = _cached(name, key, run, lambda value: isinstance(value, (list, tuple)) and len(value) == 2
                        and printable(*value))
    from jiuzhu.launch import note

    note(STATE.root, name, key)  # the next identical invocation is answered before the CLI is built
    for which, text in log:
        stream = sys.stderr if which else sys.stdout
        stream.write(text)
        stream.flush()
    return code  # type: ignore[no-any-return]


def today() -> dt.date:
    """Today in Asia/Shanghai: deadlines are Chinese office days wherever the command runs.
    JIUZHU_TODAY=YYYY-MM-DD stands in for the clock (reproducible demos and tests)."""
    fixed = os.environ.get("JIUZHU_TODAY")
    if fixed:
        day = parse_date(fixed, "环境变量 JIUZHU_TODAY")
        assert day is not None
        return day
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A date given on the command line, refused clearly when it does not exist."""
    if value is None:
        return None
    from jiuzhu.errors import InputRefused

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputRefused(f"{option} 的值“{value}”不是存在的日期", "日期写成 YYYY-MM-DD，例如 2026-03-15。") from None
    if not 1949 <= day.year <= 2199:
        raise InputRefused(f"{option} 的日期 {day} 超出可处理的范围（1949–2199 年）", "检查年份是否写错。")
    return day


def as_of_or_today(value: str | None) -> dt.date:
    return parse_date(value, "--as-of") or today()


def _table_or_json(value: str) -> str:
    """Refuse an unknown --format at parse time: a usage error (exit 2), never a silent table."""
    if value not in ("table", "json"):
        raise typer.BadParameter(f"“{value}”不是可用的格式，只能是 table 或 json")
    return value


FormatOpt = typer.Option("--format", "-f", help="输出格式：table 或 json", callback=_table_or_json)
