"""Treatments name the physician who referred the patient (CMS-1500 boxes 17 and 17b).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

The column is added through Alembic's batch mode so its foreign key is a named table
constraint like every other one (SQLite's ADD COLUMN can only write an inline REFERENCES,
which SQLAlchemy cannot read back by name). Batch mode copies the table and drops the old
one, and SQLite drops a table's triggers with it: the search-index triggers of migration
0002 for ``treatment`` are created again here, from a frozen copy of their SQL (a migration
never reads the live code, which changes later).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_INSERT = (
    "INSERT INTO search_index (record_type, record_id, title, body) "
    "SELECT 'treatment', new.id, coalesce(new.description, ''), "
    "coalesce(new.category, '') || ' ' || coalesce(new.body_site, '') || ' ' || "
    "coalesce(new.indication, '') || ' ' || coalesce(new.notes, '') "
    "WHERE new.deleted_at IS NULL;"
)
_DELETE = "DELETE FROM search_index WHERE record_type = 'treatment' AND record_id = old.id;"


def _search_triggers() -> None:
    for suffix in ("ai", "au", "ad"):
        op.execute(f"DROP TRIGGER IF EXISTS search_treatment_{suffix}")
    op.execute(f"CREATE TRIGGER search_treatment_ai AFTER INSERT ON treatment BEGIN {_INSERT} END")
    op.execute(
        f"CREATE TRIGGER search_treatment_au AFTER UPDATE ON treatment BEGIN {_DELETE} {_INSERT} END"
    )
    op.execute(f"CREATE TRIGGER search_treatment_ad AFTER DELETE ON treatment BEGIN {_DELETE} END")


def upgrade() -> None:
    with op.batch_alter_table("treatment", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("referring_provider_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_treatment_referring_provider_id_provider"), "provider",
            ["referring_provider_id"], ["id"], ondelete="RESTRICT",
        )
        batch_op.create_index(
            batch_op.f("ix_treatment_referring_provider_id"), ["referring_provider_id"],
            unique=False,
        )
    _search_triggers()


def downgrade() -> None:
    with op.batch_alter_table("treatment", recreate="always") as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_referring_provider_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_treatment_referring_provider_id_provider"), type_="foreignkey"
        )
        batch_op.drop_column("referring_provider_id")
    _search_triggers()
