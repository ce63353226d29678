"""Working days on China's official calendar: holidays and make-up workdays (调休).

Authority for a year, strongest first:

1. the registry's own `calendar.yaml`, when it lists the year — the office can correct the library
   or supply a year the library does not know yet (every January, before a new release);
2. the pinned `chinese-calendar` library (official State Council data, 2004–2026 in 1.11.0);
3. weekends only, with a warning naming the year.

`source` reports the *weakest* source used over the counted days, ranked by how official it is:
"chinese-calendar" (maintained official data) > "calendar.yaml" (typed in by the office) >
"weekends" (a guess).

Counting follows office practice: "N working days from the meeting date" means day 1 is the first
working day *after* the meeting date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import chinese_calendar

if TYPE_CHECKING:
    from jiuzhu.model import Registry

LIBRARY = "chinese-calendar"
REGISTRY = "calendar.yaml"
WEEKENDS = "weekends"
_RANK = {LIBRARY: 0, REGISTRY: 1, WEEKENDS: 2}
_ONE = dt.timedelta(days=1)


_LABELS = {LIBRARY: "国务院节假日安排（chinese-calendar）", REGISTRY: "登记册 calendar.yaml", WEEKENDS: "仅按周末计算"}


def source_label(source: str) -> str:
    """How a calendar source reads to the user (a stored `due_rule.source` is the code)."""
    return _LABELS.get(source, source)


def weekend_warning(year: int) -> str:
    return f"{year} 年的法定节假日未知（chinese-calendar 和 calendar.yaml 都没有），按周末计算"


@dataclass(frozen=True)
class Counted:
    """The result of counting working days: the date, the weakest calendar source used, and one
    warning for each year that was counted by weekends only."""

    date: dt.date
    source: str
    warnings: tuple[str, ...] = ()


class Calendar:
    """Working-day arithmetic for one registry. Remembers every weekend-only year it touched in
    `warnings`, so a command can tell the user once, whatever it counted."""

    def __init__(self, overrides: Mapping[int, Mapping[str, tuple[dt.date, ...]]] | None = None) -> None:
        self._overrides = {
            year: (frozenset(spec.get("holidays", ())), frozenset(spec.get("workdays", ())))
            for year, spec in (overrides or {}).items()
        }
        self._sources: dict[int, str] = {}
        self._seen: dict[int, None] = {}
        self._cum: dict[int, list[int]] = {}
        self._spans: dict[tuple[int, int], int] = {}

    @classmethod
    def of(cls, reg: Registry) -> Calendar:
        return cls(reg.calendar)

    # -- per year ----------------------------------------------------------------------------

    def source(self, year: int) -> str:
        """Which authority decides working days in `year`."""
        if year not in self._sources:
            if year in self._overrides:
                self._sources[year] = REGISTRY
            elif _library_knows(year):
                self._sources[year] = LIBRARY
            else:
                self._sources[year] = WEEKENDS
        return self._sources[year]

    @property
    def warnings(self) -> tuple[str, ...]:
        """One warning for each year counted by weekends only so far, in order of first use."""
        return tuple(weekend_warning(y) for y in self._seen)

    # -- per day -----------------------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        cum = self._cumulative(day.year)
        i = day.timetuple().tm_yday
        return cum[i] > cum[i - 1]

    def _cumulative(self, year: int) -> list[int]:
        """cum[i] = working days among the first i days of `year` (cum[0] = 0), built once a year
        so counting over long spans stays cheap."""
        if year not in self._cum:
            src = self.source(year)
            if src == WEEKENDS:
                self._seen[year] = None
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            flags = [self._decide(day, src) for day in _days(first, last)]
            cum = [0]
            for f in flags:
                cum.append(cum[-1] + f)
            self._cum[year] = cum
        return self._cum[year]

    def _decide(self, day: dt.date, src: str) -> bool:
        if src == REGISTRY:
            holidays, workdays = self._overrides[day.year]
            return day in workdays or (day.weekday() < 5 and day not in holidays)
        if src == LIBRARY:
            # is_workday's rule on the library's public tables (is_workday itself scans the whole
            # table for its year range at every call: 4 000 calls took 0.1 s)
            return day in chinese_calendar.workdays or (day.weekday() < 5 and day not in chinese_calendar.holidays)
        return day.weekday() < 5

    # -- counting ----------------------------------------------------------------------------

    def add_workdays(self, start: dt.date, n: int) -> Counted:
        """The n-th working day after `start` (n < 0: the |n|-th working day before it; n == 0:
        `start` itself)."""
        step = _ONE if n >= 0 else -_ONE
        day, left, years = start, abs(n), {start.year}
        while left:
            day += step
            years.add(day.year)
            if self.is_workday(day):
                left -= 1
        return self._counted(day, years)

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after `a` up to and including `b`; negative (those after `b` up to and
        including `a`) when b is before a. Weekend-only years land in `warnings`."""
        if b < a:
            return -self.workdays_between(b, a)
        if a == b:
            return 0
        first = a + _ONE
        start = self._cumulative(first.year)  # years built in order: weekend-only ones warn in order
        lo = first.toordinal() - _jan1(first.year)
        if first.year == b.year:
            return start[b.toordinal() - _jan1(b.year) + 1] - start[lo]
        middle = self._whole_years(first.year + 1, b.year)
        return start[-1] - start[lo] + middle + self._cumulative(b.year)[b.toordinal() - _jan1(b.year) + 1]

    def _whole_years(self, lo: int, hi: int) -> int:
        """Working days in the years lo .. hi - 1, remembered per span (a listing counts from one
        day to many deadlines: the same few spans of years again and again)."""
        found = self._spans.get((lo, hi))
        if found is None:
            found = self._spans[lo, hi] = sum(self._cumulative(year)[-1] for year in range(lo, hi))
        return found

    def source_between(self, a: dt.date, b: dt.date) -> Counted:
        """The weakest source and the warnings for the years from a to b (for stored due rules)."""
        lo, hi = min(a, b), max(a, b)
        return self._counted(b, set(range(lo.year, hi.year + 1)))

    def _counted(self, day: dt.date, years: set[int]) -> Counted:
        sources = {y: self.source(y) for y in sorted(years)}
        weak = max(sources.values(), key=_RANK.__getitem__)
        weekend_years = [y for y, s in sources.items() if s == WEEKENDS]
        for y in weekend_years:
            self._seen[y] = None
        return Counted(day, weak, tuple(weekend_warning(y) for y in weekend_years))


@functools.cache
def _jan1(year: int) -> int:
    return dt.date(year, 1, 1).toordinal()


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for n in range((last - first).days + 1):
        yield first + dt.timedelta(days=n)


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
