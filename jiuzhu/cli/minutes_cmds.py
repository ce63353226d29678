"""`jiuzhu minutes circulate|reply|sign|issue`: the minutes from the meeting to their issue, through
the steps the registry sets before issue (征求与会单位意见, 签发)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from jiuzhu.cli.apps import minutes_app
from jiuzhu.cli.common import DateOpt, act_date, load, writes

MeetingArg = typer.Argument(metavar="会议", help="会议编号")


@minutes_app.command("circulate")
@writes
def minutes_circulate(
    meeting: Annotated[str, MeetingArg],
    date: Annotated[Optional[str], DateOpt] = None,
) -> None:
    """纪要稿送与会单位征求意见（制度规定“经与会单位同意后印发”时）；再次送出时以前的答复作废。"""
    from jiuzhu.cli.output import echo
    from jiuzhu.minutes import circulate
    from jiuzhu.queries import unit_names

    reg = load()
    asked = circulate(reg, meeting, act_date(date))
    echo(f"已将会议“{meeting}”的纪要稿送 {len(asked)} 个单位征求意见：{unit_names(reg, asked)}")
    echo(f"各单位答复用 jiuzhu minutes reply {meeting} --unit 单位 --agree（或 --comment 意见）登记。")


@minutes_app.command("reply")
@writes
def minutes_reply(
    meeting: Annotated[str, MeetingArg],
    unit: Annotated[str, typer.Option("--unit", metavar="单位", help="答复的单位")],
    agree: Annotated[bool, typer.Option("--agree", help="同意纪要稿")] = False,
    comment: Annotated[Optional[str], typer.Option("--comment", metavar="意见", help="修改意见（不同意时）")] = None,
    date: Annotated[Optional[str], DateOpt] = None,
) -> None:
    """登记一个与会单位对纪要稿的答复：同意（--agree），或提出意见（--comment）。"""
    from jiuzhu.cli.output import echo
    from jiuzhu.errors import InputRefused
    from jiuzhu.minutes import reply
    from jiuzhu.queries import unit_names

    if agree == bool(comment):
        raise InputRefused("--agree 和 --comment 须写且只写一个", "同意写 --agree；有修改意见写 --comment 意见。")
    reg = load()
    uid, st = reply(reg, meeting, unit, agree, comment, act_date(date))
    echo(f"已登记{reg.units[uid].name}的答复：{'同意' if agree else '有意见：' + (comment or '')}")
    if st.consented:
        echo(f"与会单位均已同意，可以印发：jiuzhu minutes issue {meeting}")
        return
    if st.comments:
        echo(f"  有意见：{unit_names(reg, tuple(u for u, _ in st.comments))}")
    if st.waiting:
        echo(f"  尚未答复：{unit_names(reg, st.waiting)}")


@minutes_app.command("sign")
@writes
def minutes_sign(
    meeting: Annotated[str, MeetingArg],
    by: Annotated[Optional[str], typer.Option("--by", metavar="职务",
                                              help="签发人：chief 或 convener（默认按制度）")] = None,
    date: Annotated[Optional[str], DateOpt] = None,
) -> None:
    """登记会议纪要的签发（制度规定纪要经召集人签发后印发时）。"""
    from jiuzhu import conveners
    from jiuzhu.cli.output import echo
    from jiuzhu.minutes import sign

    reg = load()
    role = sign(reg, meeting, by, act_date(date))
    assert reg.system is not None
    echo(f"已登记会议“{meeting}”的纪要由联席会议{conveners.title(reg.system, role)}签发。")


@minutes_app.command("issue")
@writes
def minutes_issue(
    meeting: Annotated[str, MeetingArg],
    date: Annotated[Optional[str], DateOpt] = None,
) -> None:
    """印发会议纪要：编号〔年份〕N号（制度不编号的只登记印发），记录报送对象；此后议定事项不能再改。
    制度规定印发前须征求与会单位意见或签发的，须先办完（jiuzhu minutes circulate / reply / sign）。"""
    from jiuzhu.cli.output import NAMELESS_CHAIR_HINT, echo, warn
    from jiuzhu.meetings import report_label
    from jiuzhu.minutes import issue_minutes

    reg = load()
    i = issue_minutes(reg, meeting, act_date(date))
    echo(f"已印发会议纪要 {i.number}（{i.issued}），{report_label(reg.system)}{i.reported_to}。")
    if i.decided:
        echo(f"  已议定的议题：{'、'.join(i.decided)}")
    if not i.chair_name:
        warn("会议主持人没有姓名，纪要中只写职务", NAMELESS_CHAIR_HINT)
