"""Attachments are stored once, by content, atomically, without reading whole files."""

import hashlib
import os
import tracemalloc

import pytest

from regenlog.store.attachments import AttachmentError, AttachmentStore


def test_a_file_is_stored_once_under_its_hash(tmp_path):
    store = AttachmentStore(tmp_path / "att")
    source = tmp_path / "receipt.pdf"
    source.write_bytes(b"%PDF-1.4 receipt")
    first = store.put_file(source)
    second = store.put_file(source)
    assert first == second
    assert first.sha256 == hashlib.sha256(b"%PDF-1.4 receipt").hexdigest()
    assert store.path_for(first.sha256).read_bytes() == b"%PDF-1.4 receipt"
    assert store.all_hashes() == {first.sha256}
    assert store.leftover_temporaries() == []


def test_large_files_stream_in_chunks(tmp_path):
    store = AttachmentStore(tmp_path / "att")
    source = tmp_path / "scan.bin"
    with open(source, "wb") as handle:
        for _ in range(64):
            handle.write(os.urandom(1024 * 1024))
    tracemalloc.start()
    stored = store.put_file(source)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size == 64 * 1024 * 1024
    assert peak < 8 * 1024 * 1024  # a 64 MB file never sits in memory
    assert store.verify(stored.sha256)


def test_a_disk_full_error_leaves_nothing_behind(tmp_path, monkeypatch):
    import errno

    store = AttachmentStore(tmp_path / "att")
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"x" * 3_000_000)
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(AttachmentError, match="disk is full"):
        store.put_file(source)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert store.all_hashes() == set()
    assert store.leftover_temporaries() == []


def test_cancelling_stores_nothing(tmp_path):
    store = AttachmentStore(tmp_path / "att")
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"y" * 3_000_000)
    with pytest.raises(AttachmentError, match="cancelled"):
        store.put_file(source, cancelled=lambda: True)
    assert store.all_hashes() == set() and store.leftover_temporaries() == []


def test_missing_source_is_a_sentence(tmp_path):
    missing = tmp_path / "nope.pdf"
    with pytest.raises(AttachmentError, match="There is no file") as caught:
        AttachmentStore(tmp_path / "att").put_file(missing)
    assert str(caught.value) == f"There is no file {missing}."


def test_a_corrupted_file_fails_verification(tmp_path):
    store = AttachmentStore(tmp_path / "att")
    stored = store.put_bytes(b"original")
    path = store.path_for(stored.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(b"tampered")
    assert not store.verify(stored.sha256)
    path.unlink()
    assert not store.verify(stored.sha256)
