"""Who leads a joint meeting, as its registry says (system.yaml `conveners`): a chief convener
(总召集人) or none, the conveners (召集人), what they are called, who approves topics, who chairs by
default and whether the chair may be delegated. Every message and document names them from here,
so a district with a single 召集人 never reads "总召集人".
"""

from __future__ import annotations

from typing import Any

from jiuzhu.model import Leadership, Person, System

CHIEF, CONVENER, DELEGATE, OFFICE = "chief", "convener", "delegate", "office"
ROLES = (CHIEF, CONVENER)


def has_chief(s: System) -> bool:
    return s.chief is not None


def title(s: System, role: str) -> str:
    """总召集人 / 召集人 (or the registry's own titles); 受委托的同志 for a delegate."""
    if role == CHIEF:
        return s.leadership.chief_title
    if role == CONVENER:
        return s.leadership.convener_title
    return "联席会议办公室主任" if role == OFFICE else "受委托的同志"


def approver(s: System) -> str:
    """Who approves topics unless the command says: the registry's `approves`, else the chief."""
    return s.leadership.approves or (CHIEF if has_chief(s) else CONVENER)


def default_chair(s: System) -> str:
    """Who chairs a joint meeting unless the command says."""
    return s.leadership.chairs or (CHIEF if has_chief(s) else CONVENER)


def roles(s: System) -> tuple[str, ...]:
    """The convener roles this registry has."""
    return ROLES if has_chief(s) else (CONVENER,)


def leaders(s: System) -> str:
    """The leaders a notice or briefing goes to: 联席会议总召集人、召集人, or 联席会议召集人."""
    names = [title(s, CHIEF)] if has_chief(s) else []
    if s.conveners or not names:
        names.append(title(s, CONVENER))
    return "联席会议" + "、".join(names)


def person(s: System, role: str, name: str | None = None) -> Person | None:
    """The chief, or the convener of that name (else the first convener)."""
    if role == CHIEF:
        return s.chief
    if role == CONVENER:
        return next((c for c in s.conveners if name and c.name == name), s.conveners[0] if s.conveners else None)
    return None


def people(s: System) -> list[tuple[str, Person]]:
    """(role, person) of every convener the registry lists, the chief first."""
    return [*([(CHIEF, s.chief)] if s.chief is not None else []), *((CONVENER, c) for c in s.conveners)]


def role_help(s: System) -> str:
    """How a command names a convener role, for hints: chief（总召集人）或 convener（召集人）."""
    return "或 ".join(f"{r}（{title(s, r)}）" for r in roles(s))


def leadership(conv: dict[str, Any]) -> Leadership:
    """The Leadership record of system.yaml's `conveners` mapping (missing keys: the defaults)."""
    titles = conv.get("titles") or {}
    return Leadership(titles.get("chief") or "总召集人", titles.get("convener") or "召集人",
                      conv.get("approves"), conv.get("chairs"), bool(conv.get("delegation") or False))
