"""Tracebacks the self-test must notice even when the program survived them."""

from __future__ import annotations

import logging
import sys
import threading
import traceback

TRACEBACK = "Traceback (most recent call last)"


class TracebackWatch:
    """Every traceback the steps produce, wherever it went: raised in a Qt slot (PySide hands
    it to ``sys.excepthook`` and carries on), in a thread, unraisable (a finalizer), printed
    to stderr, or logged with its exception. Each is still printed, for whoever reads it."""

    def __init__(self, err):
        self.err = err
        self.seen: list[str] = []  # whole tracebacks, first first
        self._tee: _Tee | None = None

    def __enter__(self) -> TracebackWatch:
        self._saved = (sys.excepthook, threading.excepthook, sys.unraisablehook, sys.stderr)
        sys.excepthook = self._excepthook
        threading.excepthook = lambda a: self._excepthook(a.exc_type, a.exc_value,
                                                          a.exc_traceback)
        sys.unraisablehook = lambda u: self._excepthook(type(u.exc_value), u.exc_value,
                                                         u.exc_traceback)
        sys.stderr = self._tee = _Tee(self._saved[3])
        self._handler = _LoggedTracebacks(self)
        logging.getLogger("regenlog").addHandler(self._handler)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("regenlog").removeHandler(self._handler)
        sys.excepthook, threading.excepthook, sys.unraisablehook, sys.stderr = self._saved
        self.take_printed()

    def noticed(self) -> bool:
        return bool(self.seen) or (self._tee is not None and TRACEBACK in self._tee.text)

    def take_printed(self) -> None:
        """Move a traceback printed to stderr so far into ``seen``."""
        printed = self._tee.text if self._tee is not None else ""
        if TRACEBACK in printed:
            self.seen.append(printed[printed.index(TRACEBACK):])
        if self._tee is not None:
            self._tee.text = ""

    def _excepthook(self, kind, value, tb) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        self.seen.append(text)
        if self.err is not None:
            print(text, end="", file=self.err)

    def take(self) -> str | None:
        """The last line of the first traceback seen since the last call, or None."""
        self.take_printed()
        if not self.seen:
            return None
        first, self.seen = self.seen[0], []
        lines = [line for line in first.strip().splitlines() if line.strip()]
        return lines[-1] if lines else "a traceback"


class _Tee:
    """sys.stderr while the steps run: passes everything on, and keeps what was written since
    the watch last looked, from the first traceback on (else only a tail, in case one's
    first line comes in two writes)."""

    def __init__(self, stream):
        self.stream, self.text = stream, ""

    def write(self, text: str) -> int:
        if self.stream is not None:
            self.stream.write(text)
        self.text += text
        if TRACEBACK not in self.text:
            self.text = self.text[-len(TRACEBACK):]
        return len(text)

    def flush(self) -> None:
        if self.stream is not None:
            self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


class _LoggedTracebacks(logging.Handler):
    def __init__(self, watch: TracebackWatch):
        super().__init__(logging.WARNING)
        self.watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[0] is not None:
            kind, value, tb = record.exc_info
            text = "".join(traceback.format_exception(kind, value, tb))
            self.watch.seen.append(f"{record.getMessage()}\n{text}")
            if self.watch.err is not None:
                print(f"{record.getMessage()}\n{text}", end="", file=self.watch.err)
