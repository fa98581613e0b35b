"""The ``forumclean`` command: a thin shell over the library (``forumclean.extract``) and the
batch engine (``forumclean.batch``).

Every command that reads pages takes them the same way: the shared ``input_options`` (PATHS,
``--files-from``, ``-j``, ``--timeout``, ``--input-format``, ``--family``, ``--url``,
``--progress``, ``-q``) give it an ``InputSpec``, and ``run_pages`` runs a per-page job over
them on the batch engine, with the same progress bar, failure lines and exit codes.
"""

from __future__ import annotations

import functools
import itertools
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from . import __version__
from .batch import DEFAULT_TIMEOUT, Options, Outcome, Tally, check_options, run_batch
from .families import all_families
from .inputs import InputFiles, count_inputs, display_name, expand, read_list
from .render import FORMATS
from .warc import is_warc_path

EXIT_HELP = """Exit status: 0 all inputs done, 1 some input failed, 2 usage error,
130/143 stopped by SIGINT/SIGTERM, 141 output pipe closed."""

EXTRACT_HELP = f"""Clean Discuz! pages (HTML or plain-text dumps) into text or JSON.

PATHS are files, directories (their pages, found by name or by content) or '-' for stdin (the
default when stdin is not a terminal). A WARC file (.warc, .warc.gz; needs the 'warc' extra)
gives one input per HTML response record, named PATH#OFFSET (a name accepted back as a PATH).
Batches run on all cores (-j), stream in bounded memory and keep the input order on stdout.
Each failure is reported on stderr as one line (and as a record in JSON output); the other
inputs go on. A progress bar and a closing summary line are shown on stderr when it is a
terminal that the results do not go to (-q: never). An input is never overwritten: -o inside an
input folder is left out of it.

{EXIT_HELP}

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


class _Main(click.Group):
    """Ctrl-C ends every command with status 130 (click's own handling prints "Aborted!", 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("forumclean: stopped by SIGINT", err=True)
            sys.exit(128 + signal.SIGINT)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="forumclean")
def main() -> None:
    """Turn scraped Discuz!-style forum pages into clean, structured text."""


# -- the inputs every page command takes -------------------------------------------------------

@dataclass
class InputSpec:
    """What the shared input options said."""

    paths: tuple[str, ...]
    files_from: str | None
    jobs: int
    unordered: bool
    timeout: float
    input_format: str
    family: str | None
    url: str | None
    progress: bool | None
    quiet: bool

    def options(self, fmt: str = "text") -> Options:
        options = Options(fmt=fmt, input_format=self.input_format, family=self.family, url=self.url)
        try:
            check_options(options)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        return options


_INPUT_OPTIONS = [
    click.argument("paths", nargs=-1, type=click.Path(allow_dash=True)),
    click.option("--files-from", type=click.Path(allow_dash=True, dir_okay=False), default=None,
                 help="Read input paths from this file ('-' for stdin); newline- or NUL-separated."),
    click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
                 help="Worker processes (default 0: all cores). -j 1 --timeout 0 runs in-process."),
    click.option("--unordered", is_flag=True, help="Write results as they finish, not in input order."),
    click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
                 metavar="SEC", help="Time limit per page; a page over it becomes a 'timeout' error "
                                     "record. 0: no limit."),
    click.option("--input-format", type=click.Choice(["auto", "html", "text"]), default="auto",
                 show_default=True, help="Force reading inputs as HTML or as a plain-text dump."),
    click.option("--family", type=click.Choice([f.name for f in all_families()]), default=None,
                 help="Force a page family (e.g. discuz-x)."),
    click.option("--url", default=None,
                 help="The address the page came from, when it states none (a WARC record's own wins)."),
    click.option("--progress/--no-progress", default=None,
                 help="Show a progress bar on stderr [default: when stderr is a terminal and results "
                      "do not go to it]."),
    click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr but usage errors."),
]
_INPUT_NAMES = ("paths", "files_from", "jobs", "unordered", "timeout", "input_format", "family", "url",
                "progress", "quiet")


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """PATHS and the input options, handed to ``command`` as one ``InputSpec`` argument."""

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        spec = InputSpec(**{name: kwargs.pop(name) for name in _INPUT_NAMES})
        return command(spec, **kwargs)

    for decorator in reversed(_INPUT_OPTIONS):
        wrapper = decorator(wrapper)
    return wrapper


def run_pages(spec: InputSpec, options: Options, *, output_dir: str | None = None,
              skip_existing: bool = False, job: Callable[[Any, Options], Outcome] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, array: bool = False,
              live_stdout: bool = True, exclude: Callable[[Any], bool] | None = None
              ) -> tuple[Tally, bool]:
    """Run a command's per-page job (``job``; default: cleaning) over the inputs of ``spec``.
    Returns the tally and whether a progress bar was shown. ``live_stdout``: results reach
    stdout as they come (no bar over them on a terminal). ``exclude``: inputs to leave out (a
    command's own output file met in a folder it reads)."""
    all_paths, files_from = input_sources(spec)
    list_is_stdin = files_from is not None and spec.files_from == "-"
    input_files = None
    if output_dir is not None:
        _check_output_dir(output_dir, all_paths)
        input_files = InputFiles()
        for p in all_paths:
            input_files.add(p)
    left_out: Counter = Counter()
    items: Any = expand(all_paths, output_dir, left_out)
    if files_from is not None:
        listed: Any = read_list(files_from)
        if input_files is not None:
            listed = map(input_files.add, listed)
        items = itertools.chain(items, expand(listed, output_dir, left_out))
    if exclude is not None:
        items = itertools.filterfalse(exclude, items)
    many = is_many(spec)

    progress = spec.progress
    if progress is None:  # a bar for a person watching the terminal, not mixed into results shown there
        progress = sys.stderr.isatty() and (output_dir is not None or not live_stdout
                                            or not sys.stdout.isatty())
    bar = None
    if progress and not spec.quiet:
        from .progress import BatchProgress

        list_file = None if files_from is None or list_is_stdin else spec.files_from
        bar = BatchProgress(count=functools.partial(count_inputs, all_paths, list_file, output_dir))

    def report(msg: str) -> None:
        if spec.quiet:
            return
        if bar is not None:
            bar.note(f"forumclean: {msg}")
        else:
            click.echo(f"forumclean: {msg}", err=True)

    try:
        tally = run_batch(items, options, out=sys.stdout, out_dir=output_dir, many=many, report=report,
                          jobs=spec.jobs or None, ordered=not spec.unordered, timeout=spec.timeout or None,
                          skip_existing=skip_existing, progress=bar, handle_signals=True,
                          input_files=input_files, job=job, on_outcome=on_outcome, array=array and many,
                          left_out=left_out)
    finally:
        if bar is not None:
            bar.close()
    return tally, bar is not None


def input_sources(spec: InputSpec) -> tuple[list[str], Any]:
    """The PATHS of ``spec`` and its opened ``--files-from`` list (None without one); stdin is
    the one page when neither names any and it is not a terminal."""
    files_from = _open_list(spec.files_from) if spec.files_from is not None else None
    if files_from is not None and spec.files_from == "-" and "-" in spec.paths:
        raise click.UsageError("stdin cannot be both a page ('-') and the --files-from list")
    paths = list(spec.paths)
    if not paths and files_from is None:
        if sys.stdin is not None and sys.stdin.isatty():
            raise click.UsageError("no input: give PATHS or --files-from LIST, or pipe a page in")
        paths = ["-"]
    return paths, files_from


def is_many(spec: InputSpec) -> bool:
    """Whether the inputs may be several pages (outputs then name each)."""
    return spec.files_from is not None or len(spec.paths) > 1 or any(
        p != "-" and (os.path.isdir(p) or is_warc_path(p)) for p in spec.paths)


def finish(spec: InputSpec, tally: Tally, summary_line: bool) -> None:
    """Exit as every page command does: the summary line, then the status."""
    if tally.stopped == "EPIPE":
        # The reader left (`| head`): end quietly, and keep Python's exit flush from complaining.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    if not spec.quiet and (summary_line or tally.stopped):
        prefix = f"stopped by {tally.stopped}: " if tally.stopped else ""
        click.echo(f"forumclean: {prefix}{tally.summary()}", err=True)
    if tally.stopped:
        sys.exit(128 + getattr(signal, tally.stopped))
    sys.exit(1 if tally.failed else 0)


# -- extract -------------------------------------------------------------------------------------

@main.command("extract", help=EXTRACT_HELP)
@input_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format (json: one document, or one array of them for several inputs).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), default=None,
              help="Write one output file per input here (layout of directory inputs kept).")
@click.option("--skip-existing", is_flag=True,
              help="With -o: skip inputs whose output file exists (resume a stopped batch).")
@click.option("--summary", is_flag=True,
              help="Print the closing summary line on stderr even when stderr is not a terminal.")
def extract_cmd(spec: InputSpec, fmt: str, output_dir: str | None, skip_existing: bool,
                summary: bool) -> None:
    if skip_existing and output_dir is None:
        raise click.UsageError("--skip-existing needs -o/--output-dir")
    tally, shown = run_pages(spec, spec.options(fmt), output_dir=output_dir, skip_existing=skip_existing,
                             array=fmt == "json")
    finish(spec, tally, shown or summary)


# -- diff ----------------------------------------------------------------------------------------

DIFF_HELP = f"""Show what cleaning removed from pages, and why.

PATHS are taken as by 'extract' (files, directories, WARC files and records, --files-from, '-').
Each page: its text in reading order, removed runs with their reason, kept body text, and text
read into metadata (title, author, time, source line...); several pages one after another,
each under a '==> NAME <==' header. On a terminal the view is coloured; piped, each row starts
with a marker: '- [reason] text' (removed), '+ text' (kept as body), '= [role] text' (read into
metadata), '@ post N ...' where a post starts.

With --summary the output is one row per page (family, posts, characters kept/metadata/removed,
share removed, warnings), suspect pages first (--no-sort: in input order, as they come): a table
on a terminal, TSV when piped.

With --report FILE.html: one self-contained HTML file to open in a browser (no network
needed): the summary rows, sortable and filterable, a histogram of the share removed, and each
page's text with removed runs struck through under their reason.

{EXIT_HELP}

\b
Examples:
  forumclean diff page.html
  forumclean diff page.html | grep '^- '
  forumclean diff --format unified page.html | delta
  forumclean diff --format json page.html
  forumclean diff crawl.warc.gz | less -R
  forumclean diff --summary -j 2 crawl/ | head
  find crawl -name '*.html' | forumclean diff --summary --files-from - --format jsonl
  forumclean diff --report report.html crawl/
"""

PAGE_FORMATS = ("auto", "plain", "color", "unified", "json")
SUMMARY_FORMATS = ("auto", "table", "tsv", "jsonl")


@main.command("diff", help=DIFF_HELP)
@input_options
@click.option("--summary", is_flag=True, help="One row per page instead of each page's text.")
@click.option("--sort/--no-sort", default=True, show_default=True,
              help="--summary: suspect pages first (the rows come at the end), or as they come.")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(set(PAGE_FORMATS + SUMMARY_FORMATS))),
              default="auto", show_default=True,
              help="Page view: plain, color, unified, json. Summary: table, tsv, jsonl. "
                   "auto: color/table on a terminal, plain/tsv when piped.")
@click.option("-U", "--context", type=click.IntRange(0), default=3, show_default=True,
              help="Context lines of the unified diff.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, allow_dash=False), default=None,
              metavar="FILE.html", help="Write an HTML audit report of all the pages to this file.")
def diff_cmd(spec: InputSpec, summary: bool, sort: bool, fmt: str, context: int,
             report_path: str | None) -> None:
    from . import diff

    tty = sys.stdout.isatty()
    if report_path is not None:
        if summary or fmt != "auto":
            raise click.UsageError("--report writes its own file; it takes no --summary or --format")
        _diff_report(spec, report_path)
    if summary:
        if fmt not in SUMMARY_FORMATS:
            raise click.UsageError(f"--summary takes --format {', '.join(SUMMARY_FORMATS)}")
        fmt = "table" if fmt == "table" or (fmt == "auto" and tty) else fmt
        fmt = "tsv" if fmt == "auto" else fmt
        streamed = fmt != "table" and not sort
        rows: list = []
        if fmt == "tsv":
            diff.summary_tsv([], sys.stdout)  # the header line
            sys.stdout.flush()
        view = diff.View("summary-" + fmt if streamed else "summary")

        def collect(outcome: Outcome) -> None:
            rows.append(outcome.extra.row)

        tally, shown = run_pages(spec, spec.options(), job=functools.partial(diff.page_job, view=view),
                                 on_outcome=collect, live_stdout=streamed)
        if not tally.stopped:
            try:
                if sort:
                    rows = diff.sort_rows(rows)
                if fmt == "table":
                    diff.summary_table(rows, _console(sys.stdout))
                elif not streamed and fmt == "jsonl":
                    diff.summary_jsonl(rows, sys.stdout)
                elif not streamed:
                    diff.summary_tsv(rows, sys.stdout, header=False)
                sys.stdout.flush()
            except BrokenPipeError:  # `| head`: as when the batch itself meets a closed pipe
                tally.stopped = "EPIPE"
        finish(spec, tally, shown)
        return

    if fmt not in PAGE_FORMATS:
        raise click.UsageError(f"a page view takes --format {', '.join(PAGE_FORMATS)} (or use --summary)")
    color = fmt == "color" or (fmt == "auto" and tty)
    width = _console(sys.stdout, force=True).width if color else None
    view = diff.View("color" if color else ("plain" if fmt == "auto" else fmt), context=context, width=width,
                     many=is_many(spec))
    tally, shown = run_pages(spec, spec.options(), job=functools.partial(diff.page_job, view=view),
                             array=fmt == "json")
    finish(spec, tally, shown)


def _diff_report(spec: InputSpec, report_path: str) -> None:
    """``diff --report``: every page's entry made by the batch engine's workers, written into the
    report file as it comes. The report never replaces an input: one left by an earlier run in a
    folder it reads is left out of the pages (and replaced); any other file is refused."""
    from . import report

    clobbered = report.clobbered_input(report_path, spec.paths)
    if clobbered is not None:
        raise click.UsageError(f"the report {display_name(report_path)} would overwrite the input "
                               f"{display_name(clobbered)}")
    target = os.path.realpath(report_path)
    listed_target: list[str] = []  # the report named in a --files-from list: refused at the end

    def is_report(item: Any) -> bool:
        if item.path is None or os.path.realpath(item.path) != target:
            return False
        if not report.is_own_report(item.path):
            listed_target.append(item.name)
        return True

    try:
        writer = report.ReportWriter(report_path)
    except report.ReportError as exc:
        raise click.UsageError(str(exc)) from None

    def add(outcome: Outcome) -> None:
        writer.add(outcome.extra)

    try:
        tally, shown = run_pages(spec, spec.options(), job=report.page_job, on_outcome=add,
                                 live_stdout=False, exclude=is_report)
        if tally.stopped or listed_target:
            writer.discard()
        else:
            writer.close()
    except OSError as exc:
        writer.discard()
        raise click.UsageError(f"cannot write the report {display_name(report_path)}: "
                               f"{exc.strerror or exc}") from None
    except BaseException:
        writer.discard()
        raise
    if listed_target:
        raise click.UsageError(f"the report {display_name(report_path)} would overwrite the input "
                               f"{display_name(listed_target[0])}")
    if not spec.quiet and not tally.stopped:
        stats = writer.stats
        pages = f"{stats.pages} page{'' if stats.pages == 1 else 's'}"
        click.echo(f"forumclean: report of {pages} ({stats.failed} failed), "
                   f"{stats.bytes / 1e6:.1f} MB: {display_name(report_path)}", err=True)
    finish(spec, tally, shown)


# -- helpers ---------------------------------------------------------------------------------------

def _console(out: Any, force: bool = False) -> Any:
    from rich.console import Console

    return Console(file=out, force_terminal=True if force else None, highlight=False)


def _open_list(path: str) -> Any:
    """The ``--files-from`` stream; an unreadable list (or a closed stdin) is a usage error."""
    if path == "-":
        if sys.stdin is None:
            raise click.UsageError("--files-from -: standard input is closed")
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 - read lazily by the batch, closed at exit
    except OSError as exc:
        from .batch import describe_os_error

        raise click.UsageError(f"--files-from {path}: {describe_os_error(exc)}") from None


def _check_output_dir(output_dir: str, paths: list[str]) -> None:
    """``-o`` naming an input folder would put each output beside its input and read it back next
    time: refused before anything is read or written."""
    real = os.path.realpath(output_dir)
    for p in paths:
        if p != "-" and os.path.isdir(p) and os.path.realpath(p) == real:
            raise click.UsageError(f"-o {display_name(output_dir)} is an input folder: "
                                   "choose an output folder apart from (or inside) it")


# The threads command lives in its own module.
from .cli_threads import register as _register_threads  # noqa: E402

_register_threads(main)


if __name__ == "__main__":
    main()
