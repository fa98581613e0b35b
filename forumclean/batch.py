"""Running many inputs: one outcome per input, written atomically, the run goes on past failures."""

from __future__ import annotations

import errno
import itertools
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .errors import ForumcleanError
from .inputs import Input, display_name, output_path
from .model import KIND_NONE, Document, error_record
from .pipeline import run
from .render import EXTENSIONS, render


@dataclass
class Options:
    fmt: str = "text"
    input_format: str = "auto"
    family: str | None = None
    url: str | None = None


@dataclass
class Outcome:
    input: Input
    document: Document | None = None
    error: dict | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def record(self) -> Document | dict:
        return self.document if self.document is not None else self.error


def describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    if exc.errno == errno.EISDIR:
        reason = "is a directory"
    return reason[:1].lower() + reason[1:]


def process(item: Input, options: Options, stdin: IO[bytes] | None = None) -> Outcome:
    """Read and clean one input; every failure becomes an error record, never an exception."""
    name = display_name(item.name)
    try:
        data = item.read(stdin)
    except OSError as exc:
        return Outcome(item, error=error_record(name, "read", f"cannot read: {describe_os_error(exc)}"))
    try:
        result = run(data, url=options.url, input_name=name, input_format=options.input_format,
                     family=options.family)
    except ForumcleanError as exc:
        return Outcome(item, error=error_record(name, exc.kind, str(exc)))
    except RecursionError:
        return Outcome(item, error=error_record(name, "parse", "page nesting too deep"))
    except Exception as exc:  # a bug, not bad input: still one line and the batch goes on
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        return Outcome(item, error=error_record(name, "internal",
                                                f"internal error ({type(exc).__name__}: {detail})"))
    return Outcome(item, document=result.document)


_TMP_COUNTER = itertools.count()


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written output.

    The temporary name is chosen before the file exists, so an interruption at any point
    (SIGINT, SIGTERM: both raise here) removes it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.parent / f".forumclean-{os.getpid()}-{next(_TMP_COUNTER)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            break
        except FileExistsError:
            continue
        except BaseException:
            _unlink_quietly(tmp)
            raise
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


@dataclass
class Tally:
    ok: int = 0
    none: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


def write_outcome(outcome: Outcome, options: Options, out: IO[str], out_dir: str | None,
                  many: bool, report: Callable[[str], None]) -> None:
    """Send one outcome where it belongs: stdout or its own file; errors also to stderr."""
    fmt = options.fmt
    name = display_name(outcome.input.name)
    if not outcome.ok:
        report(f"{name}: {outcome.error['error']['message']}")
    if out_dir is not None:
        if outcome.ok:
            target = output_path(out_dir, outcome.input, EXTENSIONS[fmt])
            atomic_write(target, render(outcome.record, fmt))
        return
    text = render(outcome.record, fmt)
    if fmt == "text" and many and outcome.ok:
        text = f"==> {name} <==\n{text}\n"
    if text:
        out.write(text)


def run_batch(items: Iterable[Input], options: Options, out: IO[str] = sys.stdout,
              out_dir: str | None = None, many: bool = False,
              report: Callable[[str], None] = lambda msg: None) -> Tally:
    tally = Tally()
    written: dict[Path, str | None] = {}  # output file -> the input it holds
    for item in items:
        outcome = process(item, options)
        target = None
        if out_dir is not None and outcome.ok:
            target = output_path(out_dir, outcome.input, EXTENSIONS[options.fmt])
            if written.get(target, item.path) != item.path:  # a.html, a.htm: keep the first
                outcome = Outcome(item, error=error_record(
                    display_name(item.name), "write", f"output {display_name(str(target))} "
                    f"already written for an earlier input"))
        try:
            write_outcome(outcome, options, out, out_dir, many, report)
            if target is not None and outcome.ok:
                written[target] = item.path
        except OSError as exc:
            if out_dir is None or isinstance(exc, BrokenPipeError):
                raise  # stdout itself failed: the caller stops the run
            target = output_path(out_dir, outcome.input, EXTENSIONS[options.fmt])
            outcome = Outcome(item, error=error_record(
                display_name(item.name), "write",
                f"cannot write {display_name(str(target))}: {describe_os_error(exc)}"))
            write_outcome(outcome, options, out, out_dir, many, report)
        if not outcome.ok:
            tally.failed += 1
            tally.failures.append(item.name)
        elif outcome.document is not None and outcome.document.kind == KIND_NONE:
            tally.none += 1
        else:
            tally.ok += 1
    return tally
