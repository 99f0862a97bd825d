"""A kind of record is its model, one registry entry per layer, its records-format schema and
a migration: these tests fail while any of them is missing or disagrees with the others."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.record_kinds import RECORD_KINDS, describe, kind_of, record_date
from regenlog.core.records_format import load_schema
from regenlog.core.records_format.layout import PARTS, SECTIONS, base_type
from regenlog.core.services.records import references
from regenlog.core.vocabulary import RecordType
from regenlog.store import schema
from regenlog.store.database import schema_of_revision

KINDS = list(RECORD_KINDS.values())


def _top_level_models() -> set[type]:
    """Every table model with the columns of a top-level record (it can go to the trash)."""
    return {
        mapper.class_ for mapper in m.Base._sa_registry.mappers
        if issubclass(mapper.class_, m.Record)
    }


def test_every_top_level_model_has_exactly_one_entry_keyed_by_its_table():
    assert {kind.model for kind in KINDS} == _top_level_models()
    assert list(RECORD_KINDS) == list(RecordType)
    for record_type, kind in RECORD_KINDS.items():
        assert kind.record_type is record_type
        assert kind.table == record_type == kind.model.__tablename__


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.record_type)
def test_each_entry_names_real_fields_of_its_model(kind):
    fields = kind.model.model_fields
    for name in kind.search_fields:
        assert base_type(fields[name].annotation) is str, name
    if kind.label_column is not None:
        assert base_type(fields[kind.label_column].annotation) is str
    for name in kind.date_fields:
        assert base_type(fields[name].annotation) in (dt.date, dt.datetime), name
    assert kind.label and kind.noun and kind.nouns and kind.section
    assert kind.count(1) == f"1 {kind.noun}" and kind.count(2) == f"2 {kind.nouns}"


def test_references_point_at_earlier_kinds_so_an_import_in_order_meets_no_missing_parent():
    seen: set[type] = set()
    for kind in KINDS:
        for field, target in references(kind.model).items():
            assert target in seen or target is kind.model, (kind.record_type, field)
        seen.add(kind.model)


def test_the_records_format_is_laid_out_from_the_registry_and_its_schema_knows_every_kind():
    assert tuple((kind.section, kind.model) for kind in KINDS) == SECTIONS
    assert {kind.section: kind.parts for kind in KINDS if kind.parts} == PARTS
    contract = load_schema()
    sections = contract["properties"]["records"]["properties"]
    assert list(sections) == [kind.section for kind in KINDS]
    for kind in KINDS:
        assert sections[kind.section]["items"]["$ref"] == f"#/$defs/{kind.record_type}"
        definition = contract["$defs"][kind.record_type]
        assert set(kind.parts) <= set(definition["properties"])
    linkable = contract["$defs"]["RecordType"]["enum"]
    assert linkable == [kind.record_type for kind in KINDS if kind.model is not m.Document]


def _triggers() -> dict[str, str]:
    return {
        name: sql for kind, name, _table, sql in schema_of_revision(schema.HEAD)
        if kind == "trigger"
    }


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.record_type)
def test_a_searched_kind_is_kept_in_the_search_index_by_the_migrations(kind):
    triggers = _triggers()
    for suffix in ("ai", "au", "ad"):
        assert f"search_{kind.table}_{suffix}" in triggers, suffix
    # What a list page filters by, global search finds too.
    insert = triggers[f"search_{kind.table}_ai"]
    for name in kind.search_fields:
        assert f"new.{name}" in insert, name


def test_describing_and_dating_a_record_goes_through_its_kind(services):
    person = services.records.create(m.Person, name="Dana Whitfield")
    claim = m.Claim(treatment_id=1, destination="hsa", amount_claimed_cents=12500,
                    submitted_on=dt.date(2026, 3, 2))
    assert kind_of(person) is RECORD_KINDS["person"]
    assert describe(person) == ("Dana Whitfield", "Person")
    assert record_date(person) is None
    # A claim is filed under the day it was paid, else the day it was sent.
    assert record_date(claim) == dt.date(2026, 3, 2)
    claim.paid_on = dt.date(2026, 4, 9)
    assert record_date(claim) == dt.date(2026, 4, 9)
    assert RECORD_KINDS["claim"].date_column == "paid_on"
    assert RECORD_KINDS["account"].date_column is None  # listed by id, not by opening date
