"""Contacts for a phone: vCard 3.0 (RFC 2426), the version every phone's contacts app imports.

Text values are escaped (backslash, comma, semicolon, newline) and lines folded at 75 octets
without splitting a UTF-8 character, as the RFC asks; lines end with CRLF.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Card(NamedTuple):
    name: str
    org: str  # the unit
    title: str  # e.g. "联络员（科长）"
    work_phone: str | None
    mobile: str | None
    uid: str  # stable across exports: a phone updates the contact instead of adding a second one


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\\n") \
        .replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets (continuations start with a space)."""
    out: list[bytes] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # a continuation line's leading space counts
        if len(current) + len(encoded) > limit:
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def vcards(cards: Iterable[Card]) -> str:
    lines: list[str] = []
    for c in cards:
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"UID:{escape(c.uid)}", f"FN:{escape(c.name)}",
                  f"N:{escape(c.name)};;;;", f"ORG:{escape(c.org)}", f"TITLE:{escape(c.title)}"]
        if c.work_phone:
            lines.append(f"TEL;TYPE=WORK,VOICE:{escape(c.work_phone)}")
        if c.mobile:
            lines.append(f"TEL;TYPE=CELL:{escape(c.mobile)}")
        lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
