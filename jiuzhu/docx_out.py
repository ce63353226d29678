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

from jiuzhu.docx_style import (
    BODY_PT,
    HEITI,
    RED,
    TEXT_MM,
    fonts,
    footer,
    mm,
    page,
    ppr_child,
    styles,
)
from jiuzhu.errors import InputRefused

KEYWORDS = ("tag", "mark", "number", "split", "rule", "title", "subtitle", "p", "pn", "h1", "h2", "numbered",
            "label", "right", "imprint", "imprint-split", "blank", "pagebreak", "table", "th", "tr", "bottom")
BOTTOM_KEYWORDS = ("imprint", "imprint-split", "right", "rule")
# 版记 rules (GB/T 9704 §7.4.1): first and last 0.35 mm, the others 0.25 mm; w:sz in eighths of a point
IMPRINT_RULES = {"black-thick": "8", "black": "6", "red-thick": "8", "red": "6"}


def build(blocks: str, template: str) -> bytes:
    """The .docx bytes for a rendered block list (`template` names its source in errors)."""
    from docx import Document

    doc = Document()
    page(doc)
    styles(doc)
    footer(doc)
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
    fonts(run._r, font)
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
    pf.tab_stops.add_tab_stop(mm(TEXT_MM) - char, WD_TAB_ALIGNMENT.RIGHT)
    para.add_run(f"{f[0] if f else ''}\t{f[1] if len(f) > 1 else ''}")


def _rule(doc: Any, kind: str) -> None:
    """A full-width line: the bottom border of an empty, tiny paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = doc.add_paragraph(style="分隔线")
    border = ppr_child(para._p, "w:pBdr")
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
        column.width = mm(width)
    return table


def _row(table: Any, fields: list[str], widths: list[float], header: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cells = table.add_row().cells
    for i, cell in enumerate(cells):
        cell.width = mm(widths[i])
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
    width = str(mm(TEXT_MM).twips)
    table = doc.add_table(rows=len(rows), cols=1)
    tbl_pr = table._tbl.tblPr
    position = parse_xml(
        f'<w:tblpPr {nsdecls("w")} w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0"'
        f' w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{mm(28).twips}" w:tblpYSpec="bottom"/>')
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
        cell.width = mm(TEXT_MM)
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
    para.paragraph_format.tab_stops.add_tab_stop(mm(TEXT_MM) - char, WD_TAB_ALIGNMENT.RIGHT)
    para.add_run(f"{f[0] if f else ''}\t{f[1] if len(f) > 1 else ''}")
