"""BPS end to end: the default run computes the four PDRB indicators from the sample; a later
release, dropped in the inbox or found by a poll of a real HTTP server, fills 2024 in, moves the
averages, is listed in the change log, and the earlier figures can still be rebuilt."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime

import duckdb
import pytest

from ingestion.bps.client import BpsClient
from ingestion.bps.config import load_config
from kinerja import bps, pipeline
from kinerja import ingest as ingest_step
from kinerja.errors import PipelineError
from kinerja.landing import landed_batches
from tests.bps_server import KEY, RILIS_2025_02, serve_release

BPS_CODES = ("SS01", "SS02", "SS06", "SS07")


def query(path, sql, params=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def realisasi(path, tahun):
    return dict(
        (k, (r, s, src))
        for k, r, s, src in query(
            path,
            "select indikator_kode, realisasi, status_data, sumber_data from marts.capaian_indikator "
            "where tahun = ? and periode = 'TAHUNAN' and jenis_target = 'PERKIN' and indikator_kode in ('SS01', 'SS02', 'SS06', 'SS07')",
            [tahun],
        )
    )


def perkin_average(path, tahun=2024):
    return query(
        path,
        "select round(rata_rata_capaian_persen, 2), jumlah_dihitung, jumlah_belum_rilis from marts.ringkasan_capaian "
        "where kelompok_ringkasan = 'PERKIN' and tahun = ? and periode = 'TAHUNAN'",
        [tahun],
    )[0]


def test_default_run_computes_2023_from_bps_and_leaves_2024_waiting(published):
    settings, _ = published
    db = settings.serving_db
    assert realisasi(db, 2023) == {
        "SS01": (11.87, "TERSEDIA", "BPS"),
        "SS02": (17.67, "TERSEDIA", "BPS"),
        "SS06": (4.49, "TERSEDIA", "BPS"),
        "SS07": (9.49, "TERSEDIA", "BPS"),
    }
    assert realisasi(db, 2024) == {k: (None, "BELUM_RILIS", "BPS") for k in BPS_CODES}
    versions = {
        v
        for (v,) in query(
            db, "select distinct versi_data from marts.capaian_indikator where sumber_data = 'BPS' and versi_data is not null"
        )
    }
    landed = {b.batch_id for b in landed_batches(settings.landing_dir, "bps", "pdrb")}
    assert versions and versions <= landed
    # the planners' manual E-Monev entries agree with what BPS gives
    emonev = query(
        db,
        "select indikator_kode, nilai_terbitan, nilai_hitung, status from marts.rekonsiliasi_lkip where tabel = 'E-MONEV' "
        "and indikator_kode in ('SS01', 'SS02', 'SS06', 'SS07') order by 1",
    )
    assert emonev == [
        ("SS01", 11.87, 11.87, "COCOK"),
        ("SS02", 17.67, 17.67, "COCOK"),
        ("SS06", 4.49, 4.49, "COCOK"),
        ("SS07", 9.49, 9.49, "COCOK"),
    ]
    assert perkin_average(db) == (102.36, 15, 4)


def test_table_3_14_comes_out_of_perbandingan_nasional(published):
    settings, _ = published
    rows = query(
        settings.serving_db,
        "select indikator_kode, nilai_daerah, nilai_nasional from marts.perbandingan_nasional where tahun = 2024 and periode = 'TW3' order by 1",
    )
    assert rows == [("SS01", 11.56, 19.02), ("SS02", 18.22, 13.09), ("SS06", 1.33, 4.72), ("SS07", 7.99, 4.82)]
    status = query(settings.serving_db, "select distinct status from marts.rekonsiliasi_lkip where tabel = '3.14'")
    assert status == [("COCOK",)]
    # annual 2019-2023 for both domains, quarters up to 2024 Q3; pertumbuhan needs the year before
    assert query(
        settings.serving_db, "select min(tahun), max(tahun), count(*) from marts.perbandingan_nasional where periode = 'TAHUNAN'"
    ) == [(2019, 2023, 18)]


EXPECTED_CHANGES = (
    {
        ("capaian_indikator", kode, 2024, periode, jenis, "BELUM_RILIS", "TERSEDIA")
        for kode in BPS_CODES
        for periode, jenis in (("TAHUNAN", "PERKIN"), ("TAHUNAN", "RENSTRA"), ("TW4", "PERKIN"))
    }
    | {
        # BPS revised 2023 Q4 of perdagangan: 2023 pertumbuhan 9.49 -> 9.57
        ("capaian_indikator", "SS07", 2023, "TAHUNAN", "PERKIN", "TERSEDIA", "TERSEDIA"),
        ("capaian_indikator", "SS07", 2023, "TAHUNAN", "RENSTRA", "TERSEDIA", "TERSEDIA"),
        ("ringkasan_capaian", "PERKIN", 2024, "TAHUNAN", "PERKIN", "Sangat Tinggi", "Sangat Tinggi"),
        ("ringkasan_capaian", "PERKIN", 2024, "TW4", "PERKIN", "Sangat Tinggi", "Sangat Tinggi"),
        ("ringkasan_capaian", "OUTLOOK_PERKIN", 2024, "TAHUNAN", "PERKIN", "Sangat Tinggi", "Sangat Tinggi"),
        ("ringkasan_capaian", "OUTLOOK_RENSTRA", 2024, "TAHUNAN", "RENSTRA", "Sangat Tinggi", "Sangat Tinggi"),
        ("ringkasan_capaian", "OUTLOOK_AKHIR_PERIODE", 2024, "TAHUNAN", "RENSTRA", "Tinggi", "Tinggi"),
    }
    | {
        # tabel 3.14: 2024 TW IV and the year are new for all four; SS07's 2023 values were revised
        ("perbandingan_nasional", kode, 2024, periode, None, None, None)
        for kode in BPS_CODES
        for periode in ("TW4", "TAHUNAN")
    }
    | {("perbandingan_nasional", "SS07", 2023, periode, None, None, None) for periode in ("TW4", "TAHUNAN")}
)


def assert_later_release_published(db):
    assert realisasi(db, 2024) == {
        "SS01": (11.61, "TERSEDIA", "BPS"),
        "SS02": (17.93, "TERSEDIA", "BPS"),
        "SS06": (3.12, "TERSEDIA", "BPS"),
        "SS07": (6.24, "TERSEDIA", "BPS"),
    }
    assert realisasi(db, 2023)["SS07"] == (9.57, "TERSEDIA", "BPS")
    assert perkin_average(db) == (99.4, 19, 0)
    outlook = dict(
        query(
            db,
            "select kelompok_ringkasan, round(rata_rata_capaian_persen, 2) from marts.ringkasan_capaian where kelompok_ringkasan like 'OUTLOOK%' and tahun = 2024",
        )
    )
    assert outlook == {"OUTLOOK_PERKIN": 94.08, "OUTLOOK_RENSTRA": 96.16, "OUTLOOK_AKHIR_PERIODE": 87.31}
    capaian = dict(
        query(
            db,
            "select indikator_kode, round(capaian_persen, 2) from marts.capaian_indikator where tahun = 2024 and periode = 'TAHUNAN' and jenis_target = 'PERKIN' and sumber_data = 'BPS'",
        )
    )
    assert capaian == {"SS01": 93.63, "SS02": 105.47, "SS06": 44.57, "SS07": 109.47}
    kriteria = query(
        db,
        "select kriteria from marts.capaian_indikator where indikator_kode = 'SS06' and tahun = 2024 and periode = 'TAHUNAN' and jenis_target = 'PERKIN'",
    )
    assert kriteria == [("Sangat Rendah",)]


def change_log(db, newest_only=True):
    where = "where run_id = (select max(run_id) from marts.log_perubahan)" if newest_only else ""
    return query(
        db,
        f"select objek, kode, tahun, periode, jenis_target, status_lama, status_baru, nilai_lama, nilai_baru from marts.log_perubahan {where}",
    )


def test_dropping_the_later_release_fills_2024_and_logs_what_moved(home_copy):
    settings = home_copy
    before = settings.serving_db.stat().st_mtime_ns
    (first_publish,) = query(settings.serving_db, "select max(dipublikasikan_pada) from marts.riwayat_publikasi")[0]
    for path in RILIS_2025_02.iterdir():  # Jakarta as CSV tables from the website, Indonesia as JSON answers
        shutil.copy(path, settings.inbox / "bps" / path.name)
    # landed but not yet published: "as published now" is still the earlier figures
    assert len(ingest_step.ingest(settings).landed) == 4
    not_yet = pipeline.rebuild_as_of(settings, datetime.now(UTC).isoformat(), settings.home / "not-yet.duckdb")
    assert realisasi(not_yet, 2024) == {k: (None, "BELUM_RILIS", "BPS") for k in BPS_CODES}
    result = pipeline.run(settings)
    assert result.landed == [] and settings.serving_db.stat().st_mtime_ns != before
    db = settings.serving_db
    assert_later_release_published(db)
    log = change_log(db)
    assert {row[:7] for row in log} == EXPECTED_CHANGES and len(log) == len(EXPECTED_CHANGES)
    moved = {(r[1], r[2], r[3], r[4]): (r[7], r[8]) for r in log}
    assert moved[("SS01", 2024, "TAHUNAN", "PERKIN")] == (None, 11.61)
    assert moved[("SS07", 2023, "TAHUNAN", "PERKIN")] == (9.49, 9.57)
    assert moved[("PERKIN", 2024, "TAHUNAN", "PERKIN")][1] == pytest.approx(99.3993, abs=1e-3)
    # the planners' export of the change log
    assert (settings.exports_dir / "log_perubahan.parquet").exists()
    # reconciliation: the published N/A cells now explain themselves
    na = query(
        db,
        "select count(*), min(penjelasan) from marts.rekonsiliasi_lkip where teks_terbitan = 'N/A' and status = 'SELISIH' and indikator_kode = 'SS01'",
    )
    assert na[0][0] > 0 and na[0][1].startswith("Published N/A: the data was not released when the report went out")
    assert query(db, "select count(*) from marts.rekonsiliasi_lkip where status <> 'COCOK' and penjelasan like 'Not explained yet%'") == [
        (0,)
    ]

    # running again with nothing new changes nothing and logs nothing
    pipeline.run(settings)
    assert len(change_log(settings.serving_db, newest_only=False)) == len(EXPECTED_CHANGES)

    # the figures as published before the release can still be rebuilt
    old = pipeline.rebuild_as_of(settings, first_publish.isoformat())
    assert realisasi(old, 2024) == {k: (None, "BELUM_RILIS", "BPS") for k in BPS_CODES}
    assert realisasi(old, 2023)["SS07"] == (9.49, "TERSEDIA", "BPS")
    assert perkin_average(old) == (102.36, 15, 4)
    assert old.parent == settings.warehouse_dir / "as_of"
    assert_later_release_published(settings.serving_db)  # serving file untouched by the rebuild
    assert_later_release_published(pipeline.rebuild_as_of(settings, datetime.now(UTC).isoformat(), settings.home / "now.duckdb"))
    with pytest.raises(PipelineError, match="nothing was published at or before"):
        pipeline.rebuild_as_of(settings, "2020-01-01")


def test_poll_finds_nothing_then_a_release_which_gets_published(home_copy, httpserver):
    settings = home_copy
    config = load_config()
    config = dataclasses.replace(config, api=dataclasses.replace(config.api, base_url=httpserver.url_for("/v1/api")))
    serve_release(httpserver, "awal")  # what the sample already holds
    landed_before = len(landed_batches(settings.landing_dir, "bps", "pdrb"))
    client = BpsClient(KEY, config)
    result = bps.poll(settings, KEY, years=[2023, 2024], config=config, client=client)
    assert (result.new_release, result.requests, result.changed) == (False, 4, 0)
    assert result.rows == 19 * 8 * 4
    assert len(landed_batches(settings.landing_dir, "bps", "pdrb")) == landed_before

    serve_release(httpserver, "akhir")
    result = bps.poll(settings, KEY, years=[2023, 2024], config=config, client=BpsClient(KEY, config))
    assert result.new_release and result.requests == 4
    # 2024 Q4 + year (2 periods x 19 rows x 4 answers) are new; the 2023 Q4 revision of perdagangan ADHK
    # touches G and the total, Q4 and the year, in both domains
    assert result.changed == 2 * 19 * 4 + 2 * 2 * 2
    assert len(landed_batches(settings.landing_dir, "bps", "pdrb")) == landed_before + 1
    pipeline.build_and_publish(settings)
    assert_later_release_published(settings.serving_db)
    assert {row[:7] for row in change_log(settings.serving_db)} == EXPECTED_CHANGES

    # the same release polled again: nothing new, nothing landed
    again = bps.poll(settings, KEY, years=[2023, 2024], config=config, client=BpsClient(KEY, config))
    assert not again.new_release and again.changed == 0
