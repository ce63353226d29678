"""YAML round trip: load a registry file so that an edit keeps its comments, key order, quoting,
indentation and the way it spells null; and the text of new files in the house style.

The one module that knows ruamel.yaml's round-trip types; it imports ruamel.yaml only when a file is
written. Every feature module imports this (its write commands), and `validate` imports every
feature module for its checks: importing ruamel.yaml at the top cost every validate ~17 ms
(python -X importtime; docs/performance.md)."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from jiuzhu.doc import PathKey
from jiuzhu.errors import InputRefused
from jiuzhu.yamlread import parse_text


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as written in `text`, for ruamel's `indent()`; our house style
    (2, 4, 2) for what the text does not show. Each is the most common step seen from a `key:` line
    to the block under it (ruamel's own guess reads only the first block and trips over comments)."""

    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for cur, nxt in zip(lines, lines[1:], strict=False):
        if not cur.split(" #", 1)[0].rstrip().endswith(":"):
            continue
        parent = _content_column(cur)
        child = len(nxt) - len(nxt.lstrip(" "))
        rest = nxt.lstrip(" ")
        if rest.startswith("- "):
            if child >= parent:
                sequences[child - parent, _content_column(nxt) - parent] += 1
        elif child > parent:
            mappings[child - parent] += 1
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    offset, sequence = sequences.most_common(1)[0][0] if sequences else (2, 4)
    return mapping, sequence, offset


def _content_column(line: str) -> int:
    """Column (0-based) where the line's key or value starts, after indentation and any "- "."""
    col = len(line) - len(line.lstrip(" "))
    while line[col:col + 2] == "- ":
        col += 2
        col += len(line[col:]) - len(line[col:].lstrip(" "))
    return col


def load_rt(text: str, rel: str = "") -> tuple[Any, Any]:
    """Round-trip load: (yaml object configured like the file, data). The round-trip parser is
    stricter than the reader in places (a tab before a key's colon): such a file is refused, with
    where and what, rather than half understood."""
    from ruamel.yaml.error import YAMLError

    yaml = _yaml(*_guess_indent(text))
    try:
        return yaml, yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        lines = text.splitlines()
        where = f"{rel}:{mark.line + 1}:{mark.column + 1}" if mark is not None else rel
        tab = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]
        raise InputRefused(f"{where}：jiuzhu 能读这个文件，但不能在保留格式的前提下改写它"
                           f"（{getattr(exc, 'problem', None) or exc}）",
                           "把该行的制表符（Tab）换成空格后再试。" if tab else
                           "按 YAML 的常见写法改正该处（缩进用空格，冒号后加空格）后再试。") from None


def dump_rt(yaml: Any, data: Any, like: str | None = None) -> str:
    """The text of `data`; with `like` (the text it was loaded from), each null keeps the spelling
    it had there (ruamel writes a block null as nothing: `due: null` would become `due:`)."""
    buf = io.StringIO()
    yaml.dump(data, buf)
    text = buf.getvalue()
    return _keep_nulls(like, text) if like and _NULL.search(like) else text


_NULL = re.compile(r"(null|Null|NULL|~)(?=\s|$)")


def _nulls(text: str) -> dict[PathKey, tuple[int, int]] | None:
    """Where each null value of `text` sits (its path -> line, column), or None if unparsable."""
    doc, _ = parse_text(text, "")
    if doc is None:
        return None
    found: dict[PathKey, tuple[int, int]] = {}
    stack: list[tuple[PathKey, Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if value is None:
            found[path] = doc.values.get(path, (0, 0))
        elif isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
    return found


def _spelled(lines: list[str], at: tuple[int, int]) -> str:
    line, col = at
    if not 0 < line <= len(lines):
        return ""
    m = _NULL.match(lines[line - 1], col - 1)
    return m.group(1) if m else ""


def _keep_nulls(like: str, text: str) -> str:
    """`text` with each block null that `like` spelled out (null, ~) at the same path spelled so."""
    before, after = _nulls(like), _nulls(text)
    if not before or not after:
        return text
    old_lines, lines = like.split("\n"), text.split("\n")
    changed = False
    for path, at in after.items():
        spelling = _spelled(old_lines, before[path]) if path in before else ""
        if not spelling or _spelled(lines, at) == spelling or not path:
            continue
        i = _owner_line(lines, at)
        if i is not None:
            code, sep, comment = lines[i].partition(" #")
            lines[i] = f"{code.rstrip()} {spelling}" + (f" {sep.strip()}{comment}" if sep else "")
            changed = True
    return "\n".join(lines) if changed else text


def _owner_line(lines: list[str], at: tuple[int, int]) -> int | None:
    """The 0-based line holding the key (or list dash) of an empty block null, found walking back
    from where the parser placed the empty value; None when it is not a plain `key:` or `-`."""
    i = min(at[0], len(lines)) - 1
    while i >= 0 and not lines[i].split(" #", 1)[0].strip():
        i -= 1
    if i < 0:
        return None
    code = lines[i].split(" #", 1)[0].rstrip()
    return i if code.endswith((":", "-")) else None


def new_document(data: dict[str, Any], header: str | None = None) -> str:
    """Text of a new file in the house style (2-space maps, lists indented under their key)."""
    yaml = _yaml()
    text = dump_rt(yaml, to_commented(data))
    header = " ".join((header or "").split())  # one comment line, whatever the title holds
    return (f"# {header}\n" if header else "") + text


def to_commented(value: Any) -> Any:
    """Plain data -> ruamel round-trip types; short lists of scalars are written inline."""
    if isinstance(value, dict):
        return commented_map((k, to_commented(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        inline = all(not isinstance(v, (dict, list, tuple)) for v in value) and sum(len(str(v)) for v in value) < 60
        return commented_seq((to_commented(v) for v in value), flow=True if inline else None)
    return value


def commented_map(pairs: Iterable[tuple[Any, Any]] = (), flow: bool = False) -> Any:
    """A mapping to write into a round-trip document; `flow`: on one line (`{a: 1, b: 2}`)."""
    from ruamel.yaml.comments import CommentedMap

    cm = CommentedMap(pairs)
    if flow:
        cm.fa.set_flow_style()
    return cm


def commented_seq(items: Iterable[Any] = (), flow: bool | None = None) -> Any:
    """A list to write into a round-trip document: on one line (`flow`), one item a line
    (`flow=False`), or as ruamel decides (None)."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    if flow:
        seq.fa.set_flow_style()
    elif flow is False:
        seq.fa.set_block_style()
    return seq


def is_block_list(value: Any) -> bool:
    """Whether `value`, read from a round-trip document, is a non-empty list written one item a line."""
    from ruamel.yaml.comments import CommentedSeq

    return isinstance(value, CommentedSeq) and bool(value) and not value.fa.flow_style()


def quoted(text: str) -> Any:
    """A text written in double quotes (a time like "09:30", which YAML 1.1 would read as a number)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)
