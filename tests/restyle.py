"""Rewrite a Discuz page the way custom themes differ from the stock templates.

A theme chooses its own class names, wraps regions in extra elements and moves the author
column; it keeps what Discuz itself writes: the ids carrying a post id (``post_PID``,
``pidPID``, ``postmessage_PID``, ``authorpostonPID``, ``postnumPID``, ``favatarPID``), the
thread subject's id, links naming posts and members, the language pack's words, and the markup
of post bodies (the BBCode renderer's, not the theme's). Used by the restyled-page tests.
"""

from __future__ import annotations

import re

from lxml import etree, html

# Ids Discuz writes whatever the theme (post ids, the subject, the message body).
_DISCUZ_ID = re.compile(r"^(?:post_\d+|pid\d+|postmessage_\d+|authorposton\d+|postnum_?\d+|favatar\d+|"
                        r"thread_subject|article_content)$")
# Post bodies: the X/6/7 message cell, the touch message, the portal article, the 5.x archiver's.
_BODY_CLASSES = frozenset({"message", "t_f", "t_msgfont", "t_msg"})


def _is_body(el: etree._Element) -> bool:
    ident = el.get("id") or ""
    return ident.startswith("postmessage_") or ident == "article_content" or \
        not _BODY_CLASSES.isdisjoint((el.get("class") or "").split())


def _in_body(el: etree._Element) -> bool:
    """Inside a post body (what the BBCode renderer wrote), where themes do not reach."""
    return any(_is_body(a) for a in el.iterancestors())


_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(text: str) -> etree._Element:
    return html.fromstring(_XML_PROLOG.sub("", text))


def rename_theme_names(text: str) -> bytes:
    """Every class token and every non-Discuz id outside post bodies renamed."""
    root = _parse(text)
    inside = [el for el in root.iter() if isinstance(el.tag, str) and _in_body(el)]  # (before renaming)
    skip = set(inside)
    for el in root.iter():
        # (the body tag's id and class name the script and module: Discuz writes them, not the theme)
        if not isinstance(el.tag, str) or el.tag in ("html", "head", "body") or el in skip:
            continue
        if (el.get("id") or "").startswith("postmessage_") or "t_msg" in (el.get("class") or "").split():
            continue  # the body keeps its attributes (6/7 mark it t_msgfont, the 5.x archiver t_msg)
        classes = el.get("class")
        if classes:
            el.set("class", " ".join("th-" + c for c in classes.split()))
        ident = el.get("id")
        if ident and not _DISCUZ_ID.match(ident):
            el.set("id", "th-" + ident)
    return html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


def wrap_posts(text: str) -> bytes:
    """Each post container and the whole page body wrapped in extra elements."""
    root = _parse(text)
    body = root.find("body")
    if body is not None:
        shell = etree.SubElement(body, "div", {"class": "th-shell"})
        inner = etree.SubElement(shell, "div", {"class": "th-inner"})
        for child in list(body):
            if child is not shell:
                inner.append(child)
    for el in list(root.iter()):
        if isinstance(el.tag, str) and re.match(r"^(?:post_\d+|pid\d+)$", el.get("id") or "") \
                and el.tag in ("div", "table") and el.getparent() is not None:
            wrapper = etree.Element("div", {"class": "th-post-card"})
            el.addprevious(wrapper)
            wrapper.append(el)  # (the tail moves with it: lxml keeps it on the element)
    return html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


def author_column_right(text: str) -> bytes:
    """The user column (X ``td.pls``, 6/7 ``td.postauthor``) moved after the post's content."""
    root = _parse(text)
    for td in root.xpath("//td[contains(concat(' ', @class, ' '), ' pls ') or "
                         "contains(concat(' ', @class, ' '), ' postauthor ')]"):
        row = td.getparent()
        if row is not None and td.getnext() is not None:
            td.tail = None
            row.append(td)
    return html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")
