"""The kinds of meeting (例会, 临时会议, 联络员会议) and what a system calls them: a district's 全体会议
or 专题协调会 is its own wording (system.yaml documents.meeting_names), used in titles, lists,
documents, calendars and the site, and accepted by `meeting new --kind`."""

from __future__ import annotations

import contextlib

from jiuzhu import parse
from jiuzhu.errors import InputRefused
from jiuzhu.model import System

KIND_NAMES = {"regular": "例会", "adhoc": "临时会议", "liaison": "联络员会议"}


def kind_names(s: System | None) -> dict[str, str]:
    """What this system calls its kinds of meeting (documents.meeting_names: 全体会议, 专题协调会 …)."""
    own = s.parameters.documents.get("meeting_names") if s is not None else None
    return {**KIND_NAMES, **{k: v for k, v in (own or {}).items() if k in KIND_NAMES and v}}


def kind_name(s: System | None, kind: str) -> str:
    return kind_names(s).get(kind, kind)


def kind_of(s: System | None, value: str) -> str:
    """A kind given by its identifier, this system's name for it or the usual name (例会); a wrong
    one is refused listing this system's own names."""
    for names in (kind_names(s), KIND_NAMES):
        with contextlib.suppress(InputRefused):
            return parse.choice(value, names, "--kind")
    return parse.choice(value, kind_names(s), "--kind")  # refused
