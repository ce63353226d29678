"""Word output: the block list a `*.docx.j2` template renders, laid out with real Word styles.

python-docx writes the styles itself (GB/T 9704 page, 仿宋_GB2312 16 pt body with the East-Asian
font set, exact 28.95 pt line pitch, two-character first-line indent, 小标宋 title, 黑体/楷体
headings, red mark and rules, `— PAGE —` footer), so no binary template ships with jiuzhu and the
office can restyle the result in Word or WPS.

The block list is one block a line: a keyword, a space, then fields separated by `|`. Rendered
values cannot break it (the docx environment turns their newlines into spaces and `|` into `｜`).

    tag TEXT               黑体, not indented (征求意见稿, 附件)
    mark SIZE | TEXT [| MM] red 小标宋 mark, SIZE in pt, MM below the text block's top   number TEXT    centred 发文字号
    split LEFT | RIGHT     left and right on one line        rule red|red-thick|black|black-thick
    title TEXT             2号小标宋, centred                 subtitle TEXT  楷体, centred
    p TEXT                 body, first line indented          pn TEXT        body, not indented
    h1 TEXT / h2 TEXT      黑体 / 楷体 headings                numbered NUM | TEXT   黑体 number, body text
    label LABEL | TEXT     黑体 label 2 chars in, lines aligned after it   right TEXT      right-aligned, 4 chars in
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

import copy
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from jiuzhu.docx_imprint import imprint_table, rule
from jiuzhu.docx_style import (
    BODY_PT,
    HEITI,
    LINE_PT,
    TEXT_MM,
    fonts,
    footer,
    mm,
    package_fonts,
    page,
    properties,
    styles,
)
from jiuzhu.errors import InputRefused

KEYWORDS = ("tag", "mark", "number", "split", "rule", "title", "subtitle", "p", "pn", "h1", "h2", "numbered",
            "label", "right", "imprint", "imprint-split", "blank", "pagebreak", "table", "th", "tr", "bottom",
            "image")
BOTTOM_KEYWORDS = ("imprint", "imprint-split", "right", "rule")


Progress = Callable[[int, int], None]  # (blocks done, blocks in all): a long document's progress


def build(blocks: str, template: str, author: str = "", progress: Progress | None = None) -> bytes:
    """The .docx bytes for a rendered block list (`template` names its source in errors); `author`
    (the issuing office) goes into the file's properties with the document's title and the time.
    `progress` is told every 200 blocks how far the build is."""
    doc = Document()
    page(doc)
    styles(doc)
    footer(doc)
    builder = _Builder(doc, template)
    lines = blocks.split("\n")  # only \n ends a block (not U+2028 and the like)
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if line:
            builder.line(lineno, line)
        if progress is not None and lineno % 200 == 0:
            progress(lineno, len(lines))
    if builder.bottom is not None:
        imprint_table(doc, builder.bottom)
    properties(doc, "".join(builder.titles), author, dt.datetime.now(dt.UTC))
    buf = io.BytesIO()
    doc.save(buf)
    return package_fonts(buf.getvalue())


class _Builder:
    """Reads the block list line by line: a table's rows, the 版记 after `bottom`, other blocks."""

    def __init__(self, doc: Any, template: str) -> None:
        self.doc, self.template = doc, template
        self.table: Any = None
        self.row: Any = None  # the table's first body row, copied for the others (python-docx per cell: 25 ms a row)
        self.widths: list[float] = []
        self.bottom: list[tuple[str, list[str]]] | None = None
        self.titles: list[str] = []  # the first `title` block's text: the file's title property

    def refuse(self, lineno: int, what: str, how: str) -> InputRefused:
        return InputRefused(f"模板 {self.template} 生成的第 {lineno} 行{what}", how)

    def line(self, lineno: int, line: str) -> None:
        key, _, rest = line.partition(" ")
        fields = [f.strip() for f in rest.split("|")] if rest else []
        if key not in KEYWORDS:
            raise self.refuse(lineno, f"以“{key}”开头，不是已知的段落类型",
                              f"docx 模板每行以这些词之一开头：{'、'.join(KEYWORDS)}。")
        if self.bottom is not None:
            if key not in BOTTOM_KEYWORDS:
                raise self.refuse(lineno, f"“{key}”在 bottom（版记）之后",
                                  f"bottom 之后只能写 {'、'.join(BOTTOM_KEYWORDS)}：版记是文档的最后部分。")
            self.bottom.append((key, fields))
        elif key == "bottom":
            self.bottom, self.table = [], None
        elif key in ("th", "tr"):
            self.table_row(lineno, key, fields)
        elif key == "table":
            self.widths = self.column_widths(lineno, rest)
            self.table, self.row = _table(self.doc, self.widths), None
        else:
            self.table = None
            if key == "mark":
                self.check_mark(lineno, fields)
            if key == "title" and not self.titles:  # the document's, not an attachment's
                self.titles.extend(fields)
            _block(self.doc, key, fields)

    def table_row(self, lineno: int, key: str, fields: list[str]) -> None:
        if self.table is None:
            raise self.refuse(lineno, "是表格行，但前面没有 table 行", "先写一行 table 列宽1,列宽2,…（毫米）。")
        if key == "tr" and self.row is not None:
            _copy_row(self.table, self.row, fields)
        else:
            row = _row(self.table, fields, self.widths, header=key == "th")
            self.row = row if key == "tr" else None

    def check_mark(self, lineno: int, fields: list[str]) -> None:
        if len(fields) > 1 and not _is_number(fields[0]):
            raise self.refuse(lineno, f"标志字号“{fields[0]}”不是数字",
                              "写成 mark 字号 | 标志文字，例如 mark 36 | 社会救助工作简报。")
        if len(fields) > 2 and not _is_number(fields[2]):
            raise self.refuse(lineno, f"标志上边缘的距离“{fields[2]}”不是数字",
                              "写成 mark 字号 | 标志文字 | 距版心上边缘的毫米数，例如 mark 36 | 某某纪要 | 35。")

    def column_widths(self, lineno: int, rest: str) -> list[float]:
        try:
            return [float(w) for w in rest.split(",")]
        except ValueError:
            raise self.refuse(lineno, f"表格列宽“{rest}”不是数字", "写成 table 10,40,20（毫米）。") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- page and styles ----------------------------------------------------------------------------


# --- blocks -------------------------------------------------------------------------------------

# Blocks that are one paragraph of a style (None: the body text's).
_STYLED = {"number": "发文字号", "title": "公文标题", "subtitle": "公文副标题", "p": None, "pn": "无缩进正文",
           "h1": "Heading 1", "h2": "Heading 2", "imprint": "版记"}


def _block(doc: Any, key: str, f: list[str]) -> None:
    first = f[0] if f else ""
    if key in _STYLED:
        doc.add_paragraph(first, style=_STYLED[key])
    elif key in ("split", "imprint-split"):
        _split(doc, "版记" if key == "imprint-split" else "无缩进正文", f)
    elif key == "rule":
        rule(doc, first or "red")
    else:
        _BLOCKS[key](doc, first, f)


def _tag(doc: Any, first: str, f: list[str]) -> None:
    _run(doc.add_paragraph(style="无缩进正文"), first, HEITI)


def _mark(doc: Any, first: str, f: list[str]) -> None:
    """A red mark; with a third field, its upper edge that many mm below the top of the text block
    (GB/T 9704 10.3: 35 mm for a 纪要), less the lines of any paragraph above it (a draft's label)."""
    size, text = (float(f[0]), f[1]) if len(f) > 1 else (36.0, first)
    para = doc.add_paragraph(style="版头标志")
    para.add_run(text).font.size = Pt(size)
    if len(f) > 2:  # one line exactly the type's size high: its top is the characters' top
        above = len(doc.paragraphs) - 1
        para.paragraph_format.space_before = Pt(max(0.0, float(f[2]) / 25.4 * 72 - above * LINE_PT))
        para.paragraph_format.line_spacing = Pt(size)


def _numbered(doc: Any, first: str, f: list[str]) -> None:
    para = doc.add_paragraph()
    _run(para, first, HEITI)
    para.add_run(f[1] if len(f) > 1 else "")


def _label(doc: Any, first: str, f: list[str]) -> None:
    para = doc.add_paragraph(style="无缩进正文")
    _hanging(para, len(first))
    _run(para, first, HEITI)
    para.add_run(f[1] if len(f) > 1 else "")


def _right(doc: Any, first: str, f: list[str]) -> None:
    para = doc.add_paragraph(first, style="无缩进正文")
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para.paragraph_format.right_indent = Pt(BODY_PT * 4)


def _blank(doc: Any, first: str, f: list[str]) -> None:
    doc.add_paragraph(style="无缩进正文")


def _pagebreak(doc: Any, first: str, f: list[str]) -> None:
    doc.add_paragraph(style="无缩进正文").add_run().add_break(WD_BREAK.PAGE)


def _image(doc: Any, first: str, f: list[str]) -> None:
    """A centred picture: `image <base64 PNG> | <width in mm>` (a chart the context drew)."""
    import base64

    from docx.shared import Mm

    para = doc.add_paragraph(style="无缩进正文")
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.line_spacing = 1.0  # single (not the style's exact height, which would cut it off)
    para.add_run().add_picture(io.BytesIO(base64.b64decode(first)), width=Mm(float(f[1]) if len(f) > 1 else 150))


_BLOCKS: dict[str, Callable[[Any, str, list[str]], None]] = {
    "tag": _tag, "mark": _mark, "numbered": _numbered, "label": _label, "right": _right, "blank": _blank,
    "pagebreak": _pagebreak, "image": _image}


def _hanging(para: Any, chars: int, indent: int = 2) -> None:
    """A label such as 出席： indented `indent` characters, its wrapped lines aligned after the label
    (left indent of indent + `chars` characters, hanging `chars`)."""

    ind = para._p.get_or_add_pPr().get_or_add_ind()
    left, hanging = str(Pt(BODY_PT * (indent + chars)).twips), str(Pt(BODY_PT * chars).twips)
    for attr, value in (("left", left), ("leftChars", str((indent + chars) * 100)), ("hanging", hanging),
                        ("hangingChars", str(chars * 100))):
        ind.set(qn(f"w:{attr}"), value)


def _run(para: Any, text: str, font: str) -> Any:
    run = para.add_run(text)
    fonts(run._r, font)
    return run


def _split(doc: Any, style: str, f: list[str]) -> None:
    """LEFT and RIGHT on one line: a right tab stop at the end of the text block."""

    para = doc.add_paragraph(style=style)
    pf = para.paragraph_format
    char = Pt(doc.styles[style].font.size.pt)
    pf.left_indent, pf.right_indent = char, Pt(0)
    # one character in from the right edge; inside the text block whether a reader measures tab
    # stops from the margin (Word) or from the indent
    pf.tab_stops.add_tab_stop(mm(TEXT_MM) - char, WD_TAB_ALIGNMENT.RIGHT)
    para.add_run(f"{f[0] if f else ''}\t{f[1] if len(f) > 1 else ''}")


def _table(doc: Any, widths: list[float]) -> Any:
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = mm(width)
    return table


def _row(table: Any, fields: list[str], widths: list[float], header: bool) -> Any:
    """A row built cell by cell (widths, style, runs); its XML element."""
    row = table.add_row()
    cells = row.cells
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
        tr_pr = table.rows[-1]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    return row._tr


def _copy_row(table: Any, model: Any, fields: list[str]) -> None:
    """A body row as a copy of `model` (the table's first one: same widths, style, run format)
    holding `fields`: one run of text a cell."""
    tr = copy.deepcopy(model)
    for i, cell in enumerate(tr.iter(qn("w:tc"))):
        run = next(cell.iter(qn("w:r")), None)
        if run is None:  # the model's cell was empty: its paragraph gets a run
            run = OxmlElement("w:r")
            next(cell.iter(qn("w:p"))).append(run)
        for child in list(run):
            if child.tag != qn("w:rPr"):
                run.remove(child)
        text = fields[i] if i < len(fields) else ""
        if text:
            t = OxmlElement("w:t")
            t.text = text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(t)
    table._tbl.append(tr)
