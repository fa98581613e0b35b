"""The input page as the pipeline sees it: decoded text, its format, and a lazily parsed tree.

Families ask a ``Page`` for cheap signals (body id/class, generator) before anything expensive
happens; the tree is parsed once, on first use, and shared by every stage.

Broken markup is never silently cut short: libxml2 stops reading a page nested deeper than
256 levels (real forum pages nest about 30), so such a page is re-read without the tags below
that depth, their text kept in place (browsers cap their trees too: Blink at 512 levels); the
cap also keeps every later stage linear. An element with
thousands of attributes (quadratic in libxml2) keeps its first 1024. What was repaired is said
in ``Page.warnings``.
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml import etree

from .errors import ParseError

_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# [^<>] rather than [^>]: many unclosed "<body" or "<meta" must not rescan to the next ">".
_BODY_TAG = re.compile(r"<body\b([^<>]*)>", re.I)
# Attribute values in raw markup come double-quoted, single-quoted or bare (HTML allows unquoted
# values, and minifiers and some serializers drop the quotes): patterns over the raw text
# accept all three.
_ATTR = re.compile(r"""\b(id|class)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_GENERATOR = re.compile(r"""<meta[^<>]+name=["']?generator["'\s][^<>]*content=["']([^"']+)""", re.I)
_GENERATOR_REV = re.compile(r"""<meta[^<>]+content=["']([^"']+)["'][^<>]+name=["']?generator\b""", re.I)
_TAG = re.compile(r"<(?:html|head|body|div|p|br|table|a|span|meta|title|script|!doctype)\b", re.I)

#: Nesting beyond this depth is flattened into siblings (libxml2's own limit without huge_tree).
MAX_DEPTH = 256
#: Attributes read on one element.
MAX_ATTRIBUTES = 1024

# One parser per call: lxml parsers must not be shared between threads, and each call reads its
# own error log.
def _parser(huge: bool = False, encoding: str | None = None) -> etree.HTMLParser:
    # Without huge_tree libxml2 refuses depth > 256 and text nodes > 10 MB: both are retried.
    return etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=huge, no_network=True,
                            encoding=encoding)


# Tokens for the nesting repair: comments and raw-text elements are copied whole, tags tracked.
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|textarea|xmp|plaintext)\b[^<>]*>.*?(?:</\1\s*>|\Z)"
                    r"|<(/?)([A-Za-z][^\s/<>]*)((?:[\s/][^<>]*)?)>", re.S | re.I)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "isindex"})
# Elements that an open element of the same name closes (``<li>`` after ``<li>``...).
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "td", "th", "tr", "option", "dt", "dd"})
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{16384,}>")
_TAG_ATTR = re.compile(r"""[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


def flatten_deep(text: str, max_depth: int = MAX_DEPTH) -> str:
    """``text`` without the tags of elements that would open deeper than ``max_depth``.

    Their text stays, inside the element at the limit; the structure above stays whole (each
    dropped start tag drops its own end tag too). Open elements are tracked roughly as libxml2
    does: void elements, ``<li>`` closing an open ``<li>``, an end tag closing up to its element.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (name, tag dropped)
    open_count: dict[str, int] = {}
    depth = 0  # elements on the stack whose tags were kept
    pos = 0

    def pop() -> tuple[str, bool]:
        nonlocal depth
        name, dropped = stack.pop()
        open_count[name] -= 1
        if not dropped:
            depth -= 1
        return name, dropped

    for m in _TOKEN.finditer(text):
        name = m.group(3)
        if not name:
            continue
        name = name.lower()
        if m.group(2):  # end tag: close up to the matching element, if one is open
            if not open_count.get(name):
                continue
            while True:
                top, dropped = pop()
                if top == name:
                    break
            if dropped:
                out.append(text[pos:m.start()])
                pos = m.end()
            continue
        if name in _VOID or m.group(4).rstrip().endswith("/"):
            continue
        if stack and name in _SELF_CLOSING_SIBLINGS and stack[-1][0] == name:
            pop()
        drop = depth >= max_depth
        if drop:
            out.append(text[pos:m.start()])
            pos = m.end()
        else:
            depth += 1
        stack.append((name, drop))
        open_count[name] = open_count.get(name, 0) + 1
    out.append(text[pos:])
    return "".join(out)


def cap_attributes(text: str, limit: int = MAX_ATTRIBUTES) -> tuple[str, int]:
    """``text`` with every element's attributes beyond ``limit`` dropped; and how many tags changed."""
    spans = long_tags(text)
    if not spans:
        return text, 0
    out: list[str] = []
    pos = changed = 0
    for start, end in spans:
        tag = text[start:end]
        attrs = _TAG_ATTR.findall(tag, 1, len(tag) - 1)
        if len(attrs) > limit + 1:  # the first "attribute" is the tag name
            changed += 1
            out += [text[pos:start], "<", " ".join(attrs[: limit + 1]), ">"]
            pos = end
    out.append(text[pos:])
    return "".join(out), changed


_WINDOW = 8192


def long_tags(text: str) -> list[tuple[int, int]]:
    """Where ``_LONG_TAG`` matches in ``text`` (start, end), found without running it.

    A match is a run of at least 16385 characters without ``<`` or ``>``, a letter first, with
    ``<`` before it and ``>`` after it. Such a run covers a whole aligned window of 8192
    characters, and most windows hold a ``<`` early (cheap finds); only around a window without
    either is the run measured. (The regex tried every ``<`` of the page, and on a page holding
    a long run elsewhere, such as a font inlined in a style sheet, cost half a parse.)
    """
    find, rfind, n = text.find, text.rfind, len(text)
    spans = []
    start = 0
    while start + _WINDOW <= n:
        end = start + _WINDOW
        if find("<", start, end) >= 0 or find(">", start, end) >= 0:
            start = end
            continue
        run_start = max(rfind("<", 0, start), rfind(">", 0, start)) + 1
        run_end = min((at for at in (find("<", end), find(">", end)) if at >= 0), default=n)
        first = text[run_start]
        if (run_end - run_start > 16384 and run_start > 0 and text[run_start - 1] == "<" and run_end < n
                and text[run_end] == ">" and ("A" <= first <= "Z" or "a" <= first <= "z")):
            spans.append((run_start - 1, run_end + 1))
        start = -(-run_end // _WINDOW) * _WINDOW  # the first window that may lie in a later run
    return spans


def _depth_error(parser: etree.HTMLParser) -> bool:
    return any("depth" in e.message.lower() for e in parser.error_log if e.level_name == "FATAL")


def _fatal(parser: etree.HTMLParser) -> str | None:
    for e in parser.error_log:
        if e.level_name == "FATAL":
            return e.message.strip()
    return None


class Page:
    def __init__(self, text: str, input_format: str, url: str | None = None,
                 encoding: str | None = None, http_headers: dict | None = None,
                 utf8: bytes | None = None) -> None:
        self.text = text
        #: ``text`` encoded as UTF-8, when the input came so (read without encoding the str).
        self.utf8 = utf8
        self.input_format = input_format
        self.url = url
        self.encoding = encoding
        self.http_headers = http_headers or {}
        #: What had to be repaired to read the page (shown in ``Document.warnings``).
        self.warnings: list[str] = []
        #: The markup the tree was parsed from: ``text``, or its repaired form (see above).
        self.parsed_text = text
        #: Facts read once per page by the families' helpers (see families/html.py).
        self.facts: dict[str, object] = {}

    # -- cheap signals read from the raw text ------------------------------------------------
    @cached_property
    def head(self) -> str:
        """The first 16 KiB (doctype, head, comments and the body tag of most pages), or up to
        ``</head>`` when inline styles or scripts make the head longer (a page saved with its
        style sheets and fonts inlined can have a head of megabytes)."""
        text = self.text
        at = text.find("</head")
        if at < 0:
            at = text.find("</HEAD")
        return text[:max(_HEAD_SIZE, at + len("</head>"))] if at >= 0 else text[:_HEAD_SIZE]

    @cached_property
    def _own_end(self) -> int:
        """Where the page's own markup ends: after its last ``</html>`` (a host's tracking
        scripts can follow it), else at the end of the text."""
        at = self.text.rfind("</html")
        if at < 0:
            at = self.text.rfind("</HTML")
        return at + len("</html>") if at >= 0 else len(self.text)

    def end(self, size: int) -> str:
        """The last ``size`` characters of the page's own markup (the footer's region)."""
        stop = self._own_end
        return self.text[max(0, stop - size):stop]

    @cached_property
    def body_attrs(self) -> tuple[str, str]:
        m = _BODY_TAG.search(self.text, 0, 200_000)
        if not m:
            return "", ""
        attrs = {k.lower(): dq or sq or bare for k, dq, sq, bare in _ATTR.findall(m.group(1))}
        return attrs.get("id", ""), attrs.get("class", "")

    @property
    def body_id(self) -> str:
        return self.body_attrs[0]

    @property
    def body_class(self) -> str:
        return self.body_attrs[1]

    @cached_property
    def generator(self) -> str | None:
        # (a case-insensitive regex tries every "<meta"; the plain word, as templates write it,
        # spares lowercasing the head)
        if "generator" not in self.head and "generator" not in self.head.lower():
            return None
        m = _GENERATOR.search(self.head) or _GENERATOR_REV.search(self.head)
        return m.group(1).strip() if m else None

    def contains(self, *needles: str) -> bool:
        return any(n in self.text for n in needles)

    def has_attribute(self, name: str, value: str) -> bool:
        """Whether the markup writes ``name=value`` on some element: the whole value, quoted
        either way or bare (plain substring tests, far cheaper than a regex over the page)."""
        text = self.text
        if value not in text or f'{name}="{value}"' in text:  # (one scan, or two, answer most pages)
            return value in text
        bare = f"{name}={value}"
        if bare in text and any(bare + end in text for end in (" ", ">", "/", "\t", "\n")):
            return True
        return f"{name}='{value}'" in text

    def has_id(self, ident: str) -> bool:
        return self.has_attribute("id", ident)

    # -- the parsed tree -----------------------------------------------------------------------
    @cached_property
    def root(self) -> etree._Element:
        text, utf8 = self.text, self.utf8
        prolog = _XML_PROLOG.match(text)
        if prolog:
            text, utf8 = text[prolog.end():], None
        if not text or text.isspace():
            raise ParseError("empty page")
        text, cut = cap_attributes(text)
        if cut:
            self.parsed_text, utf8 = text, None
            self.warnings.append(f"{cut} element(s) with over {MAX_ATTRIBUTES} attributes: "
                                 f"only the first {MAX_ATTRIBUTES} were read")
        root, parser = _parse(text, utf8=utf8)
        if _depth_error(parser):
            for depth in (MAX_DEPTH, MAX_DEPTH // 4):
                # Our estimate of the depth can be off where libxml2 closes elements on its own:
                # the huge_tree parser's limit of 2048 leaves room, and a second, lower cap.
                flat = flatten_deep(text, depth)
                root, parser = _parse(flat, huge=True)
                if not _depth_error(parser):
                    self.parsed_text = flat
                    self.warnings.append(f"page nests elements deeper than {depth} levels: the "
                                         f"markup below that depth was ignored (its text kept)")
                    break
            else:
                raise ParseError("page nests elements too deeply to read")
        elif _fatal(parser):
            root, parser = _parse(text, huge=True, utf8=utf8)  # a text node over 10 MB
        fatal = _fatal(parser)
        if fatal:
            # libxml2 stopped early: say so rather than return part of the page as if whole.
            self.warnings.append(f"HTML parser stopped early ({fatal}): the rest of the page is missing")
        if root is None:
            raise ParseError("no HTML content")
        return root

    @cached_property
    def body(self) -> etree._Element:
        body = self.root.find("body")
        return body if body is not None else self.root

    @property
    def bodies(self) -> list[etree._Element]:
        """``body``, and the body of any ``<html>`` after the first: markup after ``</html>``
        can start a second one beside it, and what it holds is still the page's text."""
        out = [self.body]
        for el in self.root.itersiblings():
            if isinstance(el.tag, str):
                body = el.find("body")
                out.append(body if body is not None else el)
        return out

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()


_HEAD_SIZE = 16384
_LEADING_MARKUP = re.compile(r"\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|\?xml|head|body)\b", re.I | re.S)
# Tags that build a document; inline tags (a, img, br, strong, blockquote, title, link) also turn
# up in text dumps (Markdown archives keep some, crawlers leave <BR>), so they do not count.
_STRUCTURE_TAG = re.compile(r"</?(?:html|head|body|div|table|tbody|tr|td|th|meta|script|style|form|ul|ol|li|"
                            r"span|p|h[1-6]|dl|dd|dt|iframe|input|select|textarea|em|font|center)\b", re.I)
_MD_LINK = re.compile(r"!?\[[^\]\n]{0,300}\]\([^)\s]{1,800}(?:\s+\"[^\"\n]{0,200}\")?\)")
_MD_LINE = re.compile(r"^(?:#{1,6}[ \t]+\S|\*{3,}[ \t]*$|\* \* \*[ \t]*$|```)", re.M)
_MD_BOLD = re.compile(r"\*\*[^*\n]{1,80}\*\*")


def _parse(text: str, huge: bool = False,
           utf8: bytes | None = None) -> tuple[etree._Element | None, etree.HTMLParser]:
    """The tree of ``text``; from ``utf8``, its UTF-8 bytes, when given: libxml2 reads those
    without the conversion a str needs (lxml hands it over as UTF-16 or UTF-32). The encoding is
    fixed so that the page's own ``<meta charset>`` cannot make libxml2 read the bytes again."""
    parser = _parser(huge, "utf-8" if utf8 is not None else None)
    try:
        root = etree.fromstring(text if utf8 is None else utf8, parser)
    except (etree.LxmlError, ValueError) as exc:
        raise ParseError(f"cannot parse HTML ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    return root, parser


def looks_like_html(text: str) -> bool:
    """HTML if the text opens like a document or document-structure tags are common in it.

    Text dumps may still hold stray inline tags (``<BR>``, ``<img …>``, ``<blockquote>``), so
    those do not make a page HTML.
    """
    # The first 20000 characters, bounded by endpos (no copy).
    if _LEADING_MARKUP.match(text, 0, 20000):
        return True
    return len(_STRUCTURE_TAG.findall(text, 0, 20000)) >= 5


def looks_like_markdown(text: str) -> bool:
    """A Markdown rendering (html2text, reader modes, EPUB or archive converters)."""
    sample = text[:50000]
    # Each pattern needs a plain string that a substring test finds faster than the pattern
    # is tried at every position: a link's 「](」, a line mark's 「#」, 「*」 or 「`」, bold's 「**」.
    return ("](" in sample and len(_MD_LINK.findall(sample)) >= 3) \
        or (("#" in sample or "*" in sample or "`" in sample) and len(_MD_LINE.findall(sample)) >= 2) \
        or ("**" in sample and len(_MD_BOLD.findall(sample)) >= 3)
