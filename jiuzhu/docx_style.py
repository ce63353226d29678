"""The page, styles and fonts of a GB/T 9704 Word document, set through python-docx and, where it
has no API, its OOXML elements."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

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
# 28 characters a line of 3号: 156 mm = 442.2 pt, and 28 x (16 - 0.25) = 441 pt (16 pt type fits 27).
BODY_CHAR_SPACING = -5  # twentieths of a point, in the 3号 styles' w:spacing
TEXT_MM = 156



def page(doc: Any) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = mm(210), mm(297)
    sec.top_margin, sec.bottom_margin = mm(37), mm(35)
    sec.left_margin, sec.right_margin = mm(28), mm(26)
    sec.footer_distance = mm(23)  # page number line 7 mm below the text block
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


def ppr_child(owner: Any, tag: str) -> Any:
    """A new child `tag` of `owner`'s w:pPr, inserted at its schema position."""

    ppr = owner.get_or_add_pPr()
    el = OxmlElement(tag)
    ppr.insert_element_before(el, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1:])
    return el


def mm(mm: float) -> Any:
    """Millimetres as Word stores them: rounded to 0.1 pt, then twips. This gives the GB/T 9704
    values offices know (28 mm -> 1588 twips; docx.shared.Mm truncates to 1587)."""

    return Twips(round(round(mm / 25.4 * 72, 1) * 20))


def fonts(rpr_parent: Any, name: str) -> None:
    """Set one font for every script, the East-Asian one included, and drop theme fonts."""

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

    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and name != base:
        style.base_style = styles[base]
    fonts(style.element, font)
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(fmt.pop("color", "000000"))
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    for key, value in fmt.items():
        setattr(pf, key, value)
    _first_line_chars(style.element, indent_chars, size)
    _char_spacing(style.element, BODY_CHAR_SPACING if size == BODY_PT else 0)
    if not grid:
        ppr_child(style.element, "w:snapToGrid").set(qn("w:val"), "0")
    return style


# w:rPr children after w:spacing (ECMA-376 CT_RPr order)
_RPR_AFTER_SPACING = frozenset(qn(t) for t in (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText",
    "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"))


def _char_spacing(element: Any, twips: int) -> None:
    """Character spacing of a style (w:spacing in its run properties), stated even when 0 so that
    a style does not inherit the body's."""
    rpr = element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        later = next((child for child in rpr if child.tag in _RPR_AFTER_SPACING), None)
        if later is not None:
            later.addprevious(spacing)
        else:
            rpr.append(spacing)
    spacing.set(qn("w:val"), str(twips))


def _first_line_chars(element: Any, chars: int, size: float) -> None:
    """First-line indent in characters (w:firstLineChars, which Word and WPS prefer), with the same
    length in twips for other readers. Zero is written too: it cancels the inherited indent."""

    ind = element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLine"), str(Pt(size * chars).twips))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _language(doc: Any) -> None:
    """Chinese (zh-CN) as the language of the document defaults and of Normal, East-Asian text
    included, so Word and WPS break lines and check text the Chinese way (python-docx's default
    template says en-US)."""

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


def styles(doc: Any) -> None:
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
    black_headings(doc)
    chinese_package(doc)


def footer(doc: Any) -> None:
    """`— 1 —` in 4号宋体: odd pages right, even pages left, one character in (GB/T 9704 §7.5)."""

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


def chinese_package(doc: Any) -> None:
    """The settings part speaks Chinese: theme fonts for zh-CN (python-docx's template: ja-JP)."""
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        doc.settings.element.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def black_headings(doc: Any) -> None:
    """Every built-in style that colours its text from the theme (Heading 1–9 blue, Title dark
    blue) prints black: a 公文 has no coloured headings."""
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) and style.font.color.type is not None \
                and style.font.color.rgb != RGBColor.from_string(RED):
            style.font.color.rgb = RGBColor(0, 0, 0)


def properties(doc: Any, title: str, author: str, now: dt.datetime) -> None:
    """Core properties as the office issues the file (python-docx's template: "python-docx", 2013)."""
    core = doc.core_properties
    core.title, core.author, core.last_modified_by = title, author, author
    core.comments, core.subject, core.keywords, core.category = "", "", "", ""
    core.created = core.modified = now.replace(tzinfo=None, microsecond=0)
    core.revision = 1
    core.language = "zh-CN"


_EA_FONT = b'<a:ea typeface=""/>'


def package_fonts(data: bytes) -> bytes:
    """The saved package with the template's Japanese fonts (ＭＳ 明朝, ＭＳ ゴシック) out of the font
    table and 宋体 as the theme's East-Asian font. python-docx has no API for either part."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/fontTable.xml":
                body = re.sub(r'<w:font w:name="ＭＳ [^"]*">.*?</w:font>'.encode(), b"", body, flags=re.S)
            elif info.filename.startswith("word/theme/"):
                body = body.replace(_EA_FONT, '<a:ea typeface="宋体"/>'.encode())
            dst.writestr(info, body)
    return out.getvalue()
