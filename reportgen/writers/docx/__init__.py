"""The Word writer: a ``Document`` as an editable, styled .docx.

Everything visible is carried by named styles (Title, Heading 1-3, List
Bullet, Caption, Quote, "Brief Table", ...), so an editor who restyles the
brief in Word changes every instance at once. The contents list links to
bookmarks on the headings with PAGEREF page numbers; notes are real
footnotes; page numbers are PAGE/NUMPAGES fields. Output is
byte-reproducible: dates come from ``meta.timestamp`` and the zip is
rewritten with fixed entry times and order.

The modules beside this one, each owning one job:

=================  =========================================================
``_writer``        the block dispatch, and the brief built in order
``_flow``          what the block modules share (``Flow``): the document,
                   its styles, the pending page turn, and the callables
                   that write inlines and nested blocks
``_furniture``     title band, facts row and logo, contents, header, footer
``_tables``        data tables, key-figure cards, table plumbing
``_lists``         list items and the numbering behind the list styles
``_inline``        runs, links, note references and footnotes
``_looks``         font roles, palette, the look of every named style
``_styles``        ``StyleBook``: makes, finds and applies the styles
``_table_styles``  borders and shading of the table styles
``_page``          paper, margins, page estimates, keep-with-next
``_package``       base document, footnotes part, properties, the theme's
                   fonts, font table and styles in use, saving
``_faces``         what the font table says of the faces a brief may name
``_oxml``          raw WordprocessingML, and the only access to python-docx
                   internals (the elements behind its proxies)
``_oxml_order``    the schema's child order of run and paragraph properties
``_oxml_format``   raw XML for numbering, table properties and settings
``_oxml_styles``   raw XML of the styles part: finding, adding and shaping
                   styles (python-docx's own would scan every style)
``_oxml_package``  raw XML of the theme's font scheme, the font table,
                   app.xml, and the styles and faces the parts name
=================  =========================================================
"""

from __future__ import annotations

from ... import model as m
from ...layout import lay_out
from .. import WriterOptions
from ..rendered import Rendered, describe_docx
from ._looks import word_fonts
from ._writer import DocxWriter

__all__ = ["render", "word_fonts", "write"]


def write(doc: m.Document, options: WriterOptions) -> bytes:
    """The brief as the bytes of a .docx file."""
    doc = lay_out(doc)  # the layout's decisions, the same the PDF draws
    return DocxWriter(doc, options).build()


def render(doc: m.Document, options: WriterOptions) -> Rendered:
    """The brief as a .docx, with the fonts its font table declares (its
    pages are the word processor's to count)."""
    return describe_docx(write(doc, options))
