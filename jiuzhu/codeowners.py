"""CODEOWNERS from the registry: a change to a unit's file needs that unit's reviewers and the
office; everything else in the registry (system, areas, proposals, meetings, tasks) the office.

Two dialects. GitHub: the last matching line wins and lists the unit's reviewers with the office
(every owner is asked; branch protection decides how many approvals). GitLab: sections, and a file
matching two sections needs an approval from each, so `[office]` covers the whole registry and
`[units]` adds each unit's reviewers: unit AND office, enforced.

The file is generated, never edited by hand; `check()` says how a committed one differs, so CI can
fail when someone changed `reviewers` without regenerating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuzhu import gitops
from jiuzhu.atomic import atomic_write
from jiuzhu.errors import InputRefused
from jiuzhu.model import Registry, Unit

DEFAULT_OUTPUT = {"github": ".github/CODEOWNERS", "gitlab": ".gitlab/CODEOWNERS"}
STYLES = tuple(DEFAULT_OUTPUT)
HEADER = "# 由 jiuzhu codeowners 根据登记册中各成员单位的 reviewers 生成，请勿手工修改；改动后重新运行该命令。"


@dataclass(frozen=True)
class Plan:
    path: Path
    text: str


def handle(name: str) -> str:
    """A git account as CODEOWNERS wants it: @user, @org/team, or an e-mail address."""
    name = name.strip()
    return name if "@" in name else f"@{name}"


def plan(reg: Registry, registry: Path, office_team: str | None = None, output: str | None = None,
         style: str = "github") -> Plan:
    """The CODEOWNERS text for `reg` and where it goes (default: .github/ or .gitlab/CODEOWNERS of
    the repository)."""
    if style not in STYLES:
        raise InputRefused(f"不认识的 CODEOWNERS 格式“{style}”", "--style 只能是 github 或 gitlab。")
    repo = gitops.repo_for(registry)
    path = Path(output) if output else repo.top / DEFAULT_OUTPUT[style]
    office = _office(reg, office_team)
    base = "/" + (f"{repo.prefix}/" if repo.prefix else "")
    owners = " ".join(office)
    gitlab = style == "gitlab"
    rel_out = _rel(path, repo.top)
    lines = [HEADER, "", "# 整个登记册（含 system.yaml、areas.yaml、议题、会议、任务）由联席会议办公室审阅",
             *(["[office]"] if gitlab else []), f"{base if repo.prefix else '*'} {owners}"]
    if rel_out:
        lines.append(f"/{rel_out} {owners}")
    lines += ["", "# 成员单位的文件：另须本单位审阅人" if gitlab else "# 成员单位的文件：本单位审阅人和联席会议办公室",
              *(["[units]"] if gitlab else [])]
    for u in reg.units.values():
        lines += _unit_rules(u, base, office, gitlab)
    return Plan(path, "\n".join(lines) + "\n")


def _unit_rules(u: Unit, base: str, office: list[str], gitlab: bool) -> list[str]:
    """A unit file's rule: its reviewers (GitLab: in their own section), and the office (GitHub)."""
    mine = [h for h in (handle(r) for r in u.reviewers) if h not in office]
    lines = [] if u.reviewers else [f"# {u.name}（{u.id}）未登记审阅人，只由联席会议办公室审阅"]
    if mine or not gitlab:
        lines.append(f"{base}{u.file} {' '.join(mine if gitlab else [*mine, *office])}")
    return lines


def _office(reg: Registry, office_team: str | None) -> list[str]:
    """The office's handles: --office-team, else the reviewers of the unit housing the office."""
    office_id = reg.system.office.unit if reg.system else ""
    office_unit = reg.units.get(office_id)
    office = [handle(office_team)] if office_team else [handle(r) for r in office_unit.reviewers] if office_unit else []
    if not office:
        where = office_unit.file if office_unit else "system.yaml 中 office.unit 所指单位的文件"
        raise InputRefused("联席会议办公室没有登记审阅人，生成的 CODEOWNERS 将无人审阅",
                           f"在 {where} 的 reviewers 中填写办公室的 git 账号，或用 --office-team @组织/团队 指定。")
    return office


def owners(reg: Registry, registry: Path, office_team: str | None = None) -> dict[str, Any]:
    """Who must approve what, for a CI check GitHub's CODEOWNERS cannot express (one approval of
    the unit AND one of the office): the registry folder and each unit file, repository-relative."""
    repo = gitops.repo_for(registry)
    prefix = f"{repo.prefix}/" if repo.prefix else ""
    return {
        "registry": prefix,
        "office": _office(reg, office_team),
        "units": [{"unit": u.id, "name": u.name, "path": prefix + u.file, "reviewers": [handle(r) for r in u.reviewers]}
                  for u in reg.units.values()],
    }


def _rel(path: Path, top: Path) -> str | None:
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None


def write(p: Plan) -> bool:
    """Write the file when it differs; True when something was written."""

    if p.path.is_file() and p.path.read_text(encoding="utf-8") == p.text:
        return False
    atomic_write(p.path, p.text.encode("utf-8"))
    return True


def check(p: Plan) -> list[str]:
    """How the rules on disk differ from what the registry says (empty when up to date). Comments
    do not count: a renamed unit changes one, not who reviews."""
    if not p.path.is_file():
        return [f"CODEOWNERS 文件不存在：{p.path}"]
    have, want = _rules(p.path.read_text(encoding="utf-8")), _rules(p.text)
    missing = [f"缺少：{x}" for x in want if x not in have]
    extra = [f"多余：{x}" for x in have if x not in want]
    return missing + extra or (["行的顺序不同（CODEOWNERS 中后面的规则优先）"] if have != want else [])


def _rules(text: str) -> list[str]:
    return [" ".join(x.split()) for x in text.splitlines() if x.strip() and not x.lstrip().startswith("#")]
