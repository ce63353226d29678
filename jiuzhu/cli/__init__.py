"""The command line: a thin typer layer. Commands parse, call one core function, print."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from jiuzhu.cli import apps, i18n
from jiuzhu.cli.common import STATE
from jiuzhu.cli.group import DEBUG, LazyGroup

leaves = typer.Typer()  # the top-level commands (validate, init, assign ...): built when used


class _Root(LazyGroup):
    leaves = leaves
    subapps = {"units": apps.units_app, "duties": apps.duties_app, "proposal": apps.proposal_app,
               "meeting": apps.meeting_app, "decision": apps.decision_app, "minutes": apps.minutes_app,
               "tasks": apps.tasks_app, "briefing": apps.briefing_app, "report": apps.report_app,
               "liaisons": apps.liaisons_app, "inspection": apps.inspection_app, "supervise": apps.supervise_app,
               "calendar": apps.calendar_app, "site": apps.site_app}


app = typer.Typer(
    cls=_Root,  # the command groups above are built when used (start-up time)
    name="jiuzhu",
    help="jiuzhu（救助）：用 git 中的 YAML 登记册运行社会救助工作联席会议。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from jiuzhu import __version__

        typer.echo(f"jiuzhu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    registry: Annotated[Optional[str], typer.Option(
        "--registry", "-r", help="登记册目录（默认 ./registry，或环境变量 JIUZHU_REGISTRY）")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出现内部错误时显示完整回溯")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="不使用解析缓存（缓存位置见 docs/performance.md）")] = False,
) -> None:
    STATE.registry = registry or os.environ.get("JIUZHU_REGISTRY") or "registry"
    STATE.no_cache = no_cache
    DEBUG["on"] = debug


# Command modules add their commands to the sub-apps on import; top-level commands are added by
# their module's `register(app)`. Keep them light: core imports go inside the command functions,
# the one place imports are not at the top — the core (ruamel.yaml, the model, jinja2, python-docx)
# would cost `jiuzhu --help` and every command's help 60-150 ms (python -X importtime).
from jiuzhu.cli import (  # noqa: E402
    assign_cmds,  # noqa: E402
    calendar_cmds,  # noqa: E402,F401
    docs_cmds,  # noqa: E402,F401
    evaluate_cmds,  # noqa: E402
    git_cmds,  # noqa: E402
    liaison_cmds,  # noqa: E402,F401
    minutes_cmds,  # noqa: E402,F401
    registry_cmds,  # noqa: E402
    rollup_cmds,  # noqa: E402
    shell_cmds,  # noqa: E402
    site_cmds,  # noqa: E402,F401
    supervision_cmds,  # noqa: E402,F401
    tasks_cmds,  # noqa: E402,F401
    workflow_cmds,  # noqa: E402,F401
)

i18n.install()

registry_cmds.register(leaves)
assign_cmds.register(leaves)
evaluate_cmds.register(leaves)
rollup_cmds.register(leaves)
git_cmds.register(leaves)
shell_cmds.register(leaves)


def main() -> None:
    """The `jiuzhu` program. It ends without tearing down what it loaded: freeing a province's
    registry object by object takes longer than answering (0.35 s of `tasks overdue` on 100k
    tasks); every file it writes is complete and closed before the command returns."""
    try:
        shell_cmds.prepare()
        app(prog_name="jiuzhu")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BrokenPipeError:
        code = 0
    except OSError as exc:  # output that could not be written outside a command (help, --version)
        code = _cut_short(exc)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `jiuzhu … | head`: the reader left
        pass
    except OSError as exc:  # a full disk, a file-size limit: the output is cut short
        code = _cut_short(exc)
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


def _cut_short(exc: OSError) -> int:
    try:
        sys.stderr.write(f"错误：输出没有写完（{exc.strerror or exc}）\n  提示：检查磁盘空间和输出文件的位置。\n")
    except OSError:
        pass
    return 1
