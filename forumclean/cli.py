"""The ``forumclean`` command: a thin shell over the library (``forumclean.extract``)."""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from .batch import Options, describe_os_error, run_batch
from .errors import ForumcleanError
from .families import all_families
from .inputs import display_name, expand, read_list
from .render import FORMATS
from .warc import is_warc_path

EXTRACT_HELP = """Clean Discuz! pages (HTML or plain-text dumps) into text or JSON.

PATHS are files, directories (their .html/.htm/.txt files) or '-' for stdin (the default when
no path is given). A WARC file (.warc, .warc.gz; needs the 'warc' extra) gives one input per
HTML response record, named PATH#OFFSET. Each failure is reported on stderr as one line; the
other inputs go on.

Exit status: 0 all inputs cleaned, 1 some input failed, 2 usage error.

\b
Examples:
  forumclean extract page.html
  forumclean extract --format json page.html
  forumclean extract --format jsonl crawl/ > pages.jsonl
  cat page.html | forumclean extract -
  forumclean extract -o cleaned/ crawl/
  forumclean extract --format jsonl crawl.warc.gz > pages.jsonl
  find crawl -name '*.html' -print0 | forumclean extract --files-from - --format jsonl
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
@click.option("--input-format", type=click.Choice(["auto", "html", "text"]), default="auto",
              show_default=True, help="Force reading inputs as HTML or as a plain-text dump.")
@click.option("--family", type=click.Choice([f.name for f in all_families()]), default=None,
              help="Force a page family (e.g. discuz-x).")
@click.option("--url", default=None,
              help="The address the page came from, when it states none (a WARC record's own wins).")
def extract_cmd(paths: tuple[str, ...], fmt: str, output_dir: str | None, files_from, input_format: str,
                family: str | None, url: str | None) -> None:
    listed = list(read_list(files_from)) if files_from is not None else []
    all_paths = list(paths) + listed
    if not all_paths:
        all_paths = ["-"]
    options = Options(fmt=fmt, input_format=input_format, family=family, url=url)
    items = expand(all_paths)
    many = len(all_paths) > 1 or any(p != "-" and (_is_dir(p) or is_warc_path(p)) for p in all_paths)

    def report(msg: str) -> None:
        click.echo(f"forumclean: {msg}", err=True)

    tally = run_batch(items, options, out=sys.stdout, out_dir=output_dir, many=many,
                      report=report)
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


def _is_dir(path: str) -> bool:
    import os

    return os.path.isdir(path)


if __name__ == "__main__":
    main()
