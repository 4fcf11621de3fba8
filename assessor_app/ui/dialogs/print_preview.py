"""Preview, print and save a report: the pages shown and printed are the saved
PDF's own pages, rendered, so what is printed is exactly what is filed."""

from __future__ import annotations

import shutil
from pathlib import Path

from assessor_app.reports.pdf_render import PdfRenderError, RenderedPage, render_pages
from assessor_app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QImage,
    QLabel,
    QMessageBox,
    QPainter,
    QPixmap,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

PREVIEW_DPI = 80


def to_image(page: RenderedPage) -> QImage:
    image = QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: the buffer goes away with the page


class PrintPreviewDialog(QDialog):
    def __init__(self, pdf: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.setWindowTitle(title)
        self.resize(760, 900)
        self.status = QLabel(tr("Preparing the preview…"))
        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(tr("Print…"))
        self.save_button = QPushButton(tr("Save as PDF…"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.save_as)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.page_labels: list[QLabel] = []
        run_task(self._render_preview, self._show_pages, self._show_error)

    def _render_preview(self) -> list[RenderedPage]:
        return list(render_pages(self.pdf, PREVIEW_DPI))

    def _show_pages(self, pages: list[RenderedPage]) -> None:
        for page in pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(to_image(page)))
            label.setFrameShape(QLabel.Shape.Box)
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self.status.setText(tr("{count} page(s)").format(count=len(pages)))

    def _show_error(self, exc: Exception) -> None:
        message = str(exc) if isinstance(exc, PdfRenderError) else tr("The report cannot be shown.")
        self.status.setText(message)
        self.print_button.setEnabled(False)

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Paint each page at the printer's resolution, scaled to the printable area;
        returns the number of pages sent."""
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, tr("Print"), tr("The printer could not be started."))
            return 0
        sent = 0
        try:
            dpi = min(printer.resolution(), 300)
            for page in render_pages(self.pdf, dpi):
                if sent:
                    printer.newPage()
                image = to_image(page)
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(area.x(), area.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(area)
                sent += 1
        except PdfRenderError as exc:
            QMessageBox.warning(self, tr("Print"), str(exc))
        finally:
            painter.end()
        return sent

    def save_as(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(
            self, tr("Save as PDF"), str(Path.home() / self.pdf.name), tr("PDF files (*.pdf)")
        )
        if not target:
            return
        try:
            shutil.copyfile(self.pdf, target)
        except OSError as exc:
            QMessageBox.warning(
                self,
                tr("Save as PDF"),
                tr("The report could not be saved to {path}: {reason}.").format(
                    path=target, reason=exc.strerror or exc
                ),
            )
