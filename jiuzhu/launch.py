"""The `jiuzhu` command's entry point: a query asked again is answered before the CLI is built.

Building the typer application costs about half of a warm query's time. A read-only query
(`jiuzhu tasks overdue`, in a terminal or to a file) records, beside the
stat memo (jiuzhu.files.Scan), which memo entry answered this exact invocation: the words typed,
the working folder, the environment variables that change what jiuzhu prints, and today's date in
China. When the same invocation comes again, the stat memo is asked directly; it answers only
while no registry file, template or jiuzhu source changed (see Scan), else the CLI runs as usual.
Nothing here parses the command line: an invocation that was not recorded simply is not found.

Help (`jiuzhu --help`, `jiuzhu tasks overdue --help`: words, then --help or -h) depends only on
jiuzhu itself: it is recorded keyed on the words, the output environment and the size, mtime and
inode of every jiuzhu source, and replayed while none of them changed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

INDEX_MAGIC = b"JIUZHU-INVOCATIONS-1\n"
INDEX_KEEP = 64  # invocations remembered per cache folder
HELP_MAGIC = b"JIUZHU-HELP-1\n"
_RACY_NS = 2_000_000_000  # jiuzhu.files.RACY_NS: a source changed this recently is not trusted
# What changes the printed output besides the arguments (rich reads the colour and width ones)
_ENV = ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES", "TERM", "COLORTERM",
        "PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LC_ALL", "LC_CTYPE", "TZ")


# The arguments of this process when it was started as the `jiuzhu` program (not, e.g., a test
# calling the CLI in-process): only those invocations are recorded.
ARGV: list[str] | None = None


def main() -> None:
    global ARGV
    ARGV = sys.argv[1:]
    code = _replay_known(ARGV)
    if code is None:
        code = _help(ARGV)
    if code is not None:
        sys.exit(code)
    from jiuzhu.cli import main as cli

    cli()


class Recorder:
    """Stands in for stdout (0) or stderr (1) while a command runs: keeps what is written, in order
    across both, to replay it the same way. Looks like the real stream (encoding, terminal or not):
    rich and click draw for it."""

    def __init__(self, log: list[tuple[int, str]], which: int) -> None:
        real = sys.stderr if which else sys.stdout
        self.log, self.which = log, which
        self.encoding = getattr(real, "encoding", None) or "utf-8"
        self.errors = getattr(real, "errors", None) or "strict"
        self._tty = real.isatty()

    def isatty(self) -> bool:
        return self._tty

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # like a text stream: click probes with b"" for a binary writer
            raise TypeError("write() argument must be str")
        self.log.append((self.which, text))
        return len(text)

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True


def _help_key(argv: list[str]) -> bytes | None:
    """The key of a help invocation, or None when this is not one (or jiuzhu is being edited)."""
    import marshal
    from hashlib import blake2b

    if not argv or argv[-1] not in ("--help", "-h") or any(a.startswith("-") for a in argv[:-1]):
        return None
    from jiuzhu.files import _source_stats

    sources, package = _source_stats()
    limit = time.time_ns() - _RACY_NS
    if not all(0 <= mtime < limit for _, _, mtime, _ in sources):
        return None
    return blake2b(marshal.dumps((argv, output_env(), sources, package, sys.version), 0), digest_size=16).digest()


def _help(argv: list[str]) -> int | None:
    """Print the recorded help for these words and return its exit code; when not recorded yet,
    run the CLI recording it. None: not a help invocation."""
    import marshal
    from contextlib import redirect_stderr, redirect_stdout

    try:
        key = _help_key(argv)
    except Exception:  # an odd installation: let the CLI answer
        return None
    if key is None:
        return None
    path = _index_path().with_name("help")
    try:
        raw = path.read_bytes()
        known = marshal.loads(raw[len(HELP_MAGIC):]) if raw.startswith(HELP_MAGIC) else {}
        if not isinstance(known, dict):
            known = {}
    except Exception:  # missing, foreign or corrupt: nothing known
        known = {}
    recorded = known.get(key)
    if isinstance(recorded, tuple) and len(recorded) == 2 and printable(*recorded):
        return _write(*recorded)
    from jiuzhu.cli import main as cli

    log: list[tuple[int, str]] = []
    try:
        with redirect_stdout(Recorder(log, 0)), redirect_stderr(Recorder(log, 1)):  # type: ignore[type-var]
            cli()
        code: Any = 0
    except SystemExit as done:
        code = 0 if done.code is None else done.code
    except BaseException:  # Ctrl-C ...: show what was printed, record nothing
        _write(log, 1)
        raise
    if not isinstance(code, int):  # not what click exits with: say it as Python would
        _write(log, 1)
        raise SystemExit(code)
    known.pop(key, None)
    known[key] = (log, code)
    _save(path, HELP_MAGIC + marshal.dumps(dict(list(known.items())[-INDEX_KEEP:])))
    return _write(log, code)


def _save(path: Path, data: bytes) -> None:
    from jiuzhu.errors import InputRefused
    from jiuzhu.writer import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, durable=False)
    except (OSError, InputRefused):  # InputRefused: its name is taken by a folder, a link ...
        pass  # a read-only or full cache folder costs speed, never a result


def invocation_key(argv: list[str]) -> bytes | None:
    """What identifies this invocation's output."""
    import marshal
    from hashlib import blake2b

    env = output_env()
    env += sorted((k, v) for k, v in os.environ.items() if k.startswith("JIUZHU_"))
    china = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))  # today() without zoneinfo
    # version 0: no back-references, whose presence depends on what else refers to an object, so
    # the same invocation always gives the same bytes
    return blake2b(marshal.dumps((argv, os.getcwd(), env, china), 0), digest_size=16).digest()


def output_env() -> list[tuple[str, str | None]]:
    """What changes the printed output besides the command and the registry: the variables above,
    stdout's encoding (rich draws tables in ASCII when it is not UTF, e.g. GBK on Windows), and
    whether stdout and stderr are terminals and how wide (rich colours for a terminal and fits
    tables to it)."""
    tty = sys.stdout.isatty()
    try:
        size = str(tuple(os.get_terminal_size(sys.stdout.fileno()))) if tty else None
    except (OSError, ValueError):  # a terminal that will not say its size: rich assumes 80 columns
        size = "?"
    return [*((k, os.environ.get(k)) for k in _ENV), ("stdout", getattr(sys.stdout, "encoding", None)),
            ("tty", f"{tty}|{sys.stderr.isatty()}|{size}")]


def note(root: Path, name: str, extra: tuple[str, ...]) -> None:
    """Record that this process's invocation is answered by the stat memo entry (`root`, `name`,
    `extra`), when it was started as the `jiuzhu` program."""
    import marshal

    if ARGV is None:
        return
    key = invocation_key(ARGV)
    if key is None:
        return
    index = _read_index()
    index.pop(key, None)
    # as given (joined to the working folder, part of the key), not resolved: a registry reached
    # through a link that now points elsewhere is that other registry
    index[key] = (os.path.join(os.getcwd(), root), name, tuple(extra))
    kept = dict(list(index.items())[-INDEX_KEEP:])
    _save(_index_path(), INDEX_MAGIC + marshal.dumps(kept))


def _index_path() -> Path:
    from jiuzhu.files import cache_dir

    return cache_dir() / "invocations"


def _read_index() -> dict[bytes, tuple[str, str, tuple[str, ...]]]:
    import marshal

    try:
        raw = _index_path().read_bytes()
        if raw.startswith(INDEX_MAGIC):
            index = marshal.loads(raw[len(INDEX_MAGIC):])
            if isinstance(index, dict):
                return index
    except Exception:  # missing, foreign or corrupt: nothing known
        pass
    return {}


def _replay_known(argv: list[str]) -> int | None:
    """Print what this invocation printed last time and return its exit code, if the registry
    and jiuzhu are as they were then; None otherwise (the CLI runs)."""
    try:
        key = invocation_key(argv)
        known = _read_index().get(key) if key is not None else None
        if known is None:
            return None
        root, name, extra = known
        from jiuzhu.files import Scan

        hit, value = Scan(Path(root)).recall(name, tuple(extra))
        if not hit:
            return None
        log, code = value
        if not printable(log, code):
            return None
    except Exception:  # anything odd in the memo: let the CLI answer
        return None
    return _write(log, code)


def printable(log: Any, code: Any) -> bool:
    """Whether a recorded output has the shape _write needs (a damaged memo may say anything)."""
    return isinstance(code, int) and isinstance(log, (list, tuple)) and all(
        isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[1], str) for item in log)


def _write(log: Any, code: int) -> int:
    try:
        for which, text in log:
            stream = sys.stderr if which else sys.stdout
            stream.write(text)
            stream.flush()
    except BrokenPipeError:  # `jiuzhu ... | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code
