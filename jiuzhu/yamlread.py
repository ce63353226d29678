"""YAML text -> plain data plus the 1-based position of every key and value.

Plain registry YAML is read by the quick reader (jiuzhu.yamlfast), which gives the same result or
declines; everything else by ruamel.yaml's C parser (jiuzhu.yamlc, imported only then). The quick
reader leaves the positions inside flat flow collections to the first check that asks for one
(jiuzhu.doc). Dates stay ISO strings here; the schema check turns them into real dates and reports
days that do not exist.
"""

from __future__ import annotations

from jiuzhu import yamlfast, yamltags
from jiuzhu.doc import Doc, Tables
from jiuzhu.problems import Problem
from jiuzhu.yamlflat import SHARED_MAX


def parse_text(text: str, file: str) -> tuple[Doc | None, list[Problem]]:
    """Parse YAML text; syntax errors, tabs, duplicate keys and empty files become problems."""
    if len(yamlfast.POOL) > SHARED_MAX:
        yamlfast.POOL.clear()
    if not yamltags.general():  # else only ruamel's own Resolver knows the tags
        quick = yamlfast.parse(text, yamlfast.POOL.setdefault, lean=True)
        if quick is not None:
            return Doc(file, *quick[:3], text, _positions if quick[3] else None), []
    # imported here: ruamel.yaml costs 17 ms, and a run that re-reads plain files never needs it
    from jiuzhu import yamlc

    return yamlc.parse(text, file)


def _positions(text: str) -> tuple[Tables, Tables]:
    """Every value's and key's position in a text the quick reader took leaving some out: the
    same reader, reading it again with all of them."""
    full = yamlfast.parse(text, yamlfast.POOL.setdefault)
    if full is None:  # the reader took this very text before
        raise RuntimeError("快速读取器前后两次读同一段文本的结果不同")
    return full[1], full[2]
