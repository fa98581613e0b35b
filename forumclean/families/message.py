"""The rendered message markup that desktop, 7.x, touch and printable pages share (anatomy §4.3).

Labels what inside a post body is not the author's text, and reads the facts kept apart from
the body: quotes, images, the edit note.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from ..blocks import BODY, kept, removed, tail
from ..dates import parse_time
from ..model import Document, Edit, Image, Post, Quote
from ..rules.chrome import CODE_BOX_CLASSES, CODE_TAGS, MESSAGE_RULES, ElementRule
from ..rules.strings import (
    ATTACHMENT_HREF,
    ATTACHMENT_WORDS,
    EDIT_NOTE,
    EDIT_NOTE_WORDS,
    EDIT_NOTES,
    FILE_SIZE,
    QUOTE_HEADER,
)
from .html import has_class, join_url, label_regions, string_value, text_of, xpath

_SMILEY_HINTS = ("static/image/smiley", "smilieid", "/smilies/", "images/smilies")
# Template icons that sit inside messages: 6/7's quote back-link and attachment marker.
_ICON_NAMES = ("/back.gif", "/attachimg.gif")
# File-type icons beside an attachment's name: X static/image/filetype/, 6.x/7.x images/attachicons/.
_FILE_ICONS = ("/filetype/", "/attachicons/")


_BY_TAG: dict[str | None, list[ElementRule]] = {}
for _rule in MESSAGE_RULES:
    _BY_TAG.setdefault(_rule.tag, []).append(_rule)
_ANY_TAG = _BY_TAG.pop(None, [])


def _matches(rule: ElementRule, el: etree._Element, classes: set[str] | frozenset[str]) -> bool:
    if rule.cls is not None and rule.cls not in classes:
        return False
    if rule.id is not None and el.get("id") != rule.id:
        return False
    if rule.id_contains is not None and rule.id_contains not in (el.get("id") or ""):
        return False
    if rule.other_id_than is not None:
        ident = el.get("id")
        if not ident or ident.startswith(rule.other_id_than):
            return False
    if rule.style is not None and rule.style not in (el.get("style") or "").replace(" ", "").lower():
        return False
    if rule.parent_cls is not None:
        parent = el.getparent()
        if parent is None or rule.parent_cls not in (parent.get("class") or "").split():
            return False
    return True


def message_reason(el: etree._Element) -> str | None:
    """Why ``el`` inside a message is not the author's text, or None."""
    candidates = _BY_TAG.get(el.tag, ())
    if not candidates and el.get("class") is None and el.get("id") is None:
        return None  # rules for any tag all need a class or an id
    cls_attr = el.get("class")
    classes = set(cls_attr.split()) if cls_attr else set()
    for rule in (*candidates, *_ANY_TAG):
        if _matches(rule, el, classes):
            return rule.reason
    return None


# Every rule needs the element to carry a class token, an id, or one of a few tags (the rules
# without either). Finding those elements with one XPath over the attributes and a C-level tag
# filter, then testing only them, is far cheaper than testing every element of a body in Python
# (most elements carry neither).
_CLASS_TOKENS = frozenset({r.cls for r in MESSAGE_RULES if r.cls} | CODE_BOX_CLASSES)
_ID_RULES = [r for r in MESSAGE_RULES if not r.cls and (r.id or r.id_contains or r.other_id_than)]
_BARE_RULES: dict[str, list[ElementRule]] = {}
for _rule in MESSAGE_RULES:
    if not (_rule.cls or _rule.id or _rule.id_contains or _rule.other_id_than) and _rule.tag:
        _BARE_RULES.setdefault(_rule.tag, []).append(_rule)
_BARE_TAGS = tuple(_BARE_RULES)
_NO_CLASSES: frozenset[str] = frozenset()
# One step with a predicate, not the union ``…/@class | …/@id``: libxml2 merges a union's node
# sets with a duplicate check that is quadratic (a minute on a 37 000-element body). The
# predicate ``[@*]`` (then class or id tested in Python) costs libxml2 a third less per element
# than ``[@class or @id]``, which builds two node sets for every element of the body.
_WITH_ATTRIBUTES = etree.XPath("descendant-or-self::*[@*]")


def _id_may_match(ident: str, rules: list[ElementRule] = _ID_RULES) -> list[ElementRule]:
    """The id rules an element with this id could match (tag and other conditions aside)."""
    return [r for r in rules
            if (r.id is None or ident == r.id) and (r.id_contains is None or r.id_contains in ident)
            and (r.other_id_than is None or (ident and not ident.startswith(r.other_id_than)))]


_ID_RULES_BY_TAG: dict[object, list[ElementRule]] = {}


def _id_rules_for(tag: object) -> list[ElementRule]:
    """The id rules for an element of this tag (most tags: only those for any tag)."""
    rules = _ID_RULES_BY_TAG.get(tag)
    if rules is None:
        rules = [r for r in _ID_RULES if r.tag is None or r.tag == tag]
        if len(_ID_RULES_BY_TAG) < 512:  # (pages may invent any number of tag names)
            _ID_RULES_BY_TAG[tag] = rules
    return rules


def _candidates(root: etree._Element) -> dict[etree._Element, None]:
    """The elements at or under ``root`` that some message rule (or the code box) could match."""
    found: dict[etree._Element, None] = {}
    for el in _WITH_ATTRIBUTES(root):
        classes = el.get("class")
        if classes and not _CLASS_TOKENS.isdisjoint(classes.split()):
            found[el] = None
            continue
        ident = el.get("id")
        if ident is not None and _id_may_match(ident, _id_rules_for(el.tag)):
            found[el] = None
    if _BARE_TAGS:
        # Elements of those tags that no rule without a class or id could match (most <font>s
        # and <em>s) are left out: the rules that need a class or an id found them above.
        for el in root.iter(*_BARE_TAGS):
            if el not in found and any(_matches(r, el, _NO_CLASSES) for r in _BARE_RULES[el.tag]):
                found[el] = None
    return found


def message_labels(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """(element, reason) for ``root`` and the elements under it that ``message_reason`` removes."""
    out = []
    for el in _candidates(root):
        reason = message_reason(el)
        if reason is not None:
            out.append((el, reason))
    return out


def label_message(body: etree._Element, verdicts: dict, post: int) -> None:
    boxes, reasons = [], []
    for el in _candidates(body):
        if el is body:
            continue
        reason = message_reason(el)
        if reason is not None:
            reasons.append((el, reason))
        elif el.tag == "div" and CODE_BOX_CLASSES.intersection((el.get("class") or "").split()):
            boxes.append(el)
    # Code boxes first: a rule matching inside a box's code wins over keeping that code (as in
    # a pass in document order, where the box comes before what it holds).
    for box in boxes:
        _label_code_box(box, verdicts, post)
    for el, reason in reasons:
        verdicts[el] = removed(reason, post)
    label_attachments(body, verdicts, post)


def _inside_code(el: etree._Element, box: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not box:
        if parent.tag in CODE_TAGS:
            return True
        parent = parent.getparent()
    return False


def _label_code_box(box: etree._Element, verdicts: dict, post: int) -> None:
    """Keep the code of a code box, drop its buttons and headers (whatever a theme puts there)."""
    code = [el for el in box.iter(*CODE_TAGS) if el is not box and not _inside_code(el, box)]
    if not code:
        return
    verdicts[box] = removed("code box header", post)
    for el in code:
        verdicts[el] = kept(BODY, post)


def read_quotes(body: etree._Element, offset: str | None) -> list[Quote]:
    quotes = []
    # Touch templates reuse div.quote for notices; a quoted post always holds a blockquote.
    # ``.//div[cls('quote')][.//blockquote]``, by tag-filtered walks.
    for q in [d for d in body.iter("div") if d is not body and has_class(d, "quote")
              and next(d.iter("blockquote"), None) is not None]:
        # 6.x puts an 「引用:」 h5 before the blockquote: the quote is the blockquote.
        text = text_of(xpath(".//blockquote")(q)[0])
        author = published = None
        header = xpath(".//font[@color] | .//a[contains(@href, 'findpost')]")(q)
        head_text = text_of(header[0]) if header else _first_line(q)
        m = QUOTE_HEADER.match(head_text)
        if m:
            author = m.group("author").strip()
            published = parse_time(m.group("time"), offset)
            if text.startswith(head_text):
                text = text[len(head_text):].strip()
        quotes.append(Quote(author=author, published=published, text=text))
    return quotes


def _first_line(el: etree._Element) -> str:
    """Text before the first ``<br>`` (6.x quote header 「原帖由 NAME 于 TIME 发表」)."""
    box = xpath(".//blockquote")(el)
    box = box[0] if box else el
    parts = [box.text or ""]
    for child in box:
        if child.tag == "br":
            break
        parts.append(text_of(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def read_edit(body: etree._Element, offset: str | None) -> Edit | None:
    note = [i for i in body.iter("i") if i is not body and has_class(i, "pstatus")]  # .//i[cls('pstatus')]
    if note:
        text = text_of(note[0])
    else:
        # 6.x/7.x print the note as a plain 「[<i> 本帖最后由 … 编辑 </i>]」 or bracketed text line.
        # Both need a 「由」: one test on the body's whole text (built in C) spares the scans.
        whole = string_value(body)
        if "由" not in whole:
            return None
        found = [text_of(i) for i in xpath(".//i")(body) if EDIT_NOTE.match(text_of(i))]
        # A text node holding the note holds its words; most posts with a 「由」 have none.
        if any(w in whole for w in EDIT_NOTE_WORDS):
            found += [t.strip() for t in body.itertext() if "由" in t and EDIT_NOTE.match(t.strip())]
        if not found:
            return None
        text = found[0]
    # The i.pstatus note in any language pack (zh, Uyghur, English wordings).
    # An edit note is one short line; an unclosed <i> can hold a whole post (and the patterns'
    # lazy groups are quadratic in its length).
    m = next((m for m in (p.match(text) for p in EDIT_NOTES) if m), None) if len(text) <= 300 else None
    if not m:
        return Edit()
    return Edit(editor=m.group("editor"), edited=parse_time(m.group("time"), offset))


def _in_removed(el: etree._Element, body: etree._Element, verdicts: dict) -> bool:
    """Whether the nearest labelled ancestor of ``el`` (up to ``body``) removes it."""
    parent = el.getparent()
    while parent is not None and parent is not body:
        v = verdicts.get(parent)
        if v is not None:
            return not v.keep
        parent = parent.getparent()
    return False


def read_images(body: etree._Element, base: str | None, verdicts: dict | None = None) -> list[Image]:
    """Images shown in a body; with ``verdicts``, not those inside parts labelled as removed
    (an in-post ad, a plugin block)."""
    images = []
    seen = set()
    # Images of quoted posts belong to those posts.
    for img in _unquoted_images(body):
        if img.get("smilieid") is not None or (verdicts and _in_removed(img, body, verdicts)):
            continue
        src = img.get("zoomfile") or img.get("file") or img.get("data-original") or img.get("src")
        if not src or any(h in src for h in _SMILEY_HINTS) or src.endswith(("none.gif", "loading.gif")) \
                or src.endswith(_ICON_NAMES) or any(d in src for d in _FILE_ICONS):
            continue
        url = join_url(base, src)
        if url in seen:
            continue
        seen.add(url)
        images.append(Image(url=url, alt=img.get("alt") or img.get("title") or None))
    return images


def _unquoted_images(body: etree._Element) -> list[etree._Element]:
    """``.//img[not(ancestor::blockquote) and not(ancestor::div[cls('quote')])]`` with lxml's
    tag-filtered ancestor walk (measured cheaper than libxml2's ancestor predicates)."""
    out: list[etree._Element] = []
    quoted_body = None  # whether the body itself stands in a quote (asked once, at the first image)
    for img in body.iter("img"):
        if img is body:
            continue
        # The climb stops at the body: what lies above it is the same for every image.
        above = img.getparent()
        while above is not None and above is not body:
            if above.tag == "blockquote" or (above.tag == "div" and has_class(above, "quote")):
                break
            above = above.getparent()
        else:
            if above is body:
                if quoted_body is None:
                    quoted_body = _quoted(body)
                if quoted_body:
                    continue
            out.append(img)
    return out


def _quoted(el: etree._Element) -> bool:
    """Whether ``el`` is, or stands inside, a blockquote or a ``div.quote``."""
    return any(a.tag == "blockquote" or (a.tag == "div" and has_class(a, "quote"))
               for a in (el, *el.iterancestors("blockquote", "div")))


# -- attachment boxes by structure ---------------------------------------------------------------

_DATE_TIME = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d\d(?::\d\d)?(?:\s*[AP]M)?)?", re.I)
_ATTACHMENT_WORD = re.compile("|".join(map(re.escape, ATTACHMENT_WORDS)), re.I)
_FILLER = re.compile(r"[\W\d_]+")
#: What may remain of an attachment box's text once names, sizes, dates and its words are gone.
_RESIDUE = 3
_INLINE = frozenset({"a", "span", "strong", "b", "em", "i", "font", "small", "u", "ignore_js_op", "img"})


def label_attachments(root: etree._Element, verdicts: dict, post: int,
                      stop: etree._Element | None = None) -> None:
    """Attachment boxes inside ``root`` recognised by structure, whatever the theme calls them:
    a link to an attachment with a file size beside it (6.x/7.x 「NAME (12 KB)」 lines, X
    ``span#attach_AID``, a theme's table of files with sizes, dates and download counts).

    From each such link the box is the largest element above it, below ``stop`` (default:
    ``root``, which is never taken itself), whose text is only attachment facts: names of the
    linked files, sizes, dates, the language pack's words; an element holding a shown image is
    never a box. A link printed loose in the text (6.x/7.x inline attachments) takes the size in
    the text after it, a line of its counts after that, and the file-type icon before it.
    """
    links = [a for a in root.iter("a", "span") if _names_attachment(a)]
    if not links:
        return
    limit = root if stop is None else stop
    names = {name for name in map(text_of, links) if name}
    rows: set[etree._Element] = set()
    for a in links:
        if _removed_above(a, limit, verdicts):
            continue
        box = None
        el = a
        while el is not limit and el is not None:
            if not _only_attachment_facts(text_of(el), names) or _holds_content_image(el):
                break
            box = el
            el = el.getparent()
        if box is None:
            continue
        if FILE_SIZE.search(text_of(box)) or (
                box.tag in _INLINE and FILE_SIZE.search(box.tail or "") and _only_attachment_facts(box.tail, names)):
            verdicts[box] = removed("attachment box", post)
            _label_loose_line(box, verdicts, post, names)
            if box.tag == "tr":
                rows.add(box)
    for table in {t for r in rows for t in r.iterancestors("table")}:
        _label_file_table(table, limit, verdicts, post)


def _label_file_table(table: etree._Element, limit: etree._Element, verdicts: dict, post: int) -> None:
    """A table whose rows are all files (its heading row aside) is an attachment box whole."""
    if table is limit or not any(a is limit for a in table.iterancestors()):
        return
    for tr in table.iter("tr"):
        v = verdicts.get(tr)
        if (v is None or v.keep) and tr.find("td") is not None:
            return
    verdicts[table] = removed("attachment box", post)


_ATTACHMENT_ID = re.compile(r"^(?:attach_|aid)\d+$")


def _names_attachment(el: etree._Element) -> bool:
    """A link to an attachment, or the element Discuz gives the attachment's id (``span#attach_AID``
    around the name, ``a#aidAID``): saved copies rewrite the links, not the ids."""
    if el.tag == "a":
        href = el.get("href")
        # (each of the pattern's forms holds "attach": a case-insensitive search tries every
        # position, twenty times the cost of this test on a long address)
        if href and "attach" in href.lower() and ATTACHMENT_HREF.search(href):
            return True
    ident = el.get("id")
    return ident is not None and _ATTACHMENT_ID.match(ident) is not None


def _label_loose_line(box: etree._Element, verdicts: dict, post: int, names: set[str]) -> None:
    """The size after an inline box, and the file-type icon before it."""
    if box.tag not in _INLINE:
        return
    if box.tail and FILE_SIZE.search(box.tail) and _only_attachment_facts(box.tail, names):
        verdicts[tail(box)] = removed("attachment box", post)
    # The line after it, when it only carries the box's facts (「<br />下载次数: 12」).
    nxt = box.getnext()
    while nxt is not None and nxt.tag == "br" and nxt.tail and _ATTACHMENT_WORD.search(nxt.tail) \
            and _only_attachment_facts(nxt.tail, names):
        verdicts[tail(nxt)] = removed("attachment box", post)
        nxt = nxt.getnext()
    prev = box.getprevious()
    if prev is not None and prev.tag == "img" and any(d in (prev.get("src") or "") for d in _FILE_ICONS):
        verdicts[prev] = removed("attachment box", post)
        if prev.tail and prev.tail.strip() and _only_attachment_facts(prev.tail, names):
            verdicts[tail(prev)] = removed("attachment box", post)


def _only_attachment_facts(text: str, names: set[str]) -> bool:
    for name in names:
        text = text.replace(name, " ")
    text = _ATTACHMENT_WORD.sub(" ", _DATE_TIME.sub(" ", FILE_SIZE.sub(" ", text)))
    return len(_FILLER.sub("", text)) <= _RESIDUE


def _holds_content_image(el: etree._Element) -> bool:
    """An image that is not a file-type icon: the attachment shown in the post stays."""
    for img in el.iter("img"):
        src = img.get("file") or img.get("zoomfile") or img.get("src") or ""
        if not any(d in src for d in (*_FILE_ICONS, *_ICON_NAMES)):
            return True
    return False


def _removed_above(el: etree._Element, limit: etree._Element, verdicts: dict) -> bool:
    node = el
    while node is not None:
        v = verdicts.get(node)
        if v is not None and not v.keep:
            return True
        if node is limit:
            return False
        node = node.getparent()
    return False


def label_body(body: etree._Element, post: Post, index: int, verdicts: dict, doc: Document,
               base: str | None, regions: list[tuple[str, str]] | None,
               only_notice: Callable[[etree._Element], bool]) -> bool:
    """Label a post's body and read what it holds besides text (quotes, edit note, images);
    whether it is to be walked (a body that ``only_notice`` finds to be a notice standing in
    for the post is removed whole)."""
    if only_notice(body):
        verdicts[body] = removed("hidden-content notice", index)
        return False
    verdicts[body] = kept(BODY, index)
    label_message(body, verdicts, index)
    if regions:
        label_regions(body, regions, verdicts, post=index)
    post.quotes = read_quotes(body, doc.timezone)
    post.edit = read_edit(body, doc.timezone)
    post.images = read_images(body, base or doc.url, verdicts)
    return True
