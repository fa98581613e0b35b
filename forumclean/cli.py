"""The ``forumclean`` command: a thin shell over the library (``forumclean.extract``)."""

from __future__ import annotations

import sys

import click

from . import __version__
from .batch import Options, run_batch
from .inputs import expand, read_list
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
@click.option("--family", default=None, help="Force a page family (e.g. discuz-x).")
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

    tally = run_batch(items, options, out=click.get_text_stream("stdout"), out_dir=output_dir, many=many,
                      report=report)
    sys.exit(1 if tally.failed else 0)


def _is_dir(path: str) -> bool:
    import os

    return os.path.isdir(path)


if __name__ == "__main__":
    main()
