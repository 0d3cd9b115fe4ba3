"""The charts of the report page, from the same figures as the tables: Gambar 3.1 (progress per
quarter), Gambar 3.2 (program achievement), the strategic indicators against their targets, the
outlook to the end of the Renstra, serapan by unit and by program, and table 3.14 as DKI Jakarta
against Indonesia. Bars of a capaian are drawn at most at 110 % (as averages count them); the
label gives the real value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import mean

from kinerja.publikasi import charts
from kinerja.publikasi import format as fmt
from kinerja.publikasi.charts import Reference, Series
from kinerja.publikasi.data import TRIWULAN, Report
from kinerja.publikasi.tables import CAP

CAP_NOTE = "Batang capaian digambar paling panjang 110 % (seperti dihitung dalam rata-rata); label menunjukkan nilai sebenarnya."


@dataclass
class Figure:
    key: str
    caption: str  # "Gambar 3.1 ..." or "Grafik ..."
    svg: str
    after: str  # the table it follows on the page
    note: str = ""


def _capped(value: float | None) -> float | None:
    return None if value is None else min(value, CAP)


AGENCY = re.compile(r"Perin?s?dustrian,? Perdagangan,? Koperasi,? Usaha Kecil,? Dan Menengah", re.IGNORECASE)


def _short(name: str, limit: int = 140) -> str:
    """A chart label: the agency's long name as planners say it (PPKUKM), cut only when very long."""
    name = AGENCY.sub("PPKUKM", name)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def quarterly(report: Report) -> Figure:
    y = report.tahun
    groups = sorted({r["kelompok_ringkasan"] for r in report.ringkasan if r["tahun"] == y and r["periode"] in TRIWULAN})
    series = [
        Series(
            fmt.KELOMPOK_RINGKASAN.get(g, g).removeprefix("Rata-rata capaian ").capitalize(),
            [(report.rata_rata(g, y, tw) or {}).get("rata_rata_capaian_persen") for tw in TRIWULAN],
        )
        for g in groups
    ]
    caption = f"Gambar 3.1 Kemajuan Capaian Perjanjian Kinerja Tahun {y} tiap Triwulan"
    svg = charts.columns(
        caption,
        [fmt.periode(tw) for tw in TRIWULAN],
        series,
        [Reference(91, "Sangat Tinggi (≥ 91 %)")],
    )
    return Figure(
        "gambar-3-1", caption, svg, "3.11", "Rata-rata capaian indikator yang memiliki target pada triwulan tersebut (Tabel 3.11)."
    )


def programs(report: Report) -> Figure:
    y = report.tahun
    by_program: dict[str, list[float]] = {}
    for r in sorted(report.capaian, key=lambda r: r["indikator_kode"]):
        if r["kelompok"] == "PROGRAM" and r["tahun"] == y and r["jenis_target"] == "RENSTRA" and r["periode"] == "TAHUNAN":
            by_program.setdefault(r["program_kode"], [])
            if r["capaian_dihitung_persen"] is not None:
                by_program[r["program_kode"]].append(r["capaian_dihitung_persen"])
    names = [_short(report.program_nama(p)) for p in by_program]
    values = [mean(v) if v else None for v in by_program.values()]
    avg = report.rata_rata("PROGRAM", y)
    refs = [Reference(100, "100 %")]
    caption = f"Gambar 3.2 Capaian Kinerja Program Tahun {y}"
    svg = charts.horizontal(caption, names, [Series(str(y), values)], refs)
    note = "Rata-rata capaian indikator tiap program, masing-masing maksimal 110 %."
    if avg:
        note += f" Rata-rata seluruh indikator program: {fmt.persen(avg['rata_rata_capaian_persen'])} ({avg['kriteria']})."
    return Figure("gambar-3-2", caption, svg, "3.6", note)


def strategic(report: Report) -> Figure:
    p, y = report.tahun_lalu, report.tahun
    rows = report.perkin(y, ("SASARAN_STRATEGIS",))
    series = []
    for yr in (p, y):
        found = [report.indikator(r["indikator_kode"], yr) for r in rows]
        values = [_capped(f["capaian_persen"]) if f else None for f in found]
        labels = [
            fmt.persen(f["capaian_persen"]) if f and f["capaian_persen"] is not None else ("belum rilis" if f else "tidak ada target")
            for f in found
        ]
        series.append(Series(str(yr), values, labels))
    caption = f"Grafik Capaian Indikator Sasaran Strategis terhadap Target Perjanjian Kinerja {p}-{y}"
    svg = charts.horizontal(caption, [_short(r["indikator_nama"]) for r in rows], series, [Reference(100, "target (100 %)")])
    return Figure("capaian-strategis", caption, svg, "3.2", CAP_NOTE)


def outlook(report: Report) -> Figure:
    y = report.tahun
    end = report.katalog.renstra_tahun[1] if report.katalog.renstra_tahun else "akhir"
    rows = sorted(report.outlook, key=lambda r: r["indikator_kode"])
    keys = (
        ("capaian_perkin_persen", f"Perjanjian Kinerja {y}"),
        ("capaian_renstra_persen", f"Renstra {y}"),
        ("capaian_akhir_periode_persen", f"Akhir periode Renstra ({end})"),
    )
    series = [
        Series(
            label,
            [_capped(r[key]) for r in rows],
            [fmt.persen(r[key]) if r[key] is not None else "belum rilis" for r in rows],
        )
        for key, label in keys
    ]
    caption = f"Grafik Kemajuan Harapan (Outlook) Sasaran Strategis sampai Akhir Periode Renstra ({end})"
    svg = charts.horizontal(caption, [_short(r["indikator_nama"]) for r in rows], series, [Reference(100, "100 %")])
    return Figure("outlook", caption, svg, "3.13", CAP_NOTE + " Akhir periode: kondisi akhir dibanding target akhir periode Renstra.")


def _serapan(report: Report, dimensi: str, key: str, caption: str, after: str) -> Figure:
    found = report.serapan_dimensi(dimensi)
    names = [_short((v.get(report.tahun) or v.get(report.tahun_lalu))["nama"]) for v in found.values()]
    series = [
        Series(str(yr), [(v.get(yr) or {}).get("serapan_persen") for v in found.values()]) for yr in (report.tahun_lalu, report.tahun)
    ]
    svg = charts.horizontal(caption, names, series, [Reference(90, "90 %")], missing="tidak ada anggaran")
    return Figure(key, caption, svg, after, "Serapan = realisasi / pagu APBD-P x 100.")


def serapan_unit(report: Report) -> Figure:
    return _serapan(report, "UNIT", "serapan-unit", f"Grafik Serapan Anggaran per PD/UKPD {report.tahun_lalu}-{report.tahun}", "3.7")


def serapan_program(report: Report) -> Figure:
    return _serapan(report, "PROGRAM", "serapan-program", f"Grafik Serapan Anggaran per Program {report.tahun_lalu}-{report.tahun}", "3.10")


def national(report: Report) -> Figure:
    y = report.tahun
    codes = sorted({r["indikator_kode"] for r in report.nasional if r["tahun"] == y})
    names, daerah, nasional, periods = [], [], [], []
    for kode in codes:
        rows = {r["periode"]: r for r in report.nasional if r["tahun"] == y and r["indikator_kode"] == kode}
        period = "TAHUNAN" if "TAHUNAN" in rows else max((p for p in rows if p in TRIWULAN), default=None)
        if period is None:
            continue
        r = rows[period]
        label = "tahun" if period == "TAHUNAN" else fmt.periode(period)
        names.append(_short(f"{r['indikator_nama']} ({label} {y})"))
        daerah.append(r["nilai_daerah"])
        nasional.append(r["nilai_nasional"])
        periods.append(period)
    caption = f"Grafik Tabel 3.14: DKI Jakarta dan Indonesia, Tahun {y}"
    svg = charts.horizontal(
        caption,
        names,
        [Series("DKI Jakarta", daerah), Series("Indonesia", nasional)],
        value_format=lambda v: f"{fmt.angka(v, 2)} %",
        missing="belum rilis",
    )
    note = "Kontribusi dan pertumbuhan (y-on-y) PDRB menurut BPS; tahunan bila sudah dirilis, selain itu triwulan terakhir yang dirilis."
    return Figure("nasional", caption, svg, "3.14", note)


def all_figures(report: Report) -> list[Figure]:
    return [
        strategic(report),
        programs(report),
        serapan_unit(report),
        serapan_program(report),
        quarterly(report),
        outlook(report),
        national(report),
    ]
