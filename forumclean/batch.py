"""Running many inputs: every core, bounded memory, one outcome per input, nothing half-written.

``extract_many`` is the engine (and the library's batch API): it pulls inputs lazily from any
iterable, hands them to worker processes, and yields one ``Outcome`` per input, in input order
unless asked otherwise. At most a fixed window of inputs is in flight or waiting for its turn, so
memory stays flat however long the input list. A page that runs past the time limit, or a worker
that dies, becomes an error record and a fresh worker takes its place.

``run_batch`` is what the command line runs on top of it: where each outcome goes (stdout or its
own file, written atomically), resuming (``skip_existing``), the tally, Ctrl-C/SIGTERM/broken
pipes.
"""

from __future__ import annotations

import codecs
import errno
import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import IO, Any

from .errors import ForumcleanError, OutputClash
from .inputs import Input, InputFiles, display_name, file_key, output_path
from .model import KIND_NONE, Document, error_record
from .pipeline import Result, run
from .render import EXTENSIONS, render

#: Default per-page time limit, in seconds, for the command line and ``extract_many``.
DEFAULT_TIMEOUT = 30.0

OK, NONE, FAILED = "ok", "none", "failed"


@dataclass
class Options:
    fmt: str = "text"
    input_format: str = "auto"
    family: str | None = None
    url: str | None = None


@dataclass
class Outcome:
    """What one input gave: a document or an error record, and (batch rendering) its output text."""

    input: Input
    document: Document | None = None
    error: dict | None = None
    #: The rendered output in UTF-8, when the batch renders in its workers (the document is then
    #: dropped).
    data: bytes | None = None
    #: ``ok``, ``none`` (a page without posts) or ``failed``.
    status: str = OK
    #: The input's number in the batch (input order, from 0), when it ran in a batch.
    seq: int | None = None
    #: (temporary file, output file) when a worker wrote the output file (``-o``), for the main
    #: process to rename into place.
    output: tuple[str, str] | None = None
    #: What a job other than cleaning returns besides its output (``diff --summary``: the row).
    extra: Any = None

    @property
    def text(self) -> str | None:
        """The rendered output as text."""
        return None if self.data is None else self.data.decode("utf-8")

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def record(self) -> Document | dict:
        return self.document if self.document is not None else self.error


def describe_os_error(exc: OSError) -> str:
    # strerror first: it carries our own wording too ("broken symbolic link").
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    if exc.errno == errno.EISDIR:
        reason = "is a directory"
    return reason[:1].lower() + reason[1:]


def _failed(item: Input, kind: str, message: str) -> Outcome:
    return Outcome(item, error=error_record(display_name(item.name), kind, message), status=FAILED)


def run_input(item: Input, options: Options, *, full: bool = False,
              stdin: IO[bytes] | None = None) -> tuple[Result | None, Outcome]:
    """Read and run one input: the one place where a failure becomes an error record, never an
    exception. Returns the pipeline's result (None on failure) and the input's outcome."""
    name = display_name(item.name)
    try:
        data = item.read(stdin)
    except OSError as exc:
        return None, _failed(item, "read", f"cannot read: {describe_os_error(exc)}")
    except ForumcleanError as exc:  # a damaged WARC record, a missing optional extra, an output clash
        return None, _failed(item, exc.kind, str(exc))
    try:
        result = run(data, url=item.url or options.url, input_name=name, input_format=options.input_format,
                     family=options.family, http_charset=item.http_charset, fetched_at=item.fetched_at,
                     full=full)
    except ForumcleanError as exc:  # (too deep a nesting is a ParseError from ``run`` itself)
        return None, _failed(item, exc.kind, str(exc))
    except MemoryError:
        return None, _failed(item, "memory", "out of memory")
    except Exception as exc:  # a bug must not end a million-page batch: record it and go on
        return None, _internal(item, exc)
    doc = result.document
    return result, Outcome(item, document=doc, status=NONE if doc.kind == KIND_NONE else OK)


def process(item: Input, options: Options, stdin: IO[bytes] | None = None) -> Outcome:
    """Read and clean one input; every failure becomes an error record, never an exception."""
    return run_input(item, options, stdin=stdin)[1]


def _internal(item: Input, exc: Exception) -> Outcome:
    where = traceback.extract_tb(exc.__traceback__)[-1:]
    at = f" at {Path(where[0].filename).name}:{where[0].lineno}" if where else ""
    return _failed(item, "internal", f"internal error: {type(exc).__name__}: {exc}{at}")


# -- output files ----------------------------------------------------------------------------
#
# Never a half-written output: a worker writes each page's file under a temporary name in the
# same folder (``.forumclean-PID-N.tmp``: the batch's process id and the input's number, so the
# main process can always tell which temporary files are its own), and the main process renames
# it into place, in input order, with SIGINT/SIGTERM held back for the rename. Whatever is still
# temporary when the batch stops is removed.

def _tmp_path(target: str, tag: str, seq: int) -> str:
    return os.path.join(os.path.dirname(target), f"{tag}{seq}.tmp")


_made_dirs: set[str] = set()  # output folders this process has made (a worker: once each)


def _write_tmp(path: str, data: bytes) -> None:
    folder = os.path.dirname(path) or os.curdir  # (``-o .``)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    if folder not in _made_dirs:
        os.makedirs(folder, exist_ok=True)
        _made_dirs.add(folder)
    try:
        fd = os.open(path, flags, 0o666)
    except FileNotFoundError:  # the folder went away since: make it again
        os.makedirs(folder, exist_ok=True)
        fd = os.open(path, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        _discard(path)
        raise


def _discard(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _cannot_write(item: Input, target: str, exc: OSError) -> Outcome:
    return _failed(item, "write", f"cannot write {display_name(target)}: {describe_os_error(exc)}")


class _PlacedFiles:
    """Which output files this batch has put in place, with no record per file (a batch of
    millions would hold millions of paths): renaming sets a file's change time (ctime, kept by
    the kernel, not settable like mtime), so a target changed no earlier than the batch's first
    temporary file was placed by this batch. Older files (a previous run's) are replaced."""

    def __init__(self) -> None:
        self.since: int | None = None

    def placed(self, tmp: str, target: str) -> bool:
        try:
            if self.since is None:
                self.since = os.stat(tmp).st_ctime_ns
            return os.stat(target).st_ctime_ns >= self.since
        except OSError:  # no target yet (or no tmp: the rename reports it)
            return False


def _publish(outcome: Outcome, placed: _PlacedFiles) -> Outcome:
    """Rename a worker's temporary file into place; a failure to, or a second input mapping to
    the same file (``a.html`` and ``a.htm``), becomes the input's error record and the batch
    goes on. (The caller holds the signals.)"""
    tmp, target = outcome.output or ("", "")
    if placed.placed(tmp, target):
        _discard(tmp)
        return _failed(outcome.input, "write",
                       f"output {display_name(target)} already written for an earlier input of this batch")
    try:
        os.replace(tmp, target)
    except OSError as exc:
        _discard(tmp)
        return _cannot_write(outcome.input, target, exc)
    return outcome


class _signals_held:
    _HELD = {signal.SIGINT, signal.SIGTERM}

    def __enter__(self) -> None:
        self.old = None
        if hasattr(signal, "pthread_sigmask"):
            self.old = signal.pthread_sigmask(signal.SIG_BLOCK, self._HELD)

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.old)


# -- the engine ----------------------------------------------------------------------------------
#
# The main process does as little as possible per page, so that it never competes with the
# workers for a core: it hands each worker a chunk of inputs at a time (paths: the worker reads
# the file), and gets back one message per chunk with every page already rendered to bytes. Which
# page a worker is on, and since when, it writes into a small shared slot, so per-page time
# limits need no message per page: the parent only looks at the slot.

@dataclass(frozen=True)
class _Work:
    """What a worker does with each input: clean it, and optionally render it right there."""

    options: Options
    render: bool = False
    many: bool = False
    #: Write each output file here (temporarily named; see _publish) rather than return it.
    out_dir: str | None = None
    tmp_tag: str = ".forumclean-"
    #: The per-page job in place of cleaning (``diff``): a module-level function (workers get it
    #: by name) taking the input and the options and returning its outcome, output rendered; with
    #: ``lost=OUTCOME`` it completes the failure the batch recorded for a page whose worker hung
    #: or died, as it completes its own failures.
    job: Callable[..., Outcome] | None = None

    def complete(self, outcome: Outcome) -> Outcome:
        """``outcome`` with the output its failure gives (record, summary row) when the batch made
        it in the main process (a page abandoned or lost with its worker) rather than a worker."""
        if outcome.ok or self.out_dir is not None:
            return outcome
        if self.job is not None:
            return outcome if outcome.extra is not None else self.job(outcome.input, self.options, lost=outcome)
        if self.render and outcome.data is None:
            outcome.data = render_outcome(outcome, self.options.fmt, self.many).encode("utf-8", "replace")
        return outcome


def _do(item: Input, work: _Work, seq: int) -> Outcome:
    outcome = work.job(item, work.options) if work.job is not None else process(item, work.options)
    outcome.seq = seq
    if work.render:
        data = render_outcome(outcome, work.options.fmt, work.many).encode("utf-8", "replace")
        outcome.document = None  # the bytes are all the caller needs; spare the pickling
        if work.out_dir is None:
            outcome.data = data
        elif outcome.ok:
            target = str(output_path(work.out_dir, item, EXTENSIONS[work.options.fmt]))
            if item.path is not None and _is_own_input(target, item.path):
                failed = _failed(item, "write", f"output {display_name(target)} would replace the input itself")
                failed.seq = seq
                return failed
            tmp = _tmp_path(target, work.tmp_tag, seq)
            try:
                _write_tmp(tmp, data)
            except OSError as exc:
                failed = _cannot_write(item, target, exc)
                failed.seq = seq
                return failed
            outcome.output = (tmp, target)
    return outcome


def _is_own_input(target: str, path: str) -> bool:
    key = file_key(target)
    return key is not None and key == file_key(path)


def render_outcome(outcome: Outcome, fmt: str, many: bool = False) -> str:
    """The output text of one outcome (text format: nothing for a failure; a header when many)."""
    text = render(outcome.record, fmt)
    if fmt == "text" and many and outcome.ok:
        text = f"==> {display_name(outcome.input.name)} <==\n{text}\n"
    return text


#: A worker sends what it has finished at the end of each chunk, or sooner once its oldest unsent
#: result is this old (seconds), so that a slow page late in a chunk does not hold up the others.
_SEND_AFTER = 0.05


def _worker_main(conn: Connection, work: _Work, slot: Any) -> None:
    # The terminal sends Ctrl-C to the whole process group: the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held by the parent across the fork (see _Worker)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _signals_held._HELD)
    # A page makes many short-lived objects and no reference cycles worth chasing: collect
    # less often (about 6% faster), and leave what the worker started with out of every collection.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    clock = time.monotonic
    chunks: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_take_chunks, args=(conn, chunks), daemon=True).start()
    while True:
        chunk = chunks.get()
        if chunk is None:
            return
        done: list[tuple] = []
        oldest = 0.0
        for seq, item in chunk:
            # The start time first, then the page's number: the parent reads them the other way
            # round, so it never pairs a page with an earlier page's start.
            slot[1] = clock()
            slot[0] = seq
            outcome = _do(item, work, seq)
            slot[0] = -1.0  # between pages (and while sending): no time limit runs
            done.append((seq, outcome.status, outcome.data, outcome.error, outcome.document, outcome.output,
                         outcome.extra))
            if len(done) == 1:
                oldest = clock()
            elif clock() - oldest > _SEND_AFTER and seq != chunk[-1][0]:
                if not _send(conn, done):
                    return
                done = []
        if not _send(conn, done):
            return


def _take_chunks(conn: Connection, chunks: queue.SimpleQueue) -> None:
    """Takes chunks off the pipe as they come (a thread in the worker): the main process then
    never waits to send a chunk (large when it carries page bytes) while the worker waits to
    send its results: both pipes full, each waiting for the other."""
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            chunk = None
        chunks.put(chunk)
        if chunk is None:
            return


def _send(conn: Connection, results: list[tuple]) -> bool:
    try:
        conn.send(results)
        return True
    except (BrokenPipeError, OSError):
        return False


def _context() -> Any:
    # fork starts a worker in milliseconds with forumclean already imported; the engine starts
    # no threads, so forking is safe. Elsewhere the platform's default (spawn) is used.
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _Worker:
    """One worker process and the inputs it holds, in order: results come back in that order.

    It holds up to ``_DEPTH`` chunks: one being cleaned, the next waiting in its pipe, so it never
    sits idle waiting for the parent to be scheduled.
    """

    def __init__(self, ctx: Any, work: _Work) -> None:
        for stream in (sys.stdout, sys.stderr):  # a forked child must not inherit unflushed output
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        self.conn, child = ctx.Pipe()
        # [page number or -1, its start (time.monotonic, the same clock in every process)]
        self.slot = ctx.RawArray("d", 2)
        self.slot[0] = -1.0
        self.proc = ctx.Process(target=_worker_main, args=(child, work, self.slot), daemon=True)
        # Ctrl-C reaches the whole process group: held across the fork, so that a child never
        # takes it while still starting (before _worker_main ignores it). The parent gets it after.
        with _signals_held():
            self.proc.start()
        child.close()
        self.tasks: deque[tuple[int, Input]] = deque()
        self.ends: deque[int] = deque()  # the last page number of each chunk not yet finished
        self.given = 0

    def give(self, chunk: list[tuple[int, Input]]) -> None:
        self.tasks.extend(chunk)
        self.ends.append(chunk[-1][0])
        self.given += len(chunk)
        self.conn.send(chunk)

    def receive(self, got: list[tuple[int, Outcome]]) -> None:
        """Add the results the worker has sent to ``got`` (raises EOFError/OSError when it is
        gone, after adding what came before)."""
        while self.tasks and self.conn.poll(0):
            for seq, status, data, error, document, output, extra in self.conn.recv():
                task_seq, item = self.tasks.popleft()
                assert task_seq == seq, (task_seq, seq)
                if self.ends[0] == seq:
                    self.ends.popleft()
                got.append((seq, Outcome(item, document=document, error=error, data=data, status=status,
                                         seq=seq, output=output, extra=extra)))

    def current(self) -> tuple[int, float] | None:
        """The page the worker is cleaning and when it began, or None between pages."""
        seq = self.slot[0]
        started = self.slot[1]
        return (int(seq), started) if seq >= 0 else None

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(timeout=None if kill else 2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def cpu_count() -> int:
    """Cores this process may run on (affinity and cgroup-aware where the platform says)."""
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def check_options(options: Options) -> None:
    """Refuse bad options once, up front, rather than once per page."""
    from .families import all_families

    if options.input_format not in ("auto", "html", "text"):
        raise ValueError(f"input_format must be auto, html or text, not {options.input_format!r}")
    if options.family and options.family not in {f.name for f in all_families()}:
        raise ValueError(f"unknown family {options.family!r}")


def _as_input(obj: Any, index: int) -> Input:
    if isinstance(obj, Input):
        return obj
    if isinstance(obj, (str, os.PathLike)):
        path = os.fspath(obj)
        return Input(path, path, os.path.basename(path.rstrip("/")) or path)
    if isinstance(obj, (bytes, bytearray)):
        name = f"<{index}>"
        return Input(name, None, name, data=bytes(obj))
    if isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[1], (bytes, bytearray, str)):
        name = str(obj[0])
        data = obj[1] if isinstance(obj[1], bytes) else str(obj[1]).encode("utf-8")
        return Input(name, None, name, data=bytes(data))
    raise TypeError(f"extract_many() takes paths, bytes or (name, bytes) pairs, not {type(obj).__name__}")


def extract_many(inputs: Iterable[Any], *, jobs: int | None = None, ordered: bool = True,
                 timeout: float | None = DEFAULT_TIMEOUT, input_format: str = "auto",
                 family: str | None = None, url: str | None = None,
                 options: Options | None = None, render: bool = False, many: bool = False,
                 window: int | None = None, tick: Callable[[], None] | None = None,
                 max_tasks_per_worker: int = 5000) -> Iterator[Outcome]:
    """Clean many pages on ``jobs`` worker processes; yield one ``Outcome`` per input.

    ``inputs``: paths, ``Input``s, page bytes or ``(name, bytes)`` pairs, from any iterable (read
    lazily: a generator over millions of paths is fine). ``jobs``: worker processes (default: all
    cores); ``jobs=1`` with ``timeout=None`` runs in this process. ``ordered``: outcomes follow
    input order (else: as they finish). ``timeout``: seconds one page may take; past it the page
    becomes an error record of type ``timeout`` and its worker is replaced. ``render``: each
    outcome carries its output (``data``, UTF-8) in ``options.fmt`` instead of the document.

        >>> from forumclean.batch import extract_many
        >>> for outcome in extract_many(paths, jobs=4):
        ...     if outcome.ok: print(outcome.document.title)
        ...     else: print(outcome.error)
    """
    for group in _groups(inputs, jobs=jobs, ordered=ordered, timeout=timeout, render=render, many=many,
                         options=options or Options(input_format=input_format, family=family, url=url),
                         window=window, tick=tick, max_tasks=max_tasks_per_worker):
        yield from group


def _groups(inputs: Iterable[Any], *, jobs: int | None, ordered: bool, timeout: float | None,
            options: Options, render: bool, many: bool, window: int | None,
            tick: Callable[[], None] | None, max_tasks: int,
            work: _Work | None = None) -> Iterator[list[Outcome]]:
    """``extract_many``'s outcomes in groups, as they become ready: the command line writes a
    group at once. ``work`` (the command line's) replaces ``options``, ``render`` and ``many``."""
    check_options(options)
    work = work or _Work(options, render=render, many=many)
    items = (_as_input(obj, i) for i, obj in enumerate(inputs))
    jobs = cpu_count() if not jobs else max(1, jobs)
    if timeout is not None and timeout <= 0:
        timeout = None
    if jobs == 1 and timeout is None:
        for seq, item in enumerate(items):
            if tick:
                tick()
            yield [_do(item, work, seq)]
        return
    yield from _pool(items, work, jobs, ordered, timeout, window or max(64, jobs * 32), tick, max_tasks)


#: Chunks a worker holds at once (the one it cleans and the next, queued in its pipe).
_DEPTH = 2
#: Inputs in a chunk, at most: a few tens of milliseconds of work, so that the parent wakes up
#: rarely, while the input order still holds with a small window.
_CHUNK = 8


def _died(w: _Worker) -> str:
    code = w.proc.exitcode
    if code is None:
        w.proc.join(1)
        code = w.proc.exitcode
    how = f"signal {-code}" if code is not None and code < 0 else f"status {code}"
    return f"worker process died ({how})"


def _pool(items: Iterator[Input], work: _Work, jobs: int, ordered: bool, timeout: float | None,
          window: int, tick: Callable[[], None] | None, max_tasks: int) -> Iterator[list[Outcome]]:
    pool = _Pool(items, work, jobs, ordered, timeout, window, max_tasks)
    try:
        while True:
            if ordered:  # first, so that the window has room again before work is handed out
                ready = pool.in_turn()
                if ready:
                    yield ready
            pool.hand_out()
            busy = [w for w in pool.workers if w.tasks]
            if pool.done(busy):
                return
            if tick:
                tick()
            if not busy:
                continue  # (only when finished outcomes wait to be yielded)
            finished = pool.collect(busy, 0.25 if tick else 5.0)
            if timeout is not None:
                pool.abandon_hung(finished)
            if ordered:
                pool.waiting.update(finished)
            elif finished:
                yield [outcome for _, outcome in finished]
    finally:
        for w in pool.workers:
            w.stop(kill=bool(w.tasks))


class _Pool:
    """The worker processes of one batch and the inputs they hold: handing out chunks, reading
    results back, replacing a worker that crashed or hung (its other pages go to the rest)."""

    def __init__(self, items: Iterator[Input], work: _Work, jobs: int, ordered: bool,
                 timeout: float | None, window: int, max_tasks: int) -> None:
        self.ctx = _context()
        self.items, self.work, self.jobs, self.ordered = items, work, jobs, ordered
        self.timeout, self.window, self.max_tasks = timeout, window, max_tasks
        self.workers: list[_Worker] = []
        self.retry: deque[tuple[int, Input]] = deque()  # held by a worker that hung or crashed on another page
        self.waiting: dict[int, Outcome] = {}  # finished, waiting for their turn (ordered mode)
        self.next_seq = 0  # the next input's number
        self.emit_seq = 0  # the next number to yield (ordered mode)
        self.exhausted = False
        self.stdin_used = False
        # Every worker holds up to _DEPTH chunks; in ordered mode they should not fill the window.
        self.chunk_size = max(1, min(_CHUNK, window // (2 * _DEPTH * jobs)))

    def in_turn(self) -> list[Outcome]:
        """The finished outcomes whose turn has come (ordered mode)."""
        ready: list[Outcome] = []
        while self.emit_seq in self.waiting:
            ready.append(self.waiting.pop(self.emit_seq))
            self.emit_seq += 1
        return ready

    def done(self, busy: list[_Worker]) -> bool:
        return self.exhausted and not self.retry and not busy and not self.waiting

    def hand_out(self) -> None:
        while True:
            w = self.free_worker()
            if w is None:
                return
            chunk = self.take(self.chunk_size)
            if not chunk:
                return
            w.give(chunk)

    def take(self, n: int) -> list[tuple[int, Input]]:
        chunk = []
        while self.retry and len(chunk) < n:
            chunk.append(self.retry.popleft())
        while len(chunk) < n and not self.exhausted and not (
                self.ordered and self.next_seq - self.emit_seq >= self.window):
            try:
                item = next(self.items)
            except StopIteration:
                self.exhausted = True
                break
            if item.path is None and item.data is None and item.error is None:  # stdin: workers have none
                item = self._read_stdin(item)
            chunk.append((self.next_seq, item))
            self.next_seq += 1
        return chunk

    def _read_stdin(self, item: Input) -> Input:
        try:
            data = b"" if self.stdin_used else item.read()
            item = Input(item.name, None, item.relpath, data=data)
        except OSError as exc:  # stdin closed: the worker reports it as this input's error
            item = Input(item.name, None, item.relpath, error=exc)
        self.stdin_used = True
        return item

    def free_worker(self) -> _Worker | None:
        """The worker to give the next chunk: an idle one, a new one, or the least loaded."""
        open_ = [w for w in self.workers if len(w.ends) < _DEPTH and w.given < self.max_tasks]
        idle = [w for w in open_ if not w.tasks]
        if idle:
            return idle[0]
        if len(self.workers) < self.jobs:
            w = _Worker(self.ctx, self.work)
            self.workers.append(w)
            return w
        return min(open_, key=lambda w: len(w.ends)) if open_ else None

    def collect(self, busy: list[_Worker], wait_for: float) -> list[tuple[int, Outcome]]:
        """Wait for results (at most ``wait_for`` seconds, less when a page nears its time limit)
        and read them; a worker that died is replaced and its page recorded as a crash."""
        if self.timeout is not None:
            now = time.monotonic()
            for w in busy:
                current = w.current()
                if current is not None:
                    wait_for = max(0.0, min(wait_for, current[1] + self.timeout - now))
        woken = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for)
        finished: list[tuple[int, Outcome]] = []
        for w in busy:
            if w.conn not in woken and w.proc.sentinel not in woken:
                continue
            current = w.current()  # before reading: a dead worker's last page stays there
            try:
                w.receive(finished)
            except (EOFError, OSError):
                finished.append(self.lose(w, current and current[0], "crash", _died(w)))
                continue
            if not w.proc.is_alive() and w.tasks:
                finished.append(self.lose(w, current and current[0], "crash", _died(w)))
            elif not w.tasks and w.given >= self.max_tasks:  # bounds any slow growth in a long-lived worker
                self.workers.remove(w)
                w.stop()
        return finished

    def abandon_hung(self, finished: list[tuple[int, Outcome]]) -> None:
        """Record each page over its time limit as a time-out, and replace its worker."""
        now = time.monotonic()
        for w in [w for w in self.workers if w.tasks]:
            current = w.current()
            if current is None or now - current[1] < self.timeout:
                continue
            try:
                w.receive(finished)  # what it finished before that page
            except (EOFError, OSError):
                continue  # dead: taken as a crash on the next round
            if w.current() != current:
                continue  # it has just moved on
            finished.append(self.lose(w, current[0], "timeout",
                                      f"no result within {self.timeout:g} s (page abandoned)"))

    def lose(self, w: _Worker, blame: int | None, kind: str, message: str) -> tuple[int, Outcome]:
        """``w``'s process failed on page ``blame`` (None: on its next one): record that page and
        hand the others it held (finished or not, their results are lost with it) to the rest."""
        self.workers.remove(w)
        w.stop(kill=True)
        tasks = list(w.tasks)
        at = next((i for i, (seq, _) in enumerate(tasks) if seq == blame), 0)
        seq, item = tasks.pop(at)
        self.retry.extendleft(reversed(tasks))
        failed = _failed(item, kind, message)
        failed.seq = seq
        return seq, failed


# -- the command line's batch ------------------------------------------------------------------

@dataclass
class Tally:
    ok: int = 0
    none: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    #: Set when the batch stopped early: ``SIGINT``, ``SIGTERM`` or ``EPIPE``.
    stopped: str | None = None
    #: Files of the folders walked that are not pages, by why (``inputs.not_a_page``).
    left_out: Counter = field(default_factory=Counter)

    def count(self, status: str) -> None:
        if status == OK:
            self.ok += 1
        elif status == NONE:
            self.none += 1
        else:
            self.failed += 1

    @property
    def done(self) -> int:
        return self.ok + self.none + self.failed

    def summary(self) -> str:
        parts = [f"ok {self.ok}", f"none {self.none}", f"failed {self.failed}"]
        if self.skipped:
            parts.append(f"skipped {self.skipped}")
        if self.left_out:
            kinds = ", ".join(f"{n} {why}" for why, n in sorted(self.left_out.items(), key=lambda kv: (-kv[1], kv[0])))
            parts.append(f"not pages {sum(self.left_out.values())} ({kinds})")
        line = ", ".join(parts) + f", {self.seconds:.1f} s"
        if self.seconds > 0 and self.done:
            line += f" ({self.done / self.seconds:.0f} pages/s)"
        return line


def _writer(out: IO[str]) -> Callable[[list[bytes]], None]:
    """Writes UTF-8 output to ``out`` and flushes it; straight to its byte stream when it has one
    in UTF-8 (stdout), so that the main process does not decode and re-encode every record."""
    buffer = getattr(out, "buffer", None)
    try:
        utf8 = codecs.lookup(getattr(out, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        utf8 = False
    if buffer is not None and utf8:
        out.flush()

        def write(data: bytes) -> None:
            with _signals_held():  # records reach the pipe whole or not at all
                buffer.write(data)
                buffer.flush()
    else:
        def write(data: bytes) -> None:
            with _signals_held():
                out.write(data.decode("utf-8"))
                out.flush()
    return lambda parts: write(b"".join(parts))


class Stopped(BaseException):
    """Raised in the main process by SIGTERM (SIGINT raises KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped(signum)


@contextmanager
def _stops(tally: Tally, handle_signals: bool) -> Iterator[None]:
    """Run the batch's body; a Ctrl-C, a closed pipe or (with ``handle_signals``) SIGTERM ends it
    and is recorded as why it stopped (``tally.stopped``)."""
    old_term = signal.signal(signal.SIGTERM, _raise_stopped) if handle_signals else None
    try:
        yield
    except KeyboardInterrupt:
        tally.stopped = "SIGINT"
    except Stopped as exc:
        tally.stopped = signal.Signals(exc.signum).name
    except BrokenPipeError:
        tally.stopped = "EPIPE"
    finally:
        if handle_signals:
            signal.signal(signal.SIGTERM, old_term)


def run_batch(items: Iterable[Input], options: Options, out: IO[str] = sys.stdout,
              out_dir: str | None = None, many: bool = False,
              report: Callable[[str], None] = lambda msg: None, *, jobs: int | None = None,
              ordered: bool = True, timeout: float | None = DEFAULT_TIMEOUT,
              skip_existing: bool = False, progress: Any = None,
              handle_signals: bool = False, input_files: InputFiles | None = None,
              job: Callable[[Input, Options], Outcome] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, array: bool = False,
              left_out: Counter | None = None) -> Tally:
    """Clean ``items`` and send each outcome where it belongs (stdout, or a file per input).

    Failures are reported through ``report`` (one line each) and counted. With
    ``handle_signals`` SIGTERM stops the batch like Ctrl-C does; either way the tally says why
    it stopped (``stopped``) and no temporary file is left. With ``out_dir``, an output file that
    is one of ``input_files`` is not written: that input gets an error record instead.

    ``job`` runs in place of cleaning (its outcomes carry their output already); ``on_outcome``
    sees every outcome in the main process, in output order. ``array``: stdout is one JSON array
    of the records (``--format json`` with several inputs). ``left_out``: the counter the input
    listing counts files that are not pages in (reported with the tally).
    """
    tally = Tally(left_out=left_out if left_out is not None else Counter())
    start = time.monotonic()
    suffix = EXTENSIONS.get(options.fmt, "")

    # -o: the inputs handed out whose output file is not in place yet, by number (as many as the
    # batch holds in flight at most).
    pending: dict[int, Input] = {}
    todo = _to_run(items, tally, progress, pending, out_dir, suffix, skip_existing, input_files)

    write = _writer(out)
    if array and out_dir is None:
        write = _JsonArray(write)
    with _stops(tally, handle_signals):
        # Input order unless told not to: also for files, so that of two inputs mapping to one
        # output file the first one listed keeps it.
        # one file per input needs no "==> name <==" headers
        work = _Work(options, render=job is None, many=many and out_dir is None, out_dir=out_dir,
                     tmp_tag=f".forumclean-{os.getpid()}-", job=job)
        groups = _groups(todo, jobs=jobs, ordered=ordered, timeout=timeout, options=options,
                         render=True, many=many, window=None, work=work,
                         tick=progress.tick if progress is not None else None, max_tasks=5000)
        try:
            deliver = _delivery(work, write, pending, out_dir, suffix)
            for group in groups:
                _account(deliver(group), tally, report, progress, on_outcome)
            if isinstance(write, _JsonArray):
                write.close()
            out.flush()  # a closed pipe shows here, not at exit
        finally:
            groups.close()  # stops the workers, also on Ctrl-C or a closed pipe
            _discard_pending(pending, out_dir, suffix, work.tmp_tag)
    tally.seconds = time.monotonic() - start
    if tally.stopped in ("SIGINT", "SIGTERM") and isinstance(write, _JsonArray):
        try:  # what was written stays one valid array
            write.close()
        except OSError:
            pass
    return tally


def _delivery(work: _Work, write: Callable[[list[bytes]], None], pending: dict[int, Input],
              out_dir: str | None, suffix: str) -> Callable[[list[Outcome]], list[Outcome]]:
    """What sends a group of outcomes on its way (to stdout, or into their files under
    ``out_dir``) and hands back the outcomes as delivered."""
    if out_dir is not None:
        placed = _PlacedFiles()
        return lambda group: _place(group, placed, pending, out_dir, suffix, work.tmp_tag)

    def to_stream(group: list[Outcome]) -> list[Outcome]:
        group = [work.complete(o) for o in group]
        # One write for the whole group, before any of it is counted: what the tally reports
        # is on its way out, whatever stops the batch next.
        data = [o.data for o in group if o.data]
        if data:
            write(data)
        return group

    return to_stream


def _account(group: list[Outcome], tally: Tally, report: Callable[[str], None], progress: Any,
             on_outcome: Callable[[Outcome], None] | None) -> None:
    """Count a group of outcomes once their output is on its way: a line for each failure, the
    tally, the progress bar, the command's own hook."""
    for outcome in group:
        if not outcome.ok:
            report(f"{display_name(outcome.input.name)}: {outcome.error['error']['message']}")
        tally.count(outcome.status)
        if progress is not None:
            progress.advance(outcome.status)
        if on_outcome is not None:
            on_outcome(outcome)


def _discard_pending(pending: dict[int, Input], out_dir: str | None, suffix: str, tmp_tag: str) -> None:
    """Remove the temporary files of pages handed out and not renamed into place."""
    if not pending:
        return
    with _signals_held():
        for seq, item in pending.items():
            _discard(_tmp_path(str(output_path(out_dir, item, suffix)), tmp_tag, seq))


def _to_run(items: Iterable[Input], tally: Tally, progress: Any, pending: dict[int, Input],
            out_dir: str | None, suffix: str, skip_existing: bool,
            input_files: InputFiles | None) -> Iterator[Input]:
    """The inputs a batch runs: with ``-o``, those whose output exists are skipped when resuming,
    one whose output file is a named input fails up front, and each is noted in ``pending``
    until its output is in place."""
    seq = 0
    for item in items:
        if out_dir is None:
            yield item
            continue
        guarded = input_files is not None and bool(input_files.keys)
        # (the output path only when needed: it is most of the main process's work per input)
        target = output_path(out_dir, item, suffix) if skip_existing or guarded else None
        if skip_existing and target.exists():
            tally.skipped += 1
            if progress is not None:
                progress.skip()
            continue
        if guarded and input_files.holds(str(target)):
            item = Input(item.name, item.path, item.relpath, error=OutputClash(
                f"output {display_name(str(target))} would replace an input of this batch"))
        pending[seq] = item
        seq += 1
        yield item


def _place(group: list[Outcome], placed: _PlacedFiles, pending: dict[int, Input], out_dir: str,
           suffix: str, tmp_tag: str) -> list[Outcome]:
    """Rename a group's output files into place (signals held: renamed, or left temporary)."""
    with _signals_held():
        group = [_publish(o, placed) if o.output else o for o in group]
        for o in group:
            item = pending.pop(o.seq, None)
            if item is not None and o.error and o.error["error"]["type"] in ("timeout", "crash"):
                # its worker may have been stopped half-way through the file
                _discard(_tmp_path(str(output_path(out_dir, item, suffix)), tmp_tag, o.seq))
    return group


class _JsonArray:
    """Writes JSON records (each ending in a newline) as the items of one array."""

    def __init__(self, write: Callable[[list[bytes]], None]) -> None:
        self.write = write
        self.count = 0
        self.closed = False

    def __call__(self, records: list[bytes]) -> None:
        parts = []
        for rec in records:
            parts.append(b"[\n" if self.count == 0 else b",\n")
            parts.append(rec.rstrip(b"\n"))
            self.count += 1
        self.write(parts)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.write([b"\n]\n" if self.count else b"[]\n"])
