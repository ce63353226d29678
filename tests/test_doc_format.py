"""A document's format follows the extension of -o; a --format the extension contradicts is
refused with nothing written (before: Markdown in a file named .docx)."""

from __future__ import annotations

import zipfile

import pytest
from conftest import tree_hash
from docs_registry import DOCS_FILES

MID = "m-20261126-regular-a1b2"


@pytest.mark.parametrize("name, check", [
    ("纪要.docx", lambda p: zipfile.is_zipfile(p)),
    ("纪要.html", lambda p: p.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")),
    ("纪要.md", lambda p: p.read_text(encoding="utf-8").startswith("#")),
])
def test_the_extension_chooses_the_format(make_registry, jz, tmp_path, name, check):
    root = make_registry(DOCS_FILES)
    out = tmp_path / name
    res = jz(root, "minutes", "render", MID, "-o", str(out))
    assert res.exit_code == 0, res.output
    assert check(out)


@pytest.mark.parametrize("args, message", [
    (["--format", "md", "-o", "纪要.docx"], "--format md 与输出文件 纪要.docx 的扩展名不符"),
    (["--format", "docx", "-o", "纪要.html"], "--format docx 与输出文件 纪要.html 的扩展名不符"),
    (["-o", "纪要.txt"], "无法从文件名 纪要.txt 判断输出格式"),
])
def test_a_contradiction_is_refused_and_nothing_written(make_registry, jz, tmp_path, args, message):
    root = make_registry(DOCS_FILES)
    before = tree_hash(root)
    args = [str(tmp_path / a) if "." in a and not a.startswith("-") else a for a in args]
    res = jz(root, "minutes", "render", MID, *args)
    assert res.exit_code == 1
    assert message in res.output
    assert list(tmp_path.glob("纪要*")) == []
    assert tree_hash(root) == before


def test_an_explicit_format_for_a_file_without_a_known_extension(make_registry, jz, tmp_path):
    root = make_registry(DOCS_FILES)
    out = tmp_path / "纪要.txt"
    assert jz(root, "minutes", "render", MID, "--format", "md", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("#")


def test_responsible_units_keep_the_order_the_decision_gives(make_registry, jz):
    from cycle_helpers import meeting, ok

    root = make_registry(DOCS_FILES)
    mid = meeting(jz, root, "adhoc", "2026-12-01")
    ok(jz, root, "meeting", "attend", mid, "--rest", "--attended")
    ok(jz, root, "decision", "add", mid, "--text", "做好医疗救助资金保障", "--lead", "minzheng",
       "--responsible", "县卫生健康局、县财政局", "--due", "2026-12-31")
    minutes = jz(root, "minutes", "render", mid).output
    assert "责任单位：县卫生健康局、县财政局" in minutes  # 财政局 comes first in the founding order
    report = jz(root, "report", "progress", "--as-of", "2026-12-15").output
    assert "县卫生健康局、县财政局" in report


def test_the_notice_gives_the_office_liaison_and_phone_and_warns_without_one(make_registry, jz):
    from conftest import MINI_FILES

    args = ("meeting", "notice", MID, "--date", "2026-11-16")
    res = jz(make_registry(DOCS_FILES), *args)
    assert "（联系人：赵六，电话：0316-1234567）" in res.output and "联系人没有电话" not in res.output
    no_phone = MINI_FILES["units/minzheng.yaml"].replace("liaison: {name: 赵六, phone: 0316-1234567, post: 科长}",
                                                        "liaison: {name: null, phone: null}")
    res = jz(make_registry({**DOCS_FILES, "units/minzheng.yaml": no_phone}), *args)
    assert res.exit_code == 0, res.output
    assert "（联系人：王五）" in res.output  # the office director, as before
    assert "警告：通知中的联系人没有电话" in res.output


@pytest.mark.parametrize("kind", ["minutes", "notice", "briefing", "progress"])
def test_markdown_is_clean_markdown(make_registry, jz, kind):
    """What a pull request shows well: no HTML line breaks, numbers not in bold, the word 议题 once."""
    import re

    from test_render import DOCS

    out = jz(make_registry(DOCS_FILES), *DOCS[kind]).output
    assert not re.search(r"<[a-z]+", out)
    assert not re.search(r"\*\*[一二三四五六七八九十]+\*\*", out)
    assert "的议题、" not in out and "的议题等" not in out


def test_attendance_lists_units_with_their_people_in_brackets(make_registry, jz):
    out = jz(make_registry(DOCS_FILES), "minutes", "render", MID).output
    assert "**出席**：县民政局（王五、赵六）、县财政局（钱七）" in out


def test_documents_of_one_day_name_the_same_lead_after_a_reassignment(make_registry, jz):
    """Briefing and 通报 read the task as it stands on their date; the minutes keep the decision as taken."""
    from cycle_helpers import ok

    root = make_registry(DOCS_FILES)
    task = f"{MID}-1"
    ok(jz, root, "tasks", "reassign", task, "--lead", "县卫生健康局", "--reason", "职责调整",
       "--decided-by", "总召集人", "--date", "2026-12-10", "--as-of", "2026-12-10")
    text = "会议同意自2027年1月1日起提高城乡低保标准"
    briefing = jz(root, "briefing", "render", "--from", "2026-07-01", "--to", "2026-12-15", "--date",
                  "2026-12-16").output
    report = jz(root, "report", "progress", "--as-of", "2026-12-16").output
    minutes = jz(root, "minutes", "render", MID).output
    line = next(x for x in briefing.splitlines() if text in x and "牵头单位" in x)
    assert "牵头单位：县卫生健康局" in line, line
    row = next(x for x in report.splitlines() if text in x and x.startswith("|"))
    assert "| 县卫生健康局 |" in row, row
    assert "（牵头单位：县民政局；" in minutes  # as the meeting decided


def test_the_report_names_its_attachment_before_the_signature_and_each_row_its_minutes(make_registry, jz):
    out = jz(make_registry(DOCS_FILES), "report", "progress", "--as-of", "2026-12-15").output
    lines = out.splitlines()
    attachment = lines.index("附件：联席会议议定事项进展情况表")
    assert lines[attachment + 2].startswith("县社会救助工作联席会议办公室")
    assert "| 序号 | 来源 | 议定事项 |" in out
    assert "| 1 | 纪要〔2026〕3号 | 会议同意自2027年1月1日起提高城乡低保标准" in out


def _fake_tools(folder, fc_list_output: str) -> str:
    """A PATH holding a `chromium` that prints nothing and an `fc-list` answering `fc_list_output`."""
    folder.mkdir()
    for name, body in (("chromium", "exit 0"), ("fc-list", f"printf '{fc_list_output}'")):
        tool = folder / name
        tool.write_text(f"#!/bin/sh\n{body}\n")
        tool.chmod(0o755)
    return str(folder)


@pytest.mark.parametrize("setting, message", [
    ({"PATH": "EMPTY"}, "生成 PDF 需要 Chromium"),
    ({"PATH": "EMPTY", "JIUZHU_BROWSER": "/no/such/chromium"},
     "环境变量 JIUZHU_BROWSER 指定的浏览器“/no/such/chromium”找不到"),
    ({"PATH": "NOFONT"}, "本机没有中文字体"),
    ({"PATH": "SILENT"}, "Chromium 没有生成 PDF"),
])
def test_pdf_without_its_tools_is_refused_before_anything_is_done(make_registry, jz, tmp_path, monkeypatch,
                                                                  setting, message):
    root = make_registry(DOCS_FILES)
    paths = {"EMPTY": lambda: str(tmp_path / "nothing"),
             "NOFONT": lambda: _fake_tools(tmp_path / "nofont", ""),
             "SILENT": lambda: _fake_tools(tmp_path / "silent", "Noto Serif CJK SC\\n")}
    monkeypatch.delenv("JIUZHU_BROWSER", raising=False)
    for key, value in setting.items():
        monkeypatch.setenv(key, paths[value]() if key == "PATH" else value)
    before = tree_hash(root)
    out = tmp_path / "通报.pdf"
    res = jz(root, "report", "progress", "--as-of", "2026-12-15", "--issue", "-o", str(out))
    assert res.exit_code == 1, res.output
    assert message in res.output and "Traceback" not in res.output
    assert tree_hash(root) == before and not out.exists()
