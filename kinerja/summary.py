"""The short summary a planner reads after a run, computed from the serving warehouse."""

from __future__ import annotations

import duckdb

from kinerja import status
from kinerja.config import Settings
from kinerja.publish import BATCH_OBJECT, CHANGE_LOG, has_table


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} %".replace(".", ",")


def rupiah(value) -> str:
    return f"Rp{int(value):,}".replace(",", ".")


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    sql = "select count(*) from duckdb_columns() where schema_name = 'marts' and table_name = ? and column_name = ?"
    return con.execute(sql, [table, column]).fetchone()[0] > 0


def summarize(settings: Settings) -> str:
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        # the reporting year follows the data: the latest year whose Perkin has realisasi, at its
        # latest period with data (the year itself once it has any, else its latest triwulan)
        latest = con.execute(
            "select tahun, periode from marts.ringkasan_capaian where kelompok_ringkasan = 'PERKIN' and jumlah_dihitung > 0 "
            "order by tahun desc, case periode when 'TAHUNAN' then 0 when 'TW4' then 1 when 'TW3' then 2 when 'TW2' then 3 else 4 end "
            "limit 1"
        ).fetchone()
        if latest is None:
            return f"Warehouse {settings.serving_db} has no Perkin figures yet (no realisasi in the inbox)."
        tahun, periode = latest
        # the Perkin at that period; the other groups are yearly
        rows = {
            r[0]: r[1:]
            for r in con.execute(
                "select kelompok_ringkasan, rata_rata_capaian_persen, kriteria, jumlah_indikator, jumlah_dihitung, jumlah_belum_rilis "
                "from marts.ringkasan_capaian where tahun = ? and periode = case when kelompok_ringkasan = 'PERKIN' then ? else 'TAHUNAN' end",
                [tahun, periode],
            ).fetchall()
        }
        menunggu = con.execute(
            "select indikator_kode, sumber_data from marts.capaian_indikator "
            "where tahun = ? and periode = ? and jenis_target = 'PERKIN' and status_data = 'BELUM_RILIS' order by 1",
            [tahun, periode],
        ).fetchall()
        rekon = dict(con.execute("select status, count(*) from marts.rekonsiliasi_lkip group by status").fetchall())
        anggaran = con.execute(
            "select realisasi, pagu_apbdp, serapan_persen from marts.serapan_anggaran where dimensi = 'TOTAL' and tahun = ?", [tahun]
        ).fetchone()
        umkm = None
        if has_table(con, "omzet_umkm_triwulan"):
            umkm = con.execute(
                "select o.realisasi_kumulatif, o.capaian_persen, n.jumlah_umkm_naik_kelas, "
                "(select sum(jumlah_umkm) from marts.eorder_pemerataan where tahun = ?), "
                "(select sum(jumlah_transaksi) from marts.eorder_pemerataan where tahun = ?) "
                "from marts.omzet_umkm_triwulan as o left join marts.umkm_naik_kelas as n on n.tahun = o.tahun "
                "where o.tahun = ? and o.periode = 'TW4'",
                [tahun, tahun, tahun],
            ).fetchone()
        ragu = (
            con.execute(
                "select indikator_kode, tahun, periode, target, realisasi, tanda_plausibilitas from marts.capaian_indikator "
                "where tanda_plausibilitas is not null and jenis_target = 'PERKIN' and periode = 'TAHUNAN' order by 1, 2"
            ).fetchall()
            if _has_column(con, "capaian_indikator", "tanda_plausibilitas")
            else []
        )
        has_log = has_table(con, CHANGE_LOG)
        changes = (
            con.execute(
                "select objek, kode, tahun, periode, jenis_target, status_lama, status_baru, nilai_lama, nilai_baru, keterangan "
                "from marts.log_perubahan "
                "where run_id = (select max(run_id) from marts.log_perubahan) order by objek, kode, tahun, periode, jenis_target"
            ).fetchall()
            if has_log
            else []
        )
    finally:
        con.close()

    lines = [f"Kinerja — capaian tahun {tahun}" + ("" if periode == "TAHUNAN" else f" (s.d. {periode})")]
    if "PERKIN" in rows:
        avg, kriteria, n, counted, waiting = rows["PERKIN"]
        lines.append(f"  Perjanjian Kinerja : rata-rata capaian {_pct(avg)} ({kriteria}); {counted} of {n} indicators counted")
        if waiting:
            sources = ", ".join(sorted({s for _, s in menunggu}))
            codes = ", ".join(k for k, _ in menunggu)
            lines.append(f"  Waiting for release: {waiting} indicator(s) ({codes}) wait for {sources}; left out of the average")
    for key, label in (
        ("PROGRAM", "Program indicators"),
        ("KSD", "Rencana aksi KSD"),
        ("OUTLOOK_PERKIN", "Outlook vs Perkin"),
        ("OUTLOOK_RENSTRA", "Outlook vs Renstra"),
        ("OUTLOOK_AKHIR_PERIODE", "Outlook vs akhir periode"),
    ):
        if key in rows:
            avg, kriteria, n, counted, _ = rows[key]
            lines.append(f"  {label:<19}: {_pct(avg)} ({kriteria}); {counted} of {n} counted")
    if anggaran and anggaran[2] is not None:
        realisasi, pagu, persen = anggaran
        lines.append(f"  Serapan anggaran   : {_pct(persen)} ({rupiah(realisasi)} of pagu APBD-P {rupiah(pagu)}; marts.serapan_anggaran)")
    if umkm and umkm[0] is not None:
        omzet, capaian, naik, eorder_umkm, eorder_transaksi = umkm
        lines.append(
            f"  UMKM binaan        : omzet {rupiah(omzet)} ({_pct(capaian)} of the cumulative target); "
            f"{naik if naik is not None else '-'} naik kelas; e-Order {eorder_umkm or 0} UMKM, {eorder_transaksi or 0} orders"
        )
    lines.append(
        "  Reconciliation with the published LKIP: "
        + ", ".join(f"{rekon.get(s, 0)} {s}" for s in ("COCOK", "SELISIH", "TIDAK_DAPAT_DIHITUNG"))
        + " (marts.rekonsiliasi_lkip)"
    )
    for kode, tahun_r, periode, target, realisasi, tanda in ragu:
        lines.append(
            f"  Plausibility check : {kode} {tahun_r} {periode} realisasi {realisasi:g} against target {target:g} ({tanda}); "
            "published, check the unit with the data owner"
        )
    for r in status.stale(settings):
        lines.append(
            f"  STALE source       : {r['sumber']}: {r['berkas']} rejected, marts keep its last good data (marts.status_sumber; {r['karantina']})"
        )
    for source, line in status.ignored_entries(settings):
        lines.append(f"  IGNORED file       : {source}: {line}")
    if changes:
        lines.append(f"  Changed in the latest publish with changes: {len(changes)} row(s) (marts.log_perubahan), e.g.")
        for *_, keterangan in (c for c in changes if c[0] == BATCH_OBJECT):  # a batch retracted or restored
            lines.append(f"    {keterangan}")
        shown = [c for c in changes if c[0] == "capaian_indikator" and c[4] == "PERKIN" and c[3] == "TAHUNAN"][:6]
        for _, kode, tahun_c, periode, jenis, status_lama, status_baru, lama, baru, _ in shown:
            before = status_lama if lama is None else f"{lama:g}"
            after = status_baru if baru is None else f"{baru:g}"
            lines.append(f"    {kode} {tahun_c} {periode} {jenis}: {before} -> {after}")
    lines.append(f"  Warehouse: {settings.serving_db}")
    lines.append(f"  Exports  : {settings.exports_dir}")
    lines.append(f"  Data Docs: {settings.warehouse_dir / 'data_docs' / 'index.html'} (what each validation checked, passed and failed)")
    if (settings.warehouse_dir / "dbt_docs" / "index.html").exists():
        lines.append(f"  dbt docs : {settings.warehouse_dir / 'dbt_docs' / 'index.html'} (every table and column, lineage, consumers)")
    return "\n".join(lines)
