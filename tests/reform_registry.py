"""A small registry for the reorganisation tests (#7): the units of the 2018 reform in miniature,
a liaison meeting and a regular meeting whose minutes were issued, with three decisions.
Used with `make_registry(REFORM_FILES)`; `git_repo()` commits it on `main` like a real project."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import mini_unit

REGULAR = "m-20260310-regular-a1b2"

_AREAS = """
areas:
  - id: dibao
    name: 城乡低保
    kind: assistance
    synonyms: [低保]
  - id: yiliao
    name: 医疗救助
    kind: assistance
    synonyms: [医疗]
  - id: shuishou
    name: 税收减免
    kind: work
    synonyms: [税收]
    lead: guoshui
  - id: guifan
    name: 规范性文件审查
    kind: work
    synonyms: [规范性文件]
  - id: zijin
    name: 资金保障与监管
    kind: work
    synonyms: [资金]
"""

REFORM_FILES: dict[str, str | bytes] = {
    "areas.yaml": _AREAS,
    "units/minzheng.yaml": mini_unit("minzheng", "县民政局", 1, """
        # 民政局的职责
        - id: minzheng-1
          text: 负责研究制定最低生活保障、医疗救助等社会救助政策。
          areas: [dibao, yiliao]
          role: lead
        """),
    "units/guoshui.yaml": mini_unit("guoshui", "县国税局", 3, """
        - id: guoshui-1
          text: 负责落实好贫困群众税收减免政策。
          areas: [shuishou]
          role: lead
          shared_with: [dishui]
        """, kind="vertical"),
    "units/dishui.yaml": mini_unit("dishui", "县地税局", 4, """
        - id: dishui-1
          text: 负责落实好贫困群众税收减免政策。
          areas: [shuishou]
          role: lead
          shared_with: [guoshui]
        - id: dishui-2
          text: 依法提供社会救助家庭缴纳税收的相关信息。
          areas: [shuishou]
          role: info
          info: [纳税]
        """, kind="vertical"),
    "units/weiji.yaml": mini_unit("weiji", "县卫计委", 5, """
        - id: weiji-1
          text: 负责配合民政部门建立健全城乡医疗救助制度。
          areas: [yiliao]
          role: support
        """),
    "units/fazhi.yaml": mini_unit("fazhi", "县法制办", 6, """
        - id: fazhi-1
          text: 负责审查社会救助方面的规范性文件草案。
          areas: [guifan]
          role: lead
        """),
    "units/sifa.yaml": mini_unit("sifa", "县司法局", 7, """
        - id: sifa-1
          text: 负责城乡困难群众法律援助工作。
          areas: [guifan]
          role: support
        """),
    "meetings/2026/m-20260302-liaison-c3d4.yaml": """
        id: m-20260302-liaison-c3d4
        kind: liaison
        title: 2026年联络员会议
        date: 2026-03-02
        chair: {role: office, name: 王五}
        agenda: []
        """,
    f"meetings/2026/{REGULAR}.yaml": f"""
        id: {REGULAR}
        kind: regular
        title: 2026年例会
        date: 2026-03-10
        chair: {{role: chief, name: 张三}}
        agenda: []
        decisions:
          - id: {REGULAR}-1
            text: 落实困难群众税收减免政策
            areas: [shuishou]
            lead: guoshui
            responsible: [minzheng]
            due: 2026-12-31
          - id: {REGULAR}-2
            text: 做好医疗救助与卫生信息系统的衔接
            areas: [yiliao]
            lead: weiji
            responsible: [minzheng]
            due: 2026-12-31
          - id: {REGULAR}-3
            text: 研究提高医疗救助标准
            areas: [yiliao]
            lead: minzheng
            responsible: [caizheng]
            due: 2026-12-31
        minutes: {{year: 2026, number: 1, issued: 2026-03-15, reported_to: 县政府}}
        """,
}

GIT_ENV = {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "测试",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo)}
    out = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return out.stdout


def git_repo(repo: Path) -> Path:
    """Make `repo` (which holds registry/) a git repository with everything committed on main."""
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "登记册")
    return repo


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
