"""Marcus's shoulder consultation was denied as investigational: RegenLog drafts his appeal
from what he recorded, with the deadline, the codes, the papers on file, and the requests
the regulations give him (DOMAIN.md sections 4 and 10)."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.appeal_letter import FILE_PREFIX, draft_appeal, recorded_reason
from regenlog.core.demo import load_demo
from regenlog.core.errors import ValidationError

TODAY = dt.date(2026, 11, 26)
DENIAL = 4  # the demo's denial of treatment 9, received 2026-06-10


@pytest.fixture
def demo(services):
    load_demo(services)
    return services


def test_the_appeal_names_the_member_the_denial_and_its_deadline(demo):
    letter = draft_appeal(demo, DENIAL, today=TODAY)
    text = letter.text()
    assert letter.subject == "Appeal of a denied claim"
    for line in (
        "Member: Marcus Whitfield", "Member ID: GPH448210937-02", "Group number: FCU-20418",
        "Claim number: [not recorded]", "Denial reference number: GPH-CLM-2605-0491107",
        "Denial received: June 10, 2026", "Date of service: April 21, 2026",
        "Provider: Summit Regenerative Orthopedics (NPI 1647839202)",
        "Amount claimed: $350.00, submitted May 4, 2026",
    ):
        assert f"\n{line}\n" in text, line
    assert text.startswith("Marcus Whitfield\n1847 W Sagebrush Ct, Boise, ID 83706\n\n"
                           "November 26, 2026\n\nGranite Peak Health\nAttn: Appeals\n")
    # 180 days from the notice (45 CFR 147.136): 2026-06-10 + 180 days.
    assert letter.deadline.kind == "internal_appeal"
    assert letter.deadline.due == dt.date(2026, 12, 7)
    assert "the last day is December 7, 2026" in text


def test_the_appeal_quotes_the_reason_and_says_why_it_is_wrong(demo):
    text = draft_appeal(demo, DENIAL, today=TODAY).text()
    assert ("The denial gives this reason: 'services related to investigational regenerative "
            "injection therapy are not covered' (medical policy MSK-2.44).") in text
    assert ("Elena Vasquez, MD explained the medical necessity of this treatment in a letter of "
            "medical necessity dated August 4, 2026, enclosed: “Mr. Whitfield has a "
            "non-traumatic partial-thickness tear") in text
    assert ("The claim uses diagnosis codes (ICD-10-CM) M75.111 (Partial rotator cuff tear, "
            "right shoulder, not from an injury) and procedure codes (CPT/HCPCS) 99204.") in text


def test_the_appeal_asks_for_the_claim_file_the_criteria_a_written_decision_and_keeps_review(
    demo,
):
    text = draft_appeal(demo, DENIAL, today=TODAY).text()
    assert "Under 29 CFR 2560.503-1(h)(2)(iii), please send me, free of charge" in text
    assert "(the claim file)" in text and "(29 CFR 2560.503-1(g))" in text
    assert "Please send me your decision in writing" in text
    assert "I keep my right to an external review by an independent review organization" in text
    assert "within 4 months of a final denial" in text


def test_the_enclosures_are_the_papers_on_file_the_denial_first(demo):
    text = draft_appeal(demo, DENIAL, today=TODAY).text()
    enclosures = text.split("Enclosures:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert enclosures == [
        "- Granite Peak denial letter, shoulder consultation, June 10, 2026",
        "- Letter of medical necessity, Dr. Vasquez (right shoulder), August 4, 2026",
        "- Summit Regenerative Orthopedics receipt, shoulder consultation, April 21, 2026",
    ]
    # A saved draft of this very letter is not enclosed in the next one.
    demo.documents.attach_bytes(b"%PDF-1.4 draft", f"{FILE_PREFIX}2026-11-20.pdf",
                                links=[("determination", DENIAL)])
    assert draft_appeal(demo, DENIAL, today=TODAY).text().count("- ") == text.count("- ")


def test_a_second_denial_cites_the_pre_authorization_the_call_and_the_claim_number(demo):
    # Dana's first PRP (treatment 4): pre-authorized, an EOB on claim 4; now a denial too.
    denial = demo.records.create(
        m.Determination, person_id=1, plan_id=1, treatment_id=4, kind="denial",
        decision="denied", reference_number="GPH-DN-2605-7", received_on=dt.date(2026, 5, 2),
    )
    text = draft_appeal(demo, denial.id, today=TODAY).text()
    assert "\nClaim number: GPH-CLM-2603-1185203\n" in text  # the EOB's claim number
    assert ("You pre-authorized this treatment in writing (reference PA-2603-088417) on "
            "March 4, 2026; a copy is enclosed.") in text
    assert ("My notes of my call on February 24, 2026 with your representative Terrence B. "
            "(call reference GPH-260224-118520): “Terrence said PRP (0232T)") in text
    assert "procedure codes (CPT/HCPCS) 0232T-RT" in text
    assert "- Granite Peak pre-authorization approval PA-2603-088417, March 4, 2026" in text
    # The new denial has no scan of its own: the letter reminds her to enclose it.
    assert "- Copy of the denial received on May 2, 2026 [attach it]" in text
    # Received 2026-05-02: the 180 days ended on 2026-10-29, before today.
    assert "is made within" not in text
    assert ("[The time to appeal ended on October 29, 2026 (180 days of the denial notice, "
            "counted from the day the notice was received).") in text


def test_a_final_denial_is_taken_to_external_review_within_four_months(demo):
    final = demo.records.create(
        m.Determination, person_id=2, plan_id=2, treatment_id=9, kind="appeal_decision",
        decision="denied", is_final=True, received_on=dt.date(2026, 10, 31),
        notes="Reason: the service is investigational under policy MSK-2.44.",
    )
    letter = draft_appeal(demo, final.id, today=TODAY)
    text = letter.text()
    assert letter.subject == "Request for external review of a final denial"
    assert letter.deadline.kind == "external_review"
    assert letter.deadline.due == dt.date(2027, 2, 28)  # Oct 31 + 4 months, month end
    assert "I request an external review, by an independent review organization" in text
    assert ("The denial gives this reason: “the service is investigational under policy "
            "MSK-2.44”.") in text
    assert "This request is made within 4 months of a final internal denial" in text


def test_what_is_not_recorded_is_left_in_brackets_to_fill_in(services):
    dana = services.records.create(m.Person, name="Dana Whitfield")
    denial = services.records.create(
        m.Determination, person_id=dana.id, kind="denial", decision="denied",
        received_on=dt.date(2026, 11, 1),
    )
    text = draft_appeal(services, denial.id, today=TODAY).text()
    assert "Member ID: [not recorded]" in text
    assert "Denial reference number: [not recorded]" in text
    assert "The denial gives this reason: [quote the reason from the denial letter" in text
    assert "[Say why the treatment was medically necessary" in text
    assert "- Copy of the denial received on November 1, 2026 [attach it]" in text
    assert "the last day is April 30, 2027" in text


def test_only_a_denial_can_be_appealed(demo):
    with pytest.raises(ValidationError) as refused:
        draft_appeal(demo, 2, today=TODAY)  # the pre-authorization, approved
    assert str(refused.value) == "Only a denial can be appealed; this pre-authorization is approved."


@pytest.mark.parametrize(("notes", "reason"), [
    ("Reason: 'not covered' (policy 7). The letter gives 180 days.", "'not covered' (policy 7)"),
    ("reason:  experimental.\nCalled twice.", "experimental"),
    ("Denied by phone.", None),
    ("Reason:", None),
    ("", None),
])
def test_the_reason_is_the_first_sentence_after_reason(notes, reason):
    assert recorded_reason(notes) == reason
