"""The annual report as a document: headings, paragraphs and tables in the format's order, built
from a report's saved words and figures. The DOCX and PDF writers (`writers.py`) and the notice that
publishes it (Markdown) all read this one structure."""
from dataclasses import dataclass, field
from decimal import Decimal

from kiosk.applications.outcomes import APPLICANT_KINDS, TABLE_THREE_COLUMNS, TABLE_THREE_ROWS
from kiosk.reports import drafting
from kiosk.reports.models import NormativeKind
from kiosk.reports.tables import COLUMN_HEADERS, FEES, NORMATIVE_ROWS, REMEDIES, REMEDY_RESULTS, ROW_LABELS

TYPED_MARK = "*"
TYPED_NOTE = ("注：标“*”的数据（行政许可、行政处罚、行政强制的处理决定数量和行政事业性收费金额）"
              "由工作人员根据业务台账填报，其余数据由系统根据本机关公开和办理记录统计。")


@dataclass
class Table:
    rows: list[list[str]]
    header_rows: int = 1
    widths: list[float] = field(default_factory=list)   # relative column widths
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # (row, column, rows, columns)
    flat_header: list[str] | None = None   # one header row for where cells cannot merge (Markdown)

    def layout(self) -> list[list[tuple[str, int, int]]]:
        """Each row's cells as (text, rows, columns), the cells a merge covers left out."""
        spans = {(r, c): (rows, columns) for r, c, rows, columns in self.merges}
        covered = {(r + i, c + j) for r, c, rows, columns in self.merges for i in range(rows) for j in range(columns)
                   if (i, j) != (0, 0)}
        return [[(text, *spans.get((r, c), (1, 1))) for c, text in enumerate(row) if (r, c) not in covered]
                for r, row in enumerate(self.rows)]


@dataclass
class Document:
    title: str
    blocks: list   # ("heading", text) | ("paragraph", text) | ("table", Table)

    def tables(self) -> list[Table]:
        return [block for kind, block in self.blocks if kind == "table"]


def _number(value) -> str:
    if value in (None, ""):
        return "0"
    if isinstance(value, str):
        return format(Decimal(value).normalize(), "f")
    return str(value)


def table_two(documents: dict, typed: dict) -> Table:
    rows = [["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
    for kind in (NormativeKind.rule, NormativeKind.normative):
        counts = documents[kind]
        rows.append([NORMATIVE_ROWS[kind], str(counts.issued), str(counts.repealed), str(counts.in_force)])
    rows += [["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
             [f"行政许可{TYPED_MARK}", _number(typed.get("licensing")), "", ""],
             ["第二十条第（六）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
             [f"行政处罚{TYPED_MARK}", _number(typed.get("penalty")), "", ""],
             [f"行政强制{TYPED_MARK}", _number(typed.get("enforcement")), "", ""],
             ["第二十条第（八）项", "", "", ""], ["信息内容", "本年收费金额（单位：万元）", "", ""],
             [f"行政事业性收费{TYPED_MARK}", _number(typed.get(FEES)), "", ""]]
    return Table(rows, header_rows=0, widths=[3, 2, 2, 2])


TABLE_THREE_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def table_three(figures: dict) -> Table:
    """The format's header: 申请人情况 over 自然人, 法人或其他组织 (its five kinds) and 总计."""
    organisations = [APPLICANT_KINDS[c] for c in TABLE_THREE_COLUMNS if c not in ("natural_person", "total")]
    rows = [[TABLE_THREE_CORNER, "申请人情况", *[""] * 6],
            ["", "自然人", "法人或其他组织", *[""] * 4, "总计"],
            ["", "", *organisations, ""]]
    for row in TABLE_THREE_ROWS:
        rows.append([ROW_LABELS[row], *(str(figures[row][c]) for c in TABLE_THREE_COLUMNS)])
    return Table(rows, header_rows=3, widths=[5, 1, 1, 1, 1, 1, 1, 1],
                 merges=[(0, 0, 3, 1), (0, 1, 1, 7), (1, 1, 2, 1), (1, 2, 1, 5), (1, 7, 2, 1)],
                 flat_header=["本年度办理结果", *(COLUMN_HEADERS[c] for c in TABLE_THREE_COLUMNS)])


def table_four(figures: dict) -> Table:
    rows = [["", *REMEDY_RESULTS.values()]]
    for remedy, label in REMEDIES.items():
        rows.append([label, *(str(figures[f"{remedy}.{result}"]) for result in REMEDY_RESULTS)])
    return Table(rows, header_rows=1, widths=[3, 1, 1, 1, 1, 1])


def build(title: str, texts: dict[str, str], documents: dict, typed: dict, three: dict, four: dict) -> Document:
    """The whole report: `texts` holds each section's words (saved or drafted)."""
    blocks: list = []

    def words(section: str) -> None:
        blocks.append(("heading", drafting.SECTIONS[section]))
        for paragraph in (texts.get(section) or "").split("\n"):
            if paragraph.strip():
                blocks.append(("paragraph", paragraph.strip()))

    words("overview")
    words("proactive")
    blocks.append(("table", table_two(documents, typed)))
    blocks.append(("paragraph", TYPED_NOTE))
    words("applications")
    blocks.append(("table", table_three(three)))
    words("remedies")
    blocks.append(("table", table_four(four)))
    words("problems")
    words("other")
    return Document(title, blocks)


def _cell(text: str) -> str:
    return text.replace("|", "｜") or " "


def markdown(document: Document) -> str:
    """The report as the notice's body (the public page shows it; the PDF is attached)."""
    parts = []
    for kind, block in document.blocks:
        if kind == "heading":
            parts.append(f"## {block}")
        elif kind == "paragraph":
            parts.append(block)
        else:
            width = len(block.rows[0])
            header = block.flat_header or (block.rows[0] if block.header_rows else [" "] * width)
            body = block.rows[max(block.header_rows, 1):] if block.header_rows else block.rows
            lines = ["| " + " | ".join(_cell(c) for c in header) + " |", "|" + "---|" * width]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in body]
            parts.append("\n".join(lines))
    return "\n\n".join(parts)
