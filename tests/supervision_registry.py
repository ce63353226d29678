"""The document registry (docs_registry) with the supervision records of issue 16: a 专项检查 with
two findings, a 重点抽查 that found one reported result untrue (the task reopened), a 督办通知单
and a reply to it. Used with `make_registry(SUPERVISION_FILES)`."""

from __future__ import annotations

from docs_registry import DOCS_FILES, MEETING_ID

INSPECTION = "in-20261201-a1b2"
SPOT_CHECK = "in-20261220-c3d4"
NOTICE = "dn-20261216-caizheng-e5f6"

SUPERVISION_FILES: dict[str, str | bytes] = {
    **DOCS_FILES,
    f"inspections/2026/{INSPECTION}.yaml": f"""
        # 专项检查：社会救助资金管理使用
        id: {INSPECTION}
        kind: 专项检查
        topic: 社会救助资金管理使用
        date: 2026-12-01
        lead: minzheng
        units: [minzheng, caizheng]
        findings:
          - id: {INSPECTION}-1
            text: 临时救助资金拨付不及时，平均滞后20天，限期理顺拨付流程。
            lead: caizheng
            due: 2026-12-15
          - id: {INSPECTION}-2
            text: 3户低保对象未按期复核，限期完成复核并建立复核台账。
            lead: minzheng
            responsible: [caizheng]
            due: 2026-12-22
            due_rule: {{workdays: 15, from: 2026-12-01, source: chinese-calendar}}
        """,
    f"inspections/2026/{SPOT_CHECK}.yaml": f"""
        id: {SPOT_CHECK}
        kind: 重点抽查
        topic: 已办结议定事项落实情况
        date: 2026-12-20
        lead: minzheng
        units: [minzheng, caizheng, weiji]
        seed: {SPOT_CHECK}
        samples:
          - {{task: {MEETING_ID}-1, result: 不属实, checked: 2026-12-21, reason: 提标方案尚未报县政府审定}}
        """,
    f"tasks/2026/{MEETING_ID}-1.yaml": f"""
        task: {MEETING_ID}-1
        log:
          - {{date: 2026-12-05, by: minzheng, percent: 60, status: 推进中,
             note: 已形成提标方案初稿，正征求县财政局意见。}}
          - {{date: 2026-12-18, by: minzheng, percent: 100, status: 已完成, note: 提标方案已定稿。}}
          - {{date: 2026-12-21, by: minzheng, status: 推进中, note: 重点抽查核实不属实，重新办理,
             reason: 提标方案尚未报县政府审定}}
        """,
    f"notices/2026/{NOTICE}.yaml": f"""
        id: {NOTICE}
        unit: caizheng
        date: 2026-12-16
        level: 督办
        tasks: [{MEETING_ID}-2, {INSPECTION}-1]
        reply_due: 2026-12-23
        """,
    f"tasks/2026/{MEETING_ID}-2.yaml": f"""
        task: {MEETING_ID}-2
        log:
          - {{date: 2026-12-18, by: caizheng, percent: 80, note: 资金监管办法已起草，待局党组会审议。,
             reply_to: {NOTICE}}}
        """,
}
