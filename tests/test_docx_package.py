"""Each Word file as an office issues it: its properties (the issuing office, the document's title,
now), Chinese as the theme and style language, no Japanese fonts from python-docx's template, black
headings, the GB/T 9704 page, grid and fonts."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from docs_registry import DOCS_FILES
from docx import Document
from docx.oxml.ns import qn
from test_render import DOCS


@pytest.mark.parametrize("kind", list(DOCS))
def test_a_word_file_as_an_office_issues_it(make_registry, jz, tmp_path, kind) -> None:
    out = tmp_path / f"{kind}.docx"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    res = jz(make_registry(DOCS_FILES), *DOCS[kind], "-o", str(out))
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    core = doc.core_properties
    assert core.author == core.last_modified_by == "县社会救助工作联席会议办公室"
    assert core.title == doc.paragraphs[[p.style.name for p in doc.paragraphs].index("公文标题")].text
    assert "python-docx" not in (core.comments or "") and core.language == "zh-CN"
    assert before <= core.created.replace(tzinfo=dt.UTC) <= dt.datetime.now(dt.UTC)
    assert core.modified == core.created

    lang = doc.settings.element.find(qn("w:themeFontLang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")
    normal = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:eastAsia")) == "zh-CN"
    with zipfile.ZipFile(out) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
        theme = z.read("word/theme/theme1.xml").decode("utf-8")
    assert "ＭＳ" not in fonts and '<a:ea typeface="宋体"/>' in theme and '<a:ea typeface=""/>' not in theme
    for style in doc.styles:
        if style.name.startswith(("Heading", "Title")) and style.font.color.type is not None:
            assert str(style.font.color.rgb) == "000000", style.name

    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] \
        == [37, 35, 28, 26]
    assert sec._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    body = doc.styles["Normal"]
    assert (body.font.size.pt, body.element.rPr.rFonts.get(qn("w:eastAsia"))) == (16.0, "仿宋_GB2312")
    title = doc.styles["公文标题"]
    assert (title.font.size.pt, title.element.rPr.rFonts.get(qn("w:eastAsia"))) == (22.0, "方正小标宋简体")
