"""The text-dump family: any plain-text dump of a Discuz page (read by ``forumclean.text``)."""

from __future__ import annotations

from ..page import Page
from .base import Family, Labelled


class TextDump(Family):
    """Any text dump of a Discuz page; pages without posts come out as ``none``."""

    name = "textdump"
    input_format = "text"

    def claims(self, page: Page) -> bool:
        return page.input_format == "text"

    def label(self, page: Page, full: bool = False) -> Labelled:
        # The text reader (a fifth of the start-up time: its patterns are compiled on import)
        # loads with the first dump, not for every HTML page's command.
        from ..text.reader import TextReader

        reader = TextReader(page)
        reader.run()
        return Labelled(doc=reader.doc, blocks=reader.blocks(), jammer_text=True)
