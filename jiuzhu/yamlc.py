"""The C-parser path of jiuzhu.yamlread: ruamel.yaml's C parser (typ='safe', pure=False) composes
the nodes of a text the quick reader (jiuzhu.yamlfast) declined, and they are converted here so
that positions survive and duplicate keys are found. Imported only when a file needs it:
ruamel.yaml takes 17 ms to import.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from ruamel.yaml.cyaml import CParser
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver, Resolver

from jiuzhu import yamltags
from jiuzhu.doc import Doc, PathKey
from jiuzhu.problems import Pos, Problem, error
from jiuzhu.yamlerrors import ALIAS_ALLOWANCE, MAX_DEPTH, SYNTAX_HINT, Hostile, syntax_problem, too_much
from jiuzhu.yamlfast import POOL
from jiuzhu.yamlflat import SHARED_LEN


def parse(text: str, file: str) -> tuple[Doc | None, list[Problem]]:
    """Parse YAML text with the C parser; syntax errors, duplicate keys and empty files become problems."""
    try:
        node = _compose(text)
    except MarkedYAMLError as exc:
        return None, [syntax_problem(exc, text, file)]
    except YAMLError as exc:  # unmarked errors are rare; still the user's file
        return None, [error(Pos(file), "yaml-syntax", f"YAML 语法错误：{exc}", SYNTAX_HINT)]
    if node is None:
        return None, [error(Pos(file), "empty-file", "文件是空的（没有任何 YAML 内容）",
                            "删除该文件，或按 docs/registry.md 中该类文件的字段填写内容。")]
    try:
        data, values, keys, problems = _converter()(node, file, len(text) + ALIAS_ALLOWANCE)
    except Hostile as exc:
        return None, [exc.problem]
    return Doc(file, data, values, keys, text), problems


@functools.cache
def _composer() -> Any:
    """The C parser with YAML 1.2 implicit resolution, made once: the same nodes as
    `YAML(typ="safe", pure=False).compose`, without building a YAML object and a loader per file.

    The C composer calls back into Python for every node (`resolve`, `descend_resolver`,
    `ascend_resolver`); with ruamel's Resolver those calls were half of the parse. Here:
    - no path resolvers are registered (checked below), so descending and ascending do nothing
      either way: C builtins stand in for ruamel's Python no-ops;
    - a plain scalar's tag depends only on its text (jiuzhu.yamltags.plain_tag, which also carries
      the converted value).
    Should ruamel's resolver table ever hold path resolvers or catch-all entries, ruamel's own
    Resolver is used instead (and the converter falls back to reading tag names).
    """

    if yamltags.general():
        class ResolvingComposer(CParser, Resolver):  # type: ignore[misc]  # the general case
            def __init__(self, text: str) -> None:
                CParser.__init__(self, text)
                self._parser = self._composer = self
                Resolver.__init__(self, loadumper=self)

        return ResolvingComposer

    _, str_tag = yamltags.plain_tags()
    seq_tag = BaseResolver.DEFAULT_SEQUENCE_TAG
    map_tag = BaseResolver.DEFAULT_MAPPING_TAG
    plain_tag = yamltags.plain_tag

    class Composer(CParser):  # type: ignore[misc]
        descend_resolver = staticmethod(operator.is_)  # called with (parent, index); result ignored
        ascend_resolver = staticmethod(tuple)  # called with (); result ignored

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode:
                return plain_tag(value) if implicit[0] else str_tag
            if kind is SequenceNode:
                return seq_tag
            if kind is MappingNode:
                return map_tag
            return None  # not called with other kinds

    return Composer


def _compose(text: str) -> Any:
    composer = _composer()(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


_QUOTED = frozenset(("'", '"', "|", ">"))


@functools.cache
def _converter() -> Any:
    """Nodes -> (plain data, value positions, key positions, duplicate-key problems).

    One closure per process with the node classes and markers bound as locals. Scalars are
    converted inline where they are met (most nodes are scalars: no call per scalar); the tables
    are filled in the same order as a plain pre-order walk."""

    Plain, str_tag = yamltags.plain_tags()  # noqa: N806
    STR, FLOAT, QUOTED = yamltags.STR, yamltags.FLOAT, _QUOTED  # noqa: N806
    slow, to_float = _scalar, yamltags.to_float
    pool = POOL
    share, limit = pool.setdefault, SHARED_LEN

    def convert(root: Any, file: str, budget: int) -> tuple[Any, dict[PathKey, tuple[int, int]],
                                                             dict[PathKey, tuple[int, int]], list[Problem]]:
        """`budget`: how many entries may be converted in all. Without aliases a file cannot hold
        more entries than characters; an alias repeats its anchor's entries, so a budget of the
        text's length plus an allowance stops "billion laughs" files early. Nesting deeper than
        MAX_DEPTH stops too. Both raise `Hostile`."""
        values: dict[PathKey, tuple[int, int]] = {}
        keys: dict[PathKey, tuple[int, int]] = {}
        problems: list[Problem] = []
        left = budget

        def collection(node: Any, path: PathKey) -> Any:
            """A mapping or sequence node whose own position is already recorded."""
            nonlocal left
            tag: Any
            left -= len(node.value)
            if left < 0 or len(path) >= MAX_DEPTH:
                raise too_much(node, file, len(path))
            if node.__class__ is MappingNode:
                out: dict[Any, Any] = {}
                for knode, vnode in node.value:
                    if knode.__class__ is ScalarNode:
                        tag = knode.ctag
                        if tag is str_tag:
                            key = share(knode.value, knode.value)
                        elif tag.__class__ is Plain:
                            key = tag.data
                            if key is STR or knode.style in QUOTED:
                                key = share(knode.value, knode.value)
                            elif key is FLOAT:
                                key = to_float(knode.value)
                        else:
                            key = slow(knode)
                    else:
                        key = str(knode.value)
                    if key == "<<":  # a merge key: its values would silently not count
                        mark = knode.start_mark
                        problems.append(error(
                            Pos(file, mark.line + 1, mark.column + 1), "yaml-merge-key",
                            "jiuzhu 不支持 YAML 合并键“<<”，其中的内容不会生效",
                            "把要合并的键和值直接写在这里。"))
                        continue
                    mark = knode.start_mark
                    kpos = (mark.line + 1, mark.column + 1)
                    if key in out:
                        first = keys[path + (key,)]
                        problems.append(error(
                            Pos(file, *kpos), "duplicate-key",
                            f"键“{key}”重复出现（第一次在第 {first[0]} 行）",
                            "删除或合并重复的键；YAML 中后出现的值会悄悄覆盖前面的值。"))
                        continue
                    child = path + (key,)  # one tuple for both tables: less memory, smaller cache
                    keys[child] = kpos
                    mark = vnode.start_mark
                    values[child] = (mark.line + 1, mark.column + 1)
                    if vnode.__class__ is ScalarNode:
                        tag = vnode.ctag
                        if tag is str_tag:
                            value = vnode.value
                            if len(value) <= limit:
                                value = share(value, value)
                        elif tag.__class__ is Plain:
                            value = tag.data
                            if value is STR or vnode.style in QUOTED:
                                value = vnode.value
                                if len(value) <= limit:
                                    value = share(value, value)
                            elif value is FLOAT:
                                value = to_float(vnode.value)
                        else:
                            value = slow(vnode)
                        out[key] = value
                    else:
                        out[key] = collection(vnode, child)
                return out
            items: list[Any] = []
            append = items.append
            for i, item in enumerate(node.value):
                child = path + (i,)
                mark = item.start_mark
                values[child] = (mark.line + 1, mark.column + 1)
                if item.__class__ is ScalarNode:
                    tag = item.ctag
                    if tag is str_tag:
                        value = item.value
                        if len(value) <= limit:
                            value = share(value, value)
                    elif tag.__class__ is Plain:
                        value = tag.data
                        if value is STR or item.style in QUOTED:
                            value = item.value
                            if len(value) <= limit:
                                value = share(value, value)
                        elif value is FLOAT:
                            value = to_float(item.value)
                    else:
                        value = slow(item)
                    append(value)
                else:
                    append(collection(item, child))
            return items

        mark = root.start_mark
        values[()] = (mark.line + 1, mark.column + 1)
        try:
            data = slow(root) if root.__class__ is ScalarNode else collection(root, ())
        finally:  # `collection` refers to itself: unbound, the file's tables are freed by counting,
            collection = None  # type: ignore[assignment]  # not left for the cyclic collector
        return data, values, keys, problems

    return convert


def _scalar(node: Any) -> Any:
    """A scalar node's value from its tag and style (the general path, for any tag)."""
    ctag = node.ctag
    if ctag.__class__ is yamltags.plain_tags()[0]:
        data = ctag.data
        if data is yamltags.STR or node.style in _QUOTED:
            return node.value
        return yamltags.to_float(node.value) if data is yamltags.FLOAT else data
    # a resolved tag's suffix is the whole tag: skip Tag.__str__
    if ctag is None:
        tag = ""
    elif ctag.handle is None and "%" not in (ctag.suffix or "%"):
        tag = ctag.suffix
    else:
        tag = str(ctag)
    value: str = node.value
    if node.style in ("'", '"', "|", ">"):
        return value
    return _typed(tag.rsplit(":", 1)[-1], value)


def _typed(kind: str, value: str) -> Any:
    """A plain scalar's value for its resolved type (core schema names: null, bool, int, float)."""
    data = yamltags.data_of(":" + kind, value)
    if data is yamltags.STR:
        return value
    return yamltags.to_float(value) if data is yamltags.FLOAT else data
