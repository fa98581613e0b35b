"""The ``forumclean`` command: a thin shell over the library (``forumclean.extract``)."""

from __future__ import annotations

import os
import signal
import sys

import click

from . import __version__
from .batch import Options, run_batch
from .inputs import expand, read_list
from .render import FORMATS

EXTRACT_HELP = """Clean Discuz! pages (HTML or plain-text dumps) into text or JSON.

PATHS are files, directories (their .html/.htm/.txt files) or '-' for stdin (the default when
no path is given). Each failure is reported on stderr as one line; the other inputs go on.
Exit status: 0 all inputs cleaned, 1 some input failed, 2 usage error.

\b
Examples:
  forumclean extract page.html
  forumclean extract --format json page.html
  forumclean extract --format jsonl crawl/ > pages.jsonl
  cat page.html | forumclean extract -
  forumclean extract -o cleaned/ crawl/
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
@click.option("--files-from", type=click.Path(allow_dash=True, dir_okay=False), default=None,
              help="Read input paths from this file ('-' for stdin); newline- or NUL-separated.")
@click.option("--input-format", type=click.Choice(["auto", "html", "text"]), default="auto",
              show_default=True, help="Force reading inputs as HTML or as a plain-text dump.")
@click.option("--family", default=None, help="Force a page family (e.g. discuz-x).")
@click.option("--url", default=None, help="The address the page came from, when it states none.")
def extract_cmd(paths: tuple[str, ...], fmt: str, output_dir: str | None, files_from, input_format: str,
                family: str | None, url: str | None) -> None:
    listed = _listed_paths(files_from) if files_from is not None else []
    all_paths = list(paths) + listed
    if not all_paths:
        all_paths = ["-"]
    options = Options(fmt=fmt, input_format=input_format, family=family, url=url)
    items = expand(all_paths)
    many = len(all_paths) > 1 or any(p != "-" and _is_dir(p) for p in all_paths)

    def report(msg: str) -> None:
        click.echo(f"forumclean: {msg}", err=True)

    out = click.get_text_stream("stdout")
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        tally = run_batch(items, options, out=out, out_dir=output_dir, many=many, report=report)
        out.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly; what it read was whole records.
        _silence_stdout()
        sys.exit(1)
    except KeyboardInterrupt as exc:
        # SIGINT or SIGTERM: the output being written was removed; earlier ones are complete.
        how = "terminated" if isinstance(exc, Terminated) else "interrupted"
        _flush_quietly(out)
        report(how)
        sys.exit(143 if isinstance(exc, Terminated) else 130)
    except OSError as exc:
        _flush_quietly(out)
        report(f"cannot write output: {exc.strerror or exc}")
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.exit(1 if tally.failed else 0)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program stands so that cleanup runs as for Ctrl-C."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _flush_quietly(out) -> None:
    try:
        out.flush()
    except (OSError, ValueError):
        _silence_stdout()


def _listed_paths(source: str) -> list[str]:
    """Paths named by ``--files-from`` (a file, or ``-`` for stdin); usage error if unreadable."""
    try:
        if source == "-":
            if sys.stdin is None:
                raise OSError("standard input is closed")
            return list(read_list(sys.stdin.buffer))
        with open(source, "rb") as fh:
            return list(read_list(fh))
    except OSError as exc:
        raise click.BadParameter(f"cannot read {source}: {exc.strerror or exc}",
                                 param_hint="'--files-from'") from None


def _is_dir(path: str) -> bool:
    return os.path.isdir(path)


if __name__ == "__main__":
    main()
