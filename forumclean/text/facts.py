"""What a dump says of its page: address, time zone, generator, template (archiver, print view),
front matter, and where the page's end block starts (anatomy §11.1, §11.4)."""


from __future__ import annotations

import re

from ..dates import parse_footer_clock
from ..rules import textdump as R
from .lines import (
    is_prose,
    site_from_links,
)
from .prep import without_references
from .state import DumpState, kept, removed


class PageFacts(DumpState):
    """Reads the page-level facts and the end of the page."""

    # -- page facts: crawler header, footer clock, generator, site ---------------------------------
    def page_facts(self) -> None:
        """What the page says of itself: its address, time zone, generator, template."""
        text = self.page.text
        u = self.units
        n = len(u)
        self._front_matter()
        for i in range(min(n, 8)):
            t = u[i].norm
            m = R.CRAWLER_URL.match(t) or R.FROM_URL.match(t)
            if m and not self.doc.url:
                self.doc.url = m.group("url")
                self.v[i] = kept("url")
            elif R.CRAWLER_META.match(t) and i < 4:
                self.v[i] = removed("crawler header")
        if self.md:
            for i in range(min(n, 12)):
                t = u[i].norm
                m = R.READER_ORIGIN.search(self._with_urls(i))
                if m and not self.doc.url and ("原文" in t or "Original" in t or "Source" in t):
                    self.doc.url = m.group("url").rstrip(")")
                    self.v[i] = kept("url")
        tail = without_references(text)[-6000:]
        clocks = list(R.FOOTER_CLOCK.finditer(tail.replace("\n", " ")))
        if clocks:
            self.doc.timezone, self.doc.rendered_at = parse_footer_clock(clocks[-1].group())
            self.offset = self.doc.timezone
        flat = re.sub(r"\]\([^)]*\)", " ", tail.replace("\n", " "))
        gens = list(R.POWERED.finditer(re.sub(r"[*_\[\]]", " ", flat)))
        if gens:
            self.doc.generator = re.sub(r"Discuz!\s*", "Discuz! ", re.sub(r"\s+", " ", gens[-1].group("gen"))).strip()
        if "'s Archiver" in text[:3000] or "Archiver" in tail and "Powered by" in tail and "Archiver" in \
                tail[tail.find("Powered by"):tail.find("Powered by") + 80]:
            self.page_level = "archiver"
        if R.PRINT_TITLE.match(self._first_text(12)) or "[打印本页]" in text[:3000] or "[列印本頁]" in text[:3000]:
            self.page_level = "printable"

    def _front_matter(self) -> None:
        """An archive's YAML block before the dump (「---」 / 「title: …」 / 「url: …」 / 「---」): its
        address is the page's, its title the thread's unless the page prints one."""
        u = self.units
        def line(i: int) -> str:
            return "".join(p.text for p in u[i].pieces).strip()  # (「---」 is a rule: markup)

        first = next((i for i in range(len(u)) if line(i)), None)
        if first is None or line(first) != "---":
            return
        end = next((i for i in range(first + 1, min(len(u), first + 40)) if line(i) in ("---", "...")), None)
        if end is None:
            return
        for i in range(first, end + 1):
            m = R.FRONT_MATTER.match(line(i))
            value = m.group("value").strip().strip("\"'") if m else ""
            if m and m.group("key").lower() in ("url", "link", "source", "source_url", "original") and \
                    re.match(r"https?://\S+$", value) and not self.doc.url:
                self.doc.url = value
                self.v[i] = kept("url")
            elif m and m.group("key").lower() == "title" and value:
                self.fallback_title, self.fallback_title_unit = value, i
            if self.v[i] is None:
                self.v[i] = removed("front matter")

    def _first_text(self, limit: int) -> str:
        got = [u.norm for u in self.units[:limit] if not u.blank]
        for t in got:
            if R.PRINT_TITLE.match(t):
                return t
        return ""

    # -- end of page ----------------------------------------------------------------------------
    def find_footer(self) -> None:
        u = self.units
        if self.heads:
            after = self.heads[-1].end + 1
        else:  # (the thread's top bar prints 「返回列表 发帖」 too: the end comes after the text)
            after = next((i for i, unit in enumerate(u) if is_prose(unit.norm)), 0)
        for i in range(after, len(u)):
            if u[i].blank or u[i].quote:
                continue
            t = u[i].norm
            if R.FOOTER_START.match(t) or (self.layout.full_version_footer and R.ARCHIVER_FULL.match(t) and
                                            t.startswith(("查看完整版本", ":"))):
                self.footer = i
                return

    def label_footer(self) -> None:
        u = self.units
        for i in range(self.footer, len(u)):
            t = u[i].norm
            if R.FOOTER_CLOCK.search(t):
                self.set(i, kept("clock"))
            elif R.POWERED.search(t):
                # Read for ``generator``, but shown as the footer it is.
                self.set(i, removed("footer"))
            elif R.ICP.search(t) or any(w in t for w in ("Archiver|", "Archiver |", "小黑屋")):
                m = R.ICP.search(t)
                if m and not self.doc.icp:
                    self.doc.icp = u[i].orig(m.group("icp")).strip()
                site = site_from_links(t, u[i + 1].norm if i + 1 < len(u) else "")
                if site and not self.doc.site:
                    self.doc.site = site
                self.set(i, removed("footer"))
            elif R.WELCOME.match(t):
                m = R.WELCOME.match(t)
                self.doc.site = self.doc.site or m.group("site")
                self.set(i, kept("site"))
            elif R.ARCHIVER_FULL.match(t) and self.layout.full_version_footer:
                title = R.ARCHIVER_FULL.match(t).group("title").strip()
                j = i
                if not title and i + 1 < len(u):
                    j = i + 1
                    title = u[j].norm
                if title:
                    self.fallback_title, self.fallback_title_unit = u[j].orig(title), j
                self.set(i, removed("footer"))
            else:
                self.set(i, removed("footer"))

