"""Suggest a decision's lead unit (牵头单位) and responsible units (责任单位) from the duties.

Everything comes from the registry, so another county's registry works unchanged:

1. Unit names written in the text ("由县民政局牵头，会同财政局…") are found by the registry's unit
   names; the words around them say whether a unit leads (牵头/负责/由…) or helps (会同/配合…).
2. Areas are recognised through their names and synonyms, longest match first.
3. The text (unit names removed) is matched against every duty sentence with character bigrams and
   trigrams scored by BM25: Chinese needs no segmenter for this, the duty sentences are short, and
   a pure-Python index of a few hundred sentences builds in milliseconds.
4. A duty's score mixes area overlap and text similarity, weighed by the unit's role in it: a duty
   that says 负责/牵头 leads over one that says 配合, and an information provider leads only a
   decision about its own information. An area's designated lead (areas.yaml `lead:`) breaks ties.
   The role is read per area and per clause: a duty's `roles` (e.g. `{dibao: support}`) overrides
   `role` for an area; an area whose words sit only in a clause introduced by 协同/配合/会同/参与
   counts as support; text matched mostly inside such a clause weighs as support too.
   A provider's information is named by its `info` items (and their parts) or by a trigram of its
   information clause no other unit's duty uses (商品房 for 房管局). A duty sharing none of the
   decision's areas counts only when the text matches it well and through words few duties use;
   otherwise nothing matches and the office leads.
5. Responsible units: every unit named with 会同/配合; units that support or provide information in
   the recognised areas (providers only when the lead is not itself a provider speaking of its
   own information); units whose other duties cover two of the areas or are worded closely; the
   designated leads of the recognised areas. Strongest first up to a cap, then in
   founding-document order. (The text side, steps 1-3: jiuzhu.assign_text; the registry's index:
   jiuzhu.assign_index.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jiuzhu.assign_index import DutyIndex, duty_index, ngrams
from jiuzhu.assign_text import (
    DISTINCT_DF,
    Mention,
    about_information,
    beneficiary_areas,
    find_mentions,
    mask_mentions,
    recognise_areas,
    resolve_area,
    text_similarity,
)
from jiuzhu.errors import InputRefused
from jiuzhu.queries import ROLE_NAMES

if TYPE_CHECKING:
    from jiuzhu.model import Duty, Registry

# How much each role counts when choosing the lead (an information provider's weight rises with
# how closely the text matches its duty).
ROLE_WEIGHT = {"lead": 1.0, "support": 0.6, "info": 0.5}
AREA_WEIGHT = 0.5
TEXT_WEIGHT = 0.5
# A duty whose text matches at least this well makes its unit responsible whatever its role.
STRONG_TEXT = 0.5
# A lead duty whose text matches the decision mostly in a 协同/配合 clause, at least this well, makes
# its unit responsible.
CLAUSE_TEXT = 0.25
# A duty must score at least this to count at all; below it for every duty nothing matches.
MIN_SCORE = 0.12
# A duty that shares none of the decision's areas counts only from this text similarity on: weak
# wording overlap ("困难群众", "救助对象") is no reason to lead, and then the office leads.
TEXT_ONLY = 0.35
# Scores within this distance of the best are a tie.
TIE = 0.01
# A unit named in the text without a role word gets this much extra when choosing the lead.
MENTION_BONUS = 0.3
# Responsible units found from the duties, strongest first (units named in the text and the areas'
# designated leads come on top of these). Support and information duties in the decision's areas
# always count; other duties count from this score on.
MIN_RESPONSIBLE = 0.3
SUPPORT_TEXT = 0.1
MAX_RESPONSIBLE = 10


@dataclass(frozen=True)
class Candidate:
    """A unit suggested as lead or responsible, with the duty that justifies it and why."""

    unit: str
    name: str
    duty: str | None
    duty_text: str | None
    confidence: float
    why: str


@dataclass(frozen=True)
class Suggestion:
    """What `suggest` proposes. `tied` lists other units equally good as lead (empty when the lead is
    clear); `no_match` is true when no duty covers the text and the office's unit is proposed."""

    areas: list[str]
    lead: Candidate | None
    tied: list[Candidate] = field(default_factory=list)
    responsible: list[Candidate] = field(default_factory=list)
    no_match: bool = False


@dataclass
class _Scored:
    duty: Duty
    area: float        # share of the decision's areas the duty covers (less for broad duties)
    overlap: int       # how many of the decision's areas the duty covers
    text: float        # text similarity 0..1
    own_info: bool     # the text is about the information this duty provides, and no one else's
    roles: tuple[str, ...]  # the unit's role in each of the decision's areas the duty covers
    text_role: float   # for a lead duty, role weight of the clauses the text matches (1.0: leading
                       # clauses; the support weight: 协同/配合 clauses); 1.0 for other duties
    others_info: bool = False  # the text names information other units provide, not this one's
    helps: frozenset[str] | None = None  # the units this duty helps in the decision's areas, where its text names them

    @property
    def raw(self) -> float:
        return AREA_WEIGHT * self.area + TEXT_WEIGHT * self.text

    def _weight(self, role: str) -> float:
        weight = ROLE_WEIGHT.get(role, 0.5)
        if role == "info":
            # a provider leads a decision about its own information, not a verification decision
            # nor one about another provider's information
            weight = 1.0 if self.own_info else weight if self.others_info else weight + (1 - weight) * self.text
        return weight

    @property
    def role(self) -> str:
        """The unit's part in the decision's areas through this duty (lead > support > info)."""
        return min(self.roles or (self.duty.role,), key=lambda r: ("lead", "support", "info").index(r))

    @property
    def lead(self) -> float:
        area_w = max((self._weight(r) for r in self.roles), default=self._weight(self.duty.role))
        text_w = self._weight(self.duty.role) * self.text_role
        if self.own_info:
            area_w = text_w = 1.0
        return AREA_WEIGHT * self.area * area_w + TEXT_WEIGHT * self.text * text_w

    def engaged(self, informs: bool) -> bool:
        """Whether the duty engages its unit in the decision's areas: it supports there (by its
        role in those areas, or because the text matches a supporting clause) or, when `informs`,
        provides information there."""
        return self.overlap > 0 and ("support" in self.roles or (self.text_role < 1.0 and self.text >= CLAUSE_TEXT)
                                     or (informs and "info" in self.roles))

    def close(self) -> bool:
        """Whether a duty of any role is close enough to make its unit responsible."""
        return self.overlap >= 2 or self.text >= STRONG_TEXT


def _text_role(idx: DutyIndex, i: int, query: set[str]) -> float:
    """Role weight of the clauses of duty i that hold the text's grams, weighed by their IDF: 1.0
    when they all lie in leading clauses, the support weight when all lie in 协同/配合 clauses."""
    clauses = idx.clauses[i]
    if len({r for _g, r in clauses}) < 2:
        return 1.0
    total = mass = 0.0
    for g in query:
        roles = [r for grams, r in clauses if g in grams]
        if roles:
            w = max(ROLE_WEIGHT.get(r, 0.5) for r in roles)
            total += idx.idf(g)
            mass += idx.idf(g) * w
    return mass / total if total else 1.0


def _score(idx: DutyIndex, areas: list[str], text: str) -> list[_Scored]:
    wanted = set(areas)
    sims = text_similarity(idx, text)
    query = set(ngrams(text))
    # providers whose information (duty `info`, e.g. 房产, or a word only their duty uses) the text names
    providers = {d.unit for d, terms in zip(idx.duties, idx.info_terms, strict=True) if any(t in text for t in terms)}
    return [_score_duty(idx, i, wanted, text, query, sim, providers) for i, sim in enumerate(sims)]


def _score_duty(idx: DutyIndex, i: int, wanted: set[str], text: str, query: set[str], sim: float,
                providers: set[str]) -> _Scored:
    duty = idx.duties[i]
    common = [a for a in duty.areas if a in wanted]
    overlap = len(common)
    area = overlap / len(wanted) * (0.5 + 0.5 * overlap / len(duty.areas)) if overlap else 0.0
    names_it = any(t in text for t in idx.info_terms[i])
    own = names_it and providers <= {duty.unit, *duty.shared_with}
    if not overlap and not own and (sim < TEXT_ONLY or not any(
            g in idx.grams[i] and idx.df[g] <= DISTINCT_DF for g in query)):
        sim = 0.0
    others = bool(providers) and not names_it
    return _Scored(duty, area, overlap, sim, own, tuple(idx.area_roles[i][a] for a in common),
                   _text_role(idx, i, query) if sim else 1.0, others, _helps(idx.helped[i], common))


def _helps(helped: dict[str, frozenset[str]], common: list[str]) -> frozenset[str] | None:
    """The units a duty helps in the decision's areas, when its text names them for every one."""
    if not common or not all(a in helped for a in common):
        return None
    return frozenset().union(*(helped[a] for a in common))


def suggest(reg: Registry, text: str, areas: Sequence[str] = ()) -> Suggestion:
    """Suggest the lead and responsible units for a decision text, each with the duty behind it.

    `areas` are area ids (or names/synonyms) the user gives on top of those recognised in the
    text; an unknown one is refused with the nearest area.
    """
    if not text.strip():
        raise InputRefused("议定事项的文字为空", "写出议定事项的内容，例如：完善低保标准动态调整机制。")
    idx = duty_index(reg)
    given = [resolve_area(reg, a) for a in areas]
    taken = [False] * len(text)
    mentions = find_mentions(text, idx, taken)
    masked = mask_mentions(text, taken)
    found = list(dict.fromkeys([*given, *recognise_areas(text, idx, list(taken))]))
    acting = _acting(text, idx, taken, given, found)
    scored = _score(idx, acting, masked)
    by_unit: dict[str, list[_Scored]] = {}
    for s in scored:
        by_unit.setdefault(s.duty.unit, []).append(s)

    lead_ids, tied_ids = _choose_lead(idx, acting, by_unit, mentions)
    if not lead_ids:
        return _designated_only(reg, idx, acting, found) or _no_match(reg, found, text)
    lead = _candidate(reg, idx, acting, lead_ids[0], by_unit, mentions, lead=True)
    tied = [_candidate(reg, idx, acting, u, by_unit, mentions, lead=True) for u in tied_ids]
    chosen = {lead_ids[0], *tied_ids}
    # providers are called on by a decision about information (核对, 信息…), and not by one about a
    # single provider's own information
    informs = about_information(idx, acting, text) and not any(
        s.duty.id == lead.duty and (s.duty.role == "info" or s.own_info) for s in scored)
    responsible = [_candidate(reg, idx, acting, u, by_unit, mentions, lead=False)
                   for u in _choose_responsible(reg, idx, acting, by_unit, mentions, chosen, informs)]
    return Suggestion(found, lead, tied, responsible, False)


def _acting(text: str, idx: DutyIndex, taken: list[bool], given: list[str], found: list[str]) -> list[str]:
    """The areas the decision works in: who benefits (低保家庭) or the document acted on decides
    neither who leads nor who takes part, unless the user named that area."""
    helped = beneficiary_areas(text, idx, taken)
    return [a for a in found if a in given or a not in helped] or found


def _best(items: Iterable[_Scored], key: str) -> _Scored | None:
    return max(items, key=lambda s: (getattr(s, key), s.text), default=None)


def _lead_score(idx: DutyIndex, areas: list[str], unit: str, items: list[_Scored]) -> float:
    best = max((s.lead for s in items), default=0.0)
    mine = [a for a in areas if idx.designated.get(a) == unit]
    if mine and any(set(s.duty.areas).intersection(mine) for s in items):
        # the designated lead of an area counts as covering it fully, however broad its duty
        best = max(best, AREA_WEIGHT * len(mine) / len(areas) + TEXT_WEIGHT * max(s.text for s in items))
    for s in items:
        if s.own_info:
            # a decision about one unit's own information is that unit's, whatever its areas
            best = max(best, AREA_WEIGHT + TEXT_WEIGHT * s.text)
    return best


def _choose_lead(idx: DutyIndex, areas: list[str], by_unit: dict[str, list[_Scored]],
                 mentions: list[Mention]) -> tuple[list[str], list[str]]:
    """The lead unit first, then the units tied with it."""
    leads = [m.unit for m in mentions if m.part == "lead"]
    if leads:
        return leads, leads[1:]
    helpers = {m.unit for m in mentions if m.part == "help"}
    named = [m.unit for m in mentions if m.part == "named"]
    scores = {u: _lead_score(idx, areas, u, items) + (MENTION_BONUS if u in named else 0.0)
              for u, items in by_unit.items() if u not in helpers}
    top = max(scores.values(), default=0.0)
    if top < MIN_SCORE:
        return [], []
    near = sorted((u for u in scores if scores[u] >= top - TIE), key=lambda u: -scores[u])
    if len(near) > 1:
        near = _designated_first(idx, areas, by_unit, near)
    return near, near[1:]


def _designated_first(idx: DutyIndex, areas: list[str], by_unit: dict[str, list[_Scored]],
                      near: list[str]) -> list[str]:
    """Among tied units, an area's designated lead leads; only units sharing its duty stay tied."""
    designated = [idx.designated[a] for a in areas if idx.designated.get(a) in near]
    if not designated:
        return near
    first = designated[0]
    sharing = {x for s in by_unit[first] for x in s.duty.shared_with}
    return [first, *[u for u in near if u != first and u in sharing]]


def _choose_responsible(reg: Registry, idx: DutyIndex, areas: list[str], by_unit: dict[str, list[_Scored]],
                        mentions: list[Mention], chosen: set[str], informs: bool) -> list[str]:
    named = [m.unit for m in mentions if m.unit not in chosen]
    scores = {}
    for unit, items in by_unit.items():
        score = None if unit in chosen or unit in named else _responsible_score(items, informs, chosen)
        if score is not None:
            scores[unit] = score
    picked = sorted(scores, key=lambda u: -scores[u])[:MAX_RESPONSIBLE]
    taken = chosen | set(named)
    picked += [u for a in areas if (u := idx.designated.get(a)) in by_unit and u not in taken
               and any(a in s.duty.areas for s in by_unit[u])]
    order = {u: i for i, u in enumerate(reg.units)}
    return named + sorted(set(picked), key=lambda u: order.get(u, len(order)))


def _helps_here(s: _Scored, chosen: set[str]) -> bool:
    """A supporting duty that names whom it helps ("配合民政部门…") engages its unit when that unit
    leads here; one that does not ("协同有关部门…") when its words, not only its area, meet the text."""
    if s.helps is not None:
        return bool(s.helps & chosen)
    return "support" not in s.roles or s.text >= SUPPORT_TEXT


def _responsible_score(items: list[_Scored], informs: bool, chosen: set[str]) -> float | None:
    """The best score of a unit's duties that make it responsible, or None. A duty that says whom
    it helps in these areas ("配合民政部门…") engages its unit only when that unit leads here."""
    engaged = [s.raw for s in items if s.engaged(informs) and _helps_here(s, chosen)]
    # a provider whose information the text does not name is no closer for wording like it
    close = [s.raw for s in items if s.close() and s.raw >= MIN_RESPONSIBLE
             and not (s.others_info and s.duty.role == "info")]
    return max(engaged + close) if engaged or close else None


def _candidate(reg: Registry, idx: DutyIndex, areas: list[str], unit: str, by_unit: dict[str, list[_Scored]],
               mentions: list[Mention], lead: bool) -> Candidate:
    """The unit with its best duty and the reason, in Chinese."""
    items = by_unit.get(unit, [])
    key = "lead" if lead else "raw"
    best = _best((s for s in items if s.raw > 0), key)
    mention = next((m for m in mentions if m.unit == unit), None)
    if mention is not None:
        confidence = 1.0 if mention.part != "named" else max(0.9, getattr(best, key, 0.0))
    else:
        confidence = _lead_score(idx, areas, unit, items) if lead else (best.raw if best else 0.0)
    return Candidate(unit, name(reg, unit), best.duty.id if best else None, best.duty.text if best else None,
                     round(min(1.0, confidence), 2), _reasons(reg, idx, areas, unit, best, mention))


def _reasons(reg: Registry, idx: DutyIndex, areas: list[str], unit: str, best: _Scored | None,
             mention: Mention | None) -> str:
    reasons = []
    if mention is not None:
        part = {"lead": "写明由其牵头", "help": "写明由其配合", "named": "点名该单位"}[mention.part]
        reasons.append(f"议定事项{part}（“{mention.quote}”）")
    mine = [reg.areas[a].name for a in areas if idx.designated.get(a) == unit]
    if mine:
        reasons.append(f"领域“{'、'.join(mine)}”的指定牵头单位")
    if best is not None:
        common = [reg.areas[a].name for a in best.duty.areas if a in areas and a in reg.areas]
        where = f"领域：{'、'.join(common)}" if common else "文字相近"
        part = best.role if best.text_role >= 0.8 else "support"
        reasons.append(f"职责 {best.duty.id}：{best.duty.text}（{ROLE_NAMES.get(part, part)}，{where}）")
    return "；".join(reasons) or "没有相关职责"


def name(reg: Registry, unit: str) -> str:
    return reg.units[unit].name if unit in reg.units else unit


def _designated_only(reg: Registry, idx: DutyIndex, areas: list[str], found: list[str]) -> Suggestion | None:
    """No duty covers the text, but its areas (`areas`: those it works in, of all `found`) have a
    designated lead (areas.yaml `lead:`): a system that lists its members without their own
    duties still says who leads each area."""
    leads = list(dict.fromkeys(idx.designated[a] for a in areas if idx.designated.get(a) in reg.units))
    if not leads:
        return None

    def candidate(unit: str) -> Candidate:
        named = "、".join(reg.areas[a].name for a in areas if idx.designated.get(a) == unit)
        why = f"没有成员单位的职责写到这件事；{named}的指定牵头单位是{name(reg, unit)}（areas.yaml 的 lead）"
        return Candidate(unit, name(reg, unit), None, None, 0.5, why)

    return Suggestion(found, candidate(leads[0]), [candidate(u) for u in leads[1:]], [], False)


def _no_match(reg: Registry, areas: list[str], text: str) -> Suggestion:
    """No duty covers the text: the office (the unit it lives in) is proposed as lead."""
    office = reg.system.office.unit if reg.system else ""
    if not office:
        return Suggestion(areas, None, [], [], True)
    why = f"没有成员单位的职责涵盖“{text}”，建议由联席会议办公室所在单位{name(reg, office)}牵头并提请会议明确"
    return Suggestion(areas, Candidate(office, name(reg, office), None, None, 0.0, why), [], [], True)


def suggestion_dict(s: Suggestion) -> dict[str, Any]:
    """The porcelain JSON of `jiuzhu assign` (shape fixed in DESIGN.md, extra keys allowed)."""

    def one(c: Candidate) -> dict[str, Any]:
        return {"id": c.unit, "name": c.name, "why": c.why, "duty": c.duty, "duty_text": c.duty_text,
                "confidence": c.confidence}

    return {"areas": list(s.areas), "lead": one(s.lead) if s.lead else None,
            "responsible": [one(c) for c in s.responsible], "tied": [one(c) for c in s.tied],
            "no_match": s.no_match}


