"""A patient types a few words from their paperwork and expects the codes their care uses at
the top: codes the household already uses, then titles that begin with the words, then titles
that contain them, shorter (more general) titles first; never a tuberculous arthritis for
"knee"."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regenlog.core.codes import icd10 as icd10_module
from regenlog.core.codes import search

WORDS = [
    "knee", "pain", "left", "right", "osteoarthritis", "elbow", "shoulder", "tear", "rotator",
    "cuff", "strain", "initial", "encounter", "subsequent", "fracture", "b12", "anemia",
    "deficiency", "tendinitis", "achilles", "plantar", "low", "back", "primary", "unilateral",
    "bilateral", "hip", "epicondylitis", "lateral", "ulcer", "foot", "magnesium", "vitamin",
    "sprain", "bursitis", "chronic", "tennis", "unspecified", "other",
]  # fmt: skip

# A word query never starts with something shaped like a code.
queries = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True).map(" ".join)


def _hay(code: str) -> tuple[str, str]:
    """(title haystack, title plus inherited inclusion terms) for a dotted code, built from
    the shipped index the way the search must read it."""
    codes = icd10_module._code_set()
    compact = code.replace(".", "")
    base = compact if compact in codes.desc else codes.extension_base(compact)
    title = codes.desc[compact] if compact in codes.desc else codes.expanded_description(
        base, compact[6]
    )
    terms = [codes.terms.get(base[:n], "") for n in range(3, len(base) + 1)]
    return icd10_module._haystack(title), icd10_module._haystack(" ".join([title, *terms]))


def _leaf_title_length(code: str) -> int:
    """A 7th-character code ranks by its leaf's title: "initial encounter" is not more
    general than "sequela", only longer."""
    codes = icd10_module._code_set()
    compact = code.replace(".", "")
    base = compact if compact in codes.desc else codes.extension_base(compact)
    return len(codes.desc[base])


def _tier(code: str, query: str) -> int:
    """1: the title begins with the first word and holds them all; 2: the title holds them
    all; 3: an inclusion term supplies some."""
    title, _ = _hay(code)
    needles = [" " + w for w in re.findall(r"[a-z0-9]+", query.lower())]
    if all(n in title for n in needles):
        return 1 if title.startswith(needles[0]) else 2
    return 3


# -- what a patient sees ---------------------------------------------------------------------


def test_knee_lists_knee_titles_first_and_no_tuberculous_arthritis():
    first_page = search("knee", limit=20)
    assert len(first_page) == 20
    for hit in first_page:
        assert "knee" in hit.description.lower(), hit
        assert "tuberculous" not in hit.description.lower()
        assert "staphylococcal" not in hit.description.lower()
    # Short, general titles come first: knee pain is on the first page, the first hit is
    # the shortest title holding the word.
    assert {"M25.561", "M25.562"} <= {h.code for h in first_page}
    assert first_page[0].description == "Pain in left knee"
    lengths = [_leaf_title_length(h.code) for h in first_page]
    assert lengths == sorted(lengths)


def test_titles_that_begin_with_the_words_come_before_titles_that_contain_them():
    hits = search("low back pain", limit=20)
    # "Low back pain, unspecified" and its heading begin with the words; "Other low back
    # pain" and the long disc titles only contain them.
    assert [h.code for h in hits[:4]] == ["M54.50", "M54.5", "M54.59", "M54.51"]
    assert [h.code for h in hits].index("M51.362") > 3


def test_billable_codes_come_before_headings_within_a_tier():
    hits = search("osteoarthritis knee", limit=30)
    # "Osteoarthritis of knee, unspecified" begins with the words, then its heading M17.
    assert [h.code for h in hits[:3]] == ["M17.9", "M17", "M17.0"]
    flags = [h.billable for h in hits if _tier(h.code, "osteoarthritis knee") == 2]
    assert flags == sorted(flags, reverse=True)


def test_codes_the_household_uses_come_first():
    hits = search("knee", limit=20, preferred=["M17.11", "m1712"])
    assert [h.code for h in hits[:2]] == ["M17.11", "M17.12"]
    assert len(hits) == 20 and len({h.code for h in hits}) == 20
    # A household code that does not match the words is not shown.
    assert "M17.11" not in [h.code for h in search("elbow", preferred=["M17.11"])]
    # Codes typed badly by a caller are ignored, never an error.
    assert search("knee", limit=3, preferred=["", "not a code", "Q"]) == search("knee", limit=3)


def test_household_codes_come_first_in_a_code_search_after_the_exact_code():
    codes = [h.code for h in search("M17", limit=6, preferred=["M17.12", "M77.11"])]
    assert codes[:2] == ["M17", "M17.12"]
    assert "M77.11" not in codes
    assert [h.code for h in search("m17.1", preferred=["M17.12"])] == [
        "M17.1", "M17.12", "M17.10", "M17.11",
    ]


def test_a_household_seventh_character_code_comes_first():
    hits = search("rotator cuff strain", limit=5, preferred=["S46.011A"])
    assert hits[0].code == "S46.011A"
    assert hits[0].description.endswith("initial encounter")


# -- properties --------------------------------------------------------------------------------


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(queries)
def test_every_result_holds_every_word_and_the_order_follows_the_tiers(query):
    hits = search(query, limit=40)
    needles = [" " + w for w in query.split()]
    keys = []
    for hit in hits:
        _, hay = _hay(hit.code)
        assert all(n in hay for n in needles), (query, hit)
        keys.append((_tier(hit.code, query), not hit.billable, _leaf_title_length(hit.code)))
    assert keys == sorted(keys), query


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(queries, st.integers(min_value=1, max_value=25))
def test_the_order_is_stable_and_a_shorter_page_is_the_start_of_a_longer_one(query, n):
    longer = search(query, limit=40)
    assert search(query, limit=40) == longer
    assert search(query, limit=n) == longer[:n]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(queries, st.data())
def test_household_codes_that_match_come_first_in_the_order_given(query, data):
    pool = [h.code for h in search(query, limit=60)]
    strangers = ["A18.02", "E83.42", "Z00.00"]  # may or may not match the words
    preferred = data.draw(st.lists(st.sampled_from(pool + strangers), max_size=4, unique=True))
    hits = [h.code for h in search(query, limit=60, preferred=preferred)]
    matching = [c for c in preferred if c in pool or c in hits]
    assert hits[: len(matching)] == matching, (query, preferred)
    assert set(hits) == set(pool) | set(matching) or len(hits) == 60
    assert len(set(hits)) == len(hits)


# -- the household's codes -------------------------------------------------------------------


def test_the_households_codes_are_its_treatments_and_letters_codes_most_used_first(services):
    import datetime as dt

    from regenlog.core import models as m

    records, details = services.records, services.details
    dana = records.create(m.Person, name="Dana")
    visits = [
        records.create(m.Treatment, person_id=dana.id, category="prp",
                       date_of_service=dt.date(2026, 3, day))
        for day in (1, 2, 3)
    ]
    details.set_diagnoses(visits[0].id, ["M77.11"])
    details.set_diagnoses(visits[1].id, ["M77.11", "M25.561"])
    details.set_diagnoses(visits[2].id, ["M17.11"])
    letter = records.create(m.MedicalNecessityLetter, person_id=dana.id,
                            written_on=dt.date(2026, 4, 1))
    details.set_letter_coverage(letter.id, ["D51.0"], [])
    # Used twice first; then once each, the most recent first (the letter's April date).
    assert details.household_diagnosis_codes() == ["M77.11", "D51.0", "M17.11", "M25.561"]
    records.delete(m.Treatment, visits[2].id)  # the trash is not the household's care
    assert "M17.11" not in details.household_diagnosis_codes()
    hits = search("knee", limit=5, preferred=details.household_diagnosis_codes())
    assert hits[0].code == "M25.561"
