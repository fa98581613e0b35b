"""Running many inputs: one outcome per input, written atomically, the run goes on past failures."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
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
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
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
    except ForumcleanError as exc:  # a damaged WARC record, a missing optional extra
        return Outcome(item, error=error_record(name, exc.kind, str(exc)))
    try:
        result = run(data, url=item.url or options.url, input_name=name, input_format=options.input_format,
                     family=options.family, http_charset=item.http_charset, fetched_at=item.fetched_at)
    except ForumcleanError as exc:
        return Outcome(item, error=error_record(name, exc.kind, str(exc)))
    except RecursionError:
        return Outcome(item, error=error_record(name, "parse", "page nesting too deep"))
    return Outcome(item, document=result.document)


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".forumclean-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
    for item in items:
        outcome = process(item, options)
        write_outcome(outcome, options, out, out_dir, many, report)
        if not outcome.ok:
            tally.failed += 1
            tally.failures.append(item.name)
        elif outcome.document is not None and outcome.document.kind == KIND_NONE:
            tally.none += 1
        else:
            tally.ok += 1
    return tally
