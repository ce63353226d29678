"""Breaking a long document title into lines between words, as a person sets it.

A title such as 大厂回族自治县社会救助工作联席会议2026年例会纪要 is too long for one line of the
text block in 二号 type. Cut by width alone it splits 联|席会议; here it is cut only between words:
first between the names the registry gives (the joint meeting's name, the jurisdiction, unit
names) and common words of such titles, then, if a name alone is longer than a line, between
the words inside it, and only as a last resort between characters. Among the cuts that fit, the
lines are balanced, upper lines no shorter than lower ones (梯形), and no line starts with 的 or
a closing mark.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

# Words of meeting and document titles, not of any one government.
COMMON_WORDS = ("关于", "召开", "联席会议", "社会救助工作", "社会救助", "工作", "会议", "纪要", "通知", "通报", "简报",
                "议定事项", "进展情况", "工作动态", "例会", "全体会议", "专题会议", "临时会议", "联络员会议",
                "的", "和", "与", "及")
_DATE_MARKS = "年月日期号届次"
_NO_LINE_START = "的、，。；：）》」』"
TEXT_WIDTH_MM = 156  # GB/T 9704 text block width


def width(text: str) -> float:
    """Width in characters of the title's type: half-width characters count 0.6 (digits are
    wider than half a character in most CJK fonts)."""
    return sum(0.6 if ord(c) < 0x2E80 else 1.0 for c in text)


def title_lines(text: str, names: Iterable[str] = (), size_pt: float = 22.0,
                width_mm: float = TEXT_WIDTH_MM) -> list[str]:
    """`text` in as few balanced lines as fit the text block, each cut between words."""
    per_line = math.floor(width_mm / 25.4 * 72 / size_pt)
    if width(text) <= per_line:
        return [text]
    named = tuple(n for n in names if n)
    segmentations = [_segment(text, named + COMMON_WORDS, True), _segment(text, COMMON_WORDS, True),
                     _segment(text, COMMON_WORDS, False), list(text)]
    least = max(2, math.ceil(width(text) / per_line))
    for n in range(least, least + 3):  # fewer lines first; within a count, whole names first
        for tokens in segmentations:
            lines = _layout(tokens, n, per_line)
            if lines:
                return lines
    return [text]


def _segment(text: str, lexicon: tuple[str, ...], merge_unknown: bool) -> list[str]:
    """Tokens: the longest lexicon word at each place, runs of digits and Latin letters with a
    following date mark (2026年), and the rest — joined into one token when `merge_unknown`."""
    words = sorted(set(lexicon), key=len, reverse=True)
    tokens: list[str] = []
    unknown = ""
    i = 0
    while i < len(text):
        if text[i].isascii() and text[i].isalnum():
            j = i
            while j < len(text) and text[j].isascii() and text[j].isalnum():
                j += 1
            if j < len(text) and text[j] in _DATE_MARKS:
                j += 1
            found = text[i:j]
        else:
            found = next((w for w in words if text.startswith(w, i)), "")
        if found:
            if unknown:
                tokens.append(unknown)
                unknown = ""
            tokens.append(found)
            i += len(found)
            continue
        if merge_unknown:
            unknown += text[i]
        else:
            tokens.append(text[i])
        i += 1
    if unknown:
        tokens.append(unknown)
    return tokens


def _layout(tokens: list[str], n: int, per_line: int) -> list[str] | None:
    """The best cut of `tokens` into `n` lines that each fit, or None."""
    target = sum(width(t) for t in tokens) / n
    best: tuple[float, list[str]] | None = None
    for cuts in itertools.combinations(range(1, len(tokens)), n - 1):
        lines = ["".join(tokens[a:b]) for a, b in itertools.pairwise((0, *cuts, len(tokens)))]
        if any(width(line) > per_line for line in lines):
            continue
        cost = _cost(lines, target)
        if best is None or cost < best[0]:
            best = (cost, lines)
    return best[1] if best is not None else None


def _cost(lines: list[str], target: float) -> float:
    cost = sum((width(line) - target) ** 2 for line in lines)
    cost += sum(40 for upper, lower in itertools.pairwise(lines) if width(lower) > width(upper) + 1)  # 倒梯形
    cost += sum(100 for line in lines[1:] if line[0] in _NO_LINE_START)
    return cost
