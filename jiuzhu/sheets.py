"""Spreadsheets (.xlsx) through openpyxl: Chinese headers, a frozen header row, column widths that
fit the text, real dates. One function, used by every list a user takes to a spreadsheet."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jiuzhu.titles import width

MAX_COLUMN = 60  # characters: longer text wraps in its cell


def xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]], title: str = "",
         author: str = "") -> bytes:
    """A workbook with one sheet per (name, headers, rows); dates stay dates (yyyy-mm-dd)."""
    book = Workbook()
    book.remove(book.active)
    for name, headers, rows in sheets:
        sheet = book.create_sheet(name[:31])  # Excel's limit on sheet names
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for row in rows:
            sheet.append([_value(v) for v in row])
        for i, header in enumerate(headers, 1):
            cells = [header, *(row[i - 1] for row in rows if i - 1 < len(row))]
            widest = max(width(_shown(v)) for v in cells)
            sheet.column_dimensions[get_column_letter(i)].width = min(MAX_COLUMN, widest * 2 + 2)
            for cell in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(cell[0].value, dt.date):
                    cell[0].number_format = "yyyy-mm-dd"
                else:
                    cell[0].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    book.properties.title = title
    book.properties.creator = author or "jiuzhu"
    book.properties.language = "zh-CN"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(v: Any) -> Any:
    if v is None or isinstance(v, (int, float, dt.date)):
        return v
    return str(v)


def _shown(v: Any) -> str:
    return "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
