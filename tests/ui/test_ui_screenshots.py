"""A screenshot of every page on the demo household, saved under the test's folder (and
under $REGENLOG_SCREENSHOTS when set, for the README's pictures)."""

import os
from pathlib import Path

from regenlog.ui.shell import SIDEBAR


def test_every_page_renders_on_the_demo_data(demo_app, qtbot, tmp_path):
    window = demo_app.window
    window.resize(1280, 800)
    out = [tmp_path / "screenshots"]
    if os.environ.get("REGENLOG_SCREENSHOTS"):
        out.append(Path(os.environ["REGENLOG_SCREENSHOTS"]))
    for folder in out:
        folder.mkdir(parents=True, exist_ok=True)

    def shoot(name: str) -> None:
        qtbot.wait(30)
        image = window.grab()
        assert not image.isNull() and image.width() >= 700
        for folder in out:
            assert image.save(str(folder / f"{name}.png"))

    for info in SIDEBAR:
        demo_app.go(info.key)
        if info.key == "documents":
            page = demo_app.pages.pages["documents"]
            page.list_page.view.table.selectRow(0)
        shoot(info.key)
    demo_app.pages.open_treatment(3, {})
    shoot("treatment")
    for record_type, name in (("insurer_call", "call-dialog"), ("claim", "claim-dialog"),
                              ("financing_plan", "financing-dialog")):
        dialog = demo_app.pages.editors.open_record(record_type, 1)
        qtbot.wait(30)
        for folder in out:
            assert dialog.grab().save(str(folder / f"{name}.png"))
        dialog.reject()
    demo_app.window.search_box.setText("knee")
    demo_app.pages.pages["search"].run()
    shoot("search")
    assert len(list(out[0].glob("*.png"))) == len(SIDEBAR) + 5


def test_the_welcome_page_shows_its_texts_whole(app, qtbot, tmp_path):
    """On an empty folder: the three ways to begin, their descriptions not cut off."""
    app.window.resize(1180, 760)
    qtbot.wait(30)
    view = app.pages.pages["welcome"].view
    assert view.isVisible()
    for button in (view.add_button, view.demo_button, view.import_button):
        assert button.height() >= button.heightForWidth(button.width())
    assert app.window.grab().save(str(tmp_path / "welcome.png"))
