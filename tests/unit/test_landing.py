"""The landing zone's content hash: remembered across runs, recomputed when a file changes."""

from __future__ import annotations

import hashlib
import json
import os

from kinerja import landing


def test_inbox_hashes_are_remembered_by_size_and_mtime_and_recomputed_on_change(tmp_path):
    cache = tmp_path / "state" / "inbox-sha256.json"
    export = tmp_path / "transaksi_2025-01-01.csv"
    export.write_bytes(b"transaksi_id\nT1\n")
    assert landing.sha256_of(export, cache) == hashlib.sha256(b"transaksi_id\nT1\n").hexdigest()
    remembered = json.loads(cache.read_text())
    assert list(remembered.values())[0][-1] == hashlib.sha256(b"transaksi_id\nT1\n").hexdigest()

    # same size, new content, later mtime: hashed again, not taken from either cache
    export.write_bytes(b"transaksi_id\nT2\n")
    stat = export.stat()
    os.utime(export, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert landing.sha256_of(export, cache) == hashlib.sha256(b"transaksi_id\nT2\n").hexdigest()

    # a damaged cache file is ignored and rewritten
    cache.write_text("{not json")
    other = tmp_path / "umkm.csv"
    other.write_bytes(b"umkm_id\n")
    assert landing.sha256_of(other, cache) == hashlib.sha256(b"umkm_id\n").hexdigest()
    assert str(other.resolve()) in json.loads(cache.read_text())
