"""The Dachang registry is a faithful transcription of its founding document.

Loads registry/*.yaml directly with ruamel.yaml (no jiuzhu code) and compares it with the
seed text (tests/data/seed.txt, copied from the first user). The seed file must exist: a missing
seed is a failure, not a skip.
"""

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "registry"
SEED = Path(__file__).parent / "data" / "seed.txt"
PREAMBLE_START = "为加强社会救助工作的领导"
ROLES = {"lead", "support", "info"}

_yaml = YAML(typ="safe")


def _load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return _yaml.load(fh)


def _sentences(paragraph: str) -> list[str]:
    parts = paragraph.split("。")
    out = [p + "。" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


@pytest.fixture(scope="module")
def seed():
    """Sections 一..四 of the seed's first copy: {section: {item_no: [paragraph, ...]}}."""
    assert SEED.is_file(), f"seed missing: {SEED}"
    text = SEED.read_text(encoding="utf-8")
    first = text.index(PREAMBLE_START)
    second = text.find(PREAMBLE_START, first + 1)
    text = text[: second if second != -1 else len(text)]
    lines = [line.strip() for line in text.splitlines()]
    preamble = next(line for line in lines if line.startswith(PREAMBLE_START))
    sections: dict[str, dict[int, list[str]]] = {}
    intros: dict[str, list[str]] = {}
    current = None
    for line in lines:
        m = re.match(r"^([一二三四])、", line)
        if m:
            current = m.group(1)
            sections[current], intros[current] = {}, []
            continue
        if current is None or not line:
            continue
        m = re.match(r"^(\d+)\.(.*)$", line)
        if m:
            last = int(m.group(1))
            sections[current][last] = [m.group(2).strip()]
        elif sections[current]:
            sections[current][last].append(line)
        else:
            intros[current].append(line)
    assert set(sections) == set("一二三四")
    return {"preamble": preamble, "sections": sections, "intros": intros}


@pytest.fixture(scope="module")
def system():
    return _load(REGISTRY / "system.yaml")


@pytest.fixture(scope="module")
def areas():
    return _load(REGISTRY / "areas.yaml")["areas"]


@pytest.fixture(scope="module")
def units():
    return [_load(p) for p in sorted((REGISTRY / "units").glob("*.yaml"))]


def _all_duties(units):
    return [(u, d) for u in units for d in u["duties"]]


def test_twenty_seven_units_in_order(units):
    assert len(units) == 27
    orders = sorted(u["order"] for u in units)
    assert orders == list(range(1, 28))
    ids = [u["id"] for u in units]
    assert len(set(ids)) == len(ids)
    for path in (REGISTRY / "units").glob("*.yaml"):
        assert _load(path)["id"] == path.stem


def test_unit_names_match_seed_items(seed, units):
    items = seed["sections"]["三"]
    assert sorted(items) == list(range(1, 27))
    by_item: dict[int, list] = {}
    for u in units:
        by_item.setdefault(u["item"], []).append(u)
    assert sorted(by_item) == list(range(1, 27))
    for no, paragraphs in items.items():
        seed_name = paragraphs[0].split(":", 1)[0].strip()
        names = sorted(u["name"] for u in by_item[no])
        if no == 19:
            assert seed_name == "县国税局、地税局"
            assert names == ["县国税局", "县地税局"]
        else:
            assert names == [seed_name]


def test_every_member_duty_sentence_transcribed(seed, units):
    by_item: dict[int, list] = {}
    for u in units:
        by_item.setdefault(u["item"], []).append(u)
    for no, paragraphs in seed["sections"]["三"].items():
        body = [paragraphs[0].split(":", 1)[1].strip()] + paragraphs[1:]
        expected = [s for p in body for s in _sentences(p)]
        assert all(s.endswith("。") for s in expected), no
        for u in by_item[no]:
            texts = [d["text"] for d in u["duties"]]
            missing = [s for s in expected if s not in texts]
            assert not missing, f"{u['id']}: missing {missing}"
            assert texts == expected, f"{u['id']}: duties not in seed order or extra"
            assert [d["id"] for d in u["duties"]] == [
                f"{u['id']}-{i}" for i in range(1, len(texts) + 1)
            ]


def test_item_19_shared(units):
    by_id = {u["id"]: u for u in units}
    for a, b in (("guoshui", "dishui"), ("dishui", "guoshui")):
        for d in by_id[a]["duties"]:
            assert d.get("shared_with") == [b]


def test_system_texts_verbatim(seed, system):
    sections = seed["sections"]
    fd = system["founding_document"]
    assert fd["preamble"] == seed["preamble"]
    assert str(fd["date"]) == "2016-07-27"
    assert fd["index_number"] == "lfsdachangxian/2017-12088"
    assert system["office"]["text"] == seed["intros"]["二"][0]
    assert system["office"]["unit"] == "minzheng"
    assert system["office"]["director"] in system["office"]["text"]
    for key, section, prefix, n in (
        (system["duties"], "一", "jm", 8),
        (system["office"]["duties"], "二", "office", 5),
        (system["rules"], "四", "rule", 5),
    ):
        expected = sections[section]
        assert sorted(expected) == list(range(1, n + 1))
        assert [d["id"] for d in key] == [f"{prefix}-{i}" for i in range(1, n + 1)]
        for i, d in enumerate(key, 1):
            assert d["text"] == expected[i][0], d["id"]


def test_areas_valid_and_covered(system, areas, units):
    ids = [a["id"] for a in areas]
    assert len(set(ids)) == len(ids)
    for a in areas:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", a["id"])
        assert a["kind"] in {"assistance", "work"}
        assert a["name"] and a["synonyms"]
    known = set(ids)
    unit_ids = {u["id"] for u in units}
    covered = set()
    for _unit, d in _all_duties(units):
        assert d["areas"], d["id"]
        assert set(d["areas"]) <= known, (d["id"], set(d["areas"]) - known)
        covered.update(d["areas"])
    for d in system["duties"]:
        assert set(d.get("areas") or []) <= known, d["id"]
    assert covered == known, f"areas without any unit duty: {known - covered}"
    for a in areas:
        if "lead" in a:
            assert a["lead"] in unit_ids
    names = {a["name"] for a in areas}
    for required in (
        "城乡低保",
        "特困人员供养",
        "受灾人员救助",
        "医疗救助",
        "教育救助",
        "住房救助",
        "就业救助",
        "临时救助",
    ):
        assert required in names


def test_roles_and_info(units):
    for _, d in _all_duties(units):
        assert d["role"] in ROLES, d["id"]
        if d["role"] == "info":
            assert d.get("info"), d["id"]
