"""The registry side of assignment: an index of the duties of the active units (character n-grams,
each clause's role, the unit's role in each area, the information a provider gives, the units a
duty helps), the areas' words and every name a unit goes by. Built once per loaded registry."""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jiuzhu.queries import names_of

if TYPE_CHECKING:
    from jiuzhu.model import Duty, Registry


CLAUSE = re.compile(r"[，。；;,!！?？\n：:]")


# A clause of a duty introduced by one of these words (after 负责/同时/并…) only helps: 统计局's
# "做好…统计工作,协同有关部门完善…标准" leads 统计 and supports 标准.
_HELPCLAUSE = re.compile(r"^(?:负责|同时|并且|并|积极|主动|要|及时)*(?:协同|配合|会同|参与|协助)")


# Words joining the parts of an `info` item ("耕地与农业收入" names 耕地 and 农业收入).
_INFO_SPLIT = re.compile(r"[与和及、/]")


_RUN = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")


_UNIT_SUFFIXES = ("公司", "局", "委", "办", "部", "会")


# Administrative verbs and fillers every duty and minute uses: they say nothing about who does what.
_FILLERS = re.compile("进一步|做好|加强|加大|落实|推进|推动|建立|健全|完善|开展|组织|提高|切实|积极|认真|有关|相关|"
                      "工作|全县|全区|全市|依法|及时|不断|着力|大力|强化|深入|扎实|抓好|确保|努力|各项|方面|社会救助")


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
    info_areas: frozenset[str]            # areas whose duties are mostly to provide information (核对)
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
        info_areas=_info_areas(duties),
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
    parts = [c.strip() for c in CLAUSE.split(duty.text) if c.strip()]
    return [(c, "support" if duty.role == "lead" and _HELPCLAUSE.match(c) else duty.role) for c in parts]


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


def _info_areas(duties: list[Duty]) -> frozenset[str]:
    """Areas in which more duties provide information than do anything else."""
    count: Counter[tuple[str, bool]] = Counter()
    for d in duties:
        for a in d.areas:
            count[a, (dict(d.roles).get(a, d.role) == "info")] += 1
    return frozenset(a for (a, info), n in count.items() if info and n > count[a, False])


def _helped(reg: Registry, duty: Duty, aliases: list[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """For each area of the duty, the units that every clause naming the area says it helps
    (配合/协同/会同/协助 + a unit's name); an area with a clause that helps no named unit is left out."""
    clauses = [c for c in CLAUSE.split(duty.text) if c.strip()]
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
    said = [c for c in CLAUSE.split(duty.text) if "提供" in c or "信息" in c]
    items += [g for c in said for g in ngrams(c)
              if len(g) == 3 and all(owners.get(x) == {mine} for x in (g, g[:2], g[1:]))]
    return tuple(dict.fromkeys(items))


_HELPING = re.compile("配合|协同|协助|支持|会同")  # + a unit's name: the unit a clause helps
