"""The ``forumclean threads`` command: whole threads from many pages (a shell over
``forumclean.extract_many`` and ``forumclean.threads``)."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from .batch import Outcome, extract_many
from .inputs import Input, display_name, expand, read_list
from .model import Document, Thread
from .render import render, render_text
from .threads import threads
from .threads.group import DEFAULT_MEMORY

if TYPE_CHECKING:
    from .cli import InputSpec

THREADS_HELP = """Merge the pages of each thread into one record: every post once, in floor order.

PATHS are taken as by 'extract': files, directories, '-' for stdin, WARC files (one input per
HTML response record). A thread's pages may come in any order and views (desktop, touch, simple,
archiver, print, text dumps, the same page fetched twice). Pages are grouped by site and thread id
in bounded memory (--max-memory; past it they are spilled to disk by thread key).

Each record: the thread's title, site, forum, thread_id, url (page 1), source_urls, 'pages' (the
pages read, with their inputs), 'posts' (each with 'from_page', the page it was taken from),
'complete', 'missing_pages', 'missing_floors' and 'warnings'. A page that states no address (a print
view or text dump saved as a file) joins the one thread of its title whose posts it shares; a
page whose thread cannot be told otherwise is a thread of its own ("complete": false, the
reason in 'warnings'). An input that fails is one line on stderr and, in JSON output, an error record.

Exit status: 0 all inputs read, 1 some input failed, 2 usage error, 130 stopped by SIGINT,
141 output pipe closed. --unordered takes pages as they are cleaned (two fetches of a page with
no fetch time are then ordered by chance); --progress is not shown.

\b
Examples:
  forumclean threads crawl/ > threads.jsonl
  forumclean threads --format text thread-8801-*.html
  find crawl -name '*.warc.gz' | forumclean threads --files-from - -j 4 > threads.jsonl
"""


def register(main: click.Group) -> None:
    """Add the ``threads`` command to the ``forumclean`` group."""
    main.add_command(threads_cmd)


def _input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The shared PATHS and input options of every page command (``cli.input_options``)."""
    from .cli import input_options

    return input_options(command)


@click.command("threads", help=THREADS_HELP)
@_input_options
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "json", "text"]), default="jsonl",
              show_default=True, help="Output format (text: each thread as 'extract' prints a page).")
@click.option("--max-memory", type=click.IntRange(min=1), default=DEFAULT_MEMORY // (1024 * 1024),
              show_default=True, metavar="MB", help="Pages held while grouping before spilling to disk.")
def threads_cmd(spec: InputSpec, fmt: str, max_memory: int) -> None:
    out = sys.stdout
    failed = 0

    def pages(outcomes: Iterator[Outcome]) -> Iterator[Document]:
        nonlocal failed
        for outcome in outcomes:
            if outcome.ok:
                yield outcome.document
                continue
            failed += 1
            if not spec.quiet:
                click.echo(f"forumclean: {display_name(outcome.input.name)}: {outcome.error['error']['message']}",
                           err=True)
            if fmt != "text":
                _write(out, render(outcome.error, fmt))

    outcomes = extract_many(_inputs(spec), jobs=spec.jobs or None, ordered=not spec.unordered,
                            timeout=spec.timeout or None, options=spec.options())
    try:
        for thread in threads(pages(outcomes), max_memory=max_memory * 1024 * 1024):
            _write(out, render_thread(thread, fmt))
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)  # `| head`: end quietly, also at exit
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    sys.exit(1 if failed else 0)


def _inputs(spec: InputSpec) -> Iterator[Input]:
    """The inputs of the shared options: PATHS, then the --files-from list (stdin by default when
    it is not a terminal)."""
    from .cli import input_sources

    paths, listed = input_sources(spec)
    items = expand(paths)
    return itertools.chain(items, expand(read_list(listed))) if listed is not None else items


def render_thread(thread: Thread, fmt: str) -> str:
    """One thread's output: a JSON record, or the text view ``extract`` gives a page."""
    if fmt == "text":
        name = thread.key or (thread.pages[0].input if thread.pages else "?")
        return f"==> {display_name(str(name))} <==\n{render_text(thread.as_document())}\n"
    return render(thread.to_dict(), fmt)


def _write(out, text: str) -> None:
    out.write(text)
    out.flush()
