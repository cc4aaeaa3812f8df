"""Source lines: one caption style for every "Source: ..." under a table
or a chart, decided once for both writers.

A chart carries its source line in the model (``Chart.source``); a table's
source line is written by its template as a paragraph of one emphasis
("*Source: Liu and Jiang 2025, para. 3.*"). Set as emphasised body text it
read as a second style of source line beside the chart's small caption
(audit4 item 20), so the layout recognises it and both writers set it as
they set a chart's source: in their source style, upright.
"""

from __future__ import annotations

from .. import model as m

#: what may follow the label: a colon in either script
_COLONS = (":", "：")


def source_line(node: m.Paragraph, label: str) -> tuple[m.Inline, ...] | None:
    """The text of ``node`` when it is a source line (a paragraph of one
    emphasis that opens with ``label`` and a colon), else None: its text
    nodes (with their unbreakable spans), without the emphasis."""
    if not label or len(node.children) != 1 or not isinstance(node.children[0], m.Emphasis):
        return None
    inner = node.children[0].children
    if not all(isinstance(child, m.Text) for child in inner):
        return None  # a note mark or a link inside: not a plain caption
    text = m.plain_text(inner)
    if any(text.startswith(label + colon) for colon in _COLONS):
        return inner
    return None
