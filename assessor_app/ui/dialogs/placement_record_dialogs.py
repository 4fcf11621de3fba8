"""Record what the host tells about one placement: the mentor (buddy) and line
manager they named, and at the end the handover/review meeting and the written
appraisal. Each form saves only if nobody else changed the placement since the
apprentice's page read it; otherwise it says who did and keeps what was typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.services.placements import record_placement_contacts, record_placement_outcome
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.dialogs.placement_dialog import describe_placement
from assessor_app.ui.qt import QLabel, QLineEdit, QPlainTextEdit, QWidget, tr
from assessor_app.ui.widgets.optional_date import OptionalDateEdit

if TYPE_CHECKING:
    from assessor_app.services.apprentice_queries import PlacementView
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


class PlacementRecordDialog(FormDialog):
    """A form about one placement, opened from the apprentice's page: the placement
    named at the top, then the fields a subclass adds in `add_fields()`."""

    title = ""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        person: str,
        placement: PlacementView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr(self.title), parent)
        self._db, self._actor, self.placement = db, actor, placement
        about = QLabel(
            describe_placement(
                person, placement.host, placement.setting, placement.start, placement.end
            )
        )
        about.setObjectName("placementAbout")
        about.setWordWrap(True)
        self.form.addRow(about)
        self.add_fields(placement)
        self.setMinimumWidth(520)

    def add_fields(self, placement: PlacementView) -> None:
        raise NotImplementedError


class ContactsDialog(PlacementRecordDialog):
    """The mentor (buddy) and line manager the host named for the placement."""

    title = "Placement contacts"

    def add_fields(self, placement: PlacementView) -> None:
        self.mentor_edit = QLineEdit(placement.mentor)
        self.mentor_edit.setObjectName("mentorName")
        self.mentor_edit.setPlaceholderText(tr("the buddy the host named"))
        self.manager_edit = QLineEdit(placement.line_manager)
        self.manager_edit.setObjectName("lineManagerName")
        self.manager_edit.setPlaceholderText(tr("optional"))
        self.add_field("mentor_name", tr("&Mentor:"), self.mentor_edit)
        self.add_field("line_manager_name", tr("&Line manager:"), self.manager_edit)

    def submit(self) -> int:
        return record_placement_contacts(
            self._db,
            self._actor,
            self.placement.id,
            mentor_name=self.mentor_edit.text(),
            line_manager_name=self.manager_edit.text(),
            expected_version=self.placement.version,
        )


class OutcomeDialog(PlacementRecordDialog):
    """The handover/review meeting and the written appraisal at the end of the
    placement; either may be recorded before the other."""

    title = "Placement outcome"

    def add_fields(self, placement: PlacementView) -> None:
        self.review_edit = OptionalDateEdit(placement.end, "reviewMeetingOn")
        self.review_edit.known_box.setText(tr("Held on:"))
        self.review_edit.set_value(placement.review_meeting_on)
        self.review_edit.setToolTip(tr("Tick Held on when the handover or review meeting is held."))
        self.appraisal_edit = OptionalDateEdit(placement.end, "appraisalReceivedOn")
        self.appraisal_edit.known_box.setText(tr("Received on:"))
        self.appraisal_edit.set_value(placement.appraisal_received_on)
        self.appraisal_edit.setToolTip(
            tr("Tick Received on when the host's written appraisal arrives.")
        )
        self.summary_edit = QPlainTextEdit(placement.appraisal_summary)
        self.summary_edit.setObjectName("appraisalSummary")
        self.summary_edit.setPlaceholderText(
            tr("What the appraisal says: strengths, and anything to work on")
        )
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setMinimumHeight(110)
        self.add_field("review_meeting_on", tr("&Review meeting:"), self.review_edit)
        self.add_field("appraisal_received_on", tr("&Appraisal:"), self.appraisal_edit)
        self.add_field("appraisal_summary", tr("&Summary:"), self.summary_edit)

    def submit(self) -> int:
        return record_placement_outcome(
            self._db,
            self._actor,
            self.placement.id,
            review_meeting_on=self.review_edit.value(),
            appraisal_received_on=self.appraisal_edit.value(),
            appraisal_summary=self.summary_edit.toPlainText(),
            expected_version=self.placement.version,
        )
