"""The rules of procedure (seed 四、1-5) as `jiuzhu validate` checks them: each rule passes and fails."""

from __future__ import annotations

import pytest
from conftest import MINI_SYSTEM
from cycle_helpers import APPROVED_HISTORY, meeting_file, problems, proposal_file


def found(root, code, as_of="2026-12-31"):
    return [p for p in problems(root, as_of) if p.code == code]


def _founded(year: int) -> dict[str, str]:
    return {"system.yaml": MINI_SYSTEM.replace("date: 2016-07-27", f"date: {year}-03-01")}


# --- 四、1: a regular meeting at least once a year ---------------------------------------------------


def test_a_regular_meeting_every_year_passes(make_registry):
    root = make_registry(
        {
            **_founded(2025),
            **meeting_file("m-1", "regular", "2025-05-01"),
            **meeting_file("m-2", "regular", "2026-05-01"),
        }
    )
    assert found(root, "no-regular-meeting") == []


def test_missing_years_are_named_in_one_warning(make_registry):
    root = make_registry(
        {
            **_founded(2024),
            **meeting_file("m-1", "regular", "2025-05-01"),
            **meeting_file("m-2", "liaison", "2026-05-01", "chair: {role: office}\n"),
        }
    )
    [w] = found(root, "no-regular-meeting")
    assert w.severity == "warning"
    assert w.message == "2024、2026 年没有例会记录"  # no basis in the registry: no founding text is cited
    assert w.pos.file == "system.yaml"
    assert (
        "regular_meetings_per_year" in (root / "system.yaml").read_text(encoding="utf-8").splitlines()[w.pos.line - 1]
    )


def test_the_current_year_is_judged_only_once_it_is_over(make_registry):
    root = make_registry({**_founded(2025), **meeting_file("m-1", "regular", "2025-05-01")})
    assert found(root, "no-regular-meeting", "2026-06-30") == []
    assert [w.message[:4] for w in found(root, "no-regular-meeting", "2026-12-31")] == ["2026"]


def test_a_meeting_after_the_as_of_date_does_not_count(make_registry):
    root = make_registry({**_founded(2025), **meeting_file("m-1", "regular", "2025-12-30")})
    assert [w.message[:4] for w in found(root, "no-regular-meeting", "2025-12-31")] == []
    assert [w.message[:4] for w in found(root, "no-regular-meeting", "2025-12-29")] == []  # 2025 not over yet
    root2 = make_registry({**_founded(2024), **meeting_file("m-1", "regular", "2025-12-30")})
    assert [w.message[:4] for w in found(root2, "no-regular-meeting", "2025-12-31")] == ["2024"]


# --- 四、2: a liaison meeting discusses the topics first; review and approval before the meeting ------


def test_topics_discussed_by_an_earlier_liaison_meeting_pass(make_registry):
    root = make_registry(
        {
            **proposal_file("p-1", APPROVED_HISTORY),
            **meeting_file("m-l", "liaison", "2026-09-15", "chair: {role: office}\nagenda: [p-1]\n"),
            **meeting_file("m-r", "regular", "2026-09-22", "agenda: [p-1]\n"),
        }
    )
    assert found(root, "no-liaison-meeting") == found(root, "not-discussed") == []
    assert found(root, "agenda-not-approved") == []


def test_joint_meeting_without_a_liaison_meeting_warns(make_registry):
    root = make_registry(meeting_file("m-r", "regular", "2026-09-22"))
    [w] = found(root, "no-liaison-meeting")
    assert (w.severity, w.message, w.pos.file, w.pos.line) == ("warning", "联席会议召开前没有召开联络员会议",
                                                               "meetings/2026/m-r.yaml", 3)


def test_topic_not_on_the_liaison_agenda_warns(make_registry):
    root = make_registry(
        {
            **proposal_file("p-1", APPROVED_HISTORY),
            **meeting_file("m-l", "liaison", "2026-09-15", "chair: {role: office}\nagenda: []\n"),
            **meeting_file("m-r", "regular", "2026-09-22", "agenda: [p-1]\n"),
        }
    )
    [w] = found(root, "not-discussed")
    assert w.message == "议题“p-1”未经会前的联络员会议研究" and w.pos.line == 6


def test_a_liaison_meeting_before_the_previous_joint_meeting_does_not_count(make_registry):
    root = make_registry(
        {
            **proposal_file("p-1", APPROVED_HISTORY),
            **meeting_file("m-l", "liaison", "2026-03-01", "chair: {role: office}\nagenda: [p-1]\n"),
            **meeting_file("m-a", "adhoc", "2026-04-01"),
            **meeting_file("m-r", "regular", "2026-09-22", "agenda: [p-1]\n"),
        }
    )
    assert [w.pos.file for w in found(root, "no-liaison-meeting")] == ["meetings/2026/m-r.yaml"]


def test_liaison_rule_off_in_parameters(make_registry):
    system = MINI_SYSTEM.replace("liaison_meeting_before_joint: true", "liaison_meeting_before_joint: false")
    root = make_registry({"system.yaml": system, **meeting_file("m-r", "regular", "2026-09-22")})
    assert found(root, "no-liaison-meeting") == []


@pytest.mark.parametrize(
    ("history", "missing"),
    [
        (
            """
       - {action: submit, to: 待初审, date: 2026-09-01, by: minzheng}
       - {action: review_pass, to: 已通过初审, date: 2026-09-02, by: office}
       - {action: approve, to: 已审定, date: 2026-09-30, by: chief}
     """,
            "总召集人或召集人审定",
        ),
        (
            """
       - {action: submit, to: 待初审, date: 2026-09-01, by: minzheng}
       - {action: review_pass, to: 已通过初审, date: 2026-09-02, by: office}
     """,
            "总召集人或召集人审定",
        ),
        (
            """
       - {action: submit, to: 待初审, date: 2026-09-01, by: minzheng}
     """,
            "办公室初审",
        ),
    ],
)
def test_agenda_item_not_reviewed_and_approved_before_the_meeting_is_an_error(make_registry, history, missing):
    root = make_registry(
        {**proposal_file("p-1", history), **meeting_file("m-r", "regular", "2026-09-22", "agenda: [p-1]\n")}
    )
    [e] = found(root, "agenda-not-approved")
    assert e.is_error and e.message == f"议题“p-1”在会议日期 2026-09-22 前未经{missing}"
    assert (e.pos.file, e.pos.line) == ("meetings/2026/m-r.yaml", 6)


def test_agenda_refers_to_existing_proposals(make_registry):
    root = make_registry(
        {**proposal_file("p-1", APPROVED_HISTORY), **meeting_file("m-r", "regular", "2026-09-22", "agenda: [p-2]\n")}
    )
    [e] = [p for p in found(root, "unresolved-ref") if "议题" in p.message]
    assert (e.message, e.hint) == ("议题“p-2”不存在", "你是不是想写“p-1”？")


# --- 四、1: the chair; member units ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "chair", "bad"),
    [
        ("regular", "{role: chief}", False),
        ("adhoc", "{role: convener, name: 李四}", False),
        ("liaison", "{role: office, name: 王五}", False),
        ("regular", "{role: office, name: 王五}", True),
        ("adhoc", "{}", True),
    ],
)
def test_a_joint_meeting_is_chaired_by_the_chief_convener_or_a_convener(make_registry, kind, chair, bad):
    root = make_registry(meeting_file("m-1", kind, "2026-09-22", f"chair: {chair}\n"))
    errors = found(root, "bad-chair")
    assert [e.message for e in errors] == (["联席会议应由总召集人或其委托的召集人主持"] if bad else [])


def test_expected_and_attendees_are_member_units(make_registry):
    ok = make_registry(
        meeting_file(
            "m-1",
            "regular",
            "2026-09-22",
            """
        attendance:
          attended: [{unit: minzheng}]
          observers: [{org: 县人大}]
        """,
        )
    )
    assert [p for p in found(ok, "unresolved-ref")] == []


def test_unknown_attendee_is_an_error_with_the_nearest_unit(make_registry):
    root = make_registry(
        meeting_file(
            "m-1",
            "regular",
            "2026-09-22",
            """
        attendance:
          attended: [{unit: minzhen}]
        """,
        )
    )
    [e] = found(root, "unresolved-ref")
    assert (e.message, e.hint, e.pos.line) == ("成员单位“minzhen”不存在", "你是不是想写“minzheng”？", 7)


def test_unknown_expected_unit_is_an_error(make_registry):
    files = meeting_file("m-1", "regular", "2026-09-22")
    files = {k: v.replace("expected: [minzheng, caizheng]", "expected: [minzheng, caizhen]") for k, v in files.items()}
    [e] = found(make_registry(files), "unresolved-ref")
    assert (e.message, e.hint) == ("成员单位“caizhen”不存在", "你是不是想写“caizheng”？")
    assert (e.pos.line, e.pos.column) == (5, 22)


# --- 四、3/5: decisions ---------------------------------------------------------------------------------


def _decision(body: str, kind: str = "regular") -> dict[str, str]:
    chair = "chair: {role: office}\n" if kind == "liaison" else ""
    return meeting_file("m-1", kind, "2026-09-22", chair + "decisions:\n  - id: m-1-1\n    text: 事项\n" + body)


def test_a_sound_decision_passes(make_registry):
    root = make_registry(_decision("    lead: minzheng\n    responsible: [caizheng]\n    due: 2026-12-31\n"))
    assert [p for p in problems(root) if p.is_error] == []


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ("    lead: minzheng\n    responsible: [caizheng, minzheng]\n    due: 2026-12-31\n", "lead-also-responsible",
         "牵头单位“minzheng”同时列为责任单位"),
        ("    lead: minzhen\n    due: 2026-12-31\n", "unresolved-ref", "牵头单位“minzhen”不存在"),
        ("    lead: minzheng\n    responsible: [caizhen]\n    due: 2026-12-31\n", "unresolved-ref",
         "责任单位“caizhen”不存在"),
        ("    lead: minzheng\n    due: 2026-09-21\n", "due-before-meeting",
         "完成时限 2026-09-21 早于会议日期 2026-09-22"),
        ("    lead: minzheng\n", "no-deadline", "议定事项“m-1-1”没有完成时限"),
        ("    lead: minzheng\n    due: 2026-12-31\n    proposal: p-9\n", "unresolved-ref", "来源议题“p-9”不存在"),
        ("    lead: minzheng\n    areas: [dibo]\n    due: 2026-12-31\n", "unresolved-ref", "领域“dibo”不存在"),
    ],
)
def test_decision_rules_fail(make_registry, body, code, message):
    root = make_registry(_decision(body))
    assert message in [e.message for e in found(root, code) if e.is_error]


def test_exactly_one_lead_a_list_is_refused(make_registry):
    root = make_registry(_decision("    lead: [minzheng, caizheng]\n    due: 2026-12-31\n"))
    assert [p.code for p in problems(root) if p.is_error and p.pos.file == "meetings/2026/m-1.yaml"] == ["wrong-type"]


def test_a_liaison_meeting_makes_no_decisions(make_registry):
    root = make_registry(_decision("    lead: minzheng\n    due: 2026-12-31\n", "liaison"))
    assert [e.message for e in found(root, "liaison-decision")] == ["联络员会议不作议定事项"]


# --- 四、3: issued minutes ------------------------------------------------------------------------------


def _issued(mid: str, date: str, minutes: str, kind: str = "regular") -> dict[str, str]:
    chair = "chair: {role: office}\n" if kind == "liaison" else ""
    return meeting_file(mid, kind, date, chair + f"minutes: {minutes}\n")


def test_issued_minutes_pass(make_registry):
    root = make_registry(
        {
            **_issued("m-1", "2026-03-01", "{year: 2026, number: 1, issued: 2026-03-05, reported_to: 县政府}"),
            **_issued("m-2", "2026-09-22", "{year: 2026, number: 2, issued: 2026-09-25, reported_to: 县政府}"),
        }
    )
    assert [p for p in problems(root) if p.is_error] == []


@pytest.mark.parametrize(
    ("minutes", "code", "message"),
    [
        ("{year: 2026, number: 1, issued: 2026-09-20, reported_to: 县政府}", "minutes-date",
         "纪要印发日期 2026-09-20 早于会议日期 2026-09-22"),
        ("{year: 2025, number: 1, issued: 2026-09-25, reported_to: 县政府}", "minutes-year",
         "纪要年份 2025 与印发日期 2026-09-25 不符"),
        ("{year: 2026, number: 1, issued: 2026-09-25, reported_to: ''}", "empty-text", "“minutes.reported_to”是空的"),
        ("{year: 2026, issued: 2026-09-25, reported_to: 县政府}", "missing-field", "缺少必填字段“number”（纪要印发）"),
        ("{year: 2026, number: 1, reported_to: 县政府}", "missing-field", "缺少必填字段“issued”（纪要印发）"),
        ("{year: 2026, number: 1, issued: 2026-09-25}", "missing-field", "缺少必填字段“reported_to”（纪要印发）"),
    ],
)
def test_issued_minutes_fail(make_registry, minutes, code, message):
    root = make_registry(_issued("m-1", "2026-09-22", minutes))
    assert message in [e.message for e in found(root, code) if e.is_error]


def test_duplicate_minutes_numbers_from_two_branches(make_registry):
    root = make_registry(
        {
            **_issued("m-1", "2026-03-01", "{year: 2026, number: 1, issued: 2026-03-05, reported_to: 县政府}"),
            **_issued("m-2", "2026-09-22", "{year: 2026, number: 1, issued: 2026-09-25, reported_to: 县政府}"),
        }
    )
    [e] = found(root, "duplicate-minutes-number")
    assert e.message == "纪要编号〔2026〕1号与会议“m-1”重复" and e.pos.file == "meetings/2026/m-2.yaml"


def test_liaison_meetings_issue_no_numbered_minutes(make_registry):
    root = make_registry(
        _issued("m-1", "2026-09-22", "{year: 2026, number: 1, issued: 2026-09-25, reported_to: 县政府}", "liaison")
    )
    assert [e.message for e in found(root, "liaison-minutes")] == ["联络员会议不印发编号的会议纪要"]


# --- proposals: history follows the workflow; unit exists; ids match files -------------------------


def test_a_sound_history_passes(make_registry):
    root = make_registry(proposal_file("p-1", APPROVED_HISTORY))
    assert [p for p in problems(root) if p.pos.file.startswith("proposals/")] == []


@pytest.mark.parametrize(
    ("history", "message"),
    [
        (
            """
       - {action: submit, to: 待初审, date: 2026-09-01, by: minzheng}
       - {action: approve, to: 已审定, date: 2026-09-03, by: chief}
     """,
            "议题在“待初审”状态下不能审定（议事规则不允许这一步）",
        ),
        (
            """
       - {action: review_pass, to: 已通过初审, date: 2026-09-01, by: office}
     """,
            "流转记录的第一步应为提交（submit），到达“待初审”",
        ),
        (
            """
       - {action: submit, to: 待初审, date: 2026-09-01, by: minzheng}
       - {action: review_pass, to: 已审定, date: 2026-09-02, by: office}
     """,
            "初审通过应到达“已通过初审”，这里写的是“已审定”",
        ),
    ],
)
def test_history_off_the_workflow_is_an_error(make_registry, history, message):
    root = make_registry(proposal_file("p-1", history))
    assert message in [e.message for e in found(root, "bad-transition")]


def test_history_dates_go_forward(make_registry):
    root = make_registry(
        proposal_file(
            "p-1",
            """
        - {action: submit, to: 待初审, date: 2026-09-05, by: minzheng}
        - {action: review_pass, to: 已通过初审, date: 2026-09-02, by: office}
      """,
        )
    )
    [e] = found(root, "date-order")
    assert e.message == "这一步的日期 2026-09-02 早于上一步的 2026-09-05" and e.pos.line == 6


def test_proposal_unit_must_exist(make_registry):
    root = make_registry(proposal_file("p-1", APPROVED_HISTORY, unit="minzhen"))
    [e] = found(root, "unresolved-ref")
    assert (e.message, e.hint) == ("提出单位“minzhen”不存在", "你是不是想写“minzheng”？")


def test_ids_match_file_names(make_registry):
    files = proposal_file("p-1", APPROVED_HISTORY)
    files = {
        "proposals/2026/p-2.yaml": next(iter(files.values())),
        **meeting_file("m-1", "liaison", "2026-01-05", "chair: {role: office}\n"),
    }
    files["meetings/2026/m-9.yaml"] = files.pop("meetings/2026/m-1.yaml")
    root = make_registry(files)
    assert sorted(e.message for e in found(root, "id-file-mismatch")) == [
        "会议编号“m-1”与文件名“m-9.yaml”不一致",
        "议题编号“p-1”与文件名“p-2.yaml”不一致",
    ]


@pytest.mark.parametrize(
    ("chair", "message"),
    [
        ("{role: chief, name: 张三}", None),
        ("{role: convener, name: 李四}", None),
        ("{role: convener, name: 赵六}", "主持人“赵六”不是登记的召集人"),
        ("{role: chief, name: 李四}", "主持人“李四”不是登记的总召集人"),
    ],
)
def test_a_named_chair_must_be_a_registered_convener(make_registry, chair, message):
    root = make_registry(meeting_file("m-1", "regular", "2026-09-22", f"chair: {chair}\n"))
    errors = found(root, "bad-chair")
    assert [e.message for e in errors] == ([message] if message else [])


def test_messages_quote_the_registry_s_own_rule(make_registry):
    """Rules carry their own reference (ref) and the checks name the rule they enforce (basis):
    the message quotes this registry's text, never the first county's numbering."""
    system = _founded(2024)["system.yaml"].replace(
        "  - {id: rule-1, text: 联席会议原则上每年召开一次例会。}",
        "  - {id: r-meet, ref: 工作规则第三条, text: 联席会议每季度召开一次。}").replace(
        "  regular_meetings_per_year: 1", "  regular_meetings_per_year: 4\n  basis: {regular_meetings: r-meet}")
    root = make_registry({"system.yaml": system, **meeting_file("m-1", "regular", "2025-05-01")})
    [w] = found(root, "no-regular-meeting")
    assert w.message == "2024、2025、2026 年的例会少于 4 次（工作规则第三条：联席会议每季度召开一次。）"


def test_a_basis_naming_no_rule_is_an_error(make_registry):
    system = MINI_SYSTEM.replace("  regular_meetings_per_year: 1",
                                 "  regular_meetings_per_year: 1\n  basis: {approval: rule-9}")
    [p] = [p for p in found(make_registry({"system.yaml": system}), "unresolved-ref") if "rule-9" in p.message]
    assert p.message == "议事规则“rule-9”不存在" and p.pos.file == "system.yaml" and p.is_error


def test_parameters_a_founding_text_does_not_give_have_defaults(make_registry):
    """No number of regular meetings, no liaison rule, no addressee: the stated defaults (1, yes,
    the government), not a required-field error."""
    system = (MINI_SYSTEM.replace("  regular_meetings_per_year: 1\n", "")
              .replace("  liaison_meeting_before_joint: true\n", "").replace("  minutes_report_to: 县政府\n", ""))
    assert "regular_meetings_per_year" not in system and "minutes_report_to" not in system
    root = make_registry({"system.yaml": system})
    assert [p for p in problems(root, "2026-12-31") if p.is_error] == []
    from pathlib import Path

    from jiuzhu import loader

    params = loader.load(Path(root)).registry.system.parameters
    assert (params.regular_meetings_per_year, params.liaison_meeting_before_joint, params.minutes_report_to) == \
        (1, True, "县政府")
