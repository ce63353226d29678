"""The 版记 at the foot of the last page, and the full-width rules of a Word document.

The blocks after `bottom` (jiuzhu.docx_out) become a floating one-column table as wide as the
text block, anchored to the bottom of the text area; its rules are the rows' borders (see
jiuzhu.docx_out's docstring for why a floating table).
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from jiuzhu.docx_style import RED, TEXT_MM, mm, ppr_child

# 版记 rules (GB/T 9704 §7.4.1): first and last 0.35 mm, the others 0.25 mm; w:sz in eighths of a point
IMPRINT_RULES = {"black-thick": "8", "black": "6", "red-thick": "8", "red": "6"}


def rule(doc: Any, kind: str) -> None:
    """A full-width line: the bottom border of an empty, tiny paragraph."""

    para = doc.add_paragraph(style="分隔线")
    border = ppr_child(para._p, "w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "18" if kind.endswith("thick") else "8")  # eighths of a point
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), RED if kind.startswith("red") else "000000")
    border.append(bottom)



def imprint_table(doc: Any, blocks: list[tuple[str, list[str]]]) -> None:
    """The blocks after `bottom` as a floating table anchored to the bottom of the text area (see
    the module docstring), followed by the tiny paragraph that anchors it."""
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
            rule(doc, pending)
        return
    table = doc.add_table(rows=len(rows), cols=1)
    _float_at_bottom(table)
    for i, (row, (key, fields, above)) in enumerate(zip(table.rows, rows, strict=True)):
        _imprint_cell(doc, row.cells[0], key, fields, above, pending if i == len(rows) - 1 else None)
    doc.add_paragraph(style="分隔线")  # the anchor: the document's last paragraph


def _float_at_bottom(table: Any) -> None:
    """A one-column table the width of the text block, floating at the bottom of the page."""
    width = str(mm(TEXT_MM).twips)
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


def _imprint_cell(doc: Any, cell: Any, key: str, fields: list[str], above: str | None, below: str | None) -> None:
    cell.width = mm(TEXT_MM)
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
        return
    para.add_run(fields[0] if fields else "")
    if key == "right":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _split_in(para: Any, f: list[str]) -> None:
    char = Pt(para.part.document.styles["版记"].font.size.pt)
    para.paragraph_format.tab_stops.add_tab_stop(mm(TEXT_MM) - char, WD_TAB_ALIGNMENT.RIGHT)
    para.add_run(f"{f[0] if f else ''}\t{f[1] if len(f) > 1 else ''}")
