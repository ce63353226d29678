"""System tools the tests need (Chromium, pdftotext, LibreOffice), installed by
scripts/setup-ci-tools.sh. In CI (env CI set) a missing tool fails the test; on a developer's
machine without it, the test is skipped and says what to install."""

from __future__ import annotations

import os
import shutil

import pytest

from jiuzhu.pdf import BROWSERS


def tool(names: tuple[str, ...], package: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"找不到 {names[0]}：请运行 scripts/setup-ci-tools.sh（安装 Debian 包 {package}）"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium() -> str:
    return tool(BROWSERS, "chromium")
