"""督办 as a record (issue 16 §2): the 督办通知单 of a unit and of every unit with overdue tasks,
recording it, replies through `tasks update --reply-to`, `supervise list`, the level counting the
notices sent, another county's ladder by YAML alone, and the checks."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ok, refused, tree_hash
from docs_registry import DOCS_FILES, MEETING_ID
from docx import Document
from supervision_registry import INSPECTION, NOTICE, SUPERVISION_FILES

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("JIUZHU_UPDATE_GOLDEN") == "1"
TASK2 = f"{MEETING_ID}-2"  # caizheng's, due 2026-12-10


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The notices below are sent in December 2026: today is the end of that year."""
    monkeypatch.setenv("JIUZHU_TODAY", "2026-12-31")



def _ladder(reg: Path, ladder: str) -> None:
    path = reg / "system.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  escalation:")
    end = text.index("  documents:")
    path.write_text(text[:start] + ladder + text[end:], encoding="utf-8")


def test_a_preview_writes_nothing_and_names_the_tasks(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    before = tree_hash(reg)
    out = ok(jz, reg, "supervise", "notice", "--unit", "县财政局", "--date", "2026-12-14")
    assert tree_hash(reg) == before
    assert "# 督办通知单" in out and "（预览，未登记）" in out and "县财政局：" in out
    assert "会议要求县财政局足额安排2027年社会救助资金预算" in out and "已逾期2个工作日" in out
    assert "来源：纪要〔2026〕3号" in out


def test_record_reply_and_list(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    out = ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-14", "--record")
    ident = re.search(r"编号：(dn-20261214-caizheng-[0-9a-f]{4})", out)[1]
    text = (reg / f"notices/2026/{ident}.yaml").read_text(encoding="utf-8")
    assert "level: 督办" in text and f"tasks: [{TASK2}]" in text
    assert "reply_due: 2026-12-21" in text  # 5 working days (the ladder has no reply_workdays: the default)
    rows = json.loads(ok(jz, reg, "supervise", "list", "--as-of", "2026-12-15", "--format", "json"))
    assert [(r["id"], r["status"], r["replied"]) for r in rows] == [(ident, "待回复", [])]
    late = json.loads(ok(jz, reg, "supervise", "list", "--as-of", "2026-12-23", "--format", "json"))
    assert (late[0]["status"], late[0]["days_late"]) == ("逾期未回复", 2)
    assert "逾期未回复" in ok(jz, reg, "supervise", "list", "--as-of", "2026-12-23")
    # the reply closes it
    assert "没有督办通知单" in refused(jz, reg, "tasks", "update", TASK2, "--by", "caizheng", "--note", "已起草。",
                                 "--reply-to", "dn-x", "--date", "2026-12-16", "--as-of", "2026-12-16")
    assert "没有督办任务" in refused(jz, reg, "tasks", "update", f"{MEETING_ID}-1", "--by", "minzheng", "--note", "x",
                               "--reply-to", ident, "--date", "2026-12-16", "--as-of", "2026-12-16")
    assert "早于通知单发出的日期" in refused(jz, reg, "tasks", "update", TASK2, "--by", "caizheng", "--note", "x",
                                   "--reply-to", ident, "--date", "2026-12-13", "--as-of", "2026-12-16")
    out = ok(jz, reg, "tasks", "update", TASK2, "--by", "caizheng", "--percent", "80", "--note", "办法已起草。",
             "--reply-to", ident, "--date", "2026-12-16", "--as-of", "2026-12-16")
    assert f"已回复督办通知单 {ident}" in out
    assert f"reply_to: {ident}" in (reg / f"tasks/2026/{TASK2}.yaml").read_text(encoding="utf-8")
    assert json.loads(ok(jz, reg, "supervise", "list", "--as-of", "2026-12-23", "--format", "json")) == []
    done = json.loads(ok(jz, reg, "supervise", "list", "--all", "--as-of", "2026-12-23", "--format", "json"))
    assert done[0]["status"] == "已回复"
    assert jz(reg, "validate").exit_code == 0


def test_the_level_counts_notices_sent_after_the_deadline(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    _ladder(reg, """  escalation:
    - {level: 催办, from_workdays: -3}
    - {level: 督办, from_workdays: 1, reply_workdays: 3}
    - {level: 通报, from_workdays: 10, after_notices: 1}
    - {level: 约谈, from_workdays: 20, after_notices: 2, title: 约谈通知单}
""")

    def level(day: str) -> str:
        rows = json.loads(ok(jz, reg, "tasks", "list", "--as-of", day, "--format", "json"))
        return next(r["level"] for r in rows if r["id"] == TASK2)

    assert level("2026-12-14") == "督办"
    ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-07", "--record")  # before due
    assert level("2026-12-14") == "督办"  # a reminder before the deadline does not count
    out = ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-14", "--record")
    assert "reply_due: 2026-12-17" in next((reg / "notices/2026").glob("dn-20261214-*.yaml")).read_text(
        encoding="utf-8")  # the rung's 3 working days
    assert "（第2次）" in out
    assert level("2026-12-15") == "通报"  # one unheeded notice: next rung, though only 3 working days late
    ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-16", "--record")
    assert level("2026-12-16") == "约谈"
    out = ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-17")
    assert "# 约谈通知单" in out and "现予约谈（第4次）" in out


def test_another_countys_ladder_is_yaml_only(jz, make_registry):
    reg = make_registry(DOCS_FILES)
    _ladder(reg, """  escalation:
    - {level: 蓝色提醒, from_workdays: -5, title: 工作提醒单}
    - {level: 黄色预警, from_workdays: 1, reply_workdays: 2, title: 预警通知单}
    - {level: 红色通报, from_workdays: 5, after_notices: 1, title: 督查通报}
""")
    out = ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-14")
    assert "# 预警通知单" in out and "现予黄色预警" in out and "将予以红色通报" in out
    assert "回复时限：2026年12月16日" in out
    assert "督办" not in out.replace("联席会议办公室", "")
    assert "不在升级阶梯中" in refused(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-14",
                                "--level", "督办", "--record")
    ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-14", "--level", "红色通报")


def test_all_units_in_one_go(jz, make_registry):
    reg = make_registry(SUPERVISION_FILES)
    folder = reg.parent / "督办"
    out = ok(jz, reg, "supervise", "notice", "--all", "--date", "2026-12-24", "--record", "-o", str(folder),
             "--format", "docx")
    assert "已生成 2 份督办通知单" in out and "（已登记）" in out
    made = sorted(p.name for p in folder.iterdir())
    assert made == ["督办通知单-县民政局.docx", "督办通知单-县财政局.docx"]
    text = "\n".join(p.text for p in Document(str(folder / "督办通知单-县财政局.docx")).paragraphs)
    assert "县财政局：" in text and "临时救助资金拨付不及时" in text and "编号：dn-20261224-caizheng-" in text
    assert len(list((reg / "notices/2026").iterdir())) == 3
    assert jz(reg, "validate").exit_code == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--all"], "-o 指定一个输出目录"),
    (["--unit", "caizheng", "--all", "-o", "x"], "只用一个"),
    ([], "只用一个"),
    (["--unit", "weiji"], "没有逾期或即将到期的任务"),
    (["--unit", "县公安局"], "没有成员单位"),
    (["--unit", "caizheng", "--level", "严重警告"], "不在升级阶梯中"),
    (["--unit", "caizheng", "--record", "--date", "2027-01-04"], "晚于今天，不能登记为已发出"),
])
def test_notice_refusals(jz, make_registry, args, message):
    reg = make_registry(DOCS_FILES)
    assert message in refused(jz, reg, "supervise", "notice", "--date", "2026-12-14", *args)


@pytest.mark.parametrize(("path", "edit", "code"), [
    (f"notices/2026/{NOTICE}.yaml", ("level: 督办", "level: 严重警告"), "unresolved-ref"),
    (f"notices/2026/{NOTICE}.yaml", (f"{INSPECTION}-1]", "nothing-1]"), "unresolved-ref"),
    (f"notices/2026/{NOTICE}.yaml", ("reply_due: 2026-12-23", "reply_due: 2026-12-01"), "reply-before-notice"),
    (f"tasks/2026/{TASK2}.yaml", (f"reply_to: {NOTICE}", "reply_to: dn-unknown"), "unresolved-ref"),
    (f"notices/2026/{NOTICE}.yaml", (f"tasks: [{TASK2}, ", "tasks: ["), "reply-wrong-notice"),
])
def test_validate_points_at_notice_problems(jz, make_registry, path, edit, code):
    reg = make_registry(SUPERVISION_FILES)
    text = (reg / path).read_text(encoding="utf-8")
    assert edit[0] in text
    (reg / path).write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    result = jz(reg, "validate")
    assert result.exit_code == 1
    assert re.search(rf"(notices|tasks)/2026/[\w-]+\.yaml:\d+:\d+: {code} 错误", result.output), result.output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_notice(jz, make_registry, fmt):
    reg = make_registry(SUPERVISION_FILES)
    out = reg.parent / f"notice.{fmt}"
    ok(jz, reg, "supervise", "notice", "--unit", "caizheng", "--date", "2026-12-24", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    golden = GOLDEN / f"supervision.{fmt}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} 与输出不同；确认改动后运行 make golden"
