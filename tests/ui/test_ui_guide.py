"""The guide and the glossary show in Qt's text browser as written: headings, no key lines."""

from PySide6.QtWidgets import QTextBrowser

from regenlog.core.glossary import entries, entry, glossary_markdown, guide_markdown


def test_the_glossary_and_the_guide_show_in_a_text_browser(qtbot):
    browser = QTextBrowser()
    qtbot.addWidget(browser)
    browser.setMarkdown(glossary_markdown())
    shown = browser.toPlainText()
    assert "key:" not in shown and "<!--" not in shown
    for item in entries().values():
        assert item.term in shown
    browser.setMarkdown(guide_markdown())
    assert "Paying for regenerative care: a guide for patients" in browser.toPlainText()
    assert "*" not in browser.toPlainText()  # emphasis is rendered, not shown as stars
    browser.setMarkdown(entry("diagnosis_pointers").markdown())
    assert browser.toPlainText().startswith("Diagnosis pointers\n")
