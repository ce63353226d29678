"""The liaison directory (issue 16 §3): liaison, deputy and their history in the unit file; list,
set, export (docx, xlsx, vcf, md); the checks; officials' numbers accepted only in contact fields."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import ok, refused
from docx import Document
from openpyxl import load_workbook

UNIT = "units/minzheng.yaml"
TAIL = "reviewers: [minzheng-liaison]\nduties:\n  - {id: minzheng-1, text: 负责低保。, areas: [dibao], role: lead}\n"


@pytest.fixture
def reg(make_registry) -> Path:
    return make_registry()



def _change(jz, reg: Path) -> None:
    ok(jz, reg, "liaisons", "set", "县民政局", "--name", "王芳", "--post", "科长", "--phone", "0316-8812345",
       "--mobile", "13812345678", "--from", "2026-01-05")
    ok(jz, reg, "liaisons", "set", "minzheng", "--deputy", "--name", "李明", "--mobile", "13900001111",
       "--from", "2026-01-05")
    ok(jz, reg, "liaisons", "set", "minzheng", "--name", "赵强", "--post", "科长", "--phone", "0316-8812399",
       "--from", "2026-11-01")


def test_a_new_liaison_keeps_the_former_one_in_the_history(jz, reg):
    _change(jz, reg)
    text = (reg / UNIT).read_text(encoding="utf-8")
    assert "liaison: {name: 赵强, post: 科长, phone: 0316-8812399, mobile:" in text
    assert "deputy: {name: 李明, post:" in text and "mobile: '13900001111', since: 2026-01-05}" in text
    assert ("  - {role: liaison, name: 王芳, post: 科长, phone: 0316-8812345, mobile: '13812345678', "
            "from: 2026-01-05, to: 2026-10-31}") in text
    assert text.index("liaison:") < text.index("deputy:") < text.index("liaison_history:") < text.index("duties:")
    assert jz(reg, "validate").exit_code == 0
    rows = json.loads(ok(jz, reg, "liaisons", "list", "--format", "json", "--as-of", "2026-06-01"))
    minzheng = {r["role"]: r for r in rows if r["unit"] == "minzheng"}
    assert minzheng["联络员"]["name"] == "王芳" and minzheng["备用联络员"]["name"] == "李明"
    now = {r["role"]: r for r in json.loads(ok(jz, reg, "liaisons", "list", "--format", "json",
                                               "--as-of", "2026-12-01")) if r["unit"] == "minzheng"}
    assert now["联络员"]["name"] == "赵强" and now["联络员"]["since"] == "2026-11-01"


def test_the_same_person_changes_numbers_in_place(jz, reg):
    ok(jz, reg, "liaisons", "set", "minzheng", "--name", "王芳", "--phone", "0316-8812345", "--from", "2026-01-05")
    ok(jz, reg, "liaisons", "set", "minzheng", "--name", "王芳", "--mobile", "13812345678", "--from", "2026-03-01")
    text = (reg / UNIT).read_text(encoding="utf-8")
    assert text.count("{role: liaison,") == 1  # 赵六, whom 王芳 replaced; not 王芳 herself
    assert "liaison: {name: 王芳, post: null, phone: 0316-8812345, mobile: '13812345678', since: 2026-01-05}" in text


@pytest.mark.parametrize(("args", "says"), [
    (["minzheng", "--name", "赵强", "--from", "2026-01-05"], "不能在此之前或同一天"),
    (["minzheng", "--name", "赵强", "--mobile", "1381234567"], "手机号码“1381234567”不对"),
    (["minzheng", "--name", "赵强", "--phone", "电话"], "办公电话“电话”不对"),
    (["县不存在局", "--name", "赵强"], "县不存在局"),
    (["minzheng", "--name", "赵\n强"], "--name"),
])
def test_bad_changes_are_refused_with_nothing_written(jz, reg, args, says):
    ok(jz, reg, "liaisons", "set", "minzheng", "--name", "王芳", "--from", "2026-01-05")
    assert says in refused(jz, reg, "liaisons", "set", *args)


def test_mobile_numbers_only_in_contact_fields(jz, make_registry):
    unit = (
        "id: minzheng\nname: 县民政局\nkind: government\norder: 1\nactive: true\n"
        "liaison: {name: 王芳, post: 科长, phone: '13812345678', mobile: '13812345679', since: 2026-01-05}\n"
        "deputy: {name: 李明, mobile: '13900001111'}\n"
        "liaison_history:\n  - {role: liaison, name: 赵六, mobile: '13700001111', from: 2025-01-01, to: 2026-01-04}\n"
        "reviewers: [minzheng-liaison]\nduties:\n  - {id: minzheng-1, text: 负责低保。, areas: [dibao], role: lead}\n")
    reg = make_registry({UNIT: unit})
    assert jz(reg, "validate").exit_code == 0
    leaked = unit.replace("负责低保。", "负责低保，联系13612345678。")
    result = jz(make_registry({UNIT: leaked}), "validate")
    assert result.exit_code == 1 and f"{UNIT}:12" in result.output and "手机号码" in result.output


@pytest.mark.parametrize(("history", "says"), [
    ("  - {role: liaison, name: 赵六, from: 2026-05-01, to: 2026-01-04}\n",
     "任职止于 2026-01-04，早于任职起 2026-05-01"),
    ("  - {role: liaison, name: 赵六, from: 2025-01-01, to: 2025-12-31}\n"
     "  - {role: liaison, name: 孙七, from: 2025-06-01, to: 2026-01-04}\n", "任职期间重叠"),
    ("  - {role: liaison, name: 赵六, from: 2025-01-01, to: 2026-03-01}\n",
     "现任联络员王芳自 2026-01-05 起任职，前一任到 2026-03-01 止"),
])
def test_contact_periods_are_checked(jz, make_registry, history, says):
    unit = ("id: minzheng\nname: 县民政局\nkind: government\norder: 1\nactive: true\n"
            "liaison: {name: 王芳, phone: 0316-8812345, since: 2026-01-05}\n"
            f"liaison_history:\n{history}"
            + TAIL)
    result = jz(make_registry({UNIT: unit}), "validate")
    assert result.exit_code == 1 and "contact-period" in result.output
    assert says in result.output and f"{UNIT}:" in result.output


def test_a_malformed_number_is_a_warning(jz, make_registry):
    unit = ("id: minzheng\nname: 县民政局\nkind: government\norder: 1\nactive: true\n"
            "liaison: {name: 王芳, phone: 八八一二三四五}\n" + TAIL)
    result = jz(make_registry({UNIT: unit}), "validate", "--verbose")
    assert result.exit_code == 0 and f"{UNIT}:6:" in result.output
    assert "办公电话“八八一二三四五”格式不对" in result.output


def test_csv_list(jz, reg):
    _change(jz, reg)
    lines = ok(jz, reg, "liaisons", "list", "--format", "csv", "--as-of", "2026-12-01").splitlines()
    assert lines[0] == "单位标识,单位,角色,姓名,职务,办公电话,手机,任职起"
    assert "minzheng,县民政局,联络员,赵强,科长,0316-8812399,,2026-11-01" in lines


def test_exports_read_back(jz, reg, tmp_path):
    _change(jz, reg)
    for fmt in ("docx", "xlsx", "vcf", "md"):
        ok(jz, reg, "liaisons", "export", "-o", str(tmp_path / f"通讯录.{fmt}"), "--as-of", "2026-12-01")
    sheet = load_workbook(tmp_path / "通讯录.xlsx").active
    assert [c.value for c in sheet[1]] == ["序号", "成员单位", "联络员", "联系电话", "备用联络员", "联系电话"]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width >= 10
    minzheng = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "县民政局")
    assert minzheng[2:] == ("赵强 科长", "0316-8812399", "李明", "13900001111")
    table = Document(str(tmp_path / "通讯录.docx")).tables[0]
    assert any([c.text for c in row.cells][1:3] == ["县民政局", "赵强 科长"] for row in table.rows)
    vcf = (tmp_path / "通讯录.vcf").read_bytes()
    named = sum(1 for r in json.loads(ok(jz, reg, "liaisons", "list", "--format", "json", "--as-of", "2026-12-01"))
                if r["name"])
    assert vcf.count(b"BEGIN:VCARD\r\n") == vcf.count(b"END:VCARD\r\n") == named
    assert vcf.decode().count("ORG:县民政局\r\n") == 2
    assert b"FN:\xe8\xb5\xb5\xe5\xbc\xba\r\n" in vcf and b"TEL;TYPE=CELL:13900001111\r\n" in vcf
    assert "# 测试县社会救助工作联席会议联络员通讯录" in (tmp_path / "通讯录.md").read_text(encoding="utf-8")


def test_vcard_escapes_and_folds():
    from jiuzhu.vcard import Card, vcards

    text = vcards([Card("王芳", "县民政局;社会救助股,二组", "联络员（" + "很长的职务" * 10 + "）", None, None, "u1")])
    lines = text.encode("utf-8").split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert "ORG:县民政局\\;社会救助股\\,二组" in text
    unfolded = text.replace("\r\n ", "")
    assert "TITLE:联络员（" + "很长的职务" * 10 + "）\r\n" in unfolded
    io.StringIO(text)  # text, not bytes


def test_notice_contact_follows_the_liaison_of_the_day(jz, make_registry, tmp_path):
    from docs_registry import DOCS_FILES, MEETING_ID

    reg = make_registry(DOCS_FILES)
    ok(jz, reg, "liaisons", "set", "minzheng", "--name", "新联络员", "--mobile", "13812345678", "--from", "2026-11-10")
    before = ok(jz, reg, "meeting", "notice", MEETING_ID, "--date", "2026-11-05")
    after = ok(jz, reg, "meeting", "notice", MEETING_ID, "--date", "2026-11-16")
    assert "联系人：赵六，电话：0316-1234567" in before
    assert "联系人：新联络员，电话：13812345678" in after
