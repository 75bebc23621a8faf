"""DOCX reports (Word, LibreOffice) through python-docx, an optional dependency (``pip install negotiation-kg[docx]``).

The same parts as the HTML report, as Word sees them: headings (Word's own Heading styles, so
its navigation pane and table of contents work), paragraphs, bullet lists, tables (``Table
Grid``), the figure as 300 dpi PNG bands (drawn by the headless Chromium that prints the PDF;
without Chromium a note says where the figure is), the query texts in a monospace font and the
bibliography. The contents are a Word TOC field listing the parts, which Word fills in with page
numbers when it opens the file (it asks to update fields); the footer numbers the pages
("Page N of M", Word fields). Text goes in as text (python-docx escapes it); characters that XML
cannot hold are dropped.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

from kg.errors import RuntimeFailure

if TYPE_CHECKING:
    from kg.report.content import Block, Report

__all__ = ["render_docx"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(value: Any) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _field(paragraph: Any, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) in a paragraph, showing ``shown`` until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)
        return run

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _table(doc: Any, block: Block) -> None:
    from docx.shared import Pt

    t = block.table
    assert t is not None
    doc.add_heading(_t(t.title), level=3)
    if not t.rows:
        doc.add_paragraph("None.").runs[0].italic = True
    else:
        table = doc.add_table(rows=1, cols=len(t.columns))
        table.style = "Table Grid"
        for cell, c in zip(table.rows[0].cells, t.columns, strict=True):
            cell.text = _t(c)
            cell.paragraphs[0].runs[0].bold = True
        for row in t.rows:
            cells = table.add_row().cells
            for cell, v in zip(cells, row, strict=True):
                cell.text = _t(v if isinstance(v, str) else "\n".join(map(str, v)))
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(8)
    caption = " ".join(x for x in (f"Library question: {t.query}." if t.query else "", t.note) if x)
    if caption:
        doc.add_paragraph(_t(caption)).runs[0].italic = True


def _figure(doc: Any, block: Block) -> None:
    from docx.shared import Mm

    from kg.report.figure import WIDTH
    from kg.report.pdf import html_to_png
    from kg.sinks.png import SCALE, with_dpi

    try:
        for svg in block.svgs:
            height = int(re.search(r'height="(\d+)"', svg).group(1))  # type: ignore[union-attr]
            html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>html,body{margin:0}svg{display:block}</style>"
                    f"</head><body>{svg}</body></html>")
            doc.add_picture(io.BytesIO(with_dpi(html_to_png(html, WIDTH, height, SCALE))), width=Mm(180))
    except RuntimeFailure as e:
        doc.add_paragraph(f"(The figure is in the HTML and PDF reports: {e}.)").runs[0].italic = True
    doc.add_paragraph(_t(block.caption)).runs[0].italic = True


def _blocks(doc: Any, r: Report, blocks: list[Block]) -> None:
    from docx.shared import Pt

    for b in blocks:
        if b.kind == "text" and b.section is not None:
            s = b.section
            if s.title:
                doc.add_heading(_t(s.title), level=2 if s.level <= 3 else 3)
            doc.add_paragraph(_t(s.lead))
            for x in s.bullets:
                doc.add_paragraph(_t(x), style="List Bullet")
        elif b.kind == "note":
            doc.add_paragraph(_t(b.text)).runs[0].italic = True
        elif b.kind == "table":
            _table(doc, b)
        elif b.kind == "figure":
            _figure(doc, b)
        elif b.kind == "queries":
            doc.add_paragraph(_t(f"{r.query_name}: {r.query_description} Parameters: {r.query_params}."))
            for q in b.queries:
                doc.add_heading(_t(f"{q.label} ({q.path})"), level=3)
                p = doc.add_paragraph()
                run = p.add_run(_t(q.text) if q.text is not None else f"The {q.label} text of this query is missing.")
                run.font.name, run.font.size = "DejaVu Sans Mono", Pt(7.5)
        elif b.kind == "bibliography":
            if not b.bibliography:
                doc.add_paragraph("No source is cited in this selection.").runs[0].italic = True
            for i, e in enumerate(b.bibliography, 1):
                doc.add_paragraph(_t(f"{i}. [{e.key}] {e.reference}" + (f" {e.url}" if e.url else "")))
                for loc, claims in e.locators:
                    doc.add_paragraph(_t(f"{loc}: {'; '.join(claims)}"), style="List Bullet 2")


def render_docx(r: Report, timestamp: str | None) -> bytes:
    """The DOCX bytes of a report built by :func:`kg.report.content.build`."""
    try:
        import docx
    except ImportError:
        raise RuntimeFailure(
            "DOCX output needs python-docx: pip install 'negotiation-kg[docx]' (or pip install python-docx); "
            "--format html or pdf give the same report without it"
        ) from None
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(15)
    sec.top_margin, sec.bottom_margin = Mm(16), Mm(18)
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "DejaVu Sans", Pt(9.5)
    doc.core_properties.title = _t(r.title)
    doc.core_properties.comments = r.generator
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    update = OxmlElement("w:updateFields")  # Word fills the contents and page numbers on opening
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)

    doc.add_heading(_t(r.title), level=0)
    doc.add_paragraph(_t(r.subtitle))
    meta = [("Selection", f"{r.selection} ({r.counts})"), ("Query", f"{r.query_name} — {r.query_description}")]
    for label, value in [*meta, *([("Generated", timestamp)] if timestamp else [])]:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(_t(value))
    doc.add_heading("Contents", level=1)
    _field(doc.add_paragraph(), 'TOC \\o "1-1" \\h \\z', "; ".join(_t(p.title) for p in r.parts))
    for n in r.notes:
        doc.add_paragraph(_t(n)).runs[0].italic = True
    for part in r.parts:
        doc.add_heading(_t(part.title), level=1)
        _blocks(doc, r, part.blocks)
    doc.add_paragraph(_t(f"{r.generator}{' · ' + timestamp if timestamp else ''} · every claim above cites a source."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
