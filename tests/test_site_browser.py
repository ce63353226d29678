"""The static site in a real browser (issue 17 §1): headless Chromium (the system's, installed by
scripts/setup-ci-tools.sh) driven by Playwright, pages opened from disk as a user would (file://).

Every page loads without a console error, every link and anchor resolves, filtering by a unit shows
only its tasks, sorting reorders, the chart has a bar per unit with overdue tasks, search finds a
duty. In CI (env CI set) a missing Chromium fails these tests; locally they skip.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import MINI_FILES, ROOT, build_tree, ok
from supervision_registry import SUPERVISION_FILES
from tools import chromium

from jiuzhu.pdf import QUIET_FLAGS, root_flags

AS_OF = "2026-12-31"
FLAGS = [*QUIET_FLAGS, *root_flags()]


@pytest.fixture(scope="module")
def site(tmp_path_factory, runner) -> tuple[Path, Path]:
    """(registry, site folder): the supervision registry plus a scheduled meeting, built as of AS_OF."""
    from jiuzhu.cli import app

    base = tmp_path_factory.mktemp("site")
    reg = build_tree(base / "registry", {**MINI_FILES, **SUPERVISION_FILES})

    def jz(registry: Path, *args: str) -> object:
        return runner.invoke(app, ["--registry", str(registry), *args])

    ok(jz, reg, "meeting", "new", "--kind", "adhoc", "--date", "2027-01-20", "--place", "县政府二楼会议室")
    out = base / "site"
    ok(jz, reg, "site", "build", "-o", str(out), "--as-of", AS_OF)  # with the minutes' PDF
    return reg, out


@pytest.fixture(scope="module")
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    program = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=program, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("requestfailed", lambda r: pg.errors.append(f"{r.url}: {r.failure}"))
    yield pg
    context.close()


def _open(page, folder: Path, name: str) -> None:
    page.goto((folder / name).as_uri())
    page.wait_for_load_state("load")


def test_every_page_loads_without_errors_and_every_link_resolves(site, page):
    _, out = site
    pages = sorted(p.name for p in out.glob("*.html"))
    assert len(pages) > 8
    checked = 0
    for name in pages:
        _open(page, out, name)
        assert page.errors == [], (name, page.errors)
        assert "数据截至 2026年12月31日" in page.inner_text("#as-of")
        for href in page.eval_on_selector_all(
                "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"):
            url = urlparse(href)
            assert url.scheme == "file", (name, href)  # nothing leaves the folder for the network
            target = Path(unquote(url.path))
            assert target.is_file(), (name, href)
            if url.fragment and target.suffix == ".html" and "=" not in url.fragment:
                ids = _ids(page, target) if target.name != name else page.eval_on_selector_all(
                    "[id]", "els => els.map(e => e.id)")
                assert unquote(url.fragment) in ids, (name, href)
            checked += 1
    assert checked > 50


def _ids(page, target: Path) -> list[str]:
    other = page.context.new_page()
    other.goto(target.as_uri())
    ids = other.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    other.close()
    return ids


def test_filter_by_unit_shows_only_its_tasks(site, page):
    reg, out = site
    _open(page, out, "tasks.html")
    total = page.locator("#all-tasks tbody tr").count()
    page.select_option("#filter-unit", "weiji")
    shown = page.locator("#all-tasks tbody tr:not(.hidden)")
    units = shown.evaluate_all("rows => rows.map(r => r.dataset.units.split(' '))")
    assert units and all("weiji" in u for u in units)
    assert 0 < len(units) < total
    assert page.inner_text("#shown-count") == f"显示 {len(units)} 项"
    # the same tasks the CLI gives for that unit
    from typer.testing import CliRunner

    from jiuzhu.cli import app

    result = CliRunner().invoke(app, ["-r", str(reg), "tasks", "list", "--unit", "weiji", "--as-of", AS_OF,
                                      "--format", "json"])
    expected = sorted(t["id"] for t in json.loads(result.output))
    assert sorted(shown.evaluate_all("rows => rows.map(r => r.id)")) == expected
    page.select_option("#filter-unit", "")
    page.select_option("#filter-status", "逾期未完成")
    late = page.locator("#all-tasks tbody tr:not(.hidden)").evaluate_all("rs => rs.map(r => r.dataset.status)")
    assert late and set(late) == {"逾期未完成"} and len(late) < total
    page.select_option("#filter-status", "")
    page.select_option("#filter-source", "inspection")
    sources = page.locator("#all-tasks tbody tr:not(.hidden)").evaluate_all("rs => rs.map(r => r.dataset.source)")
    assert sources and set(sources) == {"inspection"}


def test_overview_card_opens_the_filtered_table(site, page):
    _, out = site
    _open(page, out, "index.html")
    page.click("a.card.overdue")
    page.wait_for_load_state("load")
    assert page.input_value("#filter-status") == "逾期未完成"
    statuses = page.locator("#all-tasks tbody tr:not(.hidden)").evaluate_all("rs => rs.map(r => r.dataset.status)")
    assert set(statuses) == {"逾期未完成"}


def test_sorting_by_a_column(site, page):
    _, out = site
    _open(page, out, "tasks.html")
    page.click("#all-tasks thead th:nth-child(6)")  # 完成时限
    first = page.locator("#all-tasks tbody tr td:nth-child(6)").evaluate_all("tds => tds.map(t => t.dataset.sort)")
    assert first == sorted(first)
    page.click("#all-tasks thead th:nth-child(6)")
    again = page.locator("#all-tasks tbody tr td:nth-child(6)").evaluate_all("tds => tds.map(t => t.dataset.sort)")
    assert again == sorted(first, reverse=True)
    page.click("#all-tasks thead th:nth-child(8)")  # 进度, numerically
    percents = page.locator("#all-tasks tbody tr td:nth-child(8)").evaluate_all("tds => tds.map(t => +t.dataset.sort)")
    assert percents == sorted(percents)


def test_chart_has_a_bar_per_unit_with_overdue_tasks(site, page):
    reg, out = site
    from typer.testing import CliRunner

    from jiuzhu.cli import app

    result = CliRunner().invoke(app, ["-r", str(reg), "tasks", "overdue", "--as-of", AS_OF, "--format", "json"])
    leads = {t["lead"] for t in json.loads(result.output)}
    assert leads
    _open(page, out, "index.html")
    bars = page.locator("#overdue-chart rect.bar")
    assert bars.count() == len(leads)
    assert set(bars.evaluate_all("rs => rs.map(r => r.dataset.unit)")) == leads
    assert page.locator("#trend-chart circle.point").count() >= 1


def test_search_finds_units_duties_and_decisions(site, page):
    _, out = site
    _open(page, out, "search.html")
    page.fill("#search", "医疗救助 衔接")
    results = page.locator("#search-results li")
    assert results.count() >= 1
    assert "县卫生健康局" in results.first.inner_text()
    page.fill("#search", "临时救助资金拨付")
    assert "检查整改" in page.inner_text("#search-results")
    page.fill("#search", "没有这样的内容")
    assert page.locator("#search-results li").count() == 0
    assert page.inner_text("#search-count") == "找到 0 条"


def test_meeting_page_links_the_minutes_in_three_formats(site, page):
    _, out = site
    from docs_registry import MEETING_ID

    _open(page, out, f"meeting-{MEETING_ID}.html")
    links = page.eval_on_selector_all("a.doc", "els => els.map(e => e.textContent)")
    assert links == ["HTML", "DOCX", "PDF"]
    assert (out / f"files/minutes-{MEETING_ID}.pdf").read_bytes().startswith(b"%PDF-")
    assert "县政府三楼会议室" in page.inner_text("main")


def test_the_readme_screenshot_exists():
    """docs/site-overview.png is made by scripts/site-screenshot.py from the demo registry."""
    shot = ROOT / "docs" / "site-overview.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/site-overview.png" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("recipe", ["pages-github.yml", "pages-gitlab.yml"])
def test_pages_recipes_build_and_publish_on_push_to_main(recipe, make_registry, monkeypatch):
    """The CI recipes (docs/ci/pages-*.yml) publish on a push to main, and their jiuzhu commands,
    run as written in a registry repository, build the folder the recipe publishes."""
    import shlex

    from ruamel.yaml import YAML
    from typer.testing import CliRunner

    from jiuzhu.cli import app

    chromium()
    text = (ROOT / "docs/ci" / recipe).read_text(encoding="utf-8")
    doc = YAML(typ="safe").load(text)
    if recipe == "pages-github.yml":
        assert doc["on"]["push"]["branches"] == ["main"]
        steps = doc["jobs"]["build"]["steps"]
        lines = [s["run"] for s in steps if "run" in s and s["run"].startswith("jiuzhu ")]
        published = next(s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-pages"))
        assert doc["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    else:
        job = doc["pages"]
        assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
        lines = [line for line in job["script"] if line.startswith("jiuzhu ")]
        published = job["artifacts"]["paths"][0]
        assert published == "public"  # the folder GitLab Pages serves
    assert any(" site build " in line for line in lines)
    repo = make_registry(SUPERVISION_FILES).parent
    monkeypatch.chdir(repo)
    for line in lines:
        args = shlex.split(line)[1:]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (line, result.output)
    assert (repo / published / "index.html").is_file()
    assert any((repo / published / "files").glob("minutes-*.pdf"))
