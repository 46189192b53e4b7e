"""A record document under construction: headings, text, tables, header and footer, by style.

Both the full record and the family copy are written through this class, so every piece of
users' text passes through one XML-safe path and every look comes from a template style.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from s47desk.record.docxkit import add_field, add_text, keep_row_whole, repeat_as_header, set_widths
from s47desk.record.template import TEXT_WIDTH, S, load_template
from s47desk.record.text import one_line, xml_safe

Cell = str | tuple[str, str]  # plain text, or (text, character style)


@dataclass(frozen=True)
class Masthead:
    """What every page shows: the marking above and below, where it is from, page X of Y."""

    marking: str
    left: str  # e.g. the local authority
    right: str  # e.g. "Strategy discussion record · SD-00001"
    footer_left: str  # e.g. "Record version 1"


@dataclass(frozen=True)
class Properties:
    """Document properties: never signed, so never anything a reader must be able to trust."""

    title: str
    subject: str
    when: datetime
    revision: int


class RecordWriter:
    def __init__(self) -> None:
        self.document: Document = load_template()
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):  # the template's page setup stays; nothing else
                body.remove(child)
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}

    # -- styles, looked up once ------------------------------------------------------------
    # python-docx finds a style by name anew for every paragraph and run (an XPath search of
    # the styles part each time): most of the time of writing a long record. The id it finds
    # is remembered here and set exactly as its own setters set it, so the XML is the same.
    def _style_id(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        key = (name, kind)
        if key not in self._style_ids:
            self._style_ids[key] = self.document.part.get_style_id(name, kind)  # type: ignore[no-untyped-call]
        return self._style_ids[key]

    def _paragraph(self, style: str, container: Any = None) -> Paragraph:
        """A new paragraph of *style* (as ``add_paragraph(style=style)``)."""
        paragraph = (container or self.document).add_paragraph()
        self._set_style(paragraph, style)
        return paragraph

    def _set_style(self, paragraph: Paragraph, style: str) -> None:
        paragraph._p.style = self._style_id(style, WD_STYLE_TYPE.PARAGRAPH)

    def _text(self, paragraph: Paragraph, text: str | None, style: str | None = None) -> None:
        """``docxkit.add_text``: *text* made XML-safe as one run, of character *style*."""
        run = paragraph.add_run(xml_safe(text))
        if style:
            run._r.style = self._style_id(style, WD_STYLE_TYPE.CHARACTER)

    # -- page furniture -------------------------------------------------------------------
    def masthead(self, head: Masthead) -> None:
        section = self.document.sections[0]
        header = section.header
        marking = header.paragraphs[0]
        marking.style = self.document.styles[S.MARKING]
        add_text(marking, one_line(head.marking))
        line = header.add_paragraph(style=S.HEADER)
        add_text(line, f"{one_line(head.left)}\t\t{one_line(head.right)}")
        footer = section.footer
        pages = footer.paragraphs[0]
        pages.style = self.document.styles[S.FOOTER]
        add_text(pages, f"{one_line(head.footer_left)}\t\tPage ")
        add_field(pages, "PAGE", "1")
        add_text(pages, " of ")
        add_field(pages, "NUMPAGES", "1")
        add_text(footer.add_paragraph(style=S.MARKING), one_line(head.marking))

    def properties(self, props: Properties) -> None:
        core = self.document.core_properties
        core.title = one_line(props.title, 255)
        core.subject = one_line(props.subject, 255)
        core.author = core.last_modified_by = core.comments = core.keywords = ""
        core.category = ""
        core.language = "en-GB"
        core.created = core.modified = props.when
        core.revision = max(1, props.revision)

    # -- text -----------------------------------------------------------------------------
    def heading(self, text: str, level: int = 1) -> None:
        style = {0: S.TITLE, 1: S.H1, 2: S.H2, 3: S.H3}[level]
        self._text(self._paragraph(style), one_line(text))

    def paragraph(self, text: str | None, style: str = S.BODY, empty: str = "") -> None:
        """Users' text, one paragraph per blank-line-separated block (line breaks kept)."""
        clean = xml_safe(text).strip()
        if not clean:
            if empty:
                self._text(self._paragraph(S.NOTE), empty)
            return
        for block in _blocks(clean):
            self._text(self._paragraph(style), block)

    def labelled(self, label: str, text: str | None, style: str = S.BODY) -> None:
        """ "Label: text" in one paragraph, the label in the Field Label style."""
        p = self._paragraph(style)
        self._text(p, f"{label}: ", S.LABEL)
        self._text(p, xml_safe(text).strip() or "—")

    def runs(self, parts: Sequence[Cell], style: str = S.BODY) -> None:
        p = self._paragraph(style)
        for part in parts:
            text, char_style = part if isinstance(part, tuple) else (part, None)
            self._text(p, text, char_style)

    def bullet(self, text: str | None) -> None:
        self._text(self._paragraph(S.BULLET), xml_safe(text).strip())

    # -- tables ---------------------------------------------------------------------------
    def details(self, rows: Sequence[tuple[str, Cell]], label_width: int = 2700) -> Table:
        """A two-column table of labels and values (label column shaded by the style)."""
        table: Table = self.document.add_table(rows=0, cols=2, style=S.DETAILS)
        for label, value in rows:
            row = table.add_row()  # type: ignore[no-untyped-call]
            keep_row_whole(row)
            self._fill(row.cells[0], label)
            self._fill(row.cells[1], value)
        set_widths(table, [label_width, TEXT_WIDTH - label_width])
        self._after_table()
        return table

    def grid(
        self, headings: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[int]
    ) -> Table:
        """A table with a heading row that repeats on every page it runs onto."""
        table: Table = self.document.add_table(rows=1, cols=len(headings), style=S.GRID)
        head = table.rows[0]
        repeat_as_header(head)
        keep_row_whole(head)
        for cell, text in zip(head.cells, headings, strict=True):
            self._set_style(cell.paragraphs[0], S.TABLE_HEADING)
            self._text(cell.paragraphs[0], text)
        for values in rows:
            row = table.add_row()  # type: ignore[no-untyped-call]
            keep_row_whole(row)
            for cell, value in zip(row.cells, values, strict=True):
                self._fill(cell, value)
        scale = TEXT_WIDTH / sum(widths)
        set_widths(table, [round(w * scale) for w in widths])
        self._after_table()
        return table

    def _fill(self, cell: _Cell, value: Cell) -> None:
        text, char_style = value if isinstance(value, tuple) else (value, None)
        paragraph = cell.paragraphs[0]
        self._set_style(paragraph, S.TABLE_TEXT)
        self._text(paragraph, xml_safe(text).strip(), char_style)

    def _after_table(self) -> None:
        # A little space after each table; Word joins two adjacent tables into one.
        self._paragraph(S.TABLE_TEXT)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _blocks(text: str) -> list[str]:
    """Split on blank lines into paragraphs; single line breaks stay inside a paragraph."""
    blocks = [b.strip("\n") for b in text.split("\n\n")]
    return [b for b in blocks if b.strip()]
