"""The example registries (issue 19): a district after the 2018 reform (局际, one convener, no liaison
meeting, 抄报), a province (厅际, no 文号) and the national system (部际, 重大问题报国务院决定), each
transcribed from its own founding document and written in YAML alone. Each validates and runs the
whole cycle — proposal → meeting → decisions → consent round → minutes → tasks → 通报 — and every
document it renders carries its own government's wording: none of the other examples' names nor the
first county's appears in any of them."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import ok, refused

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FIRST_COUNTY = ("大厂", "回族自治县", "县政府", "县民政局", "总召集人")


@dataclass(frozen=True)
class Example:
    folder: str
    name: str           # the system's own name, which every document carries
    own: tuple[str, ...]  # the government and jurisdiction words of this example
    proposer: str       # a unit written by an alias or short name
    kind: str           # the system's own name for its regular meeting, as `meeting new --kind` takes it
    suggested: str      # a decision text whose lead comes from an area's designated lead
    lead: str           # ... that unit's name
    liaison: bool       # the rules ask for a liaison meeting before a joint one
    refer: bool         # 重大问题…由牵头单位报<government>决定
    numbered: bool      # minutes get a 文号


CASES = [
    Example("pengshan-district", "眉山市彭山区社会救助局际联席会议", ("彭山", "区政府"), "区人力资源和社会保障局",
            "全体会议", "做好困难群众资助参保和医疗救助工作", "区医保局", liaison=False, refer=False, numbered=True),
    Example("sichuan-province", "四川省社会救助厅际联席会议", ("四川", "省政府"), "省民政厅", "例会",
            "加强社会救助政策宣传和舆论引导", "省委宣传部", liaison=True, refer=True, numbered=False),
    Example("national", "社会救助部际联席会议", ("全国", "国务院"), "人社部", "全体会议",
            "加大农村危房改造力度，优先保障低保家庭住房安全", "住房城乡建设部", liaison=True, refer=True,
            numbered=True),
]


def _forbidden(case: Example) -> list[str]:
    """Names that must not appear in this example's documents: the others' and the first county's."""
    words = [*FIRST_COUNTY]
    for other in CASES:
        if other is not case:
            words += [w for w in (other.name, *other.own) if w not in case.own and w not in case.name]
    if case.folder != "pengshan-district":
        words.append("县")  # a province or the State Council has no 县 in its own wording
    return words


def _text(path: Path) -> str:
    if path.suffix == ".docx":
        d = docx.Document(str(path))
        cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
        heads = [p.text for s in d.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
        return "\n".join([p.text for p in d.paragraphs] + cells + heads)
    return path.read_text(encoding="utf-8")


def _id(out: str) -> str:
    return str(json.loads(out)["id"])


@pytest.mark.parametrize("case", CASES, ids=[c.folder for c in CASES])
def test_the_example_runs_the_whole_cycle_in_its_own_words(jz, tmp_path, monkeypatch, case):
    monkeypatch.setenv("JIUZHU_TODAY", "2026-12-04")
    reg = tmp_path / case.folder
    shutil.copytree(EXAMPLES / case.folder, reg)
    assert "共 0 个错误" in ok(jz, reg, "validate")

    pid = _id(ok(jz, reg, "proposal", "new", "--unit", case.proposer, "--title", "关于完善社会救助资金保障机制的议题",
                 "--date", "2026-09-01", "--format", "json"))
    ok(jz, reg, "proposal", "review", pid, "--pass", "--opinion", "同意提交审定", "--date", "2026-09-02")
    said = ok(jz, reg, "proposal", "approve", pid, "--date", "2026-09-03")
    assert "总召集人" not in said
    if case.liaison:
        lid = _id(ok(jz, reg, "meeting", "new", "--kind", "liaison", "--date", "2026-09-08", "--format", "json"))
        ok(jz, reg, "meeting", "attend", lid, "--rest", "--attended")
    mid = _id(ok(jz, reg, "meeting", "new", "--kind", case.kind, "--date", "2026-09-15", "--place", "第一会议室",
                 "--format", "json"))
    ok(jz, reg, "meeting", "attend", mid, "--rest", "--attended")

    added = json.loads(ok(jz, reg, "decision", "add", mid, "--text", case.suggested, "--due-workdays", "30",
                          "--accept-suggestion", "--format", "json"))
    units = json.loads(ok(jz, reg, "units", "list", "--format", "json"))
    assert {u["id"]: u["name"] for u in units}[added["lead"]] == case.lead
    extra = ("--refer",) if case.refer else ()
    ok(jz, reg, "decision", "add", mid, "--text", "研究完善社会救助资金保障机制", "--lead", case.proposer,
       "--due", "2026-12-31", "--proposal", pid, *extra)
    if not case.refer:
        assert "没有“重大问题报请决定”的规定" in refused(jz, reg, "decision", "add", mid, "--text", "某事项",
                                                 "--lead", case.proposer, "--due", "2026-12-31", "--refer")

    # 经与会单位同意后印发: the round, one unit commenting first
    assert "还没有征求与会单位意见" in refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-20")
    ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-16")
    attended = [a["unit"] for a in json.loads(ok(jz, reg, "meeting", "show", mid, "--format", "json"))["attended"]]
    ok(jz, reg, "minutes", "reply", mid, "--unit", attended[-1], "--comment", "建议明确完成时限",
       "--date", "2026-09-16")
    for unit in attended:
        ok(jz, reg, "minutes", "reply", mid, "--unit", unit, "--agree", "--date", "2026-09-17")
    issued = ok(jz, reg, "minutes", "issue", mid, "--date", "2026-09-18")
    assert ("〔2026〕1号" in issued) == case.numbered and "抄报" in issued

    task = f"{mid}-2"
    ok(jz, reg, "tasks", "update", task, "--by", case.proposer, "--percent", "50", "--note", "已起草方案",
       "--date", "2026-10-10")
    assert f"{mid}-1" in ok(jz, reg, "tasks", "overdue", "--as-of", "2026-12-01")
    assert "共 0 个错误" in ok(jz, reg, "validate")

    out = tmp_path / "docs"
    out.mkdir()
    for fmt in ("md", "html", "docx"):
        ok(jz, reg, "minutes", "render", mid, "-o", str(out / f"纪要.{fmt}"))
        ok(jz, reg, "meeting", "notice", mid, "--date", "2026-09-08", "-o", str(out / f"通知.{fmt}"))
        ok(jz, reg, "briefing", "render", "--from", "2026-07-01", "--to", "2026-11-30", "--date", "2026-12-01",
           "-o", str(out / f"简报.{fmt}"))
        ok(jz, reg, "report", "progress", "--as-of", "2026-12-01", "-o", str(out / f"通报.{fmt}"))
        if case.liaison:
            ok(jz, reg, "minutes", "render", lid, "-o", str(out / f"联络员会议记录.{fmt}"))
    forbidden = _forbidden(case)
    for path in sorted(out.iterdir()):
        text = _text(path)
        assert case.name in text or case.name in text.replace("\n", ""), path.name
        leaked = [w for w in forbidden if w in text]
        assert not leaked, f"{path.name}: {leaked}"
    minutes = _text(out / "纪要.md")
    assert ("〔2026〕1号" in minutes) == case.numbered
    assert "抄报：" in minutes and case.own[1] in minutes
    if case.refer:
        assert f"报{case.own[1]}决定" in minutes


def test_the_forbidden_words_would_be_caught():
    """The grep is not vacuous: the national example's words are forbidden in the province's."""
    province = next(c for c in CASES if c.folder == "sichuan-province")
    assert {"国务院", "社会救助部际联席会议", "大厂", "县政府", "彭山"} <= set(_forbidden(province))
    assert "省政府" not in _forbidden(province)


def test_each_example_cites_its_own_source():
    for case in CASES:
        head = (EXAMPLES / case.folder / "system.yaml").read_text(encoding="utf-8").splitlines()[:4]
        assert re.search(r"来源：.*https?://", "\n".join(head)), case.folder
