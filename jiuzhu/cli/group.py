"""The single error handler (idea from pre-commit's error_handler): expected errors print a
Chinese message and exit with their code; anything else is a bug, exit 3, traceback only with
--debug."""

from __future__ import annotations

import inspect
import sys
from typing import Any

import click
import typer
from typer.core import TyperCommand, TyperGroup

from jiuzhu.cli.i18n import chinese_params

DEBUG = {"on": False}


# Help is click's plain formatter: typer's rich help costs ~80 ms of start-up (rich.markdown,
# markdown_it), more than all the rest of `jiuzhu --help`. Its words come through gettext (i18n).
class _Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")  # full-width colon, as 用法：


class _Context(click.Context):
    formatter_class = _Formatter


class Group(TyperGroup):
    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["rich_markup_mode"] = None
        kwargs["suggest_commands"] = False  # typer's suggestion is English: resolve_command says it
        super().__init__(*args, **kwargs)
        chinese_params(self)

    # Commands not built yet, by name (registration order): typer builds a command's parameters
    # from its signature (~2 ms each); a run builds only the one it runs (`built_lazily`).
    lazy: dict[str, Any] = {}
    pretty_short = True  # typer's default; `built_lazily` takes the app's
    _stubs = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.lazy, *(n for n in super().list_commands(ctx) if n not in self.lazy)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        info = self.lazy.get(cmd_name)
        if info is not None and cmd_name not in self.commands:
            if self._stubs:  # a group's help lists only each command's name and help line
                return TyperCommand(cmd_name, help=_help_of(info), short_help=info.short_help, hidden=info.hidden,
                                    deprecated=info.deprecated)
            self.commands[cmd_name] = typer.main.get_command_from_info(
                info, pretty_exceptions_short=self.pretty_short, rich_markup_mode=None)
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None and not isinstance(cmd, Group):  # leaf commands: plain Chinese help too
            cmd.rich_markup_mode = None  # type: ignore[attr-defined]
            cmd.context_class = _Context
            chinese_params(cmd)
        return cmd

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        self._stubs = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._stubs = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            if args and not args[0].startswith("-"):
                import difflib

                close = difflib.get_close_matches(args[0], self.list_commands(ctx))
                score = {m: difflib.SequenceMatcher(None, args[0], m).ratio() for m in close}
                matches = [m for m in close if score[m] >= max(score.values()) - 0.1]  # the clearly nearest
                if matches:
                    exc.message = f"{exc.message}是不是要用 {'、'.join(matches)}？"
            raise

    def invoke(self, ctx: Any) -> Any:
        from jiuzhu.errors import JiuzhuError

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):  # usage errors, --help, exits
            raise
        except JiuzhuError as exc:
            from jiuzhu.cli.output import report_error

            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:  # `jiuzhu ... | head`: the reader left; not an error of ours
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:  # a path that cannot be written or read: the user's to fix, not a bug
            where = f"：{exc.filename}" if exc.filename else ""
            typer.echo(f"错误：无法读写文件{where}（{exc.strerror or exc}）", err=True)
            typer.echo("  提示：检查路径是否存在、是不是目录、有没有写权限、文件名是否过长。", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("已中断。", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: short message, exit 3
            if DEBUG["on"]:
                import traceback

                traceback.print_exc(file=sys.stderr)
            else:
                typer.echo(f"内部错误（{type(exc).__name__}: {exc}）。"
                           "这是 jiuzhu 的缺陷，请加 --debug 重新运行并报告。", err=True)
            raise typer.Exit(3) from None


def built_lazily(app: typer.Typer) -> Group:
    """typer's group for `app` (a sub-app made with cls=Group) with none of its commands built
    yet: Group.get_command builds each when it is first asked for."""
    infos = app.registered_commands
    app.registered_commands = []
    try:
        group = typer.main.get_group(app)
    finally:
        app.registered_commands = infos
    assert isinstance(group, Group), "a jiuzhu sub-app is made with cls=Group (jiuzhu.cli.apps)"
    group.pretty_short = app.pretty_exceptions_short
    group.lazy = commands_of(app)
    return group


def commands_of(app: typer.Typer) -> dict[str, Any]:
    """The commands registered on `app`, by name, in their order."""
    return {info.name or typer.main.get_command_name(getattr(info.callback, "__name__", "")): info
            for info in app.registered_commands}


def _help_of(info: Any) -> str:
    """A command's help as typer gives it: its `help=`, else its docstring."""
    return inspect.cleandoc(info.help) if info.help is not None else inspect.getdoc(info.callback) or ""


class LazyGroup(Group):
    """The root group: its commands (`leaves`, a typer app holding them) and sub-apps (`units`,
    `tasks` ...) are built from their typer definitions only when used."""

    subapps: dict[str, typer.Typer] = {}
    leaves: typer.Typer | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.leaves is not None:
            self.lazy = commands_of(self.leaves)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in self.subapps if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        sub = self.subapps.get(cmd_name)
        if sub is None or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        if self._stubs:  # the root help lists only a name and a help line
            return TyperCommand(cmd_name, help=sub.info.help)
        sub.info.name = cmd_name
        self.commands[cmd_name] = built_lazily(sub)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        """Every argument must be text: bytes that are not UTF-8 reach Python as lone surrogates,
        which no file can hold (`--note $'\\xff'` would write a file the reader rejects)."""
        for arg in args:
            if any("\ud800" <= c <= "\udfff" for c in arg):
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise click.UsageError(f"参数“{shown}”含有不是 UTF-8 文字的字节，请检查终端和输入法的编码", ctx)
        return super().parse_args(ctx, args)
