"""Shared CLI state and the few helpers every command uses (load, dates, ids from the user)."""

from __future__ import annotations

import datetime as dt
import os
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

    @property
    def root(self) -> Path:
        return Path(self.registry)

    def shown(self, rel: str) -> str:
        """A registry-relative path as the user should see it (joined to what they passed)."""
        return os.path.join(self.registry, rel) if rel else self.registry


STATE = State()


def load(allow_errors: bool = False) -> Registry:
    """Load the registry for a command; refuse when it has errors (validate shows them all)."""
    from jiuzhu.errors import RegistryInvalid
    from jiuzhu.loader import load as _load

    loaded = _load(STATE.root, parser=_parser())
    if loaded.errors and not allow_errors:
        raise RegistryInvalid(loaded.errors)
    return loaded.registry


def _parser() -> Any:
    """The parse function for the read path: the parse cache (jiuzhu.cache), unless --no-cache."""
    if STATE.no_cache:
        return None
    from jiuzhu.cache import ParseCache

    return ParseCache(STATE.root)


def check_registry(as_of: dt.date) -> list[Any]:
    """`validate`'s problems on `as_of`; with the cache, the last ones while no file changed."""
    from jiuzhu.loader import load as _load
    from jiuzhu.validate import run

    if STATE.no_cache or not STATE.root.is_dir():
        return run(_load(STATE.root, parser=_parser()), as_of)
    from jiuzhu.cache import cached

    return cached(STATE.root, "validate", (as_of.isoformat(),), lambda c: run(_load(STATE.root, parser=c), as_of))  # type: ignore[no-any-return]


def today() -> dt.date:
    """Today in Asia/Shanghai: deadlines are Chinese office days wherever the command runs."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def parse_date(value: str | None, option: str) -> dt.date | None:
    """A date given on the command line, refused clearly when it does not exist."""
    if value is None:
        return None
    from jiuzhu.errors import InputRefused

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputRefused(f"{option} 的值“{value}”不是存在的日期", "日期写成 YYYY-MM-DD，例如 2026-03-15。") from None


def as_of_or_today(value: str | None) -> dt.date:
    return parse_date(value, "--as-of") or today()


FormatOpt = typer.Option("--format", "-f", help="输出格式：table 或 json")
