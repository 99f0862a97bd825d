"""Documents: files attached to records, stored once by content, described in the database.

The file is stored first (content-addressed, atomic), then the row and its links are written
in one transaction: a crash between the two leaves at worst an unreferenced file, never a
row that points at nothing.
"""

import datetime as dt
import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlmodel import col, select

from .. import models as m
from ..enums import DocumentKind
from ..errors import ValidationError
from ..ports import Database
from ..record_kinds import RECORD_KINDS
from .records import Records, now, record_type_of

MAX_NAME = 200


class Documents:
    def __init__(self, db: Database):
        self.db = db
        self.records = Records(db)

    def attach_file(
        self,
        source: Path,
        *,
        kind: DocumentKind | str = DocumentKind.other,
        title: str = "",
        document_date: dt.date | None = None,
        links: Iterable[tuple[str, int]] = (),
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        original_name: str | None = None,
    ) -> m.Document:
        source = Path(source)
        name = (original_name or source.name).strip()
        links = list(links)
        self._check_links(links)
        stored = self.db.attachments.put_file(source, progress, cancelled)
        return self._add(stored.sha256, stored.size, name, kind, title, document_date, links)

    def attach_bytes(self, data: bytes, name: str, **kwargs) -> m.Document:
        links = list(kwargs.pop("links", ()))
        self._check_links(links)
        stored = self.db.attachments.put_bytes(data)
        return self._add(
            stored.sha256, stored.size, name, kwargs.get("kind", DocumentKind.other),
            kwargs.get("title", ""), kwargs.get("document_date"), links,
        )

    def _add(self, sha, size, name, kind, title, document_date, links) -> m.Document:
        if not name or len(name) > MAX_NAME:
            raise ValidationError("A document needs a file name of at most 200 characters.")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with self.db.session() as session:
            doc = self.records.create_in(
                session, m.Document, sha256=sha, size=size, original_name=name,
                content_type=content_type, kind=DocumentKind(kind), title=title or Path(name).stem,
                document_date=document_date,
            )
            for record_type, record_id in links:
                session.add(m.DocumentLink(
                    document_id=doc.id, record_type=record_type, record_id=record_id
                ))
            self.records._commit(session)
            session.refresh(doc)
            return doc

    def link(self, document_id: int, record_type: str, record_id: int) -> None:
        self._check_links([(record_type, record_id)])
        with self.db.session() as session:
            self.records._get(session, m.Document, document_id)
            exists = session.exec(select(m.DocumentLink).where(
                m.DocumentLink.document_id == document_id,
                m.DocumentLink.record_type == record_type,
                m.DocumentLink.record_id == record_id,
            )).first()
            if exists is None:
                session.add(m.DocumentLink(
                    document_id=document_id, record_type=record_type, record_id=record_id
                ))
                session.commit()

    def unlink(self, document_id: int, record_type: str, record_id: int) -> None:
        with self.db.session() as session:
            for link in session.exec(select(m.DocumentLink).where(
                m.DocumentLink.document_id == document_id,
                m.DocumentLink.record_type == record_type,
                m.DocumentLink.record_id == record_id,
            )):
                session.delete(link)
            session.commit()

    def rename(self, document_id: int, title: str) -> m.Document:
        if not title.strip():
            raise ValidationError("Give the document a title.")
        return self.records.update(m.Document, document_id, title=title)

    def for_record(self, model: type[m.Record], record_id: int) -> list[m.Document]:
        """Live documents attached to one record, oldest first."""
        with self.db.session() as session:
            return list(session.exec(
                select(m.Document)
                .join(m.DocumentLink, col(m.DocumentLink.document_id) == m.Document.id)
                .where(
                    m.DocumentLink.record_type == record_type_of(model),
                    m.DocumentLink.record_id == record_id,
                    col(m.Document.deleted_at).is_(None),
                )
                .order_by(col(m.Document.document_date), col(m.Document.id))
            ))

    def links_of(self, document_id: int) -> list[tuple[str, int]]:
        with self.db.session() as session:
            return [
                (link.record_type, link.record_id)
                for link in session.exec(
                    select(m.DocumentLink).where(m.DocumentLink.document_id == document_id)
                    .order_by(col(m.DocumentLink.id))
                )
            ]

    def verified_path(self, document: m.Document) -> Path:
        """The stored file's path once it is checked to be what was attached, for a viewer
        that reads the path itself; AttachmentError when it is missing or changed."""
        return self.db.attachments.verified_path(document.sha256)

    def export_to(self, document_id: int, target: Path) -> Path:
        doc = self.records.get(m.Document, document_id)
        self.db.attachments.copy_to(doc.sha256, Path(target))
        return Path(target)

    def _check_links(self, links: list[tuple[str, int]]) -> None:
        with self.db.session() as session:
            for record_type, record_id in links:
                kind = RECORD_KINDS.get(record_type)
                model = kind.model if kind is not None else None
                if model is None or model is m.Document:
                    raise ValidationError(f'"{record_type}" is not a record a document can attach to.')
                self.records._get(session, model, record_id)


__all__ = ["Documents", "now"]
