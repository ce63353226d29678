"""Chinese for the words click and typer print (usage errors, help headings, prompts), through
their gettext hook: click and typer mark every message with `gettext.gettext`, which reads the
catalogue of the current text domain (jiuzhu/locale/zh_CN/LC_MESSAGES/jiuzhu.mo, compiled from
jiuzhu.po beside it). jiuzhu speaks Chinese whatever the terminal's locale, so the language is set
for this process. Metavars and the usage line's placeholders are attributes of each command."""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Any

import click

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "jiuzhu"

# What an option's value is, by option name, then by type: help reads `--date 日期`, not `TEXT`.
_METAVAR_BY_OPTION = {
    "--date": "日期", "--due": "日期", "--as-of": "日期", "--since": "日期", "--from": "日期", "--to": "日期",
    "--time": "时间", "--unit": "单位", "--lead": "单位", "--resp": "单位", "--responsible": "单位",
    "--to-unit": "单位", "--into": "单位", "--registry": "目录", "--output": "文件", "--format": "格式",
    "--percent": "百分比", "--kind": "类别", "--title": "标题", "--text": "文字", "--note": "说明",
    "--name": "姓名", "--place": "地点", "--chair": "主持人", "--opinion": "意见", "--summary": "摘要",
    "--status": "状态", "--by": "办理人", "--meeting": "会议", "--base": "版本", "--head": "版本", "--against": "版本",
    "--reviewer": "账号", "--office-team": "账号", "--decided-by": "会议或领导", "--org": "单位",
    "--reason": "原因", "--number": "期号", "--year": "年份", "--within": "工作日数", "--due-workdays": "工作日数",
    "--area": "领域", "--proposal": "议题", "--duty": "职责", "--duties-to": "单位", "--jurisdiction": "辖区",
    "--style": "样式",
}
_METAVAR_BY_ARGUMENT = {"text": "文字", "meeting": "会议", "rev1": "版本", "rev2": "版本", "unit": "单位",
                        "units": "单位", "directory": "目录", "task": "任务", "ident": "编号",
                        "duties": "职责", "shell": "SHELL"}
_METAVAR_BY_TYPE = {"text": "文字", "integer": "整数", "float": "数", "boolean": "是/否",
                    "path": "路径", "file": "文件", "directory": "目录", "integer range": "整数",
                    "float range": "数"}
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."


def install() -> None:
    """Route click's and typer's messages to jiuzhu's Chinese catalogue (idempotent)."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = "zh_CN"


def chinese_params(command: Any) -> None:
    """Chinese placeholders for one command: its usage line and each option's metavar."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
    for param in command.params:
        if param.metavar is not None or getattr(param, "is_flag", False):
            continue
        if isinstance(param, click.Option):
            long = next((o for o in param.opts if o.startswith("--")), "")
            param.metavar = _METAVAR_BY_OPTION.get(long) or _by_type(param.type)
        else:
            param.metavar = _METAVAR_BY_ARGUMENT.get(param.name or "") or _by_type(param.type)


def _by_type(kind: click.ParamType) -> str | None:
    if isinstance(kind, click.Choice):
        return None  # click shows the choices themselves: [table|json]
    return _METAVAR_BY_TYPE.get(kind.name, "值")
