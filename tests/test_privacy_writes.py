"""Personal data never enters the registry through a command, and is found in any file of it."""

from __future__ import annotations

from tests.conftest import tree_hash


def test_commands_refuse_personal_data_and_write_nothing(make_registry, jz):
    root = make_registry()
    before = tree_hash(root)
    res = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "申请人110105199003071239的救助",
             "--date", "2026-11-20")
    assert res.exit_code == 1
    assert "错误：输入中含有疑似救助对象的公民身份号码（1101**********1239），未写入" in res.output
    assert "110105199003071239" not in res.output
    res = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "关于低保的议题",
             "--summary", "请联系 139 1234 5678", "--date", "2026-11-20")
    assert res.exit_code == 1
    assert "错误：输入中含有疑似救助对象的手机号码（139****5678），未写入" in res.output
    assert tree_hash(root) == before


def test_an_existing_liaison_phone_does_not_block_edits(make_registry, jz):
    unit = (make_registry() / "units" / "minzheng.yaml")
    text = unit.read_text(encoding="utf-8").replace("phone: 0316-1234567", "phone: '13912345678'")
    root = make_registry({"units/minzheng.yaml": text})
    res = jz(root, "proposal", "new", "--unit", "minzheng", "--title", "关于低保的议题", "--date", "2026-11-20")
    assert res.exit_code == 0, res.output


def test_ids_with_spaces_and_files_jiuzhu_does_not_read_are_scanned(make_registry, jz):
    root = make_registry({"notes/名单.txt": "户主 110105 19900307 1239\n", "extra.yaml": "x: 1\n"})
    res = jz(root, "validate", "--as-of", "2016-08-01")
    assert res.exit_code == 1
    expected = "personal-id 错误：发现疑似救助对象的公民身份号码（1101**********1239）"
    assert f"{root}/notes/名单.txt:1:4: {expected}" in res.output
    assert "19900307" not in res.output
