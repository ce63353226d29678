"""Field specs of every registry file kind, and the structural check that applies them.

The check returns the data with its types made real (dates become `datetime.date`) and invalid
values removed, so that the model can be built from whatever is sound and every problem is still
reported, each at its own line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from jiuzhu.problems import Problem, error
from jiuzhu.yamlread import Doc

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

_TYPE_NAMES = {
    "str": "文字", "int": "整数", "bool": "true 或 false", "date": "日期（YYYY-MM-DD）",
    "time": "时间（HH:MM）", "id": "标识（小写字母、数字和连字符）", "list": "列表", "map": "映射（键: 值）",
    "number": "数字",
}


@dataclass(frozen=True)
class Field:
    """What one value may be. `desc` is the Chinese explanation shown in docs and hints."""

    kind: str
    required: bool = False
    nullable: bool = False
    enum: tuple[Any, ...] = ()
    items: Field | None = None
    fields: Mapping[str, Field] | None = None
    desc: str = ""


def S(desc: str = "", *, required: bool = False, nullable: bool = False, enum: tuple[Any, ...] = ()) -> Field:
    return Field("str", required, nullable, enum, desc=desc)


def I(desc: str = "", *, required: bool = False, nullable: bool = False) -> Field:  # noqa: E743
    return Field("int", required, nullable, desc=desc)


def B(desc: str = "", *, required: bool = False) -> Field:
    return Field("bool", required, desc=desc)


def D(desc: str = "", *, required: bool = False, nullable: bool = False) -> Field:
    return Field("date", required, nullable, desc=desc)


def ID(desc: str = "", *, required: bool = False, nullable: bool = False) -> Field:
    return Field("id", required, nullable, desc=desc)


def L(items: Field, desc: str = "", *, required: bool = False) -> Field:
    return Field("list", required, items=items, desc=desc)


def M(desc: str = "", *, required: bool = False, nullable: bool = False, **fields: Field) -> Field:
    """A mapping; a trailing "_" spells a key that is a Python keyword (`from_` is the key `from`)."""
    return Field("map", required, nullable, fields={k.removesuffix("_"): f for k, f in fields.items()}, desc=desc)


DUTY_ROLES = ("lead", "support", "info")  # a duty's `role` and the values of its `roles`

# --- file kinds -------------------------------------------------------------------------------

PERSON = M("人员", name=S("姓名", nullable=True), post=S("职务", nullable=True))
TEXT_ITEM = M("条目", id=ID("编号", required=True), text=S("原文", required=True), areas=L(ID(), "涉及领域"))

SYSTEM = M(
    "联席会议",
    name=S("联席会议名称", required=True),
    jurisdiction=S("辖区", required=True),
    government=S("本级政府简称（如 县政府）", required=True),
    founding_document=M(
        "成立文件", required=True,
        title=S("文件名称", required=True), issuer=S("发布机构", required=True),
        date=D("发文日期", required=True), index_number=S("索引号", nullable=True),
        number=S("文号", nullable=True), preamble=S("开头段落原文", nullable=True),
    ),
    conveners=M("召集人", required=True, chief=PERSON, conveners=L(PERSON, "召集人")),
    office=M(
        "联席会议办公室", required=True,
        unit=ID("所在成员单位", required=True), director=S("办公室主任", nullable=True),
        text=S("原文", nullable=True), duties=L(TEXT_ITEM, "办公室职责"),
    ),
    duties=L(TEXT_ITEM, "联席会议职责"),
    rules=L(M(id=ID(required=True), text=S(required=True)), "议事规则原文"),
    parameters=M(
        "议事规则参数", required=True,
        regular_meetings_per_year=I("每年例会次数", required=True),
        liaison_meeting_before_joint=B("联席会议前须开联络员会议"),
        minutes_report_to=S("会议纪要报送", required=True),
        minutes_send_to=S("会议纪要抄送"),
        due_soon_workdays=I("即将到期提前的工作日数"),
        proposal_workflow=M(
            "议题流转", required=True,
            initial=S("初始状态", required=True),
            states=L(S(), "状态", required=True),
            transitions=L(M(
                action=S("动作", required=True,
                         enum=("review_pass", "review_return", "resubmit", "approve", "schedule", "decide")),
                from_=L(S(), "允许的起始状态", required=True),
                to=S("到达状态", required=True),
                by=S("由谁办理", enum=("office", "convener", "proposer", "meeting")),
            ), "状态转移", required=True),
        ),
        escalation=L(M(level=S("等级名称", required=True),
                       from_workdays=I("距到期的工作日数（负数为到期前）", required=True)),
                     "督办升级阶梯"),
        documents=M(
            "公文设置",
            minutes_mark=S("纪要标志"), briefing_mark=S("简报标志"), issuing_office=S("印发机关"),
            briefing_compiler=S("简报编印单位"), copies=I("印数", nullable=True),
            report_title=S("进展通报标题"),
            briefing_report_to=S("简报报送（报）"), briefing_send_to=S("简报抄送（送）"),
            briefing_distribute_to=S("简报分发（发）"),
        ),
    ),
    briefings=M("简报期号记录", issued=L(M(year=I(required=True), number=I(required=True),
                                             date=D(required=True), from_=D(nullable=True),
                                             to=D(nullable=True)))),
)

AREAS = M("领域", areas=L(M(
    id=ID("领域标识", required=True),
    name=S("名称", required=True),
    kind=S("类别", required=True, enum=("assistance", "work")),
    synonyms=L(S(), "同义词"),
    lead=ID("指定牵头单位", nullable=True),
    description=S("说明", nullable=True),
), required=True))

HISTORY_ITEM = M(
    "机构变更",
    date=D("生效日期", required=True),
    act=S("变更类型", required=True, enum=("renamed", "merged", "merged_into", "split", "dissolved", "established")),
    name=S("新名称", nullable=True), old_name=S("原名称", nullable=True),
    units=L(ID(), "相关单位"), into=ID("并入单位", nullable=True),
    duties_to=ID("职责承接单位", nullable=True), note=S("说明", nullable=True),
    duties=L(M(id=ID(required=True), to=ID(required=True)), "职责去向"),
)

UNIT = M(
    "成员单位",
    id=ID("单位标识，与文件名一致", required=True),
    name=S("单位名称（成立文件中的写法）", required=True),
    kind=S("单位类别", required=True, enum=("government", "party", "mass", "vertical", "enterprise")),
    order=I("在成立文件中的顺序", required=True),
    item=I("成立文件条目号", nullable=True),
    active=B("是否仍为成员单位"),
    since=D("加入日期", nullable=True),
    until=D("退出日期", nullable=True),
    liaison=M("联络员", nullable=True, name=S(nullable=True), phone=S(nullable=True), post=S(nullable=True)),
    reviewers=L(S(), "审阅该文件改动的 git 账号"),
    history=L(HISTORY_ITEM, "机构变更记录"),
    duties=L(M(
        id=ID("职责编号", required=True),
        text=S("职责原文", required=True),
        areas=L(ID(), "涉及领域"),
        role=S("角色", required=True, enum=DUTY_ROLES),
        info=L(S(), "提供的核对信息"),
        roles=M("各领域的角色（领域: lead/support/info），覆盖 role"),
        shared_with=L(ID(), "共担该职责的单位"),
        moved_from=ID("从哪个单位转来", nullable=True),
        since=D("生效日期", nullable=True),
    ), "职责"),
)

ACT = M(
    action=S("动作", required=True,
             enum=("submit", "review_pass", "review_return", "resubmit", "approve", "schedule", "decide")),
    to=S("到达状态", required=True),
    date=D("日期", required=True),
    by=S("办理人/单位", required=True),
    opinion=S("意见", nullable=True),
    meeting=ID("会议", nullable=True),
)

PROPOSAL = M(
    "议题",
    id=ID("议题编号", required=True),
    unit=ID("提出单位", required=True),
    title=S("标题", required=True),
    summary=S("摘要", nullable=True),
    history=L(ACT, "流转记录", required=True),
)

ATTENDEE = M(unit=ID(nullable=True), names=L(S()), org=S(nullable=True))

DECISION = M(
    "议定事项",
    id=ID("事项编号", required=True),
    text=S("内容", required=True),
    areas=L(ID(), "领域"),
    lead=ID("牵头单位", required=True),
    responsible=L(ID(), "责任单位"),
    due=D("完成时限", nullable=True),
    ongoing=B("长期坚持"),
    due_rule=M("时限计算方式", nullable=True, workdays=I(required=True), from_=D(required=True),
               source=S(required=True, enum=("chinese-calendar", "calendar.yaml", "weekends"))),
    proposal=ID("来源议题", nullable=True),
    assigned=S("牵头/责任单位来源", enum=("manual", "suggested")),
    why=S("建议理由", nullable=True),
)

MEETING = M(
    "会议",
    id=ID("会议编号", required=True),
    kind=S("类型", required=True, enum=("regular", "adhoc", "liaison")),
    title=S("名称", nullable=True),
    date=D("日期", required=True),
    time=S("时间 HH:MM", nullable=True),
    place=S("地点", nullable=True),
    chair=M("主持人", role=S(enum=("chief", "convener", "office")), name=S(nullable=True)),
    expected=L(ID(), "应到单位"),
    attendance=M("出席情况", attended=L(ATTENDEE), excused=L(ATTENDEE), observers=L(ATTENDEE)),
    agenda=L(ID(), "议程（议题编号）"),
    heard=L(S(), "听取汇报"),
    decisions=L(DECISION, "议定事项"),
    minutes=M("纪要印发", nullable=True, year=I(required=True), number=I(required=True), issued=D(required=True),
              reported_to=S(required=True)),
)

TASK = M(
    "任务进展",
    task=ID("议定事项编号", required=True),
    log=L(M(date=D(required=True), by=ID(required=True), percent=I(nullable=True),
            status=S(enum=("未开始", "推进中", "已完成", "长期坚持"), nullable=True),
            note=S(required=True), reason=S(nullable=True)), "进展记录"),
    reassignments=L(M(date=D(required=True), lead=ID(required=True), responsible=L(ID()),
                      reason=S(required=True), decided_by=S(required=True)), "调整记录"),
)

CALENDAR = M("工作日历", years=M("年份", nullable=True), required=True)


# --- the check --------------------------------------------------------------------------------

def check(doc: Doc, spec: Field) -> tuple[Any, list[Problem]]:
    """Check `doc` against `spec`; return cleaned data and every problem found.

    Cleaned data: dates are `datetime.date`; a null optional field is left out (the model's default
    applies) except where null is meaningful (`nullable`); an empty list field is `[]`; a bad list
    entry of mappings becomes `{}` so positions stay aligned with the file.
    """
    problems: list[Problem] = []
    cleaned = _check(doc, doc.data, replace(spec, required=True), (), problems)
    return cleaned, problems


def complete(data: Any, spec: Field) -> bool:
    """Whether checked `data` still holds every required field of `spec`, at every level."""
    if spec.kind == "map" and spec.fields:
        if not isinstance(data, dict):
            return False
        return all(complete(data[key], f) if key in data else not f.required for key, f in spec.fields.items())
    if spec.kind == "list" and spec.items is not None and isinstance(data, list):
        return all(complete(v, spec.items) for v in data)
    return data is not None or spec.nullable or not spec.required


_MISSING = object()

# How to write each kind, for hints.
_EXAMPLES = {
    "str": "加引号的文字，例如 \"县民政局\"", "int": "整数，例如 3", "bool": "true 或 false",
    "date": "YYYY-MM-DD，例如 2026-03-15", "time": "HH:MM，例如 09:30",
    "id": "小写字母、数字和连字符，例如 minzheng", "list": "列表，例如 [a, b]，或每行一个“- 值”",
    "map": "“键: 值”的形式，每个键占一行", "number": "数字，例如 1.5",
}


def _check(doc: Doc, value: Any, spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    if value is None:
        if spec.nullable:
            return None
        if spec.required:
            where = _label(path) if path else "文件顶层"
            out.append(error(doc.at(*path), "wrong-type", f"{where}不能为空，应为{_TYPE_NAMES[spec.kind]}",
                             f"填上值，写成{_EXAMPLES[spec.kind]}。"))
            return _MISSING
        return [] if spec.kind == "list" else _MISSING
    kind = spec.kind
    if kind == "map":
        if not isinstance(value, dict):
            out.append(_wrong_type(doc, path, spec, value))
            return _MISSING
        return _check_map(doc, value, spec, path, out)
    if kind == "list":
        if not isinstance(value, list):
            out.append(_wrong_type(doc, path, spec, value))
            return _MISSING
        assert spec.items is not None
        items = []
        for i, v in enumerate(value):
            if v is None and not spec.items.nullable:
                out.append(error(doc.at(*path, i), "wrong-type", f"{_label(path + (i,))}是空的",
                                 "删去这一项，或填上内容。"))
                items.append(_MISSING)
            else:
                items.append(_check(doc, v, spec.items, path + (i,), out))
        if spec.items.kind == "map":  # keep list positions aligned with the file: a bad entry becomes {}
            return [{} if v is _MISSING else v for v in items]
        return [v for v in items if v is not _MISSING]
    if kind == "date":
        return _check_date(doc, value, path, out)
    if kind in ("str", "id", "time"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            out.append(_wrong_type(doc, path, spec, value))
            return _MISSING
        if kind == "str" and not isinstance(value, str):
            value = str(value)
        if kind == "id":
            if not isinstance(value, str) or not ID_RE.match(value):
                out.append(error(doc.at(*path), "unsafe-id", f"标识“{value}”不能用作文件名",
                                 "标识只能用小写英文字母、数字和连字符，以字母或数字开头（如 minzheng）；"
                                 "不能有空格、斜杠、“..”或汉字。"))
                return _MISSING
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(_wrong_type(doc, path, spec, value))
            return _MISSING
    elif kind == "bool":
        if not isinstance(value, bool):
            out.append(_wrong_type(doc, path, spec, value))
            return _MISSING
    if spec.enum and value not in spec.enum:
        allowed = "、".join(str(e) for e in spec.enum)
        near = difflib.get_close_matches(str(value), [str(e) for e in spec.enum], n=1)
        hint = (f"你是不是想写“{near[0]}”？" if near else "") + f"可选值：{allowed}。"
        out.append(error(doc.at(*path), "bad-enum", f"{_label(path)}的值“{value}”不在可选范围内", hint))
        return _MISSING
    return value


def _check_map(doc: Doc, value: dict[Any, Any], spec: Field, path: tuple[Any, ...], out: list[Problem]) -> Any:
    fields = spec.fields or {}
    if not fields:  # free-form mapping
        return value
    result: dict[str, Any] = {}
    suggested: set[str] = set()  # a missing field already named by a "did you mean" is not reported again
    for key, v in value.items():
        if key not in fields:
            near = difflib.get_close_matches(str(key), [f for f in fields if f not in value], n=1, cutoff=0.5)
            suggested.update(near)
            hint = f"你是不是想写“{near[0]}”？" if near else "可用的键：" + "、".join(fields) + "。"
            out.append(error(doc.key_at(*path, key), "unknown-key", f"未知的键“{key}”", hint))
            continue
        checked = _check(doc, v, fields[key], path + (key,), out)
        if checked is not _MISSING:
            result[key] = checked
    for key, f in fields.items():
        if f.required and key not in value and key not in suggested:
            where = spec.desc or (_label(path) if path else "")
            how = "可选值：" + "、".join(str(e) for e in f.enum) if f.enum else _EXAMPLES[f.kind]
            message = f"缺少必填字段“{key}”" + (f"（{where}）" if where else "")
            out.append(error(doc.key_at(*path), "missing-field", message,
                             f"添加“{key}: …”（{f.desc + '；' if f.desc else ''}{how}）。"))
    return result


def _check_date(doc: Doc, value: Any, path: tuple[Any, ...], out: list[Problem]) -> Any:
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if not DATE_RE.match(text):
        out.append(error(doc.at(*path), "bad-date", f"{_label(path)}的值“{text}”不是日期",
                         "日期写成 YYYY-MM-DD，例如 2026-03-15。"))
        return _MISSING
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        out.append(error(doc.at(*path), "bad-date", f"{_label(path)}的日期 {text} 不存在",
                         "检查月份和日期（例如 2 月没有 30 日）。"))
        return _MISSING


def _wrong_type(doc: Doc, path: tuple[Any, ...], spec: Field, value: Any) -> Problem:
    names = {dict: "映射", list: "列表", str: "文字", int: "整数", bool: "true/false", float: "小数"}
    got = names.get(type(value), "值")
    shown = f"“{value}”" if isinstance(value, (str, int, float)) and len(str(value)) <= 20 else ""
    where = _label(path) if path else "文件顶层"
    return error(doc.at(*path), "wrong-type", f"{where}应为{_TYPE_NAMES[spec.kind]}，实际是{got}{shown}",
                 f"写成{_EXAMPLES[spec.kind]}；各字段见 README“登记册文件”一节。")


def _label(path: tuple[Any, ...]) -> str:
    if not path:
        return "值"
    parts = [f"[{p + 1}]" if isinstance(p, int) else str(p) for p in path]
    return "“" + ".".join(parts).replace(".[", "[") + "”"
