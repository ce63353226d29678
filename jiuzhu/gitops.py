"""The one module that talks to git (the `git` command, through subprocess).

Everything else asks here for the repository a registry lives in, for a revision's commit, or for
the registry's files as they were at a revision. Git's own failures that the user can fix (not a
repository, unknown revision) become `InputRefused` with a Chinese message.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from jiuzhu.errors import InputRefused

WORKTREE = "工作区"


@dataclass(frozen=True)
class Repo:
    """A git work tree and where the registry sits inside it (POSIX path, "" for the root)."""

    top: Path
    prefix: str


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputRefused("找不到 git 命令", "安装 git（Debian/Ubuntu：apt-get install git）后重试。") from None


def repo_for(registry: Path) -> Repo:
    """The repository holding `registry`; refused plainly when it is not inside one."""
    if not registry.is_dir():
        raise InputRefused(f"找不到登记册目录：{registry}", "用 --registry 指定登记册目录。")
    out = _git(registry, "rev-parse", "--show-toplevel")
    if out.returncode != 0:
        raise InputRefused(f"登记册 {registry} 不在 git 仓库中",
                           "diff、validate --against 和 codeowners 需要 git：先在登记册所在目录运行 git init 并提交。")
    top = Path(out.stdout.decode("utf-8").strip()).resolve()
    prefix = registry.resolve().relative_to(top).as_posix()
    return Repo(top, "" if prefix == "." else prefix)


def resolve(repo: Repo, rev: str) -> str:
    """The commit id of `rev`; refused with a hint when git does not know it."""
    out = _git(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if out.returncode != 0:
        raise InputRefused(f"找不到 git 版本“{rev}”",
                           "写分支名、标签或提交号（如 main、origin/main、HEAD~1），可用 git log --oneline 查看。")
    return out.stdout.decode("ascii").strip()


def default_base(repo: Repo) -> tuple[str, str]:
    """(commit, ref): where the current branch left the default branch (origin/HEAD, main, master);
    HEAD itself when there is no such branch."""
    for ref in ("origin/HEAD", "main", "master"):
        if _git(repo.top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0:
            out = _git(repo.top, "merge-base", ref, "HEAD")
            if out.returncode == 0:
                return out.stdout.decode("ascii").strip(), ref
    return resolve(repo, "HEAD"), "HEAD"


def registry_files_at(repo: Repo, commit: str) -> dict[str, bytes]:
    """Every file of the registry at `commit`, {path relative to the registry: content}.

    One `ls-tree` and one `cat-file --batch` whatever the number of files."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if repo.prefix:
        args += ["--", repo.prefix + "/"]
    out = _git(repo.top, *args)
    if out.returncode != 0:
        raise InputRefused(f"读取 git 版本 {commit[:12]} 失败：{out.stderr.decode('utf-8', 'replace').strip()}")
    entries: list[tuple[str, str]] = []
    for record in out.stdout.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        _mode, kind, sha = meta.decode("ascii").split()
        if kind == "blob":
            rel = path.decode("utf-8")
            entries.append((rel[len(repo.prefix) + 1:] if repo.prefix else rel, sha))
    if not entries:
        return {}
    batch = _git(repo.top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in entries).encode("ascii"))
    data = batch.stdout
    files: dict[str, bytes] = {}
    at = 0
    for rel, _sha in entries:
        nl = data.index(b"\n", at)
        size = int(data[at:nl].split()[2])
        files[rel] = data[nl + 1: nl + 1 + size]
        at = nl + 1 + size + 1
    return files
