"""Typesetting a notice body into pages: lines of Chinese text broken by the rules in
breaking.py, list items with their markers, and tables that keep their columns (a table too wide
for the page in parts of its columns, one after another), with the header rows repeated on every
page a table continues onto."""
from dataclasses import dataclass, field
from functools import lru_cache

from kiosk.render import fonts
from kiosk.render.blocks import Block, Table, Text
from kiosk.render.breaking import break_lines, widest_unit
from kiosk.render.paint import INK, MUTED, RULE, Painter

LINE_HEIGHT = 1.55
TABLE_SCALE = 0.85          # table text relative to the body, as in slides.css
SMALLEST_TABLE_SCALE = 0.6  # a wide table shrinks its text down to this before splitting its columns
HEADER_FILL = "#eeeeee"


@lru_cache(maxsize=64)
def measurer(size: int, bold: bool = False):
    """Width of a string at a size: the sum of its characters' advances (CJK text has no kerning),
    each measured once, as drawn (a character the font lacks as its placeholder)."""
    font = fonts.font(size, bold)
    widths: dict[str, float] = {}

    def measure(text: str) -> float:
        total = 0.0
        for character in text:
            width = widths.get(character)
            if width is None:
                width = widths[character] = font.getlength(fonts.shown(character))
            total += width
        return total
    return measure


# A drawing instruction relative to the body box: ("text", x, y, text, size, bold, colour, right_aligned)
# with y the middle of the line,
# or ("box", x0, y0, x1, y1, fill, outline).
Op = tuple


@dataclass
class Row:
    height: float
    ops: list[Op]
    space: bool = False                 # spacing between blocks: dropped at the top of a page
    repeat: list["Row"] = field(default_factory=list)   # a table's header rows, again on a new page
    keep_with_next: bool = False        # a heading does not end a page


def _shift(ops: list[Op], dx: float, dy: float) -> list[Op]:
    shifted = []
    for op in ops:
        if op[0] == "text":
            shifted.append((op[0], op[1] + dx, op[2] + dy, *op[3:]))
        else:
            shifted.append((op[0], op[1] + dx, op[2] + dy, op[3] + dx, op[4] + dy, *op[5:]))
    return shifted


def _text_rows(block: Text, width: float, size: int) -> list[Row]:
    bold = block.kind == "h"
    size = round(size * 1.1) if bold else size
    measure = measurer(size, bold)
    line_height = size * LINE_HEIGHT
    indent = block.level * 1.5 * size
    if block.kind == "li":
        marker_room = 1.6 * size
        lines = break_lines(block.text, width - indent - marker_room, measure)
        rows = [Row(line_height, [("text", indent + marker_room, line_height / 2, line, size, False, INK, False)])
                for line in lines]
        rows[0].ops.insert(0, ("text", indent, line_height / 2, block.marker, size, False, INK, False))
    elif block.kind == "p":
        lines = break_lines(block.text, width, measure, first_line_width=width - 2 * size)
        rows = [Row(line_height, [("text", 2 * size if i == 0 else 0, line_height / 2, line, size, False, INK, False)])
                for i, line in enumerate(lines)]
    else:
        colour = MUTED if block.kind == "quote" else INK
        lines = break_lines(block.text, width - (2 * size if block.kind == "quote" else 0), measure)
        x = 2 * size if block.kind == "quote" else 0
        rows = [Row(line_height, [("text", x, line_height / 2, line, size, bold, colour, False)]) for line in lines]
    if bold:
        rows[-1].keep_with_next = True
    return rows + [Row(size * (0.4 if bold else 0.5), [], space=True)]


def column_widths(table: Table, width: float, size: int) -> tuple[list[float], int] | None:
    """Widths that keep every number and word of every column whole, or None at this size."""
    regular, bold = measurer(size), measurer(size, True)
    pad = 0.8 * size
    columns = range(len(table.rows[0]))
    measures = [bold if index < table.header_rows else regular for index in range(len(table.rows))]
    least = [max(widest_unit(row[c], m) for row, m in zip(table.rows, measures)) + pad for c in columns]
    natural = [max(m(row[c]) for row, m in zip(table.rows, measures)) + pad for c in columns]
    if sum(least) > width:
        return None
    return _shared_out(least, natural, width), size


def _shared_out(least: list[float], natural: list[float], width: float) -> list[float]:
    """Column widths like a browser's automatic table layout, but fairer to short columns: a column
    whose whole text fits in an equal share gets it, then the rest share what is left in proportion
    to what they still want, so a long ID column cannot squeeze a two-character name column."""
    widths = list(least)
    open_columns = sorted(range(len(natural)), key=lambda c: natural[c])
    room = width
    while open_columns:
        fair = room / len(open_columns)
        rest_least = sum(least[c] for c in open_columns[1:])
        if natural[open_columns[0]] > fair or room - natural[open_columns[0]] < rest_least:
            break
        column = open_columns.pop(0)
        widths[column] = natural[column]
        room -= natural[column]
    if not open_columns:     # everything fits on one line: widen all alike to fill the page
        total = sum(widths)
        return [w + room * w / total for w in widths]
    spare = room - sum(least[c] for c in open_columns)
    wants = sum(natural[c] - least[c] for c in open_columns) or 1
    for column in open_columns:
        widths[column] = least[column] + spare * (natural[column] - least[column]) / wants
    return widths


def _fitted(table: Table, width: float, body_size: int, floor: int) -> tuple[list[float], int] | None:
    """Widths at the largest table type, down to the floor, that keeps every word and number whole."""
    for size in range(round(body_size * TABLE_SCALE), floor - 1, -1):
        fitted = column_widths(table, width, size)
        if fitted:
            return fitted
    return None


def _columns(table: Table, columns: list[int]) -> Table:
    return Table([[row[c] for c in columns] for row in table.rows], table.header_rows,
                 [table.numeric[c] for c in columns])


def _parts(table: Table, width: float, floor: int) -> list[Table]:
    """The columns in parts that fit at the floor size, to be shown one after another, each led by
    the first column so that a row can still be read across (as the player's splitColumns)."""
    parts, columns = [], [0]
    for column in range(1, len(table.rows[0])):
        if len(columns) == 1 or column_widths(_columns(table, columns + [column]), width, floor):
            columns.append(column)
        else:
            parts.append(_columns(table, columns))
            columns = [0, column]
    return parts + [_columns(table, columns)]


def _table_rows(table: Table, width: float, body_size: int, part_size: int | None = None) -> list[Row]:
    floor = max(1, round(body_size * SMALLEST_TABLE_SCALE))
    fitted = column_widths(table, width, part_size) if part_size else _fitted(table, width, body_size, floor)
    if fitted is None and len(table.rows[0]) > 2 and not part_size:
        # Too wide at the floor: the columns split into parts, all at the floor size (as the player
        # draws them), never a number.
        return [row for part in _parts(table, width, floor) for row in _table_rows(part, width, body_size, floor)]
    if fitted is None:   # the first column and one more still too wide: the last resort, text wraps in cells
        fitted = [width / len(table.rows[0])] * len(table.rows[0]), floor
    widths, size = fitted
    measure, bold_measure = measurer(size), measurer(size, True)
    pad_x, pad_y, line_height = 0.4 * size, 0.15 * size, size * 1.35
    rows = []
    for index, cells in enumerate(table.rows):
        header = index < table.header_rows
        cell_measure = bold_measure if header else measure
        broken = [break_lines(text, w - 2 * pad_x, cell_measure) for text, w in zip(cells, widths)]
        height = max(len(lines) for lines in broken) * line_height + 2 * pad_y
        ops, x = [], 0.0
        for column, (lines, w) in enumerate(zip(broken, widths)):
            ops.append(("box", x, 0, x + w, height, HEADER_FILL if header else None, RULE))
            right = table.numeric[column] and not header
            for number, line in enumerate(lines):
                ops.append(("text", x + w - pad_x if right else x + pad_x, pad_y + (number + 0.5) * line_height,
                            line, size, header, INK, right))
            x += w
        rows.append(Row(height, ops))
    headers = rows[:table.header_rows]
    for row in rows[table.header_rows:]:
        row.repeat = headers
    return rows + [Row(body_size * 0.6, [], space=True)]


def paginate(blocks: list[Block], width: float, height: float, size: int) -> list[list[Op]]:
    """The body's drawing instructions, page by page (at least one page)."""
    rows = [row for block in blocks for row in (
        _table_rows(block, width, size) if isinstance(block, Table) else _text_rows(block, width, size))]
    pages: list[list[Op]] = [[]]
    y = 0.0
    for index, row in enumerate(rows):
        if row.space and y == 0:
            continue
        needed = row.height
        if row.keep_with_next:  # with the space after it and the first line of what follows
            for following in rows[index + 1:]:
                needed += following.height
                if not following.space:
                    break
        if y > 0 and y + needed > height:
            if row.space:  # spacing that does not fit ends the page; the next row starts another
                y = height
                continue
            pages.append([])
            y = 0.0
            for header in row.repeat:
                pages[-1].extend(_shift(header.ops, 0, y))
                y += header.height
        pages[-1].extend(_shift(row.ops, 0, y))
        y += row.height
    return pages


def draw_ops(painter: Painter, ops: list[Op], left: float, top: float) -> None:
    for op in ops:
        if op[0] == "text":
            _, x, y, text, size, bold, colour, right = op
            painter.text((left + x, top + y), text, size, colour, bold, anchor="rm" if right else "lm")
        else:
            _, x0, y0, x1, y1, fill, outline = op
            painter.box((round(left + x0), round(top + y0), round(left + x1), round(top + y1)), fill=fill,
                        outline=outline, width=max(1, round(painter.u / 8)), light=True)
