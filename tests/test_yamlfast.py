"""The quick reader (jiuzhu.yamlfast): it reads the files jiuzhu and its users write, and on any
text it either gives exactly what the C parser path gives or declines (then that path reads it).
The comparison itself is tests/test_yamlread_equivalence.py's `assert_same`, which runs every text
through `parse_text` (quick reader first) and through the reference algorithm."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from test_yamlread_equivalence import assert_same, ref_parse_text, typed

from jiuzhu import yamlfast, yamlflat
from jiuzhu.problems import Pos
from jiuzhu.yamlerrors import decode
from jiuzhu.yamlread import parse_text

ROOT = Path(__file__).resolve().parents[1]


def _texts(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*.yaml")):
        text, _ = decode(path.read_bytes(), path.name)
        assert text is not None
        out[path.relative_to(root).as_posix()] = text
    return out


def _generated(tmp_path: Path) -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import gen
    finally:
        sys.path.remove(str(ROOT / "bench"))
    gen.generate(tmp_path / "reg", 300)
    return _texts(tmp_path / "reg")


def test_it_reads_what_registries_hold(tmp_path: Path) -> None:
    """Else it saves nothing: every generated file and nearly every shipped one is read by it."""
    pool: dict[str, str] = {}
    generated = _generated(tmp_path)
    declined = [rel for rel, text in generated.items() if yamlfast.parse(text, pool.setdefault) is None]
    assert declined == []
    shipped = _texts(ROOT / "registry")
    declined = [rel for rel, text in shipped.items() if yamlfast.parse(text, pool.setdefault) is None]
    assert len(declined) <= len(shipped) // 5, declined
    # a key with a comment and its block below, a negative number: as the C parser path reads them
    assert "system.yaml" not in declined


def test_a_quick_read_is_what_the_parser_gives(tmp_path: Path) -> None:
    for text in [*_generated(tmp_path).values(), *_texts(ROOT / "registry").values()]:
        assert_same(text)


# What an edit by hand can put into a line: YAML's indicators, quotes, escapes, spaces, tabs,
# comments, line breaks other than \n, characters YAML refuses.
_INSERTS = ["#", " #", ": ", ":", "- ", "-", "'", '"', "\\", "\\n", "[", "]", "{", "}", ",", ", ", "&a ", "*a",
            "!", "!!str ", "|", ">", "%", "@", "`", "?", " ", "  ", "\t", "\r", "\x85", "\u2028", "\ufeff", "\x07",
            "~", "null", "true", "0x1F", "1e3", ".inf", "2026-02-30", "张", "\U0001F600", "---", "...", "\n"]


def _mutations(text: str, rng: random.Random, count: int) -> list[str]:
    lines = text.split("\n")
    out = []
    for _ in range(count):
        changed = list(lines)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(changed))
            line = changed[i]
            r = rng.random()
            if r < 0.6:
                j = rng.randint(0, len(line))
                changed[i] = line[:j] + rng.choice(_INSERTS) + line[j:]
            elif r < 0.7:
                changed[i] = " " * rng.choice([1, 2, 4]) + line
            elif r < 0.8:
                changed[i] = line[rng.choice([1, 2]):] if line.startswith("  ") else line
            elif r < 0.9:
                changed.insert(i, line)
            else:
                del changed[i]
                if not changed:
                    changed = [""]
        out.append("\n".join(changed))
    return out


def test_hand_edits_either_read_the_same_or_declined(tmp_path: Path) -> None:
    """Thousands of small random edits of real files (a character inserted, a line indented,
    doubled or dropped): the quick reader never gives anything but what the parser gives."""
    rng = random.Random(20261204)
    sources = list(_generated(tmp_path).values())[:60] + list(_texts(ROOT / "registry").values())
    quick = 0
    pool: dict[str, str] = {}
    for text in sources:
        for changed in _mutations(text, rng, 40):
            assert_same(changed)
            quick += yamlfast.parse(changed, pool.setdefault) is not None
    assert quick > 400  # many edits (about a fifth) keep the file within what the quick reader takes


def test_comments_after_a_key_and_negative_numbers() -> None:
    """A key whose block value starts on the next line may carry a comment (system.yaml does), and
    a plain scalar may start with "-" before a digit or a point: the quick reader takes both and
    gives what the parser gives; the forms around them still come out the same (read or declined)."""
    taken = ["office:   # 二、办公室\n  name: 县民政局\n  duties:  # 1-5\n    - a\n",
             "rules: # 四\n- x\n- y\n",
             "esc:\n  - {level: 催办, from_workdays: -3, reply_workdays: 5}\n  - {a: -.5, b: -1e3, c: [-2, -0x1F]}\n",
             "n: -3\nm: -.inf\nlist:\n  - -7\n  - -.5\n"]
    declined_or_same = ["a: # only a comment\n", "a: # c\nb: 1\n", "a:  #c\n  # c2\n  b: 1\n", "a: -\n",
                        "a: -x\n", "a: {b: -}\n", "a: {b: -x}\n", "a: [-, 1]\n", "a: --1\n", "a: -#1\n",
                        "a: [- 1]\n", "k: - 3x\n", "a: {b: -1 }\n", "a: {b: -1,c: 2}\n", "a:#c\n  b: 1\n"]
    pool: dict[str, str] = {}
    for text in taken:
        assert yamlfast.parse(text, pool.setdefault) is not None, text
        assert_same(text)
    for text in declined_or_same:
        assert_same(text)


def test_the_flow_entry_patterns_match_as_the_plain_lazy_ones() -> None:
    """The flow entry patterns take a plain scalar's words possessively; the straightforward lazy
    form (the scalar up to spaces and a comma or the closing bracket) matches exactly the same."""
    import re

    plain = r"(?:[^-?:,\[\]{}#&*!|>'\"%@`\s]|-(?=[0-9.]))[^,\[\]{}#:?]*?"
    lazy_seq = re.compile(r'(?:"([^"\\]*)"|(' + plain + r')) *(?:(,) *|(?=\]))')
    lazy_map = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*): +(?:"([^"\\]*)"|(' + plain + r')) *(?:(,) *|(?=\}))')
    rnd = random.Random(7)
    common = ["a", "b", "1", "-", ".", " ", "  ", "张", "\u3000", '"']
    rare = [",", "]", "}", "[", "{", "#", ":", "?", "\\", "'", "\t", "!", "&", "*", "|", ">", "%", "@", "`", "key: "]
    ends = ["", ",", ", ", "]", "}", " ]", " }", " , x", "]]", "}}"]
    matched = 0
    for _ in range(30000):
        body = "".join(rnd.choice(common if rnd.random() < 0.85 else rare) for _ in range(rnd.randint(0, 10)))
        text = rnd.choice(["", "", "key: ", "k:  ", " "]) + body + rnd.choice(ends)
        for quick, lazy in ((yamlflat.SEQ_ITEM, lazy_seq), (yamlflat.MAP_ITEM, lazy_map)):
            for at in range(min(len(text), 2) + 1):
                a, b = quick.match(text, at), lazy.match(text, at)
                assert (a is None) == (b is None), (text, at)
                if a is not None and b is not None:
                    assert a.groups() == b.groups() and a.regs == b.regs, (text, at)
                    matched += 1
    assert matched > 10000  # the texts were written to match often (about 15,000 do)


# What a plain scalar is, without importing ruamel.yaml (jiuzhu.yamltags, jiuzhu/yamltags_table.py).

SCALARS = ["", "~", "null", "Null", "NULL", "nul", "true", "True", "TRUE", "tRue", "yes", "no", "on", "y", "0",
           "017", "0o17", "0b101", "0x1F", "0x1G", "1_000", "+12", "-0", "1.5", "1.", ".5", "1e3", "1.5e-3",
           "-.inf", ".NaN", ".nan", "2026-01-01", "2026-1-1", "2026-01-01T09:30:00", "09:30", "1:30", "<<", "=",
           "!", "&", "*", "-", "minzheng", "县民政局", "12:30:00", "1__0", "0.", "+.5", "0o", "0x", "_1"]


def test_the_kept_table_is_ruamels() -> None:
    """jiuzhu/yamltags_table.py is what ruamel.yaml's table gives, for the installed release (if this
    fails after an upgrade, write `jiuzhu.yamltags.table_source()` to that file)."""
    from jiuzhu import yamltags, yamltags_table

    assert yamltags_table.SOURCE == yamltags.installed_source()
    namespace: dict[str, object] = {}
    exec(yamltags.table_source(), namespace)  # noqa: S102  # our own generated module text
    assert namespace["TABLE"] == yamltags_table.TABLE and yamltags._kept_table() is not None


def test_a_scalar_reads_the_same_from_the_kept_table_and_from_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    from jiuzhu import yamltags

    rnd = random.Random(4)
    texts = SCALARS + ["".join(rnd.choice("0123456789._-+eExobn:TtFfNnul~ ") for _ in range(rnd.randint(1, 8)))
                       for _ in range(3000)]
    for use_kept in (True, False):
        monkeypatch.setattr(yamltags, "_values", {})
        if not use_kept:  # as for another ruamel.yaml release: its own table
            monkeypatch.setattr(yamltags, "_kept_table", lambda: None)
        for text in texts:
            assert yamltags.data_of(yamltags._resolve(text, yamltags._kept_table() or yamltags._live()), text) \
                == yamltags.plain_tag(text).data, text
            assert yamltags.plain_value(text) == yamltags.plain_tag(text).data, text


def test_reading_plain_yaml_does_not_import_ruamel() -> None:
    code = ("import sys; from jiuzhu.yamlread import parse_text; "
            "doc, _ = parse_text('id: minzheng\\nname: 县民政局\\nsince: 2026-01-01\\n', 'units/minzheng.yaml'); "
            "assert doc.data['since'] == '2026-01-01' and 'ruamel.yaml' not in sys.modules, sorted(sys.modules); "
            "doc, _ = parse_text('id: &a minzheng\\nname: *a\\n', 'units/x.yaml'); "  # an anchor: declined
            "assert doc.data['name'] == 'minzheng' and 'ruamel.yaml' in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def _opens_a_flow_collection(text: str, at: tuple[int, int]) -> bool:
    line, column = at
    return text.split("\n")[line - 1][column - 1] in "[{"


def test_a_lean_read_leaves_out_only_the_positions_inside_flow_collections(tmp_path: Path) -> None:
    """What a load uses: the same data as the full read, the same positions but for some inside
    flow collections, and `partial` exactly when some were left out — on real files and on
    thousands of hand edits of them."""
    rng = random.Random(20261205)
    sources = list(_generated(tmp_path).values())[:80] + list(_texts(ROOT / "registry").values())
    pool: dict[str, str] = {}
    lean_ones = 0
    for text in [*sources, *(m for t in sources[:40] for m in _mutations(t, rng, 20))]:
        full = yamlfast.parse(text, pool.setdefault)
        lean = yamlfast.parse(text, pool.setdefault, lean=True)
        assert (full is None) == (lean is None), text
        if full is None or lean is None:
            continue
        assert typed(lean[0]) == typed(full[0]) and not full[3], text
        left_out = 0
        for got, whole in ((lean[1], full[1]), (lean[2], full[2])):
            assert all(whole[path] == at for path, at in got.items()), text
            missing = [path for path in whole if path not in got]
            assert all(path and _opens_a_flow_collection(text, full[1][path[:-1]]) for path in missing), text
            left_out += len(missing)
        assert lean[3] == (left_out > 0), text
        lean_ones += lean[3]
    assert lean_ones > 200  # about 280: most texts with a flat flow collection


def test_a_position_left_out_is_read_when_asked() -> None:
    """A check asking where an entry of a flat flow collection sits gets it exactly (as the C
    parser path gives it), and the document then holds every position."""
    text = ("task: d-1\nlog:\n  - {date: 2026-03-02, by: minzheng, percent: 40, note: \"已部署\"}\n"
            "  - {date: 2026-04-01,  by: caizheng, status: 已完成}\nkinds: [a, \"b\", 3]\n")
    doc, problems = parse_text(text, "tasks/2026/d-1.yaml")
    ref, _ = ref_parse_text(text, "tasks/2026/d-1.yaml")
    assert doc is not None and ref is not None and not problems
    assert doc.fill is not None and ("log", 1, "by") not in doc.known_values
    assert doc.at("log", 0) == ref.at("log", 0)  # kept: no reading again
    assert doc.fill is not None
    assert doc.at("log", 1, "by") == ref.at("log", 1, "by") == Pos(doc.file, 4, 29)
    assert doc.fill is None
    assert doc.key_at("log", 1, "status") == ref.key_at("log", 1, "status")
    assert [doc.at("kinds", i) for i in range(3)] == [ref.at("kinds", i) for i in range(3)]
    again, _ = parse_text(text, "tasks/2026/d-1.yaml")
    assert again is not None and again.key_at("log", 0, "note") == ref.key_at("log", 0, "note")
    assert again.path_of(Pos(doc.file, 5, 12)) == ("kinds", 1) == ref.path_of(Pos(doc.file, 5, 12))


def test_flat_collections_and_attendance_lines_read_as_the_parser_reads_them() -> None:
    """The quick paths (jiuzhu.yamlflat): flat flow collections, and a mapping whose last entry
    is a flat sequence; every form around them either reads as the C parser path reads it or is
    declined, read lean and with every position."""
    lines = ["{unit: a, names: []}", "{names: [ ]}", "{unit: a, names: [x, \"y\"]}", "{names: [x]}",
             "{unit: x , names:  [ a , b ] }", "{unit: x,names: [a,b]}", "{note: \"a, b\", names: [x]}",
             "{note: \"[x\", names: [y]}", "{unit: a, names: [\"a]}\"]}", "{unit: a, names: [a, ]}",
             "{unit: a, unit: b, names: [x]}", "{unit: a, names: [x], b: 1}", "{unit: x, null: [a]}",
             "{unit: x, names: [a]} # c", "{unit: x, names: [a]}x", "{unit: a, names: [x]}}", "{a: {b: 1}, c: [d]}",
             "{unit: 'a', names: [x]}", "{unit: a, names: [x, [y]]}", "{unit: a, names: [x]  }", "{a: 1, b: 2,}",
             "{a: \"x}\", b: 1}", "[a, \"b]\", c]", "[a, 'b', c]", "[a,b , c ]", "[]", "{}", "[a, [b]]",
             "{a: -1, b: -.5, c: 0x1F, d: ~, e: true, f: 2026-02-30, g: 1:30}", "[yes, no, null, 1e3, .inf]"]
    pool: dict[str, str] = {}
    for line in lines:
        for text in (f"a: {line}\n", f"log:\n  - {line}\n  - {line}\n"):
            doc, _ = assert_same(text)
            lean, full = yamlfast.parse(text, pool.setdefault, lean=True), yamlfast.parse(text, pool.setdefault)
            assert (lean is None) == (full is None), text
            if lean is not None and full is not None:
                assert typed(lean[0]) == typed(full[0]), text
    attendance = "attended:\n  - {unit: minzheng, names: [李娜, 王芳]}\n  - {unit: caizheng, names: []}\n"
    quick = yamlfast.parse(attendance, pool.setdefault, lean=True)
    assert quick is not None and quick[3] and ("attended", 0, "names") not in quick[1]
