"""Bytes to text: BOM, declared charset, Chinese code-page supersets, a careful fallback.

Discuz ships GBK, UTF-8 and Big5 editions; saved copies are often re-encoded without fixing the
declaration. We trust a BOM, then the declared charset if it decodes strictly, then UTF-8,
GB18030 and Big5-HKSCS in that order, and as a last resort the candidate with the fewest
replacement characters.
"""

from __future__ import annotations

import codecs
import re

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

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_SCRIPT_CHARSET = re.compile(rb"""\bcharset\s*=\s*['"]([A-Za-z0-9_\-]+)['"]""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_\-]+)""", re.I)

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
#: Bytes that never occur in text: C0 controls except tab, newlines, vertical tab, form feed, CR.
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def normalise_label(label: str | None) -> str | None:
    """Map a declared charset label to the codec we decode it with, or None if unknown."""
    if not label:
        return None
    key = label.strip().lower()
    if key in _SUPERSETS:
        return _SUPERSETS[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset the page itself declares (meta, XML prolog, then Discuz's inline script)."""
    head = data[:_HEAD_BYTES]
    for pattern in (_META_CHARSET, _XML_ENCODING, _SCRIPT_CHARSET):
        m = pattern.search(head)
        if m:
            codec = normalise_label(m.group(1).decode("ascii", "ignore"))
            if codec:
                return codec
    return None


def _binary_kind(data: bytes) -> str | None:
    for magic, name in _BINARY_MAGIC:
        if data.startswith(magic):
            return name
    sample = data[:4096]
    if not sample:
        return None
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls / len(sample) > 0.10:
        return "binary data"
    return None


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, codec_name)``. Raises DecodeError on binary input."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace"), codec
    kind = _binary_kind(data)
    if kind:
        raise DecodeError(f"not a text page ({kind})")

    # Valid UTF-8 wins over any declaration: GBK or Big5 text is practically never valid UTF-8,
    # while re-encoded copies that still declare gbk are common.
    candidates: list[str] = ["utf-8"]
    for label in (declared_charset(data), normalise_label(http_charset)):
        if label and label not in candidates:
            candidates.append(label)
    for fallback in ("utf-8", "gb18030", "big5hkscs"):
        if fallback not in candidates:
            candidates.append(fallback)

    for codec in candidates:
        try:
            return data.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    # Nothing decodes strictly (mixed encodings, damaged bytes): least damage wins.
    best_text, best_codec, best_bad = "", "utf-8", None
    for codec in candidates:
        text = data.decode(codec, "replace")
        bad = text.count("\ufffd")
        if best_bad is None or bad < best_bad:
            best_text, best_codec, best_bad = text, codec, bad
    return best_text, best_codec
