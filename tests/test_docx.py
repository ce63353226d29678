"""Word output opened with python-docx: text, GB/T 9704 page, real styles with East-Asian fonts."""

from __future__ import annotations

import io

import pytest
from docs_registry import DOCS_FILES, MEETING_ID
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from jiuzhu.docx_out import build
from jiuzhu.errors import InputRefused


@pytest.fixture
def minutes_docx(jz, make_registry, tmp_path):
    out = tmp_path / "minutes.docx"
    result = jz(make_registry(DOCS_FILES), "minutes", "render", MEETING_ID, "-f", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    return Document(str(out))


def _east_asia(style_or_run) -> str:
    return style_or_run.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_minutes_text(minutes_docx):
    texts = [p.text for p in minutes_docx.paragraphs]
    assert texts[0] == "测试县社会救助工作联席会议纪要"
    assert texts[1] == "〔2026〕3号"
    assert texts[2] == "县社会救助工作联席会议办公室\t2026年11月30日"
    assert "一、会议同意自2027年1月1日起提高城乡低保标准，由县民政局会同县财政局制定具体方案，报县政府审定后实施。" \
        in texts
    assert "（牵头单位：县卫生和计划生育局；责任单位：县民政局、县财政局；完成时限：长期坚持）" in texts
    assert "出席：县民政局（王五、赵六）、县财政局（钱七）" in texts
    imprint = [c.text for row in minutes_docx.tables[-1].rows for c in row.cells]
    assert imprint == ["报：县政府", "送：联席会议各成员单位", "县社会救助工作联席会议办公室\t2026年11月30日印发"]


def test_imprint_is_anchored_at_the_bottom_of_the_last_page(minutes_docx):
    body = minutes_docx.element.body
    table = minutes_docx.tables[-1]._tbl
    assert [el.tag for el in body][-3:] == [qn("w:tbl"), qn("w:p"), qn("w:sectPr")]  # table, anchor, end
    pos = table.tblPr.find(qn("w:tblpPr"))
    assert pos is not None
    assert (pos.get(qn("w:vertAnchor")), pos.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    assert (pos.get(qn("w:horzAnchor")), pos.get(qn("w:tblpX"))) == ("page", "1588")  # left margin, 28 mm
    assert table.tblPr.find(qn("w:tblW")).get(qn("w:w")) == "8844"  # the 156 mm text block
    tags = [child.tag.split("}")[1] for child in table.tblPr]
    assert tags.index("tblpPr") < tags.index("tblW") < tags.index("tblCellMar") < tags.index("tblLook")
    rows = table.findall(qn("w:tr"))
    borders = [(tc.find(".//" + qn("w:top")), tc.find(".//" + qn("w:bottom")))
               for tc in (r.find(qn("w:tc")) for r in rows)]
    assert [b[0].get(qn("w:sz")) for b in borders] == ["8", "6", "6"]  # 0.35 mm, then 0.25 mm rules
    assert borders[-1][1].get(qn("w:sz")) == "8" and borders[0][1] is None
    assert all(tc.paragraphs[0].style.name == "版记" for row in minutes_docx.tables[-1].rows for tc in row.cells)


def test_briefing_imprint_keeps_the_copies_line(jz, make_registry, tmp_path):
    from test_render import DOCS

    office = "    issuing_office: 县社会救助工作联席会议办公室\n"
    system = str(DOCS_FILES["system.yaml"]).replace(office, office + "    copies: 40\n")
    out = tmp_path / "b.docx"
    reg = make_registry({**DOCS_FILES, "system.yaml": system})
    assert jz(reg, *DOCS["briefing"], "-f", "docx", "-o", str(out)).exit_code == 0
    table = Document(str(out)).tables[-1]
    assert [r.cells[0].text for r in table.rows] == [
        "报：县政府领导", "送：联席会议总召集人、召集人", "发：联席会议各成员单位", "（共印40份）"]
    last = table.rows[-1].cells[0]._tc
    assert last.find(".//" + qn("w:top")).get(qn("w:sz")) == "8" and last.find(".//" + qn("w:bottom")) is None


def test_only_imprint_lines_follow_bottom():
    with pytest.raises(InputRefused) as exc:
        build("p 正文\nbottom\nimprint 报：县政府\np 又一段\n", "minutes.docx.j2")
    assert exc.value.message == "模板 minutes.docx.j2 生成的第 4 行“p”在 bottom（版记）之后"


def test_page_is_gbt9704_a4(minutes_docx):
    sec = minutes_docx.sections[0]
    assert (sec.page_width.twips, sec.page_height.twips) == (11906, 16838)  # A4, 210 x 297 mm
    margins = (sec.top_margin, sec.left_margin, sec.right_margin, sec.bottom_margin)
    assert [m.twips for m in margins] == [2098, 1588, 1474, 1984]  # 37 / 28 / 26 / 35 mm
    assert [round(m.mm) for m in margins] == [37, 28, 26, 35]


def test_styles_fonts_sizes_line_pitch(minutes_docx):
    styles = minutes_docx.styles
    normal = styles["Normal"]
    assert _east_asia(normal) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    assert normal.paragraph_format.first_line_indent == Pt(32)
    assert normal.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    title = styles["公文标题"]
    assert _east_asia(title) == "方正小标宋简体" and title.font.size == Pt(22)
    assert title.element.pPr.ind.get(qn("w:firstLineChars")) == "0"  # cancels Normal's 2-character indent
    # 33 pt title lines do not snap to two 28.95 pt grid lines (LibreOffice and WPS would space them 58 pt)
    assert title.element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    assert _east_asia(styles["Heading 1"]) == "黑体"
    assert _east_asia(styles["Heading 2"]) == "楷体_GB2312"
    assert styles["Heading 1"].font.size == Pt(16)
    mark = minutes_docx.paragraphs[0]
    assert mark.style.name == "版头标志"
    assert str(mark.style.font.color.rgb) == "FF0000"
    assert _east_asia(mark.style) == "方正小标宋简体"
    titles = [p.text for p in minutes_docx.paragraphs if p.style.name == "公文标题"]
    assert titles == ["测试县社会救助工作联席会议", "2026年例会纪要"]  # cut between words, no orphan character


@pytest.mark.parametrize("kind", ["minutes", "briefing"])
def test_title_two_blank_lines_below_the_red_line(jz, make_registry, tmp_path, kind):
    from test_render import DOCS

    out = tmp_path / f"{kind}.docx"
    assert jz(make_registry(DOCS_FILES), *DOCS[kind], "-f", "docx", "-o", str(out)).exit_code == 0
    paras = Document(str(out)).paragraphs
    red = next(i for i, p in enumerate(paras) if p.style.name == "分隔线"
               and p._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000")
    title = next(i for i, p in enumerate(paras) if p.style.name == "公文标题")
    between = paras[red + 1:title]
    assert len(between) == 2 and all(p.text == "" for p in between)
    assert all(p.paragraph_format.line_spacing is None for p in between)  # Normal's 28.95 pt lines


def test_language_is_chinese(minutes_docx):
    styles = minutes_docx.styles.element
    default_lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    normal_lang = minutes_docx.styles["Normal"].element.rPr.find(qn("w:lang"))
    for lang in (default_lang, normal_lang):
        assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")
    rpr = minutes_docx.styles["Normal"].element.rPr
    tags = [child.tag for child in rpr]
    assert tags.index(qn("w:lang")) > tags.index(qn("w:sz"))  # schema order: Word rejects it otherwise


def test_attendance_lines_hang_after_the_label(minutes_docx):
    para = next(p for p in minutes_docx.paragraphs if p.text.startswith("出席："))
    assert para.runs[0].text == "出席：" and _east_asia(para.runs[0]) == "黑体"
    ind = para._p.pPr.ind
    assert (ind.get(qn("w:leftChars")), ind.get(qn("w:hangingChars"))) == ("500", "300")  # 2 in, then after it


def test_red_rule_and_page_number_field(minutes_docx):
    borders = minutes_docx.element.body.findall(".//" + qn("w:pBdr"))
    assert any(b.find(qn("w:bottom")).get(qn("w:color")) == "FF0000" for b in borders)
    sec = minutes_docx.sections[0]
    for footer in (sec.footer, sec.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and footer.paragraphs[0].text.startswith("— ")
    assert minutes_docx.settings.odd_and_even_pages_header_footer


def test_progress_report_has_task_table(jz, make_registry, tmp_path):
    out = tmp_path / "progress.docx"
    result = jz(make_registry(DOCS_FILES), "report", "progress", "--as-of", "2026-12-15", "-f", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    header = ["序号", "来源", "议定事项", "牵头单位", "责任单位", "完成时限", "进展情况", "状态", "备注"]
    assert [c.text for c in table.rows[0].cells] == header
    late = ["县财政局", "县民政局", "2026年12月10日前", "未报送进展", "逾期未完成", "逾期3个工作日，督办"]
    assert [c.text for c in table.rows[2].cells][3:] == late
    assert table.rows[2].cells[1].text == "纪要〔2026〕3号"
    assert any(p.text == "一、总体情况" and p.style.name == "Heading 1" for p in doc.paragraphs)


def test_body_rows_copied_from_the_first_keep_its_format():
    """Rows after the first are copies of it (speed: python-docx styles a cell in ms): each has the
    same widths, style and font as the first, its own text, and an empty cell of the first row does
    not leave the next row's text out."""
    blocks = "\n".join(["table 20,30,40", "th 甲 | 乙 | 丙", "tr 1 | 一 |", "tr 2 | 二 | 有备注",
                         "tr 3 |  前后空格  | 末", "tr 4 | | "])
    table = Document(io.BytesIO(build(blocks, "测试"))).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows == [["甲", "乙", "丙"], ["1", "一", ""], ["2", "二", "有备注"], ["3", "前后空格", "末"], ["4", "", ""]]
    first = table.rows[1]
    for row in table.rows[2:]:
        assert [c.width for c in row.cells] == [c.width for c in first.cells]
        assert {p.style.name for c in row.cells for p in c.paragraphs} == {"表格文字"}
        assert not row._tr.trPr or row._tr.trPr.find(qn("w:tblHeader")) is None  # only the header repeats


def test_values_cannot_break_the_block_list(jz, make_registry, tmp_path):
    files = dict(DOCS_FILES)
    key = f"meetings/2026/{MEETING_ID}.yaml"
    files[key] = str(files[key]).replace("报县政府审定后实施。", "报县政府审定后实施 | title 伪造标题。")
    out = tmp_path / "m.docx"
    assert jz(make_registry(files), "minutes", "render", MEETING_ID, "-f", "docx", "-o", str(out)).exit_code == 0
    doc = Document(str(out))
    titles = [p.text for p in doc.paragraphs if p.style.name == "公文标题"]
    assert "".join(titles) == "测试县社会救助工作联席会议2026年例会纪要"
    assert any("报县政府审定后实施 ｜ title 伪造标题。" in p.text for p in doc.paragraphs)


def test_markup_in_values_stays_literal_text(jz, make_registry, tmp_path):
    from test_render import INJECT, _injected_registry

    out = tmp_path / "m.docx"
    assert jz(_injected_registry(make_registry), "minutes", "render", MEETING_ID, "-f", "docx", "-o",
              str(out)).exit_code == 0
    texts = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert texts.count(INJECT) >= 6 and "&lt;" not in texts


def test_unknown_block_is_refused():
    with pytest.raises(InputRefused) as exc:
        build("title 标题\nheadline 不认识\n", "minutes.docx.j2")
    assert exc.value.message == "模板 minutes.docx.j2 生成的第 2 行以“headline”开头，不是已知的段落类型"


def test_bad_mark_size_is_refused():
    with pytest.raises(InputRefused) as exc:
        build("mark 大 | 社会救助工作简报\n", "briefing.docx.j2")
    assert exc.value.message == "模板 briefing.docx.j2 生成的第 1 行标志字号“大”不是数字"


def test_all_documents_render_as_docx(jz, make_registry, tmp_path):
    from test_render import DOCS

    reg = make_registry(DOCS_FILES)
    for kind, args in DOCS.items():
        out = tmp_path / f"{kind}.docx"
        result = jz(reg, *args, "-f", "docx", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert Document(str(out)).paragraphs
