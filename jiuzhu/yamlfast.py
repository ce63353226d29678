"""The quick read path for the plain YAML that registry files are: block mappings and sequences,
one-line flow collections, plain and simply quoted one-line scalars, comments.

`parse` gives exactly what `jiuzhu.yamlread` gives from ruamel's C parser (data, both position
tables in the same order; tests/test_yamlread_equivalence.py compares the two on every input it
has) or None: it declines any text with something it does not handle — tabs, carriage returns,
anchors, aliases, tags, directives, block scalars, escapes, multi-line scalars or collections,
empty values, duplicate or non-identifier keys, anything YAML would refuse — and the caller
then parses the text with ruamel. Without the C parser's call into Python for every node, a
registry file is read about twice as fast. Read `lean`, it gives the same data and leaves out the
positions inside flat flow collections (jiuzhu.yamlflat), which jiuzhu.doc reads when asked.
"""

from __future__ import annotations

import re
from typing import Any

from jiuzhu import yamlflat as flat
from jiuzhu.doc import PathKey, Tables
from jiuzhu.yamlerrors import MAX_DEPTH
from jiuzhu.yamlflat import MAP_ITEM, SEQ_ITEM, SHARED_LEN
from jiuzhu.yamltags import FLOAT, KNOWN, STR, plain_value, to_float

# Texts with these (controls, tabs, carriage returns, NEL, line and paragraph separators, byte-order
# marks, surrogates, non-characters) are left to ruamel, which knows what each means. (Written as the
# characters refused, not as those allowed: compiling the negated class took 5 ms of every start.)
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")  # a block mapping key and the spaces after it
_FLOW_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): +")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NEGATIVE = frozenset("0123456789.")  # "-" before one of these starts a plain scalar (-3, -.5)
_MARKERS = ("---", "...", "%")  # a line starting so is a document marker or a directive
_DEPTH = MAX_DEPTH - 2  # deeper is left to ruamel (and its depth check)

# Equal keys and short texts of every file read in this process become one object each (unit ids,
# dates, statuses, field names repeat across thousands of files): less memory, and the parse
# cache pickles each once (jiuzhu.cache). Shared by both read paths (jiuzhu.yamlread empties it
# when it grows past yamlflat.SHARED_MAX).
POOL: dict[str, str] = {}


class _Decline(Exception):
    """Something this reader does not handle: ruamel parses the text instead."""


def parse(text: str, share: Any, lean: bool = False) -> tuple[Any, Tables, Tables, bool] | None:
    """(data, value positions, key positions, partial) of `text`, or None to leave it to ruamel.
    `share`: `dict.setdefault` of the caller's pool of shared texts. `lean`: the entries of flat
    flow collections get no positions (only a problem's message needs them: jiuzhu.doc reads the
    text again with all of them when asked for one it lacks); `partial` says whether any were
    left out."""
    if _UNUSUAL.search(text):
        return None
    if text.startswith(_MARKERS) or "\n---" in text or "\n..." in text or "\n%" in text:
        return None  # a line with a document marker or a directive
    lines: list[tuple[int, int, str]] = []  # (line number, indent, content) of each line that holds something
    for number, line in enumerate(text.split("\n"), 1):
        content = line.lstrip(" ")
        if content and content[0] != "#":
            lines.append((number, len(line) - len(content), content))
    if not lines or lines[0][1] != 0:
        return None
    reader = _Reader(lines, share, lean)
    try:
        data = reader.root()
    except (_Decline, IndexError):
        return None
    return data, reader.values, reader.keys, reader.partial


class _Reader:
    __slots__ = ("lines", "share", "values", "keys", "lean", "partial")

    def __init__(self, lines: list[tuple[int, int, str]], share: Any, lean: bool) -> None:
        self.lines = lines
        self.share = share
        self.lean = lean
        self.partial = False
        self.values: dict[PathKey, tuple[int, int]] = {}
        self.keys: dict[PathKey, tuple[int, int]] = {}

    def root(self) -> Any:
        number, _, content = self.lines[0]
        self.values[()] = (number, 1)
        data: Any
        if content[:2] == "- ":
            data, end = self.sequence(0, 0, ())
        elif _KEY.match(content):
            data, end = self.mapping(0, 0, ())
        else:
            raise _Decline
        if end != len(self.lines):
            raise _Decline
        return data

    def mapping(self, i: int, indent: int, path: PathKey) -> tuple[dict[Any, Any], int]:
        if len(path) >= _DEPTH:
            raise _Decline
        lines, values, keys, share = self.lines, self.values, self.keys, self.share
        out: dict[Any, Any] = {}
        while i < len(lines):  # the lines of this mapping (`at`, written out)
            number, at, content = lines[i]
            if at != indent:
                if at > indent:
                    raise _Decline  # indented deeper than anything open
                break
            m = _KEY.match(content)
            if m is None:
                raise _Decline
            key = m.group(1)  # `key`, written out
            if key in out or KNOWN.get(key) is not STR and plain_value(key) is not STR:
                raise _Decline
            key = share(key, key)
            child = path + (key,)
            keys[child] = (number, indent + 1)
            end = m.end()
            rest = content[end:]
            if not rest or rest[0] == "#":  # the value is the block below (`nested` declines an empty one)
                out[key], i = self.nested(i + 1, indent, child)
                continue
            values[child] = (number, indent + 1 + end)
            out[key] = self.inline(rest, number, indent + end, child)
            i += 1
        return out, i

    def nested(self, i: int, indent: int, path: PathKey) -> tuple[Any, int]:
        """The block collection from line i: the value of a key at `indent` written after its line."""
        number, at, content = self.lines[i]
        if at < indent or (at == indent and content[:2] != "- "):
            raise _Decline  # an empty value
        self.values[path] = (number, at + 1)
        if content[:2] == "- ":
            return self.sequence(i, at, path)
        if _KEY.match(content):
            return self.mapping(i, at, path)
        raise _Decline  # a scalar on the next line

    def sequence(self, i: int, indent: int, path: PathKey) -> tuple[list[Any], int]:
        if len(path) >= _DEPTH:
            raise _Decline
        lines, values = self.lines, self.values
        items: list[Any] = []
        while i < len(lines):  # the lines of this sequence (as in `mapping`)
            number, at, content = lines[i]
            if at != indent:
                if at > indent:
                    raise _Decline  # indented deeper than anything open
                break
            if content[:2] != "- ":
                if content == "-":
                    raise _Decline
                break
            rest = content[2:].lstrip(" ")
            column = indent + len(content) - len(rest)  # 0-based
            if not rest or rest[0] == "#" or rest[:2] == "- ":
                raise _Decline
            child = path + (len(items),)
            values[child] = (number, column + 1)
            if _KEY.match(rest):
                lines[i] = (number, column, rest)
                value, i = self.mapping(i, column, child)
            else:
                value = self.inline(rest, number, column, child)
                i += 1
            items.append(value)
        return items, i

    def inline(self, rest: str, number: int, column: int, path: PathKey) -> Any:
        """The value written on one line from 0-based `column`, up to a comment."""
        first = rest[0]
        if first == "[" or first == "{":
            value, end = self.flow(rest, 0, number, column, path)
            _tail(rest, end)
            return value
        if first == '"' or first == "'":
            end = rest.find(first, 1)
            if end < 0:
                raise _Decline
            text = rest[1:end]
            if first == '"' and "\\" in text:
                raise _Decline
            _tail(rest, end + 1)
            return self.text(text)
        if first in _INDICATORS and not (first == "-" and rest[1:2] in _NEGATIVE):
            raise _Decline
        return self.plain(rest)

    def plain(self, rest: str) -> Any:
        """A plain scalar written on one line, up to a comment."""
        cut = rest.find(" #")
        text = (rest if cut < 0 else rest[:cut]).rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _Decline
        data = KNOWN.get(text, KNOWN)
        if data is KNOWN:
            data = plain_value(text)
        if data is STR:
            return self.share(text, text) if len(text) <= SHARED_LEN else text
        return to_float(text) if data is FLOAT else data

    def flow(self, s: str, i: int, number: int, column: int, path: PathKey) -> tuple[Any, int]:
        """The flow collection opening at s[i] (0-based `column` is that of s[0]) and where it ends."""
        if len(path) >= _DEPTH:
            raise _Decline
        return (self.flow_map if s[i] == "{" else self.flow_seq)(s, _skip(s, i + 1), number, column, path)

    def flow_seq(self, s: str, i: int, number: int, column: int, path: PathKey) -> tuple[Any, int]:
        whole = flat.collection(s, i, "]", flat.SEQ_ENTRIES, flat.seq_entry)
        if whole is not None:  # every item a scalar (a list of units)
            return self.flat_seq(whole[0], whole[1], i, number, column, path), whole[2] + 1
        out: list[Any] = []
        match = SEQ_ITEM.match
        while True:
            child = path + (len(out),)
            m = match(s, i)  # the common entry: a scalar, then a comma or the end
            if m is None:
                value, i, more = self.entry(s, i, number, column, child, "]")
            else:
                value = self.scalar(m, 1, number, column, child)
                i, more = m.end(), m.group(3) is not None
            out.append(value)
            if not more:
                return out, i + 1
            if s[i] == "]":
                raise _Decline  # a trailing comma

    def flat_seq(self, parts: list[str], found: list[Any], i: int, number: int, column: int,
                 path: PathKey) -> list[Any]:
        """A flow sequence whose items `parts` (the first at index i of the line) are all scalars
        (read: `found`), as `flow_seq` would read it item by item."""
        share = self.share
        if self.lean:
            self.partial = self.partial or bool(found)
            return [share(v, v) if shared else v for v, shared, _ in found]
        out: list[Any] = []
        values, at = self.values, i
        for part, (value, shared, voff) in zip(parts, found, strict=True):
            values[path + (len(out),)] = (number, column + at + voff)
            out.append(share(value, value) if shared else value)
            at += len(part) + 1
        return out

    def flat_map(self, parts: list[str], found: list[Any], i: int, number: int, column: int,
                 path: PathKey) -> dict[Any, Any]:
        """A flow mapping whose entries `parts` (the first at index i of the line) are all
        `key: scalar` (read: `found`), as `flow_map` would read it entry by entry."""
        out: dict[Any, Any] = {}
        share = self.share
        if self.lean:
            self.partial = self.partial or bool(found)
            for key, value, shared, _, _ in found:
                if key in out:
                    raise _Decline
                out[share(key, key)] = share(value, value) if shared else value
            return out
        keys, values, at = self.keys, self.values, i
        for part, (key, value, shared, koff, voff) in zip(parts, found, strict=True):
            if key in out:
                raise _Decline
            key = share(key, key)
            child = path + (key,)
            keys[child] = (number, column + at + koff + 1)
            values[child] = (number, column + at + voff)
            out[key] = share(value, value) if shared else value
            at += len(part) + 1
        return out

    def quick_map(self, s: str, i: int, number: int, column: int, path: PathKey) -> tuple[Any, int] | None:
        """The flow mapping from s[i] read without matching entry by entry: a flat one (most of a
        registry's scalars), or, read lean, one whose last entry is a flat sequence (an attendance
        line); else None."""
        whole = flat.collection(s, i, "}", flat.MAP_ENTRIES, flat.map_entry)
        if whole is not None:
            return self.flat_map(whole[0], whole[1], i, number, column, path), whole[2] + 1
        tail = flat.ending_in_sequence(s, i) if self.lean else None
        if tail is None:
            return None
        out = self.flat_map([], tail[0], i, number, column, path)  # read lean: no texts needed
        key, items, end = tail[1:]
        if key in out:
            raise _Decline
        self.partial = True
        share = self.share
        out[share(key, key)] = [share(v, v) if shared else v for v, shared, _ in items]
        return out, end

    def flow_map(self, s: str, i: int, number: int, column: int, path: PathKey) -> tuple[Any, int]:
        quick = self.quick_map(s, i, number, column, path)
        if quick is not None:
            return quick
        out: dict[Any, Any] = {}
        keys, match = self.keys, MAP_ITEM.match
        while True:
            m = match(s, i)  # the common entry: a key and a scalar, then a comma or the end
            if m is None:
                i, more = self.other(s, i, number, column, path, out)
            else:
                key, comma = self.key(m.group(1), out), m.group(4)
                child = path + (key,)
                keys[child] = (number, column + i + 1)
                out[key] = self.scalar(m, 2, number, column, child)
                i, more = m.end(), comma is not None
            if not more:
                return out, i + 1
            if s[i] == "}":
                raise _Decline  # a trailing comma

    def other(self, s: str, i: int, number: int, column: int, path: PathKey, out: dict[Any, Any]) -> tuple[int, bool]:
        """Any other entry of a flow mapping (its value a collection or single-quoted), into `out`."""
        m = _FLOW_KEY.match(s, i)
        if m is None:
            raise _Decline
        key = self.key(m.group(1), out)
        child = path + (key,)
        self.keys[child] = (number, column + i + 1)
        out[key], i, more = self.entry(s, m.end(), number, column, child, "}")
        return i, more

    def scalar(self, m: re.Match[str], group: int, number: int, column: int, path: PathKey) -> Any:
        """The scalar of a flow entry `SEQ_ITEM` or `MAP_ITEM` matched, from `group` on."""
        quoted, plain = m.group(group, group + 1)
        if quoted is not None:
            self.values[path] = (number, column + m.start(group))  # the opening quote
        else:
            self.values[path] = (number, column + m.start(group + 1) + 1)
        value, shared = flat.scalar_value(quoted, plain)
        return self.share(value, value) if shared else value

    def entry(self, s: str, i: int, number: int, column: int, path: PathKey, close: str) -> tuple[Any, int, bool]:
        """Any other flow entry: a nested collection or a single-quoted scalar (as `scalar`)."""
        self.values[path] = (number, column + i + 1)
        c = s[i]
        if c == "[" or c == "{":
            value, i = self.flow(s, i, number, column, path)
        elif c == "'":
            end = s.find("'", i + 1)
            if end < 0:
                raise _Decline
            value, i = self.text(s[i + 1:end]), end + 1
        else:
            raise _Decline
        i = _skip(s, i)
        more = s[i] == ","
        if more:
            i = _skip(s, i + 1)
        elif s[i] != close:
            raise _Decline
        return value, i, more

    def key(self, key: str, out: dict[Any, Any]) -> str:
        """A mapping key: a plain text (no `null`, `true` …), not yet in `out`, shared."""
        if key in out or plain_value(key) is not STR:
            raise _Decline
        return self.share(key, key)  # type: ignore[no-any-return]

    def text(self, text: str) -> str:
        return self.share(text, text) if len(text) <= SHARED_LEN else text  # type: ignore[no-any-return]


def _skip(s: str, i: int) -> int:
    """The first index from `i` that is not a space (IndexError at the end of the line: declined)."""
    while s[i] == " ":
        i += 1
    return i


def _tail(rest: str, end: int) -> None:
    """What follows a quoted scalar or a flow collection on its line: nothing, or a comment."""
    tail = rest[end:]
    if tail and tail.strip(" ") and not (tail[0] == " " and tail.lstrip(" ")[0] == "#"):
        raise _Decline
