"""The liaison directory (联络员长期固定联系渠道): who each unit's liaison and deputy are on a day,
changes with their dates (the former one kept in `liaison_history`), and their checks.

Contacts are officials' work contacts (name, post, office phone, mobile); jiuzhu.privacy accepts a
mobile number in these fields only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from jiuzhu.checking import Context
from jiuzhu.errors import InputRefused
from jiuzhu.model import Liaison, Registry, Unit
from jiuzhu.problems import Problem, error, warning
from jiuzhu.queries import member_on
from jiuzhu.roundtrip import commented_map
from jiuzhu.writer import Transaction

ROLES = {"liaison": "联络员", "deputy": "备用联络员"}
MOBILE = re.compile(r"1[3-9]\d{9}")
# 0316-8812345, 8812345, with an extension; a mobile number in the phone field is a number too
PHONE = re.compile(r"(\d{3,4}-)?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}")


class Entry(NamedTuple):
    """One line of the directory: a unit's liaison or deputy on a day (contact None: nobody)."""

    unit: str
    unit_name: str
    role: str
    contact: Liaison | None


def on(unit: Unit, role: str, day: dt.date) -> Liaison | None:
    """The unit's liaison (or deputy) in office on `day`: the current one from its `since`, else the
    former one whose period holds the day."""
    current = unit.liaison if role == "liaison" else unit.deputy
    if current.name and (current.since is None or current.since <= day):
        return current
    for former in unit.contacts:
        if former.role == role and former.until is not None and former.until >= day \
                and (former.since is None or former.since <= day):
            return former
    return None


def directory(reg: Registry, day: dt.date) -> list[Entry]:
    """Every member unit on `day` (founding order) with its liaison and deputy."""
    rows = []
    for unit in reg.units.values():
        if not member_on(unit, day):
            continue
        for role in ROLES:
            rows.append(Entry(unit.id, unit.name_on(day), role, on(unit, role, day)))
    return rows


def stage_change(reg: Registry, unit: Unit, role: str, new: dict[str, str | None], day: dt.date) -> Transaction:
    """A transaction making `new` (name, post, phone, mobile) the unit's `role` from `day`. A new
    person: the one in office goes to liaison_history, serving until the day before. The same
    person: the contact details change in place."""
    for key in ("phone", "mobile"):
        value = new.get(key)
        if value is not None:
            check_number(key, value)
    current = unit.liaison if role == "liaison" else unit.deputy
    replaced = bool(current.name) and current.name != new["name"]
    if replaced and current.since is not None and day <= current.since:
        raise InputRefused(f"{unit.name}现任{ROLES[role]}{current.name}自 {current.since} 起任职，新{ROLES[role]}的"
                           f"起始日 {day} 不能在此之前或同一天", "用 --from 写新联络员开始联系的日期。")

    def change(data: Any) -> None:
        if replaced:
            history = data.get("liaison_history")
            if history is None:
                history = []
                _put(data, "liaison_history", history)
            entry = commented_map([("role", role), ("name", current.name), ("post", current.post),
                                   ("phone", current.phone), ("mobile", current.mobile),
                                   ("from", _fresh(current.since)), ("to", day - dt.timedelta(days=1))], flow=True)
            history.append(entry)
        old = {} if replaced else (data.get(role) or {})  # the same person keeps what is not given anew
        kept = [(k, new.get(k) or old.get(k)) for k in ("post", "phone", "mobile")]
        since = old.get("since") if current.name and not replaced else _fresh(day)  # a first or new person: from `day`
        _put(data, role, commented_map([("name", new["name"]), *kept, ("since", since)], flow=True))

    txn = Transaction(Path(reg.root))
    txn.edit(unit.file, change)
    return txn


_ORDER = ("liaison", "deputy", "liaison_history")  # where contacts sit in a unit file, together


def _put(data: Any, key: str, value: Any) -> None:
    """Set `key`, a new one right after the contact fields before it (not at the end of the file)."""
    if key in data:
        data[key] = value
        return
    keys = list(data)
    before = [k for k in _ORDER[:_ORDER.index(key)] if k in data]
    data.insert(keys.index(before[-1]) + 1 if before else len(keys), key, value)


def _fresh(day: dt.date | None) -> dt.date | None:  # a new object each time, or YAML writes &anchors
    return dt.date(day.year, day.month, day.day) if day is not None else None


def check_number(kind: str, value: str) -> None:
    """Refuse a phone or mobile number that is not one."""
    if kind == "mobile" and not MOBILE.fullmatch(value):
        raise InputRefused(f"手机号码“{value}”不对：应为 11 位数字，以 13–19 开头", "例如 --mobile 13812345678。")
    if kind == "phone" and not PHONE.fullmatch(value):
        raise InputRefused(f"办公电话“{value}”不对", "写成区号-号码，例如 --phone 0316-8812345。")


# --- checks (listed in jiuzhu.validate) ---------------------------------------------------------

def check_contacts(reg: Registry, ctx: Context) -> Iterable[Problem]:
    for unit in reg.units.values():
        doc = reg.files.get(unit.file)
        if doc is not None and unit.active:
            yield from _contact_problems(unit, doc)


def _contact_problems(unit: Unit, doc: Any) -> Iterator[Problem]:
    for role in ROLES:
        yield from _numbers(doc, (role,), unit.liaison if role == "liaison" else unit.deputy)
    last: dict[str, dt.date] = {}  # role -> the end of the latest former term
    for i, former in enumerate(unit.contacts):
        yield from _numbers(doc, ("liaison_history", i), former)
        yield from _term(unit, doc, i, former, last.get(former.role))
        if former.until is not None:
            last[former.role] = former.until
    for role in ROLES:
        c = unit.liaison if role == "liaison" else unit.deputy
        if c.name and c.since is not None and role in last and c.since <= last[role]:
            yield error(doc.at(role, "since"), "contact-period",
                        f"{unit.name}现任{ROLES[role]}{c.name}自 {c.since} 起任职，前一任到 {last[role]} 止",
                        "现任的 since 应晚于 liaison_history 中前一任的 to。")


def _term(unit: Unit, doc: Any, i: int, former: Liaison, previous_end: dt.date | None) -> Iterator[Problem]:
    """A former term that ends before it starts, or starts before the one before it ended."""
    if former.since is not None and former.until is not None and former.until < former.since:
        yield error(doc.at("liaison_history", i, "to"), "contact-period", f"{unit.name}的{ROLES[former.role]}"
                    f"{former.name}任职止于 {former.until}，早于任职起 {former.since}", "改正 from 或 to。")
    if previous_end is not None and former.since is not None and former.since <= previous_end:
        yield error(doc.at("liaison_history", i), "contact-period",
                    f"{unit.name}的{ROLES[former.role]}任职期间重叠：{former.name}自 {former.since} 起，"
                    f"前一任到 {previous_end} 止", "liaison_history 按时间先后排列，各任期不重叠。")


def _numbers(doc: Any, path: tuple[Any, ...], c: Liaison) -> Iterator[Problem]:
    for key, pattern, what in (("phone", PHONE, "办公电话"), ("mobile", MOBILE, "手机号码")):
        value = getattr(c, key)
        if value is not None and not pattern.fullmatch(str(value)):
            yield warning(doc.at(*path, key), "contact-number", f"{c.name or ''}的{what}“{value}”格式不对",
                          "办公电话写成区号-号码（0316-8812345），手机写 11 位数字。")
