"""The core services the window relies on: global search (FTS5 and its LIKE fallback agree)
and the call-confirmation letter's text."""

import datetime as dt

from regenlog.core import models as m
from regenlog.core import search
from regenlog.core.enums import CallOutcome
from regenlog.core.letters import confirmation_request


def test_search_finds_calls_documents_and_treatments_and_skips_the_trash(services):
    person = services.records.create(m.Person, name="Dana Whitfield")
    call = services.records.create(m.InsurerCall, person_id=person.id, rep_name="Alyssa M.",
                                   reference_number="GPH-251118")
    treatment = services.records.create(m.Treatment, person_id=person.id, category="prp",
                                        date_of_service=dt.date(2026, 3, 2),
                                        description="PRP injection, right elbow")
    services.documents.attach_bytes(b"%PDF-1.4", "elbow-receipt.pdf", title="Elbow receipt")
    db = services.db
    for like in (False, True):
        db._regenlog_has_fts = False if like else None  # force the fallback, then the index
        assert [(h.record_type, h.record_id) for h in search.search_all(db, "alyssa")] == [
            ("insurer_call", call.id)]
        assert {h.record_type for h in search.search_all(db, "elbow")} == {"treatment", "document"}
        assert [h.record_id for h in search.search_all(db, "gph-2511")] == [call.id]
    services.records.delete(m.Treatment, treatment.id)
    db._regenlog_has_fts = None
    assert [h.record_type for h in search.search_all(db, "elbow")] == ["document"]
    assert search.search_all(db, "   ") == []


def test_the_confirmation_letter_names_the_call_and_what_it_does_not_promise():
    person = m.Person(name="Dana Whitfield", address="1847 W Sagebrush Ct")
    plan = m.InsurancePlan(person_id=1, insurer="Granite Peak Health", member_id="GPH-1")
    call = m.InsurerCall(person_id=1, rep_name="", reference_number="R-1", answer="Not denied.",
                         called_at=dt.datetime(2026, 2, 24, 15, 5),
                         outcome=CallOutcome.preauth_required)
    letter = confirmation_request(call, person, plan, today=dt.date(2026, 11, 26))
    text = letter.text()
    assert "Member ID: GPH-1" in text and "Call reference number: R-1" in text
    assert "Representative: [not recorded]" in text
    assert "pre-authorization is not a guarantee of payment" in text
    assert text.startswith("Dana Whitfield\n1847 W Sagebrush Ct\n\nNovember 26, 2026")
