"""Compile jiuzhu/locale/*/LC_MESSAGES/jiuzhu.po to the .mo beside it (`make locale`).
The .mo is committed so that installing jiuzhu needs no compiler; tests/test_chinese.py checks
it matches its .po."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "jiuzhu" / "locale"


def compiled(po: Path) -> bytes:
    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> int:
    for po in sorted(ROOT.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(po.with_suffix(".mo"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
