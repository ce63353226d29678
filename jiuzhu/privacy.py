"""Refuse personal data of people seeking assistance: a registry in git must never hold it.

Finds resident ID numbers (18 characters, valid ISO 7064 check digit), bank card numbers
(16-19 digits, Luhn-valid) and mobile numbers (allowed only in a unit's contact fields: the
phone and mobile of its liaison, deputy and former liaisons, officials' work contacts) in the text
of every file, comments included: a comment in git is as public as a value.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jiuzhu import privacy_chars
from jiuzhu.doc import Doc
from jiuzhu.problems import Pos, Problem, error

# Separators people put between digit groups: a space, a hyphen, a dot (after NFKC folding).
_SEP = "[ .-]"
_ID_RE = re.compile(rf"(?<![0-9A-Za-z])(?:\d{_SEP}?){{17}}[\dXx](?![0-9A-Za-z])")
_OLD_ID_RE = re.compile(rf"(?<![0-9A-Za-z])(?:\d{_SEP}?){{14}}\d(?![0-9A-Za-z])")  # 15 digits, before 1999
_CARD_RE = re.compile(rf"(?<!\d)(?:\d{_SEP}?){{15,18}}\d(?!\d)")
_MOBILE_RE = re.compile(rf"(?<!\d)(?:\+?86{_SEP}?)?1[3-9]\d{_SEP}?\d{{4}}{_SEP}?\d{{4}}(?!\d)")
# Every match of the patterns above holds at least 11 digits, from a digit to a digit, with only
# digits and separators between (an ID number's final X follows such a run).
_CANDIDATE = re.compile(r"\d[\d .-]{9,}\d")
# The same in a text whose only digits are ASCII ones (`_plain_candidate`): first a scan for a digit
# and 10 digits or separators after it, with which every candidate starts (sre skips to a pattern's
# first character class quickly, and [0-9] is a bitmap where \d looks up each character's category).
# A date (2020-02-28) is one character short, so in registry files, which hold dates by the
# thousand, this scan alone answers (a scan that may start at a separator finds " 2020-02-28").
_RUN_11 = re.compile(r"[0-9][0-9 .-]{10}")
_ASCII_CANDIDATE = re.compile(r"[0-9][0-9 .-]{9,}[0-9]")
# Characters that hide inside a number: zero-width spaces and joiners, the BOM, a soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
HAS_INVISIBLE = re.compile(f"[{INVISIBLE}]").search  # one pass in C over a text
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
_NUMERALS = "〇零一二三四五六七八九"
# A number written in Chinese numerals: 11 or more in a row (the first written on its own, so sre
# skips quickly to where one starts).
_CN_RUN = re.compile(f"[{_NUMERALS}][{_NUMERALS}]{{10,}}")
_CN_DIGITS = str.maketrans(_NUMERALS, "00123456789")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_number(s: str) -> bool:
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == s[17].upper() and _real_date(s[6:14])


def _valid_old_id(s: str) -> bool:
    """A 15-digit ID (issued before 1999): a region code, then a real birth date 19yymmdd."""
    return s[0] in "12345678" and _real_date("19" + s[6:12])


def _real_date(yyyymmdd: str) -> bool:
    try:
        day = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1800 <= day.year <= 2100


def luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _digits(value: str) -> str:
    return re.sub(_SEP, "", value)


def mask(value: str) -> str:
    """Show a number so it can be found in the file, never in full: 1101**********1234, 138****5678."""
    digits = _digits(value)
    if len(digits) > 11 and digits.startswith(("+86", "86")) and _MOBILE_RE.fullmatch(value):
        digits = digits[-11:]
    keep = 3 if len(digits) == 11 else 4
    return digits[:keep] + "*" * max(len(digits) - keep - 4, 0) + digits[-4:]


def normalised(text: str) -> str:
    """The text as the patterns read it: full-width and other compatibility forms folded (NFKC),
    invisible characters dropped, long runs of Chinese numerals as digits."""
    if text.isascii():  # has none of these (a flag of the string: no pass over it)
        return text
    if not unicodedata.is_normalized("NFKC", text):  # a check is 15 times as fast as normalizing
        text = unicodedata.normalize("NFKC", text)
    if HAS_INVISIBLE(text):  # rare: translate() walks every character
        text = text.translate(_INVISIBLE)
    return _CN_RUN.sub(lambda m: m.group().translate(_CN_DIGITS), text)


def _may_hold_one(text: str) -> bool:
    """Whether `_CANDIDATE` matches `normalised(text)`, without folding most texts: one without
    any of the characters folding could turn into a digit or a separator, or would drop
    (`special_ranges`), folds into a text where digits and separators stand exactly where they
    stood, so the candidate is in the text as it is — unless a run of Chinese numerals becomes
    one (then it always does). Other texts, and every text under another Unicode version than the
    one jiuzhu/privacy_chars.py was made from, are folded first."""
    global _folds_left
    if text.isascii():  # folding changes no ASCII text
        return _plain_candidate(text)
    special = None
    if _folds_left:  # building the search costs ~4 ms: worth it from a few hundred texts on
        _folds_left -= 1
    else:
        special = _special()
    if special is None or special(text):
        return _CANDIDATE.search(normalised(text)) is not None
    return _plain_candidate(text) or _CN_RUN.search(text) is not None


def _plain_candidate(text: str) -> bool:
    """`_CANDIDATE.search(text)` for a text whose digits are all ASCII ones (no special character:
    every other digit is one), at a fraction of its cost."""
    return _RUN_11.search(text) is not None and _ASCII_CANDIDATE.search(text) is not None


_folds_left = 128  # texts folded before `_special` is built (a run that re-reads one file folds it)


@functools.cache
def _special() -> Callable[[str], Any] | None:
    """The search for a special character (`special_ranges`) or any outside the BMP (rare; those
    texts are simply folded), written as the BMP characters that are not special, negated: a
    class of BMP characters only is one bitmap lookup a character."""
    if unicodedata.unidata_version != privacy_chars.UNICODE:
        return None
    plain, start = [], 0
    for low, high in sorted((*privacy_chars.RANGES, (0xD800, 0xDFFF), (0x10000, 0x10000))):
        if low > 0xFFFF or start > 0xFFFF:
            break
        if low > start:
            plain.append(f"\\u{start:04x}-\\u{low - 1:04x}")
        start = max(start, high + 1)
    if start <= 0xFFFF:
        plain.append(f"\\u{start:04x}-\\uffff")
    return re.compile(f"[^{''.join(plain)}]").search


def special_ranges() -> tuple[tuple[int, int], ...]:
    """The code points, as ranges, of the characters that folding (`normalised`) could turn into a
    digit, a separator or a Chinese numeral, or would drop: the invisible ones, and those whose NFKC
    form is empty or holds any of these. Not ASCII, not the Chinese numerals themselves (NFKC
    keeps them). From Python's Unicode database: jiuzhu/privacy_chars.py keeps what this gives (a
    second of work, not done at run time; tests/test_privacy.py compares the two)."""
    turns = re.compile(f"[\\d .\\-{INVISIBLE}{_NUMERALS}]").search
    found: list[list[int]] = []
    for point in range(0x80, 0x110000):
        c = chr(point)
        if 0xD800 <= point <= 0xDFFF or c in _NUMERALS:
            continue
        folded = unicodedata.normalize("NFKC", c)
        if c in INVISIBLE or not folded or turns(folded):
            if found and found[-1][1] == point - 1:
                found[-1][1] = point
            else:
                found.append([point, point])
    return tuple((a, b) for a, b in found)


def find(text: str) -> Iterator[tuple[int, str, str, str]]:
    """Yield (offset in `text`, code, kind in Chinese, masked value) for each personal datum."""
    if not _may_hold_one(text):
        return
    for start, _, code, kind, masked in _spans(text):
        yield start, code, kind, masked


def _spans(text: str) -> Iterator[tuple[int, int, str, str, str]]:
    """(start, end) in `text`, code, kind and masked value of each personal datum, matched in its
    normalised form (each normalised character mapped back to the one it came from)."""
    chars, where = [], []
    for i, ch in enumerate(text):
        folded = normalised(ch) if ord(ch) > 127 else ch
        chars.append(folded)
        where.extend([i] * len(folded))
    norm = _CN_RUN.sub(lambda m: m.group().translate(_CN_DIGITS), "".join(chars))
    where.append(len(text))
    taken: list[tuple[int, int]] = []
    for pattern, code, kind, valid in _KINDS:
        for m in pattern.finditer(norm):
            if valid(_digits(m.group())) and not _overlaps(m.span(), taken):
                taken.append(m.span())
                yield where[m.start()], where[m.end() - 1] + 1, code, kind, mask(m.group())


_KINDS: tuple[tuple[re.Pattern[str], str, str, Callable[[str], bool]], ...] = (
    (_ID_RE, "personal-id", "公民身份号码", valid_id_number),
    (_OLD_ID_RE, "personal-id", "公民身份号码", _valid_old_id),
    (_CARD_RE, "bank-card", "银行卡号", lambda d: 16 <= len(d) <= 19 and luhn(d)),
    (_MOBILE_RE, "mobile", "手机号码", lambda d: True),
)


def mask_text(text: str) -> str:
    """`text` with every personal datum in it masked: how any message shows a user's value."""
    if not _may_hold_one(text):
        return text
    out = []
    for line in text.split("\n"):
        spans = sorted(_spans(line))
        for start, end, _, _, masked in reversed(spans):
            line = line[:start] + masked + line[end:]
        out.append(line)
    return "\n".join(out)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in taken)


def scan(doc: Doc) -> list[Problem]:
    """Every personal datum in one file's text, comments included, each at its own line and column
    and shown masked. A mobile number is allowed only as the value of a unit's contact field."""
    known = getattr(doc, "scanned", None)  # kept by the parse cache (jiuzhu.cache): same file, same result
    if known is not None:
        return list(known)
    allowed = _contact_fields(doc) if doc.file.startswith("units/") else ()  # only units have contacts
    return scan_text(doc.file, doc.text, allowed)


def scan_text(file: str, text: str, allowed: Iterable[tuple[int, int, int]] = ()) -> list[Problem]:
    """Personal data in any text of the registry folder (also files jiuzhu does not read: notes,
    CSV exports ...). `allowed`: the places a mobile number may stand (line, first, last column)."""
    allowed = tuple(allowed)
    out: list[Problem] = []
    if not _may_hold_one(text):  # the common case, at C speed: no line holds one
        return out
    for lineno, line in enumerate(text.splitlines(), 1):
        for offset, code, kind, masked in find(line):
            col = offset + 1
            if code == "mobile" and any(line_ == lineno and first <= col <= last for line_, first, last in allowed):
                continue
            out.append(error(
                Pos(file, lineno, col), code, f"发现疑似救助对象的{kind}（{masked}）",
                "登记册保存在 git 中，任何人都能看到历史版本：删除该号码，并从 git 历史中清除；"
                "jiuzhu 只协调部门，不保存申请人信息。"))
    return out


_SKIP_DIRS = (".git", ".jiuzhu-cache")


def scan_other_files(root: Path, known: Iterable[str]) -> Iterator[Problem]:
    """Personal data in the registry folder's files that jiuzhu does not load (unknown YAML, notes,
    CSV ...), whatever their size, in UTF-8, UTF-16 or GB18030: whatever sits in the folder ends up
    in git. Binary files (Word, PDF) are not read."""
    skip = known if isinstance(known, (Mapping, set, frozenset)) else set(known)
    for rel in sorted(_other_files(str(root), skip), key=lambda r: r.split("/")):  # Path order
        path = root / rel
        yield from scan_names([rel])
        if not path.is_file():
            continue
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        text = _text_of(raw)
        if text is not None:
            yield from scan_text(rel, text)


def _text_of(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if b"\0" in raw[:8192]:
        return None  # binary
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def scan_names(names: Iterable[str]) -> Iterator[Problem]:
    """Personal data in file names (a file named after an applicant's ID number is in git too)."""
    for rel in names:
        for _, code, kind, masked in find(rel):
            yield error(Pos(mask_text(rel)), code, f"文件名中发现疑似救助对象的{kind}（{masked}）",
                        "给文件改名，不要用申请人的号码命名；并从 git 历史中清除原来的文件名。")


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


_CONTACTS = ("liaison", "deputy")
_NUMBERS = ("phone", "mobile")


def _contact_fields(doc: Doc) -> list[tuple[int, int, int]]:
    """(line, first column, last column) of every phone and mobile value of a unit file's liaison,
    deputy and liaison_history entries: officials' work numbers, the only ones a registry keeps."""
    data = doc.data if isinstance(doc.data, dict) and doc.file.startswith("units/") else {}
    places: list[tuple[Any, ...]] = [(c, n) for c in _CONTACTS for n in _NUMBERS]
    history = data.get("liaison_history")
    if isinstance(history, list):
        places += [("liaison_history", i, n) for i in range(len(history)) for n in _NUMBERS]
    spans = []
    for path in places:
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else (
                value[key] if isinstance(value, list) and isinstance(key, int) and key < len(value) else None)
        if isinstance(value, (str, int)):
            pos = doc.at(*path)
            spans.append((pos.line, pos.column, pos.column + len(str(value)) + 1))  # +1: an opening quote
    return spans
