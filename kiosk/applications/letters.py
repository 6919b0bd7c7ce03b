"""The reply letter (政府信息公开申请答复书) generated from a decided application: one text (`reply`),
written out as DOCX (python-docx) and PDF (fpdf2, with the renderer's packaged CJK font). The letter is
addressed to the applicant, so it holds their name: only those who may see personal data download it,
and each download is audited. Its words are the format's legal Chinese, not translated."""
import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from fpdf import FPDF

from kiosk.applications.models import Application
from kiosk.applications.outcomes import OUTCOMES
from kiosk.render import fonts

REGULATION = "《中华人民共和国政府信息公开条例》"
# The article each result rests on (条例, 2019).
LEGAL_BASIS = {
    "disclosed": "第三十六条第（二）项",
    "partly": "第三十七条",
    "withheld.state_secret": "第十四条",
    "withheld.prohibited_by_law": "第十四条",
    "withheld.three_safeties": "第十四条",
    "withheld.third_party": "第十五条、第三十二条",
    "withheld.internal_affairs": "第十六条第一款",
    "withheld.process_information": "第十六条第二款",
    "withheld.enforcement_file": "第十六条第二款",
    "withheld.enquiry_matter": "第三十六条第（七）项",
    "unavailable.not_held": "第三十六条第（四）项",
    "unavailable.needs_making": "第三十八条",
    "unavailable.still_unclear": "第三十条",
    "not_processed.petition": "第三十九条第一款",
    "not_processed.repeated": "第三十六条第（六）项",
    "not_processed.publication": "第三十九条第二款",
    "not_processed.mass_repeated": "第三十五条",
    "not_processed.confirmation": "第三十六条",
    "other.correction_lapsed": "第三十条",
    "other.fee_unpaid": "第四十二条",
    "other.other": "第三十六条",
}
DECISION_WORDS = {
    "disclosed": "经审查，您申请的信息属于可以公开的政府信息，本机关决定予以公开。",
    "partly": "经审查，您申请的信息中部分内容不应当公开，本机关对可以公开的部分予以公开，对不予公开的部分说明理由如下。",
    "withheld": "经审查，您申请的信息属于不予公开的范围，本机关决定不予公开，理由如下。",
    "unavailable": "经审查，本机关无法提供您申请的信息，理由如下。",
    "not_processed": "经审查，您的申请本机关不予处理，理由如下。",
    "other": "您的申请本机关作如下处理。",
}


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Letter:
    title: str
    reference: str
    paragraphs: list[str]
    signature: str
    dated: str


def reply(application: Application) -> Letter:
    """The letter's text from the decision: what was asked, the result and its reason, its legal basis,
    what is provided, any fee, the remedies, the township's name and the day."""
    outcome = OUTCOMES[application.outcome]
    township = application.unit.name
    asked = application.description or application.document_number or "（申请内容已按规定删除）"
    name = application.applicant_name or "申请人"
    paragraphs = [
        f"{name}：",
        f"本机关于{_chinese_date(application.received_on)}收到您提出的政府信息公开申请"
        f"（{application.reference}），申请获取：{asked}。",
        DECISION_WORDS[outcome.group] + (f"处理结果：{outcome.label}。" if outcome.group != "disclosed" else ""),
    ]
    if application.reason:
        paragraphs.append(f"理由：{application.reason}")
    if application.provided:
        paragraphs.append(f"提供的信息及方式：{application.provided}")
    paragraphs.append(f"依据：{REGULATION}{LEGAL_BASIS[outcome.code]}。")
    if application.fee_yuan:
        paragraphs.append(f"依据{REGULATION}第四十二条及国办函〔2020〕109号，本次应缴纳信息处理费"
                          f"{application.fee_yuan}元。")
    paragraphs.append("如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
                      "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")
    return Letter(title="政府信息公开申请答复书", reference=f"{township}{application.reference}答复",
                  paragraphs=paragraphs, signature=township, dated=_chinese_date(application.decided_on))


def as_docx(letter: Letter) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(14)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(letter.title)
    run.bold, run.font.size = True, Pt(20)
    reference = document.add_paragraph(letter.reference)
    reference.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in letter.paragraphs:
        document.add_paragraph(text)
    for text in (letter.signature, letter.dated):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf(letter: Letter) -> bytes:
    choice = fonts.configured()
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.add_font("letter", fname=choice.regular, collection_font_number=fonts.face_index(choice.regular, choice.face))
    pdf.set_font("letter", size=20)
    pdf.cell(0, 14, letter.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("letter", size=12)
    pdf.cell(0, 10, letter.reference, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("letter", size=13)
    for text in letter.paragraphs:
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(8)
    for text in (letter.signature, letter.dated):
        pdf.cell(0, 8, text, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
