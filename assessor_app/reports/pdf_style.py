"""The look every printed report shares: A4 pages with the provider's name (and
logo) at the top, "Page N of M" and the date at the foot, paragraph and table
styles, RAG colours, and the one safe way to put a person's text on the page.

Only reportlab's built-in Helvetica is used, so nothing is downloaded or looked
up; it covers Western European text (WinAnsi), which is what the records hold.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from assessor_app.domain.dates import format_date

DEFAULT_PROVIDER = "Training provider"

MARGIN = 16 * mm
HEADER_HEIGHT = 14 * mm
FOOTER_HEIGHT = 10 * mm

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#dde3ea")
ZEBRA_FILL = colors.HexColor("#f4f6f8")
GRID = colors.HexColor("#b8c0c8")

# Fills light enough to print in greyscale with black text on them; the word is
# always printed too, so the colour is never the only signal.
RAG_COLOURS = {
    "red": colors.HexColor("#f4b6b0"),
    "amber": colors.HexColor("#fbd89a"),
    "green": colors.HexColor("#bfe3c0"),
}
RAG_WORDS = {"red": "RED", "amber": "AMBER", "green": "GREEN"}

BASE = "Helvetica"
BOLD = "Helvetica-Bold"


def _style(name: str, **values: Any) -> ParagraphStyle:
    settings: dict[str, Any] = {"fontName": BASE, "fontSize": 9.5, "leading": 12.5}
    settings["textColor"] = INK
    settings.update(values)
    return ParagraphStyle(name, **settings)


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    header_cell: ParagraphStyle
    label: ParagraphStyle


STYLES = Styles(
    title=_style("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=2),
    subtitle=_style("subtitle", fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=6),
    heading=_style("heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
    body=_style("body", spaceAfter=3),
    small=_style("small", fontSize=8, leading=10, textColor=MUTED),
    cell=_style("cell", fontSize=8.5, leading=10.5),
    cell_bold=_style("cell_bold", fontName=BOLD, fontSize=8.5, leading=10.5),
    cell_right=_style("cell_right", fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
    header_cell=_style("header_cell", fontName=BOLD, fontSize=8.5, leading=10.5),
    label=_style("label", fontName=BOLD, fontSize=9, leading=12, textColor=MUTED),
)


def escape(text: object) -> str:
    """A person's text as Paragraph markup that prints exactly as typed: '<b>' and
    '&' appear literally, and line breaks are kept."""
    escaped = _xml_escape(str(text), {'"': "&quot;"})
    return escaped.replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of a person's (or our own) plain text, escaped."""
    return Paragraph(escape(text), style or STYLES.body)


def markup(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of our own markup; anything a person typed must go through escape()."""
    return Paragraph(text, style or STYLES.body)


def hours_text(value: Decimal | None) -> str:
    """Hours to one decimal place at most: '129', '7.5'."""
    if value is None:
        return "–"
    rounded = value.quantize(Decimal("0.1"))
    return f"{rounded:f}".removesuffix(".0")


def date_text(day: date | None, missing: str = "–") -> str:
    return format_date(day) if day is not None else missing


def heading(text: str) -> Paragraph:
    return para(text, STYLES.heading)


def cell(text: object, *, bold: bool = False, right: bool = False) -> Paragraph:
    style = STYLES.cell_bold if bold else STYLES.cell_right if right else STYLES.cell
    return para(text, style)


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A ruled table whose header repeats on every page it runs onto. Plain strings
    in `rows` are escaped and wrapped, a list stacks its items in one cell, and
    flowables are used as they are."""
    body = [[_as_cell(value) for value in row] for row in rows]
    data = [[para(h, STYLES.header_cell) for h in header], *body]
    table = Table(data, colWidths=list(widths), repeatRows=1, splitByRow=True, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for index in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, index), (-1, index), ZEBRA_FILL))
    commands.extend(extra)
    table.setStyle(TableStyle(commands))
    return table


def _as_cell(value: Any) -> Any:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, list | tuple):
        return [_as_cell(part) for part in value]
    if isinstance(value, date):
        return cell(format_date(value))
    return cell("" if value is None else value)


def details_table(pairs: Sequence[tuple[str, object]], widths: tuple[float, float]) -> Table:
    """Label and value pairs, two columns, no rules: for identity blocks."""
    data = [[para(label, STYLES.label), para(value)] for label, value in pairs]
    table = Table(data, colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def rag_fill(colour: str) -> colors.Color:
    return RAG_COLOURS.get(colour, colors.white)


def rag_cell_style(colour: str, column: int, row: int) -> tuple[Any, ...]:
    """A TableStyle command colouring one cell with a RAG fill."""
    return ("BACKGROUND", (column, row), (column, row), rag_fill(colour))


def rag_badge(colour: str, width: float = 22 * mm) -> Table:
    """The RAG word in bold on its colour, as a small box."""
    badge = Table([[para(RAG_WORDS.get(colour, colour.upper()), STYLES.cell_bold)]], [width])
    badge.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), rag_fill(colour)),
                ("BOX", (0, 0), (-1, -1), 0.6, INK),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    return badge


def signature_block(labels: Sequence[str], width: float) -> KeepTogether:
    """A line to sign and a line for the date for each person, kept on one page."""
    rows: list[list[Any]] = []
    for label in labels:
        rows.append([para(label, STYLES.label), "", para("Date", STYLES.label), ""])
        rows.append(["", "", "", ""])
    name_w = 38 * mm
    date_label_w = 12 * mm
    date_w = 35 * mm
    sign_w = width - name_w - date_label_w - date_w
    table = Table(
        rows, colWidths=[name_w, sign_w, date_label_w, date_w], rowHeights=[16, 10] * len(labels)
    )
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "BOTTOM")]
    for index in range(len(labels)):
        row = index * 2
        commands.append(("LINEBELOW", (1, row), (1, row), 0.6, INK))
        commands.append(("LINEBELOW", (3, row), (3, row), 0.6, INK))
    table.setStyle(TableStyle(commands))
    return KeepTogether([Spacer(1, 4 * mm), table])


@dataclass(frozen=True)
class Page:
    """What a report's page template needs to know."""

    title: str
    provider: str = DEFAULT_PROVIDER
    logo: Path | None = None
    generated: date | None = None
    wide: bool = False  # landscape

    @property
    def size(self) -> tuple[float, float]:
        width, height = landscape(A4) if self.wide else A4
        return float(width), float(height)

    @property
    def frame_width(self) -> float:
        return float(self.size[0] - 2 * MARGIN)


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
    """Holds every page until the end, so each footer can say "Page N of M"."""

    page_info: Page

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            _draw_furniture(self, self.page_info, self._pageNumber, total)
            super().showPage()
        super().save()


def _draw_furniture(canvas: Canvas, page: Page, number: int, total: int) -> None:
    width, height = page.size
    top = height - MARGIN + 4 * mm
    canvas.saveState()
    text_left = MARGIN
    if page.logo is not None:
        with contextlib.suppress(Exception):  # an unreadable logo is left out, never fatal
            canvas.drawImage(
                str(page.logo),
                MARGIN,
                top - 10 * mm,
                width=24 * mm,
                height=10 * mm,
                preserveAspectRatio=True,
                anchor="w",
                mask="auto",
            )
            text_left = MARGIN + 27 * mm
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 10.5)
    canvas.drawString(text_left, top - 4 * mm, _fit(canvas, page.provider, BOLD, 10.5, width / 2))
    canvas.setFont(BASE, 9)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(
        width - MARGIN, top - 4 * mm, _fit(canvas, page.title, BASE, 9, width / 2 - 30 * mm)
    )
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - 11 * mm, width - MARGIN, top - 11 * mm)
    foot = MARGIN - 6 * mm
    canvas.line(MARGIN, foot + 4 * mm, width - MARGIN, foot + 4 * mm)
    canvas.setFont(BASE, 8.5)
    generated = page.generated or date.today()
    canvas.drawString(MARGIN, foot, f"Generated {format_date(generated)}")
    canvas.drawRightString(width - MARGIN, foot, f"Page {number} of {total}")
    canvas.restoreState()


def _fit(canvas: Canvas, text: str, font: str, size: float, room: float) -> str:
    """`text` shortened with an ellipsis to fit `room` points (header text only)."""
    text = " ".join(text.split())
    if canvas.stringWidth(text, font, size) <= room:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def build_pdf(out: Path, page: Page, story: list[Flowable]) -> Path:
    """Lay the story out on `page`'s template and save it to `out`.

    The PDF is written to a temporary file beside `out` and renamed over it only
    once complete, so a failed or interrupted write never leaves half a PDF.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".part", dir=out.parent)
    os.close(handle)
    try:
        doc = BaseDocTemplate(
            temporary,
            pagesize=page.size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_HEIGHT - 4 * mm,
            bottomMargin=MARGIN + FOOTER_HEIGHT - 6 * mm,
            title=page.title,
            author=page.provider,
            creator="Assessor",
        )
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=page.size)])

        class _Canvas(_NumberedCanvas):
            page_info = page

        doc.build(story, canvasmaker=_Canvas)
        os.replace(temporary, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return out


STATUS_WORDS = {
    "active": "In learning",
    "break_in_learning": "Break in learning",
    "withdrawn": "Withdrawn",
    "transferred": "Transferred",
    "completed": "Completed",
}


def status_text(status: str, on: date | None = None) -> str:
    """'Withdrawn on 1 Feb 2026', 'In learning'."""
    word = STATUS_WORDS.get(status, status.replace("_", " ").capitalize())
    if on is not None and status != "active":
        return f"{word} on {format_date(on)}"
    return word


def words(code: str) -> str:
    """A stored code as words: 'witness_testimony' -> 'Witness testimony'."""
    return code.replace("_", " ").capitalize()
