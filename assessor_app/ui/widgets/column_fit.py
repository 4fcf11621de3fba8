"""Table columns sized to their contents only once their page is on screen."""

from __future__ import annotations

from collections.abc import Mapping

from assessor_app.ui.qt import QEvent, QHeaderView, QObject, QTableView, QWidget


def fit_columns(view: QTableView, widest: Mapping[int, int]) -> None:
    """Size the view's columns to their contents, none wider than `widest`
    (column: pixels)."""
    view.resizeColumnsToContents()
    for column, most in widest.items():
        view.setColumnWidth(column, min(view.columnWidth(column), most))
    # Stretching was worked out for the old widths: set it again so the stretching
    # columns take up what the others now leave.
    header = view.horizontalHeader()
    stretching = [
        column
        for column in range(header.count())
        if header.sectionResizeMode(column) is QHeaderView.ResizeMode.Stretch
    ]
    for column in stretching:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    if header.stretchLastSection():
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)


class ColumnFitter(QObject):
    """Sizes a page's tables at once while the page is on screen, and otherwise when
    it is next shown. Measuring reads every cell through the model, and most pages and
    tabs built at start or on opening an apprentice are never looked at."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self._page = page
        self._waiting: dict[QTableView, Mapping[int, int]] = {}
        page.installEventFilter(self)

    def fit(self, view: QTableView, widest: Mapping[int, int] | None = None) -> None:
        if self._page.isVisible():
            fit_columns(view, widest or {})
        else:
            self._waiting[view] = widest or {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._page and event.type() == QEvent.Type.Show and self._waiting:
            waiting, self._waiting = self._waiting, {}
            for view, widest in waiting.items():
                fit_columns(view, widest)
        return False
