"""Dana sends her paperwork: from the knee treatment she exports an HSA bundle, sees what the
HSA administrator will miss, locks it with a password and finds the ZIP where she saved it.
Cancelling leaves nothing behind, an error is one sentence, and "Go fix this" takes her to
the record."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import pyzipper
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWizard

from regenlog.core import models as m
from regenlog.ui.bundle_wizard import BundleWizard
from regenlog.ui.bundle_wizard.export_page import CANCELLED

from .helpers import type_into

KNEE_INJECTION, KNEE_CONSULTATION = 3, 1  # Dana's, in the demo household
PASSWORD = "knee claim tulip orbit mellow"


def open_from_knee(demo_app) -> BundleWizard:
    """The knee injection's page, then its "Export bundle…" button."""
    demo_app.pages.open_treatment(KNEE_INJECTION, {})
    demo_app.pages.pages["treatment"].view.bundle_button.click()
    wizard = demo_app.bundle_wizard
    assert wizard.isVisible() and wizard.currentId() == BundleWizard.TREATMENTS
    return wizard


def rows(wizard) -> list[tuple[str, ...]]:
    tree = wizard.treatments_page.list
    return [tuple(tree.topLevelItem(r).text(c) for c in range(4))
            for r in range(tree.topLevelItemCount())]


def next_button(wizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def to_password_page(wizard, destination: str) -> None:
    wizard.next()
    wizard.destination_page.buttons[destination].click()
    wizard.next()
    assert wizard.currentId() == BundleWizard.GAPS
    wizard.next()
    assert wizard.currentId() == BundleWizard.PASSWORD


def save_as(monkeypatch, wizard, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    wizard.password_page.choose_button.click()


def test_dana_exports_an_hsa_bundle_for_her_knee_with_a_password(
    demo_app, qtbot, monkeypatch, tmp_path
):
    wizard = open_from_knee(demo_app)
    choose = wizard.treatments_page
    assert choose.person.currentText() == "Dana Whitfield"
    assert choose.checked_ids() == [KNEE_INJECTION]
    assert ("12/20/2025", "Stem cells (bone marrow)", "Right knee", "$7,000.00") in rows(wizard)
    assert all(row[0] for row in rows(wizard)) and len(rows(wizard)) == 7  # Dana's visits only
    # She adds the knee consultation of February 2025, paid before her HSA was opened.
    choose.set_checked(KNEE_CONSULTATION)
    assert choose.count.text() == "2 treatments chosen, $7,325.00 paid."
    wizard.next()

    needs = wizard.destination_page.needs["hsa"].text()
    assert "itemized receipt, proof of payment" in needs and "on or before the service" in needs
    wizard.destination_page.buttons["hsa"].click()
    wizard.next()

    gaps = wizard.gaps_page
    assert "hsa.before_opened" in gaps.rules()
    # The knee injection's filing window and the Crestline balance are Dana's own business:
    # shown apart, after what the HSA bundle itself needs.
    assert gaps.summary.text() == (
        "1 error remains for this HSA reimbursement bundle. 2 findings about your own money "
        "and deadlines follow, apart from the bundle.")
    assert [(c.gap.rule, c.gap.about) for c in gaps.cards] == [
        ("hsa.before_opened", "bundle"), ("claim.filing_deadline", "patient"),
        ("financing.promo_ending", "patient")]
    card = gaps.cards[0]
    assert card.gap.rule == "hsa.before_opened" and card.gap.treatment_id == KNEE_CONSULTATION
    assert "before" in card.message.text() and card.fix.text().startswith("To fix: ")
    assert next_button(wizard).text() == "Export anyway"
    wizard.next()

    page = wizard.password_page
    assert page.path.text().endswith("RegenLog-hsa-2026-11-26.zip")
    assert "7-Zip" in page.note.text() and "named by number only" in page.note.text()
    type_into(qtbot, page.password, PASSWORD)
    type_into(qtbot, page.repeat, PASSWORD)
    target = tmp_path / "dana-hsa-knee.zip"
    save_as(monkeypatch, wizard, target)
    assert next_button(wizard).text() == "Export" and next_button(wizard).isEnabled()
    wizard.next()

    export = wizard.export_page
    qtbot.waitUntil(lambda: export.outcome == "done", timeout=30_000)
    assert export.title() == "Bundle written"
    assert export.summary.text().startswith("11 files, ")
    assert "encrypted with AES-256" in export.summary.text()
    assert "6 attached documents" in export.summary.text()
    assert "1 error of the checklist remains" in export.summary.text()
    assert export.where.text() == f"Saved as {target}"
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()

    with pyzipper.AESZipFile(target) as archive:
        archive.setpassword(PASSWORD.encode())
        assert "00-cover-letter.pdf" in archive.namelist()
        assert archive.read("00-cover-letter.pdf").startswith(b"%PDF-")
    with pyzipper.AESZipFile(target) as archive, pytest.raises(RuntimeError):
        archive.read("00-cover-letter.pdf")  # no password, no content
    assert [p.name for p in tmp_path.glob("*.zip*")] == [target.name]

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    export.open_folder_button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [tmp_path]
    wizard.accept()


def test_mismatched_passwords_keep_export_disabled_with_the_reason(demo_app, qtbot):
    # From the File menu (Ctrl+E) on the dashboard nothing is ticked yet.
    demo_app.window.bundle_action.trigger()
    wizard = demo_app.bundle_wizard
    choose = wizard.treatments_page
    assert choose.checked_ids() == [] and not next_button(wizard).isEnabled()
    assert choose.sentence.text() == "Tick at least one treatment."
    first = choose.list.topLevelItem(0)
    first.setCheckState(0, Qt.CheckState.Checked)
    assert next_button(wizard).isEnabled() and not choose.sentence.isVisibleTo(wizard)
    to_password_page(wizard, "insurer")

    page = wizard.password_page
    type_into(qtbot, page.password, "abc123")
    assert not next_button(wizard).isEnabled()
    assert page.sentence.text() == "Type the password again in the second box, to be sure of it."
    type_into(qtbot, page.repeat, "abc124")
    assert not next_button(wizard).isEnabled()
    assert page.sentence.text() == "The two passwords do not match."
    assert page.sentence.isVisibleTo(wizard)
    type_into(qtbot, page.repeat, "abc123")
    assert not next_button(wizard).isEnabled()  # matching, but anyone could guess it
    assert page.sentence.text().startswith("This password is too easy to guess")
    type_into(qtbot, page.password, PASSWORD)
    type_into(qtbot, page.repeat, PASSWORD)
    assert next_button(wizard).isEnabled() and not page.sentence.isVisibleTo(wizard)
    # Both empty is a bundle without encryption, and that is allowed too.
    page.password.clear()
    page.repeat.clear()
    assert next_button(wizard).isEnabled() and page.chosen_password() is None
    wizard.reject()
    assert not wizard.isVisible()


def test_cancelling_mid_export_leaves_nothing_behind(demo_app, qtbot, monkeypatch, tmp_path):
    wizard = open_from_knee(demo_app)
    to_password_page(wizard, "insurer")
    folder = tmp_path / "out"
    folder.mkdir()
    save_as(monkeypatch, wizard, folder / "knee-claim.zip")

    # The first document stalls after its first chunk until Cancel was pressed, so the cancel
    # lands in the middle of writing, whatever the speed of the disk.
    store = demo_app.session.services.db.attachments
    real_open, gate = store.open, threading.Event()

    class Stalling:
        def __init__(self, handle):
            self.handle, self.reads = handle, 0

        def read(self, n):
            self.reads += 1
            if self.reads == 2:
                gate.wait(10)
            return self.handle.read(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(store, "open", lambda sha: Stalling(real_open(sha)))
    wizard.next()
    export = wizard.export_page
    assert export.busy and not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    qtbot.waitUntil(lambda: any(folder.iterdir()), timeout=20_000)  # the temporary file
    # Escape (or the close box) while writing cancels and keeps the wizard open to say so.
    wizard.reject()
    assert wizard.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: export.outcome == "cancelled", timeout=20_000)
    assert export.status.text() == CANCELLED
    assert export.status.isVisibleTo(wizard) and not export.summary.isVisibleTo(wizard)
    assert list(folder.iterdir()) == []
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    wizard.wait_for_jobs()
    wizard.reject()
    assert not wizard.isVisible()


def test_a_damaged_attachment_is_one_sentence_and_nothing_is_written(
    demo_app, qtbot, monkeypatch, tmp_path
):
    services = demo_app.session.services
    receipt_scan = next(d for d in services.records.list(m.Document)
                        if d.original_name == "knee-stem-cell-receipt-2025-12-20.pdf")
    services.db.attachments.path_for(receipt_scan.sha256).write_bytes(b"not the scan")
    wizard = open_from_knee(demo_app)
    to_password_page(wizard, "insurer")
    save_as(monkeypatch, wizard, tmp_path / "knee.zip")
    wizard.next()
    export = wizard.export_page
    qtbot.waitUntil(lambda: export.outcome == "failed", timeout=30_000)
    assert export.title() == "The bundle was not written"
    assert export.sentence.text() == (
        f'The attached file of document {receipt_scan.id} ("knee-stem-cell-receipt-2025-12-20'
        '.pdf") is missing or damaged in the data folder; run `regenlog verify` and restore it '
        "from a backup.")
    assert list(tmp_path.glob("knee.zip*")) == []
    wizard.reject()


def test_go_fix_this_closes_the_wizard_and_opens_the_treatment(demo_app):
    wizard = open_from_knee(demo_app)
    wizard.treatments_page.set_checked(KNEE_CONSULTATION)
    wizard.next()
    wizard.destination_page.buttons["hsa"].click()
    wizard.next()
    wizard.gaps_page.cards[0].button.click()
    assert not wizard.isVisible()
    assert demo_app.pages.current_key == "treatment"
    assert demo_app.pages.pages["treatment"].record.id == KNEE_CONSULTATION


def test_a_date_range_takes_every_visit_of_the_chosen_person(demo_app):
    demo_app.window.bundle_action.trigger()
    wizard = demo_app.bundle_wizard
    choose = wizard.treatments_page
    choose.choose_person(choose.person.itemData(choose.person.findText("Marcus Whitfield")))
    assert len(rows(wizard)) == 4
    choose.by_range.click()
    choose.date_from.setDate(choose.date_from.date().fromString("2026-01-01", "yyyy-MM-dd"))
    choose.date_to.setDate(choose.date_to.date().fromString("2026-03-31", "yyyy-MM-dd"))
    assert choose.count.text() == "2 treatments chosen, $370.00 paid."
    selection = wizard.selection
    assert selection.treatment_ids == () and selection.person_id == choose.person_id
    choose.date_to.setDate(choose.date_to.date().fromString("2025-12-31", "yyyy-MM-dd"))
    assert choose.sentence.text() == "The last day of the range is before the first."
    assert not next_button(wizard).isEnabled()
    wizard.reject()


def test_every_step_renders_on_the_demo_data(demo_app, qtbot, monkeypatch, tmp_path):
    out = [tmp_path / "screenshots"]
    if os.environ.get("REGENLOG_SCREENSHOTS"):
        out.append(Path(os.environ["REGENLOG_SCREENSHOTS"]))
    for folder in out:
        folder.mkdir(parents=True, exist_ok=True)
    wizard = open_from_knee(demo_app)
    # The knee, the elbow's last PRP and the IV drip: errors and warnings for the HSA.
    for treatment_id in (KNEE_CONSULTATION, 6, 10):
        wizard.treatments_page.set_checked(treatment_id)

    def shoot(name: str, *, publish: bool = False) -> None:
        qtbot.wait(50)
        image = wizard.grab()
        assert not image.isNull() and image.width() >= 700
        assert image.save(str(out[0] / f"bundle-wizard-{name}.png"))
        if publish and len(out) > 1:
            assert image.save(str(out[1] / "bundle-wizard.png"))

    shoot("1-treatments")
    wizard.next()
    wizard.destination_page.buttons["hsa"].click()
    shoot("2-destination")
    wizard.next()
    shoot("3-gaps", publish=True)
    assert [c.gap.severity for c in wizard.gaps_page.cards].count("warning") >= 1
    wizard.next()
    type_into(qtbot, wizard.password_page.password, PASSWORD)
    type_into(qtbot, wizard.password_page.repeat, "not the same")
    save_as(monkeypatch, wizard, tmp_path / "RegenLog-hsa-2026-11-26.zip")
    shoot("4-password")
    type_into(qtbot, wizard.password_page.repeat, PASSWORD)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.export_page.outcome == "done", timeout=30_000)
    shoot("5-done")
    assert len(list(out[0].glob("bundle-wizard-*.png"))) == 5
    wizard.accept()
