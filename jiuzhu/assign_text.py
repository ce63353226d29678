"""The text side of assignment: an index of the registry's duties (character n-grams, areas, unit
names) and what a decision's text says (the units it names and their part, its areas, its BM25
similarity to each duty)."""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jiuzhu.errors import InputRefused
from jiuzhu.problems import nearest
from jiuzhu.queries import names_of

if TYPE_CHECKING:
    from jiuzhu.model import Duty, Registry

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


# Administrative verbs and fillers every duty and minute uses: they say nothing about who does what.
_FILLERS = re.compile("进一步|做好|加强|加大|落实|推进|推动|建立|健全|完善|开展|组织|提高|切实|积极|认真|有关|相关|"
                      "工作|全县|全区|全市|依法|及时|不断|着力|大力|强化|深入|扎实|抓好|确保|努力|各项|方面|社会救助")


_CLAUSE = re.compile(r"[，。；;,!！?？\n：:]")


# A clause of a duty introduced by one of these words (after 负责/同时/并…) only helps: 统计局's
# "做好…统计工作,协同有关部门完善…标准" leads 统计 and supports 标准.
_HELP_CLAUSE = re.compile(r"^(?:负责|同时|并且|并|积极|主动|要|及时)*(?:协同|配合|会同|参与|协助)")


# Words joining the parts of an `info` item ("耕地与农业收入" names 耕地 and 农业收入).
_INFO_SPLIT = re.compile(r"[与和及、/]")


# "A配合B" / "A协同B": B is the unit helped, so B leads (unlike "A会同B", where A leads).
_HELPED_BEFORE: tuple[str, ...] = ("配合", "协同", "协助", "支持")


_RUN = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")


_UNIT_SUFFIXES = ("公司", "局", "委", "办", "部", "会")


@dataclass
class DutyIndex:
    """Everything `suggest` needs that depends only on the registry."""

    terms: list[tuple[str, str]]          # (area name or synonym, area id), longest first
    aliases: list[tuple[str, str]]        # (unit name or short form, unit id), longest first
    duties: list[Duty]                    # duties of active units, founding-document order
    grams: list[Counter[str]]
    lengths: list[int]
    df: Counter[str]
    avgdl: float
    designated: dict[str, str]            # area id -> designated lead unit
    clauses: list[list[tuple[set[str], str]]]  # per duty: (grams, role) of each clause
    area_roles: list[dict[str, str]]      # per duty: the unit's role in each of its areas
    info_terms: list[tuple[str, ...]]     # per duty: words that name the information it provides
    helped: list[dict[str, frozenset[str]]]  # per duty: area -> the units its clauses on that area
    # help ("配合民政部门督促落实…低保…": dibao -> {minzheng}); an area whose clauses name no one is absent

    def idf(self, gram: str) -> float:
        n = self.df.get(gram, 0)
        return math.log(1 + (len(self.duties) - n + 0.5) / (n + 0.5))


_CACHE: dict[int, tuple[weakref.ref[Registry], DutyIndex]] = {}


def duty_index(reg: Registry) -> DutyIndex:
    hit = _CACHE.get(id(reg))
    if hit is not None and hit[0]() is reg:
        return hit[1]
    idx = _build(reg)
    _CACHE[id(reg)] = (weakref.ref(reg), idx)
    weakref.finalize(reg, _CACHE.pop, id(reg), None)
    return idx


def ngrams(text: str) -> Counter[str]:
    """Character bigrams and trigrams inside runs of letters (punctuation and fillers break a run)."""
    out: Counter[str] = Counter()
    for run in _RUN.findall(_FILLERS.sub(" ", text)):
        for n in (2, 3):
            out.update(run[i:i + n] for i in range(len(run) - n + 1))
    return out


def _short_names(reg: Registry, name: str) -> list[str]:
    """A unit's name as minutes write it: full, without the jurisdiction or 县/区/市 prefix, and
    the 'X部门' form (民政局 -> 民政部门)."""
    forms = [name]
    prefixes = [p for p in ((reg.system.jurisdiction if reg.system else ""), "县", "区", "市", "旗") if p]
    for p in prefixes:
        if name.startswith(p) and len(name) - len(p) >= 2:
            forms.append(name[len(p):])
    for form in list(forms[1:] or forms):
        for suffix in _UNIT_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 2:
                forms.append(form[: -len(suffix)] + "部门")
                break
    return list(dict.fromkeys(forms))


def _build(reg: Registry) -> DutyIndex:
    duties = [d for u in reg.active_units() for d in u.duties]
    grams = [ngrams(d.text) for d in duties]
    owners = _owners(duties, grams)
    lengths = [sum(g.values()) for g in grams]
    df: Counter[str] = Counter()
    for g in grams:
        df.update(g.keys())
    terms, aliases = _longest_first(_area_terms(reg)), _longest_first(_unit_aliases(reg))
    return DutyIndex(
        terms=terms, aliases=aliases,
        duties=duties, grams=grams, lengths=lengths, df=df,
        avgdl=(sum(lengths) / len(lengths)) if lengths else 1.0,
        designated={a.id: a.lead for a in reg.areas.values() if a.lead},
        clauses=[_clause_grams(d) for d in duties],
        area_roles=[_area_roles(reg, d) for d in duties],
        info_terms=[_info_terms(d, owners) for d in duties],
        helped=[_helped(reg, d, aliases) for d in duties],
    )


def _area_terms(reg: Registry) -> list[tuple[str, str]]:
    """(word, area id) for every area's name and synonyms."""
    return [(word, a.id) for a in reg.areas.values() for word in (a.name, *a.synonyms)]


def _unit_aliases(reg: Registry) -> list[tuple[str, str]]:
    """Every way minutes name a unit: its name, its `aliases:` (人社部) and former names (县卫计委
    after the reform), each also without the jurisdiction and as 'X部门'. A form that two units
    share names neither."""
    forms = [(form, u.id) for u in reg.active_units() for name in names_of(u) for form in _short_names(reg, name)]
    owners: dict[str, set[str]] = {}
    for form, unit in forms:
        owners.setdefault(form, set()).add(unit)
    return [(form, unit) for form, unit in forms if len(owners[form]) == 1]


def _longest_first(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(set(pairs), key=lambda t: (-len(t[0]), t[0]))


def _clause_grams(duty: Duty) -> list[tuple[set[str], str]]:
    return [(set(ngrams(c)), r) for c, r in _clauses(duty)]


def _owners(duties: list[Duty], grams: list[Counter[str]]) -> dict[str, set[frozenset[str]]]:
    """Who says each n-gram: a unit with the units sharing its duty (国税局/地税局 count as one)."""
    owners: dict[str, set[frozenset[str]]] = {}
    for d, g in zip(duties, grams, strict=True):
        for gram in g:
            owners.setdefault(gram, set()).add(frozenset({d.unit, *d.shared_with}))
    return owners


def _clauses(duty: Duty) -> list[tuple[str, str]]:
    """Each clause of a lead duty with its own role: a clause introduced by 协同/配合/会同/参与
    supports. Support and information duties keep their role throughout."""
    parts = [c.strip() for c in _CLAUSE.split(duty.text) if c.strip()]
    return [(c, "support" if duty.role == "lead" and _HELP_CLAUSE.match(c) else duty.role) for c in parts]


def _area_roles(reg: Registry, duty: Duty) -> dict[str, str]:
    """The unit's role in each area of the duty: `roles` when the registry says it; otherwise
    support for an area of a lead duty whose words appear only in its 协同/配合 clauses
    ("…统计工作,协同做好低保标准的调整工作": 低保 supports), else the duty's role."""
    explicit = dict(duty.roles)
    clauses = _clauses(duty)
    out = {}
    for a in duty.areas:
        role = explicit.get(a, duty.role)
        area = reg.areas.get(a)
        if a not in explicit and area is not None and len({r for _c, r in clauses}) > 1:
            where = {r for c, r in clauses if any(t in c for t in (area.name, *area.synonyms))}
            if where == {"support"}:
                role = "support"
        out[a] = role
    return out


def _helped(reg: Registry, duty: Duty, aliases: list[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """For each area of the duty, the units that every clause naming the area says it helps
    (配合/协同/会同/协助 + a unit's name); an area with a clause that helps no named unit is left out."""
    clauses = [c for c in _CLAUSE.split(duty.text) if c.strip()]
    helps = [frozenset(unit for m in _HELPING.finditer(c) for word, unit in aliases if c.startswith(word, m.end()))
             for c in clauses]
    out = {}
    for a in duty.areas:
        area = reg.areas.get(a)
        if area is None:
            continue
        where = [h for c, h in zip(clauses, helps, strict=True) if any(t in c for t in (area.name, *area.synonyms))]
        if where and all(where):
            out[a] = frozenset().union(*where)
    return out


def _provides(duty: Duty) -> bool:
    return duty.role == "info" or any(r == "info" for _a, r in duty.roles)


def _info_terms(duty: Duty, owners: dict[str, set[frozenset[str]]]) -> tuple[str, ...]:
    """The words that name what a provider provides: its `info` items (and their parts) and the
    trigrams of its information clause that no other unit's duty uses, nor either of their bigrams
    (商品房 for 房管局, 行政事业 for 人社局; not 对象的, whose 对象 everyone uses)."""
    if not _provides(duty):
        return ()
    items = [w for item in duty.info for w in (item, *_INFO_SPLIT.split(item)) if len(w) >= 2]
    mine = frozenset({duty.unit, *duty.shared_with})
    said = [c for c in _CLAUSE.split(duty.text) if "提供" in c or "信息" in c]
    items += [g for c in said for g in ngrams(c)
              if len(g) == 3 and all(owners.get(x) == {mine} for x in (g, g[:2], g[1:]))]
    return tuple(dict.fromkeys(items))


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
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    clause = _CLAUSE.search(text, end)
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
_HELPING = re.compile("配合|协同|协助|支持|会同")  # + a unit's name: the unit a clause helps
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
