"""Values as people write them on the command line: one parser per kind, used by every command.

A clerk writes a date as 2026-9-22, 2026/9/22, 2026.9.22, 2026年9月22日, 9月22日 or 今天; a time as
9:00, 9点 or 下午3点30; a percentage as 40%; a list of units as A,B or A、B. Each parser returns the
one canonical value or raises InputRefused naming the option, what was typed and what is accepted.
Full-width digits and punctuation (输入法 full-width mode) count as their ASCII forms.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

from jiuzhu.errors import InputRefused

DATE_FORMS = "2026-9-22、2026/9/22、2026.9.22、2026年9月22日、9月22日（今年）、今天、昨天"
TIME_FORMS = "9:00、9点、9点30、下午3点"
FIRST_YEAR, LAST_YEAR = 1949, 2199

_RELATIVE = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2}
_FULL_DATE = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"
                        r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_TIME = re.compile(r"(上午|早上|中午|下午|晚上)?\s*(\d{1,2})\s*(?::\s*(\d{2})|[点时]\s*(?:(\d{1,2})\s*分?|半)?)")
_LIST_SEPARATORS = re.compile(r"[,，、;；]")
# Characters no single-line field may hold: line breaks and the other control characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINE_LIMIT = 200  # a title, a name, a place
TEXT_LIMIT = 2000  # a decision, an opinion, a progress note


def _plain(value: str) -> str:
    """Full-width digits and signs as ASCII (NFKC), outer spaces removed."""
    return unicodedata.normalize("NFKC", value).strip()


def date(value: str, option: str, today: dt.date) -> dt.date:
    """A calendar date in any of DATE_FORMS; `today` anchors 今天 and a date without a year."""
    text = _plain(value)
    if text in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[text])
    year, month, day = _date_parts(text, today)
    if year is None:
        raise InputRefused(f"{option} 的值“{value}”不是日期", f"日期可以写成 {DATE_FORMS}。")
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise InputRefused(f"{option} 的值“{value}”不是存在的日期",
                           f"{year}年没有{month}月{day}日，检查月份和日子是否写错。") from None
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise InputRefused(f"{option} 的日期 {result} 超出可处理的范围（{FIRST_YEAR}–{LAST_YEAR} 年）",
                           "检查年份是否写错。")
    return result


def _date_parts(text: str, today: dt.date) -> tuple[int, int, int] | tuple[None, int, int]:
    full = _FULL_DATE.fullmatch(text)
    if full:
        y, m1, d1, m2, d2 = full.groups()
        return int(y), int(m1 or m2), int(d1 or d2)
    compact = _COMPACT_DATE.fullmatch(text)
    if compact:
        return int(compact[1]), int(compact[2]), int(compact[3])
    month_day = _MONTH_DAY.fullmatch(text)
    if month_day:
        return today.year, int(month_day[1]), int(month_day[2])
    return None, 0, 0


def time(value: str, option: str) -> str:
    """A time of day in any of TIME_FORMS, as HH:MM."""
    match = _TIME.fullmatch(_plain(value))
    if not match:
        raise InputRefused(f"{option} 的值“{value}”不是时间", f"时间可以写成 {TIME_FORMS}。")
    period, hour_text, colon_minutes, minutes_text = match.groups()
    hour = int(hour_text)
    minute = int(colon_minutes or minutes_text or (30 if match[0].endswith("半") else 0))
    if period in ("下午", "晚上") and hour < 12:
        hour += 12
    elif period == "中午" and hour < 6:
        hour += 12
    if hour > 23 or minute > 59:
        raise InputRefused(f"{option} 的值“{value}”不是一天中的时间", "小时为 0–23，分钟为 0–59。")
    return f"{hour:02d}:{minute:02d}"


def percent(value: str, option: str) -> int:
    """A completion percentage 0–100, with or without the % sign."""
    text = _plain(value).removesuffix("%").strip()
    if not text.isdigit() or int(text) > 100:
        raise InputRefused(f"{option} 的值“{value}”不是 0 到 100 之间的整数百分比",
                           "例如 --percent 40 或 --percent 40%。")
    return int(text)


def positive(value: int | None, option: str) -> int | None:
    """A count that must be at least 1 (an issue number, a number of working days)."""
    if value is not None and value < 1:
        raise InputRefused(f"{option} 的值 {value} 应为正整数", f"例如 {option} 1。")
    return value


def items(values: Iterable[str] | None) -> tuple[str, ...]:
    """A list given as repeated options, or in one value joined by , ， 、 or ；."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip())
    return tuple(out)


def choice(value: str, names: Mapping[str, str], option: str) -> str:
    """One of a fixed set, by its identifier or its Chinese name (`names`: identifier → name)."""
    text = _plain(value)
    if text in names:
        return text
    for ident, name in names.items():
        if text == name:
            return ident
    shown = "、".join(f"{name}（{ident}）" for ident, name in names.items())
    raise InputRefused(f"{option} 的值“{value}”不可用", f"可选：{shown}。")


def line(value: str | None, option: str, limit: int = LINE_LIMIT) -> str | None:
    """A single-line field (a title, a name, a place): no line breaks or control characters."""
    if value is None:
        return None
    bad = _CONTROL.search(value)
    if bad:
        what = "换行" if bad[0] in "\n\r\u2028\u2029" else f"控制字符 U+{ord(bad[0]):04X}"
        raise InputRefused(f"{option} 的值含有{what}，只能是一行文字", "去掉换行；多段内容请写在说明或摘要里。")
    return _limited(value.strip(), option, limit)


def text(value: str | None, option: str, limit: int = TEXT_LIMIT) -> str | None:
    """A longer text (a decision, an opinion, a note): line breaks allowed, other control characters not."""
    if value is None:
        return None
    bad = _CONTROL_IN_TEXT.search(value)
    if bad:
        raise InputRefused(f"{option} 的值含有控制字符 U+{ord(bad[0]):04X}", "删除这个不可见的字符后重试。")
    return _limited(value.strip(), option, limit)


def _limited(value: str, option: str, limit: int) -> str:
    if len(value) > limit:
        raise InputRefused(f"{option} 的值有 {len(value)} 个字，超过上限 {limit} 个字",
                           "写得简短些；详细内容请另附材料。")
    return value
