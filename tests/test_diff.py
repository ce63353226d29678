"""Duty changes by pull request (#7), end to end with real git: branch, change a duty, rename and
merge units, validate, diff (exact Markdown golden), codeowners --check, merge the branch."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from reform_registry import REFORM_FILES, REGULAR, commit_all, git, git_repo

from jiuzhu.semdiff import char_diff

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    """Compare with tests/golden/<name> exactly; `make golden` rewrites it (review the diff)."""
    path = GOLDEN / name
    if os.environ.get("JIUZHU_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(make_registry, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    make_registry(REFORM_FILES)
    return git_repo(tmp_path)


def reform_branch(repo: Path, jz) -> Path:  # type: ignore[no-untyped-def]
    """On branch reform-2018: a reworded duty, a rename, a merge, the orphaned task reassigned."""
    reg = repo / "registry"
    git(repo, "checkout", "-q", "-b", "reform-2018")
    edit(reg / "units/minzheng.yaml", "负责研究制定最低生活保障、医疗救助等社会救助政策。",
         "负责研究制定最低生活保障等社会救助政策。")
    edit(reg / "units/minzheng.yaml", "areas: [dibao, yiliao]", "areas: [dibao]")
    assert jz(reg, "units", "rename", "weiji", "--name", "县卫生健康局", "--date", "2026-04-01").exit_code == 0
    r = jz(reg, "units", "merge", "guoshui", "dishui", "--into", "shuiwu", "--name", "县税务局", "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    return reg


def test_pull_request_end_to_end_golden(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    reg = repo / "registry"
    assert jz(reg, "codeowners", "--office-team", "@dachang/office").exit_code == 0
    commit_all(repo, "CODEOWNERS")
    reform_branch(repo, jz)

    r = jz(reg, "validate", "--as-of", "2026-06-01")
    assert r.exit_code == 1
    assert (f"{reg}/meetings/2026/{REGULAR}.yaml:11:11: orphan-task 错误：未完成的议定事项 {REGULAR}-1 由县国税局牵头，"
            "但该单位自 2026-04-01 起已不是成员单位") in r.output
    r = jz(reg, "tasks", "reassign", f"{REGULAR}-1", "--lead", "shuiwu", "--responsible", "minzheng",
           "--reason", "国税地税机构合并", "--decided-by", "联席会议办公室", "--date", "2026-04-02")
    assert r.exit_code == 0, r.output
    r = jz(reg, "validate", "--as-of", "2026-06-01", "--against", "main")
    assert r.exit_code == 0, r.output

    r = jz(reg, "codeowners", "--check", "--office-team", "@dachang/office")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[1:] == [
        "  缺少：/registry/units/shuiwu.yaml @guoshui-liaison @dishui-liaison @dachang/office",
        "  提示：运行 jiuzhu codeowners 重新生成并提交。",
    ]
    assert jz(reg, "codeowners", "--office-team", "@dachang/office").exit_code == 0
    assert jz(reg, "codeowners", "--check", "--office-team", "@dachang/office").exit_code == 0
    commit_all(repo, "2018 年机构改革")

    r = jz(reg, "diff", "main", "reform-2018")
    assert r.exit_code == 0, r.output
    golden("diff-reform.md", r.output)
    r = jz(reg, "diff")  # the default range: from where the branch left main to the working tree
    assert r.output.splitlines()[0] == "## jiuzhu diff：`main` 的分叉点 → 工作区"
    assert r.output.splitlines()[1:] == golden_lines()[1:]

    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "合并 reform-2018", "reform-2018")
    assert jz(reg, "validate", "--as-of", "2026-06-01", "--against", "HEAD~1").exit_code == 0
    assert jz(reg, "codeowners", "--check", "--office-team", "@dachang/office").exit_code == 0
    r = jz(reg, "diff")
    assert r.output == ("## jiuzhu diff：`main` 的分叉点 → 工作区\n\n"
                        "没有涉及成员单位、领域、职责、议定事项或任务的改动。\n")


def golden_lines() -> list[str]:
    return (GOLDEN / "diff-reform.md").read_text(encoding="utf-8").splitlines()


def test_diff_json_has_stable_keys(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    reg = reform_branch(repo, jz)
    r = jz(reg, "diff", "main", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert list(data) == ["from", "to", "units", "areas", "duties", "decisions", "tasks"]
    assert data["from"]["rev"] == "main" and len(data["from"]["commit"]) == 40
    assert data["to"] == {"rev": "工作区", "commit": None}
    assert list(data["units"]) == ["added", "removed", "renamed", "merged", "split", "dissolved"]
    assert list(data["duties"]) == ["added", "removed", "moved", "reworded", "retagged", "role_changed"]
    assert data["units"]["merged"] == [{"units": ["guoshui", "dishui"], "into": "shuiwu", "date": "2026-04-01"}]
    assert data["duties"]["reworded"][0]["diff"] == "负责研究制定最低生活保障[-、医疗救助-]等社会救助政策。"
    assert [t["decision"] for t in data["tasks"]["orphaned"]] == [f"{REGULAR}-1", f"{REGULAR}-3"]


def test_dissolve_and_role_change_in_diff(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    reg = repo / "registry"
    assert jz(reg, "units", "dissolve", "fazhi", "--date", "2026-04-01", "--duties-to", "sifa").exit_code == 0
    edit(reg / "units/weiji.yaml", "role: support", "role: lead")
    edit(reg / "units/caizheng.yaml", "areas: [zijin]", "areas: [zijin, dibao]")
    r = jz(reg, "diff", "HEAD")
    assert r.exit_code == 0, r.output
    assert r.output == (
        "## jiuzhu diff：`HEAD` → 工作区\n\n"
        "### 成员单位\n\n"
        "- 撤销 县法制办（fazhi），职责转入 **县司法局**（sifa），2026-04-01 起\n\n"
        "### 职责\n\n"
        "- 移交 `fazhi-1` 县法制办 → **县司法局**（`sifa-2`）：负责审查社会救助方面的规范性文件草案。\n"
        "- 改领域 `caizheng-1`（县财政局）：增加 城乡低保\n"
        "- 改角色 `weiji-1`（县卫计委）：配合 → **牵头**\n"
    )


def test_decision_changed_in_issued_minutes_is_frozen(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    reg = repo / "registry"
    meeting = reg / f"meetings/2026/{REGULAR}.yaml"
    edit(meeting, "    due: 2026-12-31\n  - id", "    due: 2027-06-30\n  - id")
    edit(meeting, "lead: weiji", "lead: minzheng")
    r = jz(reg, "validate", "--as-of", "2026-06-01", "--against", "main")
    assert r.exit_code == 1
    hint = ("    提示：纪要印发后，议定事项是正式记录，不能修改；"
            "调整牵头或责任单位用 jiuzhu tasks reassign 记入任务文件，"
            "其他改变请由以后的会议作出新的议定事项。")
    shown = f"{reg}/meetings/2026/{REGULAR}.yaml"
    assert [line for line in r.output.splitlines() if "frozen-minutes" in line or line == hint] == [
        f"{shown}:13:10: frozen-minutes 错误：议定事项 {REGULAR}-1 的完成时限在纪要印发后被改动"
        "（main 时为“2026-12-31”，现为“2027-06-30”）",
        hint,
        f"{shown}:17:11: frozen-minutes 错误：议定事项 {REGULAR}-2 的牵头单位在纪要印发后被改动"
        "（main 时为“weiji”，现为“minzheng”）",
        hint,
    ]
    r = jz(reg, "diff", "main")
    assert (f"- 调整 `{REGULAR}-2` “做好医疗救助与卫生信息系统的衔接”："
            "牵头 县卫计委 → **县民政局**（会议文件中直接修改）") in r.output


def test_removed_decision_and_unissued_meeting(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    reg = repo / "registry"
    meeting = reg / f"meetings/2026/{REGULAR}.yaml"
    text = meeting.read_text(encoding="utf-8")
    start = text.index(f"  - id: {REGULAR}-3")
    meeting.write_text(text[:start] + text[text.index("minutes:"):], encoding="utf-8")
    r = jz(reg, "validate", "--as-of", "2026-06-01", "--against", "main")
    assert r.exit_code == 1
    assert (f"frozen-minutes 错误：议定事项 {REGULAR}-3 已载入〔2026〕1号纪要（2026-03-15 印发），"
            "却在 main 之后被删除") in r.output


def test_diff_unknown_revision_is_refused(repo: Path, jz) -> None:  # type: ignore[no-untyped-def]
    r = jz(repo / "registry", "diff", "mian")
    assert r.exit_code == 1
    assert r.stderr == ("错误：找不到 git 版本“mian”\n"
                        "  提示：写分支名、标签或提交号（如 main、origin/main、HEAD~1），"
                        "可用 git log --oneline 查看。\n")
    r = jz(repo / "registry", "validate", "--against", "v9")
    assert r.exit_code == 1
    assert "错误：找不到 git 版本“v9”" in r.stderr


def test_diff_outside_a_git_repository_says_so(make_registry, jz, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reg = make_registry(REFORM_FILES)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(reg.parent.parent))  # a tmp_path inside a repo stays outside
    r = jz(reg, "diff")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"错误：登记册 {reg} 不在 git 仓库中\n")


def test_char_diff_marks_deleted_and_inserted_characters() -> None:
    assert char_diff("负责统筹全县社会救助体系建设。", "负责统筹推进全县社会救助制度建设。") == \
        "负责统筹**推进**全县社会救助~~体系~~**制度**建设。"
    assert char_diff("甲乙", "甲丙", "plain") == "甲[-乙-]{+丙+}"


def test_split_in_diff(make_registry, tmp_path: Path, jz) -> None:  # type: ignore[no-untyped-def]
    from test_reorg import SPLIT, WEIJI_TWO_DUTIES

    make_registry({**REFORM_FILES, "units/weiji.yaml": WEIJI_TWO_DUTIES})
    repo = git_repo(tmp_path)
    reg = repo / "registry"
    assert jz(reg, *SPLIT).exit_code == 0
    md = jz(reg, "diff", "main").output
    assert ("- 拆分 县卫计委（weiji）→ 新设 **县医疗保障局**（yibao）、新设 **县卫生健康局**（weijian），"
            "2026-04-01 起：`weiji-1` → 县卫生健康局；`weiji-2` → 县医疗保障局") in md.splitlines()
    assert "新增 **县医疗保障局**" not in md and "撤销 县卫计委" not in md
    data = json.loads(jz(reg, "diff", "main", "--format", "json").output)
    assert data["units"]["split"] == [{
        "unit": "weiji", "name": "县卫计委", "into": ["yibao", "weijian"], "date": "2026-04-01",
        "duties": [{"duty": "weiji-1", "to_duty": "weijian-1", "to": "weijian"},
                   {"duty": "weiji-2", "to_duty": "yibao-1", "to": "yibao"}]}]
    assert data["units"]["dissolved"] == [] and [r["unit"] for r in data["units"]["added"]] == ["yibao", "weijian"]
