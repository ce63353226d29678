"""PDF through headless Chromium, printing the document's print-ready HTML.

Why Chromium and not LibreOffice from the .docx: the HTML is the layout checked against GB/T 9704
(28 characters a line, the 版记 at the foot of the last page, the mark's distance from the top),
and Chromium prints it as it is, embedding the fonts it used. LibreOffice lays a .docx out with
its own rules (its grid gave 14 characters a line), so its PDF would be a second, different page.

Chromium is a system program, not a Python package: `browser()` finds it (or $JIUZHU_BROWSER)
and says how to install it when missing, before any work is done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jiuzhu.errors import InputRefused

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ENV = "JIUZHU_BROWSER"
TIMEOUT = 120  # seconds; a 5,000-row 通报 prints in well under a minute
# Headless Chromium that stays off the network: county machines are often offline, and without these
# flags it tries Google's hosts at every start. Also used by the site's browser tests and screenshot.
QUIET_FLAGS = ("--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-quic")


def root_flags() -> tuple[str, ...]:
    """Chromium refuses to start as root with its sandbox."""
    return ("--no-sandbox",) if hasattr(os, "geteuid") and os.geteuid() == 0 else ()


def browser() -> str:
    """The Chromium to print with: $JIUZHU_BROWSER, else the first of BROWSERS on PATH."""
    chosen = os.environ.get(BROWSER_ENV)
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise InputRefused(f"环境变量 {BROWSER_ENV} 指定的浏览器“{chosen}”找不到或不能执行",
                               "改成 Chromium 或 Chrome 程序的完整路径，或删除这个环境变量。")
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise InputRefused("生成 PDF 需要 Chromium（用它打印按 GB/T 9704 排版的 HTML），本机没有找到",
                       "Debian/Ubuntu：sudo apt-get install chromium fonts-noto-cjk；或用环境变量 "
                       f"{BROWSER_ENV} 指定 Chromium/Chrome 程序。也可以先生成 .docx 或 .html。")


def check_fonts() -> None:
    """Refuse when the system has no Chinese font: Chromium would print empty boxes, silently."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:  # no fontconfig to ask: Chromium finds its fonts another way
        return
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return
    if not found.strip():
        raise InputRefused("本机没有中文字体，生成的 PDF 里汉字会变成方框",
                           "安装中文字体，例如 Debian/Ubuntu：sudo apt-get install fonts-noto-cjk。")


def html_to_pdf(html: bytes, program: str | None = None) -> bytes:
    """The PDF Chromium prints from `html` (A4 and margins come from the page's own CSS)."""
    program = program or browser()
    with tempfile.TemporaryDirectory(prefix="jiuzhu-pdf-") as tmp:
        page, pdf = Path(tmp) / "document.html", Path(tmp) / "document.pdf"
        page.write_bytes(html)
        argv = [program, *QUIET_FLAGS, *root_flags(), f"--user-data-dir={Path(tmp) / 'profile'}",
                f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise InputRefused(f"Chromium 在 {TIMEOUT} 秒内没有打印完 PDF",
                               "再试一次；文档很长时可先生成 .docx 或 .html。") from None
        except OSError as exc:
            raise InputRefused(f"无法运行 Chromium（{program}）：{exc.strerror or exc}",
                               f"检查安装，或用环境变量 {BROWSER_ENV} 指定浏览器程序。") from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            detail = (done.stderr or "").strip().splitlines()[-1:] or [f"退出码 {done.returncode}"]
            raise InputRefused(f"Chromium 没有生成 PDF（{detail[0]}）",
                               f"检查 Chromium 能否运行：{program} --headless --version。")
        return pdf.read_bytes()
