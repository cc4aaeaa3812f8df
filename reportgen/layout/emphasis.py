"""How emphasis is drawn, for both writers.

CJK scripts have no italic: a slanted ideograph is a synthetic oblique that
reads as a rendering fault. Emphasised CJK text is set upright in the Kai
face (楷体, the second-level heading role), the way Chinese print sets a
term apart from Song or FangSong text; emphasised Latin text stays italic.
Text is cut into runs by script; digits, spaces and punctuation
belong to the run they stand in (二十不惑2 is one upright run). Emphasised
text that is mostly Chinese is upright throughout, its Latin words too:
资料来源：Liu、Jiang（2025） read as two faces and two slants, the names
slanted and the year upright.
"""

from __future__ import annotations

from ..text.script import has_cjk, is_cjk

#: the typeface role that draws emphasised CJK text, upright
CJK_ROLE = "cjk_second"


def _script(ch: str) -> bool | None:
    """True for CJK, False for a letter of another script, None for a
    character that takes the script around it."""
    if is_cjk(ch):
        return True
    return False if ch.isalpha() else None


def runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_cjk) runs for emphasis: CJK pieces are
    drawn upright in ``CJK_ROLE``, the others italic. Mostly Chinese text
    is one upright run."""
    if not has_cjk(text):  # what the loop below makes of it: one italic run
        return [(text, False)] if text else []
    scripts = [_script(ch) for ch in text]
    if scripts.count(True) > scripts.count(False):
        return [(text, True)] if text else []
    out: list[tuple[str, bool]] = []
    lead = ""  # neutral characters before the first letter
    for ch in text:
        script = _script(ch)
        if out and (script is None or out[-1][1] is script):
            out[-1] = (out[-1][0] + ch, out[-1][1])
        elif script is None:
            lead += ch
        else:
            out.append((lead + ch, script))
            lead = ""
    return [*out, (lead, False)] if lead else out
