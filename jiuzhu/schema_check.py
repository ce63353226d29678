"""The structural check of a file against its spec: types, required fields, unknown keys (with
the nearest known key), enums, real dates; every problem at its line. Most files take the quick
path (jiuzhu.schema_quick) and are read here only when it is unsure."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace
from typing import Any

from jiuzhu.doc import Doc
from jiuzhu.privacy import HAS_INVISIBLE
from jiuzhu.problems import Problem, error
from jiuzhu.schema import DATE_RE, ID_RE, TYPE_NAMES, Field
from jiuzhu.schema_quick import FIRST_YEAR, LAST_YEAR, UNSURE, once, quick, sound_day


def check(doc: Doc, spec: Field) -> tuple[Any, list[Problem]]:
    """Check `doc` against `spec`; return cleaned data and every problem found.

    Cleaned data: dates are `datetime.date`; a null optional field is left out (the model's default
    applies) except where null is meaningful (`nullable`); an empty list field is `[]`; a bad list
    entry of mappings becomes `{}` so positions stay aligned with the file.
    """
    spec = _as_required(spec)
    cleaned = quick(spec)(doc.data)  # most files: every value plainly sound
    if cleaned is not UNSURE:
        return cleaned, []
    problems: list[Problem] = []
    cleaned = _check(doc, doc.data, spec, (), problems)
    return cleaned, problems


_REQUIRED: dict[int, tuple[Field, Any]] = {}  # id of a spec -> (the spec, the spec as required)


def _as_required(spec: Field) -> Field:
    """`spec` with required=True, made once per spec (dataclasses.replace costs 10 µs a file)."""
    return once(_REQUIRED, spec, lambda s: replace(s, required=True))


def complete(data: Any, spec: Field) -> bool:
    """Whether checked `data` still holds every required field of `spec`, at every level."""
    if spec.kind == "map" and spec.fields:
        if not isinstance(data, dict):
            return False
        return all(complete(data[key], f) if key in data else not f.required for key, f in spec.fields.items())
    if spec.kind == "list" and spec.items is not None and isinstance(data, list):
        return all(complete(v, spec.items) for v in data)
    return data is not None or spec.nullable or not spec.required


_MISSING = object()


# How to write each kind, for hints.
_EXAMPLES = {
    "str": "加引号的文字，例如 \"县民政局\"", "int": "整数，例如 3", "bool": "true 或 false",
    "date": "YYYY-MM-DD，例如 2026-03-15", "time": "HH:MM，例如 09:30",
    "id": "小写字母、数字和连字符，例如 minzheng", "list": "列表，例如 [a, b]，或每行一个“- 值”",
    "map": "“键: 值”的形式，每个键占一行", "number": "数字，例如 1.5",
}


def _check(doc: Doc, value: Any, spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    """The checked value, or _MISSING after reporting why it cannot be used."""
    if type(value) is str and _sound(value, spec):  # most values
        return value
    if value is None:
        return _check_none(doc, spec, path, out)
    if spec.kind == "map":
        if not isinstance(value, dict):
            out.append(_wrong_type(doc, path, spec, value))
            return _MISSING
        return _check_map(doc, value, spec, path, out)
    if spec.kind == "list":
        if not isinstance(value, list):
            out.append(_wrong_type(doc, path, spec, value))
            return _MISSING
        return _check_list(doc, value, spec, path, out)
    if spec.kind == "date":
        return _check_date(doc, value, path, out)
    value = _check_scalar(doc, value, spec, path, out)
    if value is _MISSING or not spec.enum or value in spec.enum:
        return value
    allowed = "、".join(str(e) for e in spec.enum)
    near = difflib.get_close_matches(str(value), [str(e) for e in spec.enum], n=1)
    hint = (f"你是不是想写“{near[0]}”？" if near else "") + f"可选值：{allowed}。"
    out.append(error(doc.at(*path), "bad-enum", f"{_label(path)}的值“{value}”不在可选范围内", hint))
    return _MISSING


def _sound(text: str, spec: Field) -> bool:
    """Whether a text is, as it stands, a sound value of `spec` (what _check_scalar would find
    without a problem, for a text or an id with no list of allowed values): one call for most values."""
    if spec.enum:
        return False
    kind = spec.kind
    if kind == "str":
        return not HAS_INVISIBLE(text) and (not spec.required or bool(text.strip()))
    return kind == "id" and ID_RE.match(text) is not None


def _check_none(doc: Doc, spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    if spec.nullable:
        return None
    if spec.required:
        where = _label(path) if path else "文件顶层"
        out.append(error(doc.at(*path), "wrong-type", f"{where}不能为空，应为{TYPE_NAMES[spec.kind]}",
                         f"填上值，写成{_EXAMPLES[spec.kind]}。"))
        return _MISSING
    return [] if spec.kind == "list" else _MISSING


def _check_list(doc: Doc, value: list[Any], spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    assert spec.items is not None
    items = []
    for i, v in enumerate(value):
        if v is None and not spec.items.nullable:
            out.append(error(doc.at(*path, i), "wrong-type", f"{_label(path + (i,))}是空的",
                             "删去这一项，或填上内容。"))
            items.append(_MISSING)
        else:
            items.append(_check(doc, v, spec.items, path + (i,), out))
    if spec.items.kind == "map":  # keep list positions aligned with the file: a bad entry becomes {}
        return [{} if v is _MISSING else v for v in items]
    return [v for v in items if v is not _MISSING]


# The Python types a scalar of each kind may be written as (bool is never an int or a text here).
_SCALARS: dict[str, tuple[type, ...]] = {"str": (str, int, float), "id": (str, int, float), "time": (str, int, float),
                                         "int": (int,), "number": (int, float), "bool": (bool,)}


def _check_scalar(doc: Doc, value: Any, spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    kind = spec.kind
    allowed = _SCALARS.get(kind)
    if allowed is not None and (not isinstance(value, allowed) or (isinstance(value, bool) and kind != "bool")):
        out.append(_wrong_type(doc, path, spec, value))
        return _MISSING
    if kind == "str":
        return _check_text(doc, value if isinstance(value, str) else str(value), spec, path, out)
    if kind == "id" and (not isinstance(value, str) or not ID_RE.match(value)):
        out.append(error(doc.at(*path), "unsafe-id", f"标识“{value}”不能用作文件名",
                         "标识只能用小写英文字母、数字和连字符，以字母或数字开头（如 minzheng）；"
                         "不能有空格、斜杠、“..”或汉字。"))
        return _MISSING
    return value


def _check_text(doc: Doc, value: str, spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    """A text: a required one is not blank, and none hides invisible characters (a name with a
    zero-width space looks like another and never matches it)."""
    if HAS_INVISIBLE(value):
        out.append(error(doc.at(*path), "invisible-char", f"{_label(path)}中有看不见的字符（零宽空格等）",
                         "删掉这段文字重新输入，不要从网页或文档里复制带格式的文字。"))
        return _MISSING
    if spec.required and not value.strip():
        out.append(error(doc.at(*path), "empty-text", f"{_label(path)}是空的", "填上内容。"))
        return _MISSING
    return value


def _check_map(doc: Doc, value: dict[Any, Any], spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    fields = spec.fields or {}
    if not fields:  # free-form mapping
        return value
    result: dict[str, Any] = {}
    suggested: set[str] = set()  # a missing field already named by a "did you mean" is not reported again
    for key, v in value.items():
        if key not in fields:
            near = difflib.get_close_matches(str(key), [f for f in fields if f not in value], n=1, cutoff=0.5)
            suggested.update(near)
            hint = f"你是不是想写“{near[0]}”？" if near else "可用的键：" + "、".join(fields) + "。"
            out.append(error(doc.key_at(*path, key), "unknown-key", f"未知的键“{key}”", hint))
            continue
        checked = _check(doc, v, fields[key], path + (key,), out)
        if checked is not _MISSING:
            result[key] = checked
    _report_missing(doc, value, spec, path, suggested, out)
    return result


def _report_missing(doc: Doc, value: dict[Any, Any], spec: Field, path: tuple[Any, ...], suggested: set[str],
                    out: list[Problem]) -> None:
    for key, f in (spec.fields or {}).items():
        if f.required and key not in value and key not in suggested:
            where = spec.desc or (_label(path) if path else "")
            how = "可选值：" + "、".join(str(e) for e in f.enum) if f.enum else _EXAMPLES[f.kind]
            message = f"缺少必填字段“{key}”" + (f"（{where}）" if where else "")
            out.append(error(doc.key_at(*path), "missing-field", message,
                             f"添加“{key}: …”（{f.desc + '；' if f.desc else ''}{how}）。"))


def _check_date(doc: Doc, value: Any, path: tuple[Any, ...], out: list[Problem]) -> Any:
    if isinstance(value, dt.date):
        return _in_range(doc, value, path, out)
    text = str(value)
    day = sound_day(text)
    if day is not None:
        return day
    if not DATE_RE.match(text):
        out.append(error(doc.at(*path), "bad-date", f"{_label(path)}的值“{text}”不是日期",
                         "日期写成 YYYY-MM-DD，例如 2026-03-15。"))
        return _MISSING
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        out.append(error(doc.at(*path), "bad-date", f"{_label(path)}的日期 {text} 不存在",
                         "检查月份和日期（例如 2 月没有 30 日）。"))
        return _MISSING
    return _in_range(doc, day, path, out)


def _in_range(doc: Doc, day: dt.date, path: tuple[Any, ...], out: list[Problem]) -> Any:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        out.append(error(doc.at(*path), "bad-date", f"{_label(path)}的日期 {day} 超出可处理的范围（1949–2199 年）",
                         "检查年份是否写错。"))
        return _MISSING
    return day


def _wrong_type(doc: Doc, path: tuple[Any, ...], spec: Field, value: Any) -> Problem:
    names = {dict: "映射", list: "列表", str: "文字", int: "整数", bool: "true/false", float: "小数"}
    got = names.get(type(value), "值")
    shown = f"“{value}”" if isinstance(value, (str, int, float)) and len(str(value)) <= 20 else ""
    where = _label(path) if path else "文件顶层"
    return error(doc.at(*path), "wrong-type", f"{where}应为{TYPE_NAMES[spec.kind]}，实际是{got}{shown}",
                 f"写成{_EXAMPLES[spec.kind]}；各字段见 docs/registry.md。")


def _label(path: tuple[Any, ...]) -> str:
    if not path:
        return "值"
    parts = [f"[{p + 1}]" if isinstance(p, int) else str(p) for p in path]
    return "“" + ".".join(parts).replace(".[", "[") + "”"
