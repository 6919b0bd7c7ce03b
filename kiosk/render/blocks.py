"""A notice body (the sanitised HTML of the disclosures feed, as the player gets it) as blocks to
typeset: paragraphs, headings, list items and tables. Inline markup is dropped; the words stay."""
from dataclasses import dataclass, field
from html.parser import HTMLParser

from kiosk.privacy import mask_text


@dataclass
class Text:
    kind: str            # "p", "h" (heading), "li" (list item), "quote", "pre"
    text: str
    marker: str = ""     # "•" or "3." before a list item
    level: int = 0       # list nesting


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 0      # leading rows made of <th> (repeated on every page)
    numeric: list[bool] = field(default_factory=list)   # right-aligned columns


Block = Text | Table


class _BodyParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.kind = "p"
        self.lists: list[list] = []        # [ordered, next number] per open list
        self.table: Table | None = None
        self.row: list[str] | None = None
        self.row_is_header = False
        self.align_right: dict[int, bool] = {}
        self.in_pre = False

    def _flush(self):
        text = "".join(self.buffer)
        self.buffer = []
        text = text if self.in_pre else " ".join(text.split())
        if self.table is not None and self.row is not None:
            return text
        if text.strip():
            marker, level = "", 0
            if self.kind == "li" and self.lists:
                ordered = self.lists[-1]
                marker = f"{ordered[1]}." if ordered[0] else "•"
                ordered[1] += 1
                level = len(self.lists) - 1
            self.blocks.append(Text(self.kind, text, marker, level))
        return text

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "h2", "h3", "h4", "li", "blockquote", "pre"):
            self._flush()
            self.kind = {"li": "li", "blockquote": "quote", "pre": "pre"}.get(tag, "h" if tag[0] == "h" else
                                                                            ("li" if self.kind == "li" else "p"))
            self.in_pre = tag == "pre" or self.in_pre
        elif tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag == "ol", 1])
        elif tag == "br":
            self.buffer.append("\n")
        elif tag == "table":
            self._flush()
            self.table = Table()
        elif tag == "tr" and self.table is not None:
            self.row, self.row_is_header = [], True
        elif tag in ("td", "th") and self.row is not None:
            self.buffer = []
            self.row_is_header &= tag == "th"
            if dict(attrs).get("align") == "right":
                self.align_right[len(self.row)] = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None:
            self.row.append(self._flush())
        elif tag == "tr" and self.table is not None and self.row is not None:
            if self.row_is_header and len(self.table.rows) == self.table.header_rows:
                self.table.header_rows += 1
            self.table.rows.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self._finish_table()
        elif tag in ("p", "h2", "h3", "h4", "li", "blockquote", "pre"):
            self._flush()
            self.kind = "li" if self.lists and tag != "li" else ("li" if self.lists else "p")
            self.in_pre = self.in_pre and tag != "pre"
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
            self.kind = "li" if self.lists else "p"

    def _finish_table(self):
        table, self.table = self.table, None
        width = max((len(row) for row in table.rows), default=0)
        table.rows = [row + [""] * (width - len(row)) for row in table.rows]
        body = table.rows[table.header_rows:]
        table.numeric = [self.align_right.get(column, False) or (bool(body) and all(
            _looks_numeric(row[column]) for row in body if row[column])) for column in range(width)]
        self.align_right = {}
        if table.rows:
            self.blocks.append(table)

    def handle_data(self, data):
        self.buffer.append(data)

    def close(self):
        super().close()
        self._flush()


def _looks_numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace(".", "").replace("%", "").replace("元", "").replace("-", "").strip()
    return stripped.isdigit()


def parse_body(html: str) -> list[Block]:
    """The blocks of a body, every text through the privacy gate on its way to the picture."""
    parser = _BodyParser()
    parser.feed(html or "")
    parser.close()
    for block in parser.blocks:
        if isinstance(block, Table):
            block.rows = [[mask_text(cell) for cell in row] for row in block.rows]
        else:
            block.text = mask_text(block.text)
    return parser.blocks
