"""WARC input: every HTML response record of a crawl is one input, cleaned exactly as the page
itself would be, with the record's URI, date and HTTP charset handed to the extractor."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from warc_records import DATE, Rec, crawl_records, fixture_pages, write_warc

import forumclean
from forumclean.cli import main as cli_main
from forumclean.inputs import expand
from forumclean.warc import WarcRecordInput, is_warc_path, normalise_warc_date, parse_content_type

ROOT = Path(__file__).resolve().parent.parent



@pytest.fixture(scope="module")
def warcio():
    return pytest.importorskip("warcio", reason="WARC input needs the 'warc' extra (pip install -e '.[warc]')")


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "forumclean", "extract", *args], capture_output=True,
                          text=True, cwd=cwd, env=full_env, timeout=120)


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def crawl(warcio, tmp_path_factory) -> tuple[Path, list[Rec]]:
    recs = crawl_records()
    return write_warc(tmp_path_factory.mktemp("warc") / "crawl.warc.gz", recs), recs


def test_every_html_response_is_one_input_cleaned_like_the_page(crawl, tmp_path):
    path, recs = crawl
    pages = [r for r in recs if r.is_page]
    run = cli("--format", "jsonl", str(path))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    got = jsonl(run.stdout)
    assert [r["url"] is not None for r in got] == [True] * len(pages)
    assert len(got) == len(pages)
    offsets = [int(r["input"].rsplit("#", 1)[1]) for r in got]
    assert [r["input"] for r in got] == [f"{path}#{o}" for o in offsets]
    assert offsets == sorted(set(offsets))
    for rec, record in zip(pages, got, strict=True):
        charset = parse_content_type(rec.content_type)[1]
        if charset == "big5":
            # The same page as the CLI would give it with the HTTP header's charset.
            want = forumclean.extract(rec.payload, url=rec.uri, http_charset="big5").to_dict()
        else:
            page = tmp_path / "page.html"
            page.write_bytes(rec.payload)
            # The same CLI command, run in-process (one interpreter per page is too slow).
            single = CliRunner().invoke(cli_main, ["extract", "--format", "json", "--url", rec.uri, str(page)])
            assert single.exit_code == 0, single.output
            want = json.loads(single.stdout)
        assert record["fetched_at"] == normalise_warc_date(rec.date)
        assert want["fetched_at"] is None
        for key in ("input", "fetched_at"):
            record.pop(key), want.pop(key)
        assert record == want, rec.uri


def test_record_fields_come_from_the_warc_headers(crawl):
    path, recs = crawl
    got = jsonl(cli("--format", "jsonl", str(path)).stdout)
    stated, fetched = got[0], got[1]
    # The page states its own address (canonical link): that wins over the fetch URI.
    assert stated["url"] == "https://bbs.liuan.example/thread-501-1-1.html"
    assert stated["fetched_at"] == "2024-05-01T08:30:00+00:00"
    # A page stating none gets the record's target URI, and the facts read from it.
    assert fetched["url"] == "https://forum0.example/forum.php?mod=viewthread&tid=800&page=3"
    assert fetched["page"] == 3  # the page number read from the URI (the page shows no pager)
    assert fetched["fetched_at"] == "2023-12-31T23:59:59+00:00"
    # Big5 bytes with no declaration in the page: the HTTP charset says what they are.
    title = forumclean.extract(next(iter(fixture_pages().values()))).title
    big5 = got[2]
    assert big5["encoding"] == "big5hkscs" and big5["title"] == title
    assert [r["kind"] for r in got[:5]] == ["thread"] * 5
    assert got[-1]["kind"] == "none" and got[-1]["url"] == "https://www.example/"


def test_plain_warc_text_output_and_output_dir(warcio, tmp_path):
    recs = [r for r in crawl_records() if r.rec_type == "response"][:2]
    path = write_warc(tmp_path / "part.warc", recs)
    run = cli(str(path))
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("==> ") == 2 and f"==> {path}#" in run.stdout
    out = tmp_path / "out"
    run = cli("-o", str(out), "--format", "json", str(tmp_path))  # a directory holding the WARC
    assert run.returncode == 0, run.stderr
    files = sorted(out.rglob("*.json"))
    assert [f.parent.name for f in files] == ["part", "part"]
    names = {json.loads(f.read_text(encoding="utf-8"))["input"] for f in files}
    assert names == {f"{path}#{f.stem}" for f in files}


def test_inputs_are_cheap_picklable_and_read_by_seeking(crawl):
    path, recs = crawl
    items = list(expand([str(path)]))
    pages = [r for r in recs if r.is_page]
    assert len(items) == len(pages) and all(isinstance(i, WarcRecordInput) for i in items)
    for item, rec in zip(reversed(items), reversed(pages), strict=True):  # any order: each seeks
        clone = pickle.loads(pickle.dumps(item))
        assert clone == item and len(pickle.dumps(item)) < 600
        assert clone.read() == rec.payload
        assert (clone.url, clone.fetched_at) == (rec.uri, normalise_warc_date(rec.date))


def test_damaged_warc_keeps_the_records_before_the_damage(crawl, tmp_path):
    path, recs = crawl
    data = path.read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[: len(data) * 2 // 3])  # cut inside a gzip member
    run = cli("--format", "jsonl", str(broken), str(path))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"forumclean: {broken}: damaged WARC"), lines
    got = jsonl(run.stdout)
    errors = [r for r in got if "error" in r]
    assert [e["error"]["type"] for e in errors] == ["warc"]
    done = [r for r in got if "error" not in r and r["input"].startswith(str(broken))]
    assert 0 < len(done) < len([r for r in recs if r.is_page])
    assert len([r for r in got if r.get("input", "").startswith(f"{path}#")]) == len(
        [r for r in recs if r.is_page])


def test_whole_file_gzip_and_not_a_warc_are_one_error_line(crawl, tmp_path):
    path, _ = crawl
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())))
    fake = tmp_path / "fake.warc"
    fake.write_bytes(b"<html><body>not a warc</body></html>")
    run = cli("--format", "jsonl", str(whole), str(fake))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "recompress it with 'warcio recompress'" in lines[0]
    assert lines[1] == f"forumclean: {fake}: not a WARC file"


def test_missing_warcio_is_one_clear_line(tmp_path):
    """Runs with or without warcio: a sitecustomize hides it, as in an install without the extra."""
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"WARC/1.0\r\n")
    page = tmp_path / "page.html"
    page.write_bytes(next(iter(fixture_pages().values())))
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['warcio'] = None\n")
    run = cli("--format", "jsonl", str(path), str(page),
              env={"PYTHONPATH": os.pathsep.join([str(hide), str(ROOT)])})
    assert run.returncode == 1
    assert run.stderr.strip() == (f"forumclean: {path}: reading WARC files needs warcio: "
                                  "pip install 'forumclean[warc]'")
    got = jsonl(run.stdout)
    assert got[0]["error"]["type"] == "missing-extra" and got[1]["kind"] == "thread"


def test_missing_datatrove_is_a_clear_import_error(tmp_path):
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['datatrove'] = None\n")
    run = subprocess.run([sys.executable, "-c", "import forumclean.contrib.datatrove"], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join([str(hide), str(ROOT)])})
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == ("ImportError: forumclean.contrib.datatrove needs datatrove: "
                                                   "pip install 'forumclean[datatrove]'")


def test_warc_helpers():
    assert is_warc_path("a/b.WARC.GZ") and is_warc_path("x.warc") and not is_warc_path("x.warc.zst")
    assert parse_content_type('text/html; Charset="GBK"') == ("text/html", "GBK")
    assert parse_content_type(None) == (None, None)
    assert normalise_warc_date(DATE) == "2024-05-01T08:30:00+00:00"
    assert normalise_warc_date("2024-05-01T08:30:00.123456Z") == "2024-05-01T08:30:00.123456+00:00"


@pytest.mark.corpus
def test_corpus_pages_through_a_warc_match_the_files(warcio, corpus_dir, tmp_path):
    html = sorted((corpus_dir / "html").glob("*.html"))
    recs = [Rec(f"https://crawl.example/{p.stem}.html", p.read_bytes()) for p in html]
    path = write_warc(tmp_path / "corpus.warc.gz", recs)
    run = cli("--format", "jsonl", str(path))
    assert "Traceback" not in run.stderr
    got = jsonl(run.stdout)
    assert len(got) == len(html)
    for rec, record in zip(recs, got, strict=True):
        try:
            want = forumclean.extract(rec.payload, url=rec.uri, input_name=record["input"],
                                      fetched_at=normalise_warc_date(rec.date)).to_dict()
        except forumclean.ForumcleanError as exc:
            assert record["error"]["type"] == exc.kind, rec.uri
        else:
            assert record == want, rec.uri


def test_cut_short_plain_warc_is_damage(crawl, tmp_path):
    from forumclean.errors import WarcError
    from forumclean.warc import iter_pages

    path, recs = crawl
    raw = gzip.decompress(path.read_bytes())
    cut = tmp_path / "cut.warc"
    cut.write_bytes(raw[: len(raw) // 2])
    seen = []
    with open(cut, "rb") as fh, pytest.raises(WarcError, match="cut short|unreadable data"):
        for page in iter_pages(fh, with_payload=True):
            seen.append(page)
    assert seen and all(p.payload == r.payload for p, r in zip(seen, [r for r in recs if r.is_page], strict=False))


def test_compressed_and_chunked_payloads_are_decoded(warcio, tmp_path):
    html = next(iter(fixture_pages().values()))
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(html[i:i + 1000]), html[i:i + 1000])
                       for i in range(0, len(html), 1000)) + b"0\r\n\r\n"
    path = write_warc(tmp_path / "enc.warc.gz", [
        Rec("https://forum.example/gz.html", gzip.compress(html), headers=[("Content-Encoding", "gzip")]),
        Rec("https://forum.example/chunked.html", chunked, headers=[("Transfer-Encoding", "chunked")]),
    ])
    items = list(expand([str(path)]))
    assert [item.read() for item in items] == [html, html]


def test_response_record_without_target_uri_is_a_damaged_warc(warcio):
    """warcio raises AttributeError on a response record without WARC-Target-URI (what a cut
    inside a record header can leave): that is a damaged file, not a crash."""
    import io

    from forumclean.errors import WarcError
    from forumclean.warc import iter_pages
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html></html>"
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            b"WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body))
    with pytest.raises(WarcError, match="damaged WARC"):
        list(iter_pages(io.BytesIO(head + body + b"\r\n\r\n")))
