"""The README's picture of the site: docs/site-overview.png, the overview page of the demo's site.

    make demo && .venv/bin/python scripts/site-screenshot.py out/site docs/site-overview.png

Opens the page from disk in the system's Chromium through Playwright (as tests/test_site_browser.py).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main(site: Path, png: Path) -> None:
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    if program is None:
        sys.exit("需要 Chromium：运行 scripts/setup-ci-tools.sh 安装")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=program, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
        page.goto((site / "index.html").resolve().as_uri())
        page.screenshot(path=str(png), full_page=True)
        browser.close()
    print(f"{png}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
