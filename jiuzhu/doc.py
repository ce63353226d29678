"""One parsed YAML file as the checks see it: plain data and where each value and key sits.

No YAML library here: what only reads parsed data (the parse cache, the checks, the privacy scan)
imports this, and the parser (jiuzhu.yamlread) is loaded only when a file must be parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jiuzhu.problems import Pos

PathKey = tuple[Any, ...]
Tables = dict[PathKey, tuple[int, int]]


@dataclass(frozen=True)
class Doc:
    """One parsed file: plain data and where each value (and mapping key) sits in the text.

    The quick reader, in a load, leaves out the positions inside flat flow collections, which only
    a problem's message ever needs: then `fill` reads them all from the text the first time a
    lookup misses (`values` and `keys` are always whole)."""

    file: str
    data: Any
    known_values: Tables = field(default_factory=dict)
    known_keys: Tables = field(default_factory=dict)
    text: str = ""  # the decoded text, for checks that read what the data does not keep (comments)
    fill: Callable[[str], tuple[Tables, Tables]] | None = field(default=None, compare=False, repr=False)

    @property
    def values(self) -> Tables:
        """Where each value sits: path -> (line, column)."""
        if self.fill is not None:
            self._complete()
        return self.known_values

    @property
    def keys(self) -> Tables:
        """Where each mapping key sits: path -> (line, column)."""
        if self.fill is not None:
            self._complete()
        return self.known_keys

    def _complete(self) -> None:
        assert self.fill is not None
        values, keys = self.fill(self.text)
        object.__setattr__(self, "known_values", values)
        object.__setattr__(self, "known_keys", keys)
        object.__setattr__(self, "fill", None)

    def at(self, *path: Any) -> Pos:
        """Position of the value at `path`, or of its nearest enclosing value."""
        found = self.known_values.get(path)
        if found is not None:
            return Pos(self.file, *found)
        return self._lookup(self.values, path)

    def key_at(self, *path: Any) -> Pos:
        """Position of the mapping key at `path` (falls back to the value's position)."""
        found = self.known_keys.get(path)
        if found is None and self.fill is not None:
            found = self.keys.get(path)
        if found is not None:
            return Pos(self.file, *found)
        return self.at(*path)

    def item_at(self, path: PathKey, value: Any) -> Pos:
        """Position of `value` in the list at `path` (checks hold cleaned lists, whose indexes can
        differ from the file's once a bad entry was dropped)."""
        node: Any = self.data
        for key in path:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return self.at(*path)
        if isinstance(node, list) and value in node:
            return self.at(*path, node.index(value))
        return self.at(*path)

    def path_of(self, pos: Pos) -> PathKey:
        """The path of the value that starts at `pos` (the shortest one), or () when none does."""
        by_pos = self.__dict__.get("_by_pos")
        if by_pos is None:  # built once per document: checks ask for many positions of one file
            by_pos = {}
            for p, lc in self.values.items():
                if lc not in by_pos or len(p) < len(by_pos[lc]):
                    by_pos[lc] = p
            object.__setattr__(self, "_by_pos", by_pos)
        return by_pos.get((pos.line, pos.column), ())  # type: ignore[no-any-return]

    def _lookup(self, table: dict[PathKey, tuple[int, int]], path: PathKey) -> Pos:
        p = tuple(path)
        while p:
            if p in table:
                line, col = table[p]
                return Pos(self.file, line, col)
            p = p[:-1]
        line, col = table.get((), (1, 1))
        return Pos(self.file, line, col)
