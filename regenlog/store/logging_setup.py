"""Log files that never hold personal data, and rotate.

Policy (what may reach ``logs/regenlog.log``):

- A log line is an *event* (a constant message written by a developer: "backup written",
  "restore finished") plus *ids and counts*: record ids, numbers of rows or files, byte
  sizes, durations. Never a name, a date of birth, a member ID, a diagnosis, an amount, a file
  name or any text the user typed, because a log is what people attach to bug reports.
- The filter enforces it: every argument that is not a number, a bool or None is replaced by
  ``<redacted>``, unless the developer marked it ``Safe`` (a rule id, a table name, a schema
  revision: words of the program, not of the patient). Record contents are never passed.
- An exception keeps its type and where it happened, never its message: SQLAlchemy and
  sqlite3 messages quote the SQL parameters, which are the patient's data.
- Only RegenLog's own loggers (``regenlog.*``) write to the file; SQLAlchemy's echo and other
  libraries' loggers never reach it.
- The folder and the file are created on the first line written (nothing on import or at
  start-up), private to the user (0700/0600), and rotate at 1 MiB keeping three old files.
"""

import logging
import logging.handlers
import os
import traceback

from .paths import DataPaths

LOGGER_NAME = "regenlog"
LOG_FILE = "regenlog.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 3
REDACTED = "<redacted>"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Safe(str):
    """Text that comes from the program, not the patient, so the filter lets it through."""


class PrivacyFilter(logging.Filter):
    """Strips anything that could be record contents from a log record (see the policy)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.msg, str):  # str(obj) of a record would print its fields
            record.msg, record.args = REDACTED, ()
        if record.args:
            if isinstance(record.args, dict):
                record.args = {k: _scrub(v) for k, v in record.args.items()}
            else:
                record.args = tuple(_scrub(a) for a in record.args)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, tb = record.exc_info
            # File, line and function only: not even the source line, which can hold a literal.
            frames = "".join(
                f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
                for f in traceback.extract_tb(tb)
            )
            record.exc_text = f"Traceback (most recent call last):\n{frames}{kind.__qualname__}"
            record.exc_info = None
        record.stack_info = None
        return True


def _scrub(value):
    if value is None or isinstance(value, (bool, int, float, Safe)):
        return value
    return REDACTED


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates ``logs/`` and the file (0700/0600) only when the first line is written."""

    def __init__(self, paths: DataPaths):
        self._folder = paths.logs
        super().__init__(
            paths.logs / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
            encoding="utf-8", delay=True,
        )

    def _open(self):
        self._folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self._folder, 0o700)
        # Open through os.open so the file is 0600 from its first byte, not after a chmod.
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        # Scrub a copy: other handlers (the console, pytest) keep the record as it was.
        private = logging.makeLogRecord(record.__dict__)
        private.exc_text = None
        PrivacyFilter().filter(private)
        super().emit(private)


def configure_logging(paths: DataPaths, level: int = logging.INFO) -> logging.Handler:
    """Send ``regenlog.*`` events to the data folder's rotating log; idempotent per folder."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            if handler.baseFilename == os.path.abspath(paths.logs / LOG_FILE):
                return handler
            logger.removeHandler(handler)
            handler.close()
    handler = PrivateRotatingFileHandler(paths)
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


def stop_logging() -> None:
    """Detach and close the file handler (tests, switching data folders)."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
