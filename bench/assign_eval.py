"""Lead accuracy and involved-unit precision and recall of `jiuzhu assign` over evaluation files.

    python bench/assign_eval.py [FILE ...] [--registry DIR] [--min-lead 0.95] [--min-involved 0.90] [-v]

FILE (default tests/data/assign-dev.yaml) is a YAML list of
{text, lead: [accepted names], involved: [names]}; names are compared without a leading 县.
A suggested lead is correct when it is in the accepted list; when the suggestion is a tie, every
tied unit must be accepted. The units a suggestion involves are its lead, tied and responsible
units; the units a case involves are its accepted leads and its `involved` names. Involved recall:
the share of `involved` names the suggestion involves; involved precision: the share of the units
the suggestion involves that the case involves (a lead counts when accepted; a case may also list
`optional` units, which are not wrong when suggested). Exits 1 when any
file is below --min-lead or --min-involved (precision or recall).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "data" / "assign-dev.yaml"


@dataclass
class Result:
    cases: int
    lead_ok: int
    involved: int
    involved_found: int
    misses: list[str]
    suggested: int = 0       # units the suggestions involve
    suggested_right: int = 0  # ... that the cases involve

    @property
    def lead_accuracy(self) -> float:
        return self.lead_ok / self.cases if self.cases else 0.0

    @property
    def involved_recall(self) -> float:
        return self.involved_found / self.involved if self.involved else 1.0

    @property
    def involved_precision(self) -> float:
        return self.suggested_right / self.suggested if self.suggested else 1.0


def _bare(name: str) -> str:
    return name.removeprefix("县")


def load_cases(path: Path) -> list[dict[str, Any]]:
    from ruamel.yaml import YAML

    with path.open(encoding="utf-8") as fh:
        return list(YAML(typ="safe").load(fh) or [])


def evaluate(registry: Path, cases: list[dict[str, Any]]) -> Result:
    """Run `suggest` on every case and count correct leads and involved units found."""
    from jiuzhu.assign import suggest
    from jiuzhu.loader import load

    reg = load(registry).registry
    res = Result(len(cases), 0, 0, 0, [])
    for case in cases:
        s = suggest(reg, case["text"], case.get("areas") or ())
        accepted = {_bare(n) for n in case.get("lead") or []}
        leads = [c.name for c in ([s.lead] if s.lead else []) + s.tied]
        ok = bool(leads) and all(_bare(n) in accepted for n in leads)
        res.lead_ok += ok
        named = {_bare(n) for n in leads} | {_bare(c.name) for c in s.responsible}
        wanted = [_bare(n) for n in case.get("involved") or []]
        missing = [n for n in wanted if n not in named]
        res.involved += len(wanted)
        res.involved_found += len(wanted) - len(missing)
        extra = sorted(named - accepted - set(wanted) - {_bare(n) for n in case.get("optional") or []})
        res.suggested += len(named)
        res.suggested_right += len(named) - len(extra)
        if not ok or missing or extra:
            got = "、".join(leads) or "无"
            res.misses.append(f"{case['text']}\n    牵头：{got}（应为 {'/'.join(sorted(accepted))}）"
                              + (f"  缺少：{'、'.join(missing)}" if missing else "")
                              + (f"  多出：{'、'.join(extra)}" if extra else ""))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", default=[str(DEFAULT)])
    ap.add_argument("--registry", default=str(ROOT / "registry"))
    ap.add_argument("--min-lead", type=float, default=0.95)
    ap.add_argument("--min-involved", type=float, default=0.90)
    ap.add_argument("-v", "--verbose", action="store_true", help="show every miss")
    args = ap.parse_args(argv)
    ok = True
    for name in args.files:
        path = Path(name)
        if not path.is_absolute() and not path.exists():
            path = ROOT / path
        if not path.is_file():
            print(f"找不到评测文件：{path}", file=sys.stderr)
            return 2
        cases = load_cases(path)
        res = evaluate(Path(args.registry), cases)
        complete = any("optional" in c for c in cases)
        print(f"{path.name}: {res.cases} 条\n"
              f"  牵头单位准确率 {res.lead_accuracy:6.1%} ({res.lead_ok}/{res.cases})  目标 ≥ {args.min_lead:.0%}\n"
              f"  相关单位精确率 {res.involved_precision:6.1%} ({res.suggested_right}/{res.suggested})  "
              f"目标 ≥ {args.min_involved:.0%}"
              f"{'' if complete else '（此集只列必须参与的单位、不列可以参与的，精确率是下限）'}\n"
              f"  相关单位召回率 {res.involved_recall:6.1%} ({res.involved_found}/{res.involved})  "
              f"目标 ≥ {args.min_involved:.0%}")
        for miss in res.misses if args.verbose else res.misses[:10]:
            print("  ✗ " + miss)
        ok = ok and res.lead_accuracy >= args.min_lead and min(res.involved_recall, res.involved_precision) \
            >= args.min_involved
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
