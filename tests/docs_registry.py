"""A demo-like registry for the document tests: one regular meeting with issued minutes, three
decisions (one overdue, one ongoing), proposals, attendance, progress, a renamed unit and one
earlier briefing. Used with the `make_registry` fixture: make_registry(DOCS_FILES)."""

from __future__ import annotations

from conftest import MINI_SYSTEM, mini_unit

MEETING_ID = "m-20261126-regular-a1b2"

DOCS_FILES: dict[str, str | bytes] = {
    "system.yaml": MINI_SYSTEM + """
briefings:
  issued:
    - {year: 2026, number: 1, date: 2026-07-10, from: 2026-01-01, to: 2026-06-30}
""",
    "units/weiji.yaml": mini_unit("weiji", "县卫生健康局", 3, """
        - id: weiji-1
          text: 负责医疗救助与基本医疗保险制度的衔接。
          areas: [dibao]
          role: lead
        """) + """
history:
  - {date: 2026-12-01, act: renamed, name: 县卫生健康局, old_name: 县卫生和计划生育局}
""",
    "proposals/2026/p-20261101-minzheng-0001.yaml": """
        id: p-20261101-minzheng-0001
        unit: minzheng
        title: 关于提高2027年城乡低保标准的议题
        summary: 建议自2027年1月1日起提高城乡低保标准。
        history:
          - {action: submit, to: 待初审, date: 2026-11-01, by: minzheng}
          - {action: review_pass, to: 已通过初审, date: 2026-11-03, by: office, opinion: 同意提交}
          - {action: approve, to: 已审定, date: 2026-11-05, by: convener}
          - {action: schedule, to: 已上会, date: 2026-11-06, by: office, meeting: m-20261126-regular-a1b2}
        """,
    "proposals/2026/p-20261105-caizheng-0002.yaml": """
        id: p-20261105-caizheng-0002
        unit: caizheng
        title: 关于加强社会救助资金监管的议题
        history:
          - {action: submit, to: 待初审, date: 2026-11-05, by: caizheng}
          - {action: review_pass, to: 已通过初审, date: 2026-11-06, by: office}
          - {action: approve, to: 已审定, date: 2026-11-09, by: convener}
          - {action: schedule, to: 已上会, date: 2026-11-10, by: office, meeting: m-20261126-regular-a1b2}
        """,
    f"meetings/2026/{MEETING_ID}.yaml": f"""
        id: {MEETING_ID}
        kind: regular
        title: 测试县社会救助工作联席会议2026年例会
        date: 2026-11-26
        time: "09:30"
        place: 县政府三楼会议室
        chair: {{role: chief, name: null}}
        expected: [minzheng, caizheng, weiji]
        attendance:
          attended:
            - {{unit: caizheng, names: [钱七]}}
            - {{unit: minzheng, names: [王五, 赵六]}}
          excused:
            - {{unit: weiji, names: []}}
          observers:
            - {{unit: null, names: [孙八], org: 县政府办公室}}
        agenda: [p-20261101-minzheng-0001, p-20261105-caizheng-0002]
        heard: [县民政局关于2026年城乡低保工作情况的汇报]
        decisions:
          - id: {MEETING_ID}-1
            text: 会议同意自2027年1月1日起提高城乡低保标准，由县民政局会同县财政局制定具体方案，报县政府审定后实施。
            areas: [dibao]
            lead: minzheng
            responsible: [caizheng]
            due: 2026-12-31
            proposal: p-20261101-minzheng-0001
          - id: {MEETING_ID}-2
            text: 会议要求县财政局足额安排2027年社会救助资金预算，并于12月10日前报送资金监管办法。
            areas: [zijin]
            lead: caizheng
            responsible: [minzheng]
            due: 2026-12-10
            proposal: p-20261105-caizheng-0002
          - id: {MEETING_ID}-3
            text: 会议要求建立因病致贫家庭医疗救助快速响应机制，做好医疗救助与低保的衔接。
            areas: [dibao]
            lead: weiji
            responsible: [minzheng, caizheng]
            due: null
            ongoing: true
        minutes: {{year: 2026, number: 3, issued: 2026-11-30, reported_to: 县政府}}
        """,
    f"tasks/2026/{MEETING_ID}-1.yaml": f"""
        task: {MEETING_ID}-1
        log:
          - {{date: 2026-12-05, by: minzheng, percent: 60, status: 推进中,
             note: 已形成提标方案初稿，正征求县财政局意见。}}
        """,
    f"tasks/2026/{MEETING_ID}-3.yaml": f"""
        task: {MEETING_ID}-3
        log:
          - {{date: 2026-12-08, by: weiji, status: 长期坚持, note: 已建立医疗救助“一站式”结算工作机制。}}
        """,
}
