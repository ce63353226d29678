"""`jiuzhu diff` as Markdown made for a pull-request comment: a heading, then short lists per kind
of change, no tables; Chinese sentences reworded are shown with a character-level diff."""

from __future__ import annotations

from typing import Any

from jiuzhu.queries import ROLE_NAMES
from jiuzhu.semdiff import Names, SemDiff, Side, char_diff


def to_markdown(sd: SemDiff) -> str:
    """The diff as a pull-request comment: a heading, then short lists per kind of change."""
    names = sd.names
    out = [f"## jiuzhu diff：{_side(sd.old)} → {_side(sd.new)}", ""]
    if sd.empty:
        return "\n".join([*out, "没有涉及成员单位、领域、职责、议定事项或任务的改动。"])
    sections = (("成员单位", _unit_lines(sd, names)), ("领域", _area_lines(sd, names)),
                ("职责", _duty_lines(sd, names)), ("议定事项", _decision_lines(sd, names)),
                ("需要重新指定牵头单位的未完成任务", _task_lines(sd, names)))
    for title, lines in sections:
        if lines:
            out += [f"### {title}", "", *lines, ""]
    return "\n".join(out).rstrip("\n")


def _side(side: Side) -> str:
    if side.commit is None:
        return side.label
    return f"`{side.label}` 的分叉点" if side.merge_base else f"`{side.label}`"


def _since(day: str | None) -> str:
    return f"，{day} 起" if day else ""


def _unit_lines(sd: SemDiff, n: Names) -> list[str]:
    u = sd.units
    founded = {r["unit"] for r in u["added"]} & ({r["into"] for r in u["merged"]}  # shown as merges and splits
                                                 | {x for r in u["split"] for x in r["into"]})
    lines = [f"- 新增 **{r['name']}**（{r['unit']}）{_since(r['since'])}"
             for r in u["added"] if r["unit"] not in founded]
    lines += [f"- 更名 {r['old_name']} → **{r['name']}**（{r['unit']}）{_since(r['date'])}" for r in u["renamed"]]
    lines += [f"- 合并 {'、'.join(f'{n.unit(x)}（{x}）' for x in r['units'])} → "
              f"{'新设 ' if r['into'] in founded else ''}**{n.unit(r['into'])}**（{r['into']}）{_since(r['date'])}"
              for r in u["merged"]]
    lines += [_split_line(r, n, founded) for r in u["split"]]
    lines += [_dissolved_line(r, n) for r in u["dissolved"]]
    lines += [f"- 删除 {r['name']}（{r['unit']}）的文件" for r in u["removed"]]
    return lines


def _split_line(r: dict[str, Any], n: Names, founded: set[str]) -> str:
    parts = "、".join(f"{'新设 ' if x in founded else ''}**{n.unit(x)}**（{x}）" for x in r["into"])
    went = "；".join(f"`{d['duty']}` → {n.unit(d['to'])}" for d in r["duties"])
    return f"- 拆分 {r['name']}（{r['unit']}）→ {parts}{_since(r['date'])}" + (f"：{went}" if went else "")


def _dissolved_line(r: dict[str, Any], n: Names) -> str:
    to = f"，职责转入 **{n.unit(r['duties_to'])}**（{r['duties_to']}）" if r["duties_to"] else ""
    return f"- 撤销 {r['name']}（{r['unit']}）{to}{_since(r['date'])}"


def _area_lines(sd: SemDiff, n: Names) -> list[str]:
    a = sd.areas
    lines = [f"- 新增领域 **{r['name']}**（{r['area']}）" for r in a["added"]]
    lines += [f"- 删除领域 {r['name']}（{r['area']}）" for r in a["removed"]]
    lines += [f"- 指定牵头单位 {r['name']}：{n.unit(r['old_lead']) or '未指定'} → **{n.unit(r['lead']) or '未指定'}**"
              for r in a["lead_changed"]]
    return lines


def _duty_lines(sd: SemDiff, n: Names) -> list[str]:
    d = sd.duties

    def role(r: dict[str, Any]) -> str:
        return ROLE_NAMES.get(r["role"], r["role"])

    lines = [f"- 新增 `{r['duty']}`（{n.unit(r['unit'])}，{role(r)}；{n.area_list(r['areas'])}"
             + (f"；原属 {n.unit(r['moved_from'])}" if r["moved_from"] else "") + f"）：{r['text']}"
             for r in d["added"]]
    lines += [f"- 删除 `{r['duty']}`（{n.unit(r['unit'])}）：{r['text']}" for r in d["removed"]]
    for r in d["moved"]:
        to = f"（`{r['to_duty']}`）" if r["to_duty"] != r["duty"] else ""
        text = char_diff(r["old_text"], r["text"]) if "old_text" in r else r["text"]
        lines.append(f"- 移交 `{r['duty']}` {n.unit(r['from'])} → **{n.unit(r['to'])}**{to}：{text}")
    lines += [f"- 改写 `{r['duty']}`（{n.unit(r['unit'])}）：{char_diff(r['old_text'], r['text'])}"
              for r in d["reworded"]]
    for r in d["retagged"]:
        plus = [a for a in r["areas"] if a not in r["old_areas"]]
        minus = [a for a in r["old_areas"] if a not in r["areas"]]
        change = "；".join([f"增加 {n.area_list(plus)}"] * bool(plus) + [f"去掉 {n.area_list(minus)}"] * bool(minus))
        lines.append(f"- 改领域 `{r['duty']}`（{n.unit(r['unit'])}）：{change}")
    for r in d["role_changed"]:
        old = ROLE_NAMES.get(r["old_role"], r["old_role"])
        info = f"（提供：{'、'.join(r['old_info'])}）" if r["old_info"] else ""
        lines.append(f"- 改角色 `{r['duty']}`（{n.unit(r['unit'])}）：{old}{info} → **{role(r)}**")
    return lines


def _decision_lines(sd: SemDiff, n: Names) -> list[str]:
    lines = []
    for r in sd.decisions:
        parts = []
        if r["old_lead"] != r["lead"]:
            parts.append(f"牵头 {n.unit(r['old_lead'])} → **{n.unit(r['lead'])}**")
        if r["old_responsible"] != r["responsible"]:
            parts.append(f"责任 {n.unit_list(r['old_responsible'])} → **{n.unit_list(r['responsible'])}**")
        via = "任务调整记录" if r["via"] == "task" else "会议文件中直接修改"
        lines.append(f"- 调整 `{r['decision']}` {_short(r['text'])}：{'；'.join(parts)}（{via}）")
    return lines


def _task_lines(sd: SemDiff, n: Names) -> list[str]:
    lines = []
    for r in sd.tasks:
        if r["reason"] == "inactive":
            gone = f"{n.until[r['lead']]} 起" if r["lead"] in n.until else ""
            why = f"牵头单位 {n.unit(r['lead'])} {gone}已不是成员单位"
        else:
            why = f"牵头单位 {n.unit(r['lead'])} 不再承担“{n.area_list(r['areas'])}”方面的职责"
        lines.append(f"- `{r['decision']}` {_short(r['text'])}：{why}，请用 `jiuzhu tasks reassign` 调整")
    return lines


def _short(text: str, limit: int = 30) -> str:
    return f"“{text if len(text) <= limit else text[:limit] + '……'}”"
