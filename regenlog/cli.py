"""The ``regenlog`` command line: a thin face over ``core`` and ``bundle``.

Every command exits 0 on success, 2 with one clear sentence on bad input or a failure (the
data left unchanged), and ``check --strict`` exits 1 while errors remain. Heavy modules are
imported inside the command that needs them, so ``--version`` and start-up stay fast.
"""

import argparse
import contextlib
import sys

from . import __version__
from .core.errors import RegenLogError
from .core.vocabulary import Destination

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without typing's import on every start
if TYPE_CHECKING:
    from pathlib import Path

EXIT_OK, EXIT_GAPS, EXIT_ERROR = 0, 1, 2
# The values, not the members: argparse names its choices by repr() when one is mistyped.
DESTINATIONS = [destination.value for destination in Destination]


def _path(text: str) -> "Path":
    """A file or folder argument. pathlib loads only when a command takes one: `--version`
    and `--help` would otherwise pay for it on every start."""
    from pathlib import Path

    return Path(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regenlog",
        description="Keep the paperwork that gets cash-paid regenerative care reimbursed.",
    )
    parser.add_argument("--version", action="version", version=f"RegenLog {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="use this data folder")
    parser.add_argument("--self-test", action="store_true", help="check this installation")
    parser.add_argument(
        "--quit-after-startup", action="store_true",
        help="open the window, print start-up times in milliseconds and quit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("demo", help="fill an empty data folder with the demo records")

    p = commands.add_parser("import", help="import a .json records file or a .csv spreadsheet")
    p.add_argument("file", type=_path)
    p.add_argument("--map", type=_path, metavar="MAPPING.json", help="CSV column mapping")
    p.add_argument("--dry-run", action="store_true", help="check the file, import nothing")
    p.add_argument(
        "--good-rows-only", action="store_true",
        help="CSV: import the good rows and skip the bad ones (default: all or nothing)",
    )

    p = commands.add_parser("export-json", help="write every record as JSON")
    p.add_argument("-o", "--output", type=_path, metavar="FILE")

    p = commands.add_parser("check", help="list the documentation that is still missing")
    p.add_argument("--json", action="store_true")
    p.add_argument("--destination", choices=DESTINATIONS)
    p.add_argument("--strict", action="store_true", help="exit 1 while any error remains")

    p = commands.add_parser("bundle", help="export a reimbursement bundle (ZIP)")
    p.add_argument("--destination", required=True, choices=DESTINATIONS)
    p.add_argument("--treatment", type=int, action="append", metavar="ID")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--password-file", type=_path, metavar="FILE")
    p.add_argument("-o", "--output", type=_path, required=True, metavar="OUT.zip")

    p = commands.add_parser("backup", help="write a portable backup archive")
    p.add_argument("-o", "--output", type=_path, metavar="FILE")
    p = commands.add_parser("restore", help="restore a backup archive")
    p.add_argument("file", type=_path)
    commands.add_parser("verify", help="check the database and every attached file")
    commands.add_parser(
        "upgrade", help="bring records written by an older RegenLog up to date (with a copy)"
    )

    p = commands.add_parser(
        "read", help="propose the fields of a receipt, superbill, EOB or letter (stores nothing)"
    )
    p.add_argument("file", type=_path)
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = commands.add_parser("codes", help="look up ICD-10-CM codes by code or words")
    p.add_argument("text", nargs="+")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.self_test:
            from .selftest import run_self_test

            return run_self_test()
        if args.command is None:
            from .ui.app import run_gui

            return run_gui(args.data_dir, quit_after_startup=args.quit_after_startup)
        handler = COMMANDS[args.command]
        # Databases a command opened close (and SQLite removes its -wal and -shm files)
        # before any error is reported, so a failed command leaves the folder as it was.
        with contextlib.ExitStack() as args.cleanup:
            if args.command != "export-json":  # the records themselves are data, not text
                args.cleanup.enter_context(contextlib.redirect_stdout(_Cleaned(sys.stdout)))
            return handler(args)
    except RegenLogError as error:
        print(f"regenlog: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("regenlog: interrupted; nothing more was changed.", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error of ours. Point stdout at
        # devnull so Python's exit flush does not raise again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:
        from .store.database import damaged_database_error

        damage = damaged_database_error(error)
        if damage is None:
            raise
        print(f"regenlog: {damage}", file=sys.stderr)
        return EXIT_ERROR


class _Cleaned:
    """A terminal stream that passes on no control or direction-changing character (a name
    holding an escape sequence would otherwise drive the patient's terminal)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        from .core.text import printable

        return self._stream.write(printable(text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _data_paths(args):
    """The data folder the command works on; a file given as the folder is refused here."""
    from .store.paths import refuse_file, resolve_data_dir

    paths = resolve_data_dir(args.data_dir)
    refuse_file(paths.root)
    return paths


def _open(args, *, writes: bool = False):
    """The services over the data folder; a command that writes takes the folder's writer
    lock first (held until the process exits), so it never writes beside an open window."""
    paths = _data_paths(args)
    if writes:
        from .store.lock import acquire_writer_lock

        args.writer_lock = acquire_writer_lock(paths)
    if not writes and not paths.database.exists():
        # A mistyped --data-dir must not pass `check --strict` on an empty new folder.
        raise RegenLogError(f"There is no RegenLog data in {paths.root}.")
    if not writes:
        _refuse_older_schema(paths)
    return _services(args, paths)


def _refuse_older_schema(paths) -> None:
    """A command that only reads must not migrate: migrating writes (and keeps a copy in
    backups/), and only a holder of the writer lock may write."""
    from .store import schema
    from .store.database import read_revision

    paths.check_writable()  # SQLite writes beside the database even to read it
    current = read_revision(paths.database)
    if current is not None and current != schema.HEAD and current in schema.REVISIONS:
        raise RegenLogError(
            f"The records in {paths.root} are in the layout of an older RegenLog; run "
            "`regenlog upgrade` (or open the app) to bring them up to date, keeping a copy "
            "in backups/, then run this command again."
        )


def _services(args, paths):
    from .core.services import Services
    from .store.database import open_database

    database = open_database(paths)
    args.cleanup.callback(database.close)
    database.check_readable()  # damage ends in its sentence here, not mid-report
    return Services(database)


def _open_for_import(args):
    if not args.dry_run:
        return _open(args, writes=True)
    paths = _data_paths(args)
    if paths.database.exists():
        return _open(args)
    # A dry run stores nothing, not even a new data folder: with no data there yet, the file is
    # checked against an empty scratch folder, which reports what a real import would do.
    import tempfile

    from .store.paths import DataPaths

    scratch = args.cleanup.enter_context(tempfile.TemporaryDirectory(prefix="regenlog-dry-run-"))
    return _services(args, DataPaths(_path(scratch) / "data"))


def cmd_demo(args) -> int:
    from .core.demo import load_demo

    services = _open(args, writes=True)
    try:
        report = load_demo(services)
    finally:
        services.close()
    print(f"{report.summary} The demo household is in {report.folder}.")
    return EXIT_OK


def _backup_before_import(services):
    """The copy to return to, taken once the file has passed its checks (not for a bad one)."""
    from .store.backups import backup_before

    return lambda: backup_before(services.db.paths, "import")


def cmd_import(args) -> int:
    suffix = args.file.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise RegenLogError(
            f"{args.file.name} is neither a .json records file nor a .csv spreadsheet."
        )
    if not args.file.is_file():
        raise RegenLogError(f"There is no file {args.file}.")
    if suffix == ".json":
        if args.map:
            raise RegenLogError("--map is for CSV files; a .json records file needs no mapping.")
        services = _open_for_import(args)
        report = services.imports.records_file(
            args.file, dry_run=args.dry_run, before_write=_backup_before_import(services),
        )
        print(report.summary())
        return EXIT_OK
    from .core.spreadsheet import run_csv_import_cli  # a .csv spreadsheet

    services = _open_for_import(args)
    return run_csv_import_cli(
        services.imports, args.file, args.map, args.dry_run, sys.stdout,
        only_good_rows=args.good_rows_only, before_write=_backup_before_import(services),
    )


def cmd_export_json(args) -> int:
    services = _open(args)
    if args.output:
        services.exports.records_file(args.output)
        print(f"Wrote {args.output}.", file=sys.stderr)
    else:
        from .core.records_format import dumps

        sys.stdout.write(dumps(services.exports.records_file(None)))
    return EXIT_OK


def cmd_codes(args) -> int:
    from .core import codes

    text = " ".join(args.text)
    # A lookup never opens the records: reading them would triple the time the answer takes.
    hits = codes.search(text, limit=25)
    if not hits and codes.code_like(text):
        # A code that is not one (T15.01A): the checker's sentence says what is wrong with it.
        raise RegenLogError(codes.check_icd10(text).message)
    if not hits:
        raise RegenLogError(f'No ICD-10-CM code matches "{text}" in the {codes.CODE_SET_VERSION} set.')
    for hit in hits:
        status = "billable" if hit.billable else "heading, not billable"
        print(f"{hit.code:<9} {status:<22} {hit.description}")
    return EXIT_OK



def cmd_bundle(args) -> int:
    from .bundle import run_bundle_command

    services = _open(args)
    return run_bundle_command(
        services, destination=args.destination, output=args.output,
        treatment_ids=args.treatment, date_from=args.date_from, date_to=args.date_to,
        password_file=args.password_file,
    )


def cmd_check(args) -> int:
    import datetime as dt
    import json

    services = _open(args)
    result = services.check.run(today=dt.date.today(), destination=args.destination)
    if args.json:
        print(json.dumps([gap.as_json() for gap in result.gaps], indent=2, ensure_ascii=False))
    else:
        print(services.check.report(result))
    return EXIT_GAPS if args.strict and result.has_errors else EXIT_OK


def cmd_backup(args) -> int:
    # No lock: SQLite's backup API reads a consistent copy even while the app writes.
    from pathlib import Path

    from .store.archive import default_archive_name, write_archive

    paths = _data_paths(args)
    if not paths.database.exists():
        raise RegenLogError(f"There is no RegenLog data in {paths.root} to back up.")
    report = write_archive(paths, args.output or Path.cwd() / default_archive_name())
    print(report.summary())
    return EXIT_OK


def cmd_restore(args) -> int:
    from .store.archive import restore_archive
    from .store.database import open_database
    from .store.lock import acquire_writer_lock
    from .store.paths import clear_new_folder, first_missing, remove_empty_folders

    paths = _data_paths(args)
    # A failed restore into a folder it created leaves nothing: what it wrote goes while the
    # lock is held; the lock file and the empty folders after (Windows cannot delete a
    # locked file), and only folders that are empty by then.
    created = first_missing(paths.root)
    try:
        with acquire_writer_lock(paths):
            try:
                report = restore_archive(paths, args.file)
                open_database(paths).close()  # an older archive is migrated now, with its copy
            except BaseException:
                if created is not None:
                    clear_new_folder(paths)
                raise
    except BaseException:
        if created is not None:
            remove_empty_folders(paths, created)
        raise
    print(report.summary())
    return EXIT_OK


def cmd_upgrade(args) -> int:
    from .store import schema
    from .store.database import read_revision

    paths = _data_paths(args)
    if not paths.database.exists():
        raise RegenLogError(f"There is no RegenLog data in {paths.root}.")
    before = read_revision(paths.database)
    _open(args, writes=True)  # the writer lock first, then the migration and its copy
    if before == schema.HEAD:
        print("The records are up to date already; nothing was changed.")
    else:
        print("The records are up to date now; a copy of them as they were is in backups/.")
    return EXIT_OK


def cmd_verify(args) -> int:
    from .store.verify import verify_data_folder

    report = verify_data_folder(_data_paths(args))
    for problem in report.problems:
        print(problem)
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_GAPS


def cmd_read(args) -> int:
    # Reading needs no data folder and creates none: --data-dir is accepted and not used.
    import json

    from .core.reading import read_document
    from .core.reading.listing import format_listing

    try:
        result = read_document(args.file)
    except OSError:
        raise RegenLogError(f"{args.file} cannot be opened for reading.") from None
    if args.json:
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        print(format_listing(result, args.file.name))
    return EXIT_OK


COMMANDS = {
    "demo": cmd_demo,
    "import": cmd_import,
    "export-json": cmd_export_json,
    "check": cmd_check,
    "bundle": cmd_bundle,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "verify": cmd_verify,
    "upgrade": cmd_upgrade,
    "codes": cmd_codes,
    "read": cmd_read,
}
