"""Generate a synthetic, valid registry of realistic shape for benchmarks.

    python bench/gen.py --tasks 10000 --out /tmp/reg10k [--seed 1]

The founding part (system.yaml, areas.yaml, units/) is the shipped Dachang registry. On top of it,
for every 20 decisions: a joint meeting (the first of each year a regular one, the rest ad hoc)
preceded by a liaison meeting on the same topics, two proposals that went through office review
and convener approval before it, issued minutes, and a progress file per decision in
tasks/<year>/ (most done on time, about one in five overdue on AS_OF, a few reassigned, some not started).
The same seed gives the same bytes. Files are written directly: this is the benchmark's own
output folder, not a user's registry.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "registry"
END = dt.date(2026, 11, 20)  # the newest meeting is before this day; bench/run.py uses --as-of AS_OF
AS_OF = dt.date(2026, 11, 26)
LAST_DUE = dt.date(2026, 12, 31)  # the pinned calendar library knows holidays up to 2026
FOUNDED = dt.date(2016, 7, 27)  # the shipped registry's founding date: no meeting before it
PER_MEETING = 20  # decisions per joint meeting; more for very large registries (one meeting a day)
MAX_MEETINGS = (END - FOUNDED).days - 10
_ONE = dt.timedelta(days=1)

_ACTIONS = (
    "进一步规范{a}审核审批程序，开展一次全面排查", "建立{a}部门间信息共享机制，按月交换数据",
    "对{a}资金使用情况开展专项检查并形成报告", "完善{a}相关政策文件，报县政府审定",
    "组织开展{a}政策宣传进村入户活动", "对全县{a}对象开展动态复核，做到应保尽保、应退尽退",
    "制定{a}工作考核办法，纳入年度绩效评价", "梳理{a}办理流程，压缩办理时限",
    "开展{a}业务培训，覆盖各乡镇经办人员", "建立{a}问题台账，逐项销号整改",
    "配合上级部门完成{a}工作督查，报送自查报告", "研究提高{a}保障标准的方案",
)
_NOTES = ("已召开专题会议部署", "已完成摸底排查", "正在会同相关单位推进", "已形成初稿，正在征求意见",
          "已完成大部分工作", "已报送县政府", "已按要求完成并归档")
_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷")
_PLACES = ("县政府第一会议室", "县政府第三会议室", "县民政局会议室")


@dataclass(frozen=True)
class Founding:
    office: str
    units: list[str]  # founding-document order
    areas: list[tuple[str, str, list[str], list[str]]]  # (id, name, lead candidates, support units)


def founding() -> Founding:
    """Units, areas and who leads/supports each area, read from the shipped registry."""
    sys.path.insert(0, str(ROOT))
    from jiuzhu.loader import load

    reg = load(SHIPPED).registry
    assert reg.system is not None
    areas = []
    for a in reg.areas.values():
        leads = sorted({d.unit for d in reg.duties() if a.id in d.areas and d.role == "lead"})
        if a.lead:
            leads = [a.lead]
        support = sorted({d.unit for d in reg.duties() if a.id in d.areas and d.unit not in leads})
        if leads:
            areas.append((a.id, a.name, leads, support))
    return Founding(reg.system.office.unit, [u.id for u in reg.active_units()], areas)


def q(value: object) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def weekday(day: dt.date, back: bool = False) -> dt.date:
    while day.weekday() >= 5:
        day = day - _ONE if back else day + _ONE
    return day


class Generator:
    def __init__(self, out: Path, tasks: int, seed: int) -> None:
        self.out = out
        self.tasks = tasks
        self.rng = random.Random(seed)
        self.f = founding()
        self.files = 0
        self.dense = False

    def write(self, rel: str, text: str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.files += 1

    def hexid(self) -> str:
        return f"{self.rng.getrandbits(16):04x}"

    def meeting_dates(self, count: int) -> list[dt.date]:
        """Distinct days, spread up to the founding date; working days when there is room."""
        span = min((END - FOUNDED).days - 5, max(count * 45, 60))
        start = END - dt.timedelta(days=span)
        days = [start + dt.timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]
        return [weekday(d) for d in days] if span // (count + 1) >= 4 else days

    def run(self, progress: bool) -> int:
        if self.out.exists():
            shutil.rmtree(self.out)
        shutil.copytree(SHIPPED, self.out, ignore=shutil.ignore_patterns("templates", ".*"))
        per = max(PER_MEETING, -(-self.tasks // MAX_MEETINGS))
        count = max(1, -(-self.tasks // per))
        dates = self.meeting_dates(count)
        self.dense = len(dates) > 1 and (dates[1] - dates[0]).days < 4
        regular_years: set[int] = set()
        minutes_no: dict[int, int] = {}
        left = self.tasks
        with _progress(progress, count) as advance:
            for day in dates:
                n = min(per, left)
                left -= n
                kind = "adhoc" if day.year in regular_years else "regular"
                regular_years.add(day.year)
                self.joint_meeting(day, kind, n, minutes_no)
                advance()
        return self.files

    def joint_meeting(self, day: dt.date, kind: str, n: int, minutes_no: dict[int, int]) -> None:
        rng, f = self.rng, self.f
        mid = f"m-{day:%Y%m%d}-{kind}-{self.hexid()}"
        # the liaison meeting comes after the previous joint meeting: 3 working days before, or
        # the same morning when joint meetings are days apart only
        liaison_day = day if self.dense else weekday(day - dt.timedelta(days=3), back=True)
        topics = [rng.choice(f.areas) for _ in range(2)]
        proposals = [self.proposal(liaison_day - dt.timedelta(days=20), t, mid, day) for t in topics]
        self.meeting(f"m-{liaison_day:%Y%m%d}-liaison-{self.hexid()}", "liaison", liaison_day, proposals, [], None)
        decisions = []
        for k in range(1, n + 1):
            area = topics[k - 1] if k <= len(topics) else rng.choice(f.areas)
            decisions.append(self.decision(f"{mid}-{k}", day, area, proposals[k - 1] if k <= len(proposals) else None))
        minutes = None
        issued = weekday(day + dt.timedelta(days=5))
        if issued <= END:
            minutes_no[issued.year] = minutes_no.get(issued.year, 0) + 1
            minutes = (issued.year, minutes_no[issued.year], issued)
        self.meeting(mid, kind, day, proposals, decisions, minutes)

    def proposal(self, submitted: dt.date, area: tuple[str, str, list[str], list[str]], meeting: str,
                 meeting_day: dt.date) -> str:
        rng, office = self.rng, self.f.office
        unit = rng.choice(area[2])
        pid = f"p-{submitted:%Y%m%d}-{unit}-{self.hexid()}"
        steps = [("submit", "待初审", submitted, unit, None, None),
                 ("review_pass", "已通过初审", submitted + 3 * _ONE, office, "材料齐全，同意提交审定。", None),
                 ("approve", "已审定", submitted + 6 * _ONE, "chief", "同意提交联席会议研究。", None),
                 ("schedule", "已上会", submitted + 8 * _ONE, office, None, meeting),
                 ("decide", "已议定", meeting_day, "meeting", None, meeting)]
        lines = [f"id: {pid}", f"unit: {unit}", f"title: {q('关于' + area[1] + '工作的议题')}",
                 f"summary: {q('提请联席会议研究' + area[1] + '工作中需要多部门协调的事项。')}", "history:"]
        for action, to, day, by, opinion, mid in steps:
            lines.append(f"  - {{action: {action}, to: {to}, date: {day}, by: {by}, opinion: "
                         f"{q(opinion) if opinion else 'null'}" + (f", meeting: {mid}}}" if mid else "}"))
        self.write(f"proposals/{submitted.year}/{pid}.yaml", "\n".join(lines) + "\n")
        return pid

    def decision(self, did: str, day: dt.date, area: tuple[str, str, list[str], list[str]],
                 proposal: str | None) -> dict[str, Any]:
        rng = self.rng
        lead = rng.choice(area[2])
        pool = [u for u in area[3] if u != lead] or [u for u in self.f.units if u != lead]
        responsible = sorted(rng.sample(pool, min(len(pool), rng.randint(1, 3))), key=self.f.units.index)
        ongoing = rng.random() < 0.04
        due = None if ongoing else min(weekday(day + dt.timedelta(days=rng.randint(15, 120))), LAST_DUE)
        d = {"id": did, "text": rng.choice(_ACTIONS).format(a=area[1]) + "。", "areas": [area[0]], "lead": lead,
             "responsible": responsible, "due": due, "ongoing": ongoing, "proposal": proposal}
        self.task(d, day)
        return d

    def task(self, d: dict[str, Any], day: dt.date) -> None:
        """A progress file: done on time, overdue at some percent, ongoing, or none (not started)."""
        rng = self.rng
        due = d["due"]
        assert due is None or isinstance(due, dt.date)
        lead = str(d["lead"])
        r = rng.random()
        if r < 0.08:
            return  # not started: no progress file yet
        last = min(due or END, END)
        if last <= day:
            return
        entries: list[tuple[dt.date, int | None, str | None, str]] = []
        finished = due is not None and due <= END and r < 0.85
        steps = rng.randint(1, 4)
        percent = 0
        for i in range(steps):
            when = day + dt.timedelta(days=(last - day).days * (i + 1) // (steps + 1) or 1)
            percent = min(90, percent + rng.randint(10, 40))
            entries.append((when, percent, "推进中" if i == 0 and not d["ongoing"] else None, rng.choice(_NOTES[:5])))
        if d["ongoing"]:
            entries[-1] = (entries[-1][0], None, "长期坚持", "按要求长期坚持，定期报送情况")
        elif finished:
            entries.append((last, 100, "已完成", _NOTES[-1]))
        lines = [f"task: {d['id']}", "log:"]
        for when, pct, status, note in entries:
            fields = [f"date: {when}", f"by: {lead}"]
            if pct is not None:
                fields.append(f"percent: {pct}")
            if status:
                fields.append(f"status: {status}")
            fields.append(f"note: {q(note)}")
            lines.append("  - {" + ", ".join(fields) + "}")
        if not finished and not d["ongoing"] and rng.random() < 0.03:
            new = rng.choice([u for u in self.f.units if u != lead and u not in d["responsible"]])
            when = entries[-1][0] + _ONE
            if when <= END:
                lines += ["reassignments:",
                          f"  - {{date: {when}, lead: {new}, responsible: [{lead}], reason: {q('工作职能调整')}, "
                          f"decided_by: 总召集人}}"]
        self.write(f"tasks/{day.year}/{d['id']}.yaml", "\n".join(lines) + "\n")

    def meeting(self, mid: str, kind: str, day: dt.date, agenda: list[str], decisions: list[dict[str, Any]],
                minutes: tuple[int, int, dt.date] | None) -> None:
        rng, units = self.rng, self.f.units
        excused = set(rng.sample(units, 2))
        titles = {"liaison": "社会救助工作联席会议联络员会议", "regular": "社会救助工作联席会议例会",
                  "adhoc": "社会救助工作联席会议"}
        lines = [f"id: {mid}", f"kind: {kind}", f"title: {q(f'{day.year}年{titles[kind]}')}", f"date: {day}",
                 f'time: "{("08:30" if self.dense else "14:30") if kind == "liaison" else "09:00"}"',
                 f"place: {q(rng.choice(_PLACES))}",
                 f"chair: {{role: {'office' if kind == 'liaison' else 'chief'}, name: null}}",
                 f"expected: [{', '.join(units)}]", "attendance:", "  attended:"]
        lines += [f"    - {{unit: {u}, names: [{rng.choice(_NAMES)}]}}" for u in units if u not in excused]
        lines.append("  excused:")
        lines += [f"    - {{unit: {u}, names: []}}" for u in units if u in excused]
        lines.append(f"agenda: [{', '.join(agenda)}]")
        if decisions:
            lines.append("decisions:")
        for d in decisions:
            lines += [f"  - id: {d['id']}", f"    text: {q(d['text'])}", f"    areas: [{', '.join(d['areas'])}]",
                      f"    lead: {d['lead']}", f"    responsible: [{', '.join(d['responsible'])}]",
                      f"    due: {d['due'] or 'null'}"]
            if d["ongoing"]:
                lines.append("    ongoing: true")
            if d["proposal"]:
                lines.append(f"    proposal: {d['proposal']}")
        if minutes:
            year, number, issued = minutes
            lines += ["minutes:", f"  year: {year}", f"  number: {number}", f"  issued: {issued}",
                      "  reported_to: 县政府"]
        self.write(f"meetings/{day.year}/{mid}.yaml", "\n".join(lines) + "\n")


@contextlib.contextmanager
def _progress(show: bool, total: int) -> Iterator[Callable[[], None]]:
    """A rich progress bar for long runs; silence otherwise. Yields `advance()`."""
    if not show:
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("生成会议", total=total)
        yield lambda: bar.advance(task)


def generate(out: Path, tasks: int, seed: int = 1, progress: bool = False) -> int:
    """Write the registry; return the number of files written besides the founding part."""
    return Generator(out, tasks, seed).run(progress)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成用于性能测试的合成登记册")
    ap.add_argument("--tasks", type=int, required=True, help="议定事项（任务）数")
    ap.add_argument("--out", type=Path, required=True, help="输出目录（已存在则清空重建）")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    n = generate(args.out, args.tasks, args.seed, progress=sys.stderr.isatty() and args.tasks >= 2000)
    print(f"已生成 {args.out}：{args.tasks} 个任务，{n} 个文件（另有成立文件部分）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
