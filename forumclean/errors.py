"""forumclean's own error types: the only exceptions ``extract`` raises."""

from __future__ import annotations

#: Error record types a batch gives failures outside the pipeline's own errors.
BATCH_ERROR_TYPES = ("read", "write", "timeout", "crash", "memory", "internal")


class ForumcleanError(Exception):
    """Base class. ``kind`` is the short name used in error records."""

    kind = "error"


class ReadError(ForumcleanError):
    """A page given by its path could not be read (no such file, no permission...)."""

    kind = "read"


class DecodeError(ForumcleanError):
    """The input is not text in any encoding forumclean can read (binary, empty...)."""

    kind = "decode"


class InputTooLarge(ForumcleanError):
    """The input exceeds the configured size limit."""

    kind = "too-large"


class ParseError(ForumcleanError):
    """The input decoded but could not be parsed as a page."""

    kind = "parse"


class MissingExtra(ForumcleanError):
    """An optional dependency is not installed (e.g. warcio for WARC input)."""

    kind = "missing-extra"


class WarcError(ForumcleanError):
    """A WARC file or record could not be read (damaged, truncated, not a WARC)."""

    kind = "warc"


class OutputClash(ForumcleanError):
    """An output file would replace an input of the batch, or an input lies in the output tree."""

    kind = "write"


def error_types() -> list[str]:
    """Every ``type`` an error record can have (the pipeline's errors and the batch's)."""
    kinds = set(BATCH_ERROR_TYPES)
    todo = [ForumcleanError]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls is not ForumcleanError:
            kinds.add(cls.kind)
    return sorted(kinds)
