"""The single error handler (idea from pre-commit's error_handler): expected errors print a
Chinese message and exit with their code; anything else is a bug, exit 3, traceback only with
--debug."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer._click import Context, HelpFormatter
from typer.core import TyperGroup

DEBUG = {"on": False}


# Help is click's plain formatter with Chinese headings: typer's rich help costs ~80 ms of start-up
# (rich.markdown, markdown_it), more than all the rest of `jiuzhu --help`.
_HELP_WORDS = {"Options": "选项", "Arguments": "参数", "Commands": "命令",
               "Show this message and exit.": "显示本帮助并退出。", "[required]": "[必填]", "[default: ": "[默认："}


def _zh(text: str) -> str:
    for en, zh in _HELP_WORDS.items():
        text = text.replace(en, zh)
    return text


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_zh(heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _zh(text)) for term, text in rows], col_max, col_spacing)


class _Context(Context):
    formatter_class = _Formatter


class Group(TyperGroup):
    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["rich_markup_mode"] = None
        super().__init__(*args, **kwargs)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None and not isinstance(cmd, Group):  # leaf commands: plain Chinese help too
            cmd.rich_markup_mode = None  # type: ignore[attr-defined]
            cmd.context_class = _Context
        return cmd

    def invoke(self, ctx: typer.Context) -> Any:
        from jiuzhu.errors import JiuzhuError

        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort):  # usage errors, --help, exits
            raise
        except JiuzhuError as exc:
            from jiuzhu.cli.output import report_error

            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("已中断。", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: short message, exit 3
            if DEBUG["on"]:
                import traceback

                traceback.print_exc(file=sys.stderr)
            else:
                typer.echo(f"内部错误（{type(exc).__name__}: {exc}）。这是 jiuzhu 的缺陷，请加 --debug 重新运行并报告。",
                           err=True)
            raise typer.Exit(3) from None
