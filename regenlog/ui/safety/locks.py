"""The writer locks one window holds. No Qt and no store import at the top: it is built
before the first paint."""

from __future__ import annotations

from pathlib import Path


class FolderLocks:
    """The writer locks this window holds: the open folder's, and for a moment while
    switching, the next one's."""

    def __init__(self):
        self.held: dict[Path, object] = {}

    def adopt(self, paths, lock) -> None:
        """A lock taken before the window was built (``claim.claim_folder``)."""
        self.held[paths.root] = lock

    def holds(self, paths) -> bool:
        return paths.root in self.held

    def take(self, paths) -> bool:
        """Hold ``paths``' lock; True if it was taken now (False: held already). Raises
        ``DataFolderInUse`` when another process has it."""
        if paths.root in self.held:
            return False
        from ...store.lock import acquire_writer_lock

        self.held[paths.root] = acquire_writer_lock(paths)
        return True

    def release(self, paths) -> None:
        lock = self.held.pop(paths.root, None)
        if lock is not None:
            lock.release()

    def keep_only(self, paths) -> None:
        for root in [r for r in self.held if r != paths.root]:
            self.held.pop(root).release()

    def release_all(self) -> None:
        for lock in self.held.values():
            lock.release()
        self.held.clear()
