"""Render a PDF's pages to plain RGB pixels, so the window can preview and print
the very PDF that is saved: the PDF is the single source of layout."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium


class PdfRenderError(Exception):
    """A PDF that cannot be read, with a message for a person."""


@dataclass(frozen=True)
class RenderedPage:
    width: int
    height: int
    stride: int  # bytes per row
    rgb: bytes


def page_count(path: Path) -> int:
    with _open(path) as pdf:
        return len(pdf)


def render_pages(path: Path, dpi: float) -> Iterator[RenderedPage]:
    """Each page at `dpi`, one at a time so a long report never sits in memory whole."""
    scale = dpi / 72
    with _open(path) as pdf:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                bitmap = page.render(scale=scale, rev_byteorder=True)
                try:
                    yield RenderedPage(
                        bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)
                    )
                finally:
                    bitmap.close()
            finally:
                page.close()


class _open:  # noqa: N801 - used as a context manager
    def __init__(self, path: Path) -> None:
        try:
            self._pdf = pdfium.PdfDocument(str(path))
        except (pdfium.PdfiumError, OSError) as exc:
            detail = str(exc).rstrip(".")
            raise PdfRenderError(f"{path.name} cannot be shown: {detail}.") from None

    def __enter__(self) -> pdfium.PdfDocument:
        return self._pdf

    def __exit__(self, *_exc: object) -> None:
        self._pdf.close()
