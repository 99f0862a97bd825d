"""Marcus's shoulder: typing words in the diagnosis box offers the household's own codes
first, as the window shows them."""

from .helpers import type_into


def test_the_suggestions_offer_the_households_codes_first(demo_app, qtbot):
    # Treatment 9 (Marcus's shoulder consultation) has M75.111; Dana's knee has M17.11.
    demo_app.pages.open_treatment(9, {})
    dx = demo_app.pages.pages["treatment"].diagnoses
    type_into(qtbot, dx.input, "knee")
    dx.search_now()
    suggestions = dx.suggestions.stringList()
    assert suggestions[0].startswith("M17.11 — Unilateral primary osteoarthritis, right knee")
    assert not any("Tuberculous" in s for s in suggestions)
    # A code this treatment already lists is not pushed to the top again: "M7" brings the
    # household's tennis elbow code first, then code order, not M75.111 (used twice too).
    type_into(qtbot, dx.input, "M7")
    dx.search_now()
    first = [s.split(" — ")[0] for s in dx.suggestions.stringList()[:2]]
    assert first[0] == "M77.11" and "M75.111" not in first
