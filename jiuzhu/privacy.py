"""Refuse personal data of people seeking assistance: a registry in git must never hold it.

Finds resident ID numbers (18 characters, valid ISO 7064 check digit), bank card numbers
(16-19 digits, Luhn-valid) and mobile numbers (allowed only as a unit liaison's phone) in the text
of every file, comments included: a comment in git is as public as a value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jiuzhu.problems import Pos, Problem, error
from jiuzhu.yamlread import Doc

_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx](?![0-9A-Za-z])")
_CARD_RE = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
# Every match of the three above holds at least 11 digits, from a digit to a digit, with nothing
# but digits, spaces and hyphens between (an ID number's final X follows such a run).
_CANDIDATE = re.compile(r"\d[\d -]{9,}\d")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_number(s: str) -> bool:
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS, strict=True))
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
    """Show a number so it can be found in the file, never in full: 1101**********1234, 138****5678."""
    digits = re.sub(r"[ -]", "", value)
    if len(digits) > 11 and digits.startswith(("+86", "86")) and _MOBILE_RE.fullmatch(value):
        digits = digits[-11:]
    keep = 3 if len(digits) == 11 else 4
    return digits[:keep] + "*" * max(len(digits) - keep - 4, 0) + digits[-4:]


def find(text: str) -> Iterator[tuple[int, str, str, str]]:
    """Yield (offset, code, kind in Chinese, masked value) for each personal datum in `text`."""
    taken: list[tuple[int, int]] = []
    for m in _ID_RE.finditer(text):
        if valid_id_number(re.sub(r"[ -]", "", m.group())):
            taken.append(m.span())
            yield m.start(), "personal-id", "公民身份号码", mask(m.group())
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if 16 <= len(digits) <= 19 and luhn(digits) and not _overlaps(m.span(), taken):
            taken.append(m.span())
            yield m.start(), "bank-card", "银行卡号", mask(m.group())
    for m in _MOBILE_RE.finditer(text):
        if not _overlaps(m.span(), taken):
            yield m.start(), "mobile", "手机号码", mask(m.group())


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in taken)


def scan(doc: Doc) -> list[Problem]:
    """Every personal datum in one file's text, comments included, each at its own line and column
    and shown masked. A mobile number is allowed only as the value of a unit's liaison.phone."""
    known = getattr(doc, "scanned", None)  # kept by the parse cache (jiuzhu.cache): same file, same result
    if known is not None:
        return list(known)
    return scan_text(doc.file, doc.text, _liaison_phone(doc))


def scan_text(file: str, text: str, allowed: tuple[int, int, int] | None = None) -> list[Problem]:
    """Personal data in any text of the registry folder (also files jiuzhu does not read: notes,
    CSV exports ...). `allowed` is the one place a mobile number may stand (line, first, last col)."""
    out: list[Problem] = []
    if not _CANDIDATE.search(text):  # the common case, at C speed: no line can hold a match
        return out
    for lineno, line in enumerate(text.splitlines(), 1):
        for offset, code, kind, masked in find(line):
            col = offset + 1
            if code == "mobile" and allowed and allowed[0] == lineno and allowed[1] <= col <= allowed[2]:
                continue
            out.append(error(
                Pos(file, lineno, col), code, f"发现疑似救助对象的{kind}（{masked}）",
                "登记册保存在 git 中，任何人都能看到历史版本：删除该号码，并从 git 历史中清除；"
                "jiuzhu 只协调部门，不保存申请人信息。"))
    return out


_SKIP_DIRS = (".git", ".jiuzhu-cache")
_MAX_TEXT = 2 * 1024 * 1024


def scan_other_files(root: Path, known: Iterable[str]) -> Iterator[Problem]:
    """Personal data in the registry folder's files that jiuzhu does not load (unknown YAML, notes,
    CSV ...): whatever sits in the folder ends up in git. Binary files (Word, PDF) are not read."""
    skip = known if isinstance(known, (dict, set, frozenset)) else set(known)
    for rel in sorted(_other_files(str(root), skip), key=lambda r: r.split("/")):  # Path order
        path = root / rel
        if not path.is_file():
            continue
        try:
            if path.stat().st_size > _MAX_TEXT:
                continue
            raw = path.read_bytes()
        except OSError:
            continue
        if b"\0" in raw[:8192]:
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")
        yield from scan_text(rel, text)


def _other_files(base: str, skip: Any) -> Iterator[str]:
    """Relative POSIX paths of the entries (not directories) under `base` that are not in `skip`,
    outside the top-level `_SKIP_DIRS` and not `*.lock`; symlinked directories are not entered
    (as `Path.rglob`). Plain strings: a registry has tens of thousands of files."""
    stack = [("", base)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            rel = prefix + name
            if rel in skip or (not prefix and name in _SKIP_DIRS):  # `skip`: files jiuzhu loaded
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((prefix + name + "/", entry.path))
                continue
            if not name.endswith(".lock"):
                yield rel


def _liaison_phone(doc: Doc) -> tuple[int, int, int] | None:
    """(line, first column, last column) of a unit file's liaison.phone value, if it has one."""
    liaison = doc.data.get("liaison") if isinstance(doc.data, dict) and doc.file.startswith("units/") else None
    if not isinstance(liaison, dict) or liaison.get("phone") is None:
        return None
    pos = doc.at("liaison", "phone")
    return pos.line, pos.column, pos.column + len(str(liaison["phone"])) + 1  # +1: an opening quote
