"""The small interface every page family implements, and what it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..blocks import Block
from ..model import Document
from ..page import Page


@dataclass
class Labelled:
    """A family's reading of a page.

    HTML families fill ``verdicts`` (element -> Verdict) and ``roots`` (the sub-trees ``extract``
    must walk: title and post bodies); text families fill ``blocks`` directly. ``doc`` carries the
    page and post metadata, with empty bodies: the shared assembler fills those from the blocks.
    """

    doc: Document
    verdicts: dict = field(default_factory=dict)
    roots: list[etree._Element] = field(default_factory=list)
    blocks: list[Block] | None = None
    #: Run the text-level jammer rule (pages whose jammer is not marked up, e.g. archiver, dumps).
    jammer_text: bool = False


class Family:
    """A page family: knows whether a page is its own, and labels it.

    ``claims`` must be cheap (raw-text signals first); ``label`` with ``full=True`` also labels
    page chrome (navigation, footer...) for ``diff``; with ``full=False`` it may skip that work.
    """

    name: str = "generic"
    #: ``html`` or ``text``: the input format this family reads.
    input_format: str = "html"

    def claims(self, page: Page) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def signed(self, page: Page) -> bool:
        """Whether the page carries this family's own signature, which no other family's pages
        carry (a template's body tag): then it is the family's page whatever the others' tests
        would say, and ``detect`` asks no other family. Cheap, read from the top of the page."""
        return False

    def label(self, page: Page, full: bool = False) -> Labelled:  # pragma: no cover - interface
        raise NotImplementedError
