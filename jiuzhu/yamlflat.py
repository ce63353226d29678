"""Flat flow collections for the quick reader (jiuzhu.yamlfast): `{date: 2026-03-02, by: minzheng,
percent: 40}` and `[minzheng, caizheng]`, whose every entry is a scalar — most of a registry's
scalars are written so.

An entry (the text between two commas) is read once by the same pattern the entry-by-entry path
matches (`MAP_ITEM`, `SEQ_ITEM`), as if the closing bracket followed it, and kept: entries repeat
across a registry's files (`by: minzheng`, `status: 推进中`), and a kept one costs a dictionary
lookup instead of a match. A collection any entry of which the pattern does not take whole (a
nested collection, a single-quoted scalar, a comma or bracket inside quotes, an empty entry) is
left to the entry-by-entry path, which reads it or declines the text. A mapping whose last entry
is such a sequence (an attendance line) is read the same way when positions are not needed
(`ending_in_sequence`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jiuzhu.yamltags import FLOAT, STR, plain_value, to_float

SHARED_LEN, SHARED_MAX = 64, 200_000  # texts shared (jiuzhu.yamlfast.POOL): at most this long, this many

# One entry of a flow collection written the usual way: a double-quoted (no escapes) or plain
# scalar, the spaces after it, then a comma and spaces, or the closing bracket (not consumed).
# A plain scalar starts with no indicator but "-" before a digit or a point (-3, -.5); libyaml ends a
# flow plain scalar at "?".
# Its words (runs without spaces) are taken whole, never given back (possessive: no backtracking).
PLAIN = r"(?:[^-?:,\[\]{}#&*!|>'\"%@`\s]|-(?=[0-9.]))[^,\[\]{}#:? ]*+(?: ++[^,\[\]{}#:? ]++)*+"
SEQ_ITEM = re.compile(r'(?:"([^"\\]*+)"|(' + PLAIN + r')) *+(?:(,) *+|(?=\]))')
MAP_ITEM = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*): ++(?:"([^"\\]*+)"|(' + PLAIN + r')) *+(?:(,) *+|(?=\}))')

# The last entry of a flow mapping when it is a flow sequence of scalars, up to the closing brace.
LAST_SEQUENCE = re.compile(r" *([A-Za-z_][A-Za-z0-9_-]*): +\[ *([^\[\]{}]*)\] *\}")

# Entries read so far: the entry's text (its spaces included) -> what the pattern gave, or None
# when it does not take the text whole. A pure function of the text (a process has one table of
# plain scalars: jiuzhu.yamltags); emptied past SHARED_MAX entries.
MAP_ENTRIES: dict[str, tuple[str, Any, bool, int, int] | None] = {}  # key, value, share it, key's and value's offset
SEQ_ENTRIES: dict[str, tuple[Any, bool, int] | None] = {}  # value, share it, value's offset


def collection(s: str, i: int, close: str, table: dict[str, Any],
               read: Callable[[str], Any]) -> tuple[list[str], list[Any], int] | None:
    """The flow collection from s[i] (after its opening bracket and spaces) to the first `close`:
    its entries' texts, what `read` gives for each (kept in `table`) and where it closes; or None
    if `read` does not take every entry whole."""
    end = s.find(close, i)
    if end <= i:
        return None if end < 0 else ([], [], end)  # none, or empty
    parts = s[i:end].split(",")
    found = entries(parts, table, read)
    return None if found is None else (parts, found, end)


def ending_in_sequence(s: str, i: int) -> tuple[list[Any], str, list[Any], int] | None:
    """The flow mapping from s[i] if its entries are `key: scalar` but the last, a flat flow
    sequence (an attendance line: `{unit: minzheng, names: [李娜, 王芳]}`): the first entries as
    `map_entry` reads them, the last key, its items as `seq_entry` reads them and the index after
    the closing brace; else None."""
    j = s.find("[", i)
    if j < 0:
        return None
    k = s.rfind(",", i, j)  # the comma before the last entry (a comma in quotes: an entry fails)
    m = LAST_SEQUENCE.match(s, k + 1 if k >= 0 else i)
    if m is None or plain_value(m.group(1)) is not STR:
        return None
    head = entries(s[i:k].split(","), MAP_ENTRIES, map_entry) if k >= 0 else []
    inner = m.group(2)
    items = entries(inner.split(","), SEQ_ENTRIES, seq_entry) if inner else []
    if head is None or items is None:
        return None
    return head, m.group(1), items, m.end()


def entries(parts: list[str], table: dict[str, Any], read: Callable[[str], Any]) -> list[Any] | None:
    """What `read` gives for each part (kept in `table`), or None if it does not take one."""
    out = []
    for part in parts:
        found = table.get(part, table)
        if found is table:
            if len(table) > SHARED_MAX:
                table.clear()
            found = table[part] = read(part)
        if found is None:
            return None
        out.append(found)
    return out


def map_entry(part: str) -> tuple[str, Any, bool, int, int] | None:
    """A flat flow mapping's entry as the entry-by-entry path reads it: its key (a plain text),
    its value, whether the value is a text to share, and the 0-based offsets of the key and of the
    value's column (the opening quote's, or the plain scalar's plus one) in `part`."""
    text = part.lstrip(" ")
    lead = len(part) - len(text)
    m = MAP_ITEM.match(text + "}")
    if m is None or m.end() != len(text) or plain_value(m.group(1)) is not STR:
        return None
    key, quoted, plain, _ = m.groups()
    value, shared = scalar_value(quoted, plain)
    return key, value, shared, lead, lead + (m.start(2) if quoted is not None else m.start(3) + 1)


def seq_entry(part: str) -> tuple[Any, bool, int] | None:
    """A flat flow sequence's item as the entry-by-entry path reads it (as `map_entry`)."""
    text = part.lstrip(" ")
    lead = len(part) - len(text)
    m = SEQ_ITEM.match(text + "]")
    if m is None or m.end() != len(text):
        return None
    quoted, plain, _ = m.groups()
    value, shared = scalar_value(quoted, plain)
    return value, shared, lead + (m.start(1) if quoted is not None else m.start(2) + 1)


def scalar_value(quoted: str | None, plain: str) -> tuple[Any, bool]:
    """An entry's value (its double-quoted text, else its plain scalar typed by YAML's rules) and
    whether it is a text short enough to share."""
    if quoted is not None:
        return quoted, len(quoted) <= SHARED_LEN
    data = plain_value(plain)
    if data is STR:
        return plain, len(plain) <= SHARED_LEN
    return (to_float(plain) if data is FLOAT else data), False
