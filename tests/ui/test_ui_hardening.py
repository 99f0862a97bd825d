"""In the window: a records file holding what no real text has fails with a sentence, never
silently; a records file that breaks RegenLog in a way nobody foresaw does too."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QFileDialog

from regenlog.core import models as m


def choose(app, monkeypatch, path) -> object:
    app.import_records()
    dialog = app.import_dialog
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    dialog.choose_button.click()
    return dialog


def test_a_lone_surrogate_in_a_records_file_fails_with_a_sentence(app, monkeypatch, tmp_path):
    path = tmp_path / "records.json"
    path.write_text('{"format": "regenlog-records", "version": 1, "records": '
                    '{"people": [{"id": 1, "name": "Dana \\ud800"}]}}')
    dialog = choose(app, monkeypatch, path)
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().startswith("$.records.people[0].name: this text holds half")
    assert app.session.services.records.count(m.Person) == 0


def test_an_unforeseen_failure_in_an_import_still_ends_in_a_sentence(app, monkeypatch, tmp_path):
    from regenlog.core import records_format

    def broken(*_a, **_k):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(records_format, "import_records", broken)
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"format": "regenlog-records", "version": 1, "records": {}}))
    dialog = choose(app, monkeypatch, path)
    assert dialog.error.text() == (
        "RegenLog could not import records.json: it holds something RegenLog does not expect "
        "(UnicodeEncodeError); nothing was imported."
    )


def test_the_bundle_password_page_refuses_a_guessable_password_and_suggests_one(
        demo_app, qtbot, monkeypatch, tmp_path):
    from .test_ui_bundle_wizard import next_button, open_from_knee, save_as, to_password_page

    wizard = open_from_knee(demo_app)
    to_password_page(wizard, "insurer")
    page = wizard.password_page
    save_as(monkeypatch, wizard, tmp_path / "knee.zip")
    assert "anyone holding the file still sees how many documents" in page.note.text()
    page.password.setText("Whitfield1964")
    page.repeat.setText("Whitfield1964")
    assert page.sentence.text().startswith("This password is too easy to guess")
    assert not next_button(wizard).isEnabled()
    page.suggest_button.click()
    phrase = page.password.text()
    assert len(phrase.split("-")) == 5 and page.repeat.text() == phrase
    assert page.password.echoMode() == page.password.EchoMode.Normal  # shown, to write down
    assert page.sentence.text() == "" and next_button(wizard).isEnabled()


def test_a_document_changed_on_the_disk_is_not_previewed_as_if_it_were_the_original(
        demo_app, qtbot):
    import os

    services = demo_app.session.services
    doc = services.records.get(m.Document, 1)
    stored = services.db.attachments.path_for(doc.sha256)
    os.chmod(stored, 0o600)
    stored.write_bytes(b"%PDF-1.7 not the receipt that was attached")
    demo_app.go("documents")
    page = demo_app.pages.pages["documents"]
    page.list_page.select_id(1)
    qtbot.waitUntil(lambda: "no longer what was attached" in page.links_label.text())
