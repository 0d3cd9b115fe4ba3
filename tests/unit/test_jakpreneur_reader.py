"""The Jakpreneur transaction reader on its own (no build): encodings the exports come in."""

from __future__ import annotations

import duckdb

HEADER = "transaksi_id,umkm_id,waktu,kanal,jenis,nominal,transaksi_asal_id\n"


def test_a_windows_1252_byte_after_the_first_mebibyte_is_read_as_such(tmp_path):
    """The encoding is guessed from the first MiB; a cp1252 byte further down makes DuckDB reject
    the row as invalid UTF-8, and the file is read again in the Windows code page."""
    from ingestion.jakpreneur import stage_transactions

    rows = "".join(f" T{n:06d} ,JP0000002,2024-05-01 10:00:00,QRIS,PENJUALAN,1000,\n" for n in range(20_000))
    export = tmp_path / "transaksi_2024-05-01.csv"
    export.write_bytes((HEADER + rows).encode() + "TRX-\xe9,JP0000002,2024-05-01 11:00:00,QRIS,PENJUALAN,2500,\n".encode("cp1252"))
    assert export.stat().st_size > 1 << 20
    con = duckdb.connect()
    con.execute("create temp table known_umkm as select 'JP0000002' as umkm_id")
    staged = stage_transactions(
        con, export, tmp_path / "rows.parquet", batch_id="b", landed_at="l", landed_files=[], check=lambda table, now: []
    )
    assert staged.row_count == 20_001
    ids = [
        r[0]
        for r in con.execute(f"select transaksi_id from read_parquet('{tmp_path / 'rows.parquet'}') order by 1 desc limit 1").fetchall()
    ]
    assert ids == ["TRX-é"]  # and the padded ids of the other rows were trimmed
    assert con.execute(f"select count(*) from read_parquet('{tmp_path / 'rows.parquet'}') where transaksi_id = 'T000000'").fetchone() == (
        1,
    )
