"""Everything a face shows goes through the services: the demo household's check, money,
reports, deadlines, search, imports and bundle words, each read without touching the
database, and each the same as what the core's own functions find."""

import datetime as dt

import pytest

from regenlog.bundle import BundleSelection
from regenlog.bundle.service import Bundles
from regenlog.core import models as m
from regenlog.core.checklist import run_check
from regenlog.core.demo import load_demo
from regenlog.core.reimbursement import treatment_money
from regenlog.core.reports import monthly_series, report_rows
from regenlog.core.search import search_all
from regenlog.core.spreadsheet import suggest_mapping
from regenlog.core.spreadsheet.parse import read_table
from regenlog.core.upcoming import upcoming_deadlines
from regenlog.core.vocabulary import About, Destination, Severity

TODAY = dt.date(2026, 11, 26)  # the day the demo's deadlines are chosen around


@pytest.fixture
def demo(services):
    load_demo(services)
    return services


def test_the_check_and_a_treatments_checklist_come_from_the_check_service(demo):
    result = demo.check.run(today=TODAY)
    assert result.gaps == run_check(demo.db, today=TODAY).gaps
    assert result.gaps and all(isinstance(g.severity, Severity) for g in result.gaps)
    hsa = demo.check.run(today=TODAY, destination="hsa")
    assert hsa.destination is Destination.hsa
    assert {g.about for g in hsa.gaps} <= set(About)
    report = demo.check.report(result)
    assert report.startswith(f"Documentation check on {TODAY} for all destinations")
    treatment = demo.records.list(m.Treatment)[0]
    items = demo.check.treatment_checklist(treatment.id, today=TODAY)
    assert [i.rule.id for i in items][:2] == ["receipt.missing", "receipt.not_itemized"]


def test_money_reports_and_deadlines_are_the_cores_figures(demo):
    assert demo.money.of_treatments() == treatment_money(demo.db)
    assert demo.reports.rows() == report_rows(demo.db)
    assert demo.reports.rows(year=2026) and all(r.year == 2026 for r in demo.reports.rows(year=2026))
    assert demo.reports.monthly(year=2026) == monthly_series(demo.db, year=2026)
    assert len(demo.reports.monthly(year=2026)) == 12
    soon = demo.deadlines.upcoming(TODAY)
    assert soon and soon == upcoming_deadlines(demo.db, TODAY, 120)


def test_the_calendar_file_holds_every_deadline_of_the_coming_year(demo, tmp_path):
    target = tmp_path / "deadlines.ics"
    count = demo.deadlines.write_calendar(TODAY, target, now=dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    assert count == len(upcoming_deadlines(demo.db, TODAY, 365)) > 0
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.count("BEGIN:VEVENT") == count


def test_search_and_the_lists_go_through_the_search_service(demo):
    person = demo.records.list(m.Person)[0]
    surname = person.name.split()[-1]
    hits = demo.search.everywhere(surname)
    assert hits == search_all(demo.db, surname)
    assert ("person", person.id) in [(h.record_type, h.record_id) for h in hits]
    assert demo.search.lists.labels("person", [person.id]) == {person.id: person.name}


def test_a_spreadsheet_is_checked_then_imported_through_the_imports_service(services):
    path = "tests/data/my_prp_visits.csv"
    table = read_table(path)
    mapping = suggest_mapping(table.headers, table.rows)
    report = services.imports.check_spreadsheet(path, mapping)
    assert report.total_rows == len(table.rows)
    assert services.records.count(m.Treatment) == 0  # a check stores nothing


def test_a_records_file_goes_out_and_comes_back_through_the_services(demo, new_folder, tmp_path):
    target = tmp_path / "records.json"
    demo.exports.records_file(target)
    other = new_folder()
    report = other.imports.records_file(target)
    assert report.total == sum(demo.records.count(kind) for kind in (
        m.Person, m.InsurancePlan, m.Account, m.Provider, m.Treatment, m.GoodFaithEstimate,
        m.Receipt, m.LabResult, m.InsurerCall, m.Determination, m.MedicalNecessityLetter,
        m.Claim, m.FinancingPlan, m.Document))


def test_a_document_is_previewed_from_its_checked_file(services):
    doc = services.documents.attach_bytes(b"%PDF-1.4 receipt", "receipt.pdf")
    assert services.documents.verified_path(doc).read_bytes() == b"%PDF-1.4 receipt"


def test_the_bundle_service_checks_a_bundle_and_knows_the_households_names(demo, tmp_path):
    bundles = Bundles(demo)
    person = demo.records.list(m.Person)[0]
    assert set(person.name.split()) <= set(bundles.known_words())
    treatment = demo.records.list(m.Treatment)[0]
    gaps = bundles.preflight(BundleSelection((treatment.id,)), "insurer", TODAY)
    assert all(isinstance(g.about, About) for g in gaps)
    report = bundles.export(BundleSelection((treatment.id,)), "insurer",
                            tmp_path / "bundle.zip", today=TODAY)
    assert report.target == tmp_path / "bundle.zip" and report.target.is_file()


def test_closing_the_services_closes_the_folder(services):
    closed = []
    services.db.close = lambda: closed.append(True)
    services.close()
    assert closed == [True]
