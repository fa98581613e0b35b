"""Helpers shared by the HTML families: region labelling and page-level facts.

Page facts (own URL, footer clock and offset, generator, site name, thread id) are read the same
way on every Discuz HTML page, so they live here once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, wraps
from typing import TypeVar
from urllib.parse import urljoin

from lxml import etree

from ..blocks import Verdict, fold, kept, removed
from ..dates import parse_footer_clock
from ..model import Document
from ..page import Page
from ..rules.chrome import FOOTER_CLOCK, PAGE_REGIONS, cls
from ..rules.strings import TITLE_SUFFIXES

# Case-insensitive only where letters are: a literal 「<!--」 first lets the regex engine jump
# between comments instead of trying every position of the page.
_SAVED_FROM = re.compile(r"<!--\s*(?i:saved from url)=\(\d+\)\s*(\S+?)\s*-->")
_HTTRACK = re.compile(r"<!--\s*(?i:Mirrored from)\s+(\S+)\s+(?i:by HTTrack)")
_TEXT_WRAPPER = re.compile(r"""^\s*<text\s+id=["']([^"']+)["']""", re.I)
# Starts with a literal (no \b) so the scan is fast; "ptid =" is not written by the templates.
_TID_SCRIPT = re.compile(r"tid\s*=\s*parseInt\(\s*['\"](\d+)['\"]\s*\)")
_TID_URL = re.compile(r"(?:[?&;]tid=|[?&;]ptid=|thread-|\?tid-|/tid-)(\d+)")
_PAGE_URL = re.compile(r"(?:[?&]page=(\d+)|thread-\d+-(\d+)-\d+\.html|tid-\d+\.html&page=(\d+))")
_INT = re.compile(r"\d+")
_GMT_TEXT = re.compile(r"GMT\s*[+-]?\s*[\d.]*\s*[,，]\s*(?:(?:19|20)\d\d|\d{1,2}[-/]\d{1,2}[-/](?:19|20)\d\d)"
                       r"[^<]{0,40}")
_TAGS = re.compile(r"<[^>]+>")
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_ARCHIVER = re.compile(r"Discuz!\s*(?:X[\d.]*\s*)?Archiver|Archiver\s*</title>|'s Archiver\s*<", re.I)
_THREAD_LINK = re.compile(r"viewthread|thread-\d|[?&]tid=|tid-\d")


# ``//*[@id='x']`` scans the whole tree; ``id('x')`` is a hash lookup in libxml2's HTML documents.
_ID_STEP = re.compile(r"(^|\|\s*)//\*\[@id\s*=\s*'([\w\-:.]+)'\]")


@lru_cache(maxsize=512)
def xpath(expr: str) -> etree.XPath:
    """A compiled XPath (cached); leading ``//*[@id='x']`` steps become ``id('x')`` lookups, and
    other ``//name`` steps ``/descendant::name`` where that means the same (see fast_descendants)."""
    # regexp=False: no expression uses EXSLT's re: functions, whose registration every call paid.
    return etree.XPath(fast_descendants(_ID_STEP.sub(lambda m: f"{m.group(1)}id('{m.group(2)}')", expr)),
                       regexp=False)


def has_class(el: etree._Element, name: str) -> bool:
    """The Python form of ``cls(name)`` (same tokens: split on spaces only), for lxml's tag-filtered
    walks, which beat an XPath predicate evaluated on every element of a subtree."""
    return f" {name} " in f" {el.get('class') or ''} "


_STEP = re.compile(r"(?:[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?|\*)(?![\w(:.\-])")
_POSITIONAL = re.compile(r"^\s*\d+\s*$|last\(\)|position\(\)")


def fast_descendants(expr: str) -> str:
    """``expr`` with ``//name`` steps written ``/descendant::name`` where that means the same.

    ``a//b`` is ``a/descendant-or-self::node()/child::b``: libxml2 builds the node set of every
    node below each ``a``, which turns quadratic when ``a`` elements nest (a broken page that
    repeats a region a thousand times took seconds per query). ``descendant::b`` selects the
    same elements unless the step has a positional predicate (``[1]``, ``[last()]``), which
    is left alone.
    """
    out: list[str] = []
    i, n, quote = 0, len(expr), ""
    while i < n:
        c = expr[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif expr.startswith("//", i):
            m = _STEP.match(expr, i + 2)
            if m and not _positional_predicate(expr, m.end()):
                out.append("/descendant::")
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _positional_predicate(expr: str, i: int) -> bool:
    """Whether the predicates starting at ``expr[i]`` include a positional one."""
    while i < len(expr) and expr[i] == "[":
        depth, j, quote = 0, i, ""
        while j < len(expr):
            c = expr[j]
            if quote:
                quote = "" if c == quote else quote
            elif c in "'\"":
                quote = c
            elif c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if _POSITIONAL.search(expr[i + 1:j]):
            return True
        i = j + 1
    return False


#: The text nodes under an element joined, as ``"".join(el.itertext())`` gives them (scripts' and
#: styles' text too).
string_value = etree.XPath("string()", smart_strings=False)


def text_of(el: etree._Element | None) -> str:
    """Visible text of an element in reading order, white space folded (scripts, styles and
    comments left out, with what they hold; the text after them kept)."""
    if el is None:
        return ""
    if len(el) == 0:  # (most calls: a name, a time, a floor with no element inside)
        return fold(el.text or "").strip() if isinstance(el.tag, str) and el.tag not in _NO_TEXT else ""
    if next(el.iter(*_HIDDEN_TEXT), None) is None:
        # Nothing to leave out but comments: the XPath string value (its text nodes, comments'
        # tails among them, joined in C) is what the walk below would read; lxml's ``itertext``
        # makes an element object per step and costs ten times as much on a long post.
        return fold(string_value(el)).strip()
    return fold("".join(_visible_parts(el))).strip()


def is_short_notice(el: etree._Element, notices: tuple[str, ...], limit: int = 200) -> bool:
    """Whether ``text_of(el)`` is shorter than ``limit`` and holds one of ``notices``.

    A post's body is asked this once (is it only a notice standing in for the post?), and most
    bodies are long: a few hundred of the text's first characters that are not blanks prove it
    long without folding the whole text (folding keeps each of them, ``strip`` too).
    """
    if len(el) and next(el.iter(*_HIDDEN_TEXT), None) is None:
        raw = string_value(el)
        if len(raw) >= limit:
            head = raw[:4 * limit]
            solid = len("".join(head.split())) - head.count("\u200b") - head.count("\ufeff")
            if solid >= limit:
                return False
        text = fold(raw).strip()
    else:
        text = text_of(el)
    return len(text) < limit and any(n in text for n in notices)


def _visible_parts(el: etree._Element) -> list[str]:
    """The texts and tails under ``el`` in reading order, leaving out scripts, styles, comments
    and processing instructions with what they hold (the text after them kept)."""
    parts = []
    skipping = None  # the script, style or comment being passed over
    for event, node in etree.iterwalk(el, events=_TEXT_EVENTS):
        if event == "start":
            if skipping is None:
                if node.tag in _NO_TEXT:
                    skipping = node
                elif node.text:
                    parts.append(node.text)
        elif event != "end":  # a comment or processing instruction: only its tail shows
            if skipping is None and node is not el and node.tail:
                parts.append(node.tail)
        else:
            if node is skipping:
                skipping = None
            # A child's tail comes after everything the child holds.
            if skipping is None and node is not el and node.tail:
                parts.append(node.tail)
    return parts


_NO_TEXT = frozenset({"script", "style"})
#: What ``itertext`` would read differently: scripts and styles (their text), processing
#: instructions and entities.
_HIDDEN_TEXT = (*_NO_TEXT, etree.ProcessingInstruction, etree.Entity)
_TEXT_EVENTS = ("start", "end", "comment", "pi")


# An absolute http(s) address that ``urljoin`` gives back as it is, whatever the base: a host
# (no brackets), a port, a path of plain characters; nothing it splits off or rewrites (no ``;``,
# ``?``, ``#``, blanks or control characters).
_PLAIN_ADDRESS = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]+)?(?:/[\w.~!$&'()*+,=:@%/\-]*)?", re.ASCII)


def join_url(base: str | None, href: str) -> str:
    """``href`` resolved against ``base``; as written when either is malformed (``http://[x``)."""
    if not base or _PLAIN_ADDRESS.fullmatch(href):  # (most image addresses: urljoin is slow)
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def first(el: etree._Element, expr: str) -> etree._Element | None:
    found = xpath(expr)(el)
    return found[0] if found else None


def label_regions(root: etree._Element, table: Iterable[tuple[str, str]], verdicts: dict,
                  post: int | None = None, overwrite: bool = True) -> None:
    if root.getparent() is None:  # the whole page: its id and class rules answered from one index
        from .prefilter import find_regions

        matches: Iterable = find_regions(root, table, xpath)
    else:
        matches = (((_child_step(expr) or xpath(expr))(root), reason) for expr, reason in table)
    for found, reason in matches:
        if not found:  # the common case, per post and per row: no verdict to build
            continue
        v = removed(reason, post)
        for el in found:
            if overwrite or el not in verdicts:
                verdicts[el] = v


_CHILD_STEP = re.compile(r"\./([A-Za-z][\w\-]*)(?:\[contains\(concat\(' ', @class, ' '\), ' ([^' ]+) '\)\])?")


@lru_cache(maxsize=256)
def _child_step(expr: str) -> Callable[[etree._Element], list[etree._Element]] | None:
    """``./TAG`` or ``./TAG[cls(NAME)]`` read from the element's children in Python (an XPath
    call costs more than looking at a post body's few children); a relative rule of the page
    index's simple form (``.//TAG[cls(NAME) or @id='ID'] | …``) by one tag-filtered walk
    (``prefilter.relative_finder``); None for any other XPath."""
    m = _CHILD_STEP.fullmatch(expr)
    if m is None:
        from .prefilter import relative_finder

        return relative_finder(expr)
    tag, name = m.groups()
    if name is None:
        return lambda el: list(el.iterchildren(tag))
    return lambda el: [child for child in el.iterchildren(tag) if has_class(child, name)]


def label_page_chrome(page: Page, verdicts: dict) -> None:
    """Label the usual Discuz chrome (``full`` mode only, for ``diff``).

    Never overrides what the family labelled, and never reaches into what the family kept (title,
    post bodies): ``extract`` does not run this, so a label there would make ``diff`` disagree
    with it. Text to remove inside a body belongs in ``MESSAGE_REGIONS``, which both modes apply.
    """
    from .prefilter import find_below

    chrome: dict = {}
    label_regions(page.root, PAGE_REGIONS, chrome)
    for el in find_below(page.root, FOOTER_CLOCK, xpath):
        chrome[el] = kept("clock")
    kept_roots = {el for el, v in verdicts.items() if v.keep}
    for el, v in chrome.items():
        if el in verdicts or _inside(el, kept_roots):
            continue
        verdicts[el] = v


def page_roots(page: Page, verdicts: dict, roots: list, title_el: etree._Element | None,
               full: bool) -> list:
    """What to walk: with ``full`` (``diff``) the whole page, its usual chrome labelled; else the
    title element, then the post bodies ``roots``."""
    if full:
        label_page_chrome(page, verdicts)
        return page.bodies
    if title_el is not None:
        roots.insert(0, title_el)
    return roots


def _inside(el: etree._Element, roots: set) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent in roots:
            return True
        parent = parent.getparent()
    return False


def mark(verdicts: dict, el: etree._Element | None, verdict: Verdict) -> None:
    if el is not None:
        verdicts[el] = verdict


def to_int(text: str | None) -> int | None:
    m = _INT.search(text or "")
    # A counter or floor longer than 18 digits is noise (and past 4300 digits int() refuses it).
    return int(m.group()) if m and len(m.group()) <= 18 else None


# -- page facts ------------------------------------------------------------------------------

T = TypeVar("T")


def _once_per_page(fact: Callable[[Page], T]) -> Callable[[Page], T]:
    """``fact(page)`` computed on the first call and kept in ``page.facts`` (several families'
    helpers ask for the same facts)."""
    key = fact.__name__

    @wraps(fact)
    def cached(page: Page) -> T:
        try:
            return page.facts[key]  # type: ignore[return-value]
        except KeyError:
            value = page.facts[key] = fact(page)
            return value

    return cached


@_once_per_page
def _head(page: Page) -> etree._Element:
    """The page's ``<head>`` (the root's first ``head`` child), or the root without one."""
    # (``find("head")`` runs ElementPath's Python; the children are read in C)
    root = page.root
    return next(root.iterchildren("head"), root)


@_once_per_page
def saved_address(page: Page) -> str | None:
    """Where a saved copy was fetched from: a browser's 「saved from url」 comment, HTTrack's
    「Mirrored from」 comment or a crawler's ``<text id=URL>`` wrapper (anatomy §1, §12.7)."""
    head = page.head
    for pattern in (_SAVED_FROM, _HTTRACK, _TEXT_WRAPPER):
        m = pattern.search(head)
        if m:
            url = m.group(1).strip()
            if pattern is _HTTRACK and not _ABSOLUTE.match(url):
                url = "http://" + url  # HTTrack names HOST/PATH without the scheme
            if _ABSOLUTE.match(url):
                return url
    return None


@_once_per_page
def base_href(page: Page) -> str | None:
    """The absolute address the page's relative links resolve against, if the page gives one.

    ``<base href>`` when absolute; a relative or empty base is resolved against the saved-from
    address; without either there is no base (a relative link then names no address).
    """
    head = _head(page)  # ``.//base[@href]``, by lxml's tag filter (ElementPath walks in Python)
    b = next((el for el in head.iter("base") if el is not head and el.get("href") is not None), None)
    href = (b.get("href") or "").strip() if b is not None else ""
    if _ABSOLUTE.match(href):
        return href
    anchor = saved_address(page)
    if anchor:
        return join_url(anchor, href) if href else anchor
    return None


def absolute_url(page: Page, href: str | None, base: str | None = "") -> str | None:
    """``href`` made absolute against the page's base (``base_href`` unless given); None when
    it cannot be."""
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "#")):
        return None
    if href.startswith("//"):
        href = "http:" + href
    if _ABSOLUTE.match(href):
        return href
    base = base_href(page) if base == "" else base
    return join_url(base, href) if base else None


def own_url(page: Page) -> str | None:
    """The page's own address as the page states it.

    In order: the archiver's 「查看完整版本」 link to the thread, the canonical link, ``og:url``,
    and the address a saved copy was fetched from. Relative forms are resolved against
    ``<base href>`` or the saved-from address; a relative address that cannot be resolved is
    not an address.
    """
    head = _head(page)
    anchor = full_version_link(page)
    candidates: list[str | None] = [anchor.get("href") if anchor is not None else None]
    # ``.//link[@rel='canonical']/@href`` and ``.//meta[@property='og:url']/@content`` read with
    # lxml's tag filter: two XPath scans of the head cost more than one walk of its few elements.
    for tag, name, value, attr in (("link", "rel", "canonical", "href"), ("meta", "property", "og:url", "content")):
        for el in head.iter(tag):
            if el.get(name) == value and el.get(attr) is not None:
                candidates.append(el.get(attr))
                break
    base = base_href(page) if any(candidates) else None
    for href in candidates:
        url = absolute_url(page, href, base)
        if url:
            return url
    return saved_address(page)


# Where a thread page names its own thread without a canonical link (anatomy §4, §6): the X
# 「[复制链接]」 share link (``copyThreadUrl``), the print view link (``action=printable``) and the
# reply form's action (X ``mod=post&action=reply``, 6/7 ``post.php?action=reply``), each
# carrying the thread id.
def _thread_self_links(root: etree._Element, limit: int) -> Iterator[str]:
    """The first ``limit`` of ``//a[contains(@onclick, 'copyThreadUrl')]/@href | //a[contains(@href,
    'action=printable') and contains(@href, 'tid=')]/@href | //form[contains(@action,
    'action=reply') and contains(@action, 'tid=')]/@action``, in document order: one walk with
    lxml's tag filter, as far as the reader asks (the share link stands near the top; the XPath
    union scanned the whole page three times)."""
    found = 0
    for top in (root, *root.itersiblings()):  # ``//`` reaches a second <html> after the first
        for el in top.iter("a", "form"):
            if el.tag == "a":
                href = el.get("href")
                if href is None or not (("action=printable" in href and "tid=" in href)
                                        or "copyThreadUrl" in (el.get("onclick") or "")):
                    continue
            else:
                href = el.get("action")
                if href is None or "action=reply" not in href or "tid=" not in href:
                    continue
            yield href
            found += 1
            if found == limit:
                return
_X_TID = re.compile(r"[?&;]tid=(\d+)")
_REWRITTEN_THREAD = re.compile(r"(?:^|/)thread-(\d+)-\d+-\d+\.html")
_SCRIPT = re.compile(r"(?:^|/)(forum|viewthread|post)\.php\b")


def stated_thread_url(page: Page) -> str | None:
    """The thread's address from the links a thread page holds to it (share, print, reply), in
    the form Discuz's own links take: ``forum.php?mod=viewthread&tid=N`` (X),
    ``viewthread.php?tid=N`` (6/7), ``thread-N-1-1.html`` (rewritten addresses). A relative
    link needs the page's absolute base: without one it names no page."""
    base = None
    for href in _thread_self_links(page.root, 6):
        href = html.unescape(str(href)).strip()
        if not _ABSOLUTE.match(href):
            base = base or base_href(page)
            if not base:
                return None
            href = join_url(base, href)
        m = _REWRITTEN_THREAD.search(href)
        if m:
            return join_url(href, f"thread-{m.group(1)}-1-1.html")
        m, script = _X_TID.search(href), _SCRIPT.search(href)
        if m and script:
            path = "forum.php?mod=viewthread&tid=" if script.group(1) == "forum" else "viewthread.php?tid="
            return join_url(href, path + m.group(1))
    return None


@_once_per_page
def is_archiver(page: Page) -> bool:
    """Title, generator or footer name the Discuz! Archiver."""
    head, end = page.head, page.end(4000)
    return ("Archiver" in head and _names_archiver(head)) or ("Archiver" in end and _names_archiver(end))


_ARCHIVER_WORD = re.compile("archiver", re.I)


def _archiver_words(text: str) -> list[tuple[int, int]]:
    """Where 「archiver」 stands in ``text``, in any case (as ``_ARCHIVER_WORD`` finds it).

    Found by plain substring search in the text's ASCII letters lowercased (one byte per
    character, every other character a 「?」, so every position is kept), several times cheaper
    than the case-insensitive regex, which tries every position, and than lowercasing the whole
    text. No character outside ASCII lowercases to a letter of the word but U+0130, and the
    regex takes U+0130 and U+0131 for 「i」: a text holding either is left to the regex.
    """
    if "\u0130" in text or "\u0131" in text:
        return [m.span() for m in _ARCHIVER_WORD.finditer(text)]
    low = text.encode("ascii", "replace").lower()
    out = []
    at = low.find(b"archiver")
    while at >= 0:
        out.append((at, at + 8))
        at = low.find(b"archiver", at + 8)
    return out


def _names_archiver(text: str) -> bool:
    """Whether ``_ARCHIVER`` matches in ``text``, trying it only around each 「archiver」.

    A case-insensitive pattern whose branches start with common letters tries nearly every
    position of a page; every match holds the word, so the windows around it are enough. A
    window reaches back over what may stand between 「Discuz!」 and the word (spaces, X, the
    version) plus the 7 characters of 「Discuz!」, and on over spaces plus 「</title>」.
    """
    for start, end in _archiver_words(text):
        while start > 0 and (text[start - 1].isspace() or text[start - 1].isdecimal()
                             or text[start - 1] in ".Xx"):
            start -= 1
        while end < len(text) and text[end].isspace():
            end += 1
        if _ARCHIVER.search(text, max(0, start - 7), end + 8):
            return True
    return False


@_once_per_page
def full_version_link(page: Page) -> etree._Element | None:
    """The archiver's 「查看完整版本」 link to the thread (X ``div#end``, 5–7 ``div#footer``)."""
    if not is_archiver(page):
        return None
    for a in xpath(f"//div[@id='end' or @id='footer' or {cls('footer')}]//a[@href]")(page.root):
        if _THREAD_LINK.search(a.get("href", "")):
            return a
    # Themes that rename #end keep the link's shape: the subject in <strong>, linking the thread.
    for a in xpath("//a[@href][strong]")(page.root):
        if _THREAD_LINK.search(a.get("href", "")):
            return a
    return None


def footer_clock(page: Page) -> tuple[str | None, str | None]:
    """(offset, rendered_at) from the footer 「GMT+8, 2025-7-7 04:11」 line."""
    # The footer is near the end: the raw text is searched backwards from there, not the tree
    # walked (what follows it, scripts or a character-referenced page, can be long). Its
    # character references are read (「GMT+8&#65292; 2025-7-7」).
    text = page.text
    end = len(text)
    for _ in range(50):  # the footer's is among the last few (a page of "GMT"s costs no more)
        at = text.rfind("GMT", 0, end)
        if at < 0:
            break
        m = _GMT_TEXT.match(html.unescape(text[at:at + 400]))
        if m:
            return parse_footer_clock(_TAGS.sub("", m.group()))
        end = at
    return None, None


def thread_id(page: Page, url: str | None) -> str | None:
    m = _tid_script(page.text)
    if m:
        return m.group(1)
    for candidate in (url, page.url):
        if candidate:
            m = _TID_URL.search(candidate)
            if m:
                return m.group(1)
    return None


_SPACE = re.compile(r"\s")


def _tid_script(text: str) -> re.Match | None:
    """The first ``_TID_SCRIPT`` match in ``text``.

    Every match holds a 「parseInt」; the first one's 「tid = 」 stands just before the first
    「parseInt」 (a later match starts after it: the 「p」 can be neither a blank, 「=」 nor a
    letter of 「tid」). So the search starts where the run of those characters before the first
    「parseInt」 starts, not at the top of the page (pages without the script have none at all).
    """
    at = text.find("parseInt")
    if at < 0:
        return None
    while at > 0 and (text[at - 1] in "=tid" or _SPACE.match(text[at - 1])):
        at -= 1
    return _TID_SCRIPT.search(text, at)


def page_number(page: Page, url: str | None = None) -> int | None:
    # X: div.pg; 6.x/7.x: div.pages.
    cur = _pager_current(page.root)
    if cur is not None and to_int(cur.text):
        return to_int(cur.text)
    # Without a pager (one-page threads) the moderation form still carries the page number.
    field = first(page.root, "id('modactions')//input[@name='page']")
    if field is not None and to_int(field.get("value")):
        return to_int(field.get("value"))
    # Not the canonical link: it always names page 1.
    for candidate in (page.url,):
        if candidate:
            m = _PAGE_URL.search(candidate)
            if m:
                return int(next(g for g in m.groups() if g))
    return None


def _pager_current(root: etree._Element) -> etree._Element | None:
    """The first ``div.pg > strong`` or ``div.pages > strong`` (the current page).

    Read with lxml's tag filter, stopping at the first: an XPath testing the class of every
    ``div`` of the page cost more than the rest of the page facts together.
    """
    for strong in root.iter("strong"):
        parent = strong.getparent()
        if parent is not None and parent.tag == "div":
            classes = f" {parent.get('class') or ''} "  # as cls(): tokens between spaces
            if " pg " in classes or " pages " in classes:
                return strong
    return None


def site_name(page: Page) -> str | None:
    """Site name from the footer's ICP link line or the title's tail."""
    title = next(_head(page).iterchildren("title"), None)
    if title is not None and title.text:
        parts = [p.strip() for p in re.split(r"\s+-\s+", title.text) if p.strip()]
        parts = [p for p in parts if not p.lower().startswith("powered by") and p not in TITLE_SUFFIXES]
        if len(parts) >= 2:
            return parts[-1]
    return None


_PAGE_SUFFIX = re.compile(r"^(?:第\s*\d+\s*[页頁]|Page\s+\d+)$", re.I)


def head_title(page: Page) -> str | None:
    """The subject from ``<title>`` (「SUBJECT - FORUM - SITE - Powered by Discuz!」), for pages
    whose template shows no title element. None unless the title has that shape (2+ parts)."""
    title = next(_head(page).iterchildren("title"), None)
    if title is None or not title.text:
        return None
    parts = [p.strip() for p in re.split(r"\s+-\s+", title.text) if p.strip()]
    parts = [p for p in parts if not p.lower().startswith("powered by") and p not in TITLE_SUFFIXES]
    if len(parts) < 2:
        return None
    subject = parts[0]
    return subject if not _PAGE_SUFFIX.match(subject) else None


def x_desktop_thread_body(page: Page) -> bool:
    """The body tag of an X desktop thread page: template/default/common/header.htm writes
    「<body id="nv_{basescript}" class="pg_{CURMODULE}">」 (forum or group threads:
    ``nv_forum``/``nv_group``, ``pg_viewthread``). 6/7 write 「<body id="viewthread">」, the touch
    and simple-mobile headers 「<body class="bg">」 and none: read from the top of the page, it
    spares the other families' scans of a whole X page for their own markup (``Family.signed``)."""
    return "pg_viewthread" in page.body_class and page.body_id in ("nv_forum", "nv_group")


def fill_page_facts(doc: Document, page: Page) -> None:
    """Facts every Discuz HTML page states the same way."""
    doc.url = own_url(page) or None
    doc.timezone, doc.rendered_at = footer_clock(page)
    doc.generator = page.generator
    doc.site = site_name(page)
    doc.thread_id = thread_id(page, doc.url)


# -- truncated pages (anatomy §12.8) -----------------------------------------------------------

_END_TAG = re.compile(r"</(?:html|body)\s*>", re.I)


def is_truncated(page: Page) -> bool:
    """A Discuz page (and every saved copy of one) ends with ``</body></html>``; a page without
    them was cut off (scripts a host appends after ``</html>`` are not the page's: see Page.end)."""
    return page.input_format == "html" and not _END_TAG.search(page.end(4096))


#: Post regions that follow the body (rules/chrome.py reasons): a cut there leaves the body whole.
_AFTER_BODY = frozenset({"signature", "action bar", "rating", "comments", "tags", "moderation note",
                         "attachment box", "login wall", "reward box"})


def cut_post(page: Page, verdicts: dict) -> int | None:
    """On a truncated page, the index of the post the cut left incomplete, if any.

    The last node of the document belongs to the post of its nearest labelled ancestor (or of
    its labelled tail). That post is incomplete unless the cut fell in a region that follows
    the body (signature, action bar, rating...) after the body was read.
    """
    el = None
    for el in page.root.iter():  # noqa: B007 - the last node in document order
        pass
    chain = []
    if el is not None and el.tail and el.tail.strip() and ("tail", el) in verdicts:
        chain.append(verdicts[("tail", el)])
    while el is not None:
        if el in verdicts:
            chain.append(verdicts[el])
        el = el.getparent()
    post = next((v.post for v in chain if v.post is not None), None)
    if post is None:
        return None
    in_body = any(v.is_body and v.post == post for v in chain)
    after_body = any(not v.keep and v.role in _AFTER_BODY and v.post == post for v in chain)
    if not in_body and after_body and any(v.is_body and v.post == post for v in verdicts.values()):
        return None
    return post
