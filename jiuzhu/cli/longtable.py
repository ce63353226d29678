"""Long tables drawn the way rich draws them, a few times faster.

rich lays out and renders every cell through its general machinery (~0.7 ms a row): 2 000 overdue
tasks take 1.5 s, a province's 100 000 tasks over a minute. A table of plain strings needs little
of that. This module computes the same column widths with rich's own rules (measurement, collapse,
reduce), wraps each cell with rich's own line breaking (`divide_line`: words, long words folded)
and draws rich's default box (heavy head). `tests/test_longtable.py` compares the result with rich
line for line; `jiuzhu.cli.output.table` uses it for parts of FAST_FROM rows or more. Not for
text with tabs (rich expands them by cell position while measuring): those parts go to rich.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich._ratio import ratio_reduce
from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.table import Table

_PAD = 2  # one space either side of a cell (rich's default padding (0, 1))
_TRAILING_SPACE = re.compile(r"\s+$")


def draw(title: str | None, columns: Sequence[tuple[str, dict[str, Any]]], rows: Sequence[Sequence[str]],
         width: int, styled: bool = False) -> str:
    """The table as text, each line ending in a newline. `styled`: bold header and italic title
    (ANSI), as rich prints them to a colour terminal."""
    names = [name for name, _ in columns]
    opts = [o for _, o in columns]
    widths = _widths(names, opts, rows, width)
    total = sum(widths) + len(widths) + 1
    out: list[list[tuple[str, str]]] = []  # lines of (text, ANSI style code or "")
    if title:
        for line in _wrap(title, total, fold=True):
            text = line.strip()
            text = " " * ((total - cell_len(text)) // 2) + text
            out.append([(text + " " * (total - cell_len(text)), "3")])
    out.append([("┏" + "┳".join("━" * w for w in widths) + "┓", "")])
    out += _row(names, widths, opts, "┃", "1", bottom=True)
    out.append([("┡" + "╇".join("━" * w for w in widths) + "┩", "")])
    for row in rows:
        out += _row(row, widths, opts, "│", "")
    out.append([("└" + "┴".join("─" * w for w in widths) + "┘", "")])
    return "".join(_line(segments, width, styled) + "\n" for segments in out)


def _line(segments: list[tuple[str, str]], width: int, styled: bool) -> str:
    """One line, cut at the console's edge (a table wider than the console: columns that may not
    wrap), as rich does."""
    room, text = width, []
    for part, code in segments:
        size = cell_len(part)
        if size > room:
            part, size = set_cell_size(part, room), room
        text.append(f"\x1b[{code}m{part}\x1b[0m" if styled and code and part else part)
        room -= size
        if room <= 0:
            break
    return "".join(text)


def fits(columns: Sequence[tuple[str, dict[str, Any]]], rows: Sequence[Sequence[str]], width: int) -> bool:
    """Whether rich would draw the table within `width` (else it cuts it at the edge)."""
    widths = _widths([name for name, _ in columns], [o for _, o in columns], rows, width)
    return sum(widths) + len(widths) + 1 <= width


def _measure(text: str) -> tuple[int, int]:
    """rich's Text measurement: (longest word, longest line), plus padding."""
    lines = text.splitlines()
    longest = max(map(cell_len, lines)) if lines else 0
    words = text.split()
    return (max(map(cell_len, words)) if words else longest) + _PAD, longest + _PAD


def _widths(names: list[str], opts: list[dict[str, Any]], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Column widths with padding, as rich.table.Table._calculate_column_widths gives them."""
    room = width - (len(names) + 1)  # the borders
    ranges = []
    for i, (name, o) in enumerate(zip(names, opts, strict=True)):
        least, most = _measure(name)
        for row in rows:
            a, b = _measure(row[i])
            least, most = max(least, a), max(most, b)
        ranges.append(_clamp(least, most, room, o))
    widths = [most or 1 for _, most in ranges]
    if sum(widths) > room:
        wrapable = [not o.get("no_wrap") for o in opts]
        widths = Table._collapse_widths(widths, wrapable, room)
        if sum(widths) > room:
            widths = ratio_reduce(sum(widths) - room, [1] * len(widths), widths, widths)
        widths = [_clamp(least, most, w, o)[1] if w >= 1 else 0
                  for (least, most), w, o in zip(ranges, widths, opts, strict=True)]
    return widths


def _clamp(least: int, most: int, room: int, o: dict[str, Any]) -> tuple[int, int]:
    """Measurement.with_maximum(room), then clamp to the column's min_width."""
    least, most = min(least, room), min(most, room)
    if o.get("min_width") is not None:
        floor = o["min_width"] + _PAD
        least, most = max(least, floor), max(most, floor)
    return least, most


def _wrap(text: str, width: int, fold: bool = True, no_wrap: bool = False) -> list[str]:
    """rich's Text.wrap with overflow "fold", justified left: lines of exactly `width` cells."""
    out: list[str] = []
    for line in text.split("\n"):
        if no_wrap:
            pieces = [line]
        else:
            cuts = [0, *divide_line(line, width, fold=fold), len(line)]
            pieces = []
            for start, end in zip(cuts, cuts[1:], strict=False):
                piece = line[start:end]
                if len(piece) > width:  # Text.rstrip_end: spaces beyond the width go
                    space = _TRAILING_SPACE.search(piece)
                    if space:
                        piece = piece[:len(piece) - min(len(space.group(0)), len(piece) - width)]
                pieces.append(piece)
        out += [set_cell_size(p, width) for p in pieces]
    return out


def _row(cells: Sequence[str], widths: list[int], opts: list[dict[str, Any]], bar: str, code: str,
         bottom: bool = False) -> list[list[tuple[str, str]]]:
    """One row's lines; cells sit at the top (the header's at the bottom, as in rich)."""
    wrapped: list[list[str | None]] = [
        list(_wrap(c, w - _PAD, no_wrap=bool(o.get("no_wrap")))) if w > _PAD else [""]
        for c, w, o in zip(cells, widths, opts, strict=True)]
    height = max(map(len, wrapped))
    if bottom:
        blank: list[str | None] = [None]
        wrapped = [blank * (height - len(cell)) + cell for cell in wrapped]
    lines = []
    for k in range(height):
        segments = [(bar, "")]
        for w, cell in zip(widths, wrapped, strict=True):
            piece = cell[k] if k < len(cell) else None
            segments += [(" " + piece + " " if piece is not None and w > _PAD else " " * w, code), (bar, "")]
        lines.append(segments)
    return lines
