"""Helpers for the working-cycle tests (issue 3): drive the CLI a step at a time, write raw
proposal and meeting files for validate rules, and run the validator."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

from conftest import tree_hash

from jiuzhu.loader import load
from jiuzhu.problems import Problem
from jiuzhu.validate import run


def ok(jz: Any, root: Path, *args: str) -> Any:
    res = jz(root, *args)
    assert res.exit_code == 0, res.output
    return res


def refused(jz: Any, root: Path, *args: str) -> str:
    """Run a command that must be refused; return its message (exit 1, no traceback)."""
    res = jz(root, *args)
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    return str(res.output)


def refused_cleanly(jz: Any, root: Path, args: tuple[str, ...], message: str, hint: str, **subs: str) -> None:
    """The command is refused with `message` and `hint` and writes not one byte. `{name}` in args,
    message and hint is replaced by `subs[name]` (ids drawn at random while setting up)."""

    def fill(s: str) -> str:
        for key, value in subs.items():
            s = s.replace("{" + key + "}", value)
        return s

    before = tree_hash(root)
    out = refused(jz, root, *map(fill, args))
    assert fill(message) in out
    assert fill(hint) in out
    assert tree_hash(root) == before


def created_id(jz: Any, root: Path, *args: str) -> str:
    return str(json.loads(ok(jz, root, *args, "--format", "json").stdout)["id"])


def proposal(
    jz: Any, root: Path, unit: str = "minzheng", title: str = "关于提高城乡低保标准的议题", date: str = "2026-09-01"
) -> str:
    return created_id(jz, root, "proposal", "new", "--unit", unit, "--title", title, "--date", date)


def approved(
    jz: Any,
    root: Path,
    unit: str = "minzheng",
    title: str = "关于提高城乡低保标准的议题",
    date: str = "2026-09-01",
    approve: str = "2026-09-08",
) -> str:
    pid = proposal(jz, root, unit, title, date)
    ok(jz, root, "proposal", "review", pid, "--pass", "--opinion", "同意提交审定", "--date", date)
    ok(jz, root, "proposal", "approve", pid, "--date", approve)
    return pid


def meeting(jz: Any, root: Path, kind: str = "regular", date: str = "2026-09-22", *extra: str) -> str:
    return created_id(jz, root, "meeting", "new", "--kind", kind, "--date", date, *extra)


def registry(root: Path) -> Any:
    return load(root).registry


def problems(root: Path, as_of: str = "2026-12-31") -> list[Problem]:
    return run(load(root), dt.date.fromisoformat(as_of))


def codes(found: list[Problem]) -> list[str]:
    return [p.code for p in found]


def errors(found: list[Problem]) -> list[Problem]:
    return [p for p in found if p.is_error]


def text(s: str) -> str:
    return textwrap.dedent(s).lstrip("\n")


def proposal_file(pid: str, history: str, unit: str = "minzheng") -> dict[str, str]:
    """A raw proposal file under proposals/2026/ (history given as YAML list lines)."""
    return {f"proposals/2026/{pid}.yaml": f"id: {pid}\nunit: {unit}\ntitle: 议题\nhistory:\n{text(history)}"}


APPROVED_HISTORY = """
  - {action: submit, to: 待初审, date: 2026-09-01, by: minzheng}
  - {action: review_pass, to: 已通过初审, date: 2026-09-02, by: office}
  - {action: approve, to: 已审定, date: 2026-09-03, by: chief}
"""


def meeting_file(mid: str, kind: str, date: str, body: str = "") -> dict[str, str]:
    """A raw meeting file (expected: both mini units; chair chief unless the body says otherwise)."""
    chair = "" if "chair:" in body else "chair: {role: chief}\n"
    head = f"id: {mid}\nkind: {kind}\ndate: {date}\n{chair}expected: [minzheng, caizheng]\n"
    return {f"meetings/{date[:4]}/{mid}.yaml": head + text(body)}
