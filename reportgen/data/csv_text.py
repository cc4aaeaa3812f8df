"""Reading the text of a CSV file as Excel saves it: UTF-8 (with or
without a BOM, Excel's "CSV UTF-8") or GB18030 (what Excel on Chinese
Windows saves as "CSV"), GB18030 only when it reads as simplified Chinese,
so a Shift-JIS or Big5 file is refused, never decoded into garbage."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError

_SAVE_AS = "in Excel, use Save As and choose 'CSV UTF-8 (Comma delimited)'"
#: the least share of GB2312's characters in the non-ASCII text of a file
#: read as GB18030 (see ``decode_csv``)
_GB2312_SHARE = 0.8


def decode_csv(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM), else GB18030 when it reads as
    simplified Chinese, else a refusal naming the line.

    GB18030 maps almost any byte pair to some character, so a file in
    another encoding (Shift-JIS, Big5, Latin-1) often "decodes" without
    error into garbage. What Excel on Chinese Windows saves is simplified
    Chinese, nearly all of it in the common GB2312 set; Shift-JIS kana and
    most kanji land outside it. So GB18030 is accepted only when at least
    80% of the non-ASCII characters are GB2312 characters; anything else is
    refused, never guessed: UTF-8 always works.
    """
    # UTF-16 (Excel's "Unicode Text") and binary files hold NUL bytes that
    # GB18030 would otherwise happily decode.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw:
        raise InputError(f"is UTF-16 text or a binary file, not CSV text; {_SAVE_AS}", path)
    # UTF-8 first: GB18030 decodes much UTF-8 into the wrong characters, while
    # GB18030 Chinese text is almost never valid UTF-8.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"is neither UTF-8 nor GB18030 text (byte 0x{raw[exc.start]:02x} on this line); "
            f"{_SAVE_AS}",
            path,
            line,
        ) from exc
    _check_simplified(text, path)
    return text


def _check_simplified(text: str, path: Path) -> None:
    """Refuse GB18030-decoded text that is unlikely to be what was meant."""
    outside = 0
    first_line = None
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            line.encode("gb2312")
            continue
        except UnicodeEncodeError:
            pass
        bad = sum(1 for ch in line if ord(ch) > 127 and not _in_gb2312(ch))
        outside += bad
        if bad and first_line is None:
            first_line = number
    wide = sum(1 for ch in text if ord(ch) > 127) if outside else 0
    if outside and outside > (1 - _GB2312_SHARE) * wide:
        raise InputError(
            "is not UTF-8, and read as GB18030 it gives unlikely characters (is it "
            f"Shift-JIS, Big5 or another encoding?); {_SAVE_AS}",
            path,
            first_line,
        )


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
