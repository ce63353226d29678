"""The structural check's quick path (jiuzhu.schema_check): most files are sound throughout. For
them `check` runs one checker made once per spec (`quick`): no paths, no positions, no problems.
It gives the cleaned data, or UNSURE at the first value it does not take as plainly sound, and
then the full check reads the file again and finds the problems (if any) with their places. A
value is taken only where the full check would give the same value and no problem
(tests/test_schema_check.py compares both on thousands of edited files). Also here: the sound
values both checks keep once read (days, ids, short texts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from jiuzhu.privacy import HAS_INVISIBLE
from jiuzhu.schema import DATE_RE, ID_RE, Field

FIRST_YEAR, LAST_YEAR = 1949, 2199  # the years jiuzhu takes on the command line too


def once(table: dict[int, tuple[Field, Any]], spec: Field, make: Callable[[Field], Any]) -> Any:
    """`make(spec)`, made once per spec object (specs are module constants; the id is checked
    against the spec itself, in case a spec made later reuses a freed one's id)."""
    known = table.get(id(spec))
    if known is None or known[0] is not spec:
        known = table[id(spec)] = (spec, make(spec))
    return known[1]


# Sound dates already read, by their text: a registry writes the same few thousand days again and
# again, and one object a day keeps the parse cache small (jiuzhu.cache shares equal objects).
_DAYS: dict[str, dt.date] = {}


# Texts found sound once, kept by check: ids stand in thousands of places of a registry, short
# texts (names, statuses) in hundreds. Each answer is a pure function of the text; at most
# _KEPT_MAX a set (then the check alone answers).
_IDS: set[str] = set()
_TEXTS: set[str] = set()
_KEPT_MAX = 200_000


def _sound_id(text: str) -> bool:
    """Whether a text is a sound id (ID_RE)."""
    if ID_RE.match(text) is None:
        return False
    if len(_IDS) < _KEPT_MAX:
        _IDS.add(text)
    return True


def _sound_text(text: str) -> bool:
    """Whether a text holds no invisible character (kept if short)."""
    if HAS_INVISIBLE(text):
        return False
    if len(text) <= 64 and len(_TEXTS) < _KEPT_MAX:
        _TEXTS.add(text)
    return True


def sound_day(text: str) -> dt.date | None:
    """The day a text names if it is a sound date (and kept in _DAYS from then on), else None."""
    day = _DAYS.get(text)
    if day is None and DATE_RE.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            return None
        _DAYS[text] = day
    return day


UNSURE = object()  # left to the full check
_OMIT = object()  # a null the full check leaves out of its mapping (the model's default applies)
_NEW_LIST = object()  # a null list: a new empty list
_QUICK: dict[int, tuple[Field, Any]] = {}  # id of a spec -> (the spec, its checker)
_EXACT = {"int": (int,), "number": (int, float), "bool": (bool,), "time": (str, int, float)}  # bool is no int


def quick(spec: Field) -> Callable[[Any], Any]:
    return once(_QUICK, spec, _make)


def _null(spec: Field) -> Any:
    """What the full check gives for a null of `spec` without a problem (UNSURE: it reports one)."""
    if spec.nullable:
        return None
    if spec.required:
        return UNSURE
    return _NEW_LIST if spec.kind == "list" else _OMIT


def _make(spec: Field) -> Callable[[Any], Any]:
    if spec.enum:
        return _make_choice(spec)
    if spec.kind == "map":
        return _make_map(spec)
    if spec.kind == "list":
        return _make_list(spec)
    null, kind, required = _null(spec), spec.kind, spec.required

    def text(v: Any) -> Any:
        if type(v) is str and (v in _TEXTS or _sound_text(v)) and (not required or v.strip()):
            return v
        return null if v is None else UNSURE

    def ident(v: Any) -> Any:
        if type(v) is str and (v in _IDS or _sound_id(v)):
            return v
        return null if v is None else UNSURE

    def day(v: Any) -> Any:
        if type(v) is str:
            found = sound_day(v)
            return UNSURE if found is None else found
        return null if v is None else UNSURE

    exact = _EXACT.get(kind, ())

    def scalar(v: Any) -> Any:
        if type(v) in exact:
            return v
        return null if v is None else UNSURE

    return {"str": text, "id": ident, "date": day}.get(kind, scalar)


def _make_choice(spec: Field) -> Callable[[Any], Any]:
    base, allowed, null = quick(replace(spec, enum=())), spec.enum, _null(spec)

    def choice(v: Any) -> Any:
        if v is None:
            return null
        got = base(v)
        return got if got is not UNSURE and got in allowed else UNSURE

    return choice


def _make_map(spec: Field) -> Callable[[Any], Any]:
    null = _null(spec)
    checks = {key: quick(f) for key, f in (spec.fields or {}).items()}
    required = tuple(key for key, f in (spec.fields or {}).items() if f.required)

    def mapping(v: Any) -> Any:
        if type(v) is not dict:
            return null if v is None else UNSURE
        if not checks:  # free-form: taken as it is
            return v
        out = {}
        for key, x in v.items():
            c = checks.get(key)
            if c is None:
                return UNSURE
            x = c(x)
            if x is UNSURE:
                return UNSURE
            if x is not _OMIT:
                out[key] = [] if x is _NEW_LIST else x
        for key in required:
            if key not in v:
                return UNSURE
        return out

    return mapping


def _make_list(spec: Field) -> Callable[[Any], Any]:
    assert spec.items is not None
    null, item, nullable = _null(spec), quick(spec.items), spec.items.nullable

    def items(v: Any) -> Any:
        if type(v) is not list:
            return null if v is None else UNSURE
        out = []
        for x in v:
            if x is None and not nullable:
                return UNSURE
            x = item(x)  # never _OMIT nor _NEW_LIST: a null item is None or UNSURE
            if x is UNSURE:
                return UNSURE
            out.append(x)
        return out

    return items
