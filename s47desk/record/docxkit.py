"""The few Word features python-docx has no API for: fields, repeating header rows, column widths.

Everything that writes users' text goes through :func:`add_text`, which makes it XML-safe.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from s47desk.record.text import xml_safe


def add_text(paragraph: Paragraph, text: str | None, style: str | None = None) -> Run:
    """Append *text* (made XML-safe; newlines become line breaks) as one run."""
    return paragraph.add_run(xml_safe(text), style)


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """Append a field such as PAGE or NUMPAGES; *shown* is its value until Word updates it."""

    def run(*children: object) -> None:
        r = OxmlElement("w:r")
        for child in children:
            r.append(child)
        paragraph._p.append(r)

    def char(kind: str) -> object:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    text = OxmlElement("w:t")
    text.text = shown
    run(char("begin"))
    run(instr)
    run(char("separate"))
    run(text)
    run(char("end"))


def _on(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(OxmlElement(tag))


def repeat_as_header(row: _Row) -> None:
    """Repeat *row* at the top of every page the table runs onto."""
    _on(row, "w:tblHeader")


def keep_row_whole(row: _Row) -> None:
    """Never split *row* across two pages (unless it is longer than a page)."""
    _on(row, "w:cantSplit")


def set_widths(table: Table, widths: Sequence[int]) -> None:
    """Fix the column widths (twips), which Word and LibreOffice both honour."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.gridCol_lst, widths, strict=True):
        col.w = Twips(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
