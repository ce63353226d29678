"""Test helpers: build a registry in tmp_path from {path: text}; run the CLI through CliRunner."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "registry"
SEED = ROOT / "tests" / "data" / "seed.txt"  # the founding document, copied from the first user


def installed_shell_env(**extra: str) -> dict[str, str]:
    """The environment for running the installed `jiuzhu` from a real shell (bash, as a user would):
    the test environment's bin folder first on PATH, no JIUZHU_* or completion variables of the
    developer's, then `extra`. `make test` installs the entry point; a missing one fails the test."""
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "jiuzhu").exists() and shutil.which("bash"), "run through make test (installs jiuzhu)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIUZHU_", "_JIUZHU_"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    env.update(extra)
    return env


def bench_gen() -> ModuleType:
    """bench/gen.py, the benchmarks' synthetic registry (`bench_gen().generate(out, tasks, seed)`)."""
    if "bench_gen" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "bench" / "gen.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_gen"] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_gen"]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (the cache's tests look into it)."""
    d = tmp_path / "cache"
    monkeypatch.setenv("JIUZHU_CACHE_DIR", str(d))
    return d


def build_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` ({relative path: text or bytes}) under `root`; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


MINI_SYSTEM = """
name: 测试县社会救助工作联席会议
jurisdiction: 测试县
government: 县政府
founding_document:
  title: 测试县社会救助工作联席会议制度
  issuer: 测试县人民政府
  date: 2016-07-27
conveners:
  chief: {name: 张三, post: 副县长}
  conveners:
    - {name: 李四, post: 县政府办公室副主任}
office:
  unit: minzheng
  director: 王五
  duties:
    - {id: office-1, text: 联席会议前有关材料的收集和审核工作。}
duties:
  - {id: jm-1, text: 统筹做好城乡低保等社会救助政策的衔接。, areas: [dibao]}
rules:
  - {id: rule-1, text: 联席会议原则上每年召开一次例会。}
parameters:
  regular_meetings_per_year: 1
  liaison_meeting_before_joint: true
  minutes_report_to: 县政府
  minutes_send_to: 联席会议各成员单位
  due_soon_workdays: 5
  proposal_workflow:
    initial: 待初审
    states: [待初审, 已通过初审, 已退回, 已审定, 已上会, 已议定]
    transitions:
      - {action: review_pass, from: [待初审], to: 已通过初审, by: office}
      - {action: review_return, from: [待初审], to: 已退回, by: office}
      - {action: resubmit, from: [已退回], to: 待初审, by: proposer}
      - {action: approve, from: [已通过初审], to: 已审定, by: convener}
      - {action: schedule, from: [已审定], to: 已上会, by: office}
      - {action: decide, from: [已上会], to: 已议定, by: meeting}
  escalation:
    - {level: 催办, from_workdays: -3}
    - {level: 督办, from_workdays: 1}
    - {level: 通报, from_workdays: 10}
  documents:
    minutes_mark: 测试县社会救助工作联席会议纪要
    briefing_mark: 社会救助工作简报
    issuing_office: 县社会救助工作联席会议办公室
"""

MINI_AREAS = """
areas:
  - id: dibao
    name: 城乡低保
    kind: assistance
    synonyms: [低保, 最低生活保障]
  - id: zijin
    name: 资金保障与监管
    kind: work
    synonyms: [资金, 预算]
"""


def mini_unit(uid: str, name: str, order: int, duties: str, kind: str = "government") -> str:
    return f"""
id: {uid}
name: {name}
kind: {kind}
order: {order}
active: true
liaison: {{name: 赵六, phone: 0316-1234567, post: 科长}}
reviewers: [{uid}-liaison]
duties:
{textwrap.indent(textwrap.dedent(duties).strip(), '  ')}
"""


MINI_FILES: dict[str, str] = {
    "system.yaml": MINI_SYSTEM,
    "areas.yaml": MINI_AREAS,
    "units/minzheng.yaml": mini_unit("minzheng", "县民政局", 1, """
        - id: minzheng-1
          text: 负责研究制定最低生活保障政策。
          areas: [dibao]
          role: lead
        """),
    "units/caizheng.yaml": mini_unit("caizheng", "县财政局", 2, """
        - id: caizheng-1
          text: 负责将社会救助资金列入预算安排。
          areas: [zijin]
          role: lead
        - id: caizheng-2
          text: 配合民政部门做好低保资金发放。
          areas: [dibao]
          role: support
        """),
}


@pytest.fixture(autouse=True)
def _parse_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse cache (jiuzhu.cache) of every test registry goes to a temporary folder, never to
    the developer's ~/.cache/jiuzhu."""
    monkeypatch.setenv("JIUZHU_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "jiuzhu-cache"))


@pytest.fixture
def make_registry(tmp_path: Path) -> Callable[..., Path]:
    """make_registry(extra={path: text}, drop=[paths]) -> a small valid registry with changes."""

    def make(extra: dict[str, str | bytes] | None = None, drop: list[str] | tuple[str, ...] = ()) -> Path:
        root = tmp_path / "registry"
        files: dict[str, str | bytes] = {k: v for k, v in MINI_FILES.items() if k not in drop}
        files.update(extra or {})
        return build_tree(root, files)

    return make


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A scratch copy of the shipped registry (never edit registry/ itself in tests)."""
    dest = tmp_path / "registry"
    shutil.copytree(SHIPPED, dest)
    return dest


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def jz(runner: CliRunner) -> Callable[..., object]:
    """jz(registry, *args) -> CliRunner result of `jiuzhu --registry registry args...`."""
    from jiuzhu.cli import app

    def run(registry: Path | str, *args: str) -> object:
        return runner.invoke(app, ["--registry", str(registry), *args])

    return run


def ok(jz: Callable[..., Any], reg: Path, *args: str) -> str:
    """Run a command that must succeed; its output."""
    result = jz(reg, *args)
    assert result.exit_code == 0, result.output
    return str(result.output)


def refused(jz: Callable[..., Any], reg: Path, *args: str) -> str:
    """Run a command that must be refused: exit 1, no traceback, nothing written; its message."""
    before = tree_hash(reg)
    result = jz(reg, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert tree_hash(reg) == before
    return str(result.output)


def tree_hash(root: Path) -> str:
    """A hash of every file under root: proves a refused command wrote nothing."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and not (p.name.startswith(".") and p.name.endswith(".lock")):  # locks are not content
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()
