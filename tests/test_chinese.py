"""Every word a user reads is Chinese (issue 18): the help of every command and the answer to
common usage mistakes. English is allowed only where it is a name the user types or reads back:
option and command names, choice values, ids, file paths, environment variables, and the names of
formats and products (YAML, Word, GitHub)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import tree_hash

# Proper names: formats, products and standards, which have no Chinese name in use.
_PROPER = {"jiuzhu", "YAML", "JSON", "HTML", "PDF", "CSV", "Markdown", "Word", "WPS", "GB", "T", "git",
           "GitHub", "GitLab", "Chromium", "Actions", "Code", "Quality", "CI", "CODEOWNERS", "UTF", "docx", "md",
           "html", "pdf", "json", "yaml", "csv", "xlsx", "vcf", "vCard", "N", "iCalendar", "DuckDB", "ics",
           # shells and what a user types to load completion (jiuzhu completion)
           "bash", "zsh", "fish", "powershell", "PowerShell", "pwsh", "SHELL", "Tab", "eval"}
# Values of --format and --style, checked by the commands themselves rather than by click.Choice.
_FORMATS = {"table", "json", "text", "github", "gitlab", "codequality", "md", "html", "docx", "pdf"}
_TYPED = re.compile(
    r"(?<![\w-])--?[A-Za-z][\w-]*"          # option names
    r"|[\w.<>年\-]*/[\w./<>年\-]*"           # paths (a/b, tasks/<年>/x.yaml)
    r"|[\w-]+\.(?:yaml|yml|md|html|docx|pdf|json|csv|lock)\b"  # file names
    r"|\bJIUZHU_[A-Z_]+\b"                  # environment variables
    r"|\b[a-z]+(?:_[a-z]+)+\b"              # registry field names (minutes_report_to)
)
_WORD = re.compile(r"[A-Za-z]+")


def _tree() -> tuple[list[list[str]], set[str]]:
    """Every command path, and every name a user may type (commands, choice values)."""
    from jiuzhu.cli import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = []
    names: set[str] = set()

    def walk(cmd: click.Command, path: list[str], ctx: click.Context) -> None:
        paths.append(path)
        for param in cmd.params:
            if isinstance(param.type, click.Choice):
                names.update(str(c) for c in param.type.choices)
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                names.add(name)
                sub = cmd.get_command(ctx, name)
                assert sub is not None
                walk(sub, [*path, name], click.Context(sub, parent=ctx, info_name=name))

    walk(root, [], click.Context(root, info_name="jiuzhu"))
    names.update(w for n in list(names) for w in n.split("-"))  # due-soon: the user types both words
    unit_ids = {p.stem for p in (Path(__file__).resolve().parents[1] / "registry" / "units").glob("*.yaml")}
    unit_ids.add("yibao")  # the new unit of the help's examples (units add, units split)
    return paths, names | _FORMATS | unit_ids | _registry_words()


def _registry_words() -> set[str]:
    """Field names and fixed values of registry files: the user writes them in YAML."""
    from jiuzhu import schema

    words: set[str] = set()

    def walk(field: schema.Field | None) -> None:
        if field is None:
            return
        words.update(str(v) for v in field.enum)
        for name, sub in (field.fields or {}).items():
            words.add(name)
            walk(sub)
        walk(field.items)

    for spec in vars(schema).values():
        if isinstance(spec, schema.Field):
            walk(spec)
    return words


def english_words(text: str, typed: set[str]) -> list[str]:
    """The English words of `text` a user would have to read, not type."""
    text = _TYPED.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in _PROPER and w not in typed]


def test_the_detector_finds_english() -> None:
    assert english_words("Error: No such option", set()) == ["Error", "No", "such", "option"]
    assert english_words("错误：--as-of 的值 tasks/<年>/t-1.yaml JIUZHU_TODAY due_soon_workdays", set()) == []
    assert english_words("Did you mean list?", {"list"}) == ["Did", "you", "mean"]


PATHS, NAMES = _tree()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "jiuzhu")
def test_help_is_chinese(path: list[str]) -> None:
    from jiuzhu.cli import app

    res = CliRunner().invoke(app, [*path, "--help"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("用法：")
    assert english_words(res.output, NAMES) == [], res.output


# (arguments, exit code): 2 for a command line click cannot take, 1 for a value jiuzhu refuses.
MISTAKES = [
    ("nosuch", 2), ("meetin list", 2), ("units lst", 2), ("units list --bogus", 2), ("-x", 2),
    ("units list --format xml", 2), ("duties matrix --format y", 2), ("assign 低保 --format z", 2),
    ("validate --format xx", 2), ("validate extra", 2), ("diff a b c", 2), ("--registry", 2),
    ("tasks update", 2), ("tasks update t-1 --percent abc --by 县民政局 --note 进展", 1),
    ("tasks update t-1 --percent 140 --by 县民政局 --note 进展", 1), ("tasks due-soon --within", 2),
    ("tasks due-soon --within -3", 1), ("tasks overdue --as-of notadate", 1), ("tasks list --status 乱", 1),
    ("meeting new --kind bogus --date 2026-09-22", 1), ("meeting new --kind 例会 --date 2026-13-45", 1),
    ("meeting new --kind 例会 --date 2026-09-22 --time 25:00", 1), ("meeting attend", 2),
    ("meeting attend M-9 --attended 县民政局,县财政局", 1), ("proposal new", 2),
    ("proposal review p-1 --pass", 2), ("proposal review p-1 --pass --return --opinion 同意", 1),
    ("proposal list --status 乱写", 1), ("decision add", 2), ("decision add m-1 --text 落实 --due-workdays x", 2),
    ("minutes issue", 2), ("minutes render", 2), ("briefing render --from x", 1), ("report progress --number x", 2),
    ("units show", 2), ("units show 县卫健委员会委员", 1), ("units rename", 2), ("init", 2),
    ("codeowners --style x", 1), ("assign", 2), ("units merge", 2), ("duties move", 2),
    ("proposal new --unit 县民政局 --title 第一行\n第二行", 1),
]


@pytest.mark.parametrize(("line", "code"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_usage_mistakes_are_answered_in_chinese(shipped_copy: Path, line: str, code: int) -> None:
    from jiuzhu.cli import app

    args = line.split(" ") if "\n" not in line else [*line.split("--title ")[0].split(), "--title",
                                                      line.split("--title ")[1]]
    before = tree_hash(shipped_copy)
    res = CliRunner().invoke(app, ["--registry", str(shipped_copy), *args])
    assert res.exit_code == code, res.output
    assert "错误：" in res.output
    typed = set(_WORD.findall(" ".join(args)))
    assert english_words(res.output, NAMES | typed) == [], res.output
    assert tree_hash(shipped_copy) == before


def test_a_command_that_does_not_exist_is_answered_with_the_nearest() -> None:
    from jiuzhu.cli import app

    res = CliRunner().invoke(app, ["meetin", "list"])
    assert res.exit_code == 2
    assert "没有命令“meetin”。是不是要用 meeting？" in res.output


def test_the_compiled_catalogue_matches_its_source() -> None:
    """jiuzhu.mo is committed (installing needs no compiler): it must say what its .po says."""
    import gettext

    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[1] / "jiuzhu" / "locale" / "zh_CN" / "LC_MESSAGES" / "jiuzhu.po"
    with po.open("rb") as fh:
        source = [m for m in read_po(fh) if m.id]
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for message in source:
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0], "运行 make locale"
        else:
            assert compiled.gettext(message.id) == message.string, f"运行 make locale：{message.id}"
    assert len(source) > 60


def test_every_click_message_has_a_translation() -> None:
    """A new click or typer release adds messages: the catalogue must cover each one they mark."""
    import gettext

    from jiuzhu.cli import i18n

    i18n.install()
    catalogue = gettext.translation(i18n.DOMAIN, str(i18n.LOCALE_DIR), languages=["zh_CN"])
    sources = [Path(click.__file__).parent, Path(typer.__file__).parent]
    missing = []
    for folder in sources:
        for py in folder.glob("*.py"):
            for msgid in re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]', py.read_text(encoding="utf-8")):
                msgid = msgid.encode().decode("unicode_escape") if "\\" in msgid else msgid
                if re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", msgid)) and catalogue.gettext(msgid) == msgid:
                    missing.append(f"{py.name}: {msgid}")
    assert missing == []
