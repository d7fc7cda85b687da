"""Tests for boilerstrip.encoding: every trap gets a hand-made byte string."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gzip

from boilerstrip.encoding import (MAX_INFLATED_BYTES, decode_html, detect_encoding, lookup_label,
                                  sniff_binary, to_text)

RU = "Правительство объявило о новых мерах поддержки экономики, эксперты считают это недостаточным."
JA = "政府は水曜日、経済を支援するための新しい措置を発表した。専門家はこれでは不十分だと考えている。"
ZH = "政府周三宣布了支持经济的新措施。专家们认为这还不够，需要更多的改革来推动发展。"
TW = "政府週三宣布了支持經濟的新措施。專家們認為這還不夠，需要更多的改革來推動發展。"
KO = "정부는 수요일 경제를 지원하기 위한 새로운 조치를 발표했다. 전문가들은 이것이 충분하지 않다고 생각한다."
PL = "Rząd ogłosił w środę nowe przepisy dotyczące ochrony środowiska. Żadna partia nie poparła ustawy."
FR = "Le gouvernement français a annoncé une réforme très controversée, à la surprise générale."


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def meta_charset(label: str) -> str:
    return f'<meta charset="{label}">'


def meta_http_equiv(label: str) -> str:
    return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'


def clean_str(text: str) -> bool:
    return "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


# --- byte-order marks --------------------------------------------------------


def test_utf8_bom_beats_latin1_meta():
    data = codecs.BOM_UTF8 + page(FR, meta_charset("iso-8859-1")).encode("utf-8")
    assert detect_encoding(data) == ("utf-8", "bom")
    out = decode_html(data)
    assert FR in out
    assert not out.startswith("\ufeff")


@pytest.mark.parametrize("codec,bom,name", [
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16le"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16be"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32le"),
    ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32be"),
])
def test_utf16_utf32_with_bom(codec, bom, name):
    text = page(RU + " " + JA, meta_charset("utf-8"))
    data = bom + text.encode(codec)
    assert detect_encoding(data) == (name, "bom")
    assert decode_html(data) == text


def test_bom_beats_http_header():
    data = codecs.BOM_UTF8 + page(RU).encode("utf-8")
    assert decode_html(data, "text/html; charset=windows-1251") == page(RU)


# --- declarations ------------------------------------------------------------


@pytest.mark.parametrize("text,codec,label,name", [
    (JA, "cp932", "Shift_JIS", "shift_jis"),
    (JA, "cp932", "x-sjis", "shift_jis"),
    (JA, "euc_jp", "EUC-JP", "euc-jp"),
    (ZH, "gb18030", "GB18030", "gb18030"),
    (ZH, "gb2312", "gb2312", "gbk"),
    (ZH, "gbk", "GBK", "gbk"),
    (TW, "big5", "big5", "big5"),
    (KO, "cp949", "euc-kr", "euc-kr"),
    (RU, "cp1251", "windows-1251", "windows-1251"),
    (RU, "koi8_r", "KOI8-R", "koi8-r"),
    (PL, "iso8859_2", "ISO-8859-2", "iso-8859-2"),
    (PL, "iso8859_2", "latin2", "iso-8859-2"),
    (FR, "cp1252", "iso-8859-1", "windows-1252"),
])
@pytest.mark.parametrize("meta", [meta_charset, meta_http_equiv])
def test_declared_only_in_meta(text, codec, label, name, meta):
    data = page(text, meta(label)).encode(codec)
    assert detect_encoding(data) == (name, "meta")
    assert text in decode_html(data)


def test_unquoted_and_odd_meta_syntax():
    data = (b"<html><head><META CHARSET=windows-1251 /><title>t</title></head><body>"
            + RU.encode("cp1251") + b"</body></html>")
    assert detect_encoding(data) == ("windows-1251", "meta")
    data = (b"<head><meta content='text/html;charset = \"KOI8-R\"' http-equiv='content-type'>"
            + RU.encode("koi8_r"))
    assert detect_encoding(data) == ("koi8-r", "meta")


def test_http_content_type_beats_meta():
    data = page(RU, meta_charset("windows-1252")).encode("cp1251")
    assert detect_encoding(data, 'text/html; charset="windows-1251"') == ("windows-1251", "http")
    assert RU in decode_html(data, "text/html; charset=windows-1251")


def test_http_without_charset_falls_through_to_meta():
    data = page(RU, meta_charset("windows-1251")).encode("cp1251")
    assert detect_encoding(data, "text/html") == ("windows-1251", "meta")


def test_latin1_label_means_windows_1252():
    # 0x80 is a C1 control in ISO-8859-1 but the euro sign in Windows-1252.
    data = page("Price: 5 \x80", meta_charset("latin1")).encode("latin-1")
    assert "Price: 5 \u20ac" in decode_html(data)
    assert lookup_label("ASCII") == lookup_label(" ISO-8859-1 ") == "windows-1252"


def test_windows_1252_undefined_bytes_never_fail():
    data = page("a\x81b\x8dc\x8fd\x90e\x9d", meta_charset("windows-1252")).encode("latin-1")
    out = decode_html(data)
    assert "a\x81b\x8dc\x8fd\x90e\x9d" in out


def test_meta_declaring_utf16_in_ascii_document_means_utf8():
    data = page(FR, meta_charset("utf-16")).encode("utf-8")
    assert detect_encoding(data) == ("utf-8", "meta")
    assert FR in decode_html(data)


def test_http_utf16_on_ascii_bytes_is_ignored():
    data = page(FR, meta_charset("utf-8")).encode("utf-8")
    assert decode_html(data, "text/html; charset=utf-16") == page(FR, meta_charset("utf-8"))


def test_unknown_and_replacement_labels_are_ignored():
    assert lookup_label("no-such-charset") is None
    assert lookup_label("iso-2022-kr") is None
    assert lookup_label("") is None
    data = page(RU, meta_charset("no-such-charset")).encode("cp1251")
    assert detect_encoding(data) == ("windows-1251", "sniffed")
    assert RU in decode_html(data)


def test_meta_inside_comment_is_ignored():
    data = ("<html><head><!-- <meta charset=koi8-r> --><title>t</title></head><body>"
            + RU + "</body></html>").encode("cp1251")
    assert detect_encoding(data)[0] == "windows-1251"


def test_meta_after_prescan_window_is_ignored():
    data = ("<html><head>" + "<!-- padding -->" * 400 + meta_charset("koi8-r") + "</head><body>"
            + RU + "</body></html>").encode("cp1251")
    assert detect_encoding(data) == ("windows-1251", "sniffed")


def test_xml_declaration_is_a_hint():
    data = ('<?xml version="1.0" encoding="windows-1251"?><html><body>' + RU + "</body></html>").encode("cp1251")
    assert detect_encoding(data) == ("windows-1251", "meta")


# --- wrong declarations ------------------------------------------------------


def test_declared_utf8_but_bytes_are_windows_1251():
    data = page(RU, meta_charset("utf-8")).encode("cp1251")
    out = decode_html(data)
    assert RU in out
    assert "\ufffd" not in out


def test_declared_utf8_in_http_but_bytes_are_windows_1252():
    data = page(FR).encode("cp1252")
    out = decode_html(data, "text/html; charset=UTF-8")
    assert FR in out
    assert "\ufffd" not in out


def test_declared_latin1_but_bytes_are_utf8():
    data = page(FR + " " + RU, meta_charset("iso-8859-1")).encode("utf-8")
    assert detect_encoding(data) == ("utf-8", "utf-8 despite meta")
    assert FR + " " + RU in decode_html(data)


def test_declared_shift_jis_but_bytes_are_utf8():
    data = page(JA, meta_charset("shift_jis")).encode("utf-8")
    assert JA in decode_html(data)


def test_declared_shift_jis_but_bytes_are_gb18030():
    data = page(ZH * 3, meta_charset("shift_jis")).encode("gb18030")
    assert detect_encoding(data)[0] == "gbk"
    assert ZH in decode_html(data)


def test_pure_ascii_keeps_declared_encoding():
    data = page("plain", meta_charset("windows-1251")).encode("ascii")
    assert detect_encoding(data) == ("windows-1251", "meta")


# --- undeclared --------------------------------------------------------------


@pytest.mark.parametrize("text,codec,name", [
    (FR, "cp1252", "windows-1252"),
    (RU, "cp1251", "windows-1251"),
    (RU, "koi8_r", "koi8-r"),
    (PL, "cp1250", "windows-1250"),
    (JA, "cp932", "shift_jis"),
    (JA, "euc_jp", "euc-jp"),
    (ZH, "gb18030", "gbk"),
    (TW, "big5", "big5"),
    (KO, "cp949", "euc-kr"),
])
def test_undeclared_legacy_encodings_are_guessed(text, codec, name):
    data = page(text).encode(codec)
    assert detect_encoding(data) == (name, "sniffed")
    assert text in decode_html(data)


def test_undeclared_utf8():
    data = page(RU + JA + FR).encode("utf-8")
    assert detect_encoding(data) == ("utf-8", "sniffed")
    assert decode_html(data) == page(RU + JA + FR)


def test_bomless_utf16_is_sniffed():
    data = page(FR).encode("utf-16-le")
    assert detect_encoding(data) == ("utf-16le", "sniffed")
    assert decode_html(data) == page(FR)
    assert decode_html(page(FR).encode("utf-16-be")) == page(FR)


def test_iso2022jp_escape_sequences():
    data = page(JA).encode("iso2022_jp")
    assert JA in decode_html(data)


def test_utf8_truncated_mid_character():
    full = page(RU).encode("utf-8")
    cut = full.index(RU.encode("utf-8")) + 7  # inside the 4th Cyrillic letter
    assert detect_encoding(full[:cut]) == ("utf-8", "sniffed")
    assert decode_html(full[:cut]) == page(RU)[: page(RU).index(RU) + 3]


def test_utf8_with_a_broken_character_inside():
    data = page(RU).encode("utf-8").replace("ж".encode("utf-8"), b"\xd0")
    out = decode_html(data)
    assert detect_encoding(data)[0] == "utf-8"
    # The stray lead byte is read as Windows-1252; everything else is intact.
    assert RU.replace("ж", "\u00d0") in out


def test_utf8_with_a_few_stray_windows_1252_bytes():
    data = page(RU * 5).encode("utf-8") + b"<p>caf\xe9</p>"
    out = decode_html(data)
    assert RU in out and "café" in out


# --- garbage, NULs, surrogates -----------------------------------------------


@pytest.mark.parametrize("data", [
    b"",
    b"\x00" * 100,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>\nstream\n\x78\x9c\xff\xfe\x00endstream",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(255, -1, -1)),
    b"\xff\xfe\x00",  # UTF-16 BOM then an odd byte
    b"\xfe\xff\xd8\x00",  # UTF-16 BE BOM then a lone surrogate
    b"\xef\xbb\xbf\xed\xa0\x80",  # UTF-8 BOM then an encoded surrogate
    b"<p>\xed\xa0\x80\xed\xb0\x80</p>",  # CESU-style surrogate pair
])
def test_garbage_gives_clean_text(data):
    out = decode_html(data)
    assert isinstance(out, str)
    assert clean_str(out)
    assert decode_html(data) == out


def test_nul_bytes_are_removed():
    assert decode_html(b"<p>a\x00b</p>") == "<p>ab</p>"
    assert decode_html("<p>a\x00b</p>".encode("utf-16")) == "<p>ab</p>"


def test_bytes_like_inputs():
    data = page(RU).encode("utf-8")
    assert decode_html(bytearray(data)) == decode_html(memoryview(data)) == page(RU)


def test_decode_html_rejects_non_bytes():
    with pytest.raises(TypeError, match="bytes"):
        decode_html("already text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="content_type"):
        decode_html(b"<p>x</p>", 42)  # type: ignore[arg-type]


# --- to_text -----------------------------------------------------------------


def test_to_text_cleans_strings():
    assert to_text("a\x00b\ud800c\udfffd") == "abcd"
    assert to_text(page(RU)) == page(RU)
    assert to_text("\U0001f600") == "\U0001f600"  # real astral characters stay


def test_to_text_decodes_bytes():
    assert RU in to_text(page(RU, meta_charset("windows-1251")).encode("cp1251"))
    assert to_text(bytearray(b"<p>x</p>")) == "<p>x</p>"


@pytest.mark.parametrize("bad", [None, 42, 3.5, ["<p>x</p>"], {"html": "x"}, object()])
def test_to_text_rejects_other_types(bad):
    with pytest.raises(TypeError, match="html must be str or bytes"):
        to_text(bad)


# --- properties --------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096), st.one_of(st.none(), st.text(max_size=60)))
def test_any_bytes_decode_cleanly_and_deterministically(data, content_type):
    out = decode_html(data, content_type)
    assert isinstance(out, str)
    assert clean_str(out)
    assert decode_html(data, content_type) == out


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512), st.sampled_from(["utf-8", "koi8-r", "shift_jis", "utf-16", "gbk", "bogus"]))
def test_any_bytes_with_any_meta(data, label):
    doc = page("", meta_charset(label)).encode("ascii") + data
    out = decode_html(doc)
    assert clean_str(out)
    assert decode_html(doc) == out


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_utf8_text_round_trips(text):
    text = text.lstrip("\ufeff")
    expected = "".join(ch for ch in text if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    data = expected.encode("utf-8")
    assert decode_html(data) == expected
    assert to_text(text) == expected


# --- binary and gzip (to_text) -------------------------------------------------


@pytest.mark.parametrize("data,kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
    (b"GIF89a\x01\x00\x01\x00", "gif"),
    (b"PK\x03\x04\x14\x00<html>", "zip"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
    (b"\x00\x00\x00\x18ftypmp42", "mp4"),
    (bytes(range(32)) * 20, "binary"),
    (b"\x00" * 100, "binary"),
])
def test_binary_formats_are_recognised_and_read_as_no_text(data, kind):
    assert sniff_binary(data) == kind
    assert to_text(data) == ""


@pytest.mark.parametrize("data", [
    b"", b"<p>x</p>", page(RU).encode("utf-16"), page(RU).encode("utf-16-le"),
    page(RU).encode("utf-32"), b"<p>a\x00b</p>" * 10, page(JA).encode("iso2022_jp"),
    b"BMW drivers say", b"ID card", b"%PDF is a format", b"<p>\x1b[31m colour codes</p>",
])
def test_text_is_not_binary(data):
    assert sniff_binary(data) is None
    assert to_text(data) == decode_html(data)


def test_gzip_is_inflated():
    data = page(RU, meta_charset("windows-1251")).encode("cp1251")
    assert to_text(gzip.compress(data)) == decode_html(data)
    assert to_text(gzip.compress(b"<p>a</p>") + gzip.compress(b"<p>b</p>")) == "<p>a</p><p>b</p>"
    full = page(" ".join(f"{i} {FR}" for i in range(500)))
    packed = gzip.compress(full.encode())
    truncated = to_text(packed[:len(packed) // 2])  # a download cut halfway
    assert len(full) // 4 < len(truncated) < len(full)
    assert full.startswith(truncated[:-4])
    assert to_text(b"\x1f\x8b\x08\x00garbage") == ""
    assert to_text(gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(100))) == ""


def test_gzip_bomb_is_bounded():
    member = gzip.compress(b"a" * (8 << 20), compresslevel=9)
    assert len(member) < 100_000
    out = to_text(member * 6)  # 48 MB inflated
    assert len(out) == MAX_INFLATED_BYTES


def test_short_utf8_page_with_one_windows_1252_apostrophe():
    # three UTF-8 characters and one stray Windows-1252 byte (a real dragnet page)
    data = "<p>a new sort of “Choose your own adventure” story by Stéphan".encode() + b"<p>Motion\x92s</p>"
    assert detect_encoding(data) == ("utf-8", "sniffed")
    assert decode_html(data).endswith("Stéphan<p>Motion’s</p>")
