"""Rendering the office's documents: one sandboxed Jinja environment, Chinese formatting filters,
and the contexts of the four documents (minutes, meeting notice, briefing, progress report).

Templates live in the project's top-level `templates/`; a registry's own `templates/` folder
shadows them by file name. Every document is rendered from a template, also the Word file: the
`*.docx.j2` templates produce a small line-based block list that `jiuzhu.docx_out` turns into
styled paragraphs. Template mistakes become `InputRefused` naming the template, line and name.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from jiuzhu import pdf
from jiuzhu.atomic import atomic_write
from jiuzhu.docx_out import Progress, build
from jiuzhu.errors import InputRefused
from jiuzhu.jinja_zh import jinja_message_zh
from jiuzhu.model import Registry
from jiuzhu.titles import title_lines

if TYPE_CHECKING:
    from jinja2 import Environment

# jiuzhu/templates links to the top-level templates/ (their source); the wheel holds copies.
TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("md", "html", "docx", "pdf")
KINDS = {"minutes": "会议纪要", "notice": "会议通知", "briefing": "工作简报", "progress": "进展情况通报",
         "liaisons": "联络员通讯录", "inspection": "检查情况通报", "supervision": "督办通知单",
         "evaluation": "年度绩效评价报告", "record": "联络员会议记录"}
TEXT_WIDTH_MM = 156  # GB/T 9704 text block: 156 x 225 mm
_DIGITS = "零一二三四五六七八九"
_WEEKDAYS = "一二三四五六日"


# --- filters --------------------------------------------------------------------------------------

def cn_date(day: dt.date | None) -> str:
    """2016年7月27日: Arabic numerals without zero padding (GB/T 9704 §7.3.5.5)."""
    if day is None:
        raise ValueError("cn_date 收到的日期为空（未印发、长期坚持等情况请在模板中先判断）")
    return f"{day.year}年{day.month}月{day.day}日"


def cn_num(n: int) -> str:
    """1 -> 一, 10 -> 十, 23 -> 二十三 (1..99, the range of numbered items in a document)."""
    if not 0 < n < 100:
        raise ValueError(f"cn_num 只支持 1 到 99：{n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def cn_seq(n: int, level: int = 1) -> str:
    """Heading numbers by level: 一、 · （一） · 1. · （1）."""
    return {1: f"{cn_num(n)}、", 2: f"（{cn_num(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def doc_number(year: int, number: int | None = None) -> str:
    """〔2026〕3号 with 六角括号; an unnumbered draft keeps the blank: 〔2026〕　号."""
    return f"〔{year}〕{number if number is not None else '　'}号"


def percent(part: float, whole: float | None = None) -> str:
    """66.7% (one decimal, dropped when zero); `part` alone is already a percentage."""
    value = part if whole is None else (100.0 * part / whole if whole else 0.0)
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text}%"


def weekday(day: dt.date) -> str:
    return f"星期{_WEEKDAYS[day.weekday()]}"


def cn_time(hhmm: str | None) -> str:
    """09:30 -> 上午9:30; 14:00 -> 下午2:00 (as notices write it)."""
    if not hhmm:
        return ""
    hour, minute = (int(x) for x in hhmm.split(":"))
    half = "上午" if hour < 12 else "下午"
    return f"{half}{hour if hour <= 12 else hour - 12}:{minute:02d}"


def fit_pt(text: str, max_pt: float = 36.0, width_mm: float = TEXT_WIDTH_MM) -> float:
    """The largest size (pt, max `max_pt`) at which `text` fits one line of the text block: a long
    red mark such as 某某县社会救助工作联席会议纪要 must not wrap."""
    width_pt = width_mm / 25.4 * 72
    return round(min(max_pt, width_pt / max(len(text), 1) * 0.98), 1)


class _Day:
    """The date of the document being rendered, read by the filters that name things as they were
    on that date. One environment renders many documents (jiuzhu.render.Renderer); each render
    sets the day first."""

    value: dt.date = dt.date.min


def _title_filter(reg: Registry, day: _Day) -> Callable[[str], list[str]]:
    """`title_lines`: a long title in lines cut between words (jiuzhu.titles), keeping whole the
    names this registry gives (the joint meeting, the jurisdiction, the units as named on the day)."""
    s = reg.system
    fixed = [*((s.name, s.jurisdiction, s.founding.title) if s is not None else ())]
    return lambda text: title_lines(str(text), [*fixed, *(u.name_on(day.value) for u in reg.units.values())])


def _unit_filters(reg: Registry, day: _Day) -> dict[str, Callable[..., str]]:
    """`units` and `unit`: ids -> names as they were on the document's date (unless `on` is
    given), in the order given: a decision's responsible units as the decision lists them
    (lists of a meeting's units come in founding-document order from the context)."""

    def unit(uid: str | None, on: dt.date | None = None) -> str:
        if uid is None:
            return ""
        return reg.units[uid].name_on(on or day.value) if uid in reg.units else uid

    def units(ids: Iterable[str], on: dt.date | None = None, sep: str = "、") -> str:
        return sep.join(unit(i, on) for i in ids)

    return {"unit": unit, "units": units}


# Everything that ends a line for str.splitlines, and other control characters: in a value they
# become a space, so a decision's text can never start a block line of its own (a forged 红头).
_ONE_LINE = {c: " " for c in (*range(0x20), 0x7f, *range(0x80, 0xa0), 0x2028, 0x2029)}


_NO_CONTROL = {c: " " for c in _ONE_LINE if chr(c) not in "\n\t"}


def _docx_value(value: Any) -> str:
    """What a value may put into a docx block list: one line, no field separator."""
    return str(value).replace("\r\n", " ").translate(_ONE_LINE).replace("|", "｜")


def _md_value(value: Any) -> str:
    """What a value may put into Markdown: no raw HTML, so a pull request shows `<b>` literally.
    Only `<` and `>` are replaced, which keeps the step idempotent (a macro's output passes
    through here once inside the macro and again where it is printed)."""
    return str(value).replace("<", "&lt;").replace(">", "&gt;").translate(_NO_CONTROL)


_FINALIZE: dict[str, Callable[[Any], str]] = {"docx": _docx_value, "md": _md_value}


# --- environment ----------------------------------------------------------------------------------

class _Inside(FileSystemLoader):
    """Templates from one folder, which a template may not leave through a symlink (a registry's
    `templates/x.j2 -> /etc/passwd` would print the host's file into the minutes)."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        folder = os.path.realpath(self.searchpath[0])
        if not os.path.realpath(filename).startswith(folder + os.sep):
            raise InputRefused(f"模板 {template} 是指向模板目录之外的符号链接，不会读取它",
                               "模板必须是 templates/ 中的普通文件；把链接换成文件本身。")
        return source, filename, uptodate


def environment(reg: Registry, fmt: str, day: _Day) -> Environment:
    """The sandboxed environment for one registry and output format, naming things as on `day`:
    the registry's templates first, then the defaults.

    Escaping follows the output format, not the template's file name: in an HTML render every
    template is autoescaped, also the shared `_phrases.j2` whose macros the HTML templates call
    (compiled without autoescape they would hand back unescaped text). Markdown and docx values
    pass through their own `finalize` (`_md_value`, `_docx_value`)."""

    loaders = [_Inside(str(Path(reg.root) / "templates")), _Inside(str(TEMPLATES))]
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_FINALIZE.get(fmt),
    )
    env.filters.update(
        cn_date=cn_date, cn_num=cn_num, cn_seq=cn_seq, doc_number=doc_number, percent=percent,
        weekday=weekday, cn_time=cn_time, fit_pt=fit_pt, title_lines=_title_filter(reg, day),
        **_unit_filters(reg, day),
    )
    return env


class Renderer:
    """Renders the documents of one registry, compiling each template once per format: a site or
    a batch of notices renders hundreds of documents from the same few templates."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self._day = _Day()
        self._envs: dict[str, Environment] = {}

    def environment(self, fmt: str, day: dt.date) -> Environment:
        self._day.value = day
        if fmt not in self._envs:
            self._envs[fmt] = environment(self.reg, fmt, self._day)
        return self._envs[fmt]

    def template(self, name: str, context: Mapping[str, Any], fmt: str) -> str:
        """Render template `name`; every Jinja failure becomes a Chinese InputRefused."""
        return _rendered(self.reg, self.environment(fmt, context["doc_date"]), name, context)

    def document(self, kind: str, fmt: str, context: Mapping[str, Any], progress: Progress | None = None) -> bytes:
        """Document `kind` in `fmt` as the bytes of a file (md/html UTF-8 text, docx a Word file, pdf).
        `progress(done, total)` hears how far a long render is (the Word build, block by block)."""
        if fmt not in FORMATS:
            raise InputRefused(f"不支持的格式“{fmt}”", "--format 只能是 md、html、docx 或 pdf。")
        if fmt == "pdf":  # the print-ready HTML, printed by Chromium (jiuzhu.pdf says why)
            html = self.template(f"{kind}.html.j2", context, "html").encode("utf-8")
            if progress is not None:
                progress(1, 2)
            return pdf.html_to_pdf(html)
        name = f"{kind}.{fmt}.j2"
        text = self.template(name, context, fmt)
        if fmt == "docx":
            system = context.get("system")
            return build(text, name, system.get("issuing_office", "") if isinstance(system, dict) else "", progress)
        return text.encode("utf-8")


def render_template(reg: Registry, name: str, context: Mapping[str, Any], fmt: str) -> str:
    """Render one template (Renderer.template, for a single document)."""
    return Renderer(reg).template(name, context, fmt)


def _rendered(reg: Registry, env: Environment, name: str, context: Mapping[str, Any]) -> str:
    try:
        return env.get_template(name).render(**context)
    except TemplateSyntaxError as exc:
        where = _shown(reg, exc.filename or exc.name or name)
        raise InputRefused(f"模板 {where} 第 {exc.lineno} 行有语法错误：{jinja_message_zh(exc.message or '')}",
                           "对照默认模板 templates/ 中的同名文件修改。") from None
    except TemplateNotFound as exc:
        raise InputRefused(f"找不到模板 {exc.name}",
                           f"默认模板在 {TEMPLATES}，登记册可在 templates/ 中放同名文件覆盖。") from None
    except SecurityError as exc:
        where, line = _origin(reg, exc, name)
        raise InputRefused(f"模板 {where} 第 {line} 行试图访问不允许的内部属性（{_unsafe_name(str(exc))}），已拒绝渲染",
                           "模板只能使用文档提供的数据和过滤器，不能访问 Python 内部对象。") from None
    except UndefinedError as exc:
        where, line = _origin(reg, exc, name)
        missing = _missing_name(str(exc))
        raise InputRefused(f"模板 {where} 第 {line} 行使用了未定义的名称“{missing}”",
                           "检查拼写；各文档可用的名称见 docs/documents.md，或参照 templates/ 中的默认模板。") from None
    except (TemplateError, ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
        where, line = _origin(reg, exc, name)
        text = jinja_message_zh(str(exc)) if isinstance(exc, TemplateError) else str(exc)
        raise InputRefused(f"模板 {where} 第 {line} 行出错：{text}",
                           "对照默认模板 templates/ 中的同名文件修改。") from None


def _origin(reg: Registry, exc: BaseException, name: str) -> tuple[str, int | str]:
    """(template file as the user knows it, line): the innermost traceback frame in a template."""

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return name, "?"
    last = frames[-1]
    return _shown(reg, last.filename), last.lineno or "?"


def _shown(reg: Registry, filename: str) -> str:
    path = Path(filename)
    for base, label in ((Path(reg.root) / "templates", "登记册 templates/"), (TEMPLATES, "templates/")):
        try:
            return label + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return filename


def _missing_name(message: str) -> str:
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return found.group(1) if found else message


def _unsafe_name(message: str) -> str:
    found = re.search(r"attribute '([^']+)'", message)
    return found.group(1) if found else message


def render(reg: Registry, kind: str, fmt: str, context: Mapping[str, Any],
           progress: Progress | None = None) -> bytes:
    """One document (Renderer.document, for a single document)."""
    return Renderer(reg).document(kind, fmt, context, progress)


# --- writing --------------------------------------------------------------------------------------

def check_target(fmt: str, output: Path | None, force: bool, registry: Path | None = None) -> None:
    """Refuse before any work: unknown format, html/docx without -o, an existing file without
    --force, a file inside the registry (a document never replaces or joins the registry's data)."""
    if fmt not in FORMATS:
        raise InputRefused(f"不支持的格式“{fmt}”", "--format 只能是 md、html、docx 或 pdf。")
    if output is None and fmt != "md":
        raise InputRefused(f"{fmt} 格式需要用 -o 指定输出文件",
                           f"例如 -o 纪要.{fmt}；只有 md 格式可以不加 -o 直接显示。")
    if fmt == "pdf":  # a missing browser or font is said before anything is rendered or recorded
        pdf.browser()
        pdf.check_fonts()
    if output is not None:
        check_output(output, force, registry, f"文档.{fmt}")


def check_output(output: Path, force: bool, registry: Path | None, example: str) -> None:
    """Refuse an output file that cannot or must not be written: a folder, a file in a folder that
    does not exist, an existing file without --force, a file inside the registry."""
    if output.is_dir():
        raise InputRefused(f"{output} 是目录", f"-o 后写文件名，例如 {output / example}。")
    if not output.parent.is_dir():
        what = f"{output.parent} 不是目录" if output.parent.exists() else f"输出目录不存在：{output.parent}"
        raise InputRefused(what, "先建立这个目录，或把 -o 写到已有的目录中。")
    if output.exists() and not force:
        raise InputRefused(f"文件已存在：{output}", "加 --force 覆盖，或换一个文件名。")
    if registry is not None and Path(os.path.realpath(output)).is_relative_to(os.path.realpath(registry)):
        raise InputRefused(f"{output} 在登记册目录 {registry} 之内：生成的文件不放进登记册",
                           f"把文件写到登记册之外，例如 -o out/{example}。")


def save(output: Path, data: bytes, force: bool) -> None:
    """Write a rendered document atomically (replacing an existing file only with `force`)."""

    if output.exists() and not force:
        raise InputRefused(f"文件已存在：{output}", "加 --force 覆盖，或换一个文件名。")
    atomic_write(output, data)
