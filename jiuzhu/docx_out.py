"""Word output: the block list a `*.docx.j2` template renders, laid out with real Word styles.

python-docx writes the styles itself (GB/T 9704 page, 仿宋_GB2312 16 pt body with the East-Asian
font set, exact 28.95 pt line pitch, two-character first-line indent, 小标宋 title, 黑体/楷体
headings, red mark and rules, `— PAGE —` footer), so no binary template ships with jiuzhu and the
office can restyle the result in Word or WPS.

The block list is one block a line: a keyword, a space, then fields separated by `|`. Rendered
values cannot break it (the docx environment turns their newlines into spaces and `|` into `｜`).

    tag TEXT               黑体, not indented (征求意见稿, 附件)
    mark SIZE | TEXT       red 小标宋 mark, SIZE in pt       number TEXT    centred 发文字号
    split LEFT | RIGHT     left and right on one line        rule red|red-thick|black|black-thick
    title TEXT             2号小标宋, centred                 subtitle TEXT  楷体, centred
    p TEXT                 body, first line indented          pn TEXT        body, not indented
    h1 TEXT / h2 TEXT      黑体 / 楷体 headings                numbered NUM | TEXT   黑体 number, body text
    label LABEL | TEXT     黑体 label, lines aligned after it right TEXT      right-aligned, 4 chars in
    imprint TEXT           版记 line (4号)                    imprint-split LEFT | RIGHT
    blank                  empty line                         pagebreak
    table W1,W2,...        table, column widths in mm         th A | B ...   header row   tr A | B ... row
    bottom                 what follows is the 版记 at the foot of the last page: only imprint,
                           imprint-split, right and rule lines may follow it

The 版记 (imprint) after `bottom` becomes a floating one-column table, as wide as the text block,
anchored to the bottom of the text area (w:tblpPr vertAnchor=margin, tblpYSpec=bottom): Word,
WPS and LibreOffice put it at the foot of the page that holds its anchor, the document's last
paragraph, so it sits at the bottom of the last page without a spacer the clerk must adjust. Its
rules are the rows' top and bottom borders. The table is positioned from the page's left edge
(horzAnchor=page, tblpX = left margin): LibreOffice turns a table as wide as the text block into
a floating frame only when it is positioned relative to the page. (A last section with
w:vAlign=bottom was rejected: LibreOffice ignores it, and Word applies it to whole pages only.)
"""

from __future__ import annotations

import io
from typing import Any

from jiuzhu.errors import InputRefused

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = "FF0000"
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
IMPRINT_PT = 14.0  # 4号
TABLE_PT = 10.5  # 五号
LINE_PT = 28.95  # 22 lines in the 225 mm text block
TEXT_MM = 156

KEYWORDS = ("tag", "mark", "number", "split", "rule", "title", "subtitle", "p", "pn", "h1", "h2", "numbered",
            "label", "right", "imprint", "imprint-split", "blank", "pagebreak", "table", "th", "tr", "bottom")
BOTTOM_KEYWORDS = ("imprint", "imprint-split", "right", "rule")
# 版记 rules (GB/T 9704 §7.4.1): first and last 0.35 mm, the others 0.25 mm; w:sz in eighths of a point
IMPRINT_RULES = {"black-thick": "8", "black": "6", "red-thick": "8", "red": "6"}


def build(blocks: str, template: str) -> bytes:
    """The .docx bytes for a rendered block list (`template` names its source in errors)."""
    from docx import Document

    doc = Document()
    _page(doc)
    _styles(doc)
    _footer(doc)
    table: Any = None
    widths: list[float] = []
    bottom: list[tuple[str, list[str]]] | None = None
    for lineno, raw in enumerate(blocks.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        key, _, rest = line.partition(" ")
        fields = [f.strip() for f in rest.split("|")] if rest else []
        if key not in KEYWORDS:
            raise InputRefused(f"模板 {template} 生成的第 {lineno} 行以“{key}”开头，不是已知的段落类型",
                               f"docx 模板每行以这些词之一开头：{'、'.join(KEYWORDS)}。")
        if bottom is not None:
            if key not in BOTTOM_KEYWORDS:
                raise InputRefused(f"模板 {template} 生成的第 {lineno} 行“{key}”在 bottom（版记）之后",
                                   f"bottom 之后只能写 {'、'.join(BOTTOM_KEYWORDS)}：版记是文档的最后部分。")
            bottom.append((key, fields))
            continue
        if key == "bottom":
            bottom = []
            table = None
            continue
        if key in ("th", "tr"):
            if table is None:
                raise InputRefused(f"模板 {template} 生成的第 {lineno} 行是表格行，但前面没有 table 行",
                                   "先写一行 table 列宽1,列宽2,…（毫米）。")
            _row(table, fields, widths, header=key == "th")
            continue
        table = None
        if key == "table":
            try:
                widths = [float(w) for w in rest.split(",")]
            except ValueError:
                raise InputRefused(f"模板 {template} 生成的第 {lineno} 行表格列宽“{rest}”不是数字",
                                   "写成 table 10,40,20（毫米）。") from None
            table = _table(doc, widths)
            continue
        if key == "mark" and len(fields) > 1 and not _is_number(fields[0]):
            raise InputRefused(f"模板 {template} 生成的第 {lineno} 行标志字号“{fields[0]}”不是数字",
                               "写成 mark 字号 | 标志文字，例如 mark 36 | 社会救助工作简报。")
        _block(doc, key, fields)
    if bottom is not None:
        _imprint_table(doc, bottom)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- page and styles ----------------------------------------------------------------------------

def _page(doc: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    sec = doc.sections[0]
    sec.page_width, sec.page_height = _mm(210), _mm(297)
    sec.top_margin, sec.bottom_margin = _mm(37), _mm(35)
    sec.left_margin, sec.right_margin = _mm(28), _mm(26)
    sec.footer_distance = _mm(23)  # page number line 7 mm below the text block
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))


# w:pPr children must come in this order (ECMA-376 CT_PPrBase), or Word refuses the file.
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _ppr_child(owner: Any, tag: str) -> Any:
    """A new child `tag` of `owner`'s w:pPr, inserted at its schema position."""
    from docx.oxml import OxmlElement

    ppr = owner.get_or_add_pPr()
    el = OxmlElement(tag)
    ppr.insert_element_before(el, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1:])
    return el


def _mm(mm: float) -> Any:
    """Millimetres as Word stores them: rounded to 0.1 pt, then twips. This gives the GB/T 9704
    values offices know (28 mm -> 1588 twips; docx.shared.Mm truncates to 1587)."""
    from docx.shared import Twips

    return Twips(round(round(mm / 25.4 * 72, 1) * 20))


def _fonts(rpr_parent: Any, name: str) -> None:
    """Set one font for every script, the East-Asian one included, and drop theme fonts."""
    from docx.oxml.ns import qn

    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)


def _style(doc: Any, name: str, font: str, size: float, *, indent_chars: int = 0, base: str | None = "Normal",
           grid: bool = True, **fmt: Any) -> Any:
    """Create or redefine a paragraph style; every style states its font, size, colour, spacing
    and first-line indent itself (the built-in headings carry theme fonts and spacing to drop).
    `grid=False`: lines do not snap to the 28.95 pt document grid (tables, marks, rules, footer)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and name != base:
        style.base_style = styles[base]
    _fonts(style.element, font)
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(fmt.pop("color", "000000"))
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    for key, value in fmt.items():
        setattr(pf, key, value)
    _first_line_chars(style.element, indent_chars, size)
    if not grid:
        from docx.oxml.ns import qn

        _ppr_child(style.element, "w:snapToGrid").set(qn("w:val"), "0")
    return style


def _first_line_chars(element: Any, chars: int, size: float) -> None:
    """First-line indent in characters (w:firstLineChars, which Word and WPS prefer), with the same
    length in twips for other readers. Zero is written too: it cancels the inherited indent."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    ind = element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLine"), str(Pt(size * chars).twips))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _language(doc: Any) -> None:
    """Chinese (zh-CN) as the language of the document defaults and of Normal, East-Asian text
    included, so Word and WPS break lines and check text the Chinese way (python-docx's default
    template says en-US)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    targets = [doc.styles["Normal"].element.get_or_add_rPr()]
    if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
        targets.append(rpr_default.find(qn("w:rPr")))
    for rpr in targets:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    center = WD_ALIGN_PARAGRAPH.CENTER
    single: dict[str, Any] = {"line_spacing_rule": WD_LINE_SPACING.SINGLE, "grid": False}
    _style(doc, "Normal", FANGSONG, BODY_PT, indent_chars=2, base=None, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
           widow_control=False, line_spacing_rule=WD_LINE_SPACING.EXACTLY, line_spacing=Pt(LINE_PT))
    _language(doc)
    _style(doc, "公文标题", XIAOBIAOSONG, TITLE_PT, alignment=center, line_spacing=Pt(33), grid=False)
    _style(doc, "公文副标题", KAITI, BODY_PT, alignment=center)
    _style(doc, "版头标志", XIAOBIAOSONG, 36, alignment=center, color=RED, **single)
    _style(doc, "发文字号", FANGSONG, BODY_PT, alignment=center)
    _style(doc, "无缩进正文", FANGSONG, BODY_PT)
    _style(doc, "Heading 1", HEITI, BODY_PT, indent_chars=2, keep_with_next=True)
    _style(doc, "Heading 2", KAITI, BODY_PT, indent_chars=2, keep_with_next=True)
    _style(doc, "版记", FANGSONG, IMPRINT_PT, left_indent=Pt(IMPRINT_PT), right_indent=Pt(IMPRINT_PT),
           line_spacing=Pt(24), grid=False)
    _style(doc, "表格文字", FANGSONG, TABLE_PT, alignment=WD_ALIGN_PARAGRAPH.LEFT, **single)
    _style(doc, "页码", SONGTI, IMPRINT_PT, **single)
    _style(doc, "分隔线", FANGSONG, 2, line_spacing=Pt(6), grid=False)


def _footer(doc: Any) -> None:
    """`— 1 —` in 4号宋体: odd pages right, even pages left, one character in (GB/T 9704 §7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        para = footer.paragraphs[0]
        para.style = doc.styles["页码"]
        para.alignment = align
        pf = para.paragraph_format
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            pf.right_indent = Pt(IMPRINT_PT)
        else:
            pf.left_indent = Pt(IMPRINT_PT)
        para.add_run("— ")
        _field(para, "PAGE", "1")
        para.add_run(" —")


def _field(para: Any, instr: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    for el in (char("begin"), text, char("separate")):
        para.add_run()._r.append(el)
    para.add_run(shown)
    para.add_run()._r.append(char("end"))


# --- blocks -------------------------------------------------------------------------------------

def _block(doc: Any, key: str, f: list[str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    first = f[0] if f else ""
    if key == "tag":
        _run(doc.add_paragraph(style="无缩进正文"), first, HEITI)
    elif key == "mark":
        size, text = (float(f[0]), f[1]) if len(f) > 1 else (36.0, first)
        run = doc.add_paragraph(style="版头标志").add_run(text)
        run.font.size = Pt(size)
    elif key == "number":
        doc.add_paragraph(first, style="发文字号")
    elif key in ("split", "imprint-split"):
        _split(doc, "版记" if key == "imprint-split" else "无缩进正文", f)
    elif key == "rule":
        _rule(doc, first or "red")
    elif key == "title":
        doc.add_paragraph(first, style="公文标题")
    elif key == "subtitle":
        doc.add_paragraph(first, style="公文副标题")
    elif key == "p":
        doc.add_paragraph(first)
    elif key == "pn":
        doc.add_paragraph(first, style="无缩进正文")
    elif key == "h1":
        doc.add_paragraph(first, style="Heading 1")
    elif key == "h2":
        doc.add_paragraph(first, style="Heading 2")
    elif key == "numbered":
        para = doc.add_paragraph()
        _run(para, first, HEITI)
        para.add_run(f[1] if len(f) > 1 else "")
    elif key == "label":
        para = doc.add_paragraph(style="无缩进正文")
        _hanging(para, len(first))
        _run(para, first, HEITI)
        para.add_run(f[1] if len(f) > 1 else "")
    elif key == "right":
        para = doc.add_paragraph(first, style="无缩进正文")
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.right_indent = Pt(BODY_PT * 4)
    elif key == "imprint":
        doc.add_paragraph(first, style="版记")
    elif key == "blank":
        doc.add_paragraph(style="无缩进正文")
    elif key == "pagebreak":
        doc.add_paragraph(style="无缩进正文").add_run().add_break(WD_BREAK.PAGE)


def _hanging(para: Any, chars: int) -> None:
    """Wrapped lines aligned after a label such as 出席： (left and hanging indent of `chars`)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    ind = para._p.get_or_add_pPr().get_or_add_ind()
    width = str(Pt(BODY_PT * chars).twips)
    for attr, value in (("left", width), ("leftChars", str(chars * 100)), ("hanging", width),
                        ("hangingChars", str(chars * 100))):
        ind.set(qn(f"w:{attr}"), value)


def _run(para: Any, text: str, font: str) -> Any:
    run = para.add_run(text)
    _fonts(run._r, font)
    return run


def _split(doc: Any, style: str, f: list[str]) -> None:
    """LEFT and RIGHT on one line: a right tab stop at the end of the text block."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    para = doc.add_paragraph(style=style)
    pf = para.paragraph_format
    char = Pt(doc.styles[style].font.size.pt)
    pf.left_indent, pf.right_indent = char, Pt(0)
    # one character in from the right edge; inside the text block whether a reader measures tab
    # stops from the margin (Word) or from the indent
    pf.tab_stops.add_tab_stop(_mm(TEXT_MM) - char, WD_TAB_ALIGNMENT.RIGHT)
    para.add_run(f"{f[0] if f else ''}\t{f[1] if len(f) > 1 else ''}")


def _rule(doc: Any, kind: str) -> None:
    """A full-width line: the bottom border of an empty, tiny paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = doc.add_paragraph(style="分隔线")
    border = _ppr_child(para._p, "w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "18" if kind.endswith("thick") else "8")  # eighths of a point
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), RED if kind.startswith("red") else "000000")
    border.append(bottom)


def _table(doc: Any, widths: list[float]) -> Any:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = _mm(width)
    return table


def _row(table: Any, fields: list[str], widths: list[float], header: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cells = table.add_row().cells
    for i, cell in enumerate(cells):
        cell.width = _mm(widths[i])
        para = cell.paragraphs[0]
        para.style = table.part.document.styles["表格文字"]
        text = fields[i] if i < len(fields) else ""
        if header:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(para, text, HEITI)
        else:
            para.add_run(text)
    if header:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        tr_pr = table.rows[-1]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)


# --- 版记 at the foot of the last page ----------------------------------------------------------------

def _imprint_table(doc: Any, blocks: list[tuple[str, list[str]]]) -> None:
    """The blocks after `bottom` as a floating table anchored to the bottom of the text area (see
    the module docstring), followed by the tiny paragraph that anchors it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    rows: list[tuple[str, list[str], str | None]] = []  # (keyword, fields, rule above)
    pending: str | None = None
    for key, fields in blocks:
        if key == "rule":
            pending = fields[0] if fields else "black"
            continue
        rows.append((key, fields, pending))
        pending = None
    if not rows:
        if pending is not None:
            _rule(doc, pending)
        return
    width = str(_mm(TEXT_MM).twips)
    table = doc.add_table(rows=len(rows), cols=1)
    tbl_pr = table._tbl.tblPr
    position = parse_xml(
        f'<w:tblpPr {nsdecls("w")} w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0"'
        f' w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{_mm(28).twips}" w:tblpYSpec="bottom"/>')
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        style.addnext(position)
    else:
        tbl_pr.insert(0, position)
    position.addnext(parse_xml(f'<w:tblOverlap {nsdecls("w")} w:val="never"/>'))
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:w"), width)
    tbl_w.set(qn("w:type"), "dxa")
    margins = parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
                        f'<w:right w:w="0" w:type="dxa"/></w:tblCellMar>')
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:  # CT_TblPr order: ... tblLayout, tblCellMar, tblLook
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for col in table._tbl.tblGrid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), width)
    table.autofit = False
    for i, (row, (key, fields, above)) in enumerate(zip(table.rows, rows, strict=True)):
        cell = row.cells[0]
        cell.width = _mm(TEXT_MM)
        below = pending if i == len(rows) - 1 else None
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="{IMPRINT_RULES.get(kind, "6")}" w:space="0"'
            f' w:color="{RED if kind.startswith("red") else "000000"}"/>'
            for side, kind in (("top", above), ("bottom", below)) if kind)
        if borders:
            cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:tcBorders {nsdecls("w")}>{borders}</w:tcBorders>'))
        para = cell.paragraphs[0]
        para.style = doc.styles["版记"]
        if key == "imprint-split":
            _split_in(para, fields)
        else:
            para.add_run(fields[0] if fields else "")
            if key == "right":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(style="分隔线")  # the anchor: the document's last paragraph


def _split_in(para: Any, f: list[str]) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    char = Pt(para.part.document.styles["版记"].font.size.pt)
    para.paragraph_format.tab_stops.add_tab_stop(_mm(TEXT_MM) - char, WD_TAB_ALIGNMENT.RIGHT)
    para.add_run(f"{f[0] if f else ''}\t{f[1] if len(f) > 1 else ''}")
