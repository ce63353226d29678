"""jiuzhu installs like a library: a wheel in a fresh environment outside the repository has its
templates, and a new registry can be made, checked and its minutes rendered as Word."""

from __future__ import annotations

import json
import site
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_installed_elsewhere_renders_minutes(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    wheel = next(wheels.glob("jiuzhu-*.whl"))
    assert "jiuzhu/templates/minutes.docx.j2" in zipfile.ZipFile(wheel).namelist()

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    libs = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the libraries jiuzhu needs come from this environment (no network in tests); jiuzhu itself,
    # from the wheel, which the new environment's own site-packages put first
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (libs / "deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    where = subprocess.run([py, "-c", "import jiuzhu; print(jiuzhu.__file__)"], capture_output=True, text=True,
                           check=True, cwd=tmp_path).stdout
    assert where.startswith(str(venv)), where
    jiuzhu = [str(venv / "bin" / "jiuzhu")]
    env = {"PATH": "/usr/bin:/bin", "JIUZHU_CACHE_DIR": str(tmp_path / "cache"), "JIUZHU_TODAY": "2026-09-30",
           "HOME": str(tmp_path)}

    def run(*args: str) -> str:
        out = subprocess.run([*jiuzhu, "-r", "reg", *args], capture_output=True, text=True, cwd=tmp_path, env=env)
        assert out.returncode == 0, out.stderr + out.stdout
        return out.stdout

    subprocess.run([*jiuzhu, "init", "reg", "--name", "某县社会救助工作联席会议", "--jurisdiction", "某县"],
                   check=True, capture_output=True, cwd=tmp_path, env=env)
    run("validate")
    unit = json.loads(run("units", "list", "--format", "json"))[0]["id"]
    meeting = json.loads(run("meeting", "new", "--kind", "regular", "--date", "2026-09-22", "--format", "json"))["id"]
    run("decision", "add", meeting, "--text", "完善低保资金发放机制", "--lead", unit, "--due-workdays", "10")
    run("minutes", "render", meeting, "--format", "docx", "-o", "纪要.docx")
    assert zipfile.ZipFile(tmp_path / "纪要.docx").read("word/document.xml").count("完善低保资金发放机制".encode()) == 1
