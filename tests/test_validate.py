"""`jiuzhu validate`: every refused input shows its exact message at its file:line:col, exit 1,
never a traceback, and never a cascade of secondary errors behind the one to fix."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.conftest import MINI_AREAS, MINI_SYSTEM, mini_unit

SYNTAX_HINT = "    提示：检查这一行及上一行的缩进、冒号后的空格、括号和引号是否成对。"
PRIVACY_HINT = ("    提示：登记册保存在 git 中，任何人都能看到历史版本：删除该号码，并从 git 历史中清除；"
                "jiuzhu 只协调部门，不保存申请人信息。")
AREAS = textwrap.dedent(MINI_AREAS).lstrip("\n")


AS_OF = "2016-08-01"  # just after the mini registry's founding: no rule of procedure is due yet


def validate(jz, root: Path, *args: str):
    """Run validate; return (exit code, output with the registry prefix removed)."""
    res = jz(root, "validate", "--as-of", AS_OF, *args)
    assert "Traceback" not in res.output
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, res.output.replace(f"{root}/", "")


def unit(uid: str = "xinfang", duties: str = "", **kw: str) -> str:
    """A unit file in the mini registry's style; `duties` in flow style, one per line."""
    body = duties or f"- {{id: {uid}-1, text: 配合做好低保工作。, areas: [dibao], role: support}}"
    return mini_unit(uid, kw.get("name", "县信访局"), int(kw.get("order", 3)), body)


def expect(*lines: str, errors: int = 1, warnings: int = 0) -> str:
    return "\n".join([*lines, f"共 {errors} 个错误，{warnings} 个警告。", ""])


# --- reading files ------------------------------------------------------------------------------

READ_CASES = {
    "yaml-syntax": (
        {"areas.yaml": "areas:\n  - id: dibao\n    name: [城乡低保\n    kind: assistance\n"},
        expect("areas.yaml:3:11: yaml-syntax 错误：YAML 语法错误：这里的“[”没有配对的“]”，或列表项之间缺少逗号"
               "（解析到第 4 行第 9 列时发现）", SYNTAX_HINT),
    ),
    "yaml-syntax-colon": (
        {"units/minzheng.yaml": "id: minzheng\nname: 县民政局 kind: government\norder: 1\n"},
        expect("units/minzheng.yaml:2:16: yaml-syntax 错误：YAML 语法错误："
               "此处不能出现“键: 值”（冒号后可能缺空格，或缩进不对）",
               SYNTAX_HINT),
    ),
    "duplicate-key": (
        {"areas.yaml": AREAS.replace("    kind: assistance\n", "    kind: assistance\n    name: 低保\n", 1)},
        expect("areas.yaml:5:5: duplicate-key 错误：键“name”重复出现（第一次在第 3 行）",
               "    提示：删除或合并重复的键；YAML 中后出现的值会悄悄覆盖前面的值。"),
    ),
    "tab": (
        {"areas.yaml": AREAS.replace("    name: 城乡低保", "\tname: 城乡低保")},
        expect("areas.yaml:3:1: yaml-tab 错误：用了制表符（Tab）缩进，YAML 只允许空格",
               "    提示：把该行开头的 Tab 换成空格（每级两个空格）。"),
    ),
    "empty-file": (
        {"areas.yaml": ""},
        expect("areas.yaml:1:1: empty-file 错误：文件是空的（没有任何 YAML 内容）",
               "    提示：删除该文件，或按 docs/registry.md 中该类文件的字段填写内容。"),
    ),
    "comments-only": (
        {"units/caizheng.yaml": "# 县财政局\n\n"},
        expect("units/caizheng.yaml:1:1: empty-file 错误：文件是空的（没有任何 YAML 内容）",
               "    提示：删除该文件，或按 docs/registry.md 中该类文件的字段填写内容。"),
    ),
    "top-level-list": (
        {"areas.yaml": "- id: dibao\n  name: 城乡低保\n"},
        expect("areas.yaml:1:1: wrong-type 错误：文件顶层应为映射（键: 值），实际是列表",
               "    提示：写成“键: 值”的形式，每个键占一行；各字段见 docs/registry.md。"),
    ),
    "top-level-text": (
        {"system.yaml": "大厂县\n"},
        expect("system.yaml:1:1: wrong-type 错误：文件顶层应为映射（键: 值），实际是文字“大厂县”",
               "    提示：写成“键: 值”的形式，每个键占一行；各字段见 docs/registry.md。"),
    ),
    "gbk": (
        {"areas.yaml": AREAS.encode("gbk")},
        expect("areas.yaml:3:11: encoding 错误：文件不是 UTF-8 编码，看起来是 GBK 编码（第一个无法识别的字节在此处）",
               "    提示：用编辑器把文件另存为 UTF-8 编码：记事本“另存为”时编码选 UTF-8，VS Code 点右下角编码→"
               "“通过编码保存”→ UTF-8；命令行：iconv -f GBK -t UTF-8 原文件 > 新文件。"),
    ),
}


@pytest.mark.parametrize("case", list(READ_CASES))
def test_unreadable_file_is_refused_alone(make_registry, jz, case):
    """The file's own error and nothing else: no 'area dibao does not exist' behind a broken areas.yaml."""
    files, expected = READ_CASES[case]
    code, out = validate(jz, make_registry(files))
    assert code == 1
    assert out == expected


def test_utf8_bom_is_accepted(make_registry, jz):
    root = make_registry({"areas.yaml": b"\xef\xbb\xbf" + AREAS.encode("utf-8")})
    code, out = validate(jz, root, "--strict")
    assert (code, out) == (0, "登记册检查通过，没有发现问题。\n")


def test_multiple_documents_in_one_file(make_registry, jz):
    code, out = validate(jz, make_registry({"areas.yaml": AREAS + "---\nareas: []\n"}))
    assert code == 1
    assert out == expect("areas.yaml:10:1: yaml-syntax 错误：YAML 语法错误："
                         "一个文件只能有一个 YAML 文档（删去多余的“---”）",
                         SYNTAX_HINT)


# --- shape of the data ----------------------------------------------------------------------------

SHAPE_CASES = {
    "unknown-key": (
        {"areas.yaml": AREAS.replace("    name: 城乡低保", "    nam: 城乡低保")},
        expect("areas.yaml:3:5: unknown-key 错误：未知的键“nam”", "    提示：你是不是想写“name”？"),
    ),
    "unknown-key-far": (
        {"units/xinfang.yaml": unit() + "电话: 0316-8888888\n"},
        expect("units/xinfang.yaml:10:1: unknown-key 错误：未知的键“电话”",
               "    提示：可用的键：id、name、aliases、kind、order、item、active、since、until、liaison、deputy、"
               "member、liaison_history、reviewers、history、duties。"),
    ),
    "missing-field": (
        {"units/xinfang.yaml": unit().replace("kind: government\n", "")},
        expect("units/xinfang.yaml:1:1: missing-field 错误：缺少必填字段“kind”（成员单位）",
               "    提示：添加“kind: …”（单位类别；可选值：government、party、mass、vertical、enterprise）。"),
    ),
    "missing-nested-field": (
        {"system.yaml": MINI_SYSTEM.replace("  unit: minzheng\n", "")},
        expect("system.yaml:12:1: missing-field 错误：缺少必填字段“unit”（联席会议办公室）",
               "    提示：添加“unit: …”（所在成员单位；小写字母、数字和连字符，例如 minzheng）。"),
    ),
    "wrong-type": (
        {"units/xinfang.yaml": unit().replace("order: 3", "order: 三")},
        expect("units/xinfang.yaml:4:8: wrong-type 错误：“order”应为整数，实际是文字“三”",
               "    提示：写成整数，例如 3；各字段见 docs/registry.md。"),
    ),
    "wrong-type-list": (
        {"units/xinfang.yaml": unit().replace("reviewers: [xinfang-liaison]", "reviewers: xinfang-liaison")},
        expect("units/xinfang.yaml:7:12: wrong-type 错误：“reviewers”应为列表，实际是文字“xinfang-liaison”",
               "    提示：写成列表，例如 [a, b]，或每行一个“- 值”；各字段见 docs/registry.md。"),
    ),
    "enum": (
        {"units/xinfang.yaml": unit().replace("kind: government", "kind: goverment")},
        expect("units/xinfang.yaml:3:7: bad-enum 错误：“kind”的值“goverment”不在可选范围内",
               "    提示：你是不是想写“government”？可选值：government、party、mass、vertical、enterprise。"),
    ),
    "enum-in-list": (
        {"units/xinfang.yaml": unit().replace("role: support", "role: 配合")},
        expect("units/xinfang.yaml:9:60: bad-enum 错误：“duties[1].role”的值“配合”不在可选范围内",
               "    提示：可选值：lead、support、info。"),
    ),
    "date-does-not-exist": (
        {"units/xinfang.yaml": unit() + "since: 2026-02-30\n"},
        expect("units/xinfang.yaml:10:8: bad-date 错误：“since”的日期 2026-02-30 不存在",
               "    提示：检查月份和日期（例如 2 月没有 30 日）。"),
    ),
    "date-quoted": (
        {"system.yaml": MINI_SYSTEM.replace("date: 2016-07-27", "date: '2016-13-01'")},
        expect("system.yaml:7:9: bad-date 错误：“founding_document.date”的日期 2016-13-01 不存在",
               "    提示：检查月份和日期（例如 2 月没有 30 日）。"),
    ),
    "not-a-date": (
        {"units/xinfang.yaml": unit() + "since: 2026年3月\n"},
        expect("units/xinfang.yaml:10:8: bad-date 错误：“since”的值“2026年3月”不是日期",
               "    提示：日期写成 YYYY-MM-DD，例如 2026-03-15。"),
    ),
    "empty-list-item": (
        {"units/xinfang.yaml": unit().replace("duties:\n", "duties:\n  -\n")},
        expect("units/xinfang.yaml:9:4: wrong-type 错误：“duties[1]”是空的", "    提示：删去这一项，或填上内容。"),
    ),
}


@pytest.mark.parametrize("case", list(SHAPE_CASES))
def test_bad_shape_is_refused_with_exact_message(make_registry, jz, case):
    files, expected = SHAPE_CASES[case]
    code, out = validate(jz, make_registry(files))
    assert code == 1
    assert out == expected


def test_null_optional_fields_mean_absent(make_registry, jz):
    """`duties:` or `liaison:` left empty is not a crash: an empty list, an unknown liaison."""
    text = "id: xinfang\nname: 县信访局\nkind: government\norder: 3\nliaison:\nreviewers: [x]\nduties:\nhistory:\n"
    code, out = validate(jz, make_registry({"units/xinfang.yaml": text}))
    assert code == 0
    assert out == ("units/xinfang.yaml:5:9: unknown-liaison 警告：县信访局的联络员姓名或电话未填写\n"
                   "    提示：在 liaison 下填写 name 和 phone（联络员的工作电话可以保存）。\n"
                   "共 0 个错误，1 个警告。\n")


# --- ids and references -----------------------------------------------------------------------

ID_HINT = "    提示：每个标识在整个登记册中只能出现一次，请改用新的标识。"


def test_duplicate_unit_id_across_files(make_registry, jz):
    code, out = validate(jz, make_registry({"units/minzheng2.yaml": unit("minzheng", name="县另一局")}))
    assert code == 1
    assert out == expect("units/minzheng2.yaml:1:5: duplicate-id 错误：成员单位标识“minzheng”重复"
                         "（已在 units/minzheng.yaml:1:5 定义）", ID_HINT)


def test_duplicate_duty_id_across_units(make_registry, jz):
    duties = "- {id: minzheng-1, text: 配合做好低保工作。, areas: [dibao], role: support}"
    code, out = validate(jz, make_registry({"units/xinfang.yaml": unit(duties=duties)}))
    assert code == 1
    assert out == expect("units/xinfang.yaml:9:10: duplicate-id 错误：职责编号“minzheng-1”重复"
                         "（已在 units/minzheng.yaml:9:9 定义）",
                         "    提示：每条职责的编号在整个登记册中唯一，通常为 <单位标识>-<序号>。")


def test_duplicate_area_id(make_registry, jz):
    code, out = validate(jz, make_registry({"areas.yaml": AREAS + "  - {id: dibao, name: 低保, kind: assistance}\n"}))
    assert code == 1
    assert out == expect("areas.yaml:10:10: duplicate-id 错误：领域标识“dibao”重复（已在 areas.yaml:2:9 定义）",
                         ID_HINT)


@pytest.mark.parametrize("bad", ["../x", "'a b'", "民政"])
def test_id_unsafe_as_file_name(make_registry, jz, bad):
    text = unit().replace("id: xinfang\n", f"id: {bad}\n")
    code, out = validate(jz, make_registry({"units/xinfang.yaml": text}))
    shown = bad.strip("'")
    assert code == 1
    assert out == expect(f"units/xinfang.yaml:1:5: unsafe-id 错误：标识“{shown}”不能用作文件名",
                         "    提示：标识只能用小写英文字母、数字和连字符，以字母或数字开头（如 minzheng）；"
                         "不能有空格、斜杠、“..”或汉字。")


def test_unit_id_must_match_file_name(make_registry, jz):
    code, out = validate(jz, make_registry({"units/xinfang.yaml": unit("xinfangju")}))
    assert code == 1
    assert out == expect("units/xinfang.yaml:1:5: id-file-mismatch 错误："
                         "单位标识“xinfangju”与文件名“xinfang.yaml”不一致",
                         "    提示：把文件改名为 xinfangju.yaml，或把 id 改为 xinfang。")


REF_CASES = {
    "office-unit": (
        {"system.yaml": MINI_SYSTEM.replace("unit: minzheng", "unit: minzhen")},
        "system.yaml:13:9: unresolved-ref 错误：办公室所在单位“minzhen”不存在", "minzheng",
    ),
    "duty-area": (
        {"units/xinfang.yaml": unit(duties="- {id: xinfang-1, text: 配合。, areas: [zijin, dibaoo], role: support}")},
        "units/xinfang.yaml:9:47: unresolved-ref 错误：领域“dibaoo”不存在", "dibao",
    ),
    "joint-meeting-duty-area": (
        {"system.yaml": MINI_SYSTEM.replace("areas: [dibao]}", "areas: [dibao, zijing]}")},
        "system.yaml:18:58: unresolved-ref 错误：领域“zijing”不存在", "zijin",
    ),
    "area-lead": (
        {"areas.yaml": AREAS.replace("    synonyms: [低保, 最低生活保障]\n",
                                     "    synonyms: [低保, 最低生活保障]\n    lead: minzhen\n")},
        "areas.yaml:6:11: unresolved-ref 错误：指定牵头单位“minzhen”不存在", "minzheng",
    ),
    "shared-with": (
        {"units/xinfang.yaml": unit(duties="- {id: xinfang-1, text: 配合。, areas: [dibao], role: support,"
                                           " shared_with: [caizhen]}")},
        "units/xinfang.yaml:9:77: unresolved-ref 错误：成员单位“caizhen”不存在", "caizheng",
    ),
}


@pytest.mark.parametrize("case", list(REF_CASES))
def test_unresolved_reference_suggests_nearest(make_registry, jz, case):
    files, line, near = REF_CASES[case]
    code, out = validate(jz, make_registry(files))
    assert code == 1
    assert out == expect(line, f"    提示：你是不是想写“{near}”？")


def test_reference_with_nothing_close(make_registry, jz):
    code, out = validate(jz, make_registry({"system.yaml": MINI_SYSTEM.replace("unit: minzheng", "unit: qq")}))
    assert out == expect("system.yaml:13:9: unresolved-ref 错误：办公室所在单位“qq”不存在",
                         "    提示：检查拼写，或先在登记册中添加它。")


def test_positions_stay_right_after_a_dropped_entry(make_registry, jz):
    """A bad entry earlier in a list must not shift the positions of the errors after it."""
    duties = ("- 配合做好低保工作。\n"
              "- {id: xinfang-2, text: 配合。, areas: [Bad, dibao, zijinn], role: support}")
    code, out = validate(jz, make_registry({"units/xinfang.yaml": unit(duties=duties)}))
    assert code == 1
    assert out == expect(
        "units/xinfang.yaml:9:5: wrong-type 错误：“duties[1]”应为映射（键: 值），实际是文字“配合做好低保工作。”",
        "    提示：写成“键: 值”的形式，每个键占一行；各字段见 docs/registry.md。",
        "units/xinfang.yaml:10:40: unsafe-id 错误：标识“Bad”不能用作文件名",
        "    提示：标识只能用小写英文字母、数字和连字符，以字母或数字开头（如 minzheng）；"
        "不能有空格、斜杠、“..”或汉字。",
        "units/xinfang.yaml:10:52: unresolved-ref 错误：领域“zijinn”不存在",
        "    提示：你是不是想写“zijin”？",
        errors=3)


def test_broken_unit_file_does_not_cascade(make_registry, jz):
    """caizheng.yaml cannot be read: the office in it, the duty sharing with it and the area only
    it covers are not reported as missing."""
    files = {
        "units/caizheng.yaml": "id: caizheng\nname: [县财政局\n",
        "system.yaml": MINI_SYSTEM.replace("unit: minzheng", "unit: caizheng"),
        "units/xinfang.yaml": unit(duties="- {id: xinfang-1, text: 配合。, areas: [dibao], role: support,"
                                          " shared_with: [caizheng]}"),
    }
    code, out = validate(jz, make_registry(files))
    assert code == 1
    assert out == expect("units/caizheng.yaml:2:7: yaml-syntax 错误：YAML 语法错误：这里的“[”没有配对的“]”，"
                         "或列表项之间缺少逗号（解析到第 3 行第 1 列时发现）", SYNTAX_HINT)


def test_missing_areas_file(make_registry, jz):
    code, out = validate(jz, make_registry(drop=["areas.yaml"]))
    assert code == 1
    assert out == expect("areas.yaml:1:1: missing-file 错误：登记册缺少 areas.yaml",
                         "    提示：用 jiuzhu init 新建登记册，或从已有登记册复制 areas.yaml 后修改。")


# --- areas: coverage and lead (warnings) ------------------------------------------------------

def test_area_no_duty_covers_is_a_warning(make_registry, jz):
    root = make_registry({"areas.yaml": AREAS + "  - {id: jiuye, name: 就业救助, kind: assistance}\n"})
    expected = expect("areas.yaml:10:5: area-uncovered 警告：没有任何成员单位的职责涉及领域“就业救助”",
                      "    提示：在相关单位的职责 areas 中加入该领域，或删除该领域。", errors=0, warnings=1)
    assert validate(jz, root) == (0, expected)
    assert validate(jz, root, "--strict") == (1, expected)


def test_area_with_several_leads_and_none_designated(make_registry, jz):
    duties = "- {id: xinfang-1, text: 负责低保信访。, areas: [dibao], role: lead}"
    root = make_registry({"units/xinfang.yaml": unit(duties=duties)})
    expected = expect("areas.yaml:2:5: area-multi-lead 警告："
                      "领域“城乡低保”有多个牵头单位（县民政局、县信访局），未指定由谁牵头",
                      "    提示：在 areas.yaml 中为该领域加 lead: <单位标识>。", errors=0, warnings=1)
    assert validate(jz, root) == (0, expected)
    assert validate(jz, root, "--strict")[0] == 1
    synonyms = "    synonyms: [低保, 最低生活保障]\n"
    designated = AREAS.replace(synonyms, synonyms + "    lead: minzheng\n")
    root = make_registry({"units/xinfang.yaml": unit(duties=duties), "areas.yaml": designated})
    assert validate(jz, root, "--strict") == (0, "登记册检查通过，没有发现问题。\n")


# --- personal data ------------------------------------------------------------------------------

ID_NUMBER = "11010519491231002X"  # the standard's example: valid check digit
CARD = "6222021234567894"  # Luhn-valid
MOBILE = "13812345678"

PERSONAL_CASES = {
    "resident-id": (f"负责为{ID_NUMBER}办理。", ID_NUMBER,
                    "units/xinfang.yaml:9:30: personal-id 错误：发现疑似救助对象的公民身份号码（1101**********002X）"),
    "bank-card": (f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}。", f"{CARD[4:8]} {CARD[8:12]}",
                  "units/xinfang.yaml:9:30: bank-card 错误：发现疑似救助对象的银行卡号（6222********7894）"),
    "bank-card-19": ("账号6217000010012345677。", "6217000010012345677",
                     "units/xinfang.yaml:9:29: bank-card 错误：发现疑似救助对象的银行卡号（6217***********5677）"),
    "mobile": (f"联系{MOBILE}。", MOBILE,
               "units/xinfang.yaml:9:29: mobile 错误：发现疑似救助对象的手机号码（138****5678）"),
}


@pytest.mark.parametrize("case", list(PERSONAL_CASES))
def test_personal_data_is_refused_and_masked(make_registry, jz, case):
    text, secret, line = PERSONAL_CASES[case]
    duties = f"- {{id: xinfang-1, text: {text}, areas: [dibao], role: support}}"
    code, out = validate(jz, make_registry({"units/xinfang.yaml": unit(duties=duties)}))
    assert code == 1
    assert out == expect(line, PRIVACY_HINT)
    assert secret not in out
    code, js = validate(jz, make_registry({"units/xinfang.yaml": unit(duties=duties)}), "--format", "json")
    assert secret not in js


def test_personal_data_in_a_comment_is_found(make_registry, jz):
    root = make_registry({"areas.yaml": AREAS + f"# 张三 身份证 {ID_NUMBER}\n"})
    code, out = validate(jz, root)
    assert out == expect("areas.yaml:10:10: personal-id 错误：发现疑似救助对象的公民身份号码（1101**********002X）",
                         PRIVACY_HINT)
    assert ID_NUMBER not in out


def test_invalid_check_digit_and_non_luhn_are_not_personal_data(make_registry, jz):
    text = f"文号 11010519491231002{'1'}，编码 6222021234567895。"
    duties = f"- {{id: xinfang-1, text: {text}, areas: [dibao], role: support}}"
    code, out = validate(jz, make_registry({"units/xinfang.yaml": unit(duties=duties)}), "--strict")
    assert (code, out) == (0, "登记册检查通过，没有发现问题。\n")


def test_mobile_as_liaison_phone_is_accepted(make_registry, jz):
    root = make_registry({"units/xinfang.yaml": unit().replace("phone: 0316-1234567", f"phone: '{MOBILE}'")})
    assert validate(jz, root, "--strict") == (0, "登记册检查通过，没有发现问题。\n")


def test_mobile_elsewhere_in_a_unit_file_is_not(make_registry, jz):
    text = unit().replace("post: 科长}", f"post: 科长 {MOBILE}}}")
    code, out = validate(jz, make_registry({"units/xinfang.yaml": text}))
    assert code == 1
    assert out == expect("units/xinfang.yaml:6:51: mobile 错误：发现疑似救助对象的手机号码（138****5678）",
                         PRIVACY_HINT)


# --- output formats, exit codes -----------------------------------------------------------------

def test_json_format(make_registry, jz):
    root = make_registry({
        "units/xinfang.yaml": unit().replace("order: 3", "order: 三"),
        "system.yaml": MINI_SYSTEM.replace("  director: 王五\n", ""),
    })
    res = jz(root, "validate", "--as-of", AS_OF, "--format", "json")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert list(data) == ["errors", "warnings"]
    assert data["errors"] == [{
        "file": f"{root}/units/xinfang.yaml", "line": 4, "column": 8, "code": "wrong-type",
        "message": "“order”应为整数，实际是文字“三”", "hint": "写成整数，例如 3；各字段见 docs/registry.md。",
    }]
    assert data["warnings"] == [{
        "file": f"{root}/system.yaml", "line": 12, "column": 1, "code": "unknown-director",
        "message": "办公室主任未填写", "hint": "在 office.director 填写姓名。",
    }]


def test_json_format_clean(make_registry, jz):
    res = jz(make_registry(), "validate", "--as-of", AS_OF, "--format", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout) == {"errors": [], "warnings": []}


def test_github_format(make_registry, jz):
    root = make_registry({"areas.yaml": AREAS.replace("    name: 城乡低保", "    nam: 城乡低保")})
    code, out = validate(jz, root, "--format", "github")
    assert code == 1
    assert out == (f"::error file={root}/areas.yaml,line=3,col=5::unknown-key 未知的键“nam”（你是不是想写“name”？）\n"
                   .replace(f"{root}/", ""))


def test_github_format_warning(make_registry, jz):
    root = make_registry({"areas.yaml": AREAS + "  - {id: jiuye, name: 就业救助, kind: assistance}\n"})
    code, out = validate(jz, root, "--format", "github")
    assert code == 0
    assert out == ("::warning file=areas.yaml,line=10,col=5::area-uncovered 没有任何成员单位的职责涉及领域“就业救助”"
                   "（在相关单位的职责 areas 中加入该领域，或删除该领域。）\n")


def test_clean_registry_exits_zero(make_registry, jz):
    assert validate(jz, make_registry(), "--strict") == (0, "登记册检查通过，没有发现问题。\n")


def test_missing_registry_directory(tmp_path, jz):
    res = jz(tmp_path / "nowhere", "validate")
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert res.output == (f"错误：找不到登记册目录：{tmp_path / 'nowhere'}\n"
                          "  提示：用 --registry 指定登记册目录，或设置环境变量 JIUZHU_REGISTRY；"
                          "新建登记册用 jiuzhu init。\n")


def test_registry_path_is_a_file(tmp_path, jz):
    path = tmp_path / "registry.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    res = jz(path, "validate")
    assert res.exit_code == 1
    assert res.output.startswith(f"错误：找不到登记册目录：{path}\n")


def test_unknown_format_is_a_usage_error(make_registry, jz):
    res = jz(make_registry(), "validate", "--format", "xml")
    assert res.exit_code == 2
    assert "只能是 text、json、github 或 codequality" in res.output


def test_every_problem_is_reported_not_only_the_first(make_registry, jz):
    files = {
        "units/xinfang.yaml": unit().replace("kind: government", "kind: goverment"),
        "units/caizheng.yaml": "id: caizheng\n\tname: 县财政局\n",
        "system.yaml": MINI_SYSTEM.replace("date: 2016-07-27", "date: 2016-02-30"),
    }
    code, out = validate(jz, make_registry(files))
    assert code == 1
    assert [line.split(" ")[0] for line in out.splitlines() if not line.startswith(" ")][:-1] == [
        "system.yaml:7:9:", "units/caizheng.yaml:2:1:", "units/xinfang.yaml:3:7:"]


# --- the rest of the foundation's checks ----------------------------------------------------------

OTHER_CASES = {
    "duplicate-order": (
        {"units/xinfang.yaml": unit(order="2")},
        ("units/xinfang.yaml:4:8: duplicate-order 错误：顺序号 2 与单位 caizheng 重复",
         "    提示：order 是单位在成立文件中的位置，每个单位不同。"), 1, 0,
    ),
    "duplicate-name": (
        {"units/xinfang.yaml": unit(name="县财政局")},
        ("units/xinfang.yaml:2:7: duplicate-name 错误：单位名称“县财政局”与单位 caizheng 重复",
         "    提示：现有成员单位的名称不能相同。"), 1, 0,
    ),
    "bad-ladder": (
        {"system.yaml": MINI_SYSTEM.replace("from_workdays: 10", "from_workdays: 1")},
        ("system.yaml:38:5: bad-ladder 错误：督办升级阶梯的 from_workdays 应严格递增",
         "    提示：按从轻到重排列，例如 催办 -3、督办 1、通报 10。"), 1, 0,
    ),
    "workflow-state": (
        {"system.yaml": MINI_SYSTEM.replace("to: 已审定", "to: 已审批")},
        ("system.yaml:34:46: unresolved-ref 错误：议题状态“已审批”不存在", "    提示：你是不是想写“已审定”？"), 1, 0,
    ),
    "workflow-initial": (
        {"system.yaml": MINI_SYSTEM.replace("initial: 待初审", "initial: 待审")},
        ("system.yaml:28:14: unresolved-ref 错误：初始状态“待审”不在 states 中",
         "    提示：把它加入 states，或改成 states 中的一个。"), 1, 0,
    ),
    "synonym-clash": (
        {"areas.yaml": AREAS.replace("synonyms: [资金, 预算]", "synonyms: [资金, 低保]")},
        ("areas.yaml:6:5: synonym-clash 警告：同义词“低保”同时属于领域 dibao 和 zijin",
         "    提示：一个词只归一个领域，删去其中一处。"), 0, 1,
    ),
    "info-missing": (
        {"units/xinfang.yaml": unit(duties="- {id: xinfang-1, text: 提供信息。, areas: [dibao], role: info}")},
        ("units/xinfang.yaml:9:5: info-missing 警告：提供信息的职责没有写明提供哪些信息",
         "    提示：加 info: [房产] 之类的列表。"), 0, 1,
    ),
    "unknown-file": (
        {"notes.yaml": "a: 1\n"},
        ("notes.yaml:1:1: unknown-file 警告：不认识的文件，jiuzhu 不会读取它",
         "    提示：登记册只含 system.yaml、areas.yaml、calendar.yaml、evaluation.yaml 和 "
         "units/、proposals/、meetings/、tasks/、inspections/、notices/ 下的文件。"),
        0, 1,
    ),
    "unknown-convener": (
        {"system.yaml": MINI_SYSTEM.replace("chief: {name: 张三, post: 副县长}", "chief: {name: null, post: null}")},
        ("system.yaml:9:10: unknown-convener 警告：总召集人未填写",
         "    提示：在 conveners.chief 填写总召集人的姓名或职务，例如 post: 副县长；"
         "制度没有总召集人时删去 chief。"), 0, 1,
    ),
    "calendar": (
        {"calendar.yaml": "years:\n  2027:\n    holidays: [2027-02-30]\n    extra: []\n"},
        ("calendar.yaml:3:16: bad-date 错误：日期 2027-02-30 不存在",
         "    提示：日期写成 YYYY-MM-DD，并检查月份和日期（例如 2 月没有 30 日）。",
         "calendar.yaml:4:5: unknown-key 错误：未知的键“extra”",
         "    提示：每年只有 holidays（放假日）和 workdays（调休上班日）两项。"), 2, 0,
    ),
    "null-file": (
        {"units/xinfang.yaml": "~\n"},
        ("units/xinfang.yaml:1:1: wrong-type 错误：文件顶层不能为空，应为映射（键: 值）",
         "    提示：填上值，写成“键: 值”的形式，每个键占一行。"), 1, 0,
    ),
}


@pytest.mark.parametrize("case", list(OTHER_CASES))
def test_other_checks(make_registry, jz, case):
    files, lines, errors, warnings = OTHER_CASES[case]
    code, out = validate(jz, make_registry(files))
    assert code == (1 if errors else 0)
    assert out == expect(*lines, errors=errors, warnings=warnings)


def test_valid_calendar_is_loaded(make_registry, jz):
    import datetime as dt

    from jiuzhu.loader import load

    root = make_registry({"calendar.yaml": "years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: [2027-02-07]\n"})
    assert validate(jz, root, "--strict") == (0, "登记册检查通过，没有发现问题。\n")
    assert load(root).registry.calendar == {2027: {"holidays": (dt.date(2027, 1, 1),),
                                                   "workdays": (dt.date(2027, 2, 7),)}}


def test_units_with_contacts_are_not_parsed_again(make_registry, tmp_path, monkeypatch):
    """validate looks up places inside a unit file only for a problem: a unit with a liaison and
    reviewers, and sound duties, is not parsed again (a province's thousands of unit files)."""
    import datetime as dt

    from jiuzhu import loader, validate

    monkeypatch.setenv("JIUZHU_CACHE_DIR", str(tmp_path / "cache"))
    root = make_registry(extra={"units/nocontact.yaml": mini_unit("nocontact", "无联络员局", 9, "[]").replace(
        "liaison: {name: 赵六, phone: 0316-1234567, post: 科长}", "liaison: {name: null}")})
    loader.load(root)  # fills the parse cache: the next load parses a file again only when asked
    loaded = loader.load(root)
    problems = [p for p in validate.run(loaded, dt.date(2026, 6, 30)) if p.pos.file.startswith("units/")]
    assert [(p.code, str(p.pos)) for p in problems] == [("unknown-liaison", "units/nocontact.yaml:6:10")]
    reread = {rel for rel, doc in loaded.registry.files.items() if rel.startswith("units/") and doc._doc is not None}
    assert reread == {"units/nocontact.yaml"}
