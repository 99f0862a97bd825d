"""One window per data folder: a second launch on a folder that is already open hands over to
the window that has it (which comes to the front) and exits.

The writer lock says whether the folder is taken; this local socket says whether the taker
is a RegenLog window that can be asked to come forward. Its name is derived from the data
folder itself (not the path as typed) and the user, so two users, or two folders, never meet,
and every path to one folder meets the same window. The window
answers "ok" once it has raised itself: a hung process can still accept a connection (the
kernel does that for it), but only a live event loop answers.

Imported only when needed (QtNetwork costs milliseconds the first paint should not pay).
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE, OK = b"activate\n", b"ok\n"
# A window listens only once its data is open; a second launch this soon after the first
# keeps trying for a moment before it concludes nobody is there to answer.
HANDOVER_WAIT_S = 3.0
ANSWER_WAIT_MS = 2000

log = logging.getLogger("regenlog.ui.safety")


def server_name(root: Path) -> str:
    """``regenlog-<hash>``: the same for every launch of this user on this folder."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = str(Path.home())
    # 80 bits: no two folders meet, and the socket's path (the temporary folder, then this
    # name) stays within the 104 bytes macOS allows it.
    digest = hashlib.sha256(f"{user}\0{folder_identity(root)}".encode()).hexdigest()[:20]
    return f"regenlog-{digest}"


def folder_identity(root: Path) -> str:
    """One text per folder however its path is written. ``C:\\Data`` and ``c:\\data`` (Windows,
    and macOS's usual disks), a link, or a ``..`` reach the one folder and so the one writer
    lock: they must reach the one listener too, or a second launch finds the folder taken and
    nobody to hand over to. The file system's own id (device and file number) says it; a
    drive that has none (some network shares report 0) falls back to the resolved path in the
    system's letter-case rule."""
    path = Path(root).expanduser()
    try:
        info = os.stat(path)
    except OSError:
        info = None
    if info is not None and info.st_ino:
        return f"{info.st_dev}:{info.st_ino}"
    return os.path.normcase(os.path.realpath(path))


class InstanceServer(QObject):
    """Listens for later launches on the open data folder and asks the window to come up."""

    activateRequested = Signal()  # noqa: N815

    def __init__(self, parent=None):
        super().__init__(parent)
        self.server: QLocalServer | None = None
        self.name: str | None = None

    def listen(self, root: Path) -> bool:
        name = server_name(root)
        if self.name == name and self.server is not None:
            return True
        self.close()
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._accept)
        if not server.listen(name):
            # A socket file left by a RegenLog that crashed: ours to replace, since this
            # process holds the folder's writer lock.
            QLocalServer.removeServer(name)
            if not server.listen(name):
                server.deleteLater()
                return False
        self.server, self.name = server, name
        return True

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
        self.server, self.name = None, None

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == ACTIVATE:
            log.info("a later launch on this folder handed over to this window")
            self.activateRequested.emit()
            socket.write(OK)
            socket.flush()
        socket.disconnectFromServer()


def hand_over(root: Path, *, wait_s: float | None = None) -> bool:
    """Ask the RegenLog window that has ``root`` open to come forward; True if it answered."""
    name = server_name(root)
    deadline = time.monotonic() + (HANDOVER_WAIT_S if wait_s is None else wait_s)
    while True:
        answered = _ask(name)
        if answered is not None:
            return answered
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def _ask(name: str) -> bool | None:
    """True: the window answered; False: something listens but is silent (hung); None:
    nobody listens (yet)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    try:
        if not socket.waitForConnected(500):
            return None
        socket.write(ACTIVATE)
        if not socket.waitForBytesWritten(1000):
            return False
        answer = bytes(socket.readAll().data())  # it may have come in already
        while not answer.endswith(b"\n") and socket.waitForReadyRead(ANSWER_WAIT_MS):
            answer += bytes(socket.readAll().data())
        return answer == OK
    finally:
        socket.abort()
