"""The one module that imports the Qt binding; the rest of the UI imports from here.

Switching binding or Qt version then touches this file only. `tr()` is here too,
so every user-visible string can be translated later.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import PySide6
from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QRunnable,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

# A model index as the proxy and the views hand it to models.
AnyIndex = QModelIndex | QPersistentModelIndex

TRANSLATION_CONTEXT = "Assessor"


def tr(text: str, context: str = TRANSLATION_CONTEXT) -> str:
    """The text in the user's language (English until a translation is installed).

    Fill placeholders with str.format after translating, so a translator sees
    the whole sentence: tr("{count} units").format(count=n).
    """
    return QCoreApplication.translate(context, text)


@contextmanager
def filter_changing(proxy: QSortFilterProxyModel) -> Iterator[None]:
    """Wrap a change to a proxy's row filter so the view refilters once.

    Qt 6.9 added begin/endFilterChange and deprecated invalidateFilter; keep the
    older call for the Qt 6.6 the project still supports.
    """
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        yield
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
    else:
        yield
        proxy.invalidateFilter()


def qt_versions() -> str:
    return f"Qt {qVersion()}, PySide {PySide6.__version__}"


__all__ = [
    "AnyIndex",
    "QAbstractItemView",
    "QAbstractTableModel",
    "QAction",
    "QApplication",
    "QBrush",
    "QByteArray",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QCoreApplication",
    "QDialog",
    "QDialogButtonBox",
    "QFileDialog",
    "QFont",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QImage",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QMainWindow",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPaintEvent",
    "QPainter",
    "QPen",
    "QPersistentModelIndex",
    "QPixmap",
    "QPlainTextEdit",
    "QPrintDialog",
    "QPrinter",
    "QProgressBar",
    "QPushButton",
    "QRectF",
    "QRunnable",
    "QScrollArea",
    "QSettings",
    "QSize",
    "QSizePolicy",
    "QSortFilterProxyModel",
    "QStackedWidget",
    "QTabWidget",
    "QTableView",
    "QThreadPool",
    "QTimer",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
    "filter_changing",
    "qVersion",
    "qt_versions",
    "tr",
]
