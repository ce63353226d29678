"""Personal data of people seeking assistance never enters a registry kept in git."""

from __future__ import annotations

import pytest

from jiuzhu.privacy import find, luhn, mask, scan, valid_id_number
from jiuzhu.yamlread import parse_text


@pytest.mark.parametrize("number, ok", [
    ("11010519491231002X", True),   # GB 11643 example
    ("110105194912310021", False),  # wrong check digit
    ("440524188001010014", True),
    ("44052418800101001X", False),
])
def test_resident_id_check_digit(number, ok):
    assert valid_id_number(number) is ok


@pytest.mark.parametrize("digits, ok", [
    ("6222021234567894", True),
    ("6222021234567895", False),
    ("4111111111111111", True),
    ("6217000010012345677", True),
])
def test_luhn(digits, ok):
    assert luhn(digits) is ok


@pytest.mark.parametrize("value, shown", [
    ("11010519491231002X", "1101**********002X"),
    ("6222 0212 3456 7894", "6222********7894"),
    ("13812345678", "138****5678"),
    ("138-1234-5678", "138****5678"),
    ("+86 13812345678", "138****5678"),
])
def test_mask_never_shows_the_middle(value, shown):
    assert mask(value) == shown


def test_find_each_kind_once():
    text = "身份证11010519491231002X，卡6222021234567894，手机13812345678，座机0316-8888888，日期2016-07-27。"
    assert list(find(text)) == [
        (3, "personal-id", "公民身份号码", "1101**********002X"),
        (23, "bank-card", "银行卡号", "6222********7894"),
        (42, "mobile", "手机号码", "138****5678"),
    ]


def test_id_number_is_not_also_a_card_or_phone():
    # 18 digits, Luhn-valid by chance or not: reported once, as an ID number
    assert [code for _, code, _, _ in find("440524188001010014")] == ["personal-id"]


@pytest.mark.parametrize("text", [
    "索引号 lfsdachangxian/2017-12088",
    "文号 大政办〔2016〕12号",
    "电话 0316-7712345",
    "编号 12345678901234567890123",  # too long to be a card, no valid ID inside
    "2016-07-27 至 2026-12-31",
])
def test_ordinary_numbers_are_not_personal_data(text):
    assert list(find(text)) == []


def _doc(file: str, text: str):
    doc, problems = parse_text(text, file)
    assert doc is not None and problems == []
    return doc


def test_scan_allows_mobile_only_as_liaison_phone():
    text = "id: x\nliaison: {name: 赵六, phone: '13812345678', post: 科长}\nnote: 13812345678\n"
    found = scan(_doc("units/x.yaml", text))
    assert [(str(p.pos), p.code, p.message) for p in found] == [
        ("units/x.yaml:3:7", "mobile", "发现疑似救助对象的手机号码（138****5678）")]


def test_scan_liaison_phone_block_style():
    text = "id: x\nliaison:\n  name: 赵六\n  phone: 138 1234 5678\n"
    assert scan(_doc("units/x.yaml", text)) == []


def test_liaison_phone_outside_units_is_not_allowed():
    text = "liaison: {phone: '13812345678'}\n"
    assert [p.code for p in scan(_doc("system.yaml", text))] == ["mobile"]


def test_scan_reads_comments_and_block_scalars():
    text = "a: |\n  第一行\n  申请人 11010519491231002X\n# 卡 6222021234567894\n"
    found = scan(_doc("tasks/2026/t.yaml", text))
    assert [(str(p.pos), p.code) for p in found] == [
        ("tasks/2026/t.yaml:3:7", "personal-id"), ("tasks/2026/t.yaml:4:5", "bank-card")]
    assert all("11010519491231002X" not in p.message + p.hint for p in found)


@pytest.mark.parametrize("text", [
    "身份证 110105 1949 1231 002X",           # in groups
    "身份证 １１０１０５１９４９１２３１００２Ｘ",  # full-width digits
    "身份证 1101051949\u200b1231002X",         # a zero-width space inside
    "身份证 110105.19491231.002X",             # dots
    "旧证 110105491231002",                    # a 15-digit ID issued before 1999
    "电话 一三八一二三四五六七八",               # a mobile in Chinese numerals
])
def test_personal_data_written_other_ways_is_found(text: str) -> None:
    from jiuzhu.privacy import scan_text

    found = scan_text("notes.txt", text)
    assert found and found[0].pos.column == text.index(" ") + 2


def test_a_value_quoted_in_any_message_is_masked(jz, make_registry) -> None:
    """The wrong-type message quotes the value: shown masked, in text and JSON alike."""
    root = make_registry()
    path = root / "units" / "caizheng.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 2", "order: 11010519491231002X"),
                    encoding="utf-8")
    for fmt in ("text", "json", "github"):
        out = jz(root, "validate", "--format", fmt, "--as-of", "2026-11-26").output
        assert "11010519491231002X" not in out and "1101**********002X" in out


def test_files_are_scanned_whatever_their_size_encoding_or_name(jz, make_registry) -> None:
    root = make_registry()
    (root / "big.csv").write_text("x" * (3 * 1024 * 1024) + "\n手机 13812345678\n", encoding="utf-8")
    (root / "utf16.txt").write_bytes("手机 13912345678\n".encode("utf-16"))
    (root / "11010519491231002X.txt").write_text("无\n", encoding="utf-8")
    out = jz(root, "validate", "--as-of", "2026-11-26").output
    assert "138****5678" in out and "139****5678" in out and "文件名中发现疑似救助对象的公民身份号码" in out
    assert "11010519491231002X" not in out


def test_the_kept_table_of_folding_characters_is_the_one_unicode_gives() -> None:
    """jiuzhu/privacy_chars.py is used only under the Unicode version it was made from, and then it
    is exactly what that version's database gives."""
    import unicodedata

    from jiuzhu import privacy, privacy_chars

    if unicodedata.unidata_version == privacy_chars.UNICODE:
        assert privacy_chars.RANGES == privacy.special_ranges()
        search = privacy._special()
        assert search is not None
        special = {point for low, high in privacy_chars.RANGES for point in range(low, high + 1)}
        for point in range(0x110000):  # the search finds exactly these, the surrogates and all beyond the BMP
            assert bool(search(chr(point))) == (point in special or 0xD800 <= point <= 0xDFFF or point > 0xFFFF)
    else:
        assert privacy._special() is None  # every text is folded


_DIGITISH = "0123456789 .-" "〇零一二三四五六七八九" "１２３４５６７８９０．－　" "①⑴⒈¹₂" "٣۴߅" "⼀⼆㈠㊀"
_RUN = "0123456789" * 3 + " .-１２３４５６７８９０．－　٣۴⒈¹\u200b一二三"
_OTHER = "xX" "，：（）、。" "县民政局审核" "\u200b\u200d\u00ad\ufeff" "\u0301\u0338" "…‥ÀĲ"


def test_the_quick_test_agrees_with_folding_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a text may hold a number: the quick test (raw text unless it holds a character that
    folding could turn into part of one) gives what folding the whole text first gives."""
    import random

    from jiuzhu import privacy

    rnd = random.Random(20261204)
    seen = {True: 0, False: 0}
    monkeypatch.setattr(privacy, "_folds_left", 0)  # the quick test from the first text on
    for _ in range(20_000):
        def some(pool: str, low: int, high: int) -> str:
            return "".join(rnd.choice(pool) for _ in range(rnd.randint(low, high)))

        run = _RUN if rnd.random() < 0.7 else _DIGITISH  # a near-number, or digit-like characters
        text = some(_DIGITISH + _OTHER, 0, 8) + some(run, 6, 16) + some(_DIGITISH + _OTHER, 0, 8)
        folded = privacy._CANDIDATE.search(privacy.normalised(text)) is not None
        assert privacy._may_hold_one(text) == folded, repr(text)
        seen[folded] += 1
    assert min(seen.values()) > 1000  # both answers well exercised


def test_the_quick_searches_find_what_the_plain_patterns_find() -> None:
    """The quick forms of the searches (a digit run in a text of ASCII digits, a run of Chinese
    numerals) find exactly what the plain patterns find, and the numeral runs fold the same."""
    import random
    import re

    from jiuzhu import privacy

    rnd = random.Random(4)
    candidate = re.compile(r"\d[\d .-]{9,}\d")
    numerals = re.compile("[〇零一二三四五六七八九]{11,}")
    found = 0
    for _ in range(20_000):
        ascii_text = "".join(rnd.choice("0123456789 .-x:\n") for _ in range(rnd.randint(0, 40)))
        assert privacy._plain_candidate(ascii_text) == (candidate.search(ascii_text) is not None), ascii_text
        found += privacy._plain_candidate(ascii_text)
        cn_text = "".join(rnd.choice("〇零一二三四五六七八九九县 1") for _ in range(rnd.randint(0, 40)))
        assert [m.span() for m in privacy._CN_RUN.finditer(cn_text)] == [m.span() for m in numerals.finditer(cn_text)]
    assert 1000 < found < 19_000


def test_plain_registry_text_is_not_folded(monkeypatch: pytest.MonkeyPatch) -> None:
    import unicodedata

    from jiuzhu import privacy, privacy_chars
    from jiuzhu.privacy import scan_text

    if unicodedata.unidata_version != privacy_chars.UNICODE:
        pytest.skip("another Unicode version: every text is folded")
    text = ("task: m-20190218-adhoc-e621-9\nlog:\n"
            "  - {date: 2019-03-16, by: jianshe, percent: 23, note: \"已形成初稿，正在征求意见（第一稿）\"}\n")
    assert not unicodedata.is_normalized("NFKC", text)  # full-width punctuation: folding would change it

    real = unicodedata.normalize

    def refuse(form: str, value: str) -> str:
        if form == "NFKC" and value == text:
            raise AssertionError("folded")
        return real(form, value)

    with monkeypatch.context() as patched:
        patched.setattr(privacy, "_folds_left", 0)  # as after the first few hundred texts of a run
        patched.setattr(privacy.unicodedata, "normalize", refuse)
        assert scan_text("tasks/2019/x.yaml", text) == []
    assert scan_text("tasks/2019/y.yaml", text + "# 110105 1949 1231 002X\n")  # a number is still found


def test_a_run_that_reads_a_few_texts_does_not_build_the_quick_test(monkeypatch: pytest.MonkeyPatch) -> None:
    from jiuzhu import privacy

    privacy._special.cache_clear()
    monkeypatch.setattr(privacy, "_folds_left", 2)
    for _ in range(2):
        assert privacy.scan_text("units/x.yaml", "name: 县民政局（办公室）\n") == []
    assert privacy._special.cache_info().currsize == 0  # folded: cheaper than building it for two texts
    assert privacy.scan_text("units/x.yaml", "name: 县民政局（办公室）\n") == []
    assert privacy._special.cache_info().currsize == 1
