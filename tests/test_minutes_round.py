"""The steps before minutes are issued (issue 19): "经与会单位同意后印发" as a consent round — the
draft goes to the attending units, each agrees or comments, and only then is it issued — and a
convener's sign-off, both set by the registry (`parameters.minutes_workflow`), recorded in the
meeting file and shown by `meeting show`."""

from __future__ import annotations

import re

import pytest
from conftest import MINI_SYSTEM, mini_unit, ok, refused, tree_hash

TEXT = "联席会议以会议纪要形式明确会议议定事项，经与会单位同意后印发有关方面。"
RULE = f"  - {{id: rule-2, ref: 工作规则三, text: {TEXT}}}\n"


def _system(steps: str, extra: str = "") -> str:
    s = MINI_SYSTEM.replace("rules:\n  - {id: rule-1, text: 联席会议原则上每年召开一次例会。}\n",
                            "rules:\n  - {id: rule-1, text: 联席会议原则上每年召开一次例会。}\n" + RULE)
    s = s.replace("  due_soon_workdays: 5\n", f"  due_soon_workdays: 5\n  minutes_workflow:\n    steps: [{steps}]\n"
                  f"{extra}  basis:\n    minutes_workflow: rule-2\n")
    assert "minutes_workflow" in s and "rule-2" in s
    return s


def _held(jz, reg):
    """A regular meeting with attendance and two decisions, ready for its minutes."""
    mid = re.search(r"m-20260922-regular-[0-9a-f]+",
                    ok(jz, reg, "meeting", "new", "--kind", "regular", "--date", "2026-09-22")).group(0)
    ok(jz, reg, "meeting", "attend", mid, "--unit", "minzheng", "--unit", "caizheng", "--attended")
    ok(jz, reg, "decision", "add", mid, "--text", "研究提出低保标准调整方案", "--lead", "minzheng",
       "--responsible", "caizheng", "--due", "2026-12-31")
    return mid


TONGJI = {"units/tongji.yaml": mini_unit("tongji", "县统计局", 3, """
        - id: tongji-1
          text: 负责提供社会救助有关统计数据。
          areas: [dibao]
          role: support
        """)}


@pytest.fixture
def consent(jz, make_registry):
    reg = make_registry({"system.yaml": _system("consent"), **TONGJI})
    return reg, _held(jz, reg)


def test_the_round_is_needed_before_issue(jz, consent):
    reg, mid = consent
    before = tree_hash(reg)
    out = refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    assert f"还没有征求与会单位意见（工作规则三：{TEXT}）" in out
    assert f"jiuzhu minutes circulate {mid}" in out
    assert tree_hash(reg) == before


def test_the_whole_round_then_issue(jz, consent):
    reg, mid = consent
    said = ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-23")
    assert "送 2 个单位征求意见：县民政局、县财政局" in said
    out = refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    assert "还有 2 个与会单位没有答复" in out
    said = ok(jz, reg, "minutes", "reply", mid, "--unit", "caizheng", "--comment", "时限请延至明年一月",
              "--date", "2026-09-24")
    assert "有意见：时限请延至明年一月" in said and "尚未答复" in said
    out = refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    assert "对纪要稿有意见" in out and "时限请延至明年一月" in out
    shown = ok(jz, reg, "meeting", "show", mid)
    assert "纪要印发前：征求与会单位意见" in shown and "2026-09-23 送与会单位征求意见" in shown
    assert "有意见：" in shown and "尚未答复：" in shown
    ok(jz, reg, "minutes", "reply", mid, "--unit", "caizheng", "--agree", "--date", "2026-09-25")
    said = ok(jz, reg, "minutes", "reply", mid, "--unit", "民政局", "--agree", "--date", "2026-09-25")
    assert "与会单位均已同意，可以印发" in said
    ok(jz, reg, "minutes", "issue", mid, "--date", "2026-09-26")
    text = (reg / "meetings" / "2026" / f"{mid}.yaml").read_text(encoding="utf-8")
    assert "circulated: 2026-09-23" in text and "result: 有意见" in text and "comment: 时限请延至明年一月" in text
    assert "共 0 个错误" in ok(jz, reg, "validate")


def test_a_decision_changed_after_circulation_needs_a_new_round(jz, consent):
    reg, mid = consent
    ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-23")
    for unit in ("minzheng", "caizheng"):
        ok(jz, reg, "minutes", "reply", mid, "--unit", unit, "--agree", "--date", "2026-09-24")
    ok(jz, reg, "decision", "add", mid, "--text", "落实社会救助资金预算", "--lead", "caizheng", "--due", "2026-12-31")
    out = refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    assert "征求意见后有改动" in out and "再次送出" in out
    assert "须重新送出" in ok(jz, reg, "meeting", "show", mid)
    ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-25")
    assert "还有 2 个与会单位没有答复" in refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")


@pytest.mark.parametrize(("args", "message"), [
    (("--unit", "caizheng", "--agree", "--comment", "x"), "--agree 和 --comment 须写且只写一个"),
    (("--unit", "caizheng"), "--agree 和 --comment 须写且只写一个"),
    (("--unit", "tongji", "--agree"), "不在本次征求意见的范围内"),
    (("--unit", "caizheng", "--agree", "--date", "2026-09-22"), "早于送出日期"),
])
def test_wrong_replies_are_refused_and_write_nothing(jz, consent, args, message):
    reg, mid = consent
    ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-23")
    before = tree_hash(reg)
    assert message in refused(jz, reg, "minutes", "reply", mid, *args)
    assert tree_hash(reg) == before


def test_a_reply_before_circulation_is_refused(jz, consent):
    reg, mid = consent
    assert f"先用 jiuzhu minutes circulate {mid}" in refused(jz, reg, "minutes", "reply", mid, "--unit", "caizheng",
                                                              "--agree")


def test_without_the_step_the_commands_say_so_and_issue_is_direct(jz, make_registry):
    reg = make_registry()
    mid = _held(jz, reg)
    out = refused(jz, reg, "minutes", "circulate", mid)
    assert "没有“征求与会单位意见”这一步" in out and f"jiuzhu minutes issue {mid}" in out
    ok(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")


def test_the_sign_off_after_consent(jz, make_registry):
    reg = make_registry({"system.yaml": _system("consent, sign", "    sign_by: chief\n")})
    mid = _held(jz, reg)
    assert "还没有征求与会单位意见" in refused(jz, reg, "minutes", "sign", mid)
    ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-23")
    for unit in ("minzheng", "caizheng"):
        ok(jz, reg, "minutes", "reply", mid, "--unit", unit, "--agree", "--date", "2026-09-24")
    out = refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    assert "还没有签发" in out and "总召集人签发" in out
    assert "由联席会议总召集人签发" in ok(jz, reg, "minutes", "sign", mid, "--date", "2026-09-25")
    assert "签发：2026-09-25（总召集人）" in ok(jz, reg, "meeting", "show", mid)
    ok(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")


def test_consent_of_every_expected_unit(jz, make_registry):
    reg = make_registry({"system.yaml": _system("consent", "    consent_of: expected\n"), **TONGJI})
    mid = _held(jz, reg)
    said = ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-23")
    assert "送 3 个单位征求意见" in said and "县统计局" in said  # expected, not only the two that attended
    ok(jz, reg, "meeting", "attend", mid, "--unit", "tongji", "--excused")


def test_validate_catches_minutes_issued_by_hand_without_the_round(jz, consent):
    reg, mid = consent
    path = reg / "meetings" / "2026" / f"{mid}.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "minutes: {year: 2026, number: 1, issued: 2026-09-25, reported_to: 县政府}\n", encoding="utf-8")
    out = ok(jz, reg, "validate")
    assert "会议纪要已登记印发，但会议" in out and "还没有征求与会单位意见" in out


def test_a_signer_the_system_does_not_have_is_an_error(jz, make_registry):
    system = _system("sign", "    sign_by: chief\n").replace("  chief: {name: 张三, post: 副县长}\n", "")
    reg = make_registry({"system.yaml": system})
    out = jz(reg, "validate").output
    assert "签发人 chief：本制度没有这一职务" in out


def test_a_major_issue_is_referred_to_the_government_where_the_rules_say_so(jz, make_registry):
    """重大问题需经联席会议讨论后，由联席会议牵头单位报国务院决定: `decision add --refer`."""
    plain = make_registry()
    mid = _held(jz, plain)
    out = refused(jz, plain, "decision", "add", mid, "--text", "调整全国低保标准指导意见", "--lead", "minzheng",
                  "--due", "2026-12-31", "--refer")
    assert "没有“重大问题报请决定”的规定" in out and "parameters.major_issues_to" in out


def test_the_referral_is_written_and_rendered(jz, tmp_path):
    from conftest import MINI_FILES, build_tree

    system = _system("consent").replace("  due_soon_workdays: 5\n",
                                        "  due_soon_workdays: 5\n  major_issues_to: 国务院\n")
    reg = build_tree(tmp_path / "r", {**MINI_FILES, "system.yaml": system})
    mid = _held(jz, reg)
    said = ok(jz, reg, "decision", "add", mid, "--text", "研究完善社会救助资金保障机制", "--lead", "minzheng",
              "--due", "2026-12-31", "--refer")
    assert "重大问题，由县民政局报国务院决定" in said
    text = ok(jz, reg, "minutes", "render", mid)
    assert "研究完善社会救助资金保障机制" in text and "（由县民政局报国务院决定；牵头单位：县民政局" in text
    assert text.count("报国务院决定") == 1
    assert "共 0 个错误" in ok(jz, reg, "validate")
    (reg / "system.yaml").write_text(system.replace("  major_issues_to: 国务院\n", ""), encoding="utf-8")
    assert "议定事项标为报请决定（refer），但本制度没有这一规定" in jz(reg, "validate").output


def test_members_are_named_as_persons(jz, make_registry):
    """联席会议成员: a unit's member (name and post) is shown, and represents the unit at a meeting
    it attends unless another name is given."""
    unit = mini_unit("caizheng", "县财政局", 2, """
        - id: caizheng-1
          text: 负责将社会救助资金列入预算安排。
          areas: [zijin]
          role: lead
        """) + "member: {name: 赵六, post: 副局长}\n"
    reg = make_registry({"units/caizheng.yaml": unit})
    assert "联席会议成员：赵六（副局长）" in ok(jz, reg, "units", "show", "caizheng")
    mid = _held(jz, reg)
    assert "县财政局（赵六）" in ok(jz, reg, "meeting", "show", mid)
    assert "共 0 个错误" in ok(jz, reg, "validate")


def test_a_step_written_twice_is_an_error(jz, make_registry):
    reg = make_registry({"system.yaml": _system("consent, consent")})
    assert "纪要印发前的步骤重复：consent、consent" in jz(reg, "validate").output


def test_a_reply_from_a_unit_not_in_the_registry_is_an_error(jz, consent):
    reg, mid = consent
    ok(jz, reg, "minutes", "circulate", mid, "--date", "2026-09-23")
    ok(jz, reg, "minutes", "reply", mid, "--unit", "caizheng", "--agree", "--date", "2026-09-24")
    path = reg / "meetings" / "2026" / f"{mid}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: caizheng, date", "unit: caizhen, date"),
                    encoding="utf-8")
    out = jz(reg, "validate").output
    assert "答复单位“caizhen”不存在" in out and "caizheng" in out


def test_a_decision_changed_after_the_sign_off_needs_a_new_one(jz, make_registry):
    reg = make_registry({"system.yaml": _system("sign")})
    mid = _held(jz, reg)
    ok(jz, reg, "minutes", "sign", mid, "--date", "2026-09-23")
    said = jz(reg, "decision", "add", mid, "--text", "落实社会救助资金预算", "--lead", "caizheng",
              "--due", "2026-12-31")
    assert said.exit_code == 0 and "须重新送出" in said.output and "重新签发" in said.output
    out = refused(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
    assert "在 2026-09-23 签发后议定事项有改动，须重新签发" in out
    ok(jz, reg, "minutes", "sign", mid, "--date", "2026-09-24")
    ok(jz, reg, "minutes", "issue", mid, "--date", "2026-09-25")
