"""The print-ready HTML printed to PDF by headless Chromium: A4 pages, page count, text, page numbers.

In CI (env CI set) these tests must run: a missing browser or pdftotext fails them. Locally they
skip only when the tools are missing (scripts/setup-ci-tools.sh installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docs_registry import DOCS_FILES, MEETING_ID
from pypdf import PdfReader

A4_PT = (595.28, 841.89)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _tool(names: tuple[str, ...], package: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"找不到 {names[0]}：请运行 scripts/setup-ci-tools.sh（安装 Debian 包 {package}）"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> str:
    return _tool(BROWSERS, "chromium")


@pytest.fixture(scope="module")
def pdftotext() -> str:
    return _tool(("pdftotext",), "poppler-utils")


def print_pdf(browser: str, html: Path, tmp_path: Path) -> Path:
    pdf = html.with_suffix(".pdf")
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
         html.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert pdf.exists(), "Chromium 没有生成 PDF"
    return pdf


def _render(jz, reg: Path, tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / f"{name}.html"
    result = jz(reg, *args, "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _text(pdftotext: str, pdf: Path) -> str:
    return subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _assert_a4(pdf: Path) -> int:
    reader = PdfReader(str(pdf))
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4_PT[0]) < 1.5 and abs(float(box.height) - A4_PT[1]) < 1.5
    return len(reader.pages)


def test_minutes_pdf(jz, make_registry, tmp_path, browser, pdftotext):
    html = _render(jz, make_registry(DOCS_FILES), tmp_path, "minutes", "minutes", "render", MEETING_ID)
    pdf = print_pdf(browser, html, tmp_path)
    assert _assert_a4(pdf) == 2
    text = _text(pdftotext, pdf)
    flat = re.sub(r"\s+", "", text)
    assert "测试县社会救助工作联席会议纪要" in flat
    assert "〔2026〕3号" in flat
    assert "现将会议议定事项纪要如下：" in flat
    assert "（牵头单位：县民政局；责任单位：县财政局；完成时限：2026年12月31日前）" in flat
    assert "县社会救助工作联席会议办公室2026年11月30日印发" in flat
    pages = text.split("\f")
    assert re.search(r"—\s*1\s*—", pages[0]) and re.search(r"—\s*2\s*—", pages[1])


def test_progress_report_pdf_with_annex_table(jz, make_registry, tmp_path, browser, pdftotext):
    html = _render(jz, make_registry(DOCS_FILES), tmp_path, "progress", "report", "progress", "--as-of", "2026-12-15")
    pdf = print_pdf(browser, html, tmp_path)
    pages = _assert_a4(pdf)
    assert pages == 3
    last = re.sub(r"\s+", "", _text(pdftotext, pdf).split("\f")[pages - 1])
    assert last.startswith("附件联席会议议定事项进展情况表")
    assert "序号议定事项牵头单位责任单位完成时限进展情况状态备注" in last


def test_missing_browser_fails_in_ci_and_skips_locally(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="找不到 no-such-browser"):
        _tool(("no-such-browser",), "chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _tool(("no-such-browser",), "chromium")
