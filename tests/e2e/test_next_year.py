"""Into the next reporting year without editing the repository (issue 13): a 2025 target file, new
indicators and a new Renstra period arrive as inbox data beside 2025 TW1 E-Monev realisasi; the
marts and the summary speak of 2025, and every 2024 figure stays as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from kinerja import pipeline
from kinerja.dbt import public_marts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inbox"


def _rows(settings, mart: str, where: str = "true") -> list[tuple]:
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        columns = [r[0] for r in con.execute(f"describe marts.{mart}").fetchall() if not r[0].startswith("versi_data")]
        return con.execute(f"select {', '.join(columns)} from marts.{mart} where {where} order by all").fetchall()
    finally:
        con.close()


def _query(settings, sql: str, params=None):
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_a_2025_target_file_and_tw1_realisasi_make_2025_the_reporting_year(home_copy):
    settings = home_copy
    yearly = {m: "tahun <= 2024" for m in public_marts() if m != "rekonsiliasi_lkip"}
    before = {m: _rows(settings, m, w) for m, w in yearly.items()}
    rekon_before = _rows(settings, "rekonsiliasi_lkip")
    for folder in ("target", "katalog", "emonev"):
        for path in (FIXTURES / folder).iterdir():
            (settings.inbox / folder).mkdir(exist_ok=True)
            shutil.copy(path, settings.inbox / folder / path.name)

    result = pipeline.run(settings)
    assert len(result.landed) == 4  # targets, two catalogue files, the E-Monev file

    # capaian 2025 TW1 rows with kriteria, against the delivered targets (typed 5,0 -> 5)
    tw1 = {
        k: (t, r, round(c, 2), kr, s)
        for k, t, r, c, kr, s in _query(
            settings,
            "select indikator_kode, target, realisasi, capaian_persen, kriteria, status_data from marts.capaian_indikator "
            "where tahun = 2025 and periode = 'TW1' and jenis_target = 'PERKIN' and status_data = 'TERSEDIA'",
        )
    }
    assert tw1 == {
        "SK01": (100.0, 100.0, 100.0, "Sangat Tinggi", "TERSEDIA"),
        "SK03": (5.0, 4.0, 80.0, "Tinggi", "TERSEDIA"),
        "SO01": (100.0, 90.0, 90.0, "Tinggi", "TERSEDIA"),
        "SK30": (20.0, 22.5, 112.5, "Sangat Tinggi", "TERSEDIA"),  # a new indicator, from inbox/katalog/
    }
    waiting = _query(
        settings,
        "select indikator_kode from marts.capaian_indikator where tahun = 2025 and periode = 'TW1' and jenis_target = 'PERKIN' "
        "and status_data = 'BELUM_RILIS' order by 1",
    )
    assert waiting == [("SO02",), ("SO03",)]
    ((avg, counted, belum),) = _query(
        settings,
        "select rata_rata_capaian_persen, jumlah_dihitung, jumlah_belum_rilis from marts.ringkasan_capaian "
        "where kelompok_ringkasan = 'PERKIN' and tahun = 2025 and periode = 'TW1'",
    )
    assert (round(avg, 2), counted, belum) == (round((100 + 80 + 90 + 110) / 4, 2), 4, 2)  # SK30 capped at 110
    # the year has a Perkin: its indicators without realisasi are BELUM_RILIS rows, not missing
    ((annual_rows, annual_waiting),) = _query(
        settings,
        "select count(*), count(*) filter (where status_data = 'BELUM_RILIS') from marts.capaian_indikator "
        "where tahun = 2025 and periode = 'TAHUNAN' and jenis_target = 'PERKIN'",
    )
    assert annual_rows == 20 and annual_waiting == 20
    # the new Renstra period: SS08's outlook to 2029
    assert _query(
        settings, "select target_akhir_periode from marts.outlook_sasaran_strategis where indikator_kode = 'SS08' and tahun = 2025"
    ) == [(6.0,)]
    assert result.summary.startswith("Kinerja — capaian tahun 2025 (s.d. TW1)")
    assert "Perjanjian Kinerja : rata-rata capaian 95,00 % (Sangat Tinggi); 4 of 6 indicators counted" in result.summary
    assert "Waiting for release: 2 indicator(s) (SO02, SO03) wait for EMONEV" in result.summary

    # every 2024 figure and every reconciliation status as before
    assert {m: _rows(settings, m, w) for m, w in yearly.items()} == before
    assert _rows(settings, "rekonsiliasi_lkip") == rekon_before

    # a later target file corrects the earlier one, and the change log says so
    (settings.inbox / "target" / "target_2025_revisi.csv").write_text(
        "jenis_target,tahun,periode,indikator_kode,target,keterangan\nPERKIN,2025,TW1,SK03,4,revisi Perkin 2025\n"
    )
    pipeline.run(settings)
    ((target, capaian),) = _query(
        settings,
        "select target, capaian_persen from marts.capaian_indikator where indikator_kode = 'SK03' and tahun = 2025 and periode = 'TW1' "
        "and jenis_target = 'PERKIN'",
    )
    assert (target, capaian) == (4.0, 100.0)
    logged = _query(
        settings,
        "select kode, jenis_perubahan, capaian_lama, capaian_baru from marts.log_perubahan "
        "where run_id = (select max(run_id) from marts.log_perubahan) and objek = 'capaian_indikator'",
    )
    assert ("SK03", "BERUBAH", 80.0, 100.0) in logged
