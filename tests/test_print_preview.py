"""Preview and print show the saved PDF's own pages."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from assessor_app.ui.dialogs.print_preview import PrintPreviewDialog
from assessor_app.ui.qt import QFileDialog, QPrinter

pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "progress.pdf"
    pdf = canvas.Canvas(str(path))
    for number in (1, 2, 3):
        pdf.drawString(72, 760, f"Progress report page {number}")
        pdf.showPage()
    pdf.save()
    return path


def test_the_preview_shows_every_page(qtbot, report):
    dialog = PrintPreviewDialog(report, "Progress report")
    qtbot.addWidget(dialog)
    assert len(dialog.page_labels) == 3
    assert dialog.status.text() == "3 page(s)"
    pixmap = dialog.page_labels[0].pixmap()
    assert pixmap.width() < pixmap.height()  # A4 portrait


def test_printing_sends_every_page(qtbot, report, tmp_path):
    dialog = PrintPreviewDialog(report, "Progress report")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert dialog.print_to(printer) == 3
    assert len(PdfReader(printed).pages) == 3


def test_save_as_writes_the_same_pdf(qtbot, report, tmp_path, monkeypatch):
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = PrintPreviewDialog(report, "Progress report")
    qtbot.addWidget(dialog)
    dialog.save_as()
    assert target.read_bytes() == report.read_bytes()


def test_an_unreadable_pdf_says_so_and_cannot_be_printed(qtbot, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    dialog = PrintPreviewDialog(broken, "Progress report")
    qtbot.addWidget(dialog)
    assert "broken.pdf cannot be shown" in dialog.status.text()
    assert not dialog.print_button.isEnabled()
