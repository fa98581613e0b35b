"""The ``forumclean`` command: a thin shell over the library (``forumclean.extract``)."""

from __future__ import annotations

import functools
import itertools
import os
import signal
import sys

import click

from . import __version__
from .batch import DEFAULT_TIMEOUT, Options, check_options, run_batch
from .inputs import count_inputs, expand, read_list
from .render import FORMATS

EXTRACT_HELP = """Clean Discuz! pages (HTML or plain-text dumps) into text or JSON.

PATHS are files, directories (their .html/.htm/.txt files) or '-' for stdin (the default when
no path is given). Batches run on all cores (-j), stream in bounded memory and keep the input
order on stdout. Each failure is reported on stderr as one line (and as a record in JSON
output); the other inputs go on. A progress bar and a closing summary line are shown on stderr
when it is a terminal that the results do not go to (-q: never).

\b
Exit status: 0 all inputs cleaned, 1 some input failed, 2 usage error,
130/143 stopped by SIGINT/SIGTERM, 141 output pipe closed.

\b
Examples:
  forumclean extract page.html
  forumclean extract --format json page.html
  forumclean extract --format jsonl crawl/ > pages.jsonl
  cat page.html | forumclean extract -
  forumclean extract -o cleaned/ crawl/
  forumclean extract -o cleaned/ --skip-existing crawl/     # resume
  find crawl -name '*.html' -print0 | forumclean extract --files-from - -f jsonl
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="forumclean")
def main() -> None:
    """Turn scraped Discuz!-style forum pages into clean, structured text."""


@main.command("extract", help=EXTRACT_HELP)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), default=None,
              help="Write one output file per input here (layout of directory inputs kept).")
@click.option("--files-from", type=click.File("rb"), default=None,
              help="Read input paths from this file ('-' for stdin); newline- or NUL-separated.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              help="Worker processes (default 0: all cores). -j 1 --timeout 0 runs in-process.")
@click.option("--unordered", is_flag=True, help="Write results as they finish, not in input order.")
@click.option("--skip-existing", is_flag=True,
              help="With -o: skip inputs whose output file exists (resume a stopped batch).")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SEC", help="Time limit per page; a page over it becomes a 'timeout' error "
                                  "record. 0: no limit.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr [default: when stderr is a terminal and results do "
                   "not go to it].")
@click.option("--summary", is_flag=True,
              help="Print the closing summary line on stderr even when stderr is not a terminal.")
@click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr but usage errors.")
@click.option("--input-format", type=click.Choice(["auto", "html", "text"]), default="auto",
              show_default=True, help="Force reading inputs as HTML or as a plain-text dump.")
@click.option("--family", default=None, help="Force a page family (e.g. discuz-x).")
@click.option("--url", default=None, help="The address the page came from, when it states none.")
def extract_cmd(paths: tuple[str, ...], fmt: str, output_dir: str | None, files_from, jobs: int,
                unordered: bool, skip_existing: bool, timeout: float, progress: bool | None,
                summary: bool, quiet: bool, input_format: str, family: str | None,
                url: str | None) -> None:
    list_is_stdin = files_from is not None and files_from.name in ("-", "<stdin>")
    if list_is_stdin and "-" in paths:
        raise click.UsageError("stdin cannot be both a page ('-') and the --files-from list")
    if skip_existing and output_dir is None:
        raise click.UsageError("--skip-existing needs -o/--output-dir")
    all_paths = list(paths) or ([] if files_from is not None else ["-"])
    options = Options(fmt=fmt, input_format=input_format, family=family, url=url)
    try:
        check_options(options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    items = expand(all_paths)
    if files_from is not None:
        items = itertools.chain(items, expand(read_list(files_from)))
    many = files_from is not None or len(all_paths) > 1 or any(p != "-" and _is_dir(p) for p in all_paths)

    if progress is None:  # a bar for a person watching the terminal, not mixed into results shown there
        progress = sys.stderr.isatty() and (output_dir is not None or not sys.stdout.isatty())
    show_progress = progress and not quiet
    bar = None
    if show_progress:
        from .progress import BatchProgress

        list_file = None if files_from is None or list_is_stdin else files_from.name
        bar = BatchProgress(count=functools.partial(count_inputs, all_paths, list_file))

    def report(msg: str) -> None:
        if quiet:
            return
        if bar is not None:
            bar.note(f"forumclean: {msg}")
        else:
            click.echo(f"forumclean: {msg}", err=True)

    try:
        tally = run_batch(items, options, out=sys.stdout, out_dir=output_dir, many=many, report=report,
                          jobs=jobs or None, ordered=not unordered, timeout=timeout or None,
                          skip_existing=skip_existing, progress=bar, handle_signals=True)
    finally:
        if bar is not None:
            bar.close()
    if tally.stopped == "EPIPE":
        # The reader left (`| head`): end quietly, and keep Python's exit flush from complaining.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    if not quiet and (show_progress or summary or tally.stopped):
        prefix = f"stopped by {tally.stopped}: " if tally.stopped else ""
        click.echo(f"forumclean: {prefix}{tally.summary()}", err=True)
    if tally.stopped:
        sys.exit(128 + getattr(signal, tally.stopped))
    sys.exit(1 if tally.failed else 0)


def _is_dir(path: str) -> bool:
    return os.path.isdir(path)


if __name__ == "__main__":
    main()
