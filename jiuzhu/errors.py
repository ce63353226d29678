"""One exception base with an exit code per kind (idea from todoman's exceptions).

Core code raises these for input the user can fix; the CLI prints the Chinese message and exits
with the code. Anything else escaping is a bug: exit 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jiuzhu.problems import Problem


class JiuzhuError(Exception):
    """An expected error: the message says, in Chinese, what is wrong and how to fix it."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputRefused(JiuzhuError):
    """Command-line input refused (unknown id, bad date, forbidden transition ...)."""


def no_registry(root: object) -> InputRefused:
    return InputRefused(f"找不到登记册目录：{root}",
                        "用 --registry 指定登记册目录，或设置环境变量 JIUZHU_REGISTRY；新建登记册用 jiuzhu init。")


class RegistryInvalid(JiuzhuError):
    """The registry has errors that stop a command from working on it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"登记册有 {len(problems)} 个错误，请先运行 jiuzhu validate 并修正。")
        self.problems = list(problems)
