"""Full-text search index (SQLite FTS5) over every record's text, kept current by triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

One FTS5 table holds a row per record: its type, id, a title and the searchable text. The
triggers are generated from a frozen table -> columns list (a migration never reads the live
models, which change later).
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# table: (title expression, body columns)
INDEXED = {
    "person": ("name", ["address", "notes"]),
    "insurance_plan": ("insurer", ["plan_name", "member_id", "group_number", "phone", "notes"]),
    "account": ("administrator", ["kind", "account_number", "notes"]),
    "provider": ("name", ["credentials", "npi", "tax_id", "address", "phone", "notes"]),
    "treatment": ("description", ["category", "body_site", "indication", "notes"]),
    "good_faith_estimate": ("'Good Faith Estimate'", ["notes"]),
    "receipt": ("receipt_number", ["payment_method", "notes"]),
    "lab_result": ("test", ["value", "unit", "reference_range", "notes"]),
    "insurer_call": ("rep_name", ["reference_number", "questions", "answer", "outcome", "notes"]),
    "determination": ("reference_number", ["kind", "decision", "codes_covered", "notes"]),
    "medical_necessity_letter": ("physician_name", ["rationale", "treatment_and_frequency",
                                                    "expected_duration", "notes"]),
    "claim": ("destination", ["status", "notes"]),
    "financing_plan": ("lender", ["notes"]),
    "document": ("title", ["original_name", "kind", "notes"]),
}


def _title(title: str, ref: str) -> str:
    return title if title.startswith("'") else f"coalesce({ref}.{title}, '')"


def _body(columns: list[str], ref: str) -> str:
    return " || ' ' || ".join(f"coalesce({ref}.{c}, '')" for c in columns)


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "record_type UNINDEXED, record_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for table, (title, columns) in INDEXED.items():
        insert = (
            f"INSERT INTO search_index (record_type, record_id, title, body) "
            f"SELECT '{table}', new.id, {_title(title, 'new')}, {_body(columns, 'new')} "
            f"WHERE new.deleted_at IS NULL;"
        )
        delete = f"DELETE FROM search_index WHERE record_type = '{table}' AND record_id = old.id;"
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert} END")
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END"
        )
        op.execute(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete} END")
        # Records already present (a database upgraded from 0001) are indexed once here.
        op.execute(
            f"INSERT INTO search_index (record_type, record_id, title, body) "
            f"SELECT '{table}', id, {_title(title, table)}, {_body(columns, table)} "
            f"FROM {table} WHERE deleted_at IS NULL"
        )
    # Diagnosis codes are searchable through their treatment.
    op.execute(
        "CREATE TRIGGER search_diagnosis_ai AFTER INSERT ON diagnosis_code BEGIN "
        "INSERT INTO search_index (record_type, record_id, title, body) "
        "VALUES ('diagnosis_code', new.treatment_id, new.code, new.code || ' ' || new.description); END"
    )
    op.execute(
        "CREATE TRIGGER search_diagnosis_ad AFTER DELETE ON diagnosis_code BEGIN "
        "DELETE FROM search_index WHERE record_type = 'diagnosis_code' "
        "AND record_id = old.treatment_id AND title = old.code; END"
    )
    op.execute(
        "INSERT INTO search_index (record_type, record_id, title, body) "
        "SELECT 'diagnosis_code', treatment_id, code, code || ' ' || description FROM diagnosis_code"
    )


def downgrade() -> None:
    for table in INDEXED:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TRIGGER IF EXISTS search_diagnosis_ai")
    op.execute("DROP TRIGGER IF EXISTS search_diagnosis_ad")
    op.execute("DROP TABLE IF EXISTS search_index")
