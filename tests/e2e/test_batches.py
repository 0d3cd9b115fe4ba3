"""Operations on a real home (issue 17, item 4): a batch that should not have landed is retracted
and leaves the marts at the next publish, the change log and the publish history say why, a
rebuild as of before the retraction gives the figures with it back, a restore undoes it; a home
copied as docs/operations.md says is restored and publishes the same figures; retention prunes
old validation results and rebuilds but never what the serving warehouse rests on.

One home is built for the module (the session's sample build, copied) and the tests run in file
order on it: each later test starts from the state the earlier ones left.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from kinerja import batches, cli, pipeline, quality, retention, retractions, summary
from kinerja.config import SAMPLE_INBOX, Settings
from kinerja.dbt import public_marts
from kinerja.errors import PipelineError

KINERJA = Path(sys.executable).with_name("kinerja")
CORRECTION = "tahun,periode,indikator_kode,realisasi,keterangan\n2024,TAHUNAN,SK09,66.5,koreksi\n"
SK09 = (
    "select realisasi, round(capaian_persen, 2), versi_data from marts.capaian_indikator "
    "where indikator_kode = 'SK09' and tahun = 2024 and periode = 'TAHUNAN' and jenis_target = 'PERKIN'"
)
PERKIN = (
    "select round(rata_rata_capaian_persen, 2) from marts.ringkasan_capaian "
    "where kelompok_ringkasan = 'PERKIN' and tahun = 2024 and periode = 'TAHUNAN' and jenis_target = 'PERKIN'"
)
OMZET_TW4 = "select realisasi_omzet from marts.omzet_umkm_triwulan where tahun = 2024 and periode = 'TW4'"
# the incremental model under it: every UMKM's net omzet (the mart counts the agency's binaan only)
OMZET_ALL_TW4 = "select sum(omzet_bersih) from intermediate.int_omzet_umkm_triwulan_dijumlah where tahun = 2024 and periode = 'TW4'"


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def figures(db: Path) -> dict:
    return {
        "SK09": query(db, SK09)[0],
        "PERKIN": query(db, PERKIN)[0][0],
        "omzet_tw4": query(db, OMZET_TW4)[0][0],
        "omzet_all_tw4": query(db, OMZET_ALL_TW4)[0][0],
    }


def all_marts(db: Path) -> dict[str, list[tuple]]:
    return {m: query(db, f"select * from marts.{m} order by all") for m in public_marts()}


def batch_rows(db: Path, run_id: str) -> list[tuple]:
    """The change-log rows of a publish that record a batch retracted or restored."""
    return query(
        db,
        "select kode, nama, jenis_perubahan, status_lama, status_baru, keterangan from marts.log_perubahan "
        "where run_id = ? and objek = 'batch' order by kode, dipublikasikan_pada",
        [run_id],
    )


def kinerja(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, KINERJA_HOME=str(settings.home), KINERJA_INBOX=str(settings.inbox))
    return subprocess.run([str(KINERJA), *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def story(published, tmp_path_factory):
    """The sample home; a correction of SK09 lands and is published; then it and the last
    Jakpreneur transaction export are retracted and the next run publishes without them."""
    base = tmp_path_factory.mktemp("batches")
    # state/ without the build and dbt's files (the validation results stay, for the retention test)
    shutil.copytree(published[0].home, base / "home", ignore=shutil.ignore_patterns("build", "dbt", "run.lock"))
    shutil.copytree(SAMPLE_INBOX, base / "inbox")
    settings = Settings.from_env(home=base / "home", inbox=base / "inbox")
    sample = figures(settings.serving_db)
    (settings.inbox / "emonev" / "koreksi_2024.csv").write_text(CORRECTION)
    landed = pipeline.run(settings).landed
    assert len(landed) == 1
    correction = landed[0]
    with_batches = figures(settings.serving_db)
    listed_before = {r.batch.batch_id: r for r in batches.listing(settings)}
    transaksi = max((r.batch for r in listed_before.values() if r.batch.entity == "transaksi"), key=lambda b: b.batch_id)
    time.sleep(0.05)
    before_retraction = datetime.now(UTC).isoformat()
    time.sleep(0.05)
    done = kinerja(settings, "batch", "retract", correction, "--reason", "wrong file: SK09 was not corrected")
    assert done.returncode == 0, done.stderr
    batches.retract(settings, transaksi.batch_id, "export cut off mid-day; the Jakpreneur team resends it")
    messages: list[str] = []
    started = time.monotonic()
    result = pipeline.run(settings, messages.append)
    seconds = time.monotonic() - started
    return {
        "settings": settings,
        "sample": sample,
        "correction": correction,
        "transaksi": transaksi,
        "with_batches": with_batches,
        "listed_before": listed_before,
        "before_retraction": before_retraction,
        "retract_output": done.stdout,
        "messages": messages,
        "result": result,
        "seconds": seconds,
    }


def test_batch_list_shows_every_landed_batch_with_serving_and_retraction(story):
    settings, correction = story["settings"], story["correction"]
    before = story["listed_before"][correction]
    assert (before.batch.source, before.batch.entity, before.batch.original_name, before.batch.row_count) == (
        "emonev",
        "realisasi",
        "koreksi_2024.csv",
        1,
    )
    assert before.in_serving and not before.retracted
    # all 46 batches of the sample and the correction are listed, every one in the serving warehouse then
    assert len(story["listed_before"]) == 46 and all(r.in_serving for r in story["listed_before"].values())
    after = {r.batch.batch_id: r for r in batches.listing(settings)}
    assert len(after) == 46
    assert not after[correction].in_serving and after[correction].retraction.alasan == "wrong file: SK09 was not corrected"
    assert sorted(b for b, r in after.items() if r.retracted) == sorted([correction, story["transaksi"].batch_id])
    shown = kinerja(settings, "batch", "list")
    assert shown.returncode == 0, shown.stderr
    line = next(x for x in shown.stdout.splitlines() if x.startswith(correction))
    assert "emonev/realisasi" in line and "koreksi_2024.csv" in line and line.endswith("wrong file: SK09 was not corrected")
    assert " no " in line  # not in the serving warehouse any more
    assert f"batch {correction} (emonev/realisasi, koreksi_2024.csv) retracted at" in story["retract_output"]
    # the original is kept, untouched, in the landing zone
    original = settings.landing_dir / after[correction].batch.directory / "original.csv"
    assert original.read_text() == CORRECTION


def test_retract_refuses_unknown_already_retracted_no_reason_and_a_held_lock(story, capsys):
    settings, correction = story["settings"], story["correction"]
    events = len(retractions.events(settings.landing_dir))
    home = ["--home", str(settings.home)]
    assert cli.main(["batch", "retract", "emonev-nope", "--reason", "x", *home]) == 1
    assert "no landed batch 'emonev-nope'" in capsys.readouterr().err
    assert cli.main(["batch", "retract", correction, "--reason", "again", *home]) == 1
    err = capsys.readouterr().err
    assert f"batch {correction} (koreksi_2024.csv) is already retracted, since" in err and "wrong file" in err
    with pytest.raises(PipelineError, match="give a reason"):
        batches.retract(settings, correction, "   ")
    assert cli.main(["batch", "restore", "emonev-nope", *home]) == 1
    assert "no landed batch 'emonev-nope'" in capsys.readouterr().err
    with pipeline.run_lock(settings):
        other = next(b for b, r in story["listed_before"].items() if b not in (correction, story["transaksi"].batch_id))
        with pytest.raises(PipelineError, match="another Kinerja run holds"):
            batches.retract(settings, other, "while a run holds the lock")
    assert len(retractions.events(settings.landing_dir)) == events  # nothing recorded by any of these


def test_a_retracted_batch_leaves_the_marts_and_the_change_log_and_history_say_why(story):
    settings, correction, transaksi = story["settings"], story["correction"], story["transaksi"]
    sample, with_batches = story["sample"], story["with_batches"]
    # the correction had moved SK09 (93.46 -> 66.5) and the Perkin average
    assert with_batches["SK09"][:2] == (66.5, 93.66) and sample["SK09"][:2] == (93.46, 131.63)
    after = figures(settings.serving_db)
    assert after["SK09"] == sample["SK09"]  # back to the sample's figure, from the sample's batch
    assert after["PERKIN"] == sample["PERKIN"] == 102.36 and with_batches["PERKIN"] == 101.27
    # the incremental omzet model was recomputed: the retracted export's Q4 2024 sales are gone
    rows = story["settings"].landing_dir / transaksi.directory / "rows.parquet"
    (q4,) = query(
        settings.serving_db,
        f"select sum(nominal) from read_parquet('{rows}') where year(waktu) = 2024 and quarter(waktu) = 4",
    )[0]
    assert q4 > 0 and after["omzet_all_tw4"] == with_batches["omzet_all_tw4"] - q4
    assert with_batches["omzet_tw4"] == sample["omzet_tw4"] and after["omzet_tw4"] < with_batches["omzet_tw4"]
    assert any("incremental models recomputed from every batch" in m for m in story["messages"])
    # the change log: the publish moved SK09 because of the retraction, and says so
    run_id = story["result"].run_id
    log = {
        (o, k, p, j): (lama, baru, ket)
        for o, k, p, j, lama, baru, ket in query(
            settings.serving_db,
            "select objek, kode, periode, jenis_target, nilai_lama, nilai_baru, keterangan from marts.log_perubahan "
            "where run_id = ? and tahun = 2024",
            [run_id],
        )
    }
    lama, baru, why = log[("capaian_indikator", "SK09", "TAHUNAN", "PERKIN")]
    assert (lama, baru) == (66.5, 93.46)
    assert why == f"batch {correction} (koreksi_2024.csv) retracted: wrong file: SK09 was not corrected"
    lama, baru, why = log[("ringkasan_capaian", "PERKIN", "TAHUNAN", "PERKIN")]
    assert (round(lama, 2), round(baru, 2)) == (101.27, 102.36)
    assert correction in why and transaksi.batch_id in why  # nothing new landed: both retractions moved it
    # every row of that publish names a retraction
    assert query(settings.serving_db, "select count(*) from marts.log_perubahan where run_id = ? and keterangan is null", [run_id]) == [
        (0,)
    ]
    # and each retraction is a row of its own: the batch went from DIPAKAI to DITARIK
    assert batch_rows(settings.serving_db, run_id) == sorted(
        [
            (correction, "koreksi_2024.csv", "DITARIK", "DIPAKAI", "DITARIK", f"batch {correction} (koreksi_2024.csv) retracted: wrong file: SK09 was not corrected"),
            (
                transaksi.batch_id, transaksi.original_name, "DITARIK", "DIPAKAI", "DITARIK",
                f"batch {transaksi.batch_id} ({transaksi.original_name}) retracted: export cut off mid-day; the Jakpreneur team resends it",
            ),
        ]
    )  # fmt: skip
    # the publish history: built without both, and records them as retracted with the reason
    history = query(
        settings.serving_db,
        "select batch_id, status_batch, alasan_penarikan, ditarik_pada is not null from marts.riwayat_publikasi where run_id = ? "
        "and (batch_id = ? or batch_id = ?) order by status_batch, batch_id",
        [run_id, correction, transaksi.batch_id],
    )
    assert history == sorted(
        [
            (correction, "DITARIK", "wrong file: SK09 was not corrected", True),
            (transaksi.batch_id, "DITARIK", "export cut off mid-day; the Jakpreneur team resends it", True),
        ]
    )
    used = query(
        settings.serving_db, "select count(*) from marts.riwayat_publikasi where run_id = ? and status_batch = 'DIPAKAI'", [run_id]
    )
    assert used == [(44,)]
    # a run with nothing new after it is a no-op again (the fingerprint holds the retractions)
    serving = settings.serving_db.stat().st_mtime_ns
    assert pipeline.run(settings).landed == [] and settings.serving_db.stat().st_mtime_ns == serving
    print(f"\npublish after two retractions: {story['seconds']:.1f} s")


def test_rebuild_as_of_before_the_retraction_gives_the_figures_with_the_batch(story):
    settings = story["settings"]
    old = pipeline.rebuild_as_of(settings, story["before_retraction"])
    assert figures(old) == story["with_batches"]
    assert figures(settings.serving_db)["SK09"] == story["sample"]["SK09"]  # the serving file is untouched
    assert old.parent == settings.warehouse_dir / "as_of"


def test_a_copied_home_is_restored_and_publishes_the_same_figures(story, tmp_path):
    """The backup of docs/operations.md: landing/, warehouse/ and quarantine/ copied, state/ dropped."""
    settings = story["settings"]
    restored = Settings.from_env(home=tmp_path / "restored", inbox=settings.inbox)
    for part in ("landing", "warehouse", "quarantine"):
        if (settings.home / part).exists():  # no file of the sample was rejected: no quarantine/
            shutil.copytree(settings.home / part, restored.home / part, symlinks=True)
    assert not (restored.home / "state").exists()
    before = all_marts(settings.serving_db)
    # the same inbox: nothing lands twice, nothing to build
    result = pipeline.run(restored)
    assert result.landed == [] and result.unchanged == 46
    assert all_marts(restored.serving_db) == before
    # a full rebuild from the restored landing zone alone publishes the same figures, retractions kept
    messages: list[str] = []
    pipeline.run(restored, messages.append, full_refresh=True)
    assert any("replaced atomically" in m for m in messages)
    assert all_marts(restored.serving_db) == before
    assert figures(restored.serving_db)["SK09"] == story["sample"]["SK09"]
    runs = query(restored.serving_db, "select count(distinct run_id) from marts.riwayat_publikasi")[0][0]
    assert runs == query(settings.serving_db, "select count(distinct run_id) from marts.riwayat_publikasi")[0][0] + 1


def test_restore_brings_the_batch_back_and_is_recorded(story):
    settings, correction = story["settings"], story["correction"]
    done = kinerja(settings, "batch", "restore", correction, "--reason", "the correction was right after all")
    assert done.returncode == 0, done.stderr
    batches.restore(settings, story["transaksi"].batch_id)
    with pytest.raises(PipelineError, match="is not retracted; nothing to restore"):
        batches.restore(settings, correction)
    result = pipeline.run(settings)
    assert figures(settings.serving_db) == story["with_batches"]
    (why,) = query(
        settings.serving_db,
        "select keterangan from marts.log_perubahan where run_id = ? and objek = 'capaian_indikator' and kode = 'SK09' "
        "and tahun = 2024 and periode = 'TAHUNAN' and jenis_target = 'PERKIN'",
        [result.run_id],
    )[0]
    assert why == f"batch {correction} (koreksi_2024.csv) restored: the correction was right after all"
    transaksi = story["transaksi"]
    assert batch_rows(settings.serving_db, result.run_id) == sorted(
        [
            (correction, "koreksi_2024.csv", "DIPULIHKAN", "DITARIK", "DIPAKAI", why),
            (
                transaksi.batch_id, transaksi.original_name, "DIPULIHKAN", "DITARIK", "DIPAKAI",
                f"batch {transaksi.batch_id} ({transaksi.original_name}) restored: restored",
            ),
        ]
    )  # fmt: skip
    assert query(
        settings.serving_db, "select count(*) from marts.riwayat_publikasi where run_id = ? and status_batch = 'DITARIK'", [result.run_id]
    ) == [(0,)]
    assert all(not r.retracted and r.in_serving for r in batches.listing(settings))
    assert [e.tindakan for e in retractions.events(settings.landing_dir)] == ["DITARIK", "DITARIK", "DIPULIHKAN", "DIPULIHKAN"]


def test_retention_prunes_old_results_and_rebuilds_but_not_what_the_serving_warehouse_rests_on(story, monkeypatch):
    settings = story["settings"]
    store = quality.results_store(settings)
    keys = list(store.list_keys())
    audits = {k.run_id.run_name.split(" ")[1] for k in keys if k.run_id.run_name.startswith("audit ")}
    assert len(audits) >= 4  # the sample's publish and the three of this module
    # keep nothing by age, the audits of the last run only
    monkeypatch.setenv("KINERJA_KEEP_VALIDATIONS_DAYS", "0")
    monkeypatch.setenv("KINERJA_KEEP_AUDIT_RUNS", "1")
    quality.publish_data_docs(settings, "retention-test")
    kept = list(store.list_keys())
    kept_audits = {k.run_id.run_name.split(" ")[1] for k in kept if k.run_id.run_name.startswith("audit ")}
    assert kept_audits == {max(audits)}
    from kinerja.publish import public_marts

    assert len([k for k in kept if k.run_id.run_name.startswith("audit ")]) == len(public_marts(settings)) == 11  # one per public mart
    # the validation of every file the serving warehouse was built from is kept (koreksi_2024.csv too, restored)
    ingested = {k.run_id.run_name for k in kept if k.run_id.run_name.startswith("ingest ")}
    assert ingested == {f"ingest {r.batch.original_name}" for r in batches.listing(settings)} and len(ingested) == 46
    page = (settings.warehouse_dir / "data_docs" / "index.html").read_text()
    assert max(audits) in page and min(audits) not in page
    # rebuilds: older than KINERJA_KEEP_AS_OF_DAYS (default 30) are removed at the end of a run
    rebuilds = sorted((settings.warehouse_dir / "as_of").glob("kinerja-as-of-*.duckdb"))
    assert len(rebuilds) == 1
    monkeypatch.delenv("KINERJA_KEEP_VALIDATIONS_DAYS")
    stale = rebuilds[0].with_name("kinerja-as-of-2025-01-31T235959.duckdb")
    shutil.copy(rebuilds[0], stale)
    month_ago = time.time() - 31 * 86400
    os.utime(stale, (month_ago, month_ago))
    assert retention.prune(settings) == [stale]
    assert rebuilds[0].exists() and not stale.exists() and settings.serving_db.exists()
    monkeypatch.setenv("KINERJA_KEEP_AS_OF_DAYS", "thirty")
    with pytest.raises(PipelineError, match="KINERJA_KEEP_AS_OF_DAYS='thirty' is not a whole number"):
        retention.Retention.from_env()


def test_a_retraction_that_moves_no_figure_is_still_in_the_change_log(story):
    """E-Monev sends the (restored) SK09 correction again, the same realisasi with another remark:
    it lands and moves no figure. Retracted, it moves none either, and the change log of that
    publish still records the retraction, with its reason, as its only row; the publish history
    has it DITARIK."""
    settings = story["settings"]
    before = figures(settings.serving_db)
    assert before == story["with_batches"]  # the restored correction: SK09 66.5
    (settings.inbox / "emonev" / "koreksi_2024_ulang.csv").write_text(CORRECTION.replace("koreksi", "dikirim ulang"))
    sent_again = pipeline.run(settings)
    (again,) = sent_again.landed
    assert query(settings.serving_db, SK09)[0] == (66.5, 93.66, again)  # the figure of the new batch, unchanged
    assert query(settings.serving_db, "select count(*) from marts.log_perubahan where run_id = ?", [sent_again.run_id]) == [(0,)]
    batches.retract(settings, again, "sent twice by mistake")
    result = pipeline.run(settings)
    assert figures(settings.serving_db) == before  # SK09 from the first correction again
    assert query(
        settings.serving_db,
        "select objek, kode, nama, tahun, jenis_perubahan, nilai_lama, nilai_baru, status_lama, status_baru, keterangan "
        "from marts.log_perubahan where run_id = ?",
        [result.run_id],
    ) == [
        (
            "batch", again, "koreksi_2024_ulang.csv", None, "DITARIK", None, None, "DIPAKAI", "DITARIK",
            f"batch {again} (koreksi_2024_ulang.csv) retracted: sent twice by mistake",
        )
    ]  # fmt: skip
    assert query(
        settings.serving_db,
        "select status_batch, alasan_penarikan from marts.riwayat_publikasi where run_id = ? and batch_id = ?",
        [result.run_id, again],
    ) == [("DITARIK", "sent twice by mistake")]
    # the planners' report page tells the retraction, and counts no figure for it
    page = (settings.warehouse_dir / "publikasi" / "laporan-lkip-2024.html").read_text()
    assert "batch data ditarik: <b>1</b>:" in page and "angka (indikator" not in page
    # the summary of the run (the task log of summarize under Airflow) says so too
    text = summary.summarize(settings).splitlines()
    at = text.index("  Changed in the latest publish with changes: 1 row(s) (marts.log_perubahan), e.g.")
    assert text[at + 1] == f"    batch {again} (koreksi_2024_ulang.csv) retracted: sent twice by mistake"
