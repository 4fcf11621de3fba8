"""The provider's settings, one number each, laid out from their declarations in
services/app_settings.py: a setting where 0 means "never" shows that word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.services.app_settings import SETTINGS, change_settings, get_settings
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.qt import QSpinBox, QWidget, tr

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


class SettingsDialog(FormDialog):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(tr("Provider settings"), parent)
        self._db, self._actor = db, actor
        self._saved = get_settings(db)
        self.spins: dict[str, QSpinBox] = {}
        for key, spec in SETTINGS.items():
            spin = QSpinBox()
            spin.setObjectName(f"setting_{key}")
            spin.setRange(spec.minimum, spec.maximum)
            if spec.zero_means and spec.minimum == 0:
                # QSpinBox shows this text in place of its lowest value.
                spin.setSpecialValueText(tr(spec.zero_means))
            spin.setValue(self._saved[key])
            spin.setToolTip(
                tr("0 ({zero}) or 1 to {maximum}; the default is {default}").format(
                    zero=tr(spec.zero_means).lower(), maximum=spec.maximum, default=spec.default
                )
                if spec.zero_means
                else tr("{minimum} to {maximum}; the default is {default}").format(
                    minimum=spec.minimum, maximum=spec.maximum, default=spec.default
                )
            )
            self.spins[key] = spin
            self.add_field(key, tr("{label}:").format(label=tr(spec.label)), spin)
        # One width for every box, so the numbers line up in a column.
        width = max(spin.sizeHint().width() for spin in self.spins.values()) + 16
        for spin in self.spins.values():
            spin.setFixedWidth(width)
        self.changed: list[str] = []
        self.setMinimumWidth(520)

    def submit(self) -> int:
        values = {key: spin.value() for key, spin in self.spins.items()}
        self.changed = change_settings(
            self._db,
            self._actor,
            {key: value for key, value in values.items() if value != self._saved[key]},
        )
        return len(self.changed)
