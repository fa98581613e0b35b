"""The ``forumclean`` command: a thin shell over the library (``forumclean.extract``)."""

from __future__ import annotations

import functools
import itertools
import json
import os
import signal
import sys

import click

from . import __version__
from .batch import DEFAULT_TIMEOUT, Options, check_options, describe_os_error, run_batch
from .errors import ForumcleanError
from .families import all_families
from .inputs import count_inputs, display_name, expand, read_list
from .render import FORMATS
from .warc import is_warc_path

EXTRACT_HELP = """Clean Discuz! pages (HTML or plain-text dumps) into text or JSON.

PATHS are files, directories (their .html/.htm/.txt files) or '-' for stdin (the default when
no path is given). A WARC file (.warc, .warc.gz; needs the 'warc' extra) gives one input per
HTML response record, named PATH#OFFSET. Batches run on all cores (-j), stream in bounded memory
and keep the input order on stdout. Each failure is reported on stderr as one line (and as a
record in JSON output); the other inputs go on. A progress bar and a closing summary line are
shown on stderr when it is a terminal that the results do not go to (-q: never).

Exit status: 0 all inputs cleaned, 1 some input failed, 2 usage error,
130/143 stopped by SIGINT/SIGTERM, 141 output pipe closed.

\b
Examples:
  forumclean extract page.html
  forumclean extract --format json page.html
  forumclean extract --format jsonl crawl/ > pages.jsonl
  cat page.html | forumclean extract -
  forumclean extract -o cleaned/ crawl/
  forumclean extract --format jsonl crawl.warc.gz > pages.jsonl
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
@click.option("--files-from", type=click.Path(allow_dash=True, dir_okay=False), default=None,
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
@click.option("--family", type=click.Choice([f.name for f in all_families()]), default=None,
              help="Force a page family (e.g. discuz-x).")
@click.option("--url", default=None,
              help="The address the page came from, when it states none (a WARC record's own wins).")
def extract_cmd(paths: tuple[str, ...], fmt: str, output_dir: str | None, files_from, jobs: int,
                unordered: bool, skip_existing: bool, timeout: float, progress: bool | None,
                summary: bool, quiet: bool, input_format: str, family: str | None,
                url: str | None) -> None:
    files_from = _open_list(files_from) if files_from is not None else None
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
    many = files_from is not None or len(all_paths) > 1 or any(
        p != "-" and (_is_dir(p) or is_warc_path(p)) for p in all_paths)

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


DIFF_HELP = """Show what cleaning removed from a page, and why.

One page (a file or '-'): its text in reading order, removed runs with their reason, kept body
text, and text read into metadata (title, author, time, source line...). On a terminal the view
is coloured; piped, each row starts with a marker: '- [reason] text' (removed), '+ text' (kept
as body), '= [role] text' (read into metadata), '@ post N ...' where a post starts.

With --summary, PATHS are files, directories or '-' and the output is one row per page (family,
posts, characters kept/metadata/removed, share removed, warnings), suspect pages first: a table
on a terminal, TSV when piped.

\b
Examples:
  forumclean diff page.html
  forumclean diff page.html | grep '^- '
  forumclean diff --format unified page.html | delta
  forumclean diff --format json page.html
  forumclean diff --summary crawl/ | head
  find crawl -name '*.html' | forumclean diff --summary --files-from - --format jsonl
"""

PAGE_FORMATS = ("auto", "plain", "color", "unified", "json")
SUMMARY_FORMATS = ("auto", "table", "tsv", "jsonl")


@main.command("diff", help=DIFF_HELP)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--summary", is_flag=True, help="One row per page instead of one page's text.")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(set(PAGE_FORMATS + SUMMARY_FORMATS))),
              default="auto", show_default=True,
              help="Page view: plain, color, unified, json. Summary: table, tsv, jsonl. "
                   "auto: color/table on a terminal, plain/tsv when piped.")
@click.option("-U", "--context", type=click.IntRange(0), default=3, show_default=True,
              help="Context lines of the unified diff.")
@click.option("--files-from", type=click.File("rb"), default=None,
              help="Read input paths from this file ('-' for stdin); newline- or NUL-separated.")
@click.option("--input-format", type=click.Choice(["auto", "html", "text"]), default="auto",
              show_default=True, help="Force reading inputs as HTML or as a plain-text dump.")
@click.option("--family", default=None, help="Force a page family (e.g. discuz-x).")
@click.option("--url", default=None, help="The address the page came from, when it states none.")
def diff_cmd(paths: tuple[str, ...], summary: bool, fmt: str, context: int, files_from,
             input_format: str, family: str | None, url: str | None) -> None:
    from . import diff

    listed = list(read_list(files_from)) if files_from is not None else []
    all_paths = list(paths) + listed
    out = sys.stdout
    tty = out.isatty()
    kwargs = {"input_format": input_format, "family": family, "url": url}
    if summary:
        if fmt not in SUMMARY_FORMATS:
            raise click.UsageError(f"--summary takes --format {', '.join(SUMMARY_FORMATS)}")
        rows = diff.sort_rows(diff.summary_row(item, **kwargs) for item in expand(all_paths or ["-"]))
        for r in rows:
            if r.error:
                click.echo(f"forumclean: {r.input}: {r.error}", err=True)
        if fmt == "table" or (fmt == "auto" and tty):
            diff.summary_table(rows, _console(out))
        elif fmt == "jsonl":
            diff.summary_jsonl(rows, out)
        else:
            diff.summary_tsv(rows, out)
        sys.exit(1 if any(r.error for r in rows) else 0)

    if fmt not in PAGE_FORMATS:
        raise click.UsageError(f"a page view takes --format {', '.join(PAGE_FORMATS)} (or use --summary)")
    if len(all_paths) > 1:
        raise click.UsageError("diff shows one page; use --summary for many")
    item = next(expand(all_paths or ["-"]), None)
    if item is None:
        raise click.UsageError(f"no page file in {all_paths[0]}")
    name = display_name(item.name)
    try:
        result = diff.explain_input(item, **kwargs)
    except OSError as exc:
        click.echo(f"forumclean: {name}: cannot read: {describe_os_error(exc)}", err=True)
        sys.exit(1)
    except ForumcleanError as exc:
        click.echo(f"forumclean: {name}: {exc}", err=True)
        sys.exit(1)
    if fmt == "unified":
        out.write(diff.unified(result, name, context=context))
    elif fmt == "json":
        out.write(json.dumps(diff.to_json(result, name), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "color" or (fmt == "auto" and tty):
        diff.render_rich(result.document, diff.rows(result.blocks), _console(out, force=True), name)
    else:
        out.write(diff.render_plain(result.document, diff.rows(result.blocks)))


def _console(out, force: bool = False):
    from rich.console import Console

    return Console(file=out, force_terminal=True if force else None, highlight=False)


def _open_list(path: str):
    """The ``--files-from`` stream; an unreadable list (or a closed stdin) is a usage error."""
    if path == "-":
        if sys.stdin is None:
            raise click.UsageError("--files-from -: standard input is closed")
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 - read lazily by the batch, closed at exit
    except OSError as exc:
        raise click.UsageError(f"--files-from {path}: {describe_os_error(exc)}") from None


def _is_dir(path: str) -> bool:
    return os.path.isdir(path)


# The threads command lives in its own module.
from .cli_threads import register as _register_threads  # noqa: E402

_register_threads(main)


if __name__ == "__main__":
    main()
