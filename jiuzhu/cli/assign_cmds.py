"""`jiuzhu assign`: suggest the lead and responsible units of a decision, with the reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from jiuzhu.cli.common import FormatOpt, load

if TYPE_CHECKING:
    from jiuzhu.assign import Candidate, Suggestion
    from jiuzhu.model import Registry


def register(app: typer.Typer) -> None:
    @app.command("assign")
    def assign(
        text: Annotated[str, typer.Argument(help="议定事项的文字")],
        area: Annotated[Optional[list[str]],
                        typer.Option("--area", "-a", help="补充领域（标识、名称或同义词），可重复")] = None,
        fmt: Annotated[str, FormatOpt] = "table",
    ) -> None:
        """根据成员单位职责建议议定事项的牵头单位和责任单位，并给出依据。"""
        from jiuzhu.assign import suggest, suggestion_dict
        from jiuzhu.cli.output import print_json

        if fmt not in ("table", "json"):
            raise typer.BadParameter("只能是 table 或 json", param_hint="--format")
        reg = load(founding=True)  # units and duties: meetings and tasks are not read
        result = suggest(reg, text, area or ())
        if fmt == "json":
            print_json(suggestion_dict(result))
        else:
            print_suggestion(reg, result)


def print_suggestion(reg: Registry, s: Suggestion) -> None:
    """The suggestion as the office reads it: areas, lead (or the tie), responsible units, reasons."""
    from jiuzhu.cli.output import echo

    names = "、".join(f"{reg.areas[a].name}（{a}）" for a in s.areas if a in reg.areas)
    echo(f"识别的领域：{names or '无'}")
    if s.lead is None:
        echo("牵头单位：无法建议（登记册未指定联席会议办公室所在单位）")
    elif s.no_match:
        echo(f"没有职责涵盖这一事项。建议牵头单位：{s.lead.name}（{s.lead.unit}，联席会议办公室所在单位）")
        echo(f"  依据：{s.lead.why}")
    elif s.tied:
        echo(f"以下 {len(s.tied) + 1} 个单位同样适合牵头，请会议确定其一：")
        for c in [s.lead, *s.tied]:
            _line(c, "  ")
    else:
        echo("牵头单位：")
        _line(s.lead, "  ")
    if s.responsible:
        echo(f"责任单位（{len(s.responsible)} 个）：")
        for c in s.responsible:
            _line(c, "  ")
    elif not s.no_match:
        echo("责任单位：无")


def _line(c: Candidate, indent: str) -> None:
    from jiuzhu.cli.output import echo

    echo(f"{indent}{c.name}（{c.unit}）  置信度 {c.confidence:.2f}")
    echo(f"{indent}  依据：{c.why}")
