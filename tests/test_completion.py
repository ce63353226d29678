"""Shell completion as a user meets it: the script `jiuzhu completion` prints, loaded by a real
bash, completes commands, sub-commands and options of the installed `jiuzhu`."""

from __future__ import annotations

import subprocess

import pytest
from conftest import installed_shell_env


def _complete(words: list[str]) -> list[str]:
    """What bash offers after `words` (the last one partly typed), through the printed script."""
    script = (f'eval "$(jiuzhu completion bash)"\n'
              f"COMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}\n"
              '_jiuzhu_completion jiuzhu\nprintf "%s\\n" "${COMPREPLY[@]}"\n')
    res = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=installed_shell_env(),
                         timeout=60, check=True)
    return [line for line in res.stdout.splitlines() if line]


def test_bash_completes_commands_subcommands_and_options() -> None:
    assert _complete(["jiuzhu", "val"]) == ["validate"]
    assert "overdue" in _complete(["jiuzhu", "tasks", "o"])
    assert set(_complete(["jiuzhu", "meeting", "n"])) == {"new", "notice"}
    assert "--format" in _complete(["jiuzhu", "tasks", "overdue", "--f"])


@pytest.mark.parametrize("shell, marker", [("bash", "_JIUZHU_COMPLETE=complete_bash"),
                                           ("zsh", "_JIUZHU_COMPLETE=complete_zsh"),
                                           ("fish", "_JIUZHU_COMPLETE=complete_fish"),
                                           ("powershell", "_JIUZHU_COMPLETE")])
def test_a_script_for_each_shell(jz, tmp_path, shell, marker) -> None:
    res = jz(tmp_path, "completion", shell)
    assert res.exit_code == 0, res.output
    assert marker in res.output and "jiuzhu" in res.output


def test_the_shell_is_taken_from_the_environment_or_asked_for(jz, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SHELL", "/usr/bin/zsh")
    assert "complete_zsh" in jz(tmp_path, "completion").output
    monkeypatch.setenv("SHELL", "/bin/tcsh")
    res = jz(tmp_path, "completion")
    assert res.exit_code == 1
    assert "无法从环境变量 SHELL 判断所用的 shell" in res.output
    res = jz(tmp_path, "completion", "tcsh")
    assert res.exit_code == 1
    assert "SHELL 的值“tcsh”不可用" in res.output
