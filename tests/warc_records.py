"""Building small WARC files for tests (needs warcio): pages from fixtures/, plus records a crawl
also holds (requests, redirects, images, revisits) that must not become inputs."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DATE = "2024-05-01T08:30:00Z"


@dataclass
class Rec:
    uri: str
    payload: bytes
    rec_type: str = "response"
    status: str = "200 OK"
    content_type: str | None = "text/html"
    date: str = DATE
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_page(self) -> bool:
        html = self.content_type is None or self.content_type.startswith("text/html")
        ok = self.rec_type == "resource" or (self.rec_type == "response" and self.status.startswith("2"))
        return html and ok


def write_warc(path: Path, records: list[Rec]) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "forumclean tests"}))
        for rec in records:
            warc_headers = {"WARC-Date": rec.date}
            if rec.rec_type == "response":
                headers = list(rec.headers)
                if rec.content_type:
                    headers.insert(0, ("Content-Type", rec.content_type))
                http = StatusAndHeaders(rec.status, headers, protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(rec.uri, "request", payload=io.BytesIO(
                    f"GET {rec.uri} HTTP/1.1\r\n\r\n".encode()), warc_headers_dict={"WARC-Date": rec.date}))
                record = writer.create_warc_record(rec.uri, "response", payload=io.BytesIO(rec.payload),
                                                   http_headers=http, warc_headers_dict=warc_headers)
            elif rec.rec_type == "resource":
                record = writer.create_warc_record(rec.uri, "resource", payload=io.BytesIO(rec.payload),
                                                   warc_content_type=rec.content_type,
                                                   warc_headers_dict=warc_headers)
            elif rec.rec_type == "revisit":
                record = writer.create_revisit_record(rec.uri, "sha1:AAAA", rec.uri, rec.date)
            else:
                raise ValueError(rec.rec_type)
            writer.write_record(record)
    return path


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def fixture_pages() -> dict[str, bytes]:
    """The UTF-8 fixture pages (the records re-encode and re-label them; GBK and Big5 fixtures
    have their own tests)."""
    pages = {p.stem: p.read_bytes() for p in sorted(FIXTURES.glob("*.html"))}
    pages = {name: data for name, data in pages.items() if _is_utf8(data)}
    # The README's example page first: the tests read its known facts from the first record.
    first = "x35-thread-quote"
    return {first: pages.pop(first), **pages} if first in pages else pages


def without_own_url(html: bytes) -> bytes:
    """The page with its canonical link, og:url and base removed: its address is the fetch URI."""
    html = re.sub(rb"<link[^>]+rel=\"canonical\"[^>]*>", b"", html)
    html = re.sub(rb"<meta[^>]+og:url[^>]*>", b"", html)
    return re.sub(rb"<base [^>]*>", b"", html)


def as_big5_undeclared(html: bytes) -> bytes:
    """The page in Big5 with no charset declaration: the HTTP header says what it is (Big5
    bytes also decode, wrongly, as GB18030). Characters outside Big5 become references."""
    text = html.decode("utf-8")
    text = re.sub(r"<meta[^>]+charset[^>]*>", "", text, flags=re.I)
    return text.encode("big5hkscs", "xmlcharrefreplace")


NOT_A_FORUM = (b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>"
               b"<p>Nothing to see here.</p></body></html>")


def crawl_records() -> list[Rec]:
    """Every fixture page in several guises, plus records that must be skipped."""
    recs: list[Rec] = []
    # A handful of pages is enough to exercise every record guise; the test runs one subprocess per
    # record, so the whole fixture set would make it slow.
    for i, (name, html) in enumerate(list(fixture_pages().items())[:6]):
        base = f"https://forum{i}.example/"
        recs += [
            Rec(f"{base}thread-{700 + i}-2-1.html", html, headers=[("Server", "nginx")]),
            Rec(f"{base}forum.php?mod=viewthread&tid={800 + i}&page=3", without_own_url(html),
                content_type="text/html; charset=utf-8", date="2023-12-31T23:59:59Z"),
            Rec(f"{base}big5-{i}.html", as_big5_undeclared(html), content_type="text/html; charset=big5"),
            Rec(f"{base}untyped-{i}.html", html, content_type=None),
            Rec(f"{base}saved-{i}.html", html, rec_type="resource"),
            # Skipped: a redirect, an error page, an image, a stylesheet, a revisit.
            Rec(f"{base}{name}-moved.html", b"<html><body>Moved</body></html>", status="301 Moved Permanently",
                headers=[("Location", f"{base}x.html")]),
            Rec(f"{base}{name}-missing.html", b"<html><body>Not found</body></html>", status="404 Not Found"),
            Rec(f"{base}logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"),
            Rec(f"{base}style.css", b"body { color: red }", content_type="text/css"),
            Rec(f"{base}thread-{700 + i}-2-1.html", b"", rec_type="revisit"),
        ]
    recs.append(Rec("https://www.example/", NOT_A_FORUM))
    return recs
