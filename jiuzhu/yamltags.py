"""What a plain YAML scalar is (YAML 1.2 core schema, by ruamel's own resolver table): its tag,
and the value jiuzhu reads from it. Shared by both read paths (jiuzhu.yamlc, jiuzhu.yamlfast), so
that they cannot disagree on what `yes`, `0o17` or `2026-01-01` is.

The quick reader asks `plain_value`, without importing ruamel.yaml (17 ms of a run that re-reads
one edited file): it reads the table from jiuzhu/yamltags_table.py, a copy made from ruamel's
(`table_source`), as long as the installed resolver.py and util.py are byte for byte those it was
made from (`SOURCE`); else, and once ruamel.yaml is imported anyway, from ruamel itself.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

from jiuzhu import yamltags_table

_RESOLVER = "ruamel.yaml.resolver"
_SOURCES = ("resolver.py", "util.py")  # what ruamel's table is made of


class STR:
    """Marker in a tag from `plain_tag`: the scalar's value is its text."""


class FLOAT:
    """Marker in a tag from `plain_tag`: the value is float(text), or the text if Python refuses
    it (`.inf`, `.nan`)."""


@functools.cache
def plain_tags() -> tuple[Any, Any]:
    """The tag class for implicitly resolved plain scalars and its instance for strings."""
    from ruamel.yaml.resolver import BaseResolver
    from ruamel.yaml.tag import Tag

    class PlainTag(Tag):  # type: ignore[misc]
        """A tag from implicit resolution (same suffix, so the same str() as ruamel's) plus the
        value a plain scalar of this text converts to: a constant, `STR` or `FLOAT`."""

        def __init__(self, suffix: str, data: Any) -> None:
            Tag.__init__(self, suffix=suffix)
            self.data = data

    return PlainTag, PlainTag(BaseResolver.DEFAULT_SCALAR_TAG.suffix, STR)


def general() -> bool:
    """Whether ruamel's resolver table holds path resolvers or catch-all entries: then only
    ruamel's own Resolver knows a scalar's tag (and `plain_tag` must not be used). Not imported,
    it holds what ruamel puts there: neither."""
    if _RESOLVER not in sys.modules:
        return False
    from ruamel.yaml.resolver import Resolver

    return bool(Resolver.yaml_path_resolvers) or None in Resolver.yaml_implicit_resolvers


def _live() -> dict[Any, Any]:
    from ruamel.yaml.resolver import Resolver

    return Resolver.yaml_implicit_resolvers  # type: ignore[no-any-return]


@functools.cache
def _kept_table() -> dict[str, list[tuple[str, re.Pattern[str]]]] | None:
    """jiuzhu/yamltags_table.py compiled, if the installed ruamel.yaml is the one it was made from."""
    if installed_source() != yamltags_table.SOURCE:
        return None
    return {first: [(tag, re.compile(pattern, flags)) for tag, pattern, flags in entries]
            for first, entries in yamltags_table.TABLE.items()}


def _table() -> dict[Any, Any]:
    if _RESOLVER in sys.modules:
        return _live()
    return _kept_table() or _live()


def installed_source() -> str | None:
    """A hash of the installed ruamel.yaml's resolver.py and util.py, found without importing it."""
    try:
        spec = importlib.util.find_spec("ruamel.yaml")
        folder = Path(list(spec.submodule_search_locations or [])[0]) if spec else None
        if folder is None:
            return None
        h = hashlib.blake2b(digest_size=16)
        for name in _SOURCES:
            h.update((folder / name).read_bytes())
    except (ImportError, ValueError, OSError, IndexError):
        return None
    return h.hexdigest()


def table_source() -> str:
    """jiuzhu/yamltags_table.py as it should read for the installed ruamel.yaml (its table is
    compared with this in tests/test_yamlfast.py; write it there when ruamel.yaml is upgraded)."""
    rows = []
    for first, entries in sorted(_live().items(), key=lambda item: str(item[0])):
        kept = [(str(tag), regexp.pattern, regexp.flags) for tag, regexp in entries]
        rows.append(f"    {first!r}: {kept!r},")
    return (f'"""{_TABLE_DOC}"""\n\n# ruff: noqa: E501\nSOURCE = {installed_source()!r}\n'
            "TABLE: dict[str, list[tuple[str, str, int]]] = {\n" + "\n".join(rows) + "\n}\n")


_TABLE_DOC = ("ruamel.yaml's implicit resolver table, kept so that the quick reader needs no import of\n"
              "ruamel.yaml: written by jiuzhu.yamltags.table_source(), used only while the installed\n"
              "resolver.py and util.py hash to SOURCE (jiuzhu.yamltags).")

_KEPT_MAX = 50_000  # at most this many texts (of at most 64 characters) are kept: a few MB
_kept: dict[str, Any] = {}  # short scalar text -> its tag (ids, unit names, dates, numbers repeat)
_values: dict[str, Any] = {}  # short scalar text -> its value (`plain_value`)
# The same table for a caller in a hurry: `KNOWN.get(text, KNOWN)` is `plain_value(text)` for a text
# seen before, else KNOWN itself (jiuzhu.yamlfast reads most scalars so, without a call).
KNOWN = _values
_shared: dict[str, Any] = {}  # tag name -> the one tag object for texts that convert per node


def plain_value(value: str) -> Any:
    """What a plain scalar of this text is read as: a constant (None, True, an int), `STR` or
    `FLOAT` — `plain_tag(value).data`, without ruamel.yaml's tag objects."""
    data = _values.get(value, _values)
    if data is _values:
        data = data_of(_resolve(value, _table()), value)
        if len(_values) < _KEPT_MAX and len(value) <= 64:
            _values[value] = data
    return data


def plain_tag(value: str) -> Any:
    """BaseResolver.resolve for a plain scalar: matched against ruamel's own regular expressions,
    picked by first character and tried in ruamel's order; the tag also carries the value."""
    tag = _kept.get(value)
    if tag is None:
        tag = _classify(value)
        if len(_kept) < _KEPT_MAX and len(value) <= 64:
            _kept[value] = tag
    return tag


def _resolve(value: str, table: dict[Any, Any]) -> str | None:
    return next((str(name) for name, regexp in table.get(value[:1], ()) if regexp.match(value)), None)


def data_of(tag: str | None, value: str) -> Any:
    """What a plain scalar resolved to `tag` (None: none) is read as: a constant, `STR` or `FLOAT`."""
    if tag is None:
        return STR
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return value.lower() == "true"
    if tag.endswith(":int"):
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return STR
    if tag.endswith(":float"):
        return FLOAT  # converted per node: each float a new object
    return STR  # merge, timestamp, value, yaml: the text itself


def _classify(value: str) -> Any:
    Plain, str_tag = plain_tags()  # noqa: N806
    tag = _resolve(value, _live())
    if tag is None:
        return str_tag
    data = data_of(tag, value)
    if data is STR or data is FLOAT:
        found = _shared.get(tag)
        if found is None:
            found = _shared[tag] = Plain(tag, data)
        return found
    return Plain(tag, data)


def to_float(value: str) -> Any:
    try:
        return float(value.replace("_", ""))
    except ValueError:
        return value
