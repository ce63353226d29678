"""The convener structure as registry data (issue 19): a system with no chief convener (总召集人),
its own titles (召集人 / 副召集人), who approves, who chairs, and delegation of the chair. Every
message and document follows the registry; none says 总召集人 where there is none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINI_SYSTEM, ok, refused

CHIEF_BLOCK = """conveners:
  chief: {name: 张三, post: 副县长}
  conveners:
    - {name: 李四, post: 县政府办公室副主任}
"""
assert CHIEF_BLOCK in MINI_SYSTEM

NO_CHIEF = """conveners:
  conveners:
    - {name: 王五, post: 副区长}
"""
TITLES = """conveners:
  chief: {name: 张三, post: 副县长}
  conveners:
    - {name: 李四, post: 县政府办公室副主任}
  titles: {chief: 召集人, convener: 副召集人}
"""


def _registry(make_registry, block: str, extra: str = "") -> Path:
    return make_registry({"system.yaml": MINI_SYSTEM.replace(CHIEF_BLOCK, block + extra)})


def _cycle(jz, reg: Path, *chair: str) -> tuple[str, str]:
    """A topic approved with the default approver, a joint meeting with the default (or given)
    chair and a decision; (meeting id, proposal id)."""
    said = ok(jz, reg, "proposal", "new", "--unit", "caizheng", "--title", "资金议题", "--date", "2026-09-01")
    pid = re.search(r"p-\d{8}-caizheng-[0-9a-f]+", said).group(0)
    ok(jz, reg, "proposal", "review", pid, "--pass", "--opinion", "同意提交审定", "--date", "2026-09-02")
    ok(jz, reg, "proposal", "approve", pid, "--date", "2026-09-03")
    said = ok(jz, reg, "meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--time", "09:30", *chair)
    mid = re.search(r"m-20260922-regular-[0-9a-f]+", said).group(0)
    ok(jz, reg, "decision", "add", mid, "--text", "加强资金监管", "--lead", "caizheng", "--due", "2026-12-31")
    return mid, pid


def _documents(jz, reg: Path, mid: str) -> str:
    return "\n".join((
        ok(jz, reg, "minutes", "render", mid),
        ok(jz, reg, "meeting", "notice", mid, "--date", "2026-09-15"),
        ok(jz, reg, "briefing", "render", "--from", "2026-09-01", "--to", "2026-09-30", "--date", "2026-10-08"),
        ok(jz, reg, "validate"),
    ))


def test_a_system_without_a_chief_convener(jz, make_registry):
    reg = _registry(make_registry, NO_CHIEF)
    mid, pid = _cycle(jz, reg)
    proposal = next(reg.glob("proposals/*/*.yaml")).read_text(encoding="utf-8")
    assert "action: approve" in proposal and "by: convener" in proposal
    meeting = (reg / f"meetings/2026/{mid}.yaml").read_text(encoding="utf-8")
    assert "chair: {role: convener, name: 王五}" in meeting
    docs = _documents(jz, reg, mid)
    assert "总召集人" not in docs
    assert "副区长、联席会议召集人王五" in docs  # the minutes' opening
    assert "经联席会议召集人同意" in docs and "联席会议召集人，各成员单位" in docs  # the notice
    assert "送：联席会议召集人" in docs  # the briefing


def test_asking_for_a_chief_that_does_not_exist(jz, make_registry):
    reg = _registry(make_registry, NO_CHIEF)
    assert "制度没有总召集人" in refused(jz, reg, "meeting", "new", "--kind", "regular", "--date", "2026-09-22",
                                        "--chair", "chief")
    said = ok(jz, reg, "proposal", "new", "--unit", "caizheng", "--title", "资金议题", "--date", "2026-09-01")
    pid = re.search(r"p-\d{8}-caizheng-[0-9a-f]+", said).group(0)
    ok(jz, reg, "proposal", "review", pid, "--pass", "--opinion", "同意", "--date", "2026-09-02")
    message = refused(jz, reg, "proposal", "approve", pid, "--by", "chief", "--date", "2026-09-03")
    assert "审定人只能是 convener（召集人）" in message


def test_approves_chief_without_a_chief_is_an_error(jz, make_registry):
    reg = _registry(make_registry, NO_CHIEF, "  approves: chief\n")
    result = jz(reg, "validate")
    assert result.exit_code == 1
    assert "system.yaml:" in result.output and "conveners.approves 是 chief，但制度没有总召集人" in result.output


def test_who_approves_and_who_chairs_are_data(jz, make_registry):
    reg = _registry(make_registry, CHIEF_BLOCK, "  approves: convener\n  chairs: convener\n")
    mid, _ = _cycle(jz, reg)
    assert "by: convener" in next(reg.glob("proposals/*/*.yaml")).read_text(encoding="utf-8")
    assert "chair: {role: convener, name: 李四}" in (reg / f"meetings/2026/{mid}.yaml").read_text(encoding="utf-8")
    docs = _documents(jz, reg, mid)
    assert "经联席会议召集人同意" in docs and "联席会议总召集人、召集人，各成员单位" in docs


def test_the_registry_s_own_titles(jz, make_registry):
    """召集人 and 副召集人 instead of 总召集人 and 召集人."""
    reg = _registry(make_registry, TITLES)
    mid, _ = _cycle(jz, reg)
    docs = _documents(jz, reg, mid)
    assert "总召集人" not in docs
    assert "副县长、联席会议召集人张三" in docs and "经联席会议召集人同意" in docs
    assert "联席会议召集人、副召集人，各成员单位" in docs and "送：联席会议召集人、副召集人" in docs


@pytest.mark.parametrize("delegation", [True, False])
def test_delegating_the_chair(jz, make_registry, delegation):
    """由召集人或召集人委托有关同志主持: allowed only where the registry says so."""
    reg = _registry(make_registry, NO_CHIEF, "  delegation: true\n" if delegation else "")
    if not delegation:
        message = refused(jz, reg, "meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--chair", "赵六")
        assert "“赵六”不是召集人" in message and "delegation: true" in message
        return
    mid, _ = _cycle(jz, reg, "--chair", "赵六")
    assert "chair: {role: delegate, name: 赵六}" in (reg / f"meetings/2026/{mid}.yaml").read_text(encoding="utf-8")
    docs = _documents(jz, reg, mid)
    assert "受联席会议召集人委托，赵六" in docs  # the minutes' opening
    assert "bad-chair" not in docs and "总召集人" not in docs


def test_minutes_are_copied_to_the_government_where_the_text_says_so(jz, make_registry, tmp_path):
    """“经与会单位同意后印发有关方面并抄报区政府”: the imprint says 抄报, not 报."""
    system = MINI_SYSTEM.replace("  documents:\n", "  documents:\n    minutes_report_label: 抄报\n", 1)
    assert "minutes_report_label" in system
    reg = make_registry({"system.yaml": system})
    mid, _ = _cycle(jz, reg)
    ok(jz, reg, "meeting", "attend", mid, "--rest", "--attended")
    ok(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    text = ok(jz, reg, "minutes", "render", mid)
    assert "抄报：县政府" in text and "\n报：" not in text
    ok(jz, reg, "minutes", "render", mid, "-o", str(tmp_path / "纪要.docx"))
    import docx

    imprint = [p.text for t in docx.Document(str(tmp_path / "纪要.docx")).tables
               for row in t.rows for c in row.cells for p in c.paragraphs]
    assert "抄报：县政府" in imprint  # the 版记, a table at the foot of the page


def test_minutes_without_a_number(jz, make_registry, tmp_path):
    """不刻制印章，不正式行文: minutes are issued and recorded, but carry no 文号 anywhere."""
    system = MINI_SYSTEM.replace("  documents:\n", "  documents:\n    minutes_numbered: false\n", 1)
    reg = make_registry({"system.yaml": system})
    mid, _ = _cycle(jz, reg)
    ok(jz, reg, "meeting", "attend", mid, "--rest", "--attended")
    said = ok(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    assert "〔" not in said and "不编号" in said
    record = (reg / f"meetings/2026/{mid}.yaml").read_text(encoding="utf-8")
    assert "issued: 2026-09-25" in record and "number:" not in record
    text = ok(jz, reg, "minutes", "render", mid)
    assert "〔" not in text and "征求意见稿" not in text and "纪要" in text
    ok(jz, reg, "minutes", "render", mid, "-o", str(tmp_path / "纪要.docx"))
    ok(jz, reg, "minutes", "render", mid, "-o", str(tmp_path / "纪要.html"))
    assert "〔" not in (tmp_path / "纪要.html").read_text(encoding="utf-8")
    report = ok(jz, reg, "report", "progress", "--as-of", "2026-12-31")
    assert "〔" not in report and "2026年9月22日会议纪要" in report
    assert "共 0 个错误" in ok(jz, reg, "validate")
    # a second meeting's minutes: still no number, no duplicate-number error
    said = ok(jz, reg, "meeting", "new", "--kind", "adhoc", "--date", "2026-10-20")
    second = re.search(r"m-20261020-adhoc-[0-9a-f]+", said).group(0)
    ok(jz, reg, "decision", "add", second, "--text", "开展专项检查", "--lead", "caizheng", "--due", "2026-12-31")
    ok(jz, reg, "meeting", "attend", second, "--rest", "--attended")
    ok(jz, reg, "minutes", "issue", second, "--date", "2026-10-22")
    assert "共 0 个错误" in ok(jz, reg, "validate")


def test_the_system_s_own_names_for_its_meetings(jz, make_registry, tmp_path):
    """A district's 全体会议 and 专题协调会: titles, lists, calendars and `--kind` use them."""
    names = "    meeting_names: {regular: 全体会议, adhoc: 专题协调会}\n"
    system = MINI_SYSTEM.replace("  documents:\n", "  documents:\n" + names, 1)
    reg = make_registry({"system.yaml": system})
    said = ok(jz, reg, "meeting", "new", "--kind", "专题协调会", "--date", "2026-10-20")
    assert "测试县社会救助工作联席会议2026年专题协调会" in said
    mid = re.search(r"m-20261020-adhoc-[0-9a-f]+", said).group(0)
    ok(jz, reg, "meeting", "new", "--kind", "例会", "--date", "2026-11-20")  # the usual name still works
    listed = ok(jz, reg, "meeting", "list")
    assert "专题协调会" in listed and "全体会议" in listed
    ok(jz, reg, "calendar", "export", "-o", str(tmp_path / "会议.ics"))
    assert "专题协调会" in (tmp_path / "会议.ics").read_bytes().decode("utf-8")
    message = refused(jz, reg, "meeting", "new", "--kind", "座谈会", "--date", "2026-10-21")
    assert "全体会议（regular）、专题协调会（adhoc）" in message
    assert mid in ok(jz, reg, "meeting", "show", mid)
