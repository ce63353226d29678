"""The README's picture of the site: docs/site-overview.png, the overview page of the demo's site.

    make demo && .venv/bin/python scripts/site-screenshot.py out/site docs/site-overview.png

Opens the page from disk in the system's Chromium through Playwright (as tests/test_site_browser.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from jiuzhu import pdf
from jiuzhu.errors import InputRefused


def main(site: Path, png: Path) -> None:
    try:
        program = pdf.browser()
    except InputRefused as exc:
        sys.exit(f"{exc.message}（{exc.hint}）")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=program, args=[*pdf.QUIET_FLAGS, *pdf.root_flags()])
        page = browser.new_page(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
        page.goto((site / "index.html").resolve().as_uri())
        page.screenshot(path=str(png), full_page=True)
        browser.close()
    print(f"{png}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
