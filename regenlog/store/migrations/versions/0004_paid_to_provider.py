"""Claims and EOBs record what the payer paid the provider directly.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Plain ``ADD COLUMN`` (no foreign key, so no batch copy): SQLite keeps the tables, and with
them the search-index triggers of migration 0002 on ``claim`` and ``determination``. A batch
copy would drop those triggers (see 0003). A claim's amount is 0 when nothing was paid to
the provider; an EOB's is null when the EOB does not say, like its other amounts.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claim", sa.Column(
        "amount_paid_to_provider_cents", sa.Integer(), nullable=False, server_default="0",
    ))
    op.add_column("determination", sa.Column(
        "amount_paid_to_provider_cents", sa.Integer(), nullable=True,
    ))


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place when nothing (index, key, trigger) names it.
    op.drop_column("determination", "amount_paid_to_provider_cents")
    op.drop_column("claim", "amount_paid_to_provider_cents")
