"""The recap's rows table (Lampiran I) drawn with ReportLab, in the layout of the WeasyPrint
page around it (`pdf.recap_pdf`): A4 landscape, the same margins, fixed column widths,
DejaVu Sans 7.5 pt, the header row repeated on every page, rows never split unless taller
than a page, "Halaman n dari N" and the footer line on every page.

Why not WeasyPrint: it lays out every line of every cell through its own CSS box model,
about 10 ms a row, so a 2,000-row recap took half a minute. Here a row is cut into lines by
the font's advance widths and each line drawn once: the table's cost is a few hundred
microseconds a row. The page's head (title, agency) and closing block (signature, QR code)
remain WeasyPrint's, laid over the first and last page.
"""

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from sikesal.reports.recap import COLUMNS, RecapRow

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
# As templates/reports/recap.html's @page: top, right, bottom, left.
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 14 * mm, 12 * mm, 16 * mm, 12 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
PAD_X, PAD_Y = 1.4 * mm, 1.2 * mm
EMPTY_PAD = 4 * mm  # around "Nihil"
# NO, REGISTER, TANGGAL TERIMA, DATA PELAPOR, URAIAN, PETUGAS PENERIMA, HASIL, KET: the
# template's widths (of the text, as CSS widths are, padding besides); URAIAN PENGADUAN and
# HASIL PENANGANAN share what is left.
TEXT_WIDTHS = (6 * mm, 26 * mm, 18 * mm, 30 * mm, None, 28 * mm, None, 32 * mm)
_SHARE = (CONTENT_WIDTH - sum(w + 2 * PAD_X for w in TEXT_WIDTHS if w)) / TEXT_WIDTHS.count(None)
WIDTHS = tuple(w + 2 * PAD_X if w else _SHARE for w in TEXT_WIDTHS)
BODY_SIZE, HEADER_SIZE, FOOTER_SIZE = 7.5, 7.0, 7.0
LINE = 1.164  # DejaVu Sans' line height ("normal") as a share of the font size
BORDER = 0.6
HEADER_FILL = Color(0xE6 / 255, 0xE6 / 255, 0xE6 / 255)
FOOTER_COLOUR = Color(0x44 / 255, 0x44 / 255, 0x44 / 255)

FONT_FILES = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
}
FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
REGULAR, BOLD, ITALIC = FONT_FILES


class FontsMissing(RuntimeError):
    """The DejaVu fonts are not installed (Debian's fonts-dejavu-core)."""


def register_fonts() -> None:
    """DejaVu Sans, as the WeasyPrint part of the page uses (embedded as subsets)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        if name in registered:
            continue
        path = next((f / filename for f in FONT_FOLDERS if (f / filename).exists()), None)
        if path is None:
            raise FontsMissing(f"font {filename} not found in {', '.join(map(str, FONT_FOLDERS))}")
        pdfmetrics.registerFont(TTFont(name, str(path)))


_SPACES = re.compile(r"[ \t\r\f\v]+")


class Wrapper:
    """Text cut into lines no wider than a width, as CSS `white-space: pre-line` with
    `overflow-wrap: anywhere` does: line breaks kept, runs of spaces collapsed, a word wider
    than the line cut where it must."""

    def __init__(self, font: str, size: float) -> None:
        self.font, self.size = font, size
        self.space = pdfmetrics.stringWidth(" ", font, size)
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = pdfmetrics.stringWidth(text, self.font, self.size)
        return width

    def lines(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words = _SPACES.sub(" ", paragraph).strip().split(" ")
            line, used = [], 0.0
            for word in words:
                if not word:
                    continue
                size = self.width(word)
                if line and used + self.space + size <= width:
                    line.append(word)
                    used += self.space + size
                    continue
                if line:
                    lines.append(" ".join(line))
                if size > width:
                    *pieces, word = self._cut(word, width)
                    lines.extend(pieces)
                    size = self.width(word)
                line, used = [word], size
            lines.append(" ".join(line))
        return lines

    def _cut(self, word: str, width: float) -> list[str]:
        # Character by character (ReportLab does not kern: a word's width is the sum).
        pieces, start, used = [], 0, 0.0
        for end, character in enumerate(word):
            size = self.width(character)
            if end > start and used + size > width:
                pieces.append(word[start:end])
                start, used = end, 0.0
            used += size
        pieces.append(word[start:])
        return pieces


@dataclass
class Block:
    """One row's piece on one page: its cells' lines, and its height."""

    cells: list[list[str]]
    height: float
    empty: bool = False  # the "Nihil" row


@dataclass(frozen=True)
class Header:
    cells: list[list[str]]
    height: float


def _header() -> Header:
    wrapper = Wrapper(BOLD, HEADER_SIZE)
    cells = [wrapper.lines(name, w - 2 * PAD_X) for name, w in zip(COLUMNS, WIDTHS, strict=True)]
    return Header(cells, max(map(len, cells)) * HEADER_SIZE * LINE + 2 * PAD_Y)


@dataclass
class Page:
    top: float  # where the table begins (from the bottom of the page)
    header: Header
    blocks: list[Block]

    @property
    def bottom(self) -> float:
        """Where the table ends on this page so far (from the bottom of the page)."""
        return self.top - self.header.height - sum(block.height for block in self.blocks)


def _row_cells(row: RecapRow) -> list[str]:
    return [
        str(row.number),
        row.register,
        row.received_on.strftime("%d-%m-%Y"),
        row.reporter,
        row.description,
        row.received_by,
        row.result,
        row.remarks,
    ]


def paginate(rows: Sequence[RecapRow], *, first_top: float) -> list[Page]:
    """The rows laid on pages: the table starts at `first_top` on the first page and at the
    top margin on the others; a row goes whole to the next page when it does not fit, and
    is cut between lines only when it is taller than a page."""
    header = _header()
    wrapper = Wrapper(REGULAR, BODY_SIZE)
    line = BODY_SIZE * LINE
    top = PAGE_HEIGHT - MARGIN_TOP
    pages = [Page(first_top, header, [])]
    if not rows:
        pages[0].blocks.append(Block([["Nihil"]], line + 2 * EMPTY_PAD, empty=True))
        return pages
    for row in rows:
        cells = [
            wrapper.lines(text, width - 2 * PAD_X)
            for text, width in zip(_row_cells(row), WIDTHS, strict=True)
        ]
        count = max(map(len, cells))
        height = count * line + 2 * PAD_Y
        room = pages[-1].bottom - MARGIN_BOTTOM
        if height > room and pages[-1].blocks:
            pages.append(Page(top, header, []))
            room = pages[-1].bottom - MARGIN_BOTTOM
        while height > room:  # taller than a page: cut between lines
            fit = max(1, int((room - 2 * PAD_Y) // line))
            pages[-1].blocks.append(Block([c[:fit] for c in cells], fit * line + 2 * PAD_Y))
            cells = [c[fit:] for c in cells]
            count -= fit
            height = count * line + 2 * PAD_Y
            pages.append(Page(top, header, []))
            room = pages[-1].bottom - MARGIN_BOTTOM
        pages[-1].blocks.append(Block(cells, height))
    return pages


def draw(pages: list[Page], *, footer: str, title: str, extra_page: bool) -> bytes:
    """The pages as PDF; `extra_page`: one more page (numbered) after the table, for a
    closing block that did not fit under it."""
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(title)
    total = len(pages) + extra_page
    for number, page in enumerate(pages, start=1):
        _draw_page(canvas, page)
        _draw_footer(canvas, footer, number, total)
        canvas.showPage()
    if extra_page:
        _draw_footer(canvas, footer, total, total)
        canvas.showPage()
    canvas.save()
    return output.getvalue()


def _draw_footer(canvas: Canvas, footer: str, number: int, total: int) -> None:
    canvas.setFillColor(FOOTER_COLOUR)
    canvas.setFont(REGULAR, FOOTER_SIZE)
    baseline = MARGIN_BOTTOM / 2 - FOOTER_SIZE * 0.3
    canvas.drawString(MARGIN_LEFT, baseline, footer)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, baseline, f"Halaman {number} dari {total}")


def _draw_page(canvas: Canvas, page: Page) -> None:
    left, right = MARGIN_LEFT, MARGIN_LEFT + CONTENT_WIDTH
    edges = [left]
    for width in WIDTHS:
        edges.append(edges[-1] + width)
    top = page.top
    # The header row: grey, bold, centred both ways.
    canvas.setFillColor(HEADER_FILL)
    canvas.rect(left, top - page.header.height, CONTENT_WIDTH, page.header.height, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    text = canvas.beginText()
    text.setFont(BOLD, HEADER_SIZE)
    line = HEADER_SIZE * LINE
    for lines, x0, x1 in zip(page.header.cells, edges, edges[1:], strict=False):
        y = top - (page.header.height - len(lines) * line) / 2 - HEADER_SIZE * 0.93
        for content in lines:
            width = pdfmetrics.stringWidth(content, BOLD, HEADER_SIZE)
            text.setTextOrigin((x0 + x1 - width) / 2, y)
            text.textOut(content)
            y -= line
    rules = [
        (left, top, right, top),
        (left, top - page.header.height, right, top - page.header.height),
    ]
    y = top - page.header.height
    line = BODY_SIZE * LINE
    text.setFont(REGULAR, BODY_SIZE)
    for block in page.blocks:
        bottom = y - block.height
        if block.empty:
            text.setFont(ITALIC, BODY_SIZE)
            width = pdfmetrics.stringWidth("Nihil", ITALIC, BODY_SIZE)
            text.setTextOrigin((left + right - width) / 2, y - block.height / 2 - BODY_SIZE * 0.35)
            text.textOut("Nihil")
            text.setFont(REGULAR, BODY_SIZE)
            rules += [(left, y, left, bottom), (right, y, right, bottom)]
        else:
            for column, (lines, x0) in enumerate(zip(block.cells, edges, strict=False)):
                baseline = y - PAD_Y - BODY_SIZE * 0.93
                for content in lines:
                    if column == 0:  # NO, right-aligned
                        width = pdfmetrics.stringWidth(content, REGULAR, BODY_SIZE)
                        text.setTextOrigin(edges[1] - PAD_X - width, baseline)
                    else:
                        text.setTextOrigin(x0 + PAD_X, baseline)
                    text.textOut(content)
                    baseline -= line
            rules += [(x, y, x, bottom) for x in edges]
        rules.append((left, bottom, right, bottom))
        y = bottom
    rules += [(x, top, x, top - page.header.height) for x in edges]
    canvas.drawText(text)
    canvas.setLineWidth(BORDER)
    canvas.lines(rules)
