"""forumclean as datatrove pipeline steps (``pip install 'forumclean[datatrove]'``).

Two steps, usable in any datatrove pipeline and so on its local, Slurm and Ray executors:

``WarcPageReader``
    Reads WARC / WARC.gz files like datatrove's ``WarcReader``, but selects records as
    ``forumclean extract crawl.warc.gz`` does (2xx HTML responses and HTML resources) and decodes
    them with forumclean's decoder (BOM, declared charset, the HTTP charset, GB18030 / Big5-HKSCS
    fallbacks) instead of UTF-8-or-guess, which loses GBK and Big5 forum pages. Each document:
    ``id`` = the ``WARC-Record-ID``, ``text`` = the decoded page, metadata ``url`` (the target URI),
    ``date`` (``WARC-Date``), ``input`` (``<file>#<offset>``, the CLI's input name) and ``encoding``.
    Records that do not decode are counted (``decode_error``, ``too_large``) and skipped; a damaged
    or unreadable file is counted (``warc_error``; the records before the damage are kept) and the
    reader goes on with the next file.

``ForumcleanExtractor``
    Cleans each document's page (HTML or a plain-text dump, in ``doc.text``; from this reader,
    datatrove's ``WarcReader``, a JSONL dump...) with ``forumclean.extract``. It reads
    ``metadata["url"]`` (the address, used when the page states none), ``metadata["date"]`` (the
    fetch time → ``fetched_at``), and, when present, ``metadata["input"]`` and ``["encoding"]``
    (else the input name is ``doc.id``). Then:

    - ``doc.text`` = the cleaned text: the post bodies, a blank line between posts (exactly
      ``forumclean.Document.text``);
    - ``doc.metadata["forumclean"]`` = the JSON document of ``forumclean extract`` with each post's
      ``body`` replaced by ``body_span: [start, end]``, its place in ``doc.text``, so bodies are not
      stored twice. ``document_dict(doc)`` puts the bodies back (valid while no later step edits
      ``doc.text``); ``metadata["url"]`` is set to the page's own address when the reader gave none.

    Pages without posts (``kind: none``: listings, login walls, error pages) and threads whose
    posts hold no text are dropped by default (stats ``none`` / ``empty_text``, plus ``dropped``);
    ``keep_empty=True`` keeps them with ``doc.text == ""``. Errors never stop the pipeline: a page
    forumclean refuses is counted (``error`` and ``error_<type>``, e.g. ``error_decode``) and
    dropped; each page is cleaned in a sandbox process with a per-document ``timeout`` (stat
    ``timeout``), as datatrove's own extractors do. ``family_<name>`` counts the page families.

Unlike datatrove's ``Trafilatura`` step, nothing is deduplicated and replies are kept: on a forum
the replies are the content.

Whole threads take two stages (a thread's pages may sit in any WARC file, so in any task):

``ThreadShardWriter`` (stage 1, after ``ForumcleanExtractor``)
    Writes each cleaned page to ``<folder>/<shard>/<rank>.jsonl.gz``, the shard chosen by the
    page's thread key (``forumclean.threads.thread_key``), so all pages of a thread land in one
    shard whichever task read them. ``shards`` is the number of stage-2 tasks (or a multiple).

``ThreadShardReader`` + ``ThreadMerger`` (stage 2)
    The reader gives each task the whole shards ``shard % tasks == rank``; the merger groups their
    pages by thread (in bounded memory: ``max_memory``) and yields one document per thread:
    ``id`` = the thread key (a page of no known thread keeps its own id), ``text`` = the post
    bodies joined by blank lines, ``metadata["forumclean_thread"]`` = the ``forumclean threads``
    record with ``body_span`` in place of each post's body (``thread_dict(doc)`` restores them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import partial
from typing import Any

try:
    from datatrove.data import Document as DatatroveDocument
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.extractors.base import BaseExtractor, ExtractorSandbox
    from datatrove.pipeline.readers.base import BaseDiskReader
    from datatrove.pipeline.readers.jsonl import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError:
    raise ImportError("forumclean.contrib.datatrove needs datatrove: pip install 'forumclean[datatrove]'") from None

from ..decode import decode
from ..errors import ForumcleanError
from ..model import KIND_NONE, Document, Thread
from ..pipeline import MAX_INPUT_BYTES, run
from ..threads import thread_key, threads
from ..threads.group import DEFAULT_MEMORY
from ..warc import iter_pages, normalise_warc_date

__all__ = ["ForumcleanExtractor", "ThreadMerger", "ThreadShardReader", "ThreadShardWriter", "WarcPageReader",
           "document_dict", "forumclean_document", "split_document", "thread_dict"]

#: A tiny page cleaned once when a sandbox process starts, so imports and caches are warm.
_WARMUP = ("<html><head><title>t</title></head><body><p>x</p></body></html>", None, None, None)


def _clean(text: str | bytes, url: str | None, input_name: str | None, fetched_at: str | None, *,
           input_format: str = "auto", family: str | None = None) -> tuple:
    """Runs in the sandbox process: never raises, so the process survives bad pages."""
    try:
        return ("ok", run(text, url=url, input_name=input_name, input_format=input_format, family=family,
                          fetched_at=fetched_at).document)
    except ForumcleanError as exc:
        return ("error", exc.kind, str(exc))
    except RecursionError:
        return ("error", "parse", "page nesting too deep")
    except Exception as exc:  # a bug must cost one page, not the task
        return ("error", "internal", f"{type(exc).__name__}: {exc}")


def split_document(doc: Document | Thread) -> tuple[str, dict[str, Any]]:
    """``(text, metadata)``: the post bodies joined by blank lines, and the JSON document (or
    thread record) with each post's ``body`` replaced by its ``body_span`` in that text."""
    record = doc.to_dict()
    parts: list[str] = []
    pos = 0
    for post in record["posts"]:
        body = post.pop("body")
        if body:
            if parts:
                pos += 2
            parts.append(body)
            post["body_span"] = [pos, pos + len(body)]
            pos += len(body)
        else:
            post["body_span"] = [pos, pos]
    return "\n\n".join(parts), record


def document_dict(doc: DatatroveDocument, metadata_key: str = "forumclean") -> dict[str, Any]:
    """The ``forumclean extract`` JSON document of a datatrove document cleaned by
    ``ForumcleanExtractor`` (bodies restored from ``doc.text``)."""
    return forumclean_document(doc, metadata_key).to_dict()


def forumclean_document(doc: DatatroveDocument, metadata_key: str = "forumclean") -> Document:
    """The ``forumclean.Document`` of a datatrove document cleaned by ``ForumcleanExtractor``."""
    return Document.from_dict(_with_bodies(doc, metadata_key))


def thread_dict(doc: DatatroveDocument, metadata_key: str = "forumclean_thread") -> dict[str, Any]:
    """The ``forumclean threads`` record of a datatrove document made by ``ThreadMerger``."""
    return Thread.from_dict(_with_bodies(doc, metadata_key)).to_dict()


def _with_bodies(doc: DatatroveDocument, metadata_key: str) -> dict[str, Any]:
    record = dict(doc.metadata[metadata_key])
    posts = []
    for post in record.get("posts") or []:
        post = dict(post)
        start, end = post.pop("body_span")
        post["body"] = doc.text[start:end]
        posts.append(post)
    record["posts"] = posts
    return record


class ForumcleanExtractor(BaseExtractor):
    """Clean forum pages with forumclean; see the module documentation for fields and stats.

    Args:
        timeout: seconds allowed per document (the sandbox process is replaced after a timeout).
        keep_empty: keep ``kind: none`` pages and posts without text, with ``doc.text == ""``.
        input_format: ``auto``, ``html`` or ``text`` (plain-text dumps of whole pages).
        family: force a page family by name (e.g. ``discuz-x``).
        metadata_key: where the forumclean document goes in ``doc.metadata``.
        url_key, date_key: metadata keys read for the page address and its fetch time.
    """

    name = "🧹 forumclean"

    def __init__(self, timeout: float = 5.0, keep_empty: bool = False, input_format: str = "auto",
                 family: str | None = None, metadata_key: str = "forumclean", url_key: str = "url",
                 date_key: str = "date") -> None:
        super().__init__(timeout)
        if input_format not in ("auto", "html", "text"):
            raise ValueError(f"input_format must be auto, html or text, not {input_format!r}")
        self.keep_empty = keep_empty
        self.input_format = input_format
        self.family = family
        self.metadata_key = metadata_key
        self.url_key = url_key
        self.date_key = date_key

    def extract(self, text: str) -> str:
        """Cleaned text of one page (``BaseExtractor``'s interface; ``run`` keeps all fields)."""
        return run(text, input_format=self.input_format, family=self.family).document.text

    def _arguments(self, doc: DatatroveDocument) -> tuple:
        meta = doc.metadata
        url = meta.get(self.url_key)
        date = meta.get(self.date_key)
        return (doc.text, url if isinstance(url, str) and url else None, str(meta.get("input") or doc.id),
                normalise_warc_date(date) if isinstance(date, str) else None)

    def _count_error(self, kind: str, message: str, doc: DatatroveDocument) -> None:
        self.stat_update("error", f"error_{kind}")
        if not self._warned_error:
            logger.warning(f"forumclean could not clean {doc.id}: {message} (counted in stats as "
                           f"error_{kind}; this message appears once)")
            self._warned_error = True

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        clean = partial(_clean, input_format=self.input_format, family=self.family)
        with ExtractorSandbox(timeout=self.timeout, warmup_text=_WARMUP) as sandbox:
            for doc in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    try:
                        outcome = sandbox.process_document(self._arguments(doc), clean)
                    except TimeoutError:
                        self.stat_update("timeout")
                        logger.warning(f"⏰ forumclean timed out on {doc.id} after {self.timeout}s; skipped")
                        continue
                    except EOFError:
                        self.stat_update("broken_process")
                        logger.warning(f"forumclean's process died on {doc.id} (out of memory?); skipped")
                        continue
                    except Exception as exc:  # e.g. a document that does not pickle
                        self._count_error("internal", f"{type(exc).__name__}: {exc}", doc)
                        continue
                    if outcome[0] == "error":
                        self._count_error(outcome[1], outcome[2], doc)
                        continue
                    kept = self._apply(doc, outcome[1])
                if kept:
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc
                else:
                    self.stat_update(StatHints.dropped)

    def _apply(self, doc: DatatroveDocument, result: Document) -> bool:
        """Put the cleaned page into ``doc``; False when it is to be dropped."""
        self.stat_update("extracted", f"family_{result.family}")
        encoding = doc.metadata.get("encoding")
        if isinstance(encoding, str) and result.encoding is None:
            result.encoding = encoding  # the reader decoded the bytes; say with what
        text, record = split_document(result)
        if result.kind == KIND_NONE:
            self.stat_update("none")
            if not self.keep_empty:
                return False
        elif not text:
            self.stat_update("empty_text")
            if not self.keep_empty:
                return False
        doc.text = text
        doc.metadata[self.metadata_key] = record
        if result.url and not doc.metadata.get(self.url_key):
            doc.metadata[self.url_key] = result.url
        return True


class WarcPageReader(BaseDiskReader):
    """Read the HTML page records of WARC / WARC.gz files, decoded by forumclean.

    Takes ``BaseDiskReader``'s arguments (``data_folder``, ``paths_file``, ``limit``, ``skip``,
    ``glob_pattern``, ``recursive``, ``default_metadata``...). Files are shared out among tasks
    whole, so use at least as many WARC files as tasks. ``.warc.gz`` files are opened as they are
    (warcio reads the per-record gzip), so ``metadata["input"]`` offsets match the CLI's.
    """

    name = "🕷 forumclean WARC"
    _requires_dependencies = ["warcio"]

    def read_file(self, filepath: str) -> Iterator[DatatroveDocument]:
        try:
            with self.data_folder.open(filepath, "rb") as fh:
                pages = iter_pages(fh, with_payload=True)
                while True:
                    with self.track_time():
                        page = next(pages, None)
                        if page is None:
                            return
                        document = self._document(filepath, page)
                    if document is not None:
                        yield document
        except (ForumcleanError, OSError) as exc:  # damaged or unreadable: the next file goes on
            self.stat_update("warc_error")
            logger.warning(f"{filepath}: {exc}; going on with the next file")

    def _document(self, filepath: str, page: Any) -> DatatroveDocument | None:
        payload = page.payload or b""
        if len(payload) > MAX_INPUT_BYTES:
            self.stat_update("too_large")
            return None
        try:
            text, encoding = decode(payload, http_charset=page.http_charset)
        except ForumcleanError:
            self.stat_update("decode_error")
            return None
        name = f"{filepath}#{page.offset}"
        data = {"text": text, "id": page.record_id or name, "url": page.url, "date": page.fetched_at,
                "input": name, "encoding": encoding}
        return self.get_document_from_dict(data, filepath, page.offset)


# -- whole threads: stage 1 shards pages by thread, stage 2 merges each shard -------------------

class ThreadShardWriter(JsonlWriter):
    """Write cleaned pages sharded by thread key: ``<folder>/<shard>/<rank>.jsonl.gz``.

    Args:
        output_folder: where the shards go (local or any fsspec address).
        shards: how many shards (at least the number of stage-2 tasks).
        metadata_key: where ``ForumcleanExtractor`` put the forumclean document.
    """

    name = "🧵 forumclean thread shards"

    def __init__(self, output_folder: str, shards: int, metadata_key: str = "forumclean", **kwargs: Any) -> None:
        if shards < 1:
            raise ValueError("shards must be at least 1")
        super().__init__(output_folder, output_filename="${thread_shard}/${rank}.jsonl.gz", **kwargs)
        self.shards = shards
        self.metadata_key = metadata_key

    def write(self, document: DatatroveDocument, rank: int = 0, **kwargs: Any) -> None:
        # The key reads the page's facts, never its posts: they are left out of the copy.
        facts = {k: v for k, v in document.metadata[self.metadata_key].items() if k != "posts"}
        key = thread_key(Document.from_dict(facts))
        document.metadata["thread_key"] = key
        shard = _stable_shard(key or f"page:{document.id}", self.shards)
        self.stat_update("keyed" if key else "no_thread_key")
        super().write(document, rank, thread_shard=f"{shard:05d}", **kwargs)


def _stable_shard(key: str, shards: int) -> int:
    """A shard for ``key`` that every task computes alike (Python's own hash differs by process)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8, person=b"fc-shard").digest()
    return int.from_bytes(digest, "big") % shards


class ThreadShardReader(JsonlReader):
    """Read the shards ``ThreadShardWriter`` wrote: task ``rank`` of ``world_size`` reads every
    file of the shards ``shard % world_size == rank``, so each thread's pages meet in one task.
    Takes ``JsonlReader``'s arguments."""

    name = "🧵 forumclean thread shard reader"

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data:
            yield from data
        files = sorted(self.data_folder.list_files(recursive=True, glob_pattern=self.glob_pattern))
        mine = [f for f in files if _shard_of(f) is not None and _shard_of(f) % world_size == rank]
        if not mine:
            logger.warning(f"No thread shard files in {self.data_folder.path} for {rank=}")
        for doc in self.read_files_shard(mine):
            self.update_doc_stats(doc)
            yield doc


def _shard_of(path: str) -> int | None:
    top = path.replace("\\", "/").split("/", 1)[0]
    return int(top) if top.isdigit() else None


class ThreadMerger(PipelineStep):
    """Merge the cleaned pages of each thread into one document (see the module documentation).

    Args:
        max_memory: bytes of pages held while grouping before spilling to local disk.
        metadata_key: where the page documents hold their forumclean document.
        thread_key_name: where the thread record goes in the merged document's metadata.
    """

    name = "🧵 forumclean threads"
    type = "🔗 - MERGE"

    def __init__(self, max_memory: int = DEFAULT_MEMORY, metadata_key: str = "forumclean",
                 thread_key_name: str = "forumclean_thread") -> None:
        super().__init__()
        self.max_memory = max_memory
        self.metadata_key = metadata_key
        self.thread_key_name = thread_key_name

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        def pages() -> Iterator[Document]:
            for doc in data or ():
                self.stat_update("pages")
                yield forumclean_document(doc, self.metadata_key)

        for thread in threads(pages(), max_memory=self.max_memory):
            with self.track_time():
                text, record = split_document(thread)
            self.stat_update(StatHints.total, "complete" if thread.complete else "incomplete")
            if thread.key is None:
                self.stat_update("no_thread_key")
            ident = thread.key or (thread.pages[0].input if thread.pages else "") or "thread"
            out = DatatroveDocument(text=text, id=ident,
                                    metadata={self.thread_key_name: record, "url": thread.url})
            self.update_doc_stats(out)
            yield out
