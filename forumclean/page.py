"""The input page as the pipeline sees it: decoded text, its format, and a lazily parsed tree.

Families ask a ``Page`` for cheap signals (body id/class, generator) before anything expensive
happens; the tree is parsed once, on first use, and shared by every stage.
"""

from __future__ import annotations

import re
from functools import cached_property
from itertools import islice

from lxml import etree

from .errors import ParseError

_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BODY_TAG = re.compile(r"<body\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\b(id|class)\s*=\s*["']([^"']*)["']""", re.I)
_GENERATOR = re.compile(r"""<meta[^>]+name=["']generator["'][^>]+content=["']([^"']+)""", re.I)
_GENERATOR_REV = re.compile(r"""<meta[^>]+content=["']([^"']+)["'][^>]+name=["']generator["']""", re.I)
_TAG = re.compile(r"<(?:html|head|body|div|p|br|table|a|span|meta|title|script|!doctype)\b", re.I)

_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, no_network=True)
_UTF8_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, no_network=True,
                                encoding="utf-8")


class Page:
    def __init__(self, text: str, input_format: str, url: str | None = None,
                 encoding: str | None = None, http_headers: dict | None = None) -> None:
        self.text = text
        self.input_format = input_format
        self.url = url
        self.encoding = encoding
        self.http_headers = http_headers or {}

    # -- cheap signals read from the raw text ------------------------------------------------
    @cached_property
    def head(self) -> str:
        """The first 16 KiB: enough for doctype, head, comments and the body tag of most pages."""
        return self.text[:16384]

    @cached_property
    def body_attrs(self) -> tuple[str, str]:
        m = _BODY_TAG.search(self.text, 0, 200_000)
        if not m:
            return "", ""
        attrs = dict((k.lower(), v) for k, v in _ATTR.findall(m.group(1)))
        return attrs.get("id", ""), attrs.get("class", "")

    @property
    def body_id(self) -> str:
        return self.body_attrs[0]

    @property
    def body_class(self) -> str:
        return self.body_attrs[1]

    @cached_property
    def generator(self) -> str | None:
        m = _GENERATOR.search(self.head) or _GENERATOR_REV.search(self.head)
        return m.group(1).strip() if m else None

    def contains(self, *needles: str) -> bool:
        return any(n in self.text for n in needles)

    # -- the parsed tree -----------------------------------------------------------------------
    @cached_property
    def root(self) -> etree._Element:
        text = _XML_PROLOG.sub("", self.text, count=1)
        if not text or text.isspace():
            raise ParseError("empty page")
        # libxml2 reads UTF-8 bytes a third faster than a str (same characters, same tree).
        try:
            data, parser = text.encode("utf-8"), _UTF8_PARSER
        except UnicodeEncodeError:  # lone surrogates: let lxml judge the str
            data, parser = text, _PARSER
        try:
            root = etree.fromstring(data, parser)
        except (etree.ParserError, ValueError) as exc:
            raise ParseError(f"cannot parse HTML ({exc})") from None
        if root is None:
            raise ParseError("no HTML content")
        _note_ids(root, parser.error_log)
        return root

    @cached_property
    def body(self) -> etree._Element:
        body = self.root.find("body")
        return body if body is not None else self.root

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()


#: libxml2 stops reporting a document's errors after this many.
_MAX_REPORTED_ERRORS = 100
_ID_REDEFINED = re.compile(r"^ID (.*) already defined$")
#: [document root, its parser log, its duplicated ids] of the page parsed last.
_ids: list = [None, None, None]


def _note_ids(root: etree._Element, log: etree._ListErrorLog) -> None:
    _ids[:] = [root, log, None]  # read lazily: most pages never ask


def duplicate_ids(root: etree._Element) -> frozenset[str] | None:
    """The ids that more than one element of ``root``'s document carries, as the parser reported
    them, or None when unknown (not the page parsed last, or its error log was cut short).

    libxml2 indexes ids while parsing; XPath's ``id('x')`` then finds an element without walking
    the document, but only the first of several with the same id."""
    doc_root, log, dups = _ids
    if doc_root is None or root.getroottree().getroot() is not doc_root:
        return None
    if dups is None and log is not None:
        dups = _duplicates(log)
        if dups is None:
            return None
        _ids[:] = [doc_root, None, dups]
    return dups


def _duplicates(log: etree._ListErrorLog) -> frozenset[str] | None:
    if len(log) >= _MAX_REPORTED_ERRORS:
        return None  # the log was cut short: a duplicate may have gone unreported
    dups = set()
    for entry in log.filter_types([etree.ErrorTypes.DTD_ID_REDEFINED]):
        m = _ID_REDEFINED.match(entry.message)
        if m is None:
            return None
        dups.add(m.group(1))
    return frozenset(dups)


def looks_like_html(text: str) -> bool:
    """HTML if tags are common in the first part of the text; otherwise a text dump."""
    sample = text[:20000]
    if next(islice(_TAG.finditer(sample), 2, None), None) is not None:  # a third tag: enough
        return True
    return bool(re.match(r"\s*(<!doctype|<html|<\?xml)", sample, re.I))
