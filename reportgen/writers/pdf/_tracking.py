"""Tight setting for a CJK face whose glyphs sit small in their em square.

Ideographs advance a full em in every Chinese face, but how much of the em
the ink fills differs: the body's Song fills about 92% of it, AR PL KaitiM
GB (the Kai of second-level headings and labels) about 80%, so a Kai line
read as letter-spaced beside the body (audit4 item 38). Such a face is
registered a second time under its own name with its ideographs' advance
cut to the ink plus the gap the body face leaves; the shared face is never
changed, so every other role that uses the file keeps its full advance.
"""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from ...text.script import is_han
from . import _rl

#: ideographs measured for the ink share: wide, square and narrow forms
SAMPLE = "国永中图"
#: the gap between ideographs, in ems, that a Song body face leaves on the
#: sample (AR PL SungtiL GB's ink fills 83% of it); used without a body face
GAP = 0.17
#: an advance this close to the em is left as it is
FULL = 0.95


@functools.lru_cache(maxsize=8)
def ink_share(path: Path, index: int = 0) -> float:
    """How much of the em the sample ideographs' ink fills, on average."""
    from PIL import Image, ImageDraw, ImageFont

    size = 200
    font = ImageFont.truetype(str(path), size, index=index)
    widths = []
    for ch in SAMPLE:
        image = Image.new("L", (size * 2, size * 2))
        ImageDraw.Draw(image).text((size // 2, size // 2), ch, font=font, fill=255)
        box = image.getbbox()
        widths.append((box[2] - box[0]) / size if box else 1.0)
    return sum(widths) / len(widths)


#: (file, index, advance) -> the tight widths of that face, per process
_TIGHT_WIDTHS: dict[tuple[Path, int, int], dict[int, int]] = {}


def tightened(name: str, path: Path, index: int = 0, gap: float = GAP) -> str:
    """The registered name of ``name`` set tight, leaving ``gap`` (in ems)
    between the ink of its ideographs, or ``name`` itself when they already
    fill the em."""
    advance = round(min(1.0, ink_share(path, index) + gap) * 1000)
    if advance >= FULL * 1000:
        return name
    tight_name = f"{name}-tight"
    if tight_name in pdfmetrics.getRegisteredFontNames():
        return tight_name
    widths = _rl.char_widths(name)
    key = (path, index, advance)
    if key not in _TIGHT_WIDTHS:  # the regular and the synthetic bold share one file
        _TIGHT_WIDTHS[key] = {
            cp: (advance if width == 1000 and is_han(chr(cp)) else width)
            for cp, width in widths.items()
        }
    # the shared face is never changed: the tight font is a font of its own
    _rl.register_with_widths(name, tight_name, _TIGHT_WIDTHS[key])
    return tight_name
