"""The shape of the code, kept: rooms of one job (no module over 400 lines, no function over
cyclomatic complexity 15), dependencies one way (no import cycle, the core never imports the CLI's
libraries), only libraries' public names."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT
from radon.complexity import cc_visit

PACKAGE = ROOT / "jiuzhu"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Every module this file imports, at the top or inside a function (absolute names)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def test_no_module_over_400_lines() -> None:
    long = {_module(p): n for p in SOURCES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_no_function_over_complexity_15() -> None:
    tangled = [f"{_module(p)}.{b.fullname} ({b.complexity})" for p in SOURCES
               for b in cc_visit(p.read_text(encoding="utf-8")) if b.complexity > 15]
    assert tangled == []


def test_no_import_cycle() -> None:
    modules = {_module(p): p for p in SOURCES}
    graph = {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}
    # a package's __init__ importing its own submodules is not a cycle with them
    graph = {m: {i for i in deps if not m.startswith(i + ".") or modules[i].name != "__init__.py"}
             for m, deps in graph.items()}
    seen: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        seen[m] = 1
        for d in sorted(graph[m]):
            if seen.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in seen:
                visit(d, [*stack, d])
        seen[m] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m, [m])
    assert cycles == []


def test_core_does_not_import_the_command_line_libraries() -> None:
    ui = ("typer", "click", "rich")
    leaks = {_module(p): i for p in SOURCES if "cli" not in p.relative_to(PACKAGE).parts
             for i in _imports(p) if i.split(".")[0] in ui}
    assert leaks == {}


def test_only_public_names_of_libraries() -> None:
    private = {_module(p): i for p in SOURCES for i in _imports(p)
               if not i.startswith("jiuzhu") and any(part.startswith("_") and not part.startswith("__")
                                                      for part in i.split("."))}
    assert private == {}
