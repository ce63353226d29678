"""A liaison meeting's record (issue 19): the office keeps it, it is not numbered or issued. So
`minutes render` on a liaison meeting gives a 联络员会议记录 — no draft mark telling the user to
issue it, no 文号, no 报/送 — and `minutes issue` refuses it, pointing at that record."""

from __future__ import annotations

import re

import docx
import pytest
from conftest import ok, refused


@pytest.fixture
def liaison(jz, make_registry):
    reg = make_registry()
    said = ok(jz, reg, "meeting", "new", "--kind", "liaison", "--date", "2026-09-15", "--time", "09:30",
              "--place", "县民政局三楼会议室")
    mid = re.search(r"m-20260915-liaison-[0-9a-f]+", said).group(0)
    ok(jz, reg, "meeting", "attend", mid, "minzheng", "caizheng", "--attended")
    return reg, mid


def test_the_record_in_every_format(jz, liaison, tmp_path):
    reg, mid = liaison
    text = ok(jz, reg, "minutes", "render", mid)
    assert "联络员会议记录" in text and "**时间**：2026年9月15日（星期二）上午9:30" in text
    assert "**地点**：县民政局三楼会议室" in text and "**出席**：县民政局、县财政局" in text
    for wrong in ("征求意见稿", "minutes issue", "〔", "报：", "送：", "纪要"):
        assert wrong not in text, wrong
    html_path, docx_path = tmp_path / "记录.html", tmp_path / "记录.docx"
    assert "已生成联络员会议记录" in ok(jz, reg, "minutes", "render", mid, "-o", str(html_path))
    ok(jz, reg, "minutes", "render", mid, "-o", str(docx_path))
    html = html_path.read_text(encoding="utf-8")
    assert "联络员会议记录" in html and "征求意见稿" not in html and "〔" not in html
    paragraphs = [p.text for p in docx.Document(str(docx_path)).paragraphs]
    assert any(p.startswith("时间：2026年9月15日") for p in paragraphs)
    assert not any("征求意见稿" in p or "印发" in p for p in paragraphs)


def test_issuing_it_is_refused_and_says_what_to_do(jz, liaison):
    reg, mid = liaison
    message = refused(jz, reg, "minutes", "issue", mid)
    assert "是联络员会议，不能" in message and f"jiuzhu minutes render {mid}" in message


def test_a_deputy_office_director_chairs_the_liaison_meeting(jz, make_registry):
    """office.deputy_directors: the record names the deputy as such, not as the director."""
    from conftest import MINI_SYSTEM

    office = "office:\n  unit: minzheng\n"
    system = MINI_SYSTEM.replace(office, office + "  deputy_directors: [钱七]\n")
    assert "deputy_directors" in system
    reg = make_registry({"system.yaml": system})
    said = ok(jz, reg, "meeting", "new", "--kind", "liaison", "--date", "2026-09-15", "--chair", "钱七")
    mid = re.search(r"m-20260915-liaison-[0-9a-f]+", said).group(0)
    assert "**主持**：联席会议办公室副主任钱七" in ok(jz, reg, "minutes", "render", mid)
    assert "共 0 个错误" in ok(jz, reg, "validate")
