"""The input page as the pipeline sees it: decoded text, its format, and a lazily parsed tree.

Families ask a ``Page`` for cheap signals (body id/class, generator) before anything expensive
happens; the tree is parsed once, on first use, and shared by every stage.
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml import etree

from .errors import ParseError

_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BODY_TAG = re.compile(r"<body\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\b(id|class)\s*=\s*["']([^"']*)["']""", re.I)
_GENERATOR = re.compile(r"""<meta[^>]+name=["']generator["'][^>]+content=["']([^"']+)""", re.I)
_GENERATOR_REV = re.compile(r"""<meta[^>]+content=["']([^"']+)["'][^>]+name=["']generator["']""", re.I)
_TAG = re.compile(r"<(?:html|head|body|div|p|br|table|a|span|meta|title|script|!doctype)\b", re.I)

# libxml2 parses UTF-8 bytes faster than a Python str, so the decoded text is handed over as UTF-8.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, no_network=True,
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
        if not text.strip():
            raise ParseError("empty page")
        try:
            root = etree.fromstring(text.encode("utf-8", "surrogatepass"), _PARSER)
        except (etree.ParserError, ValueError) as exc:
            raise ParseError(f"cannot parse HTML ({exc})") from None
        if root is None:
            raise ParseError("no HTML content")
        return root

    @cached_property
    def body(self) -> etree._Element:
        body = self.root.find("body")
        return body if body is not None else self.root

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()


_LEADING_MARKUP = re.compile(r"\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|\?xml|head|body)\b", re.I | re.S)
# Tags that build a document; inline tags (a, img, br, strong, blockquote, title, link) also turn
# up in text dumps (Markdown archives keep some, crawlers leave <BR>), so they do not count.
_STRUCTURE_TAG = re.compile(r"</?(?:html|head|body|div|table|tbody|tr|td|th|meta|script|style|form|ul|ol|li|"
                            r"span|p|h[1-6]|dl|dd|dt|iframe|input|select|textarea|em|font|center)\b", re.I)
_MD_LINK = re.compile(r"!?\[[^\]\n]{0,300}\]\([^)\s]{1,800}(?:\s+\"[^\"\n]{0,200}\")?\)")
_MD_LINE = re.compile(r"^(?:#{1,6}[ \t]+\S|\*{3,}[ \t]*$|\* \* \*[ \t]*$|```)", re.M)
_MD_BOLD = re.compile(r"\*\*[^*\n]{1,80}\*\*")


def looks_like_html(text: str) -> bool:
    """HTML if the text opens like a document or document-structure tags are common in it.

    Text dumps may still hold stray inline tags (``<BR>``, ``<img …>``, ``<blockquote>``), so
    those do not make a page HTML.
    """
    sample = text[:20000]
    if _LEADING_MARKUP.match(sample):
        return True
    return len(_STRUCTURE_TAG.findall(sample)) >= 5


def looks_like_markdown(text: str) -> bool:
    """A Markdown rendering (html2text, reader modes, EPUB or archive converters)."""
    sample = text[:50000]
    links = len(_MD_LINK.findall(sample))
    marks = len(_MD_LINE.findall(sample))
    return links >= 3 or marks >= 2 or len(_MD_BOLD.findall(sample)) >= 3
