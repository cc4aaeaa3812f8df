"""The document model: traversal."""

from __future__ import annotations

from reportgen import model as m


def _h(level: int, text: str) -> m.Heading:
    return m.Heading(level, (m.Text(text),), text.lower())


def test_headings_are_found_in_reading_order_inside_every_container() -> None:
    cell = m.TableCell((m.Text("not a heading"),))
    doc = m.Document(
        meta=m.Metadata(title="t"),
        blocks=(
            _h(1, "One"),
            m.Table(((cell,)), ((cell,),), ("left",)),
            m.Callout("note", (_h(2, "In a callout"),)),
            m.BulletList((m.ListItem((m.Paragraph((m.Text("x"),)), _h(3, "In a list"))),)),
            m.BlockQuote((m.BlockQuote((_h(2, "Quoted twice"),)),)),
            _h(1, "Last"),
        ),
    )
    found = [m.plain_text(h.children) for h in doc.headings()]
    assert found == ["One", "In a callout", "In a list", "Quoted twice", "Last"]
    assert found == [m.plain_text(n.children) for n in m.walk(doc) if isinstance(n, m.Heading)]
