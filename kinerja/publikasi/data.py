"""What the publication is made of, read once from the published warehouse.

Everything comes from the public marts (``marts.*``) and nothing else, so the publication reads
the same from the DuckDB serving file and from a PostgreSQL serving database where a read-only
role sees schema ``marts`` only: the workbook, the page, the narrative and the notice only arrange
and format it. The labels and plan figures beside the capaian (sasaran and program names, the KSD
a sub-KSD belongs to, Renstra targets of the years still ahead, the Renstra period) come from the
mart ``marts.katalog_indikator``, in :func:`_catalogue` alone; without it the tables fall back to
codes.

The reporting year is the latest year with a Perjanjian Kinerja average; the year before is the
comparison year. Nothing else about years is fixed, so a 2025 report needs no code change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kinerja.publikasi.basisdata import Warehouse

Row = dict[str, Any]
KELOMPOK_SASARAN = ("SASARAN_STRATEGIS", "SASARAN_KHUSUS", "SASARAN_OPERASIONAL")
TRIWULAN = ("TW1", "TW2", "TW3", "TW4")


@dataclass
class Catalogue:
    sasaran: dict[str, str] = field(default_factory=dict)  # sasaran_kode -> name
    program: dict[str, str] = field(default_factory=dict)  # program_kode -> name
    program_sasaran: dict[str, str] = field(default_factory=dict)  # program_kode -> sasaran_kode
    ksd: dict[str, str] = field(default_factory=dict)  # KSD indicator -> KSD name
    renstra: dict[tuple[str, int], float] = field(default_factory=dict)  # (indikator_kode, tahun) -> Renstra target
    renstra_tahun: tuple[int, int] | None = None  # first and last year of the Renstra period


@dataclass
class Publish:
    run_id: str | None
    dipublikasikan_pada: Any


@dataclass
class Report:
    """The figures of one publication: the reporting year and the year before."""

    tahun: int
    tahun_lalu: int
    capaian: list[Row]
    ringkasan: list[Row]
    outlook: list[Row]
    nasional: list[Row]
    serapan: list[Row]
    efisiensi: list[Row]
    omzet: list[Row]
    naik_kelas: list[Row]
    eorder: list[Row]
    selisih: list[Row]  # marts.rekonsiliasi_lkip rows whose status is not COCOK
    rekonsiliasi: dict[str, int]  # status -> count
    publish: Publish  # the publish this set is written for
    perubahan: list[Row]  # what moved in that publish (marts.log_perubahan)
    perubahan_terakhir: Publish | None  # the latest publish that moved something, when not this one
    perubahan_sebelumnya: list[Row]  # what it moved
    status_sumber: list[Row]
    katalog: Catalogue
    _capaian: dict = field(default_factory=dict, repr=False)
    _ringkasan: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._capaian = {(r["indikator_kode"], r["tahun"], r["periode"], r["jenis_target"]): r for r in self.capaian}
        self._ringkasan = {(r["kelompok_ringkasan"], r["tahun"], r["periode"]): r for r in self.ringkasan}

    def indikator(self, kode: str, tahun: int, periode: str = "TAHUNAN", jenis: str = "PERKIN") -> Row | None:
        return self._capaian.get((kode, tahun, periode, jenis))

    def rata_rata(self, kelompok: str, tahun: int, periode: str = "TAHUNAN") -> Row | None:
        return self._ringkasan.get((kelompok, tahun, periode))

    def perkin(self, tahun: int, kelompok: tuple[str, ...] = KELOMPOK_SASARAN) -> list[Row]:
        """The Perjanjian Kinerja indicators of a year (annual rows), in catalogue order."""
        rows = [r for r in self.capaian if r["tahun"] == tahun and r["periode"] == "TAHUNAN" and r["jenis_target"] == "PERKIN"]
        return sorted((r for r in rows if r["kelompok"] in kelompok), key=lambda r: (kelompok.index(r["kelompok"]), r["indikator_kode"]))

    def sasaran_nama(self, kode: str | None) -> str:
        return self.katalog.sasaran.get(kode or "", kode or "")

    def program_nama(self, kode: str | None) -> str:
        if kode in self.katalog.program:
            return self.katalog.program[kode]
        named = [r["nama"] for r in self.serapan if r["dimensi"] == "PROGRAM" and r["kode"] == kode]
        return named[0] if named else (kode or "")

    def serapan_dimensi(self, dimensi: str) -> dict[str, dict[int, Row]]:
        """kode -> tahun -> row, for the reporting year and the year before, in code order."""
        found: dict[str, dict[int, Row]] = defaultdict(dict)
        for r in sorted(self.serapan, key=lambda r: r["kode"]):
            if r["dimensi"] == dimensi and r["tahun"] in (self.tahun_lalu, self.tahun):
                found[r["kode"]][r["tahun"]] = r
        return dict(found)

    @property
    def belum_rilis(self) -> list[Row]:
        return [r for r in self.perkin(self.tahun) if r["status_data"] == "BELUM_RILIS"]

    @property
    def sumber_usang(self) -> list[Row]:
        return [r for r in self.status_sumber if r.get("status") == "USANG"]


def reporting_year(db: Warehouse) -> int | None:
    rows = db.rows("select max(tahun) as tahun from marts.ringkasan_capaian where kelompok_ringkasan = 'PERKIN'")
    return rows[0]["tahun"] if rows else None


def _publishes(db: Warehouse) -> list[Publish]:
    """Every publish recorded, newest first."""
    if not db.has("marts", "riwayat_publikasi"):
        return []
    rows = db.rows(
        "select run_id, max(dipublikasikan_pada) as dipublikasikan_pada from marts.riwayat_publikasi "
        "group by run_id order by max(dipublikasikan_pada) desc"
    )
    return [Publish(r["run_id"], r["dipublikasikan_pada"]) for r in rows]


def _changes(db: Warehouse, run_id: str | None) -> list[Row]:
    if run_id is None or not db.has("marts", "log_perubahan"):
        return []
    return db.rows(
        "select * from marts.log_perubahan where run_id = ? order by case objek when 'ringkasan_capaian' then 0 "
        "when 'capaian_indikator' then 1 else 2 end, tahun desc, kode, jenis_target, periode",
        [run_id],
    )


def _catalogue(db: Warehouse, tahun: int) -> Catalogue:
    """Labels and plan targets from the public mart ``marts.katalog_indikator`` (one row per
    indicator and year). The Renstra period is the one the reporting year falls in."""
    cat = Catalogue()
    for r in db.table("marts.katalog_indikator", "order by indikator_kode, tahun"):
        if r["sasaran_kode"] and r["sasaran_nama"]:
            cat.sasaran[r["sasaran_kode"]] = r["sasaran_nama"]
        if r["program_kode"]:
            if r["program_nama"]:
                cat.program[r["program_kode"]] = r["program_nama"]
            if r["program_sasaran_kode"]:
                cat.program_sasaran[r["program_kode"]] = r["program_sasaran_kode"]
        if r["ksd_nama"]:
            cat.ksd[r["indikator_kode"]] = r["ksd_nama"]
        if r["target_renstra"] is not None:
            cat.renstra[(r["indikator_kode"], r["tahun"])] = r["target_renstra"]
        if r["tahun"] == tahun and r["renstra_tahun_awal"] is not None:
            first, last = r["renstra_tahun_awal"], r["renstra_tahun_akhir"]
            cat.renstra_tahun = (min(first, cat.renstra_tahun[0]), max(last, cat.renstra_tahun[1])) if cat.renstra_tahun else (first, last)
    return cat


def read(db: Warehouse, run_id: str | None = None) -> Report:
    """Everything the publication shows. ``run_id``: the publish whose changes are reported
    (default: the latest publish)."""
    tahun = reporting_year(db)
    if tahun is None:
        raise ValueError("the warehouse has no Perjanjian Kinerja average yet (marts.ringkasan_capaian); nothing to publish")
    publishes = _publishes(db)
    chosen = next((p for p in publishes if p.run_id == run_id), None) if run_id else (publishes[0] if publishes else None)
    publish = chosen or Publish(run_id, None)
    perubahan = _changes(db, publish.run_id)
    terakhir, sebelumnya = None, []
    if not perubahan and db.has("marts", "log_perubahan"):
        for p in publishes:
            if p.run_id != publish.run_id and (rows := _changes(db, p.run_id)):
                terakhir, sebelumnya = p, rows
                break
    rekonsiliasi = {
        r["status"]: r["jumlah"] for r in db.rows("select status, count(*) as jumlah from marts.rekonsiliasi_lkip group by status")
    }
    return Report(
        tahun=tahun,
        tahun_lalu=tahun - 1,
        capaian=db.table("marts.capaian_indikator"),
        ringkasan=db.table("marts.ringkasan_capaian"),
        outlook=db.table("marts.outlook_sasaran_strategis", "where tahun = ?", [tahun]),
        nasional=db.table("marts.perbandingan_nasional", "where tahun in (?, ?)", [tahun - 1, tahun]),
        serapan=db.table("marts.serapan_anggaran"),
        efisiensi=db.table("marts.efisiensi_sasaran"),
        omzet=db.table("marts.omzet_umkm_triwulan", "where tahun = ? order by periode", [tahun]),
        naik_kelas=db.table("marts.umkm_naik_kelas", "where tahun = ?", [tahun]),
        eorder=db.table("marts.eorder_pemerataan", "where tahun = ? order by jumlah_umkm desc, perangkat_daerah_pembina", [tahun]),
        selisih=db.table("marts.rekonsiliasi_lkip", "where status <> 'COCOK' order by tabel, tahun, baris, kolom"),
        rekonsiliasi=rekonsiliasi,
        publish=publish,
        perubahan=perubahan,
        perubahan_terakhir=terakhir,
        perubahan_sebelumnya=sebelumnya,
        status_sumber=db.table("marts.status_sumber", "order by sumber"),
        katalog=_catalogue(db, tahun),
    )
