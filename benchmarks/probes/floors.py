"""Bare baselines, each a process of its own: a SELECT of given rows with sqlite3, and
python-docx writing given paragraphs and tables.

    python -m benchmarks.probes.floors select DB STATEMENTS.json
    python -m benchmarks.probes.floors docx CONTENT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def select(db: str, statements: str) -> int:
    """Every statement, with its parameters, fetched whole: the same rows, nothing else."""
    import sqlite3

    connection = sqlite3.connect(db)
    rows = 0
    for sql, params in json.loads(Path(statements).read_text()):
        rows += len(connection.execute(sql, params).fetchall())
    connection.close()
    return rows


def docx_content(data: bytes) -> list[dict[str, Any]]:
    """The body of a Word file as paragraphs (style, runs) and tables (style, cells)."""
    import io

    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    out: list[dict[str, Any]] = []

    def paragraph(p: Paragraph) -> dict[str, Any]:
        runs = [(r.text, r.style.name if r.style is not None and r._r.style else None)
                for r in p.runs]  # fmt: skip
        return {"style": p.style.name if p.style is not None else None, "runs": runs}

    for child in document.element.body:
        if child.tag == qn("w:p"):
            out.append({"p": paragraph(Paragraph(child, document))})
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            rows = [[paragraph(cell.paragraphs[0]) for cell in row.cells] for row in table.rows]
            out.append({"table": {"style": table.style.name if table.style else None,
                                  "rows": rows}})  # fmt: skip
    return out


def build_docx(content: list[dict[str, Any]], template: str) -> bytes:
    """python-docx writing *content* the plain way: add_paragraph, add_run, add_table."""
    import io

    import docx
    from docx.oxml.ns import qn

    document = docx.Document(template)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for block in content:
        if "p" in block:
            p = document.add_paragraph(style=block["p"]["style"])
            for text, style in block["p"]["runs"]:
                p.add_run(text, style)
            continue
        table = block["table"]
        columns = len(table["rows"][0]) if table["rows"] else 1
        t = document.add_table(rows=0, cols=columns, style=table["style"])
        for row in table["rows"]:
            cells = t.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                para = cell.paragraphs[0]
                para.style = value["style"]
                for text, style in value["runs"]:
                    para.add_run(text, style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    kind = sys.argv[1]
    if kind == "select":
        print(json.dumps({"rows": select(sys.argv[2], sys.argv[3])}))
    elif kind == "docx":
        spec = json.loads(Path(sys.argv[2]).read_text())
        size = sum(len(build_docx(content, spec["template"])) for content in spec["documents"])
        print(json.dumps({"bytes": size}))
    elif kind == "holidays":
        import holidays  # noqa: F401
    else:
        raise SystemExit(f"unknown floor {kind}")


if __name__ == "__main__":
    main()
