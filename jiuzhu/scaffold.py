"""`jiuzhu init`: a minimal registry that validates, for another government to fill in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from jiuzhu.errors import InputRefused
from jiuzhu.roundtrip import new_document
from jiuzhu.writer import Transaction, registry_lock

WORKFLOW = {
    "initial": "待初审",
    "states": ["待初审", "已通过初审", "已退回", "已审定", "已上会", "已议定"],
    "transitions": [
        {"action": "review_pass", "from": ["待初审"], "to": "已通过初审", "by": "office"},
        {"action": "review_return", "from": ["待初审"], "to": "已退回", "by": "office"},
        {"action": "resubmit", "from": ["已退回"], "to": "待初审", "by": "proposer"},
        {"action": "approve", "from": ["已通过初审"], "to": "已审定", "by": "convener"},
        {"action": "schedule", "from": ["已审定"], "to": "已上会", "by": "office"},
        {"action": "decide", "from": ["已上会"], "to": "已议定", "by": "meeting"},
    ],
}


# The level of government a jurisdiction's name ends with, and how its government is called
# (checked in order: 自治区 before 区, 自治州 before 州).
LEVELS = (("自治区", "自治区政府"), ("特别行政区", "特别行政区政府"), ("省", "省政府"), ("市", "市政府"),
          ("自治州", "州政府"), ("州", "州政府"), ("地区", "行署"), ("盟", "盟行署"), ("自治县", "县政府"),
          ("县", "县政府"), ("自治旗", "旗政府"), ("旗", "旗政府"), ("区", "区政府"))
NATIONAL = ("全国", "中华人民共和国", "国家")


def government_of(jurisdiction: str) -> tuple[str, str]:
    """(government as documents call it, the issuer of the founding document) for a jurisdiction;
    refused when its level cannot be told from the name (a made-up 市政府 would be silently wrong)."""
    if jurisdiction in NATIONAL:
        return "国务院", "国务院办公厅"
    for suffix, government in LEVELS:
        if jurisdiction.endswith(suffix):
            return government, f"{jurisdiction}人民政府" if suffix not in ("地区", "盟") else f"{jurisdiction}行政公署"
    raise InputRefused(f"无法从辖区名称“{jurisdiction}”判断本级政府",
                       "辖区写全称，例如 某某县、某某市、某某省、某某自治区、全国；或加 --government 县政府。")


def _civil_affairs(jurisdiction: str) -> str:
    """The civil-affairs department at this level: 民政部 (national), 民政厅 (province), 民政局."""
    if jurisdiction in NATIONAL:
        return "民政部"
    return "民政厅" if jurisdiction.endswith(("省", "自治区")) else "民政局"


def init_registry(root: Path, name: str, jurisdiction: str, government: str | None = None) -> list[str]:
    """Write system.yaml, areas.yaml and the office's unit (the civil-affairs bureau) into `root`;
    return the files written, relative to `root`."""
    if not name.strip() or not jurisdiction.strip():
        raise InputRefused("--name 和 --jurisdiction 不能为空",
                           "例如 --name 某某县社会救助工作联席会议 --jurisdiction 某某县")
    if root.exists() and not root.is_dir():
        raise InputRefused(f"{root} 已存在且不是目录", "换一个新目录，jiuzhu init 不会覆盖已有文件。")
    if root.exists() and any(root.iterdir()):
        raise InputRefused(f"目录 {root} 已存在且不为空", "换一个新目录，jiuzhu init 不会覆盖已有文件。")

    gov, issuer = government_of(jurisdiction) if government is None else (government, f"{jurisdiction}人民政府")
    system = {
        "name": name,
        "jurisdiction": jurisdiction,
        "government": gov,
        "founding_document": {"title": f"{name}制度", "issuer": issuer,
                              "date": dt.datetime.now(ZoneInfo("Asia/Shanghai")).date(), "index_number": None},
        "conveners": {"chief": {"name": None, "post": None}, "conveners": []},
        "office": {"unit": "minzheng", "director": None, "duties": []},
        "duties": [],
        "rules": [],
        "parameters": {
            "regular_meetings_per_year": 1,
            "liaison_meeting_before_joint": True,
            "minutes_report_to": gov,
            "minutes_send_to": "联席会议各成员单位",
            "due_soon_workdays": 5,
            "proposal_workflow": WORKFLOW,
            "escalation": [{"level": "催办", "from_workdays": -3}, {"level": "督办", "from_workdays": 1},
                           {"level": "通报", "from_workdays": 10}],
            "documents": {"minutes_mark": f"{name}纪要", "briefing_mark": "社会救助工作简报",
                          "issuing_office": f"{name}办公室"},
        },
    }
    areas = {"areas": [{"id": "system", "name": "社会救助体系建设", "kind": "work", "synonyms": ["统筹", "体系建设"]}]}
    unit = {
        "id": "minzheng", "name": _civil_affairs(jurisdiction), "kind": "government", "order": 1, "active": True,
        "liaison": {"name": None, "post": None, "phone": None, "mobile": None},
        "deputy": {"name": None, "post": None, "phone": None, "mobile": None}, "reviewers": [],
        "duties": [{"id": "minzheng-1", "text": "负责统筹社会救助体系建设。", "areas": ["system"], "role": "lead"}],
    }
    evaluation = {
        "indicators": [
            {"id": "tasks", "name": "议定事项按期完成", "weight": 40, "measure": "tasks_on_time"},
            {"id": "meetings", "name": "会议出席", "weight": 20, "measure": "attendance", "excused": 0.5},
            {"id": "findings", "name": "检查问题按期整改", "weight": 20, "measure": "findings_on_time"},
            {"id": "replies", "name": "督办按期回复", "weight": 10, "measure": "notice_replies"},
            {"id": "office", "name": "办公室评分", "weight": 10, "measure": "manual"},
        ],
        "no_data": "full",
    }
    files = {
        "system.yaml": new_document(system, f"{name}：联席会议、办公室和议事规则。"
                                            "founding_document 的日期、文号等请按成立文件改写。"),
        "areas.yaml": new_document(areas, "救助领域和工作领域，synonyms 是人们常用的说法"),
        "units/minzheng.yaml": new_document(unit, "成员单位：联席会议办公室所在单位"),
        "evaluation.yaml": new_document(evaluation, "年度绩效评价规则：按本地的评价办法改写指标和分值（合计 100），"
                                                    "格式见 docs/supervision.md"),
        # commands that write hold .jiuzhu.lock (and tasks/<year>/.<id>.lock) while they write
        ".gitignore": "# jiuzhu 写入登记册时的锁文件\n.*.lock\n",
    }
    root.mkdir(parents=True, exist_ok=True)
    with registry_lock(root):
        tx = Transaction(root)
        for rel, text in files.items():
            tx.create(rel, text)
        tx.commit()
    return list(files)
