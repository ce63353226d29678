"""YAML text -> plain data plus the 1-based position of every key and value.

Plain registry YAML is read by the quick reader (jiuzhu.yamlfast), which gives the same result or
declines; everything else by ruamel.yaml's C parser (jiuzhu.yamlc, imported only then). Dates stay
ISO strings here; the schema check turns them into real dates and reports days that do not exist.
"""

from __future__ import annotations

from jiuzhu import yamlfast, yamltags
from jiuzhu.doc import Doc
from jiuzhu.problems import Problem


def parse_text(text: str, file: str) -> tuple[Doc | None, list[Problem]]:
    """Parse YAML text; syntax errors, tabs, duplicate keys and empty files become problems."""
    if len(yamlfast.POOL) > yamlfast.SHARED_MAX:
        yamlfast.POOL.clear()
    if not yamltags.general():  # else only ruamel's own Resolver knows the tags
        quick = yamlfast.parse(text, yamlfast.POOL.setdefault)
        if quick is not None:
            return Doc(file, quick[0], quick[1], quick[2], text), []
    # imported here: ruamel.yaml costs 17 ms, and a run that re-reads plain files never needs it
    from jiuzhu import yamlc

    return yamlc.parse(text, file)
