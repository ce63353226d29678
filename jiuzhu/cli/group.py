"""The single error handler (idea from pre-commit's error_handler): expected errors print a
Chinese message and exit with their code; anything else is a bug, exit 3, traceback only with
--debug."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup


DEBUG = {"on": False}


class Group(TyperGroup):
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
