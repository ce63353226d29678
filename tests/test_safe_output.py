"""What jiuzhu writes and prints cannot be turned against its users: a file's own line endings
are kept, documents never land in the registry, a briefing's number is kept before its document
goes out, a cut-short output is an error, and control characters users typed are shown, not obeyed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, tree_hash
from test_tasks import MEETING, M

from jiuzhu.loader import load


def test_a_crlf_file_keeps_its_line_endings(make_registry, jz) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    path = root / "meetings/2026" / f"{M}.yaml"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    r = jz(root, "decision", "add", M, "--text", "完善低保资金发放机制", "--lead", "minzheng", "--due", "2026-12-31")
    assert r.exit_code == 0, r.output
    raw = path.read_bytes()
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")


def test_a_document_never_goes_into_the_registry(make_registry, jz) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    before = tree_hash(root)
    for target in (root / "units/minzheng.yaml", root / "notes.md"):
        r = jz(root, "minutes", "render", M, "--format", "md", "-o", str(target), "--force")
        assert r.exit_code == 1 and "生成的文件不放进登记册" in r.output
    assert tree_hash(root) == before


def test_a_briefing_number_is_recorded_before_its_document_is_written(make_registry, jz, tmp_path,
                                                                     monkeypatch) -> None:
    from jiuzhu import render

    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})

    def full_disk(output: Path, data: bytes, force: bool) -> None:
        raise OSError(28, "No space left on device", str(output))

    monkeypatch.setattr(render, "save", full_disk)
    r = jz(root, "briefing", "render", "--issue", "--date", "2026-10-20", "-o", str(tmp_path / "简报.md"))
    assert r.exit_code == 1
    assert [b.number for b in load(root).registry.system.briefings] == [1]  # type: ignore[union-attr]


def test_output_cut_short_is_an_error(make_registry, tmp_path) -> None:
    root = make_registry()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIUZHU_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["--version"], ["units", "list"], ["validate", "--as-of", "2026-11-26"]):
        with open("/dev/full", "w") as full:
            out = subprocess.run([sys.executable, "-m", "jiuzhu", "-r", str(root), *args], stdout=full,
                                 stderr=subprocess.PIPE, text=True, env=env)
        assert out.returncode == 1, args
        assert "Traceback" not in out.stderr and "错误" in out.stderr


def test_control_characters_users_typed_are_shown_not_sent(make_registry, jz) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    before = tree_hash(root)
    r = jz(root, "tasks", "update", f"{M}-1", "--by", "minzheng", "--percent", "30", "--note",
           "已起草\x1b[2J\x1b]0;伪造标题\x07流程", "--date", "2026-10-10")
    assert r.exit_code == 1 and "控制字符 U+001B" in r.output  # refused at the door (jiuzhu.parse)
    assert tree_hash(root) == before
    # and written into a file by hand, it is shown, never sent to the terminal
    path = root / "meetings/2026" / f"{M}.yaml"
    path.write_text(MEETING.replace("text: 完善低保资金发放流程。", 'text: "已起草\\e[2J\\e]0;伪造标题\\a流程"'),
                    encoding="utf-8")
    shown = jz(root, "tasks", "show", f"{M}-1")
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert "\\x1b[2J" in shown.output


def test_github_annotations_cannot_be_forged_by_a_file_name(make_registry, jz) -> None:
    root = make_registry({"units/a,b:c.yaml": "id: x\n", "units/evil\n::stop-commands::x.yaml": "id: y\n"})
    r = jz(root, "validate", "--format", "github", "--as-of", "2026-11-26")
    lines = r.output.splitlines()
    assert all(line.startswith("::") for line in lines)
    assert not any(line.startswith("::stop-commands::") for line in lines)
    assert any("a%2Cb%3Ac.yaml" in line for line in lines)
    assert any("bad-file-name" in line for line in lines)


def test_user_text_cannot_forge_blocks_of_a_word_document(make_registry, jz, tmp_path) -> None:
    import zipfile

    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    forged = "完善低保资金发放机制\u2028mark 30 | 伪造的红头文件\u2029title 伪造标题\x0b\x1c结束"
    r = jz(root, "decision", "add", M, "--text", forged, "--lead", "minzheng", "--due", "2026-12-31")
    assert r.exit_code == 1 and "控制字符" in r.output  # refused on the command line (jiuzhu.parse)
    escaped = (forged.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x0b", "\\v")
               .replace("\x1c", "\\x1c"))
    path = root / "meetings/2026" / f"{M}.yaml"
    path.write_text(MEETING.replace("text: 完善低保资金发放流程。", 'text: "' + escaped + '"'), encoding="utf-8")
    out = tmp_path / "纪要.docx"
    r = jz(root, "minutes", "render", M, "--format", "docx", "-o", str(out))
    assert r.exit_code == 0, r.output
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    # the whole text stays one paragraph's words: no block of its own, no red mark, no title
    assert "完善低保资金发放机制 mark 30 ｜ 伪造的红头文件 title 伪造标题  结束" in xml
    md = jz(root, "minutes", "render", M, "--format", "md")
    assert md.exit_code == 0 and "\x0b" not in md.output and "\u2028" not in md.output


def test_a_template_linked_outside_the_registry_is_refused(make_registry, jz, tmp_path) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING})
    secret = tmp_path / "secret.txt"
    secret.write_text("主机上的秘密\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "_leak.j2").symlink_to(secret)
    (root / "templates" / "minutes.md.j2").write_text("{% include '_leak.j2' %}\n", encoding="utf-8")
    r = jz(root, "minutes", "render", M, "--format", "md")
    assert r.exit_code == 1 and "主机上的秘密" not in r.output and "符号链接" in r.output


# --- what used to pass silently: each now an error naming the real cause -----------------------------

def _codes(jz, root: Path) -> list[str]:  # type: ignore[no-untyped-def]
    out = jz(root, "validate", "--format", "json", "--as-of", "2026-11-26").output
    import json

    return [e["code"] for e in json.loads(out)["errors"]]


def test_an_unreadable_folder_is_named(make_registry, jz, monkeypatch) -> None:
    from jiuzhu import listing

    root = make_registry({f"tasks/2026/{M}-1.yaml": f"task: {M}-1\nlog: []\n"})
    real = listing._entries

    def refuse(folder):  # type: ignore[no-untyped-def]
        if folder.endswith("tasks/2026"):  # as for a folder without read permission (tests run as root)
            raise PermissionError(13, "Permission denied", folder)
        return real(folder)

    monkeypatch.setattr(listing, "_entries", refuse)
    assert "unreadable-folder" in _codes(jz, root)
    (root / "tasks" / "2026" / f"{M}-1.yaml").unlink()
    root2 = make_registry()  # an unreadable units/: the one cause, not an error per reference to a unit
    monkeypatch.setattr(listing, "_entries", lambda p: (_ for _ in ()).throw(PermissionError(13, "denied"))
                        if p.endswith("/units") else real(p))
    assert _codes(jz, root2) == ["unreadable-folder"]


def test_a_folder_named_like_a_unit_file_is_the_one_error(make_registry, jz) -> None:
    root = make_registry()
    (root / "units" / "xinfang.yaml").mkdir()
    assert _codes(jz, root) == ["yaml-folder"]


def test_texts_that_look_right_but_are_not(make_registry, jz) -> None:
    root = make_registry()
    path = root / "units" / "caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("县财政局", "县\u200b财政局")
                    .replace("负责将社会救助资金列入预算安排。", "' '"), encoding="utf-8")
    codes = _codes(jz, root)
    assert "invisible-char" in codes and "empty-text" in codes


def test_a_date_out_of_any_plausible_range(make_registry, jz) -> None:
    root = make_registry({f"meetings/2026/{M}.yaml": MEETING,
                          f"tasks/2026/{M}-1.yaml": f"task: {M}-1\nlog:\n  - {{date: 9999-12-31, by: minzheng, "
                                                   f"note: 记录}}\n"})
    assert "bad-date" in _codes(jz, root)


def test_a_day_both_holiday_and_workday(make_registry, jz) -> None:
    root = make_registry({"calendar.yaml": "years:\n  2027:\n    holidays: [2027-10-01]\n"
                                           "    workdays: [2027-10-01]\n"})
    assert "holiday-and-workday" in _codes(jz, root)


def test_a_yaml_merge_key_is_an_error_not_silently_dropped(make_registry, jz) -> None:
    root = make_registry()
    path = root / "units" / "caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "extra: &e {a: 1}\nmore:\n  <<: *e\n", encoding="utf-8")
    assert "yaml-merge-key" in _codes(jz, root)


def test_a_registry_file_linked_outside_is_not_read(make_registry, jz, tmp_path) -> None:
    root = make_registry()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("id: elsewhere\nname: 外部单位\nkind: government\norder: 99\n", encoding="utf-8")
    (root / "units" / "elsewhere.yaml").symlink_to(outside)
    (root / "units" / "inside.yaml").symlink_to(root / "units" / "caizheng.yaml")  # inside: read (as a duplicate)
    codes = _codes(jz, root)
    assert "link-outside" in codes and "外部单位" not in jz(root, "units", "list").output
