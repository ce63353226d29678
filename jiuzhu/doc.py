"""One parsed YAML file as the checks see it: plain data and where each value and key sits.

No YAML library here: what only reads parsed data (the parse cache, the checks, the privacy scan)
imports this, and the parser (jiuzhu.yamlread) is loaded only when a file must be parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jiuzhu.problems import Pos

PathKey = tuple[Any, ...]


@dataclass(frozen=True)
class Doc:
    """One parsed file: plain data and where each value (and mapping key) sits in the text."""

    file: str
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    text: str = ""  # the decoded text, for checks that read what the data does not keep (comments)

    def at(self, *path: Any) -> Pos:
        """Position of the value at `path`, or of its nearest enclosing value."""
        return self._lookup(self.values, path)

    def key_at(self, *path: Any) -> Pos:
        """Position of the mapping key at `path` (falls back to the value's position)."""
        if path in self.keys:
            line, col = self.keys[path]
            return Pos(self.file, line, col)
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
