"""The README is the front door: short, the two commands first, a tour whose output is real (run
here line by line), every environment variable in its table, every link of it and of docs/ alive."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, SHIPPED, installed_shell_env

README = ROOT / "README.md"
ID = re.compile(r"\b[pm]-\d{8}-[a-z]+-[0-9a-f]{4}\b")


def test_short_and_the_two_commands_first() -> None:
    assert len(README.read_bytes()) <= 12 * 1024
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# jiuzhu")
    assert lines[2] == "```sh"
    assert lines[3].startswith("make demo ") and lines[4].startswith("make test ") and lines[5] == "```"


def test_every_link_of_the_readme_and_the_docs_resolves() -> None:
    pages = [README, *sorted((ROOT / "docs").rglob("*.md"))]
    dead = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            if not (page.parent / target.split("#")[0]).exists():
                dead.append(f"{page.relative_to(ROOT)}: {target}")
    assert dead == []


def test_every_environment_variable_is_in_the_table() -> None:
    used: set[str] = set()
    for path in [*ROOT.joinpath("jiuzhu").rglob("*.py"), *ROOT.joinpath("tests").glob("*.py"), ROOT / "Makefile"]:
        used.update(re.findall(r"\bJIUZHU_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    table = {m for m in re.findall(r"^\| `([A-Z_]+)` \|", README.read_text(encoding="utf-8"), re.M)}
    assert used and used <= table, used - table


def test_a_license() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert 'license = {text = "MIT"}' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def _tour() -> list[tuple[str, list[str]]]:
    block = README.read_text(encoding="utf-8").split("<!-- tour:start -->")[1].split("<!-- tour:end -->")[0]
    body = block.strip().splitlines()
    assert body[0] == "```console" and body[-1] == "```"
    steps: list[tuple[str, list[str]]] = []
    for line in body[1:-1]:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line.rstrip())
    return steps


def test_the_tour_prints_what_the_readme_shows(tmp_path: Path) -> None:
    """Each command of the tour, run in a shell on a copy of registry/: the same lines. Ids carry
    random digits: the README's ids stand for those the run drew, matched in order of appearance."""
    steps = _tour()
    assert 8 <= len(steps) <= 12
    shutil.copytree(SHIPPED, tmp_path / "registry")
    env = installed_shell_env(JIUZHU_TODAY="2026-09-25", JIUZHU_CACHE_DIR=str(tmp_path / "cache"), COLUMNS="80",
                              PYTHONUNBUFFERED="1")
    drawn: dict[str, str] = {}  # the README's id -> this run's
    for command, expected in steps:
        for shown, real in drawn.items():
            command = command.replace(shown, real)
        res = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=120)
        got = [line.rstrip() for line in res.stdout.splitlines()]
        for shown, real in zip(dict.fromkeys(ID.findall("\n".join(expected))),
                               dict.fromkeys(ID.findall("\n".join(got))), strict=False):
            drawn.setdefault(shown, real)
        want = expected
        for shown, real in drawn.items():
            want = [line.replace(shown, real) for line in want]
        assert got == want, command
        assert res.returncode == 0, command
