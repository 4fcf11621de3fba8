"""Lock the window after a spell without input, as training-room PCs are shared.

An application-wide event filter restarts a timer on every key press, click,
wheel turn or mouse move. When it runs out, a cover is laid over the main
window and over any dialog that is open: the data underneath is hidden, but
every widget keeps its state, so nothing typed is lost. Only the signed-in
person's password lifts the cover; "Switch user" signs them out instead, after
a warning that whatever they had not saved is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from assessor_app.services import users
from assessor_app.services.errors import ServiceError
from assessor_app.ui.qt import (
    QApplication,
    QEvent,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database

log = logging.getLogger(__name__)

# Input that shows someone is at the PC.
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
# Input that must not reach the data while it is covered.
_BLOCKED_WHEN_LOCKED = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.Shortcut,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
    }
)


class LockCover(QFrame):
    """An opaque panel over one window; the one that takes input has the password form."""

    def __init__(self, host: QWidget, *, with_form: bool) -> None:
        super().__init__(host)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.password_edit: QLineEdit | None = None
        self.unlock_button: QPushButton | None = None
        self.switch_button: QPushButton | None = None
        self.message_label = QLabel()
        self.message_label.setObjectName("lockMessage")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        heading = QLabel(tr("Assessor is locked"))
        heading.setObjectName("lockHeading")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who_label = QLabel()
        self.who_label.setObjectName("lockWho")
        self.who_label.setWordWrap(True)
        self.who_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who_label.setMinimumWidth(self.who_label.fontMetrics().averageCharWidth() * 60)

        panel = QVBoxLayout()
        panel.addWidget(heading)
        panel.addWidget(self.who_label)
        if with_form:
            self.password_edit = QLineEdit()
            self.password_edit.setObjectName("lockPassword")
            self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.password_edit.setPlaceholderText(tr("Your password"))
            self.password_edit.setMinimumWidth(260)
            self.unlock_button = QPushButton(tr("&Unlock"))
            self.unlock_button.setObjectName("unlockButton")
            self.unlock_button.setDefault(True)
            self.switch_button = QPushButton(tr("S&witch user…"))
            self.switch_button.setObjectName("switchUserButton")
            self.switch_button.setToolTip(
                tr("Sign out and let someone else sign in; anything not saved is lost.")
            )
            self.password_edit.returnPressed.connect(self.unlock_button.click)
            buttons = QHBoxLayout()
            buttons.addStretch(1)
            buttons.addWidget(self.switch_button)
            buttons.addWidget(self.unlock_button)
            panel.addSpacing(8)
            panel.addWidget(self.password_edit)
            panel.addWidget(self.message_label)
            panel.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(panel)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))


class InactivityLock(QObject):
    """Watches for input and covers `window` (and its dialogs) when there is none."""

    def __init__(
        self,
        window: QWidget,
        db: Database,
        actor: Callable[[], Actor | None],
        describe: Callable[[Actor], str],
        switch_user: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self._actor = actor
        self._describe = describe
        self._switch_user = switch_user
        self._covers: list[LockCover] = []
        self._form: LockCover | None = None
        self._busy = False
        self._refocus: QWidget | None = None
        self._minutes = 0
        self._closed = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.destroyed.connect(self._detach)

    @property
    def locked(self) -> bool:
        return bool(self._covers)

    @property
    def form(self) -> LockCover | None:
        return self._form

    def set_minutes(self, minutes: int) -> None:
        """Lock after this many minutes without input; 0 never locks."""
        self._minutes = minutes
        self.restart()

    def close(self) -> None:
        """The window has closed: stop counting and stop watching input, so a window
        kept in memory never locks (or reads its database) again."""
        self._closed = True
        self.timer.stop()
        self._detach()

    def restart(self) -> None:
        minutes = self._minutes
        if minutes > 0 and self._actor() is not None and not self.locked and not self._closed:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def _detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if self._covers:
            return kind in _BLOCKED_WHEN_LOCKED and self._covered(watched)
        if kind in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def _covered(self, watched: QObject) -> bool:
        """Input meant for the hidden data: a widget under a cover (not the form), or
        a menu action's shortcut. A window opened after locking (the switch-user
        question) is left alone."""
        if not isinstance(watched, QWidget):
            return watched.inherits("QAction")
        form = self._form
        if form is not None and (watched is form or form.isAncestorOf(watched)):
            return False
        return any(watched.window() is cover.parentWidget() for cover in self._covers)

    def lock(self) -> None:
        actor = self._actor()
        if actor is None or self.locked or self._closed:
            return
        log.info("window locked after inactivity (%s)", actor.username)
        focus = QApplication.focusWidget()
        self._refocus = focus
        # The password is typed where input can go: an open modal dialog, or the window.
        modal = QApplication.activeModalWidget()
        takes_input = modal if modal is not None else self._window
        hosts = [self._window] + [
            w
            for w in QApplication.topLevelWidgets()
            if w is not self._window and w.isVisible() and w.isWindow()
        ]
        for host in hosts:
            cover = LockCover(host, with_form=host is takes_input)
            cover.who_label.setText(
                tr("Signed in: {who}. Type your password to carry on where you left off.").format(
                    who=self._describe(actor)
                )
            )
            cover.show()
            self._covers.append(cover)
            if host is takes_input:
                self._form = cover
        if self._form is not None:
            assert self._form.unlock_button is not None and self._form.switch_button is not None
            self._form.unlock_button.clicked.connect(self.try_unlock)
            self._form.switch_button.clicked.connect(self.switch_user)
            assert self._form.password_edit is not None
            self._form.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.timer.stop()

    def try_unlock(self) -> None:
        actor = self._actor()
        form = self._form
        if form is None or form.password_edit is None or actor is None or self._busy:
            return
        password = form.password_edit.text()
        if not password:
            form.show_message(tr("Type your password to unlock."))
            return
        db = self._db
        self._set_busy(True)

        def done(signed_in: Actor) -> None:
            self._set_busy(False)
            if signed_in.user_id != actor.user_id:
                self._refused(tr("That is not the signed-in account."))
                return
            self.unlock()

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            if not isinstance(exc, ServiceError):
                raise exc
            self._refused(str(exc))

        run_task(lambda: users.sign_in(db, actor.username, password), done, failed, owner=self)

    def _refused(self, message: str) -> None:
        form = self._form
        if form is None or form.password_edit is None:
            return
        form.show_message(message)
        form.password_edit.clear()
        form.password_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        form = self._form
        if form is not None and form.unlock_button is not None:
            form.unlock_button.setEnabled(not busy)

    def unlock(self) -> None:
        for cover in self._covers:
            cover.parentWidget().removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self._covers = []
        self._form = None
        if self._refocus is not None:
            self._refocus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._refocus = None
        self.restart()

    def switch_user(self) -> None:
        """Sign out for someone else, once the signed-in person's unsaved input is given up."""
        actor = self._actor()
        who = self._describe(actor) if actor is not None else ""
        answer = QMessageBox.question(
            self._form or self._window,
            tr("Switch user"),
            tr(
                "Sign out {who}? Anything they have typed but not saved will be lost, "
                "and any open dialog closes."
            ).format(who=who),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        open_dialogs = [
            c.parentWidget() for c in self._covers if c.parentWidget() is not self._window
        ]
        self.unlock()
        for dialog in open_dialogs:
            dialog.close()
        self._switch_user()
