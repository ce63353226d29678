"""CODEOWNERS from the registry's reviewers (#7): written, checked, refused without an office."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import tree_hash
from reform_registry import REFORM_FILES, git_repo

EXPECTED = """\
# 由 jiuzhu codeowners 根据登记册中各成员单位的 reviewers 生成，请勿手工修改；改动后重新运行该命令。

# 整个登记册（含 system.yaml、areas.yaml、议题、会议、任务）由联席会议办公室审阅
/registry/ @minzheng-liaison
/.github/CODEOWNERS @minzheng-liaison

# 成员单位的文件：本单位审阅人和联席会议办公室
/registry/units/minzheng.yaml @minzheng-liaison
/registry/units/caizheng.yaml @caizheng-liaison @minzheng-liaison
/registry/units/guoshui.yaml @guoshui-liaison @minzheng-liaison
/registry/units/dishui.yaml @dishui-liaison @minzheng-liaison
/registry/units/weiji.yaml @weiji-liaison @org/health @minzheng-liaison
# 县法制办（fazhi）未登记审阅人，只由联席会议办公室审阅
/registry/units/fazhi.yaml @minzheng-liaison
/registry/units/sifa.yaml @sifa-liaison @minzheng-liaison
"""


@pytest.fixture
def repo(make_registry, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    reg = make_registry(REFORM_FILES)
    for uid, new in (("fazhi", "reviewers: []"), ("weiji", "reviewers: [weiji-liaison, '@org/health']")):
        path = reg / f"units/{uid}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(f"reviewers: [{uid}-liaison]", new),
                        encoding="utf-8")
    return git_repo(tmp_path)


def test_writes_codeowners_at_the_repository_root(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(repo / "registry", "codeowners")
    assert r.exit_code == 0, r.output
    assert r.output == f"已写入：{repo}/.github/CODEOWNERS\n"
    assert (repo / ".github/CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    r = jz(repo / "registry", "codeowners")
    assert r.output == f"无需改动：{repo}/.github/CODEOWNERS\n"
    r = jz(repo / "registry", "codeowners", "--check")
    assert r.exit_code == 0
    assert r.output == f"CODEOWNERS 与登记册一致：{repo}/.github/CODEOWNERS\n"


def test_office_team_replaces_the_office_reviewers(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    out = repo / "CODEOWNERS"
    assert jz(repo / "registry", "codeowners", "--office-team", "dachang/office", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "/registry/ @dachang/office\n/CODEOWNERS @dachang/office\n" in text
    assert "/registry/units/minzheng.yaml @minzheng-liaison @dachang/office\n" in text


def test_gitlab_sections_need_the_unit_and_the_office(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    assert jz(repo / "registry", "codeowners", "--style", "gitlab").exit_code == 0
    assert (repo / ".gitlab/CODEOWNERS").read_text(encoding="utf-8").split("\n", 2)[2] == textwrap.dedent("""\
        # 整个登记册（含 system.yaml、areas.yaml、议题、会议、任务）由联席会议办公室审阅
        [office]
        /registry/ @minzheng-liaison
        /.gitlab/CODEOWNERS @minzheng-liaison

        # 成员单位的文件：另须本单位审阅人
        [units]
        /registry/units/caizheng.yaml @caizheng-liaison
        /registry/units/guoshui.yaml @guoshui-liaison
        /registry/units/dishui.yaml @dishui-liaison
        /registry/units/weiji.yaml @weiji-liaison @org/health
        # 县法制办（fazhi）未登记审阅人，只由联席会议办公室审阅
        /registry/units/sifa.yaml @sifa-liaison
        """)


def test_check_says_what_differs(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    reg = repo / "registry"
    r = jz(reg, "codeowners", "--check")
    assert r.exit_code == 1
    assert r.stderr == (f"CODEOWNERS 与登记册不一致：{repo}/.github/CODEOWNERS\n"
                        f"  CODEOWNERS 文件不存在：{repo}/.github/CODEOWNERS\n"
                        "  提示：运行 jiuzhu codeowners 重新生成并提交。\n")
    jz(reg, "codeowners")
    sifa = reg / "units/sifa.yaml"
    sifa.write_text(sifa.read_text(encoding="utf-8").replace("[sifa-liaison]", "[sifa-chen]"), encoding="utf-8")
    r = jz(reg, "codeowners", "--check")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[1:3] == ["  缺少：/registry/units/sifa.yaml @sifa-chen @minzheng-liaison",
                                          "  多余：/registry/units/sifa.yaml @sifa-liaison @minzheng-liaison"]
    sifa.write_text(sifa.read_text(encoding="utf-8").replace("[sifa-chen]", "[sifa-liaison]"), encoding="utf-8")
    lines = EXPECTED.splitlines()
    i, j = lines.index("/registry/ @minzheng-liaison"), len(lines) - 1
    lines[i], lines[j] = lines[j], lines[i]  # the office line last would override every unit line
    (repo / ".github/CODEOWNERS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = jz(reg, "codeowners", "--check")
    assert r.exit_code == 1
    assert "  行的顺序不同（CODEOWNERS 中后面的规则优先）" in r.stderr


def test_no_office_reviewers_is_refused(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    mz = repo / "registry/units/minzheng.yaml"
    mz.write_text(mz.read_text(encoding="utf-8").replace("[minzheng-liaison]", "[]"), encoding="utf-8")
    before = tree_hash(repo)
    r = jz(repo / "registry", "codeowners")
    assert r.exit_code == 1
    assert r.stderr == ("错误：联席会议办公室没有登记审阅人，生成的 CODEOWNERS 将无人审阅\n"
                        "  提示：在 units/minzheng.yaml 的 reviewers 中填写办公室的 git 账号，"
                        "或用 --office-team @组织/团队 指定。\n")
    assert tree_hash(repo) == before


def test_unknown_style_is_refused(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(repo / "registry", "codeowners", "--style", "bitbucket")
    assert r.exit_code == 1
    assert r.stderr.startswith("错误：不认识的 CODEOWNERS 格式“bitbucket”\n")
    assert not (repo / ".github").exists()


def test_pre_commit_hooks_run_real_commands(runner) -> None:  # type: ignore[no-untyped-def]
    import shlex

    from ruamel.yaml import YAML

    from jiuzhu.cli import app

    root = Path(__file__).resolve().parents[1]
    hooks = {h["id"]: h for h in YAML(typ="safe").load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert list(hooks) == ["jiuzhu-validate", "jiuzhu-codeowners"]
    for hook in hooks.values():
        assert (hook["language"], hook["pass_filenames"], hook["require_serial"]) == ("python", False, True)
        argv = shlex.split(hook["entry"])
        assert argv[0] == "jiuzhu"
        assert runner.invoke(app, [*argv[1:], "--help"]).exit_code == 0
    assert hooks["jiuzhu-validate"]["files"] == "^registry/"
    assert hooks["jiuzhu-codeowners"]["entry"] == "jiuzhu codeowners --check"
    for recipe in ("github-actions.yml", "gitlab-ci.yml"):
        text = (root / "docs/ci" / recipe).read_text(encoding="utf-8")
        assert isinstance(YAML(typ="safe").load(text), dict)
        assert "jiuzhu diff" in text and "jiuzhu validate" in text and "jiuzhu codeowners --check" in text


def test_registry_at_the_repository_root(make_registry, jz) -> None:  # type: ignore[no-untyped-def]
    reg = make_registry(REFORM_FILES)
    git_repo(reg)
    assert jz(reg, "codeowners").exit_code == 0
    lines = (reg / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines()
    assert "* @minzheng-liaison" in lines
    assert "/units/sifa.yaml @sifa-liaison @minzheng-liaison" in lines


def test_codeowners_outside_git_is_refused(make_registry, jz, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reg = make_registry(REFORM_FILES)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(reg.parent.parent))
    r = jz(reg, "codeowners")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"错误：登记册 {reg} 不在 git 仓库中\n")


def test_owners_as_json_for_the_approval_check(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    import json

    before = tree_hash(repo)
    r = jz(repo / "registry", "codeowners", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data) == ["registry", "office", "units"]
    assert (data["registry"], data["office"]) == ("registry/", ["@minzheng-liaison"])
    assert data["units"][4] == {"unit": "weiji", "name": "县卫计委", "path": "registry/units/weiji.yaml",
                                "reviewers": ["@weiji-liaison", "@org/health"]}
    assert json.loads(jz(repo / "registry", "codeowners", "--format", "json", "--office-team", "dachang/office")
                      .stdout)["office"] == ["@dachang/office"]
    assert tree_hash(repo) == before  # json writes nothing
    assert jz(repo / "registry", "codeowners", "--format", "xml").exit_code == 2


def test_validate_codequality_report(make_registry, jz) -> None:  # type: ignore[no-untyped-def]
    import json
    import re

    root = make_registry({**REFORM_FILES, "units/sifa.yaml": str(REFORM_FILES["units/sifa.yaml"]).replace(
        "role: support", "role: helper")})
    r = jz(root, "validate", "--as-of", "2026-06-01", "--format", "codequality")
    assert r.exit_code == 1
    issues = json.loads(r.stdout)
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert list(issue) == ["description", "check_name", "fingerprint", "severity", "location"]
        assert issue["severity"] in ("major", "minor")
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert list(issue["location"]) == ["path", "lines"] and isinstance(issue["location"]["lines"]["begin"], int)
    bad = [i for i in issues if i["check_name"] == "bad-enum"]
    assert len(bad) == 1
    assert bad[0]["severity"] == "major"
    assert bad[0]["location"] == {"path": f"{root}/units/sifa.yaml", "lines": {"begin": 12}}
    assert bad[0]["description"].startswith("bad-enum “duties[1].role”的值“helper”不在可选范围内")
    # stable across runs (GitLab matches issues between pipelines by fingerprint), distinct per issue
    again = json.loads(jz(root, "validate", "--as-of", "2026-06-01", "--format", "codequality", "--no-cache").stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_ci_recipes_annotate_and_check_approvals() -> None:
    from ruamel.yaml import YAML

    root = Path(__file__).resolve().parents[1]
    gitlab = YAML(typ="safe").load((root / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))
    job = gitlab["jiuzhu-validate"]
    assert any("jiuzhu validate --format codequality" in line and "> gl-code-quality.json" in line
               for line in job["script"])
    assert job["artifacts"]["reports"] == {"codequality": "gl-code-quality.json"}
    assert job["artifacts"]["when"] == "always"
    github = YAML(typ="safe").load((root / "docs/ci/github-actions.yml").read_text(encoding="utf-8"))
    assert set(github["on"]) == {"pull_request", "pull_request_review"}
    steps = github["jobs"]["approvals"]["steps"]
    assert steps[0]["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert any(s.get("run", "").startswith("jiuzhu codeowners --format json") for s in steps)
    script = next(s for s in steps if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert "listReviews" in script and "listFiles" in script and "core.setFailed" in script
