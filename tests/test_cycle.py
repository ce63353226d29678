"""The whole working cycle of the rules of procedure (seed 四、1-5), from the command line, on a copy
of the shipped Dachang registry: validate is clean (no errors) afterwards."""

from __future__ import annotations

import json

from cycle_helpers import created_id, ok, problems, registry


def test_the_whole_cycle_on_the_shipped_registry(shipped_copy, jz):
    root = shipped_copy
    # three units propose topics
    dibao = created_id(jz, root, "proposal", "new", "--unit", "县民政局", "--title", "关于调整城乡低保标准的议题",
                       "--summary", "物价上涨，拟调整 2027 年城乡低保标准。", "--date", "2026-09-01")
    jiuzhu = created_id(jz, root, "proposal", "new", "--unit", "weiji", "--title", "关于医疗救助“一站式”结算的议题",
                        "--date", "2026-09-02")
    zijin = created_id(
        jz, root, "proposal", "new", "--unit", "caizheng", "--title", "关于救助资金监管的议题", "--date", "2026-09-02"
    )
    # the office reviews them: one returned, revised and resubmitted
    ok(jz, root, "proposal", "review", dibao, "--pass", "--opinion", "同意提交审定。", "--date", "2026-09-07")
    ok(jz, root, "proposal", "review", jiuzhu, "--pass", "--opinion", "同意提交审定。", "--date", "2026-09-07")
    ok(jz, root, "proposal", "review", zijin, "--return", "--opinion", "请补充资金规模测算。", "--date", "2026-09-07")
    ok(jz, root, "proposal", "resubmit", zijin, "--note", "已补充测算。", "--date", "2026-09-09")
    ok(jz, root, "proposal", "review", zijin, "--pass", "--opinion", "同意提交审定。", "--date", "2026-09-10")
    # the conveners approve
    for pid in (dibao, jiuzhu, zijin):
        ok(jz, root, "proposal", "approve", pid, "--by", "chief", "--date", "2026-09-11")
    # the liaison meeting, then the regular meeting
    liaison = created_id(jz, root, "meeting", "new", "--kind", "liaison", "--date", "2026-09-15", "--time", "09:30",
                         "--place", "县民政局三楼会议室")
    regular = created_id(jz, root, "meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--time", "09:00",
                         "--place", "县政府第一会议室")
    reg = registry(root)
    assert reg.meetings[liaison].agenda == reg.meetings[regular].agenda
    assert set(reg.meetings[regular].agenda) == {dibao, jiuzhu, zijin}
    assert [reg.proposals[p].status for p in (dibao, jiuzhu, zijin)] == ["已上会"] * 3
    assert reg.meetings[regular].expected == tuple(reg.units)  # all 27, founding-document order
    # attendance
    ok(jz, root, "meeting", "attend", regular, "--unit", "县民政局", "--attended", "--name", "徐智勇")
    ok(jz, root, "meeting", "attend", regular, "--unit", "xinfang", "--excused")
    ok(jz, root, "meeting", "attend", regular, "--rest", "--attended")
    ok(jz, root, "meeting", "attend", regular, "--observer", "--org", "县人大常委会")
    # decisions: working days across National Day, a date, ongoing, one suggested
    ok(jz, root, "decision", "add", regular, "--text", "研究提出2027年城乡低保标准调整方案", "--lead", "minzheng",
       "--responsible", "caizheng", "--responsible", "tongji", "--area", "dibao", "--due-workdays", "10", "--proposal",
       dibao)
    ok(jz, root, "decision", "add", regular, "--text", "落实医疗救助“一站式”即时结算", "--lead", "weiji",
       "--responsible", "minzheng", "--due", "2026-12-31", "--proposal", jiuzhu)
    res = ok(jz, root, "decision", "add", regular, "--text", "加强社会救助资金监管，定期开展专项检查", "--ongoing",
             "--proposal", zijin, "--accept-suggestion")
    assert "建议牵头单位：" in res.output
    ok(jz, root, "minutes", "issue", regular, "--date", "2026-09-25")

    reg = registry(root)
    m = reg.meetings[regular]
    assert m.minutes is not None and (m.minutes.year, m.minutes.number, m.minutes.reported_to) == (2026, 1, "县政府")
    assert [d.id for d in m.decisions] == [f"{regular}-{n}" for n in (1, 2, 3)]
    assert str(m.decisions[0].due) == "2026-10-13"  # 10 working days, National Day holiday skipped
    assert [reg.proposals[p].status for p in (dibao, jiuzhu, zijin)] == ["已议定"] * 3
    rows = json.loads(ok(jz, root, "meeting", "list", "--format", "json").stdout)
    assert [(r["id"], r["status"]) for r in rows] == [(liaison, "已召开"), (regular, "纪要已印发")]

    found = problems(root, "2026-12-31")
    assert [p for p in found if p.is_error] == []
    ours = {"no-liaison-meeting", "not-discussed", "agenda-not-approved", "bad-chair", "bad-transition"}
    assert [p for p in found if p.code in ours] == []
    res = jz(root, "validate", "--as-of", "2026-12-31")
    assert res.exit_code == 0, res.output
