"""What issuing a numbered document records in the registry: a briefing's or a 进展情况通报's
per-year number, one line in system.yaml (`briefings.issued`, `reports.issued`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jiuzhu.model import Registry
from jiuzhu.roundtrip import commented_map, commented_seq
from jiuzhu.writer import Transaction


def stage_briefing(reg: Registry, briefing: Mapping[str, Any]) -> Any:
    """A transaction recording the briefing's number in system.yaml (`briefings.issued`)."""
    return _stage_issue(reg, "briefings", [("year", briefing["year"]), ("number", briefing["number"]),
                                           ("date", briefing["date"]), ("from", briefing["from"]),
                                           ("to", briefing["to"])])


def stage_report(reg: Registry, report: Mapping[str, Any]) -> Any:
    """A transaction recording a 进展情况通报's number in system.yaml (`reports.issued`)."""
    return _stage_issue(reg, "reports", [("year", report["year"]), ("number", report["number"]),
                                         ("date", report["as_of"]), ("scope", report["scope"])])


def _stage_issue(reg: Registry, section: str, fields: list[tuple[str, Any]]) -> Any:
    """Append one issued number, a one-line entry, to `section.issued` of system.yaml."""

    def fresh(value: Any) -> Any:  # a new date object each time, or YAML writes &anchors
        return dt.date(value.year, value.month, value.day) if isinstance(value, dt.date) else value

    def change(data: Any) -> None:
        entry = commented_map([(k, fresh(v)) for k, v in fields], flow=True)  # one line, as the schema shows
        if not data.get(section):
            data[section] = commented_map()
        if data[section].get("issued") is None:
            data[section]["issued"] = commented_seq()
        issued = data[section]["issued"]
        issued.fa.set_block_style()
        issued.append(entry)

    txn = Transaction(Path(reg.root))
    txn.edit("system.yaml", change)
    return txn
