"""The ``forumclean threads`` command: whole threads from many pages (a shell over
``forumclean.extract_many`` and ``forumclean.threads``)."""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator

import click

from .batch import DEFAULT_TIMEOUT, Outcome, extract_many
from .families import all_families
from .inputs import display_name, expand, read_list
from .model import Document, Thread
from .render import render_text
from .threads import threads
from .threads.group import DEFAULT_MEMORY

THREADS_HELP = """Merge the pages of each thread into one record: every post once, in floor order.

PATHS are taken as by 'extract': files, directories, '-' for stdin, WARC files (one input per
HTML response record). A thread's pages may come in any order and views (desktop, touch, simple,
archiver, print, text dumps, the same page fetched twice). Pages are grouped by site and thread id
in bounded memory (--max-memory; past it they are spilled to disk by thread key).

Each record: the thread's title, site, forum, thread_id, url (page 1), source_urls, 'pages' (the
pages read, with their inputs), 'posts' (each with 'from_page', the page it was taken from),
'complete', 'missing_pages', 'missing_floors' and 'warnings'. A page whose site or thread cannot
be told is a thread of its own ("complete": false, the reason in 'warnings'). An input that
fails is one line on stderr and, in JSON output, an error record.

Exit status: 0 all inputs read, 1 some input failed, 2 usage error, 130 stopped by SIGINT,
141 output pipe closed.

\b
Examples:
  forumclean threads crawl/ > threads.jsonl
  forumclean threads --format text thread-8801-*.html
  find crawl -name '*.warc.gz' | forumclean threads --files-from - -j 4 > threads.jsonl
"""


def register(main: click.Group) -> None:
    """Add the ``threads`` command to the ``forumclean`` group."""
    main.add_command(threads_cmd)


@click.command("threads", help=THREADS_HELP)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "json", "text"]), default="jsonl",
              show_default=True, help="Output format (text: each thread as 'extract' prints a page).")
@click.option("--files-from", type=click.File("rb"), default=None,
              help="Read input paths from this file ('-' for stdin); newline- or NUL-separated.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              help="Worker processes cleaning pages (default 0: all cores).")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SEC", help="Time limit per page; 0: no limit.")
@click.option("--max-memory", type=click.IntRange(min=1), default=DEFAULT_MEMORY // (1024 * 1024),
              show_default=True, metavar="MB", help="Pages held while grouping before spilling to disk.")
@click.option("--input-format", type=click.Choice(["auto", "html", "text"]), default="auto",
              show_default=True, help="Force reading inputs as HTML or as a plain-text dump.")
@click.option("--family", type=click.Choice([f.name for f in all_families()]), default=None,
              help="Force a page family (e.g. discuz-x).")
@click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr but usage errors.")
def threads_cmd(paths: tuple[str, ...], fmt: str, files_from, jobs: int, timeout: float, max_memory: int,
                input_format: str, family: str | None, quiet: bool) -> None:
    if files_from is not None and files_from.name in ("-", "<stdin>") and "-" in paths:
        raise click.UsageError("stdin cannot be both a page ('-') and the --files-from list")
    items = expand(list(paths) or ([] if files_from is not None else ["-"]))
    if files_from is not None:
        items = itertools.chain(items, expand(read_list(files_from)))
    out = sys.stdout
    failed = 0

    def pages(outcomes: Iterator[Outcome]) -> Iterator[Document]:
        nonlocal failed
        for outcome in outcomes:
            if outcome.ok:
                yield outcome.document
                continue
            failed += 1
            if not quiet:
                click.echo(f"forumclean: {display_name(outcome.input.name)}: {outcome.error['error']['message']}",
                           err=True)
            if fmt != "text":
                _write(out, _json(outcome.error, fmt))

    outcomes = extract_many(items, jobs=jobs or None, timeout=timeout or None, input_format=input_format,
                            family=family)
    try:
        for thread in threads(pages(outcomes), max_memory=max_memory * 1024 * 1024):
            _write(out, render_thread(thread, fmt))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)  # `| head`: end quietly, also at exit
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    sys.exit(1 if failed else 0)


def render_thread(thread: Thread, fmt: str) -> str:
    """One thread's output: a JSON record, or the text view ``extract`` gives a page."""
    if fmt == "text":
        name = thread.key or (thread.pages[0].input if thread.pages else "?")
        return f"==> {display_name(str(name))} <==\n{render_text(thread.as_document())}\n"
    return _json(thread.to_dict(), fmt)


def _json(record: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(record, ensure_ascii=False) + "\n"


def _write(out, text: str) -> None:
    out.write(text)
    out.flush()
