"""Shell completion: `jiuzhu completion [SHELL]` prints the script a shell loads once."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

COMPLETE_VAR = "_JIUZHU_COMPLETE"  # set by the completion script when the shell asks for candidates
SHELLS = {"bash": "bash", "zsh": "zsh", "fish": "fish", "powershell": "PowerShell", "pwsh": "PowerShell 7"}


def prepare() -> None:
    """Before the app runs: when a shell asks for candidates, use typer's completion classes (the
    ones whose scripts `completion` prints). Nothing is imported on ordinary runs."""
    if COMPLETE_VAR in os.environ:
        from typer.completion import completion_init

        completion_init()


def register(app: typer.Typer) -> None:
    @app.command("completion")
    def completion(
        shell: Annotated[Optional[str], typer.Argument(
            help="bash、zsh、fish、powershell 或 pwsh（默认按环境变量 SHELL）")] = None,
    ) -> None:
        """打印命令补全脚本，按 Tab 补全命令、选项和取值。

        bash：把 eval "$(jiuzhu completion bash)" 这一行加入 ~/.bashrc；zsh：加入 ~/.zshrc（用 zsh）；
        fish：jiuzhu completion fish > ~/.config/fish/completions/jiuzhu.fish。重开终端后生效。
        """
        from typer.completion import completion_init, get_completion_script

        from jiuzhu import parse
        from jiuzhu.errors import InputRefused

        if shell is None:
            shell = os.path.basename(os.environ.get("SHELL", ""))
            if shell not in SHELLS:
                raise InputRefused("无法从环境变量 SHELL 判断所用的 shell",
                                   "写明 shell：jiuzhu completion bash（或 zsh、fish、powershell、pwsh）。")
        chosen = parse.choice(shell, SHELLS, "SHELL")
        completion_init()
        typer.echo(get_completion_script(prog_name="jiuzhu", complete_var=COMPLETE_VAR, shell=chosen))
