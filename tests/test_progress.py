"""The render progress bar: on a terminal, only after the render has taken a while; never in a pipe."""

from __future__ import annotations

import io
import time

from docs_registry import DOCS_FILES, MEETING_ID
from rich.console import Console

from jiuzhu.cli.progress import LazyBar


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100), out


def _wait_shown(bar: LazyBar) -> None:
    deadline = time.monotonic() + 10
    while bar._progress is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert bar._progress is not None, "进度条没有出现"


def test_a_slow_render_shows_the_bar_with_its_progress() -> None:
    console, out = _terminal()
    bar = LazyBar("正在生成进展情况通报（docx）", console, after=0.0)
    bar(200, 400)
    _wait_shown(bar)
    bar(300, 400)
    bar.close()
    text = out.getvalue()
    assert "正在生成进展情况通报（docx）" in text and "75%" in text


def test_a_quick_render_prints_nothing() -> None:
    console, out = _terminal()
    bar = LazyBar("正在生成会议纪要（docx）", console, after=60)
    bar(1, 2)
    bar.close()
    assert out.getvalue() == "" and bar._progress is None


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    out = io.StringIO()
    bar = LazyBar("正在生成会议纪要（docx）", Console(file=out, force_terminal=False), after=0.0)
    bar(1, 2)
    time.sleep(0.05)
    bar.close()
    assert out.getvalue() == "" and bar._timer is None


def test_cli_render_in_a_pipe_has_no_control_characters(jz, make_registry, tmp_path) -> None:
    res = jz(make_registry(DOCS_FILES), "minutes", "render", MEETING_ID, "-o", str(tmp_path / "纪要.docx"))
    assert res.exit_code == 0 and "\x1b" not in res.output
