"""Field specs of every registry file kind (the check that applies them: jiuzhu.schema_check).

The check returns the data with its types made real (dates become `datetime.date`) and invalid
values removed, so that the model can be built from whatever is sound and every problem is still
reported, each at its own line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

TYPE_NAMES = {
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


def N(desc: str = "", *, required: bool = False) -> Field:
    """A number, whole or not (a weight, a fraction)."""
    return Field("number", required, desc=desc)


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
TEXT_ITEM = M("条目", id=ID("编号", required=True), text=S("原文", required=True), areas=L(ID(), "涉及领域"),
              ref=S("引用时的条款号，如 议事规则四、1"))

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
    conveners=M("召集人", required=True,
                chief=M("总召集人（没有总召集人时删去）", nullable=True, name=S("姓名", nullable=True),
                        post=S("职务", nullable=True)),
                conveners=L(PERSON, "召集人"),
                titles=M("称谓", chief=S("总召集人的称谓"), convener=S("召集人的称谓")),
                approves=S("议题审定人", enum=("chief", "convener")),
                chairs=S("联席会议默认主持人", enum=("chief", "convener")),
                delegation=B("召集人可委托有关同志主持")),
    office=M(
        "联席会议办公室", required=True,
        unit=ID("所在成员单位", required=True), director=S("办公室主任", nullable=True),
        deputy_directors=L(S(), "办公室副主任"),
        text=S("原文", nullable=True), duties=L(TEXT_ITEM, "办公室职责"),
    ),
    duties=L(TEXT_ITEM, "联席会议职责"),
    rules=L(M(id=ID(required=True), text=S(required=True), ref=S("引用时的条款号，如 议事规则四、1")), "议事规则原文"),
    parameters=M(
        "议事规则参数", required=True,
        regular_meetings_per_year=I("每年例会次数（默认 1）"),
        liaison_meeting_before_joint=B("联席会议前须开联络员会议（默认是）"),
        minutes_report_to=S("会议纪要报送（默认本级政府）"),
        basis=M("各项检查依据的议事规则（规则编号）", regular_meetings=ID(), liaison_before_joint=ID(),
                approval=ID(), minutes_workflow=ID(), major_issues=ID()),
        minutes_send_to=S("会议纪要抄送"),
        major_issues_to=S("重大问题经联席会议讨论后，由牵头单位报谁决定（如 国务院）"),
        minutes_workflow=M("会议纪要印发前的步骤",
                           steps=L(S(enum=("consent", "sign")), "依次为：consent 征求与会单位意见、sign 签发"),
                           consent_of=S("须同意的单位", enum=("attended", "expected")),
                           sign_by=S("签发人", enum=("chief", "convener"))),
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
                       from_workdays=I("距到期的工作日数（负数为到期前）", required=True),
                       after_notices=I("已发督办通知单达到几次即升到此级", nullable=True),
                       reply_workdays=I("此级通知单要求几个工作日内回复", nullable=True),
                       title=S("此级通知单的标题", nullable=True)),
                     "督办升级阶梯"),
        documents=M(
            "公文设置",
            minutes_mark=S("纪要标志"), briefing_mark=S("简报标志"), issuing_office=S("印发机关"),
            briefing_compiler=S("简报编印单位"), copies=I("印数", nullable=True),
            report_title=S("进展通报标题"),
            briefing_report_to=S("简报报送（报）"), briefing_send_to=S("简报抄送（送）"),
            briefing_distribute_to=S("简报分发（发）"),
            rectification_requirement=S("检查情况通报中的整改要求"),
            reply_requirement=S("督办通知单中的回复要求"),
            evaluation_title=S("年度绩效评价报告标题"),
            report_requirements=L(S(), "进展情况通报的工作要求（每条一段；督办阶梯一段自动附在最后）"),
            minutes_report_label=S("纪要版记中报送的写法", enum=("报", "抄报")),
            minutes_numbered=B("纪要编号印发（不刻制印章、不正式行文的制度写 false）"),
            meeting_names=M("各类会议的名称", regular=S("例会"), adhoc=S("临时会议"), liaison=S("联络员会议")),
        ),
    ),
    briefings=M("简报期号记录", issued=L(M(year=I(required=True), number=I(required=True),
                                             date=D(required=True), from_=D(nullable=True),
                                             to=D(nullable=True)))),
    reports=M("通报期号记录", issued=L(M(year=I(required=True), number=I(required=True),
                                           date=D(required=True), scope=S("通报范围", nullable=True)))),
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

def contact(desc: str) -> Field:
    """An official's work contact: with the history below, the only place a mobile number may stand
    (jiuzhu.privacy)."""
    return M(desc, nullable=True, name=S("姓名", nullable=True), post=S("职务", nullable=True),
             phone=S("办公电话", nullable=True), mobile=S("手机", nullable=True), since=D("任职起", nullable=True))

UNIT = M(
    "成员单位",
    id=ID("单位标识，与文件名一致", required=True),
    name=S("单位名称（成立文件中的写法）", required=True),
    aliases=L(S(), "别名：办事人员常用的其他叫法，如 县医保局"),
    kind=S("单位类别", required=True, enum=("government", "party", "mass", "vertical", "enterprise")),
    order=I("在成立文件中的顺序", required=True),
    item=I("成立文件条目号", nullable=True),
    active=B("是否仍为成员单位"),
    since=D("加入日期", nullable=True),
    until=D("退出日期", nullable=True),
    liaison=contact("联络员"),
    deputy=contact("备用联络员"),
    member=M("联席会议成员（本单位有关负责同志）", nullable=True, name=S("姓名", nullable=True),
             post=S("职务", nullable=True)),
    liaison_history=L(M(role=S("联络员或备用联络员", required=True, enum=("liaison", "deputy")),
                        name=S("姓名", required=True), post=S("职务", nullable=True),
                        phone=S("办公电话", nullable=True), mobile=S("手机", nullable=True),
                        from_=D("任职起", nullable=True), to=D("任职止", required=True)),
                      "联络员变更记录（更早的联络员、备用联络员）"),
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

DUE_RULE = M("时限计算方式", nullable=True, workdays=I(required=True), from_=D(required=True),
             source=S(required=True, enum=("chinese-calendar", "calendar.yaml", "weekends")))

DECISION = M(
    "议定事项",
    id=ID("事项编号", required=True),
    text=S("内容", required=True),
    areas=L(ID(), "领域"),
    lead=ID("牵头单位", required=True),
    responsible=L(ID(), "责任单位"),
    due=D("完成时限", nullable=True),
    ongoing=B("长期坚持"),
    due_rule=DUE_RULE,
    proposal=ID("来源议题", nullable=True),
    refer=B("重大问题，由牵头单位报本级政府决定"),
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
    chair=M("主持人", role=S(enum=("chief", "convener", "delegate", "office")), name=S(nullable=True)),
    expected=L(ID(), "应到单位"),
    attendance=M("出席情况", attended=L(ATTENDEE), excused=L(ATTENDEE), observers=L(ATTENDEE)),
    agenda=L(ID(), "议程（议题编号）"),
    heard=L(S(), "听取汇报"),
    decisions=L(DECISION, "议定事项"),
    minutes=M("纪要印发", nullable=True, year=I(required=True), number=I("纪要编号（不编号的制度不写）"),
              issued=D(required=True),
              reported_to=S(required=True)),
    consent=M("纪要稿征求与会单位意见", circulated=D("送出日期", required=True),
              digest=S("送出时议定事项的摘要值（jiuzhu 计算，勿手改）", required=True),
              replies=L(M(unit=ID(required=True), date=D(required=True),
                          result=S("答复", required=True, enum=("同意", "有意见")), comment=S("意见", nullable=True)),
                        "各单位答复")),
    signed=M("纪要签发", date=D(required=True), by=S("签发人", required=True, enum=("chief", "convener")),
             digest=S("签发时议定事项的摘要值（jiuzhu 计算，勿手改）", required=True)),
)

TASK = M(
    "任务进展",
    task=ID("议定事项编号", required=True),
    log=L(M(date=D(required=True), by=ID(required=True), percent=I(nullable=True),
            status=S(enum=("未开始", "推进中", "已完成", "长期坚持"), nullable=True),
            note=S(required=True), reason=S(nullable=True),
            reply_to=ID("所回复的督办通知单编号", nullable=True)), "进展记录"),
    reassignments=L(M(date=D(required=True), lead=ID(required=True), responsible=L(ID()),
                      reason=S(required=True), decided_by=S(required=True)), "调整记录"),
)

INSPECTION_KINDS = ("专项检查", "重点抽查", "专题走访", "调研")
FINDING = M(
    "检查发现的问题（整改任务）",
    id=ID("整改任务编号", required=True),
    text=S("问题及整改要求", required=True),
    areas=L(ID(), "领域"),
    lead=ID("整改单位", required=True),
    responsible=L(ID(), "配合单位"),
    due=D("整改时限", nullable=True),
    due_rule=DUE_RULE,
)
INSPECTION = M(
    "检查",
    id=ID("检查编号", required=True),
    kind=S("类型", required=True, enum=INSPECTION_KINDS),
    topic=S("检查内容", required=True),
    date=D("日期", required=True),
    lead=ID("组织单位", required=True),
    units=L(ID(), "被检查单位", required=True),
    findings=L(FINDING, "发现的问题"),
    seed=S("抽查随机种子", nullable=True),
    samples=L(M(task=ID("抽查的任务", required=True), result=S("核实结果", nullable=True, enum=("属实", "不属实")),
                checked=D("核实日期", nullable=True), reason=S("不属实的原因", nullable=True)), "抽查的任务"),
)

NOTICE = M(
    "督办通知单",
    id=ID("通知单编号", required=True),
    unit=ID("被督办单位", required=True),
    date=D("发出日期", required=True),
    level=S("督办等级", required=True),
    tasks=L(ID(), "督办的任务", required=True),
    reply_due=D("回复时限", required=True),
)

MEASURES = ("tasks_on_time", "findings_on_time", "progress_reports", "attendance", "notice_replies", "manual")
EVALUATION = M(
    "年度绩效评价规则",
    indicators=L(M(
        id=ID("指标标识", required=True),
        name=S("指标名称", required=True),
        weight=I("分值（各指标合计 100）", required=True),
        measure=S("计算方式", required=True, enum=MEASURES),
        within_workdays=I("progress_reports：议定后几个工作日内首次报告进展", nullable=True),
        excused=N("attendance：请假按几次出席计（0–1）"),
        kinds=L(S(enum=("regular", "adhoc", "liaison")), "attendance：计入的会议类型"),
        source=S("manual：评分来源（如 自评、办公室评分）", nullable=True),
    ), "评价指标", required=True),
    no_data=S("某单位某项指标当年无可计之事时", enum=("full", "exclude")),
    improve_below=I("总分低于此分的单位在报告中单列改进意见", nullable=True),
    scores=M("人工评分：年份 → 单位 → 指标标识: 分数（0–100），可加 note", nullable=True),
)

CALENDAR = M("工作日历", years=M("年份", nullable=True), required=True)


# --- the check --------------------------------------------------------------------------------


