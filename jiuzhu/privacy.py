"""Refuse personal data of people seeking assistance: a registry in git must never hold it.

Finds resident ID numbers (18 characters, valid ISO 7064 check digit), bank card numbers
(16-19 digits, Luhn-valid) and mobile numbers (allowed only as a unit liaison's phone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jiuzhu.problems import Problem, error
from jiuzhu.yamlread import Doc

_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_number(s: str) -> bool:
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == s[17].upper()


def luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def mask(value: str) -> str:
    digits = re.sub(r"[ -]", "", value)
    return digits[:4] + "*" * max(len(digits) - 8, 0) + digits[-4:]


def find(text: str, phone_allowed: bool = False) -> Iterator[tuple[str, str, str]]:
    """Yield (code, kind in Chinese, masked value) for each personal datum in `text`."""
    taken: list[tuple[int, int]] = []
    for m in _ID_RE.finditer(text):
        if valid_id_number(m.group()):
            taken.append(m.span())
            yield "personal-id", "公民身份号码", mask(m.group())
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if 16 <= len(digits) <= 19 and luhn(digits) and not any(a <= m.start() < b for a, b in taken):
            taken.append(m.span())
            yield "bank-card", "银行卡号", mask(m.group())
    if not phone_allowed:
        for m in _MOBILE_RE.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                yield "mobile", "手机号码", mask(m.group())


def scan(doc: Doc) -> list[Problem]:
    """Every personal datum in one parsed file, shown masked, never in full."""
    out: list[Problem] = []
    for path, value in _walk(doc.data, ()):
        phone_ok = doc.file.startswith("units/") and path[:2] == ("liaison", "phone")
        for code, kind, masked in find(str(value), phone_ok):
            out.append(error(
                doc.at(*path), code, f"发现疑似救助对象的{kind}（{masked}）",
                "登记册保存在 git 中，任何人都能看到历史版本：删除该号码，并从 git 历史中清除；"
                "jiuzhu 只协调部门，不保存申请人信息。"))
    return out


def _walk(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        if len(str(value)) >= 11:
            yield path, value
