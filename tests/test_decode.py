"""Bytes to text (anatomy §2): BOM, declared charsets and their supersets, mis-declared pages,
pages that declare nothing, and refusal of binary data."""

from __future__ import annotations

import codecs

import pytest
from conftest import FIXTURES
from hypothesis import given
from hypothesis import strategies as st

import forumclean
from forumclean.decode import _HANZI, _has_hanzi, declared_charset, decode, normalise_label
from forumclean.errors import DecodeError

# GBK-only characters (not in GB2312) and HKSCS-only characters (not in plain Big5 / cp950).
GBK_ONLY = "王镕和堃哥说：啰嗦一句，喆"
HKSCS_ONLY = "呢啲路線，我哋行咗嗰段，真係好靚嘅"


def page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>t</title></head>"
            f"<body><div id='postlist'><p>{body}</p></div></body></html>")


META_GBK = '<meta http-equiv="Content-Type" content="text/html; charset=gbk" />'
META_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
META_BIG5 = '<meta charset="big5" />'
META_UTF8 = '<meta charset="utf-8" />'
SCRIPT_GBK = "<script>var STYLEID = '1', charset = 'gbk', discuz_uid = '0';</script>"


# -- BOM ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bom, codec", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_bom_wins_and_is_stripped(bom, codec):
    html = page("有 BOM 的页面", META_GBK)  # a wrong declaration does not matter beside a BOM
    text, used = decode(bom + html.encode(codec))
    assert used == codec
    assert text == html


# -- declared charsets ---------------------------------------------------------------------------

@pytest.mark.parametrize("meta", [META_GBK, META_GB2312, SCRIPT_GBK, '<meta charset="GBK">'])
def test_declared_gbk_family_decodes_as_gb18030(meta):
    html = page(GBK_ONLY, meta)
    text, used = decode(html.encode("gbk"))
    assert used == "gb18030"
    assert GBK_ONLY in text and "\ufffd" not in text


def test_declared_gb2312_page_with_gbk_only_characters_loses_nothing():
    # Real "gb2312" pages hold GBK characters; decoding strictly as GB2312 would fail.
    raw = page(GBK_ONLY, META_GB2312).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")
    text, used = decode(raw)
    assert GBK_ONLY in text


@pytest.mark.parametrize("meta", [META_BIG5, '<meta http-equiv="Content-Type" content="text/html; charset=BIG5" />',
                                  "<script>var charset = 'big5', discuz_uid = '0';</script>"])
def test_declared_big5_decodes_as_big5hkscs(meta):
    raw = page(HKSCS_ONLY, meta).encode("big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("cp950")
    text, used = decode(raw)
    assert used == "big5hkscs"
    assert HKSCS_ONLY in text


def test_http_charset_is_used_when_the_page_declares_nothing():
    raw = page(HKSCS_ONLY).encode("big5hkscs")
    text, used = decode(raw, http_charset="Big5")
    assert used == "big5hkscs"
    assert HKSCS_ONLY in text


@pytest.mark.parametrize("label, codec", [
    ("gbk", "gb18030"), ("GBK", "gb18030"), ("gb2312", "gb18030"), ("GB2312", "gb18030"), ("x-gbk", "gb18030"),
    ("gb18030", "gb18030"), ("big5", "big5hkscs"), ("BIG5", "big5hkscs"), ("cp950", "big5hkscs"),
    ("utf-8", "utf-8"), ("UTF8", "utf-8"), ("latin1", "iso8859-1"), ("shift_jis", "shift_jis"),
    (" utf-8 ", "utf-8"), ("no-such-charset", None), ("", None), (None, None),
])
def test_normalise_label(label, codec):
    assert normalise_label(label) == codec


@pytest.mark.parametrize("head, codec", [
    (META_GBK, "gb18030"),
    ('<meta charset="big5" />', "big5hkscs"),
    ("<meta charset=utf-8>", "utf-8"),
    (SCRIPT_GBK, "gb18030"),  # the inline Discuz script when the meta was stripped
    ('<?xml version="1.0" encoding="gbk"?>', "gb18030"),
    ('<meta charset="bogus" />' + SCRIPT_GBK, "gb18030"),  # an unknown label falls through
    ("", None),
])
def test_declared_charset(head, codec):
    assert declared_charset(page("x", head).encode("ascii")) == codec


def test_meta_declaration_is_preferred_over_the_inline_script():
    # Touch pages: the meta says utf-8 while the script still says gbk; trust the meta.
    raw = page("手机版", META_UTF8 + SCRIPT_GBK).encode("utf-8")
    assert declared_charset(raw) == "utf-8"


# -- pages that lie or say nothing --------------------------------------------------------------

def test_page_declaring_gbk_but_saved_as_utf8_is_read_as_utf8():
    html = page(GBK_ONLY, META_GBK)
    text, used = decode(html.encode("utf-8"))
    assert used == "utf-8"
    assert text == html


def test_page_declaring_utf8_but_holding_gbk_bytes_is_read_as_gb18030():
    html = page(GBK_ONLY, META_UTF8)
    text, used = decode(html.encode("gbk"))
    assert used == "gb18030"
    assert text == html


def test_page_declaring_big5_but_saved_as_utf8_is_read_as_utf8():
    html = page(HKSCS_ONLY, META_BIG5)
    text, used = decode(html.encode("utf-8"))
    assert used == "utf-8"
    assert text == html


def test_undeclared_gbk_page_is_read_as_gb18030():
    html = page(GBK_ONLY)
    text, used = decode(html.encode("gbk"))
    assert used == "gb18030"
    assert text == html


def test_damaged_utf8_keeps_utf8_with_a_replacement_character():
    # GB18030 accepts almost any byte pair: without care this page would come out garbled.
    raw = page("完好的文字" * 20, META_UTF8).encode("utf-8")
    cut = raw.index("文字".encode()) + 1  # cut inside a character, like a truncated download
    damaged = raw[:cut] + b"\xff" + raw[cut + 1:]
    text, used = decode(damaged)
    assert used == "utf-8"
    assert text.count("\ufffd") >= 1 and "完好的文字" in text


def test_truncated_mid_character_still_decodes():
    raw = page("完好的文字" * 20, META_UTF8).encode("utf-8")
    cut = raw.rindex("文字".encode()) + 1
    text, used = decode(raw[:cut])
    assert used == "utf-8"
    assert "完好的文字" in text


def test_fixture_pages_decode_as_their_case_says():
    assert decode((FIXTURES / "x34-gbk-script-charset.html").read_bytes())[1] == "gb18030"
    assert decode((FIXTURES / "x34-gbk-no-charset.html").read_bytes())[1] == "gb18030"
    text, used = decode((FIXTURES / "x35-big5-hant.html").read_bytes())
    assert used == "big5hkscs" and "嘅" in text and "\ufffd" not in text


# -- binary refusal ------------------------------------------------------------------------------

@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
    (b"\xff\xd8\xff\xe0" + bytes(200), "JPEG image"),
    (b"GIF89a" + bytes(200), "GIF image"),
    (b"\x1f\x8b\x08\x00" + bytes(200), "gzip data"),
    (b"%PDF-1.7\n" + bytes(200), "PDF document"),
    (b"PK\x03\x04" + bytes(200), "zip archive"),
    (bytes(range(256)) * 8, "binary data"),
])
def test_binary_input_is_refused(data, kind):
    with pytest.raises(DecodeError, match=kind):
        decode(data)
    # The library raises its own error type, never a decoding traceback.
    with pytest.raises(forumclean.ForumcleanError):
        forumclean.extract(data)


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", "\ufeff".encode("utf-8")])
def test_empty_input_is_refused(data):
    with pytest.raises(DecodeError):
        forumclean.extract(data)


def test_text_with_a_few_control_characters_is_still_text():
    html = page("正文\x0b里有个垂直制表符\x01和一个控制字符", META_UTF8)
    text, used = decode(html.encode("utf-8"))
    assert used == "utf-8" and "垂直制表符" in text


def test_extract_reports_the_codec_it_used():
    doc = forumclean.extract(page("<span id='x'>正文</span>" + GBK_ONLY, META_GBK).encode("gbk"))
    assert doc.encoding == "gb18030"
    doc = forumclean.extract(page("正文", META_UTF8))  # str input: nothing was decoded
    assert doc.encoding is None


# -- nothing usable declared: GBK or Big5 ------------------------------------------------------------

HANT = "今天我們騎車沿著河邊走了一圈，天氣很好，路上遇到很多朋友，大家一起在咖啡店休息聊天。"
HANS = "今天我们骑车沿着河边走了一圈，天气很好，路上遇到很多朋友，大家一起在咖啡店休息聊天。"


@pytest.mark.parametrize("head", ["", "<script>var STYLEID = '1', charset = 'utf-8';</script>",
                                  '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'],
                         ids=["no-charset", "stale-utf8", "latin1"])
@pytest.mark.parametrize("body, codec, expected", [
    (HANT, "big5", "big5hkscs"),  # GBK would read these bytes "cleanly", as a scatter of rare characters
    (HANS, "gbk", "gb18030"),
    (HANT, "gbk", "gb18030"),  # traditional characters written in GBK stay GBK
], ids=["hant-big5", "hans-gbk", "hant-gbk"])
def test_undeclared_chinese_is_read_in_the_codec_that_gives_everyday_characters(head, body, codec, expected):
    # No charset, a stale UTF-8 one (a re-encoded copy), or a latin-1 one: the bytes decide.
    text, used = decode(page(body, head).encode(codec))
    assert used == expected
    assert body in text


def test_big5_page_saved_without_its_charset_extracts_its_text():
    html = page(HANT * 3).replace("<p>", "<table id='pid1'><tr><td class='t_f' id='postmessage_1'>")
    doc = forumclean.extract(html.encode("big5"))
    assert doc.encoding == "big5hkscs"
    assert HANT in doc.text


# -- mojibake: a page read as Latin-1 and saved as UTF-8 ------------------------------------------

@pytest.mark.parametrize("name, codec", [("x35-thread-quote", "utf-8"), ("x34-gbk-script-charset", "gb18030"),
                                         ("x35-big5-hant", "big5hkscs")])
def test_mojibake_is_undone(name, codec):
    # 「你好」 read as Latin-1 is 「ä½ å¥½」: written out again as UTF-8, the page holds no Chinese
    # character at all. The bytes behind those letters are the page (in its declared charset).
    data = (FIXTURES / f"{name}.html").read_bytes()
    mangled = data.decode("latin-1").encode("utf-8")
    plain, repaired = forumclean.extract(data), forumclean.extract(mangled)
    assert repaired.encoding == plain.encoding == codec
    assert any("mojibake" in w for w in repaired.warnings)
    assert [(p.author, p.body) for p in repaired.posts] == [(p.author, p.body) for p in plain.posts]


def test_western_text_with_many_accents_is_not_taken_for_mojibake():
    french = "À la fenêtre, l'été où nous étions à Noël, déjà très âgés, près de la forêt. " * 3
    text, used = decode(page(french, META_UTF8).encode("utf-8"))
    assert used == "utf-8" and french in text
    assert forumclean.extract(page(french, META_UTF8).encode("utf-8")).warnings == []


# Characters on both sides of the U+4E00-U+9FFF edges, and of the UTF-8 lead bytes E4-E9.
_AROUND_HANZI = "aé\u4000\u4dff\u4e00\u4fff\u5000\u9fff\ua000\uac00\U00020000"


@given(st.text(alphabet=_AROUND_HANZI, max_size=12) | st.text(max_size=12))
def test_hanzi_found_in_the_bytes_as_in_the_text(text):
    assert _has_hanzi(text.encode("utf-8")) == bool(_HANZI.search(text))
