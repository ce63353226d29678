"""The text side of assignment: what a decision's text says — the units it names and their part,
its areas (and those it names only for who benefits), its BM25 similarity to each duty of the
index (jiuzhu.assign_index)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jiuzhu.assign_index import CLAUSE, ngrams
from jiuzhu.errors import InputRefused
from jiuzhu.problems import nearest

if TYPE_CHECKING:
    from jiuzhu.assign_index import DutyIndex
    from jiuzhu.model import Registry

# BM25 parameters (the usual ones).
K1 = 1.2


B = 0.75


# Text evidence of a query whose grams weigh less than this (sum of IDF) counts proportionally
# less: "做好低保工作" says little beyond its area.
TEXT_EVIDENCE = 20.0


# ... and the text must share with it a gram that few duties use (at most this many).
DISTINCT_DF = 2


# Words around a unit's name that give its part in the decision (ordinary Chinese minute wording).
_LEAD_AFTER: tuple[str, ...] = ("牵头", "负责", "主责", "主抓", "会同", "联合", "为牵头单位", "作为牵头单位",
                               "要", "应当", "应", "需")


_HELP_AFTER: tuple[str, ...] = ("配合", "参与", "协助", "协同", "为责任单位", "作为责任单位")


_HELP_BEFORE: tuple[str, ...] = ("会同", "配合", "协同", "联合", "协助", "商请", "支持", "督促", "与")


_LEAD_BEFORE: tuple[str, ...] = ("由", "交由", "请")


_JOINERS = "、和及与同跟,，"


_GROUP_TAIL: tuple[str, ...] = ("等部门", "等单位", "等")


# "A配合B" / "A协同B": B is the unit helped, so B leads (unlike "A会同B", where A leads).
_HELPED_BEFORE: tuple[str, ...] = ("配合", "协同", "协助", "支持")


def resolve_area(reg: Registry, ref: str) -> str:
    """An area by id, name or synonym; refused with the nearest area when unknown."""

    if ref in reg.areas:
        return ref
    for area in reg.areas.values():
        if ref == area.name or ref in area.synonyms:
            return area.id
    words = {w: a.id for a in reg.areas.values() for w in (*a.synonyms, a.name, a.id)}
    near = nearest(ref, list(words))
    hint = (f"你是不是想写“{words[near]}”（{reg.areas[words[near]].name}）？" if near
            else "领域写标识、名称或同义词，见 areas.yaml 或 jiuzhu duties matrix。")
    raise InputRefused(f"没有领域“{ref}”", hint)


def _take(text: str, taken: list[bool], start: int, end: int) -> bool:
    if any(taken[start:end]):
        return False
    taken[start:end] = [True] * (end - start)
    return True


def _find(text: str, words: list[tuple[str, str]], taken: list[bool]) -> list[tuple[int, int, str]]:
    """Occurrences of `words` (longest first), never overlapping one already taken."""
    found = []
    for word, ident in words:
        start = text.find(word)
        while start != -1:
            if _take(text, taken, start, start + len(word)):
                found.append((start, start + len(word), ident))
            start = text.find(word, start + 1)
    return sorted(found)


@dataclass(frozen=True)
class Mention:
    unit: str
    part: str        # lead | help | named
    quote: str       # the words of the text that say so


def find_mentions(text: str, idx: DutyIndex, taken: list[bool]) -> list[Mention]:
    """Units named in the text and their part, read from the words around the name."""
    found = _find(text, idx.aliases, taken)
    out: list[Mention] = []
    i = 0
    prev_end = -1
    while i < len(found):
        group = [found[i]]
        while i + 1 < len(found) and _joined(text, group[-1][1], found[i + 1][0]):
            i += 1
            group.append(found[i])
        i += 1
        start, end = group[0][0], group[-1][1]
        part, q_start, q_end = _part(text, start, end, taken)
        if part == "help" and q_end == end and prev_end == start and text[q_start:start] in _HELPED_BEFORE:
            part = "lead"  # "统计局协同民政局…": the unit helped leads
        prev_end = q_end
        for _s, _e, unit in group:
            if all(m.unit != unit for m in out):
                out.append(Mention(unit, part, text[q_start:q_end]))
    return out


def _part(text: str, start: int, end: int, taken: list[bool]) -> tuple[str, int, int]:
    """lead / help / named for the names at text[start:end], and the span of words that says so."""
    clause_start = max((m.end() for m in CLAUSE.finditer(text, 0, start)), default=0)
    clause = CLAUSE.search(text, end)
    after = text[end: clause.start() if clause else len(text)]
    tail = next((t for t in _GROUP_TAIL if after.startswith(t)), "")
    after = after[len(tail):]
    before = text[clause_start:start]
    for words, kind in ((_LEAD_AFTER, "lead"), (_HELP_AFTER, "help")):
        hit = next((w for w in words if after.startswith(w)), None)
        if hit:
            pos = end + len(tail)
            _take(text, taken, pos, pos + len(hit))
            return kind, start, pos + len(hit)
    for words, kind in ((_HELP_BEFORE, "help"), (_LEAD_BEFORE, "lead")):
        hit = next((w for w in words if before.endswith(w)), None)
        if hit:
            _take(text, taken, start - len(hit), start)
            return kind, start - len(hit), end
    return "named", start, end


def _joined(text: str, end: int, next_start: int) -> bool:
    gap = text[end:next_start]
    return len(gap) <= 1 and all(c in _JOINERS for c in gap)


def recognise_areas(text: str, idx: DutyIndex, taken: list[bool]) -> list[str]:
    """Area ids named in the text, in order of first appearance."""
    return list(dict.fromkeys(area for _s, _e, area in _find(text, idx.terms, taken)))


_TITLE = re.compile(r"《[^》]*》")
_PEOPLE = ("家庭", "户", "对象", "人员", "群众", "人口", "学生", "儿童", "老人")
_PEOPLE_END = tuple(p for p in _PEOPLE if p != "户") + ("保户", "贫困户", "困难户")  # not 账户


def beneficiary_areas(text: str, idx: DutyIndex, taken: list[bool]) -> set[str]:
    """Areas the text names only to say who benefits ("优先保障低保家庭…") or which document is
    acted on ("对《临时救助实施办法》进行合法性审查"), never as the work itself: every mention is a
    term followed by (or ending in) a word for people, or inside a title's 《》."""
    titles = [False] * len(text)
    for m in _TITLE.finditer(text):
        titles[m.start():m.end()] = [True] * (m.end() - m.start())
    seen: dict[str, bool] = {}
    for start, end, area in _find(text, idx.terms, list(taken)):
        passive = (titles[start] or text[start:end].endswith(_PEOPLE_END) or text[end:].startswith(_PEOPLE))
        seen[area] = seen.get(area, True) and passive
    return {a for a, only_passive in seen.items() if only_passive}


_INFORMATION = ("信息", "核对", "核查", "查询", "共享", "比对", "数据")


def about_information(idx: DutyIndex, areas: list[str], text: str) -> bool:
    """Whether the decision is about information: it names information, or one of its areas is
    one where more duties provide information than do anything else (家庭经济状况核对)."""
    return any(w in text for w in _INFORMATION) or any(a in idx.info_areas for a in areas)


def mask_mentions(text: str, taken: list[bool]) -> str:
    """The text with unit names and role words blanked out, for matching against duties."""
    return "".join(" " if t else c for c, t in zip(text, taken, strict=True))


def text_similarity(idx: DutyIndex, text: str) -> list[float]:
    """BM25 of the text against every duty, divided by the most a duty could score (0..1), and
    scaled down for texts too short to say much."""
    query = [g for g in ngrams(text) if g in idx.df]
    norm = sum(idx.idf(g) for g in query)
    if not norm:
        return [0.0] * len(idx.duties)
    evidence = min(1.0, norm / TEXT_EVIDENCE)
    out = []
    for grams, dl in zip(idx.grams, idx.lengths, strict=True):
        score = 0.0
        for g in query:
            tf = grams.get(g, 0)
            if tf:
                score += idx.idf(g) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / idx.avgdl))
        out.append(evidence * min(1.0, score / norm))
    return out
