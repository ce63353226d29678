"""What a plain YAML scalar is (YAML 1.2 core schema, by ruamel's own resolver table): its tag,
and the value jiuzhu reads from it. Shared by both read paths (jiuzhu.yamlread, jiuzhu.yamlfast),
so that they cannot disagree on what `yes`, `0o17` or `2026-01-01` is."""

from __future__ import annotations

import functools
from typing import Any

from ruamel.yaml.resolver import BaseResolver, Resolver
from ruamel.yaml.tag import Tag


class STR:
    """Marker in a tag from `plain_tag`: the scalar's value is its text."""


class FLOAT:
    """Marker in a tag from `plain_tag`: the value is float(text), or the text if Python refuses
    it (`.inf`, `.nan`)."""


@functools.cache
def plain_tags() -> tuple[Any, Any]:
    """The tag class for implicitly resolved plain scalars and its instance for strings."""

    class PlainTag(Tag):  # type: ignore[misc]
        """A tag from implicit resolution (same suffix, so the same str() as ruamel's) plus the
        value a plain scalar of this text converts to: a constant, `STR` or `FLOAT`."""

        def __init__(self, suffix: str, data: Any) -> None:
            Tag.__init__(self, suffix=suffix)
            self.data = data

    return PlainTag, PlainTag(BaseResolver.DEFAULT_SCALAR_TAG.suffix, STR)


def general() -> bool:
    """Whether ruamel's resolver table holds path resolvers or catch-all entries: then only
    ruamel's own Resolver knows a scalar's tag (and `plain_tag` must not be used)."""
    return bool(Resolver.yaml_path_resolvers) or None in Resolver.yaml_implicit_resolvers


_KEPT_MAX = 50_000  # at most this many texts (of at most 64 characters) are kept: a few MB
_kept: dict[str, Any] = {}  # short scalar text -> its tag (ids, unit names, dates, numbers repeat)
_shared: dict[str, Any] = {}  # tag name -> the one tag object for texts that convert per node


def plain_tag(value: str) -> Any:
    """BaseResolver.resolve for a plain scalar: matched against ruamel's own regular expressions,
    picked by first character and tried in ruamel's order; the tag also carries the value."""
    tag = _kept.get(value)
    if tag is None:
        tag = _classify(value)
        if len(_kept) < _KEPT_MAX and len(value) <= 64:
            _kept[value] = tag
    return tag


def _classify(value: str) -> Any:
    Plain, str_tag = plain_tags()  # noqa: N806
    resolvers = Resolver.yaml_implicit_resolvers.get(value[:1], ())
    tag = next((name for name, regexp in resolvers if regexp.match(value)), None)
    if tag is None:
        return str_tag
    data: Any = STR  # merge, timestamp, value, yaml: the text itself
    if tag.endswith(":null"):
        data = None
    elif tag.endswith(":bool"):
        data = value.lower() == "true"
    elif tag.endswith(":int"):
        try:
            data = int(value.replace("_", ""), 0)
        except ValueError:
            pass
    elif tag.endswith(":float"):
        data = FLOAT  # converted per node: each float a new object
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
