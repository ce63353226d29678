"""Spreadsheets (issue 17 §3): every list a user takes to a spreadsheet as csv and xlsx, read back
with openpyxl (Chinese headers, frozen header row, real dates, column widths), and the refusals."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import ok, refused
from docs_registry import MEETING_ID
from openpyxl import load_workbook
from supervision_registry import INSPECTION, SUPERVISION_FILES

LISTS = {
    "tasks": (["tasks", "list", "--as-of", "2026-12-24"], "任务编号", 5),
    "overdue": (["tasks", "overdue", "--as-of", "2026-12-24"], "任务编号", 3),
    "due-soon": (["tasks", "due-soon", "--as-of", "2026-12-24"], "任务编号", 1),
    "units": (["units", "list"], "序号", 3),
    "matrix": (["duties", "matrix"], "领域", 2),
    "meetings": (["meeting", "list"], "编号", 1),
    "proposals": (["proposal", "list"], "编号", 2),
    "inspections": (["inspection", "list"], "编号", 2),
    "notices": (["supervise", "list", "--all", "--as-of", "2026-12-24"], "编号", 1),
}


@pytest.fixture
def reg(make_registry) -> Path:
    return make_registry(SUPERVISION_FILES)


@pytest.mark.parametrize("name", list(LISTS))
def test_xlsx_reads_back(jz, reg, name):
    args, first, count = LISTS[name]
    out = reg.parent / f"{name}.xlsx"
    assert f"（{count} 行）" in ok(jz, reg, *args, "--format", "xlsx", "-o", str(out))
    book = load_workbook(out)
    assert len(book.worksheets) == 1
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[0] == first and all(isinstance(h, str) and h for h in header)
    assert sheet.max_row == count + 1
    assert all(sheet.column_dimensions[c].width >= 4 for c in "AB")


def test_task_sheet_has_real_dates_and_the_source(jz, reg):
    out = reg.parent / "tasks.xlsx"
    ok(jz, reg, "tasks", "list", "--as-of", "2026-12-24", "--format", "xlsx", "-o", str(out))
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    finding = rows[f"{INSPECTION}-1"]
    assert finding["来源"] == "检查" and finding["来源编号"] == INSPECTION
    assert finding["完成时限"] == dt.datetime(2026, 12, 15)  # a date cell (openpyxl reads it as datetime)
    assert rows[f"{MEETING_ID}-3"]["完成时限"] is None  # ongoing
    assert rows[f"{MEETING_ID}-2"]["进度（%）"] == 80


def test_csv_to_the_terminal_and_to_a_file(jz, reg):
    text = ok(jz, reg, "tasks", "overdue", "--as-of", "2026-12-24", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["任务编号", "事项", "来源"] and len(rows) == 4
    out = reg.parent / "会议.csv"
    ok(jz, reg, "meeting", "list", "--format", "csv", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    assert raw.decode("utf-8-sig").splitlines()[1].startswith(f"{MEETING_ID},2026-11-26,09:30,例会")


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "csv", "-o", "x.xlsx"], "扩展名不符"),
    (["--format", "xlsx"], "xlsx 格式需要用 -o"),
    (["--format", "table", "-o", "x.xlsx"], "-o 只用于 csv 或 xlsx"),
    (["--format", "xlsx", "-o", "nowhere/x.xlsx"], "输出目录不存在"),
    (["--format", "xlsx", "-o", "x.xlsx", "--unit", "县公安局"], "没有成员单位"),
])
def test_refusals(jz, reg, args, message):
    args = [str(reg.parent / a) if a.endswith((".xlsx", ".csv")) else a for a in args]
    assert message in refused(jz, reg, "tasks", "list", *args)
    assert not (reg.parent / "x.xlsx").exists()


def test_an_existing_file_needs_force(jz, reg):
    out = reg.parent / "u.xlsx"
    ok(jz, reg, "units", "list", "--format", "xlsx", "-o", str(out))
    assert "文件已存在" in refused(jz, reg, "units", "list", "--format", "xlsx", "-o", str(out))
    ok(jz, reg, "units", "list", "--format", "xlsx", "-o", str(out), "--force")
