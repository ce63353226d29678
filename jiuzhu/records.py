"""New records: ids drawn so that two offices never collide, and the text of a new registry file in the house style."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from jiuzhu.errors import InputRefused
from jiuzhu.roundtrip import dump_rt, load_rt, new_document, to_commented


def token() -> str:
    """Four random hex digits: two offices creating records on two branches do not collide."""
    return secrets.token_hex(2)


def draw_id(prefix: str, taken: Callable[[str], bool], draw: Callable[[], str] = token) -> str:
    """`prefix-xxxx`, drawn again while `taken(id)` (an id in the registry or a file on disk)."""
    for _ in range(1000):
        ident = f"{prefix}-{draw()}"
        if not taken(ident):
            return ident
    raise InputRefused(f"无法为“{prefix}”生成不重复的编号", "检查登记册中是否已有大量同名记录。")


def append_to(data: Any, key: str, *items: Any) -> None:
    """Append `items` to the block list `key` of a round-trip mapping (a missing or empty `[]` list
    becomes a block list first): a meeting's decisions, an inspection's findings or samples."""
    if not data.get(key):
        data[key] = to_commented([])
        data[key].fa.set_block_style()
    data[key].extend(items)


def flow(data: dict[str, Any]) -> Any:
    """A one-line YAML mapping ({a: 1, b: 2}) without its None values."""

    cm = to_commented({k: v for k, v in data.items() if v is not None})
    cm.fa.set_flow_style()
    return cm


def new_file(data: dict[str, Any], header: str, flow_items: Iterable[str] = (), flow_maps: Iterable[str] = ()) -> str:
    """Text of a new registry file: block style, with the items of the lists in `flow_items` and the
    mappings in `flow_maps` on one line each (one line a history step: readable diffs)."""

    yaml, doc = load_rt(new_document({k: v for k, v in data.items() if v is not None}, header))
    for key in flow_items:
        for item in doc.get(key) or ():
            item.fa.set_flow_style()
    for key in flow_maps:
        if key in doc:
            doc[key].fa.set_flow_style()
    return str(dump_rt(yaml, doc))
