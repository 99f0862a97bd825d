"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(), nullable=False),
        sa.Column("content_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "receipt",
                "card_statement",
                "imaging_report",
                "lab_report",
                "medical_necessity_letter",
                "preauthorization",
                "determination",
                "eob",
                "denial",
                "good_faith_estimate",
                "clinical_note",
                "correspondence",
                "other",
                name="documentkind",
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_sha256"), ["sha256"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_deleted_at"), ["deleted_at"], unique=False)

    op.create_table(
        "provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("credentials", sa.String(), nullable=False),
        sa.Column("is_organization", sa.Boolean(), nullable=False),
        sa.Column("npi", sa.String(), nullable=False),
        sa.Column("tax_id", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("place_of_service", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider")),
    )
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provider_deleted_at"), ["deleted_at"], unique=False)

    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("hsa", "fsa", name="accountkind"), nullable=False),
        sa.Column("administrator", sa.String(), nullable=False),
        sa.Column("account_number", sa.String(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("plan_year_start", sa.Date(), nullable=True),
        sa.Column("plan_year_end", sa.Date(), nullable=True),
        sa.Column(
            "extension",
            sa.Enum("none", "grace_period", "run_out", "carryover", name="fsaextension"),
            nullable=False,
        ),
        sa.Column("grace_period_end", sa.Date(), nullable=True),
        sa.Column("run_out_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_account_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_person_id"), ["person_id"], unique=False)

    op.create_table(
        "document_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_link_document_id_document"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_link")),
        sa.UniqueConstraint(
            "document_id", "record_type", "record_id", name=op.f("uq_document_link_document_id")
        ),
    )
    with op.batch_alter_table("document_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_link_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_link_record_id"), ["record_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_document_link_record_type"), ["record_type"], unique=False
        )

    op.create_table(
        "insurance_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("insurer", sa.String(), nullable=False),
        sa.Column("plan_name", sa.String(), nullable=False),
        sa.Column(
            "plan_type",
            sa.Enum("commercial", "medicare", "medicaid", "tricare", name="plantype"),
            nullable=False,
        ),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("group_number", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("claims_address", sa.String(), nullable=False),
        sa.Column("filing_limit_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_insurance_plan_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_plan")),
    )
    with op.batch_alter_table("insurance_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insurance_plan_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_insurance_plan_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "medical_necessity_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("physician_name", sa.String(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("rationale", sa.String(), nullable=False),
        sa.Column("treatment_and_frequency", sa.String(), nullable=False),
        sa.Column("expected_duration", sa.String(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_medical_necessity_letter_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_medical_necessity_letter_provider_id_provider"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_necessity_letter")),
    )
    with op.batch_alter_table("medical_necessity_letter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medical_necessity_letter_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_medical_necessity_letter_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_medical_necessity_letter_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "letter_diagnosis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["medical_necessity_letter.id"],
            name=op.f("fk_letter_diagnosis_letter_id_medical_necessity_letter"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_diagnosis")),
        sa.UniqueConstraint("letter_id", "position", name=op.f("uq_letter_diagnosis_letter_id")),
    )
    with op.batch_alter_table("letter_diagnosis", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_diagnosis_letter_id"), ["letter_id"], unique=False
        )

    op.create_table(
        "treatment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "stem_cell_bone_marrow",
                "stem_cell_adipose",
                "prp",
                "iv_therapy",
                "consultation",
                "imaging",
                "follow_up",
                "other",
                name="category",
            ),
            nullable=False,
        ),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("body_site", sa.String(), nullable=False),
        sa.Column(
            "side", sa.Enum("none", "left", "right", "bilateral", name="side"), nullable=False
        ),
        sa.Column("indication", sa.String(), nullable=False),
        sa.Column(
            "regulatory_note",
            sa.Enum("none", "hctp_361", "bla_approved", "rmat", name="regulatorynote"),
            nullable=False,
        ),
        sa.Column("paid_by_patient", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_treatment_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["insurance_plan.id"],
            name=op.f("fk_treatment_plan_id_insurance_plan"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_treatment_provider_id_provider"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment")),
    )
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_treatment_date_of_service"), ["date_of_service"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_treatment_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_treatment_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_treatment_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_treatment_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "diagnosis_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_diagnosis_code_treatment_id_treatment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnosis_code")),
        sa.UniqueConstraint(
            "treatment_id", "position", name=op.f("uq_diagnosis_code_treatment_id")
        ),
    )
    with op.batch_alter_table("diagnosis_code", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_diagnosis_code_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "financing_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.Integer(), nullable=True),
        sa.Column("lender", sa.String(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("purchase_date", sa.Date(), nullable=False),
        sa.Column("promo_months", sa.Integer(), nullable=False),
        sa.Column("promo_end", sa.Date(), nullable=True),
        sa.Column("promo_apr_bp", sa.Integer(), nullable=False),
        sa.Column("standard_apr_bp", sa.Integer(), nullable=False),
        sa.Column("deferred_interest", sa.Boolean(), nullable=False),
        sa.Column("minimum_payment_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_financing_plan_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_financing_plan_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_plan")),
    )
    with op.batch_alter_table("financing_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_financing_plan_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_financing_plan_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_financing_plan_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "good_faith_estimate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("treatment_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_good_faith_estimate_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_good_faith_estimate_provider_id_provider"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_good_faith_estimate_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_good_faith_estimate")),
    )
    with op.batch_alter_table("good_faith_estimate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_good_faith_estimate_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_good_faith_estimate_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_good_faith_estimate_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_good_faith_estimate_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "insurer_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("treatment_id", sa.Integer(), nullable=True),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rep_name", sa.String(), nullable=False),
        sa.Column("reference_number", sa.String(), nullable=False),
        sa.Column("questions", sa.String(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "covered",
                "not_covered",
                "not_currently_denied",
                "preauth_required",
                "unknown",
                name="calloutcome",
            ),
            nullable=False,
        ),
        sa.Column(
            "written_confirmation",
            sa.Enum("none", "requested", "received", name="writtenconfirmation"),
            nullable=False,
        ),
        sa.Column("confirmation_requested_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_insurer_call_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["insurance_plan.id"],
            name=op.f("fk_insurer_call_plan_id_insurance_plan"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_insurer_call_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurer_call")),
    )
    with op.batch_alter_table("insurer_call", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insurer_call_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_insurer_call_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_insurer_call_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_insurer_call_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "lab_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.Integer(), nullable=True),
        sa.Column("test", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("reference_range", sa.String(), nullable=False),
        sa.Column("collected_on", sa.Date(), nullable=False),
        sa.Column("abnormal", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_lab_result_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_lab_result_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_result")),
    )
    with op.batch_alter_table("lab_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lab_result_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_lab_result_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lab_result_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "letter_treatment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["medical_necessity_letter.id"],
            name=op.f("fk_letter_treatment_letter_id_medical_necessity_letter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_letter_treatment_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_treatment")),
        sa.UniqueConstraint(
            "letter_id", "treatment_id", name=op.f("uq_letter_treatment_letter_id")
        ),
    )
    with op.batch_alter_table("letter_treatment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_treatment_letter_id"), ["letter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_letter_treatment_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "procedure_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("modifiers", sa.String(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("charge_cents", sa.Integer(), nullable=False),
        sa.Column("pointers", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_procedure_line_treatment_id_treatment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_line")),
        sa.UniqueConstraint(
            "treatment_id", "position", name=op.f("uq_procedure_line_treatment_id")
        ),
    )
    with op.batch_alter_table("procedure_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procedure_line_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column(
            "payment_method",
            sa.Enum("cash", "card", "hsa_card", "fsa_card", "financing", name="paymentmethod"),
            nullable=False,
        ),
        sa.Column("receipt_number", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_receipt_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt")),
    )
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_treatment_id"), ["treatment_id"], unique=False)

    op.create_table(
        "determination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("treatment_id", sa.Integer(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "coverage_determination",
                "preauthorization",
                "denial",
                "eob",
                "appeal_decision",
                "call_summary",
                name="determinationkind",
            ),
            nullable=False,
        ),
        sa.Column(
            "decision",
            sa.Enum("approved", "denied", "partial", "pending", "informational", name="decision"),
            nullable=False,
        ),
        sa.Column("reference_number", sa.String(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("codes_covered", sa.String(), nullable=False),
        sa.Column("is_final", sa.Boolean(), nullable=False),
        sa.Column("amount_allowed_cents", sa.Integer(), nullable=True),
        sa.Column("amount_paid_cents", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["insurer_call.id"],
            name=op.f("fk_determination_call_id_insurer_call"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_determination_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["insurance_plan.id"],
            name=op.f("fk_determination_plan_id_insurance_plan"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_determination_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_determination")),
    )
    with op.batch_alter_table("determination", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_determination_call_id"), ["call_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_determination_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_determination_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_determination_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_determination_treatment_id"), ["treatment_id"], unique=False
        )

    op.create_table(
        "financing_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["financing_plan.id"],
            name=op.f("fk_financing_payment_plan_id_financing_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_payment")),
    )
    with op.batch_alter_table("financing_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_financing_payment_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "receipt_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "consultation",
                "lab_processing",
                "procedure",
                "imaging_guidance",
                "follow_up",
                "other",
                name="receiptlinekind",
            ),
            nullable=False,
        ),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["receipt.id"],
            name=op.f("fk_receipt_line_receipt_id_receipt"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_line")),
        sa.UniqueConstraint("receipt_id", "position", name=op.f("uq_receipt_line_receipt_id")),
    )
    with op.batch_alter_table("receipt_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receipt_line_receipt_id"), ["receipt_id"], unique=False
        )

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column(
            "destination", sa.Enum("insurer", "hsa", "fsa", name="claimdestination"), nullable=False
        ),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("determination_id", sa.Integer(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("amount_claimed_cents", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "pending",
                "paid",
                "partly_paid",
                "denied",
                "appealed",
                name="claimstatus",
            ),
            nullable=False,
        ),
        sa.Column("amount_paid_cents", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_claim_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["determination_id"],
            ["determination.id"],
            name=op.f("fk_claim_determination_id_determination"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["insurance_plan.id"],
            name=op.f("fk_claim_plan_id_insurance_plan"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_claim_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_claim_determination_id"), ["determination_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_claim_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_treatment_id"), ["treatment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_claim_plan_id"))
        batch_op.drop_index(batch_op.f("ix_claim_determination_id"))
        batch_op.drop_index(batch_op.f("ix_claim_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_claim_account_id"))

    op.drop_table("claim")
    with op.batch_alter_table("receipt_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_line_receipt_id"))

    op.drop_table("receipt_line")
    with op.batch_alter_table("financing_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_financing_payment_plan_id"))

    op.drop_table("financing_payment")
    with op.batch_alter_table("determination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_determination_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_determination_plan_id"))
        batch_op.drop_index(batch_op.f("ix_determination_person_id"))
        batch_op.drop_index(batch_op.f("ix_determination_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_determination_call_id"))

    op.drop_table("determination")
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_receipt_deleted_at"))

    op.drop_table("receipt")
    with op.batch_alter_table("procedure_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procedure_line_treatment_id"))

    op.drop_table("procedure_line")
    with op.batch_alter_table("letter_treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_treatment_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_letter_treatment_letter_id"))

    op.drop_table("letter_treatment")
    with op.batch_alter_table("lab_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lab_result_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_lab_result_person_id"))
        batch_op.drop_index(batch_op.f("ix_lab_result_deleted_at"))

    op.drop_table("lab_result")
    with op.batch_alter_table("insurer_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insurer_call_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_insurer_call_plan_id"))
        batch_op.drop_index(batch_op.f("ix_insurer_call_person_id"))
        batch_op.drop_index(batch_op.f("ix_insurer_call_deleted_at"))

    op.drop_table("insurer_call")
    with op.batch_alter_table("good_faith_estimate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_good_faith_estimate_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_good_faith_estimate_provider_id"))
        batch_op.drop_index(batch_op.f("ix_good_faith_estimate_person_id"))
        batch_op.drop_index(batch_op.f("ix_good_faith_estimate_deleted_at"))

    op.drop_table("good_faith_estimate")
    with op.batch_alter_table("financing_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_financing_plan_treatment_id"))
        batch_op.drop_index(batch_op.f("ix_financing_plan_person_id"))
        batch_op.drop_index(batch_op.f("ix_financing_plan_deleted_at"))

    op.drop_table("financing_plan")
    with op.batch_alter_table("diagnosis_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diagnosis_code_treatment_id"))

    op.drop_table("diagnosis_code")
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_provider_id"))
        batch_op.drop_index(batch_op.f("ix_treatment_plan_id"))
        batch_op.drop_index(batch_op.f("ix_treatment_person_id"))
        batch_op.drop_index(batch_op.f("ix_treatment_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_treatment_date_of_service"))

    op.drop_table("treatment")
    with op.batch_alter_table("letter_diagnosis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_diagnosis_letter_id"))

    op.drop_table("letter_diagnosis")
    with op.batch_alter_table("medical_necessity_letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medical_necessity_letter_provider_id"))
        batch_op.drop_index(batch_op.f("ix_medical_necessity_letter_person_id"))
        batch_op.drop_index(batch_op.f("ix_medical_necessity_letter_deleted_at"))

    op.drop_table("medical_necessity_letter")
    with op.batch_alter_table("insurance_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insurance_plan_person_id"))
        batch_op.drop_index(batch_op.f("ix_insurance_plan_deleted_at"))

    op.drop_table("insurance_plan")
    with op.batch_alter_table("document_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_link_record_type"))
        batch_op.drop_index(batch_op.f("ix_document_link_record_id"))
        batch_op.drop_index(batch_op.f("ix_document_link_document_id"))

    op.drop_table("document_link")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_person_id"))
        batch_op.drop_index(batch_op.f("ix_account_deleted_at"))

    op.drop_table("account")
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_deleted_at"))

    op.drop_table("provider")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_deleted_at"))

    op.drop_table("person")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_sha256"))
        batch_op.drop_index(batch_op.f("ix_document_deleted_at"))

    op.drop_table("document")
