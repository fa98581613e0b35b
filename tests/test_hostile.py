"""Hostile and broken input: never a traceback, nothing lost or half-written, every failure said.

Inputs are generated here, in memory or in tmp dirs (nothing large is committed). The library
half checks ``forumclean.extract`` directly; the command-line half runs
``python -m forumclean extract`` in a subprocess, so it checks behaviour, not internals.
The long checks (200 000 posts, the fuzz run) carry the ``slow``/``fuzz`` markers.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hostile_util import (
    BODIES,
    PAGE,
    PAGE_TEXT,
    ROOT,
    assert_clean_stderr,
    check_contract,
    cli,
    cli_command,
    cli_env,
    post_markup,
    thread_page,
    with_body,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forumclean
from forumclean.errors import DecodeError, ForumcleanError, InputTooLarge
from forumclean.pipeline import MAX_INPUT_BYTES

MiB = 1024 * 1024


def bodies_of(doc) -> list[str]:
    return [p.body for p in doc.posts]


def assert_fixture_bodies(doc) -> None:
    assert len(doc.posts) == 3, bodies_of(doc)
    for post, phrase in zip(doc.posts, BODIES, strict=True):
        assert phrase in post.body, (phrase, post.body)


# -- empty, binary, random, NUL ---------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", "  ", "\n\n"])
def test_empty_and_whitespace_inputs_are_refused_clearly(data):
    with pytest.raises(DecodeError, match="empty"):
        forumclean.extract(data)


@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "JPEG image"),
    (gzip.compress(PAGE, mtime=0), "gzip data"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF document"),
    (b"PK\x03\x04\x14\x00" + bytes(100), "zip archive"),
    (b"GIF89a\x01\x00\x01\x00" + bytes(50), "GIF image"),
])
def test_binary_files_are_named_by_format(data, kind):
    with pytest.raises(DecodeError) as err:
        forumclean.extract(data)
    assert str(err.value) == f"not a text page ({kind})"


@pytest.mark.parametrize("seed", range(12))
def test_random_bytes_are_refused_as_binary(seed):
    rng = random.Random(seed)
    data = rng.randbytes(rng.choice([512, 4096, 100_000]))
    with pytest.raises(DecodeError, match="binary"):
        forumclean.extract(data)


def test_nul_bytes():
    with pytest.raises(DecodeError, match="NUL"):
        forumclean.extract(bytes(5000))
    # NULs sprinkled through a page (a damaged download) are dropped, and said.
    damaged = PAGE.replace(b"<br />", b"<br />\x00\x00").replace(b"</td>", b"\x00</td>")
    doc = forumclean.extract(damaged)
    assert_fixture_bodies(doc)
    assert "\x00" not in json.dumps(doc.to_dict())
    assert any("NUL" in w for w in doc.warnings), doc.warnings
    # A page followed by a long run of zero bytes (a preallocated file cut short).
    doc = forumclean.extract(PAGE + bytes(100_000))
    assert_fixture_bodies(doc)


def test_control_characters_are_dropped():
    doc = forumclean.extract(with_body(b"\x01\x02\x08\x0b\x0c\x1b[31m" + bytes(range(14, 32))))
    assert_fixture_bodies(doc)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", doc.posts[2].body)


# -- broken and pathological markup ----------------------------------------------------------

def test_truncated_at_random_offsets():
    rng = random.Random(5)
    offsets = sorted(rng.sample(range(len(PAGE)), 60)) + [1, 10, 100]
    end_of_last_body = PAGE.index("建议早点出发。".encode()) + len("建议早点出发。".encode())
    for off in offsets:
        result = check_contract(PAGE[:off])
        if off > end_of_last_body:
            assert_fixture_bodies(result)


def test_unclosed_tags():
    for tags in (rb"p|td|tr|table|b|i|font|a|span|em|strong", rb"div", rb"[A-Za-z0-9]+"):
        stripped = re.sub(rb"</(?:" + tags + rb")\s*>", b"", PAGE)
        assert not isinstance(check_contract(stripped), ForumcleanError)
    # Unclosed inline and table markup inside the posts does not lose a post.
    assert_fixture_bodies(forumclean.extract(re.sub(rb"</(?:font|b|a|span|em|strong)>", b"", PAGE)))


def test_100000_deep_nesting_keeps_the_text_and_the_rest_of_the_page():
    deep = b"<div>" * 100_000 + "深处的文字".encode() + b"</div>" * 100_000
    start = time.perf_counter()
    doc = check_contract(with_body(deep))
    assert time.perf_counter() - start < 60
    assert_fixture_bodies(doc)
    assert "深处的文字" in doc.posts[2].body
    assert any("nests elements deeper" in w for w in doc.warnings), doc.warnings
    # The footer after the deep region stays page chrome, not body text.
    assert "Archiver" not in doc.text


def test_100000_unclosed_inline_tags():
    doc = check_contract(PAGE.replace("从北桥出发".encode(), b"<font>" * 100_000 + "从北桥出发".encode(), 1))
    assert not isinstance(doc, ForumcleanError)
    assert BODIES[0] in doc.text
    assert any("nests elements deeper" in w for w in doc.warnings)


def test_bare_deep_page_never_truncated_silently():
    data = b"<html><body>" + b"<div>" * 100_000 + b"lost?" + b"</div>" * 100_000 + b"<p>after</p></body></html>"
    doc = check_contract(data)
    assert any("nests elements deeper" in w for w in doc.warnings)


def test_50_mb_page():
    filler = ("<p>" + "长" * 1000 + "</p>\n").encode()
    data = with_body(filler * (50 * MiB // len(filler)))
    assert len(data) > 50 * MiB
    start = time.perf_counter()
    doc = forumclean.extract(data)
    assert time.perf_counter() - start < 90
    assert_fixture_bodies(doc)
    assert len(doc.posts[2].body) > 16_000_000


def test_input_above_the_size_limit_is_refused_without_decoding():
    with pytest.raises(InputTooLarge, match="64 MiB"):
        forumclean.extract(b" " * (MAX_INPUT_BYTES + 1))


def _timed_extract(data: bytes) -> tuple[float, object]:
    start = time.process_time()  # (CPU time: other processes on the machine count less)
    doc = forumclean.extract(data)
    return time.process_time() - start, doc


def _ratio_within(small: bytes, large: bytes, bound: float) -> tuple[float, float, object, object]:
    """CPU times of extracting ``small`` and ``large``, and their documents; measured again (up to
    three times in all) while the large page takes more than ``bound`` times the small one, so
    that a busy spell during one measurement does not pass for a quadratic step (which fails
    every time)."""
    for _ in range(3):
        t_small, doc_small = _timed_extract(small)
        t_large, doc_large = _timed_extract(large)
        if t_large < bound * max(t_small, 0.05):
            break
    return t_small, t_large, doc_small, doc_large


def test_thread_engine_scales_linearly_with_posts():
    small, large = 1500, 12000
    t_small, t_large, doc_small, doc_large = _ratio_within(
        thread_page(b"".join(post_markup(i) for i in range(1, small + 1))),
        thread_page(b"".join(post_markup(i) for i in range(1, large + 1))), 24)
    assert len(doc_small.posts) == small and len(doc_large.posts) == large
    assert doc_large.posts[-1].body == f"第{large}楼的内容 body {large}"
    # Linear is 8x; quadratic would be 64x. Leave room for a busy machine.
    assert t_large < 24 * max(t_small, 0.05), (t_small, t_large)


@pytest.mark.parametrize("post", [
    # Archiver and innerText dumps put a post's first words on its header line: splitting
    # that line once moved every later header along.
    "用户{i} 发表于 2024-5-18 09:12 第{i}楼的内容，今天天气不错。\n",
    # The same closing line under every post is a signature: asking that once per post, of a
    # set holding every post, was quadratic too.
    "用户{i} 发表于 2024-5-18 09:12\n\n第{i}楼的内容，今天天气不错。\n\n签名：天天开心\n\n",
], ids=["body-on-the-header-line", "one-ending-under-every-post"])
def test_text_dumps_of_thousands_of_posts_scale_linearly(post):
    def dump(n: int) -> bytes:
        return "".join(post.format(i=i) for i in range(1, n + 1)).encode()

    small, large = 1000, 8000
    t_small, t_large, doc_small, doc_large = _ratio_within(dump(small), dump(large), 16)
    assert doc_small.family == doc_large.family == "textdump" and len(doc_large.posts) == large
    # (the signature line is gone from the body)
    assert (doc_large.posts[-1].author, doc_large.posts[-1].body) == (f"用户{large}", f"第{large}楼的内容，今天天气不错。")
    # Linear is 8x; quadratic would be 64x.
    assert t_large < 16 * max(t_small, 0.05), (t_small, t_large)


@pytest.mark.parametrize("tag", ["div", "table"])
def test_unclosed_post_containers_stay_linear_and_never_duplicate_text(tag):
    if tag == "div":  # every post container left open: later posts nest in earlier ones
        posts = b"".join(post_markup(i).rsplit(b"</div>", 1)[0] for i in range(1, 1501))
    else:  # table rows and the body cell never closed
        posts = b"".join((f'<table id="pid{i}"><tr><td class="plc"><a id="postnum{i}">{i}#</a>'
                          f'<div class="t_f" id="postmessage_{i}">正文{i}号 ').encode() for i in range(1, 1501))
    start = time.perf_counter()
    doc = check_contract(thread_page(posts))
    assert time.perf_counter() - start < 30
    text = doc.text
    for i in (1, 2, 50, 51):
        marker = f"第{i}楼的内容 body {i}" if tag == "div" else f"正文{i}号"
        assert text.count(marker) <= 1, marker


def test_nested_repeated_regions_do_not_go_quadratic():
    region = b'<td class="pls"><div class="authi"><a class="xw1" href="space-uid-1.html">someone</a>'
    data = PAGE.replace(b'<td class="pls" rowspan="2">', b'<td class="pls" rowspan="2">' + region * 3000, 1)
    start = time.perf_counter()
    check_contract(data)
    assert time.perf_counter() - start < 20


def test_attribute_flood_is_capped():
    attrs = b" ".join(b'data-a%d="%d"' % (i, i) for i in range(100_000))
    data = PAGE.replace(b'id="postmessage_9003">', b'id="postmessage_9003" ' + attrs + b">")
    start = time.perf_counter()
    doc = check_contract(data)
    assert time.perf_counter() - start < 20
    assert_fixture_bodies(doc)
    assert any("attributes" in w for w in doc.warnings)


def test_huge_attribute_values_and_many_attributes_elsewhere():
    data = PAGE.replace(b'id="postmessage_9003">', b'id="postmessage_9003" title="' + b"x" * 20_000_000 + b'">')
    assert_fixture_bodies(check_contract(data))
    data = PAGE.replace(b"<br />", b'<br a="1" b=2 c d=\'4\' e="<>" f=">"/>')
    assert not isinstance(check_contract(data), ForumcleanError)


@pytest.mark.parametrize("name, data", [
    # Each aims at a pattern that once rescanned the rest of the input from every position.
    ("unclosed tag runs", b"<html><body>" + b"<div" + b"<ab" * 100_000 + b"<div>" * 400 + b"x" * 200_000),
    ("tag name without end", b"<p>" * 300 + b"<a" + "é".encode() * 300_000),
    ("unclosed body tags", b"<html>" + b"<body" * 40_000),
    ("unclosed meta tags", b"<html><head>" + b"<meta name='generator' " * 3_000 + b"</head><body>x</body>"),
    ("digit run in a time", with_body(b"", "上午人少").replace(b"<span title=\"2024-5-18 11:40:03\">",
                                                           b"<span>" + b"7" * 300_000 + b" \xe5\xa4\xa9\xe5\x89\x8d")),
    ("unclosed edit note", PAGE.replace(b"<i class=\"pstatus\"> ", b"<i class=\"pstatus\">\xe6\x9c\xac\xe5\xb8\x96\xe6\x9c"
                                        b"\x80\xe5\x90\x8e\xe7\x94\xb1 " + "于 ".encode() * 100_000)),
    ("many smiley codes on one line", ("开心 :lol {:4_99:} 好 " * 60_000).encode()),
    ("a body of 40 000 elements with class and id", with_body(b'<span class="c" id="s">x</span>' * 40_000)),
    ("many jammer-like runs on one line", PAGE.replace(b"<i class=", b"<br>" + b"\xe4\xb8\x80a b c d e f g h i j" * 40_000
                                                      + b"<i class=", 1)),
])
def test_no_pattern_goes_quadratic(name, data):
    start = time.perf_counter()
    check_contract(data)
    assert time.perf_counter() - start < 20, name


def test_posts_after_the_pages_own_end_are_read_and_keep_the_contract():
    # Markup spliced after </html> can leave a second <html> beside the first at the top of the
    # document; its posts are still the page's own text.
    at = PAGE.index(b'<div id="postlist"')
    doc = check_contract(PAGE[:at] + b"</body></html>" + PAGE[at:])
    assert_fixture_bodies(doc)


def test_pathological_entities():
    soup = (b"&#0; &#1; &#x1F; &#xD800; &#xDFFF; &#x110000; &#99999999999999999999; &#xFFFE; &#; &#x; "
            b"&bogus; &amp &lt &nbsp;&nbsp &#12345678901234567890123; &#x7fffffff; " * 50)
    doc = check_contract(with_body(soup))
    assert_fixture_bodies(doc)
    body = doc.posts[2].body
    assert "\x00" not in body and not re.search(r"[\ud800-\udfff]", body)


def test_entity_expansion_is_not_performed():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b"<html><body><p>&lol3;</p></body></html>")
    result = check_contract(bomb)
    assert isinstance(result, ForumcleanError) or "lollol" not in json.dumps(result.to_dict())


def test_malformed_urls_in_attributes():
    data = PAGE.replace(b'<base href="https://bbs.liuan.example/" />', b'<base href="http://[::1" />').replace(
        b"</td></tr></table></div>\n<div class=\"sign\">", b'<img src="http://[bad/x.jpg"></td></tr></table></div>'
        b'\n<div class="sign">', 1)
    assert_fixture_bodies(check_contract(data))


def test_str_input_with_lone_surrogates_gives_writable_json():
    doc = forumclean.extract(PAGE_TEXT.replace("上午人少", "\ud800上午人少\udfff，"))
    json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")
    assert_fixture_bodies(doc)


# -- charsets -----------------------------------------------------------------------------------

def _declared(text: str, label: str | None) -> str:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'
    assert meta in text
    return text.replace(meta, f'<meta http-equiv="Content-Type" content="text/html; charset={label}" />'
                        if label else "")


def test_gbk_bytes_declared_as_utf8():
    doc = forumclean.extract(PAGE_TEXT.encode("gbk"))
    assert_fixture_bodies(doc)
    assert doc.encoding == "gb18030"


def test_utf8_bytes_declared_as_gbk():
    doc = forumclean.extract(_declared(PAGE_TEXT, "gbk").encode("utf-8"))
    assert_fixture_bodies(doc)
    assert doc.encoding == "utf-8"


def test_missing_declaration():
    assert_fixture_bodies(forumclean.extract(_declared(PAGE_TEXT, None).encode("gb18030")))
    assert_fixture_bodies(forumclean.extract(_declared(PAGE_TEXT, None).encode("utf-8")))


def test_big5_declared_and_undeclared():
    page = (PAGE_TEXT.replace("从北桥出发", "從北橋出發").replace("湿地公园周末人多吗", "濕地公園週末人多嗎")
            .replace("上午人少", "上午人少"))
    doc = forumclean.extract(_declared(page, "big5").encode("big5", "replace"))
    assert "從北橋出發" in doc.posts[0].body and "濕地公園週末人多嗎" in doc.posts[1].body


def test_conflicting_declarations():
    page = _declared(PAGE_TEXT, "big5").replace("<head>", "<head><meta charset=\"utf-8\"><script>var charset = 'big5';</script>")
    doc = forumclean.extract(page.encode("gbk"), http_charset="iso-8859-1")
    assert_fixture_bodies(doc)


@pytest.mark.parametrize("label", ["x-bogus-charset", "utf-16", "UTF-16LE", "utf-7", "rot13", "base64", "hex",
                                   "undefined", "unicode-escape", "utf-32", "", "\"", "gbk;foo"])
@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_unknown_and_unusable_declarations(label, codec):
    doc = forumclean.extract(_declared(PAGE_TEXT, label).encode(codec))
    assert_fixture_bodies(doc)


def test_mixed_encodings_in_one_file():
    gbk_body = "湿地公园周末人多吗？想带孩子一起去。".encode("gbk")
    data = PAGE.replace("湿地公园周末人多吗？想带孩子一起去。".encode(), gbk_body)
    doc = forumclean.extract(data)
    assert_fixture_bodies(doc)
    assert "湿地公园周末人多吗？想带孩子一起去。" in doc.posts[1].body
    assert any("mixed" in w for w in doc.warnings), doc.warnings


def test_invalid_utf8_in_a_text_dump():
    dump = ("周末骑车路线\n\n青柳骑士 发表于 2024-5-18 09:12\n从北桥出发，沿着河堤一直往东，大约十二公里到湿地公园。\n"
            * 5).encode() + b"\xff\xfe\xfd broken \xc3\x28 bytes \xe2\x82 end\n"
    doc = check_contract(dump)
    assert not isinstance(doc, ForumcleanError)
    assert any("undecodable" in w or "mixed" in w for w in doc.warnings), doc.warnings


def test_character_references_in_a_markdown_dump_are_decoded_once():
    # html2text keeps references such as &gt; in the text; valid ones are decoded, a malformed or
    # out-of-range one stays as written or becomes U+FFFD, and the contract still holds.
    dump = (ROOT / "fixtures" / "text-markdown.txt").read_text("utf-8").replace(
        "这次重读才看懂英子送别的那几章。", "这次重读才看懂英子&lt;送别&gt;的那几章&#x110000;&#99999999999;&amp")
    doc = check_contract(dump)
    assert not isinstance(doc, ForumcleanError)
    body = doc.posts[0].body
    assert "英子<送别>的那几章" in body, body
    assert "&amp" in body and "&#99999999999;" in body, body


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_utf16_and_utf32(codec):
    data = PAGE_TEXT.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):  # no byte-order mark: recognised by its zero bytes
        assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    doc = forumclean.extract(data)
    assert_fixture_bodies(doc)


# -- properties (hypothesis): kept small; the long run is benchmarks/fuzz.py ------------------

_TOKENS = ["<", ">", "</", "<div>", "</div>", "<p>", "<br>", "<table><tr><td>", "</td></tr></table>", "<font>",
           "<!--", "-->", "<script>", "</script>", "&amp;", "&#0;", "&#xD800;", "&bogus;", "\x00", " ", "\n",
           '<div id="postlist">', '<div id="post_1">', '<td class="t_f" id="postmessage_1">',
           '<em id="authorposton1">发表于 2024-5-18 09:12</em>', '<a id="postnum1">楼主</a>',
           '<div class="quote"><blockquote>', '<i class="pstatus">本帖最后由 某人 于 2024-5-18 09:30 编辑</i>',
           '<font class="jammer">x</font>', '<div id="article_content">', '<span id="thread_subject">',
           '<body id="nv_forum" class="pg_viewthread">', "来源：http://example.com/a", "正文文字", "text",
           '<meta charset="gbk">', '<img src="http://[x">', 'style="display:none"', "<div style=display:none>"]

# Derandomized: the default suite stays reproducible; benchmarks/fuzz.py explores at length.
HYPOTHESIS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_document_or_a_forumclean_error(data):
    check_contract(data)


@HYPOTHESIS
@given(st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=12)), max_size=80),
       st.sampled_from(["utf-8", "gb18030", "big5", "utf-16"]))
def test_tag_soup_keeps_the_contract(tokens, codec):
    check_contract("".join(tokens).encode(codec, "replace"))


@HYPOTHESIS
@given(st.data())
def test_mutated_fixture_keeps_the_contract(data):
    page = bytearray(PAGE)
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(page)))
        op = data.draw(st.sampled_from(["insert", "delete", "flip", "truncate"]))
        if op == "insert":
            page[pos:pos] = data.draw(st.sampled_from(_TOKENS)).encode()
        elif op == "delete":
            del page[pos:pos + data.draw(st.integers(1, 400))]
        elif op == "flip" and pos < len(page):
            page[pos] = data.draw(st.integers(0, 255))
        elif op == "truncate":
            del page[pos:]
    check_contract(bytes(page))


@HYPOTHESIS
@given(st.text(max_size=400))
def test_any_str_keeps_the_contract(text):
    check_contract(text)


def test_every_single_byte_deletion_in_a_post_keeps_the_contract():
    # A deterministic sweep as well: every single-byte deletion across the first post's markup.
    start = PAGE.index(b'<div id="post_9001">')
    for i in range(start, start + 1500, 7):
        check_contract(PAGE[:i] + PAGE[i + 1:])


# -- the command line: paths -------------------------------------------------------------------

@pytest.fixture
def pages(tmp_path: Path) -> Path:
    (tmp_path / "good.html").write_bytes(PAGE)
    (tmp_path / "bad.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "broken.html").symlink_to(tmp_path / "nowhere.html")
    (tmp_path / "loop1.html").symlink_to(tmp_path / "loop2.html")
    (tmp_path / "loop2.html").symlink_to(tmp_path / "loop1.html")
    os.mkfifo(tmp_path / "fifo.html")
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x")
    return tmp_path


def _records(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def test_cli_one_record_and_one_line_per_failed_input(pages):
    names = ["good.html", "bad.bin", "empty.html", "missing.html", "broken.html", "loop1.html", "fifo.html"]
    proc = cli("--format", "jsonl", *names, cwd=pages, timeout=60)
    assert proc.returncode == 1
    records = _records(proc.stdout)
    assert [r["input"] for r in records] == names
    assert "error" not in records[0] and records[0]["posts"]
    lines = assert_clean_stderr(proc.stderr)
    assert lines == [
        "forumclean: bad.bin: not a text page (PNG image)",
        "forumclean: empty.html: empty input (no text)",
        "forumclean: missing.html: cannot read: no such file or directory",
        "forumclean: broken.html: cannot read: broken symbolic link",
        "forumclean: loop1.html: cannot read: too many levels of symbolic links",
        "forumclean: fifo.html: empty input (no text)",
    ]
    for r, line in zip(records[1:], lines, strict=True):
        assert line.endswith(r["error"]["message"])


def test_cli_exit_0_when_every_input_is_clean(pages):
    proc = cli("--format", "jsonl", "good.html", "good.html", cwd=pages)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert len(_records(proc.stdout)) == 2


def test_cli_directories(pages):
    (pages / "adir" / "a.html").write_bytes(PAGE)
    (pages / "adir" / "b.html").write_bytes(b"\x1f\x8b\x08\x00")
    (pages / "adir" / "sub.html").mkdir()  # a folder named like a page is not read as one
    proc = cli("--format", "jsonl", "adir", cwd=pages)
    assert proc.returncode == 1
    assert [r["input"] for r in _records(proc.stdout)] == ["adir/a.html", "adir/b.html"]
    assert assert_clean_stderr(proc.stderr) == ["forumclean: adir/b.html: not a text page (gzip data)"]


def test_cli_odd_file_names(tmp_path):
    names = [b"with space.html", b"new\nline.html", b"bad\xffbyte.html", b"-dash.html"]
    for n in names:
        (tmp_path / os.fsdecode(n)).write_bytes(PAGE)
    (tmp_path / os.fsdecode(b"bin\n\xfe.html")).write_bytes(b"%PDF-1.4")
    args = [b"./" + n for n in names] + [b"./bin\n\xfe.html"]
    proc = cli("-o", "out", "--format", "json", *args, cwd=tmp_path)
    assert proc.returncode == 1
    produced = sorted(os.listdir(os.fsencode(tmp_path / "out")))
    assert produced == sorted(n[:-5] + b".json" for n in names)
    for n in produced:
        doc = json.loads((tmp_path / "out" / os.fsdecode(n)).read_text("utf-8"))
        assert len(doc["posts"]) == 3
    # The failure is one line, the odd bytes escaped.
    assert assert_clean_stderr(proc.stderr) == ["forumclean: ./bin\\x0a\\xfe.html: not a text page (PDF document)"]


def test_cli_output_dir_that_cannot_be_written(pages):
    proc = cli("-o", "afile/out", "good.html", "good.html", cwd=pages)
    assert proc.returncode == 1
    lines = assert_clean_stderr(proc.stderr)
    assert len(lines) == 2
    assert all(line.startswith("forumclean: good.html: cannot write afile/out/good.txt: ") for line in lines)
    assert (pages / "afile").read_text() == "x"


def test_cli_never_overwrites_an_earlier_output(tmp_path):
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "a.htm").write_bytes(PAGE.replace("从北桥出发".encode(), "另一页".encode()))
    proc = cli("-o", "out", "a.html", "a.htm", cwd=tmp_path)
    assert proc.returncode == 1
    assert "从北桥出发" in (tmp_path / "out" / "a.txt").read_text("utf-8")
    [line] = assert_clean_stderr(proc.stderr)
    assert line.startswith("forumclean: a.htm: output out/a.txt already written")


def test_cli_replaces_the_outputs_of_an_earlier_run(tmp_path):
    # Within a batch a second input may not take an output file; a new run replaces the last
    # run's files (the batch keeps no list of its files: it reads their change times).
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "b.html").write_bytes(PAGE)
    assert cli("-o", "out", "a.html", "b.html", cwd=tmp_path).returncode == 0
    (tmp_path / "a.html").write_bytes(PAGE.replace("从北桥出发".encode(), "另一页".encode()))
    (tmp_path / "a.htm").write_bytes(PAGE)
    proc = cli("-o", "out", "a.html", "b.html", "a.htm", cwd=tmp_path)
    assert proc.returncode == 1
    assert "另一页" in (tmp_path / "out" / "a.txt").read_text("utf-8")
    assert "从北桥出发" in (tmp_path / "out" / "b.txt").read_text("utf-8")
    [line] = assert_clean_stderr(proc.stderr)
    assert line == "forumclean: a.htm: output out/a.txt already written for an earlier input of this batch"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "b.txt"]


_DENY_OPEN = textwrap.dedent('''
    import builtins, errno, os
    _open, _os_open = builtins.open, os.open
    def _denied(path):
        return "locked" in os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else False
    def open(file, *a, **k):
        if _denied(file):
            raise PermissionError(errno.EACCES, "Permission denied", file)
        return _open(file, *a, **k)
    def os_open(path, *a, **k):
        if _denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return _os_open(path, *a, **k)
    builtins.open, os.open = open, os_open
''')


def test_cli_unreadable_file_simulated(pages, tmp_path_factory):
    # Tests run as root, where permissions do not stop reads: the denial is injected instead.
    hooks = tmp_path_factory.mktemp("hooks")
    (hooks / "sitecustomize.py").write_text(_DENY_OPEN)
    (pages / "locked.html").write_bytes(PAGE)
    proc = cli("--format", "jsonl", "locked.html", "good.html", cwd=pages, hooks=hooks)
    assert proc.returncode == 1
    assert assert_clean_stderr(proc.stderr) == ["forumclean: locked.html: cannot read: permission denied"]
    assert len(_records(proc.stdout)) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_cli_unreadable_file_by_mode(pages):
    (pages / "secret.html").write_bytes(PAGE)
    (pages / "secret.html").chmod(0)
    proc = cli("secret.html", cwd=pages)
    assert proc.returncode == 1
    assert assert_clean_stderr(proc.stderr) == ["forumclean: secret.html: cannot read: permission denied"]


def test_cli_endless_device_is_refused_by_size():
    proc = cli("/dev/zero", timeout=60)
    assert proc.returncode == 1
    assert assert_clean_stderr(proc.stderr) == ["forumclean: /dev/zero: input is larger than the 64 MiB limit"]


# -- the command line: streams and signals -----------------------------------------------------

def test_cli_stdin_empty_and_closed():
    proc = cli("-", stdin=subprocess.DEVNULL)
    assert proc.returncode == 1
    assert assert_clean_stderr(proc.stderr) == ["forumclean: -: empty input (no text)"]
    closed = subprocess.run(cli_command("-"), stdin=None, capture_output=True, env=cli_env(), timeout=60,
                            preexec_fn=lambda: os.close(0))
    assert closed.returncode == 1
    [line] = assert_clean_stderr(closed.stderr)
    assert line.startswith("forumclean: -: cannot read: ")
    listed = subprocess.run(cli_command("--files-from", "-"), capture_output=True, env=cli_env(), timeout=60,
                            preexec_fn=lambda: os.close(0))
    assert listed.returncode == 2 and b"Traceback" not in listed.stderr


def test_cli_stdin_cut_short(tmp_path):
    # The producer dies mid-page: a truncated page is still cleaned.
    proc = cli("--format", "json", "-", stdin=None, input=PAGE[: len(PAGE) * 2 // 3])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["posts"]


def test_cli_stdout_closed_early(pages):
    proc = subprocess.Popen(cli_command("--format", "jsonl", *["good.html"] * 200), cwd=pages, env=cli_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    _, err = proc.communicate(timeout=120)
    assert json.loads(first)["input"] == "good.html"
    assert_clean_stderr(err)
    assert proc.returncode != 0


def _big_pages(folder: Path, count: int) -> None:
    filler = ("<p>" + "慢" * 500 + "</p>\n").encode() * 1500  # ~2 MB: a noticeable time per page
    data = with_body(filler)
    folder.mkdir()
    for i in range(count):
        (folder / f"p{i:02d}.html").write_bytes(data)


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_signal_mid_batch_to_output_dir(tmp_path, sig):
    _big_pages(tmp_path / "in", 30)
    out = tmp_path / "out"
    proc = subprocess.Popen(cli_command("-o", str(out), "--format", "json", str(tmp_path / "in")), env=cli_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(lambda: out.is_dir() and any(out.glob("*.json")))
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode not in (0, None)
    assert_clean_stderr(err)
    assert _leftovers(out) == []
    written = sorted(out.glob("*.json"))
    assert 0 < len(written) < 30
    for path in written:  # every output there is whole
        assert len(json.loads(path.read_text("utf-8"))["posts"]) == 3


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_signal_mid_batch_to_stdout(tmp_path, sig):
    _big_pages(tmp_path / "in", 30)
    out_path = tmp_path / "out.jsonl"
    # stdout goes to a file: a pipe read with readline() and then communicate() would lose what
    # readline had buffered ahead (communicate reads the raw descriptor).
    with open(out_path, "wb") as out:
        proc = subprocess.Popen(cli_command("--format", "jsonl", str(tmp_path / "in")), env=cli_env(),
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE)
        _wait_for(lambda: out_path.stat().st_size > 0)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode not in (0, None)
    assert_clean_stderr(err)
    lines = out_path.read_bytes().decode("utf-8").splitlines()
    assert lines
    for line in lines:  # only whole records
        assert len(json.loads(line)["posts"]) == 3


_SLOW_RENAME = textwrap.dedent('''
    import os, time
    _replace = os.replace
    def replace(src, dst, *a, **k):
        if os.fsdecode(dst).endswith(".json"):
            open(os.environ["FORUMCLEAN_TEST_MARK"], "w").close()
            time.sleep(3)
        return _replace(src, dst, *a, **k)
    os.replace = replace
''')


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_signal_while_an_output_is_being_written(tmp_path, sig):
    # The signal lands with the temporary file written and not yet renamed: the write is either
    # finished (signals are held for its few microseconds) or undone, never left half-way.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(_SLOW_RENAME)
    (tmp_path / "page.html").write_bytes(PAGE)
    mark = tmp_path / "writing"
    env = cli_env(hooks) | {"FORUMCLEAN_TEST_MARK": str(mark)}
    proc = subprocess.Popen(cli_command("-o", "out", "--format", "json", "page.html"), cwd=tmp_path, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(mark.exists)
    assert [p.name for p in (tmp_path / "out").iterdir()] != []  # the temporary file is there now
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode not in (0, None)
    assert_clean_stderr(err)
    left = list((tmp_path / "out").iterdir())
    assert [p.name for p in left] in ([], ["page.json"])  # no temporary file
    for p in left:
        assert json.loads(p.read_text("utf-8"))["title"]  # and a whole document


# -- the long checks ---------------------------------------------------------------------------

@pytest.mark.slow
def test_200000_posts_finish_in_reasonable_time_and_memory(tmp_path):
    n = 200_000
    page = thread_page(b"".join(post_markup(i, body=f"内容{i}", author=False) for i in range(1, n + 1)))
    assert len(page) < MAX_INPUT_BYTES
    path = tmp_path / "huge.html"
    path.write_bytes(page)
    code = textwrap.dedent(f"""
        import resource, sys, time, forumclean
        data = open({str(path)!r}, "rb").read()
        start = time.perf_counter()
        doc = forumclean.extract(data)
        took = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(len(doc.posts), doc.posts[-1].body, round(took, 1), round(rss))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=cli_env(), timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()
    posts, last, took, rss = proc.stdout.decode().split()
    print(f"200000 posts, {len(page) / MiB:.0f} MiB: {took} s, peak RSS {rss} MiB")
    assert int(posts) == n and last == f"内容{n}"
    assert float(took) < 600
    assert float(rss) < 6 * 1024


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["back.gif", "BACK.GIF", "images/back.gif", " ", "\t", "\u3000", "发表于", "x",
                                 "中文", "\n", "gif", "."]), max_size=12).map("".join))
def test_back_link_removal_matches_its_regex_definition(text):
    # flat.py strips a quote header's trailing back.gif link with string methods (the regex was
    # quadratic on long CJK lines); both must agree.
    from forumclean.families.flat import _without_back_link
    assert _without_back_link(text) == re.sub(r"\s*\S*back\.gif\s*$", "", text, flags=re.I)


def test_long_line_under_a_quote_header_stays_fast():
    line = "原帖由 小河边 于 2024-5-18 10:02 发表 " + "长" * 200_000 + " back.gif"
    from forumclean.families.flat import _without_back_link
    start = time.perf_counter()
    assert _without_back_link(line).endswith("长")
    assert time.perf_counter() - start < 1
