"""Shared CLI state and the few helpers every command uses (load, dates, ids from the user)."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer

from jiuzhu.errors import RegistryInvalid

if TYPE_CHECKING:
    from jiuzhu.loader import Loaded
    from jiuzhu.model import Registry


@dataclass
class State:
    registry: str = "registry"
    no_cache: bool = False
    loaded: Any = None  # the registry this run loaded, alive until the program ends (jiuzhu.cli.main)

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
    duties; jiuzhu.loader.FOUNDING)."""
    loaded = load_all(founding)
    if loaded.errors and not allow_errors:
        raise RegistryInvalid(loaded.errors)
    return loaded.registry


def writes(command: Callable[..., Any]) -> Callable[..., Any]:
    """For a command that changes the registry: it runs holding the registry's lock
    (jiuzhu.writer.registry_lock) from before it loads the registry to its last write."""
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with write_lock():
            return command(*args, **kwargs)

    return run


def write_lock() -> Any:
    from jiuzhu.writer import registry_lock  # see load_all

    return registry_lock(STATE.root)


def load_all(founding: bool = False) -> Loaded:
    # Imported here, not at the top: the loader brings ruamel.yaml and the model, 60 ms that
    # `jiuzhu --help` and every command's --help would otherwise pay (python -X importtime).
    from jiuzhu import loader

    STATE.loaded = loader.load(STATE.root, loader.FOUNDING if founding else None, use_cache=not STATE.no_cache)
    return STATE.loaded


def today() -> dt.date:
    """Today in Asia/Shanghai: deadlines are Chinese office days wherever the command runs.
    JIUZHU_TODAY=2026-09-22 stands in for the clock (reproducible demos and tests)."""
    clock = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    fixed = os.environ.get("JIUZHU_TODAY")
    if fixed:
        from jiuzhu import parse

        return parse.date(fixed, "环境变量 JIUZHU_TODAY", clock)
    return clock


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A date given on the command line in any way people write one (jiuzhu.parse.date)."""
    if value is None:
        return None
    from jiuzhu import parse

    return parse.date(value, option, today())


DateOpt = typer.Option("--date", help="办理日期，如 2026-9-22、9月22日或昨天（默认今天，北京时间）")


def act_date(value: str | None) -> dt.date:
    """The date of an act: today by default; never after today (only what has happened is recorded)."""
    now = today()
    day = parse_date(value, "--date") or now
    if day > now:
        from jiuzhu.errors import InputRefused

        raise InputRefused(f"--date {day} 晚于今天（{now}），不能预先记录",
                           "只记录已经办理的事；不写 --date 即为今天。")
    return day


def interactive() -> bool:
    """A person at a terminal can be asked; a script cannot (it must say what it wants)."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def as_of_or_today(value: str | None) -> dt.date:
    return parse_date(value, "--as-of") or today()


def _table_or_json(value: str) -> str:
    """Refuse an unknown --format at parse time: a usage error (exit 2), never a silent table."""
    if value not in ("table", "json"):
        raise typer.BadParameter(f"“{value}”不是可用的格式，只能是 table 或 json")
    return value


FormatOpt = typer.Option("--format", "-f", help="输出格式：table 或 json", callback=_table_or_json)
