"""system.yaml into the `System` record: the founding document, conveners, office, the joint
meeting's duties and rules, and the parameters of procedure, each with its default where the
founding text is silent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiuzhu import conveners
from jiuzhu.doc import Doc
from jiuzhu.model import (
    BriefingIssue,
    FoundingDocument,
    Level,
    MinutesWorkflow,
    Office,
    Parameters,
    Person,
    ReportIssue,
    System,
    TextItem,
    Transition,
    Workflow,
)


def _texts(doc: Doc, items: list[dict[str, Any]], *path: Any) -> tuple[TextItem, ...]:
    return tuple(TextItem(t["id"], t["text"], tuple(t.get("areas", [])), doc.at(*path, i), t.get("ref"))
                 for i, t in enumerate(items) if "id" in t and "text" in t)


def system_record(doc: Doc, d: dict[str, Any]) -> System:
    fd = d.get("founding_document", {})
    conv = d.get("conveners", {})
    office = d.get("office", {})
    par = d.get("parameters", {})
    wf = par.get("proposal_workflow", {})
    workflow = Workflow(
        wf.get("initial", ""), tuple(wf.get("states", [])),
        tuple(Transition(t["action"], tuple(t["from"]), t["to"], t.get("by", ""))
              for t in wf.get("transitions", []) if {"action", "from", "to"} <= t.keys()),
    )
    params = Parameters(
        regular_meetings_per_year=par.get("regular_meetings_per_year", 1),
        liaison_meeting_before_joint=par.get("liaison_meeting_before_joint", True),
        minutes_report_to=par.get("minutes_report_to", d.get("government", "")),
        minutes_send_to=par.get("minutes_send_to", "联席会议各成员单位"),
        due_soon_workdays=par.get("due_soon_workdays", 5),
        workflow=workflow,
        escalation=tuple(Level(x["level"], x["from_workdays"], x.get("after_notices"), x.get("reply_workdays"),
                               x.get("title"))
                         for x in par.get("escalation", [])
                         if {"level", "from_workdays"} <= x.keys()),
        documents=dict(par.get("documents") or {}), basis=dict(par.get("basis") or {}),
        minutes_workflow=_minutes_workflow(par.get("minutes_workflow") or {}),
        major_issues_to=par.get("major_issues_to"),
    )
    chief = conv.get("chief")
    return System(
        name=d.get("name", ""), jurisdiction=d.get("jurisdiction", ""), government=d.get("government", ""),
        founding=FoundingDocument(fd.get("title", ""), fd.get("issuer", ""), fd.get("date", dt.date(1970, 1, 1)),
                                  fd.get("index_number"), fd.get("number"), fd.get("preamble")),
        chief=Person(chief.get("name"), chief.get("post")) if isinstance(chief, dict) else None,
        conveners=tuple(Person(c.get("name"), c.get("post")) for c in conv.get("conveners", [])),
        office=Office(office.get("unit", ""), office.get("director"), office.get("text"),
                      _texts(doc, office.get("duties", []), "office", "duties"),
                      tuple(office.get("deputy_directors") or ())),
        duties=_texts(doc, d.get("duties", []), "duties"),
        rules=_texts(doc, d.get("rules", []), "rules"),
        parameters=params, leadership=conveners.leadership(conv),
        briefings=tuple(BriefingIssue(b["year"], b["number"], b["date"], b.get("from"), b.get("to"))
                        for b in (d.get("briefings") or {}).get("issued", [])),
        reports=tuple(ReportIssue(r["year"], r["number"], r["date"], r.get("scope"))
                      for r in (d.get("reports") or {}).get("issued", [])),
        pos=doc.at(),
    )


def _minutes_workflow(w: dict[str, Any]) -> MinutesWorkflow:
    return MinutesWorkflow(tuple(w.get("steps") or ()), w.get("consent_of") or "attended", w.get("sign_by"))
