"""The command groups. Each command module adds its commands to these; `jiuzhu.cli` wires them."""

from __future__ import annotations

import typer

from jiuzhu.cli.group import Group

units_app = typer.Typer(cls=Group, help="成员单位：列表、详情、更名、合并、撤销。", no_args_is_help=True)
duties_app = typer.Typer(cls=Group, help="职责：单位职责、领域×单位职责矩阵。", no_args_is_help=True)
proposal_app = typer.Typer(cls=Group, help="议题：提出、初审、审定、列表。", no_args_is_help=True)
meeting_app = typer.Typer(cls=Group, help="会议：新建、列表、详情、会议通知。", no_args_is_help=True)
decision_app = typer.Typer(cls=Group, help="议定事项：添加。", no_args_is_help=True)
minutes_app = typer.Typer(cls=Group, help="会议纪要：征求意见、签发、印发、生成文档。", no_args_is_help=True)
tasks_app = typer.Typer(cls=Group, help="督办任务：列表、逾期、即将到期、报告进展。", no_args_is_help=True)
briefing_app = typer.Typer(cls=Group, help="工作简报。", no_args_is_help=True)
report_app = typer.Typer(cls=Group, help="进展情况通报。", no_args_is_help=True)
liaisons_app = typer.Typer(cls=Group, help="联络员：通讯录、变更、导出（docx、xlsx、手机通讯录）。",
                           no_args_is_help=True)
inspection_app = typer.Typer(cls=Group, help="检查：专项检查、重点抽查、专题走访、调研，发现问题的整改任务和抽查核实。",
                             no_args_is_help=True)
supervise_app = typer.Typer(cls=Group, help="督办：督办通知单（催办、督办、通报、约谈）及其回复。",
                            no_args_is_help=True)
calendar_app = typer.Typer(cls=Group, help="日历：会议和任务完成时限导出为 iCalendar（.ics），供手机和办公日历订阅。",
                           no_args_is_help=True)
site_app = typer.Typer(cls=Group, help="静态网站：概况、会议、成员单位、职责矩阵、任务和搜索，离线可用。",
                       no_args_is_help=True)
