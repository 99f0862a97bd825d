"""``regenlog bundle``: what the command line runs (cli.py only parses the arguments).

It lists the gaps that remain for the destination on stderr, and apart from them what the
check found about the patient's own money and deadlines; writes the bundle, and prints one
line saying what was written. Gaps do not stop the export: the patient may send what they
have and follow up; the list tells them what a reviewer will miss.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..core.dates import parse_date
from ..core.errors import ValidationError
from ..core.fileio import format_size
from ..core.text import plural
from ..core.vocabulary import About, Severity, check_destination
from .select import BundleSelection

if TYPE_CHECKING:
    from ..core.services import Services


def read_password_file(path: Path) -> str:
    """The first line of ``path`` without its line ending; refused when empty.

    A file keeps the password out of the shell history and the process list.
    """
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"The password file {path} does not exist.") from None
    except OSError as error:
        raise ValidationError(
            f"The password file {path} cannot be read ({error.strerror or error})."
        ) from None
    try:
        text = raw.decode("utf-8-sig")  # Notepad may start the file with a byte-order mark
    except UnicodeDecodeError:
        raise ValidationError(f"The password file {path} is not UTF-8 text.") from None
    line = text.split("\n", 1)[0].removesuffix("\r")
    if not line:
        raise ValidationError(
            f"The password file {path} is empty; put the password on its first line."
        )
    return line


def run_bundle_command(
    services: Services,
    *,
    destination: str,
    output: Path,
    treatment_ids: list[int] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    password_file: Path | None = None,
    today: dt.date | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``regenlog bundle``; returns the exit code (0). Errors raise RegenLogError with
    one sentence, which cli.py prints before exiting 2."""
    from .pdf import ensure_qt_app
    from .service import Bundles

    out, err = out or sys.stdout, err or sys.stderr
    selection = BundleSelection(
        treatment_ids=tuple(treatment_ids or ()),
        date_from=parse_date(date_from) if date_from else None,
        date_to=parse_date(date_to) if date_to else None,
    )
    password = read_password_file(password_file) if password_file is not None else None
    today = today or dt.date.today()
    ensure_qt_app()
    bundles = Bundles(services)
    found = bundles.preflight(selection, destination, today)
    what = f"this {check_destination(destination).bundle_name} bundle"
    gaps = [g for g in found if g.about == About.bundle]
    own = [g for g in found if g.about != About.bundle]
    if gaps:
        errors = sum(1 for g in gaps if g.severity == Severity.error)
        print(f"{plural(len(gaps), 'gap')} remain for {what} ({plural(errors, 'error')}):",
              file=err)
        for g in gaps:
            print(f"  {g.severity:<7} {g.rule}: {g.message} Fix: {g.fix}", file=err)
    else:
        print(f"No gaps remain for {what}.", file=err)
    if own:
        print("About your own money and deadlines (not part of the bundle):", file=err)
        for g in own:
            print(f"  {g.severity:<7} {g.rule}: {g.message} Fix: {g.fix}", file=err)
    report = bundles.export(
        selection, destination, Path(output), password=password, today=today,
        progress=_progress_printer(err),
    )
    encrypted = ", encrypted with AES-256" if report.encrypted else ""
    print(
        f"Wrote {report.target}: {len(report.files)} files ({plural(report.documents, 'attached document')}), "
        f"{format_size(report.total_bytes)}{encrypted}.",
        file=out,
    )
    return 0


def _progress_printer(err: TextIO):
    if not getattr(err, "isatty", lambda: False)():
        return None
    last = [-1]

    def show(done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if percent != last[0]:
            last[0] = percent
            end = "\n" if done >= total else ""
            print(f"\rWriting the bundle: {percent}%", end=end, file=err, flush=True)

    return show
