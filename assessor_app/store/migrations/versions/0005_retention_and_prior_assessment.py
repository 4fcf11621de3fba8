"""retention, legal hold, restricted processing and prior assessment

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("apprentice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("legal_hold", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("legal_hold_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "processing_restricted", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("restricted_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("restriction_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("erased_on", sa.Date(), nullable=True))
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prior_provider", sa.String(length=200), server_default="", nullable=False)
        )
    with op.batch_alter_table("unit_sign_off", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prior_provider", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("imported_on", sa.Date(), nullable=True))
    op.create_table(
        "prior_placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("apprentice_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("setting", sa.String(length=200), nullable=False),
        sa.Column("setting_type", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("mentor_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["apprentice_id"],
            ["apprentice.id"],
            name=op.f("fk_prior_placement_apprentice_id_apprentice"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prior_placement")),
    )
    with op.batch_alter_table("prior_placement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_prior_placement_apprentice_id"), ["apprentice_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("prior_placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prior_placement_apprentice_id"))
    op.drop_table("prior_placement")
    with op.batch_alter_table("unit_sign_off", schema=None) as batch_op:
        batch_op.drop_column("imported_on")
        batch_op.drop_column("prior_provider")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("prior_provider")
    with op.batch_alter_table("apprentice", schema=None) as batch_op:
        batch_op.drop_column("erased_on")
        batch_op.drop_column("restriction_reason")
        batch_op.drop_column("restricted_on")
        batch_op.drop_column("processing_restricted")
        batch_op.drop_column("legal_hold_reason")
        batch_op.drop_column("legal_hold")
