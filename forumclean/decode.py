"""Bytes to text: BOM, declared charset, Chinese code-page supersets, a careful fallback.

Discuz ships GBK, UTF-8 and Big5 editions; saved copies are often re-encoded without fixing the
declaration. We trust a BOM, then UTF-8, the declared charset if it decodes strictly, then
GB18030 or Big5-HKSCS: with no usable declaration, the one of the two whose reading gives the
everyday characters of its standard (a declared single-byte charset such as latin-1 decodes
anything, so it comes last). When nothing decodes strictly (mixed encodings, damaged bytes) each
run of non-ASCII bytes is read as UTF-8 if it is, else as GB18030, unless a single codec does
less damage. Binary files are refused by magic number and by their density of control bytes;
UTF-16 without a BOM is recognised by its zero bytes. Whatever was repaired is said in
``Decoded.warnings``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import DecodeError

# Labels that real pages use, mapped to the superset codec that decodes them without loss.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb-2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big-5": "big5hkscs",
    "cp950": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode": "utf-8",
}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# [^<>] rather than [^>]: a run of "<meta" with no ">" must not be rescanned from each one.
_META_CHARSET = re.compile(rb"""<meta[^<>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SCRIPT_CHARSET = re.compile(rb"""\bcharset\s*=\s*['"]([A-Za-z0-9_\-]+)['"]""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^<>]+encoding=["']([A-Za-z0-9_\-]+)""", re.I)

# Magic numbers of binary formats that scrapers pick up by mistake.
_BINARY_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip data"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "zip archive"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"),
    (b"RIFF", "RIFF media"),
    (b"\x7fELF", "ELF binary"),
)

_HEAD_BYTES = 8192
# Control bytes that never occur in text pages (tab, newlines, form feed and ESC excepted).
_HIGH_BYTES = bytes(range(0x80, 0x100))


# Declared labels we never decode with: not ASCII-compatible (a meta tag could not have been
# read in them), or codecs that rewrite text. Browsers likewise read a declared UTF-16 as UTF-8.
_REFUSED_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
                             "utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode",
                             "undefined", "uu_codec", "base64_codec", "hex_codec", "quopri_codec"})
_ASCII_PROBE = bytes(range(0x20, 0x7F)).replace(b"\\", b"")

#: Share of control bytes (other than NUL, tab, line breaks, form feed and ESC) above which the
#: input is binary. Text in any encoding we read has practically none.
_MAX_CONTROL_SHARE = 0.05
_SAMPLE = 4096


# Codecs in which a byte below 0x80 only ever stands for that ASCII character (their trail
# bytes are 0x30 and up): a text decoded strictly with one of them has the control characters
# of its bytes, which are much faster to search.
_ASCII_SAFE = frozenset({"utf-8", "gb18030", "big5hkscs"})


@dataclass
class Decoded:
    """The decoded text, the codec that read it, and what had to be repaired."""

    text: str
    codec: str
    warnings: list[str] = field(default_factory=list)
    #: The bytes ``text`` was strictly decoded from (without a BOM), when ``codec`` is one of
    #: ``_ASCII_SAFE``; else None.
    raw: bytes | None = None


def normalise_label(label: str | None) -> str | None:
    """Map a declared charset label to the codec we decode it with, or None if unknown or unsafe."""
    if not label:
        return None
    key = label.strip().lower()
    if key in _SUPERSETS:
        return _SUPERSETS[key]
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    name = info.name
    if name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    try:
        if _ASCII_PROBE.decode(name) != _ASCII_PROBE.decode("ascii"):
            return None
    except (UnicodeDecodeError, LookupError, TypeError, ValueError):
        return None
    return name


def declared_charset(data: bytes) -> str | None:
    """The charset the page itself declares (meta, XML prolog, then Discuz's inline script)."""
    head = data[:_HEAD_BYTES]
    for pattern in (_META_CHARSET, _XML_ENCODING, _SCRIPT_CHARSET):
        # Every match, not only the first: an unknown label must not hide a later, usable one.
        for m in pattern.finditer(head):
            codec = normalise_label(m.group(1).decode("ascii", "ignore"))
            if codec:
                return codec
    return None


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few damaged bytes (a cut download, a bad copy), not text in another codec.

    GBK or Big5 bytes read as UTF-8 fail on almost every character, so a handful of failures
    among many multi-byte sequences means a damaged UTF-8 page. Without this check such a page
    may decode "cleanly" as GB18030, which accepts nearly any byte pair, and come out garbled.
    """
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high < 64:
        return False
    bad = data.decode("utf-8", "replace").count("\ufffd")
    return bad * 100 <= high


def _samples(data: bytes) -> list[bytes]:
    """The start, middle and end of the input: damage is often at one end only."""
    if len(data) <= 3 * _SAMPLE:
        return [data]
    mid = len(data) // 2
    return [data[:_SAMPLE], data[mid:mid + _SAMPLE], data[-_SAMPLE:]]


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (0, 9, 10, 11, 12, 13, 27)) + b"\x7f"


def _binary_kind(data: bytes) -> str | None:
    for magic, name in _BINARY_MAGIC:
        if data.startswith(magic):
            return name
    total = controls = nuls = 0
    for sample in _samples(data):
        total += len(sample)
        nuls += sample.count(0)
        controls += len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if not total:
        return None
    if controls / total > _MAX_CONTROL_SHARE:
        return "binary data"
    # Zero bytes alone are no proof of binary (a page padded by a broken download): only NULs is.
    if nuls and not data.strip(b"\0\t\n\r\x0b\x0c "):
        return "only NUL bytes"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte is zero, as in mostly-ASCII UTF-16 text."""
    if data.find(0, 0, _SAMPLE) < 0:  # the common case, without copies
        return None
    sample = data[:_SAMPLE]
    half = len(sample) // 2
    if half < 4:
        return None
    even_zero = sample[0:2 * half:2].count(0)
    odd_zero = sample[1:2 * half:2].count(0)
    if odd_zero >= 0.3 * half and even_zero <= 0.02 * half:
        return "utf-16-le"
    if even_zero >= 0.3 * half and odd_zero <= 0.02 * half:
        return "utf-16-be"
    return None


# Runs of non-ASCII bytes, with the ASCII trail byte a GBK character may have.
_HIGH_RUN = re.compile(rb"(?:[\x81-\xfe][\x40-\x7e\x80-\xfe]|[\x80-\xff])+")


def _by_runs(data: bytes) -> tuple[str, int, int]:
    """UTF-8 where a run of non-ASCII bytes is UTF-8, GB18030 where it is not (a UTF-8 page
    quoting GBK text, or the reverse). Returns the text and how many runs each codec read."""
    out: list[str] = []
    pos = utf8_runs = gb_runs = 0
    for m in _HIGH_RUN.finditer(data):
        out.append(data[pos:m.start()].decode("ascii"))
        run = m.group()
        try:
            out.append(run.decode("utf-8"))
            utf8_runs += 1
        except UnicodeDecodeError:
            out.append(run.decode("gb18030", "replace"))
            gb_runs += 1
        pos = m.end()
    out.append(data[pos:].decode("ascii"))
    return "".join(out), utf8_runs, gb_runs


_HANZI = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _everyday_hanzi() -> dict[str, re.Pattern[str]]:
    """Per codec, the characters its users write most: GB2312's level 1 (the 3 755 everyday
    simplified characters, bytes B0A1-D7FE) and Big5's 常用字 (5 401 traditional, A440-C67E)."""
    def chars(codec: str, leads: range, trails: list[int], last: bytes) -> re.Pattern[str]:
        found = []
        for lead in leads:
            for trail in trails:
                pair = bytes((lead, trail))
                if pair > last:
                    break
                try:
                    found.append(pair.decode(codec))
                except UnicodeDecodeError:
                    pass
        return re.compile("[" + re.escape("".join(found)) + "]")

    return {"gb18030": chars("gb2312", range(0xB0, 0xD8), list(range(0xA1, 0xFF)), b"\xd7\xfe"),
            "big5hkscs": chars("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)],
                               b"\xc6\x7e")}


def _gbk_or_big5(data: bytes) -> tuple[str, str] | None:
    """(codec, text) for Chinese bytes that declare no charset. GBK accepts nearly every byte
    pair, so Big5 text decodes as GBK without an error, into garbage: of the two readings that
    decode, the one whose characters are mostly everyday ones of its standard is the text
    (the same text read the wrong way is a scatter of rare characters). Ties go to GBK."""
    readings = []
    for codec in ("gb18030", "big5hkscs"):
        try:
            readings.append((codec, data.decode(codec)))
        except UnicodeDecodeError:
            pass
    if len(readings) < 2:
        return readings[0] if readings else None
    everyday = _everyday_hanzi()

    def share(codec: str, text: str) -> float:
        sample = text[:65536]
        return len(everyday[codec].findall(sample)) / max(1, len(_HANZI.findall(sample)))

    gbk, big5 = readings
    return big5 if share(*big5) > share(*gbk) else gbk


_LATIN1_LETTERS = re.compile(r"[\u00a0-\u00ff]")


# Lead bytes of U+5000-U+9FFF in UTF-8 (every one a hanzi); U+4E00-U+4FFF lead with E4 B8-BF.
_HANZI_LEADS = (b"\xe5", b"\xe6", b"\xe7", b"\xe8", b"\xe9")
_HANZI_E4 = re.compile(rb"\xe4[\xb8-\xbf]")


def _has_hanzi(utf8: bytes) -> bool:
    """Whether the UTF-8 bytes (strictly valid) hold a character of U+4E00-U+9FFF: a few byte
    scans (memchr) instead of a regex test of every character of the text."""
    return any(b in utf8 for b in _HANZI_LEADS) or (b"\xe4" in utf8 and bool(_HANZI_E4.search(utf8)))


def _unmangled(text: str, utf8: bytes | None = None) -> Decoded | None:
    """The page behind mojibake: a page read as Latin-1 (or cp1252) and saved as UTF-8, so that
    each of its multi-byte characters became two or three accented letters (「ä½ å¥½」 for
    「你好」). Undone when the text holds no Chinese character but many Latin-1 letters, and the
    bytes those letters stand for decode strictly as UTF-8 or as the charset the page declares
    (text in a Western language never does: its accented letters are not UTF-8 sequences).
    ``utf8``: the text's own UTF-8 bytes, when at hand (searched faster than the text)."""
    if text.isascii() or (_has_hanzi(utf8) if utf8 is not None else _HANZI.search(text)) \
            or len(_LATIN1_LETTERS.findall(text, 0, 65536)) < 32:
        return None
    for codec in ("latin-1", "cp1252"):
        try:
            original = text.encode(codec)
            break
        except UnicodeEncodeError:
            continue
    else:
        return None
    tried = ["utf-8"]
    declared = declared_charset(original)
    if declared and declared != "utf-8" and not _single_byte(declared):
        tried.append(declared)
    for codec in tried:
        try:
            repaired = original.decode(codec)
        except UnicodeDecodeError:
            continue
        return Decoded(repaired, codec, ["encoding: repaired mojibake (the page had been read as Latin-1 "
                                         "and saved as UTF-8)"], raw=original if codec in _ASCII_SAFE else None)
    return None


def _single_byte(codec: str) -> bool:
    """Codecs that read any byte as a character (latin-1, cp1252...): a strict decode proves
    nothing, so they are tried after the multi-byte ones."""
    try:
        return len(bytes(range(0x80, 0x100)).decode(codec, "replace")) == 128
    except LookupError:
        return False


def _with_replacements(data: bytes, codec: str, warnings: list[str]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, "replace")
    warnings.append(f"encoding: undecodable byte sequence(s) replaced by U+FFFD ({codec})")
    return text


def decode_page(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode page bytes, saying what was repaired. Raises DecodeError on binary input."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            warnings: list[str] = []
            body = data[len(bom):]
            text = _with_replacements(body, codec, warnings)
            return Decoded(text, codec, warnings, raw=body if codec == "utf-8" and not warnings else None)
    utf16 = _utf16_without_bom(data)
    if utf16:
        warnings = []
        text = _with_replacements(data, utf16, warnings)
        if _binary_kind(text[:_SAMPLE].encode("utf-8", "replace")) is None:
            return Decoded(text, utf16, warnings + [f"encoding: read as {utf16} (no byte-order mark)"])
    kind = _binary_kind(data)
    if kind:
        raise DecodeError(f"not a text page ({kind})")

    warnings = []

    # Valid UTF-8 wins over any declaration: GBK or Big5 text is practically never valid UTF-8,
    # while re-encoded copies that still declare gbk are common. (Tried before the declaration
    # is even looked for: most pages end here.)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if _mostly_utf8(data):
            text = data.decode("utf-8", "replace")
            warnings.append(f"encoding: {text.count(chr(0xFFFD))} undecodable byte sequence(s) "
                            f"replaced by U+FFFD (damaged UTF-8)")
            return Decoded(text, "utf-8", warnings)
    else:
        return _unmangled(text, data) or Decoded(text, "utf-8", warnings, raw=data)

    candidates: list[str] = ["utf-8"]
    declared = [c for c in (declared_charset(data), normalise_label(http_charset)) if c]
    multi_byte = [c for c in declared if not _single_byte(c)]
    for label in multi_byte + ["gb18030", "big5hkscs"] + declared:
        if label not in candidates:
            candidates.append(label)

    # Nothing usable declared (none, a latin-1 label, or a UTF-8 one the bytes just disproved):
    # GBK or Big5, by the characters each reading gives.
    if set(multi_byte) <= {"utf-8"}:
        guessed = _gbk_or_big5(data)
        if guessed is not None:
            return Decoded(guessed[1], guessed[0], warnings, raw=data)
    for codec in candidates[1:]:
        try:
            return Decoded(data.decode(codec), codec, warnings, raw=data if codec in _ASCII_SAFE else None)
        except (UnicodeDecodeError, LookupError):
            continue
    return _least_damage(data, candidates, warnings)


def _least_damage(data: bytes, candidates: list[str], warnings: list[str]) -> Decoded:
    """Bytes that nothing decodes strictly (mixed encodings, damaged bytes): the reading with
    the fewest replaced sequences, reading by runs (UTF-8 where valid, else GB18030) first."""
    text, utf8_runs, gb_runs = _by_runs(data)
    best = (text.count("\ufffd"), text, "utf-8" if utf8_runs >= gb_runs else "gb18030")
    for codec in candidates:
        try:
            text = data.decode(codec, "replace")
        except LookupError:
            continue
        bad = text.count("\ufffd")
        if bad < best[0]:
            best = (bad, text, codec)
            utf8_runs = 0
    bad, text, codec = best
    if utf8_runs and gb_runs:
        warnings.append(f"encoding: mixed; {gb_runs} run(s) of text that is not UTF-8 read as GB18030")
    if bad:
        warnings.append(f"encoding: {bad} undecodable byte sequence(s) replaced by U+FFFD ({codec})")
    return Decoded(text, codec, warnings)


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, codec_name)``. Raises DecodeError on binary input."""
    d = decode_page(data, http_charset)
    return d.text, d.codec
