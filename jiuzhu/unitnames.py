"""A unit by any name a clerk uses: 县卫健局 for a registry that says 县卫计委, 人社局 for
县人力资源和社会保障局, 税务局 for 国税局 (or both: then it is ambiguous and said so).

The knowledge here is national, not one county's: the common short forms of agency names and the
lines of work renamed by the institutional reforms (2018: 卫计委 → 卫健委, 工商/质监/食药监 →
市场监管, 国税+地税 → 税务 ...). A county's own names go in the unit file's `aliases:`.

A name's *meaning key* is what is left when the jurisdiction and the organ type (局, 委, 办 ...) are
taken away, the short forms written out, and a renamed line of work replaced by its current name:
县卫健局, 县卫计委 and 卫生和计划生育委员会 all have the key 卫生健康. Suggestions for a wrong name
compare keys and need a shared word of at least two characters, never a single character.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

# Short form -> full form, as agencies are commonly abbreviated (longest matched first).
ABBREVIATIONS = {
    "卫健": "卫生健康", "卫计": "卫生和计划生育", "卫生计生": "卫生和计划生育", "人社": "人力资源和社会保障",
    "发改": "发展和改革", "住建": "住房和城乡建设", "医保": "医疗保障", "市场监管": "市场监督管理",
    "食药监": "食品药品监督管理", "质监": "质量技术监督", "国土": "国土资源", "环保": "环境保护",
    "银保监": "银行保险监督管理", "银监": "银行业监督管理", "金融监管": "金融监督管理", "国税": "国家税务",
    "地税": "地方税务", "编办": "机构编制委员会办公室", "残联": "残疾人联合会", "人行": "人民银行",
    "房管": "房产管理", "农办": "农村工作办公室", "农工委": "农村工作委员会", "退役军人": "退役军人事务",
    "教体": "教育和体育", "文旅": "文化和旅游", "应急": "应急管理",
}
# Lines of work renamed or merged by a reform: every name in a group means its first (current) one.
RENAMED = (
    ("卫生健康", "卫生和计划生育", "卫生"),
    ("市场监督管理", "工商行政管理", "工商", "质量技术监督", "食品药品监督管理"),
    ("税务", "国家税务", "地方税务"),
    ("乡村振兴", "扶贫开发", "扶贫", "扶贫和移民"),
    ("自然资源", "国土资源", "自然资源和规划"),
    ("生态环境", "环境保护"),
    ("农业农村", "农业"),
    ("司法", "法制"),
    ("金融监督管理", "银行保险监督管理", "银行业监督管理"),
    ("住房和城乡建设", "建设", "住房和城乡规划建设"),
    ("教育", "教育和体育", "教育体育"),
)
_CURRENT = {old: group[0] for group in RENAMED for old in group}
# Organ types at the end of a name, longest first; 机构编制委员会办公室 keeps its 委员会 (one suffix).
_ORGAN = ("办公室", "委员会", "联合会", "公司", "局", "委", "办", "厅", "部", "会")
_LEVELS = ("县委", "区委", "市委", "旗委", "州委", "县", "区", "市", "旗", "州", "盟")
_NOT_LEVELS = ("市场",)  # 市场监督管理局 begins with a word, not with 市


def without_jurisdiction(name: str, jurisdiction: str = "") -> str:
    """A name without its jurisdiction or level in front: 大厂回族自治县民政局, 大厂县民政局 and
    县民政局 are all 民政局; 中共县委宣传部 is 宣传部."""
    key = unicodedata.normalize("NFKC", name).replace(" ", "").removeprefix("中共")
    if jurisdiction and key.startswith(jurisdiction) and len(key) - len(jurisdiction) >= 2:
        return key[len(jurisdiction):]
    for cut in range(len(jurisdiction) - 1, 1, -1):  # a short form of the jurisdiction: 大厂县
        if key.startswith(jurisdiction[:cut]) and key[cut:cut + 1] in ("县", "区", "市", "旗", "州"):
            key = key[cut:]
            break
    for prefix in _LEVELS:
        if key.startswith(prefix) and not key.startswith(_NOT_LEVELS) and len(key) - len(prefix) >= 2:
            return key[len(prefix):]
    return key


def meaning_key(name: str, jurisdiction: str = "") -> str:
    """What a unit name means, without jurisdiction, organ type, short forms or old names."""
    key = _expand(without_jurisdiction(name, jurisdiction))
    for suffix in _ORGAN:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return _CURRENT.get(key, key)


def matching(wanted: str, named: Iterable[tuple[str, str]], jurisdiction: str, active: set[str]) -> list[str]:
    """The ids whose names (`named`: (id, name) pairs) fit `wanted`: the same name, else the same
    without the jurisdiction, else the same meaning; member units before former ones."""
    named = list(named)
    for same in (str.strip, lambda n: without_jurisdiction(n, jurisdiction), lambda n: meaning_key(n, jurisdiction)):
        key = same(wanted)
        hits = list(dict.fromkeys(ident for ident, name in named if same(name) == key))
        current = [ident for ident in hits if ident in active] or hits
        if current:
            return current
    return []


def _words(key: str) -> str:
    """A key without organ words anywhere in it: 委员会 in two names says nothing of their work."""
    for organ in ("委员会", "办公室", "联合会", "委员"):
        key = key.replace(organ, "")
    return key


def _expand(text: str) -> str:
    for short in sorted(ABBREVIATIONS, key=len, reverse=True):
        full = ABBREVIATIONS[short]
        if short in text and full not in text:
            text = text.replace(short, full)
    return text


def nearest(wanted: str, names: Iterable[tuple[str, str]], jurisdiction: str = "", n: int = 3) -> list[str]:
    """Up to `n` of `names` ((id, name) pairs) nearest in meaning to `wanted`, as ids, closest
    first: keys sharing a word of two or more characters, or a name one slip of the keyboard away
    (县民正局 for 县民政局: same length, one character different)."""
    key = _words(meaning_key(wanted, jurisdiction))
    bare = without_jurisdiction(wanted, jurisdiction)
    scored: list[tuple[float, str]] = []
    for ident, name in names:
        other = _words(meaning_key(name, jurisdiction))
        matcher = difflib.SequenceMatcher(None, key, other, autojunk=False)
        if matcher.find_longest_match(0, len(key), 0, len(other)).size >= 2:
            scored.append((matcher.ratio(), ident))
        elif _one_slip(bare, without_jurisdiction(name, jurisdiction)):
            scored.append((0.5, ident))
    scored.sort(key=lambda s: -s[0])
    return list(dict.fromkeys(ident for _, ident in scored))[:n]


def _one_slip(typed: str, name: str) -> bool:
    """Same length (three characters or more), exactly one character different."""
    return len(typed) == len(name) >= 3 and sum(a != b for a, b in zip(typed, name, strict=True)) == 1
