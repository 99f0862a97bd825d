"""One open data folder as the window sees it: the services over it and whether it is the
demo. Imported after the first paint (it pulls in sqlmodel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.search import RecordLists
from ..core.services import Services
from ..store.database import open_database
from ..store.paths import DataPaths
from .bus import ChangeBus

DEMO_FOLDER_NAME = "RegenLog-demo"


def demo_paths_for(paths: DataPaths) -> DataPaths:
    """The demo's own folder beside the real one: never mixed with real records."""
    if is_demo_folder(paths):
        return paths
    return DataPaths(paths.root.parent / DEMO_FOLDER_NAME)


def is_demo_folder(paths: DataPaths) -> bool:
    return paths.root.name == DEMO_FOLDER_NAME


@dataclass
class DataSession:
    paths: DataPaths
    services: Services
    lists: RecordLists
    bus: ChangeBus
    is_demo: bool
    today: Callable[[], dt.date] = field(default=dt.date.today)

    @classmethod
    def open(cls, paths: DataPaths, *, today=dt.date.today) -> DataSession:
        db = open_database(paths)
        try:
            db.check_readable()  # damage is offered the newest good backup, not a half page
        except BaseException:
            db.close()
            raise
        return cls(paths, Services(db), RecordLists(db), ChangeBus(), is_demo_folder(paths), today)

    def is_empty(self) -> bool:
        from ..core.demo import is_empty

        return is_empty(self.services)

    def close(self) -> None:
        self.services.db.close()
