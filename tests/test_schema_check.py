"""The structural check's quick path (jiuzhu.schema_check: one checker made per spec) against the
full check it stands in for: on every file it takes, the same cleaned data (with types) and no
problem; on anything it does not take, the full check runs."""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

from test_yamlfast import _generated, _texts
from test_yamlread_equivalence import typed

from jiuzhu import pieces, schema_check, schema_quick
from jiuzhu.doc import Doc
from jiuzhu.yamlread import parse_text

ROOT = Path(__file__).resolve().parents[1]


def _docs(texts: dict[str, str]) -> list[tuple[Doc, Any]]:
    out = []
    for rel, text in texts.items():
        spec = pieces.spec_for(rel)
        doc = parse_text(text, rel)[0] if spec is not None else None
        if doc is not None:
            out.append((doc, spec))
    return out


def _both(doc: Doc, spec: Any) -> tuple[Any, Any, list[Any]]:
    """(quick, full cleaned, full problems) for one document."""
    required = schema_check._as_required(spec)
    quick = schema_quick.quick(required)(doc.data)
    problems: list[Any] = []
    full = schema_check._check(doc, doc.data, required, (), problems)
    return quick, full, problems


def test_sound_files_take_the_quick_path_with_the_same_result(tmp_path: Path) -> None:
    docs = _docs(_texts(ROOT / "registry")) + _docs(_generated(tmp_path))
    assert len(docs) > 300
    for doc, spec in docs:
        quick, full, problems = _both(doc, spec)
        assert not problems, (doc.file, problems[:1])
        assert quick is not schema_quick.UNSURE, doc.file  # else it saves nothing
        assert typed(quick) == typed(full), doc.file
        assert schema_check.check(doc, spec) == (full, [])


# What a hand edit can put where a value was: other types, nulls, blanks, invisible characters,
# dates that do not exist or are out of range, ids that are not ids, values outside an enum.
_VALUES: list[Any] = [None, "", "  ", "x", "minzheng", "Min Zheng", "县民政局", "a\u200bb", "\ufeff", 0, 1, -3, 2.5,
                      True, False, [], ["x"], [None], {}, {"x": 1}, "2026-01-01", "2026-02-30", "1900-01-01",
                      "2026-1-1", "２０２６-０１-０１", "2026-01-01\n", "09:30", "推进中", "已完成", "lead", "chief",
                      dt.date(2026, 1, 1), dt.date(1800, 1, 1)]
_KEYS = ["id", "name", "date", "x_unknown", "note", "status", "percent", "lead", "due", "text", "by", 1]


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _nodes(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _nodes(v, path + (i,))
    return out


def _edited(data: Any, rng: random.Random) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 2)):
        path = rng.choice(_nodes(data))
        if not path:
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        last, r = path[-1], rng.random()
        if r < 0.6:
            parent[last] = copy.deepcopy(rng.choice(_VALUES))
        elif r < 0.75 and isinstance(parent, dict):
            del parent[last]
        elif r < 0.9 and isinstance(parent, dict):
            parent[rng.choice(_KEYS)] = copy.deepcopy(rng.choice(_VALUES))
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(rng.choice(_VALUES + [parent[last]])))
    return data


def test_edited_files_are_taken_only_where_the_full_check_agrees(tmp_path: Path) -> None:
    """Thousands of edited documents: whatever the quick path takes, the full check finds no
    problem in and cleans to the very same data; what it leaves, the full check decides."""
    rng = random.Random(20261204)
    sources = _docs(_texts(ROOT / "registry")) + _docs(_generated(tmp_path))[:80]
    taken = left = 0
    for doc, spec in sources:
        for _ in range(25):
            edited = Doc(doc.file, _edited(doc.data, rng), {}, {}, "")
            quick, full, problems = _both(edited, spec)
            if quick is schema_quick.UNSURE:
                left += 1
                continue
            taken += 1
            assert not problems, (doc.file, edited.data, problems[:1])
            assert typed(quick) == typed(full), (doc.file, edited.data)
    assert taken > 400 and left > 1000, (taken, left)  # both ways were tried often (about 600 and 2,100)


def test_texts_kept_once_sound_answer_as_the_checks(monkeypatch: Any) -> None:
    """The ids and texts kept once found sound (`_IDS`, `_TEXTS`) answer what ID_RE and the
    invisible-character search answer, kept or not, and the sets stop growing at their bound."""
    from jiuzhu.privacy import HAS_INVISIBLE
    from jiuzhu.schema import ID_RE

    rnd = random.Random(12)
    texts = ["minzheng", "a", "0", "-a", "a-", "A", "mín", "a b", "a\n", "", "a_b", "m-20260101-regular-1",
             "民政局", "民\u200b政", "\u00ad", "x" * 80, "x" * 79 + "\u200b"]
    texts += ["".join(rnd.choice("ab0-_A \n\u200b") for _ in range(rnd.randint(0, 6))) for _ in range(3000)]
    for bound in (10**6, 5):
        monkeypatch.setattr(schema_quick, "_IDS", set())
        monkeypatch.setattr(schema_quick, "_TEXTS", set())
        monkeypatch.setattr(schema_quick, "_KEPT_MAX", bound)
        for _ in range(2):  # found, then kept
            for text in texts:
                sound_id, sound_text = ID_RE.match(text) is not None, not HAS_INVISIBLE(text)
                assert schema_quick._sound_id(text) == sound_id, repr(text)
                assert schema_quick._sound_text(text) == sound_text, repr(text)
                assert (text in schema_quick._IDS) <= sound_id and (text in schema_quick._TEXTS) <= sound_text
        assert len(schema_quick._IDS) <= bound and len(schema_quick._TEXTS) <= bound
