"""The report's document (`document.py`) as DOCX (python-docx) and as PDF (fpdf2, with the font the
renderer uses, `KIOSK_RENDER_FONT`, so Chinese is drawn and its text extractable)."""
import io
import logging

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from fpdf import FPDF
from fpdf.enums import WrapMode

from kiosk.render.fonts import configured, face_index
from kiosk.reports.document import Document

DOCX_FONT = "宋体"
# fontTools logs every subsetting step at INFO: a line per table of every PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _east_asian(run, name: str = DOCX_FONT) -> None:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def docx_bytes(document: Document) -> bytes:
    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = DOCX_FONT, Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(document.title)
    run.bold, run.font.size = True, Pt(18)
    _east_asian(run)
    for kind, block in document.blocks:
        if kind == "heading":
            run = doc.add_paragraph().add_run(block)
            run.bold = True
            _east_asian(run, "黑体")
        elif kind == "paragraph":
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(24)
            _east_asian(paragraph.add_run(block))
        else:
            table = doc.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            table.style = "Table Grid"
            for r, c, rows, columns in block.merges:
                table.cell(r, c).merge(table.cell(r + rows - 1, c + columns - 1))
            covered = {(r + i, c + j) for r, c, rows, columns in block.merges
                       for i in range(rows) for j in range(columns) if (i, j) != (0, 0)}
            for r, row in enumerate(block.rows):
                for c, text in enumerate(row):
                    if (r, c) in covered:
                        continue
                    run = table.cell(r, c).paragraphs[0].add_run(text)
                    run.font.size = Pt(9)
                    run.bold = r < block.header_rows
                    _east_asian(run)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


class _Pdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("cjk", size=9)
        self.cell(0, 8, f"{self.page_no()}", align="C")


def pdf_bytes(document: Document) -> bytes:
    font = configured()
    pdf = _Pdf(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("cjk", "", font.regular, collection_font_number=face_index(font.regular, font.face))
    pdf.add_font("cjk", "B", font.bold, collection_font_number=face_index(font.bold, font.face))
    pdf.set_title(document.title)
    pdf.add_page()
    pdf.set_font("cjk", "B", 16)
    pdf.multi_cell(0, 10, document.title, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for kind, block in document.blocks:
        if kind == "heading":
            pdf.set_font("cjk", "B", 12)
            pdf.ln(2)
            pdf.multi_cell(0, 8, block, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
        elif kind == "paragraph":
            pdf.set_font("cjk", "", 10.5)
            pdf.multi_cell(0, 6.5, "\u3000\u3000" + block, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("cjk", "", 8)
            widths = block.widths or [1] * len(block.rows[0])
            with pdf.table(col_widths=widths, line_height=5, wrapmode=WrapMode.CHAR,
                           num_heading_rows=block.header_rows, first_row_as_headings=bool(block.header_rows)) as table:
                for row in block.layout():
                    cells = table.row()
                    for text, rows, columns in row:
                        cells.cell(text, rowspan=rows, colspan=columns)
            pdf.ln(3)
    return bytes(pdf.output())
