"""The chapter-3 tables of the LKIP, in the report's own layout and headings, built from the marts.

One function per table (3.2, 3.3, 3.5-3.14, 3.19), plus the change log, the reconciliation
differences and the source status. Each returns a :class:`~kinerja.publikasi.model.Table` that the
workbook and the page render alike. Footnotes say where a figure waits for a release
("data belum dirilis oleh BPS"), where a capaian above 110 % counts as 110 %, where a figure looks
like a unit mix-up, and where the published LKIP prints something else (every difference of
``marts.rekonsiliasi_lkip`` for that table, with its explanation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from statistics import mean

from kinerja.publikasi import bahasa
from kinerja.publikasi import format as fmt
from kinerja.publikasi.data import KELOMPOK_SASARAN, TRIWULAN, Report
from kinerja.publikasi.model import COUNT, MISSING, NUMBER, PERCENT, RUPIAH, Cell, Table, blank, header, number, text

KELOMPOK_LABEL = {
    "SASARAN_STRATEGIS": "SASARAN STRATEGIS",
    "SASARAN_KHUSUS": "SASARAN KHUSUS",
    "SASARAN_OPERASIONAL": "SASARAN OPERASIONAL",
    "KSD": "RENCANA AKSI KEGIATAN STRATEGIS DAERAH",
}
CAP = 110.0
# the IKU whose rencana aksi carry the measured targets/outputs of table 3.3 (omzet, naik kelas, e-Order)
IKU_RENAKSI_UMKM = "SS05"
SUB_KSD_PREFIX = "Persentase penyelesaian rencana aksi "


def _norm(value: str | None) -> str:
    return re.sub(r"\s+", " ", (value or "").strip().lower())


# -- notes shared by the tables ---------------------------------------------------------------


def _not_released(t: Table, source: str | None) -> int:
    return t.note(f"N/A: data belum dirilis oleh {fmt.sumber(source)}; indikator ini tidak dihitung dalam rata-rata.")


def _capped(t: Table) -> int:
    return t.note(
        f"Capaian di atas {fmt.angka(CAP)} % dihitung {fmt.angka(CAP)} % dalam rata-rata (dijustifikasi, sesuai metodologi LKIP)."
    )


def _implausible(t: Table, r: dict) -> int:
    return t.note(
        f"Periksa satuan dengan pemilik data: {fmt.tanda(r.get('tanda_plausibilitas'))} "
        f"(realisasi {fmt.angka(r['realisasi'])} terhadap target {fmt.angka(r['target'])}); angka tetap dipublikasikan."
    )


def _target_realisasi_capaian(t: Table, r: dict | None, with_kriteria: bool = False) -> list[Cell]:
    """Target, realisasi and capaian of one indicator row (and its kriteria), with their notes."""
    if r is None:
        cells = [number(None), number(None), number(None)]
        return cells + ([number(None)] if with_kriteria else [])
    unit = r.get("satuan")
    kind = RUPIAH if (unit or "").lower() == "rupiah" else NUMBER
    if r["status_data"] == "BELUM_RILIS":
        n = _not_released(t, r.get("sumber_data"))
        cells = [number(r["target"], kind), number(None, missing="N/A", notes=[n]), number(None, missing="N/A", notes=[n])]
        return cells + ([number(None, missing="N/A")] if with_kriteria else [])
    realisasi = number(r["realisasi"], kind)
    if r.get("tanda_plausibilitas"):
        realisasi.notes.append(_implausible(t, r))
    capaian = number(r["capaian_persen"], PERCENT)
    if r["capaian_persen"] is not None and r["capaian_persen"] > CAP:
        capaian.notes.append(_capped(t))
    cells = [number(r["target"], kind), realisasi, capaian]
    return cells + ([text(r.get("kriteria") or "-", center=True)] if with_kriteria else [])


def _group_heading(t: Table, label: str) -> None:
    t.add([Cell(label, span_cols=t.columns, bold=True)] + [None] * (t.columns - 1), kind="kelompok")


def _label_row(t: Table, label: str, span: int, rest: list[Cell], kind: str = "ringkasan", keys: list[tuple] | None = None) -> None:
    t.add([Cell(label, span_cols=span, bold=True)] + [None] * (span - 1) + rest, kind=kind, keys=keys)


def _by_sasaran(
    t: Table,
    report: Report,
    indicators: list[dict],
    cells: Callable[[dict], list[Cell]],
    kelompok_order: Iterable[str] = KELOMPOK_SASARAN,
    extra_rows: Callable[[dict], list[tuple[str, list[Cell | None]]]] | None = None,
) -> None:
    """Rows grouped as the report groups them: a heading per kelompok, then one number per sasaran
    with its indicators below it (No and Sasaran merged over them)."""
    nomor = 0
    for kelompok in kelompok_order:
        mine = [r for r in indicators if r["kelompok"] == kelompok]
        if not mine:
            continue
        _group_heading(t, KELOMPOK_LABEL.get(kelompok, kelompok))
        i = 0
        while i < len(mine):
            sasaran = mine[i].get("sasaran_kode")
            group = [mine[i]]
            while i + len(group) < len(mine) and sasaran and mine[i + len(group)].get("sasaran_kode") == sasaran:
                group.append(mine[i + len(group)])
            nomor += 1
            first = len(t.rows)
            for r in group:
                name = report.sasaran_nama(sasaran) if sasaran else ""
                t.add(
                    [text(nomor, center=True), text(name), text(r["indikator_nama"]), text(r.get("satuan"), center=True)] + cells(r),
                    keys=[("ind", r["indikator_kode"])],
                )
                for period, extra in extra_rows(r) if extra_rows else []:
                    t.add([text(nomor, center=True), text(name)] + extra, kind="sub", keys=[("ind", r["indikator_kode"], period)])
            t.merge_down(first, len(t.rows) - first, [0, 1])
            i += len(group)


def _average_label(avg: dict | None) -> str:
    if avg is None:
        return "RATA-RATA"
    label = f"RATA-RATA ({avg['jumlah_dihitung']} dari {avg['jumlah_indikator']} indikator dihitung"
    return label + (f"; {avg['jumlah_belum_rilis']} belum rilis)" if avg["jumlah_belum_rilis"] else ")")


def _avg(avg: dict | None) -> Cell:
    return number(avg["rata_rata_capaian_persen"] if avg else None, PERCENT, bold=True)


def _kriteria(avg: dict | None, **kw) -> Cell:
    return text((avg or {}).get("kriteria") or "-", center=True, bold=True, **kw)


# -- the LKIP tables --------------------------------------------------------------------------


def tabel_3_2(report: Report) -> Table:
    y = report.tahun
    t = Table(
        "3.2",
        f"Capaian Perjanjian Kinerja Kepala Perangkat Daerah Tahun {y}",
        header(
            [("No",), ("Sasaran",), ("Indikator Kinerja",), ("Satuan",), ("Target",), ("Realisasi",), ("Capaian",), ("Kriteria",)],
            columns=8,
        ),
        widths=[5, 34, 50, 10, 13, 13, 12, 14],
        source="marts.capaian_indikator, marts.ringkasan_capaian (Perjanjian Kinerja, tahunan)",
        column_keys={
            ("TARGET", y, "TAHUNAN"): 4,
            ("REALISASI", y, "TAHUNAN"): 5,
            ("CAPAIAN", y, "TAHUNAN"): 6,
            ("RATA_RATA", y, "TAHUNAN"): 6,
            ("KRITERIA", y, "TAHUNAN"): 7,
        },
    )
    _by_sasaran(t, report, report.perkin(y), lambda r: _target_realisasi_capaian(t, r, with_kriteria=True))
    avg = report.rata_rata("PERKIN", y)
    _label_row(t, _average_label(avg), 6, [_avg(avg), _kriteria(avg)], keys=[("rata", "PERKIN")])
    return t


def tabel_3_3(report: Report) -> Table:
    """The measured targets/outputs of the rencana aksi IKU (omzet of the binaan per quarter, UMKM
    naik kelas, e-Order pemerataan); the narrative rencana aksi of the report stay in the report."""
    y = report.tahun
    t = Table(
        "3.3",
        f"Capaian Rencana Aksi Indikator Kinerja Utama (IKU) Perangkat Daerah Tahun {y}",
        header(
            [
                ("NO",),
                ("Sasaran",),
                ("Indikator Kinerja Utama",),
                ("Target/Output",),
                ("Waktu",),
                ("Target",),
                ("Realisasi",),
                ("Realisasi Kumulatif",),
                ("Capaian Kumulatif",),
            ],
            columns=9,
        ),
        widths=[5, 30, 30, 44, 9, 18, 18, 18, 12],
        source="marts.omzet_umkm_triwulan, marts.umkm_naik_kelas, marts.eorder_pemerataan",
    )
    iku = report.indikator(IKU_RENAKSI_UMKM, y)
    sasaran = report.sasaran_nama(iku["sasaran_kode"]) if iku else ""
    iku_text = f"{iku['indikator_nama']} (target {fmt.angka(iku['target'])} {iku['satuan']})" if iku else ""

    def line(output: str, waktu: str, cells: list[Cell], keys: list[tuple]) -> None:
        t.add([text(1, center=True), text(sasaran), text(iku_text), text(output), text(waktu, center=True)] + cells, keys=keys)

    for r in report.omzet:
        line(
            "Jumlah omzet yang dihasilkan wirausaha binaan Dinas PPKUKM yang terdata di Jakpreneur",
            fmt.periode(r["periode"]),
            [
                number(r["target_omzet"], RUPIAH),
                number(r["realisasi_omzet"], RUPIAH),
                number(r["realisasi_kumulatif"], RUPIAH),
                number(r["capaian_persen"], PERCENT),
            ],
            [("ukuran", u, r["periode"]) for u in ("OMZET_TARGET", "OMZET_REALISASI", "OMZET_KUMULATIF", "OMZET_CAPAIAN")],
        )
    for r in report.naik_kelas:
        line(
            "Jumlah UMKM binaan yang naik kelas (omzet tahun ini di atas tahun sebelumnya)",
            "TW IV",
            [number(r["target_naik_kelas"], COUNT), number(r["jumlah_umkm_naik_kelas"], COUNT), blank(), blank()],
            [("ukuran", "NAIK_KELAS", "TAHUNAN")],
        )
    if report.eorder:
        targets = [r["target_jumlah_umkm"] for r in report.eorder if r["target_jumlah_umkm"] is not None]
        line(
            "Pemerataan pemesanan e-Order: UMKM binaan yang bertransaksi",
            "Tahunan",
            [
                number(sum(targets) if targets else None, COUNT),
                number(sum(r["jumlah_umkm"] for r in report.eorder), COUNT),
                blank(),
                blank(),
            ],
            [("ukuran", "EORDER_UMKM", "TAHUNAN")],
        )
        line(
            "Pemerataan pemesanan e-Order: jumlah transaksi",
            "Tahunan",
            [blank(), number(sum(r["jumlah_transaksi"] for r in report.eorder), COUNT), blank(), blank()],
            [("ukuran", "EORDER_TRANSAKSI", "TAHUNAN")],
        )
        line(
            "Pemerataan pemesanan e-Order: nilai transaksi",
            "Tahunan",
            [blank(), number(sum(r["nilai_transaksi"] for r in report.eorder), RUPIAH), blank(), blank()],
            [("ukuran", "EORDER_NILAI", "TAHUNAN")],
        )
        for r in report.eorder:
            line(
                f"e-Order: UMKM binaan {r['perangkat_daerah_nama']} yang bertransaksi",
                "Tahunan",
                [number(r["target_jumlah_umkm"], COUNT), number(r["jumlah_umkm"], COUNT), blank(), blank()],
                [],
            )
    if t.rows:
        t.merge_down(0, len(t.rows), [0, 1, 2])
    t.column_keys = {
        ("OMZET_TARGET", y): 5,
        ("OMZET_REALISASI", y): 6,
        ("OMZET_KUMULATIF", y): 7,
        ("OMZET_CAPAIAN", y): 8,
        ("NAIK_KELAS", y): 6,
        ("EORDER_UMKM", y): 6,
        ("EORDER_TRANSAKSI", y): 6,
        ("EORDER_NILAI", y): 6,
    }
    t.note("Capaian kumulatif = realisasi kumulatif / target kumulatif x 100 (omzet bersih: penjualan dikurangi refund dan pembatalan).")
    return t


def tabel_3_5(report: Report) -> Table:
    p, y = report.tahun_lalu, report.tahun
    t = Table(
        "3.5",
        f"Perbandingan Capaian Rencana Aksi Kegiatan Strategis Daerah Tahun {p} - {y} sesuai kewenangan",
        header([("No",), ("KSD / SUB-KSD",), (f"CAPAIAN {p}",), (f"CAPAIAN {y}",)], columns=4),
        widths=[5, 80, 16, 16],
        source="marts.capaian_indikator, marts.ringkasan_capaian (rencana aksi KSD)",
        column_keys={(u, yr, "TAHUNAN"): col for yr, col in ((p, 2), (y, 3)) for u in ("CAPAIAN", "RATA_RATA", "KRITERIA")},
    )
    rows = {}
    for r in report.capaian:
        if r["kelompok"] == "KSD" and r["jenis_target"] == "RENAKSI" and r["periode"] == "TAHUNAN" and r["tahun"] in (p, y):
            rows.setdefault(r["indikator_kode"], {})[r["tahun"]] = r
    groups: dict[str, list[str]] = {}
    for kode in sorted(rows):
        groups.setdefault(report.katalog.ksd.get(kode, "Kegiatan Strategis Daerah"), []).append(kode)
    for nomor, (ksd, codes) in enumerate(groups.items(), start=1):
        t.add([text(nomor, center=True, bold=True), text(ksd, bold=True), blank(), blank()], kind="kelompok")
        for kode in codes:
            some = rows[kode].get(y) or rows[kode].get(p)
            name = some["indikator_nama"]
            name = name[len(SUB_KSD_PREFIX) :] if name.startswith(SUB_KSD_PREFIX) else name
            cells = []
            for yr in (p, y):
                r = rows[kode].get(yr)
                cells.append(number(r["capaian_persen"], PERCENT) if r else Cell("Tidak ada target", MISSING, center=True))
            t.add([blank(), text(name)] + cells, keys=[("ind", kode)])
    averages = [report.rata_rata("KSD", yr) for yr in (p, y)]
    _label_row(t, "RATA-RATA", 2, [_avg(a) for a in averages], keys=[("rata", "KSD")])
    _label_row(t, "KRITERIA", 2, [_kriteria(a) for a in averages])
    return t


def _renstra_years(report: Report, kelompok: str) -> list[int]:
    if report.katalog.renstra_tahun and report.katalog.renstra_tahun[0] <= report.tahun <= report.katalog.renstra_tahun[1]:
        first, last = report.katalog.renstra_tahun
        return list(range(first, last + 1))
    return sorted({r["tahun"] for r in report.capaian if r["kelompok"] == kelompok and r["jenis_target"] == "RENSTRA"})


def tabel_3_6(report: Report) -> Table:
    years = _renstra_years(report, "PROGRAM")
    n = len(years)
    t = Table(
        "3.6",
        f"Capaian Kinerja Program Perangkat Daerah Tahun {years[0]}-{years[-1]}" if years else "Capaian Kinerja Program Perangkat Daerah",
        header(
            [
                ("No", 1, 2),
                ("PROGRAM", 1, 2),
                ("Indikator Kinerja", 1, 2),
                ("Satuan", 1, 2),
                ("Target Renstra", n),
                ("Realisasi", n),
                ("Capaian (%)", n),
            ],
            [(str(yr),) for yr in years] * 3,
            columns=4 + 3 * n,
        ),
        widths=[5, 30, 40, 9] + [11] * (3 * n),
        source="marts.capaian_indikator, marts.ringkasan_capaian (indikator program terhadap Renstra); target Renstra tahun mendatang dari katalog",
    )
    for i, yr in enumerate(years):
        t.column_keys.update(
            {("TARGET", yr, "TAHUNAN"): 4 + i, ("REALISASI", yr, "TAHUNAN"): 4 + n + i}
            | {(u, yr, "TAHUNAN"): 4 + 2 * n + i for u in ("CAPAIAN", "RATA_RATA", "KRITERIA")}
        )
    by_code: dict[str, dict[int, dict]] = {}
    for r in report.capaian:
        if r["kelompok"] == "PROGRAM" and r["jenis_target"] == "RENSTRA" and r["periode"] == "TAHUNAN":
            by_code.setdefault(r["indikator_kode"], {})[r["tahun"]] = r
    nomor, previous, first = 0, None, 0
    for kode in sorted(by_code):
        some = by_code[kode].get(report.tahun) or next(iter(by_code[kode].values()))
        program = some.get("program_kode")
        if program != previous or program is None:
            if previous is not None:
                t.merge_down(first, len(t.rows) - first, [0, 1])
            nomor, previous, first = nomor + 1, program, len(t.rows)
        targets, realisasi, capaian = [], [], []
        for yr in years:
            r = by_code[kode].get(yr)
            target = r["target"] if r else report.katalog.renstra.get((kode, yr))
            targets.append(number(target))
            cell = _target_realisasi_capaian(t, r)
            realisasi.append(cell[1])
            capaian.append(cell[2])
        t.add(
            [
                text(nomor, center=True),
                text(report.program_nama(program)),
                text(some["indikator_nama"]),
                text(some.get("satuan"), center=True),
            ]
            + targets
            + realisasi
            + capaian,
            keys=[("ind", kode)],
        )
    if previous is not None:
        t.merge_down(first, len(t.rows) - first, [0, 1])
    averages = [report.rata_rata("PROGRAM", yr) for yr in years]
    _label_row(t, "RATA-RATA", 4 + 2 * n, [_avg(a) if a else text("") for a in averages], keys=[("rata", "PROGRAM")])
    _label_row(t, "KRITERIA", 4 + 2 * n, [_kriteria(a) if a else text("") for a in averages])
    return t


def _budget(
    report: Report,
    nomor: str,
    judul: str,
    dimensi: str,
    first_column: str,
    name_column: str,
    numbered: bool,
    extra: tuple[str, Callable[[str], str]] | None = None,
) -> Table:
    p, y = report.tahun_lalu, report.tahun
    lead = [(first_column, 1, 2), (name_column, 1, 2)] + ([(extra[0], 1, 2)] if extra else [])
    k = len(lead)
    t = Table(
        nomor,
        judul,
        header(lead + [(f"Tahun {p}", 3), (f"Tahun {y}", 3)], [("APBD-P",), ("Realisasi",), ("%",)] * 2, columns=k + 6),
        widths=[9 if not numbered else 5, 48] + ([40] if extra else []) + [19, 19, 10] * 2,
        source=f"marts.serapan_anggaran (dimensi {dimensi}; serapan = realisasi / pagu APBD-P x 100)",
    )
    for yr, col in ((p, k), (y, k + 3)):
        t.column_keys.update({("ANGGARAN_APBD_P", yr): col, ("ANGGARAN_REALISASI", yr): col + 1, ("SERAPAN", yr): col + 2})

    def money(r: dict | None) -> list[Cell]:
        if r is None:
            return [number(None), number(None), number(None)]
        return [number(r["pagu_apbdp"], RUPIAH), number(r["realisasi"], RUPIAH), number(r["serapan_persen"], PERCENT)]

    for i, (kode, years) in enumerate(report.serapan_dimensi(dimensi).items(), start=1):
        nama = (years.get(y) or years.get(p))["nama"]
        lead_cells = [text(i if numbered else kode, center=True), text(nama)] + ([text(extra[1](kode))] if extra else [])
        t.add(lead_cells + money(years.get(p)) + money(years.get(y)), keys=[("nama", _norm(nama)), ("kode", kode)])
    total = report.serapan_dimensi("TOTAL").get("TOTAL", {})
    _label_row(t, "TOTAL", k, money(total.get(p)) + money(total.get(y)), keys=[("nama", "total")])
    return t


def tabel_3_7(report: Report) -> Table:
    p, y = report.tahun_lalu, report.tahun
    return _budget(
        report, "3.7", f"Perbandingan Realisasi Belanja Tahun {p} dan Tahun {y} berdasarkan PD/UKPD", "UNIT", "No", "PD/UKPD", True
    )


def tabel_3_8(report: Report) -> Table:
    p, y = report.tahun_lalu, report.tahun
    return _budget(
        report,
        "3.8",
        f"Perbandingan Realisasi Belanja Tahun {p} dan Tahun {y} berdasarkan Jenis Belanja",
        "JENIS_BELANJA",
        "Kode",
        "Jenis Belanja",
        False,
    )


def tabel_3_9(report: Report) -> Table:
    p, y = report.tahun_lalu, report.tahun

    def indicators(sasaran: str) -> str:
        names = [r["indikator_nama"] for r in report.perkin(y, ("SASARAN_STRATEGIS",)) if r.get("sasaran_kode") == sasaran]
        return "; ".join(names)

    return _budget(
        report,
        "3.9",
        f"Perbandingan Capaian Realisasi Belanja Tahun {p} dan Tahun {y} berdasarkan Sasaran Strategis",
        "SASARAN",
        "Kode",
        "Sasaran",
        False,
        extra=("Indikator", indicators),
    )


def tabel_3_10(report: Report) -> Table:
    p, y = report.tahun_lalu, report.tahun
    return _budget(
        report, "3.10", f"Perbandingan Capaian Realisasi Anggaran berdasarkan Program Tahun {p}-{y}", "PROGRAM", "Kode", "Program", False
    )


def tabel_3_11(report: Report) -> Table:
    y = report.tahun
    t = Table(
        "3.11",
        f"Kemajuan Capaian Perjanjian Kinerja Tiap Triwulan di Tahun {y}",
        header(
            [("No", 1, 2), ("Sasaran", 1, 2), ("Indikator Kinerja", 1, 2), ("Satuan", 1, 2)] + [(fmt.periode(tw), 3) for tw in TRIWULAN],
            [("Target",), ("Realisasi",), ("Capaian",)] * 4,
            columns=16,
        ),
        widths=[5, 28, 40, 9] + [10, 10, 11] * 4,
        source="marts.capaian_indikator, marts.ringkasan_capaian (Perjanjian Kinerja per triwulan)",
    )
    for i, tw in enumerate(TRIWULAN):
        c = 4 + 3 * i
        t.column_keys.update(
            {
                ("TARGET", y, tw): c,
                ("REALISASI", y, tw): c + 1,
                ("CAPAIAN", y, tw): c + 2,
                ("RATA_RATA", y, tw): c + 2,
                ("KRITERIA", y, tw): c,
            }
        )

    def quarters(r: dict) -> list[Cell]:
        cells: list[Cell] = []
        for tw in TRIWULAN:
            q = report.indikator(r["indikator_kode"], y, tw)
            if q is not None and q["status_data"] == "TANPA_TARGET":
                cells += [number(None), number(q["realisasi"]), number(None)]
            else:
                cells += _target_realisasi_capaian(t, q)
        return cells

    _by_sasaran(t, report, report.perkin(y), quarters)
    averages = [report.rata_rata("PERKIN", y, tw) for tw in TRIWULAN]
    _label_row(t, "RATA-RATA", 4, [c for a in averages for c in (blank(), blank(), _avg(a))], keys=[("rata", "PERKIN")])
    _label_row(t, "KRITERIA", 4, [c for a in averages for c in (_kriteria(a, span_cols=3), None, None)])
    t.note("-: tidak ada target pada triwulan tersebut.")
    return t


def tabel_3_12(report: Report) -> Table:
    p, y = report.tahun_lalu, report.tahun
    t = Table(
        "3.12",
        f"Kemajuan Historis Capaian Perjanjian Kinerja Kepala Perangkat Daerah Tahun {p}-{y}",
        header(
            [("No", 1, 2), ("Sasaran", 1, 2), ("Indikator Kinerja", 1, 2), ("Satuan", 1, 2), (f"TAHUN {p}", 4), (f"TAHUN {y}", 4)],
            [("Target",), ("Realisasi",), ("Capaian",), ("Kriteria",)] * 2,
            columns=12,
        ),
        widths=[5, 30, 44, 9] + [11, 11, 11, 13] * 2,
        source="marts.capaian_indikator, marts.ringkasan_capaian (Perjanjian Kinerja, tahunan)",
    )
    for yr, c in ((p, 4), (y, 8)):
        t.column_keys.update(
            {("TARGET", yr, "TAHUNAN"): c, ("REALISASI", yr, "TAHUNAN"): c + 1, ("CAPAIAN", yr, "TAHUNAN"): c + 2}
            | {("RATA_RATA", yr, "TAHUNAN"): c + 2, ("KRITERIA", yr, "TAHUNAN"): c + 3}
        )
    kelompok = (*KELOMPOK_SASARAN, "KSD")
    indicators = {r["indikator_kode"]: r for r in report.perkin(p, kelompok)}
    indicators.update({r["indikator_kode"]: r for r in report.perkin(y, kelompok)})
    ordered = sorted(indicators.values(), key=lambda r: (kelompok.index(r["kelompok"]), r["indikator_kode"]))

    def both(r: dict) -> list[Cell]:
        return [c for yr in (p, y) for c in _target_realisasi_capaian(t, report.indikator(r["indikator_kode"], yr), with_kriteria=True)]

    _by_sasaran(t, report, ordered, both, kelompok)
    averages = [report.rata_rata("PERKIN", yr) for yr in (p, y)]
    rest = [c for a in averages for c in (blank(), blank(), _avg(a), _kriteria(a))]
    _label_row(t, "RATA-RATA", 4, rest, keys=[("rata", "PERKIN")])
    t.note("-: indikator tidak ada dalam Perjanjian Kinerja tahun tersebut.")
    return t


def tabel_3_13(report: Report) -> Table:
    p, y = report.tahun_lalu, report.tahun
    end = report.katalog.renstra_tahun[1] if report.katalog.renstra_tahun else None
    t = Table(
        "3.13",
        "Kemajuan Harapan (Outlook) Capaian Sasaran Strategis Perangkat Daerah",
        header(
            [
                ("No", 1, 3),
                ("Sasaran Strategis", 1, 3),
                ("Indikator Kinerja", 1, 3),
                ("Satuan", 1, 3),
                ("Realisasi", 3),
                ("Perjanjian Kinerja", 2, 2),
                (f"Rencana Strategis tahun berjalan (Tahun {y})", 2, 2),
                (f"Rencana Strategis Akhir Periode (Tahun {end})" if end else "Rencana Strategis Akhir Periode", 2, 2),
            ],
            [("Tahunan", 2), (f"Kondisi akhir s.d {y}", 1, 2)],
            [(str(p),), (str(y),), ("Target",), ("Capaian",), ("Target",), ("Capaian",), ("Target",), ("Capaian",)],
            columns=13,
        ),
        widths=[5, 30, 36, 9, 10, 10, 11, 10, 11, 10, 11, 10, 11],
        source="marts.outlook_sasaran_strategis, marts.ringkasan_capaian (OUTLOOK_*)",
    )
    keys = ["REALISASI_TAHUN_SEBELUMNYA", "REALISASI", "KONDISI_AKHIR", "TARGET_PERKIN", "CAPAIAN_PERKIN"]
    keys += ["TARGET_RENSTRA", "CAPAIAN_RENSTRA", "TARGET_AKHIR_PERIODE", "CAPAIAN_AKHIR_PERIODE"]
    t.column_keys = {(k, y, "TAHUNAN"): 4 + i for i, k in enumerate(keys)}
    kelompok_col = {"OUTLOOK_PERKIN": 8, "OUTLOOK_RENSTRA": 10, "OUTLOOK_AKHIR_PERIODE": 12}
    t.column_keys.update({(u, y, "TAHUNAN", k): c for k, c in kelompok_col.items() for u in ("RATA_RATA", "KRITERIA")})
    t.add([text(v, center=True) for v in ("1", "2", "3", "4", "5", "6", "7", "8", "9=6/8", "10", "11=6/10", "12", "13=7/12")], kind="nomor")

    def outlook_cells(r: dict) -> list[Cell]:
        o = next((x for x in report.outlook if x["indikator_kode"] == r["indikator_kode"]), None)
        if o is None:
            return [number(None) for _ in range(9)]
        realisasi = number(o["realisasi"])
        kondisi = number(o["kondisi_akhir"])
        if o["realisasi"] is None:
            n = _not_released(t, r.get("sumber_data")) if r["status_data"] == "BELUM_RILIS" else None
            realisasi = number(None, missing="N/A", notes=[n] if n else [])
        if o["kondisi_akhir_tahun_data"] is not None and o["kondisi_akhir_tahun_data"] < y:
            kondisi.notes.append(
                t.note(f"Kondisi akhir memakai realisasi {o['kondisi_akhir_tahun_data']}, tahun terakhir yang datanya sudah dirilis.")
            )
        capaian = []
        for key in ("capaian_perkin_persen", "capaian_renstra_persen", "capaian_akhir_periode_persen"):
            value = o[key]
            cell = number(value, PERCENT, missing="N/A" if value is None and o["realisasi"] is None else "-")
            if value is not None and value > CAP:
                cell.notes.append(_capped(t))
            capaian.append(cell)
        return [
            number(o["realisasi_tahun_sebelumnya"]),
            realisasi,
            kondisi,
            number(o["target_perkin"]),
            capaian[0],
            number(o["target_renstra"]),
            capaian[1],
            number(o["target_akhir_periode"]),
            capaian[2],
        ]

    indicators = [r for r in report.perkin(y, ("SASARAN_STRATEGIS",))]
    _by_sasaran(t, report, indicators, outlook_cells, ("SASARAN_STRATEGIS",))
    t.rows = [row for row in t.rows if row.kind != "kelompok"]  # the table holds the strategic sasaran only
    averages = {k: report.rata_rata(k, y) for k in kelompok_col}
    rata = [_avg(averages["OUTLOOK_PERKIN"]), blank(), _avg(averages["OUTLOOK_RENSTRA"]), blank(), _avg(averages["OUTLOOK_AKHIR_PERIODE"])]
    _label_row(t, "RATA-RATA", 8, rata, keys=[("rata", k) for k in kelompok_col])
    kriteria = [_kriteria(averages["OUTLOOK_PERKIN"]), blank(), _kriteria(averages["OUTLOOK_RENSTRA"]), blank()]
    _label_row(t, "KRITERIA", 8, kriteria + [_kriteria(averages["OUTLOOK_AKHIR_PERIODE"])])
    return t


def tabel_3_14(report: Report) -> Table:
    y = report.tahun
    t = Table(
        "3.14",
        "Kemajuan Kinerja Sasaran Perjanjian Kinerja Kepala Perangkat Daerah dengan Standar Nasional",
        header(
            [
                ("No", 1, 2),
                ("Sasaran", 1, 2),
                ("Indikator Kinerja", 1, 2),
                ("Satuan", 1, 2),
                ("Perjanjian Kinerja", 4),
                ("Realisasi Nasional", 1, 2),
            ],
            [("Target",), ("Realisasi",), ("Capaian",), ("Kriteria",)],
            columns=9,
        ),
        widths=[5, 32, 46, 9, 12, 12, 12, 13, 14],
        source="marts.capaian_indikator (Perjanjian Kinerja), marts.perbandingan_nasional (DKI Jakarta dan Indonesia, BPS)",
        column_keys={("NILAI_DAERAH", y): 5, ("NILAI_NASIONAL", y): 8},
    )
    nasional = {(r["indikator_kode"], r["periode"]): r for r in report.nasional if r["tahun"] == y}

    def cells(r: dict) -> list[Cell]:
        row = _target_realisasi_capaian(t, r, with_kriteria=True)
        annual = nasional.get((r["indikator_kode"], "TAHUNAN"))
        if annual is not None:
            return row + [number(annual["nilai_nasional"])]
        if any(k == r["indikator_kode"] for k, _ in nasional):
            return row + [number(None, missing="N/A", notes=[t.note(f"N/A: data tahunan {y} belum dirilis oleh BPS.")])]
        return row + [blank()]

    def latest_quarter(r: dict) -> list[tuple[str, list[Cell | None]]]:
        """Where BPS has not released the year, the latest quarter it has released, both domains."""
        kode = r["indikator_kode"]
        quarters = [tw for tw in TRIWULAN if (kode, tw) in nasional]
        if (kode, "TAHUNAN") in nasional or not quarters:
            return []
        q = nasional[(kode, quarters[-1])]
        label = f"Realisasi {fmt.periode(quarters[-1])} {y} (triwulan terakhir yang dirilis BPS)"
        cells = [text(label), text(q.get("satuan"), center=True), blank(), number(q["nilai_daerah"]), blank(), blank()]
        return [(quarters[-1], cells + [number(q["nilai_nasional"])])]

    _by_sasaran(t, report, report.perkin(y), cells, extra_rows=latest_quarter)
    t.note("Pertumbuhan (y-on-y) dan kontribusi PDRB menurut BPS: DKI Jakarta (Realisasi) dan Indonesia (Realisasi Nasional).")
    return t


def tabel_3_19(report: Report) -> Table:
    y = report.tahun
    t = Table(
        "3.19",
        "Efisiensi Realisasi Anggaran terhadap Pencapaian Indikator Kinerja Utama (IKU) berdasarkan program",
        header(
            [
                ("No", 1, 2),
                ("Sasaran Strategis / Program", 1, 2),
                ("Indikator Kinerja", 1, 2),
                ("Kinerja", 4),
                ("Anggaran", 3),
                ("Efisiensi", 1, 2),
            ],
            [("Target",), ("Realisasi",), ("Capaian Indikator",), ("Capaian Program",), ("Pagu",), ("Realisasi",), ("Capaian",)],
            columns=11,
        ),
        widths=[5, 30, 40, 12, 12, 11, 11, 18, 18, 10, 11],
        source="marts.efisiensi_sasaran, marts.capaian_indikator (program), marts.serapan_anggaran (program), marts.ringkasan_capaian (EFISIENSI)",
        column_keys={("EFISIENSI", y, "TAHUNAN"): 10},
    )
    budget = {k: v.get(y) for k, v in report.serapan_dimensi("PROGRAM").items()}
    indicators = [
        r
        for r in report.capaian
        if r["kelompok"] == "PROGRAM" and r["tahun"] == y and r["jenis_target"] == "RENSTRA" and r["periode"] == "TAHUNAN"
    ]
    sasaran_rows = sorted((r for r in report.efisiensi if r["tahun"] == y), key=lambda r: r["sasaran_kode"])
    nomor = 0
    for s in sasaran_rows:
        t.add(
            [blank(), Cell(s["sasaran_nama"], span_cols=9, bold=True)]
            + [None] * 8
            + [number(s["efisiensi_metode_lkip_persen"], PERCENT, bold=True)],
            kind="kelompok",
            keys=[("nama", _norm(s["sasaran_nama"])), ("sasaran", s["sasaran_kode"])],
        )
        programs: dict[str, list[dict]] = {}
        for r in sorted(indicators, key=lambda r: r["indikator_kode"]):
            if report.katalog.program_sasaran.get(r["program_kode"]) == s["sasaran_kode"]:
                programs.setdefault(r["program_kode"], []).append(r)
        for program, rows in programs.items():
            nomor += 1
            first = len(t.rows)
            capped = [r["capaian_dihitung_persen"] for r in rows if r["capaian_dihitung_persen"] is not None]
            b = budget.get(program)
            for r in rows:
                cells = _target_realisasi_capaian(t, r)
                t.add(
                    [text(nomor, center=True), text(report.program_nama(program)), text(r["indikator_nama"])]
                    + cells
                    + [
                        number(mean(capped) if capped else None, PERCENT),
                        number(b["pagu_apbdp"] if b else None, RUPIAH, missing="N/A"),
                        number(b["realisasi"] if b else None, RUPIAH, missing="N/A"),
                        number(b["serapan_persen"] if b else None, PERCENT, missing="N/A"),
                        blank(),
                    ],
                    keys=[("ind", r["indikator_kode"])],
                )
            t.merge_down(first, len(rows), [0, 1, 6, 7, 8, 9])
    avg = report.rata_rata("EFISIENSI", y)
    _label_row(t, "RATA-RATA EFISIENSI", 10, [_avg(avg)], keys=[("rata", "EFISIENSI")])
    t.note(
        "Capaian program = rata-rata capaian indikatornya terhadap target Renstra, masing-masing dihitung maksimal 110 %. "
        "Efisiensi = jumlah (pagu x capaian program - realisasi) / jumlah (pagu x capaian program) x 100, capaian dalam persen (metode LKIP)."
    )
    pmk = [
        f"{s['sasaran_nama']} {fmt.persen(s['efisiensi_pmk214_persen'])}"
        for s in sasaran_rows
        if s.get("efisiensi_pmk214_persen") is not None
    ]
    if pmk:
        t.note("Dengan capaian sebagai rasio (rumus PMK 214/PMK.02/2017), efisiensinya: " + "; ".join(pmk) + ".")
    return t


# -- the sheets beside the LKIP tables -------------------------------------------------------

CHANGE_COLUMNS = [
    ("No", 5),
    ("Objek", 22),
    ("Kode", 22),
    ("Nama", 44),
    ("Tahun", 7),
    ("Periode", 9),
    ("Jenis target", 16),
    ("Perubahan", 10),
    ("Nilai lama", 12),
    ("Nilai baru", 12),
    ("Capaian lama", 12),
    ("Capaian baru", 12),
    ("Status lama", 14),
    ("Status baru", 14),
    ("Nasional lama", 12),
    ("Nasional baru", 12),
]


def _status_text(value: str | None) -> str:
    return fmt.STATUS_DATA.get(value or "", fmt.STATUS_BATCH.get(value or "", value or "-"))


def change_rows(t: Table, rows: list[dict]) -> None:
    for i, r in enumerate(rows, start=1):
        average = r["objek"] == "ringkasan_capaian"
        kind = PERCENT if average else NUMBER
        name = fmt.KELOMPOK_RINGKASAN.get(r["kode"], r["nama"]) if average else r["nama"]
        t.add(
            [
                text(i, center=True),
                text(fmt.OBJEK.get(r["objek"], r["objek"])),
                text(r["kode"]),
                text(name),
                text(r["tahun"], center=True),
                text(fmt.periode(r["periode"]), center=True),
                text(fmt.JENIS_TARGET.get(r["jenis_target"] or "", r["jenis_target"] or "-")),
                text(fmt.JENIS_PERUBAHAN.get(r["jenis_perubahan"], r["jenis_perubahan"])),
                number(r["nilai_lama"], kind),
                number(r["nilai_baru"], kind),
                number(None if average else r["capaian_lama"], PERCENT),
                number(None if average else r["capaian_baru"], PERCENT),
                text(_status_text(r["status_lama"])),
                text(_status_text(r["status_baru"])),
                number(r["nilai_nasional_lama"]),
                number(r["nilai_nasional_baru"]),
            ],
            keys=[("perubahan", r["objek"], r["kode"], r["tahun"], r["periode"], r["jenis_target"])],
        )


def perubahan(report: Report) -> Table:
    when = fmt.waktu(report.publish.dipublikasikan_pada)
    t = Table(
        "Perubahan",
        f"Apa yang berubah pada publikasi {when}",
        header([(name,) for name, _ in CHANGE_COLUMNS], columns=len(CHANGE_COLUMNS)),
        widths=[w for _, w in CHANGE_COLUMNS],
        source=f"marts.log_perubahan (run {report.publish.run_id or '-'})",
        sheet="Perubahan",
    )
    from kinerja.publikasi.notice import order

    if report.perubahan:
        change_rows(t, sorted(report.perubahan, key=order))
        return t
    _label_row(t, "Publikasi ini tidak mengubah angka apa pun.", t.columns, [], kind="kelompok")
    if report.perubahan_terakhir is not None:
        _label_row(
            t,
            f"Perubahan terakhir: publikasi {fmt.waktu(report.perubahan_terakhir.dipublikasikan_pada)} (run {report.perubahan_terakhir.run_id})",
            t.columns,
            [],
            kind="kelompok",
        )
        change_rows(t, sorted(report.perubahan_sebelumnya, key=order))
    return t


def selisih(report: Report) -> Table:
    t = Table(
        "Selisih LKIP",
        "Selisih antara LKIP terbitan dan gudang data (rekonsiliasi)",
        header(
            [
                (c,)
                for c in (
                    "No",
                    "Tabel",
                    "Baris",
                    "Kolom",
                    "Tahun",
                    "Periode",
                    "Tercetak di LKIP",
                    "Dihitung gudang data",
                    "Status",
                    "Penjelasan",
                )
            ],
            columns=10,
        ),
        widths=[5, 8, 40, 20, 7, 9, 16, 18, 16, 70],
        source=(
            "marts.rekonsiliasi_lkip: "
            + ", ".join(f"{report.rekonsiliasi.get(s, 0)} {s}" for s in ("COCOK", "SELISIH", "TIDAK_DAPAT_DIHITUNG"))
        ),
        sheet="Selisih LKIP",
    )
    for i, r in enumerate(report.selisih, start=1):
        t.add(
            [
                text(i, center=True),
                text(r["tabel"], center=True),
                text(r["baris"]),
                text(bahasa.kolom(r["kolom"])),
                text(r["tahun"], center=True),
                text(fmt.periode(r["periode"]), center=True),
                text(_printed(r)),
                text(_computed(r)),
                text("Selisih" if r["status"] == "SELISIH" else "Tidak dapat dihitung"),
                text(bahasa.penjelasan(r["penjelasan"])),
            ]
        )
    return t


def status_sumber(report: Report) -> Table:
    t = Table(
        "Status sumber",
        "Status sumber data",
        header(
            [
                (c,)
                for c in (
                    "Sumber",
                    "Status",
                    "Batch terakhir",
                    "Diterima terakhir",
                    "Berkas ditolak",
                    "Alasan (pesan teknis, bahasa Inggris)",
                    "Karantina",
                    "Diperiksa",
                    "Berkas diabaikan",
                )
            ],
            columns=9,
        ),
        widths=[18, 12, 40, 22, 26, 60, 40, 22, 40],
        source="marts.status_sumber",
        sheet="Status sumber",
    )
    for r in report.status_sumber:
        t.add(
            [
                text(fmt.sumber(r["sumber"])),
                text("USANG" if r["status"] == "USANG" else "Terkini", bold=r["status"] == "USANG"),
                text(r.get("batch_terakhir") or "-"),
                text(fmt.waktu(r.get("diterima_terakhir_pada"))),
                text(r.get("berkas_ditolak") or "-"),
                text(r.get("alasan") or "-"),
                text(r.get("karantina") or "-"),
                text(fmt.waktu(r.get("diperiksa_pada"))),
                text(r.get("berkas_diabaikan") or "-"),
            ]
        )
    t.note(
        "USANG: berkas terakhir sumber ini ditolak; tabel memakai data terakhir yang lolos pemeriksaan sampai berkas yang benar diterima."
    )
    return t


# -- reconciliation differences as footnotes --------------------------------------------------

_PERCENT_MEASURES = ("CAPAIAN", "RATA_RATA", "SERAPAN", "EFISIENSI")
_MONEY_MEASURES = ("ANGGARAN", "OMZET_TARGET", "OMZET_REALISASI", "OMZET_KUMULATIF", "EORDER_NILAI")


def _as_measured(value: float, measure: str) -> str:
    if any(measure.startswith(m) for m in _PERCENT_MEASURES) or measure.endswith("CAPAIAN"):
        return fmt.persen(value)
    if any(measure.startswith(m) for m in _MONEY_MEASURES):
        return fmt.rupiah(value)
    return fmt.angka(value)


def _printed(r: dict) -> str:
    """The published text; a bare machine number (as the seed keeps budget cells) in the table's own form."""
    printed = r.get("teks_terbitan") or "-"
    if r.get("nilai_terbitan") is not None and re.fullmatch(r"-?\d+(\.\d+)?", printed):
        return _as_measured(r["nilai_terbitan"], r.get("ukuran") or "")
    return printed


def _computed(r: dict) -> str:
    value = r.get("nilai_hitung")
    if value is None:
        return "tidak dapat dihitung" if r.get("status") == "TIDAK_DAPAT_DIHITUNG" else (r.get("teks_hitung") or "-")
    return _as_measured(value, r.get("ukuran") or "")


def _difference(r: dict) -> str:
    printed = _printed(r)
    return f"Berbeda dengan LKIP terbitan ({bahasa.kolom(r['kolom'])}): tercetak {printed}, gudang data {_computed(r)}. {bahasa.penjelasan(r.get('penjelasan'))}".strip()


def attach_differences(t: Table, report: Report, years: Iterable[int]) -> int:
    """A footnote for every reconciliation difference of this table (in the years it shows),
    marked on the cell it concerns where it can be found. Returns how many."""
    wanted = set(years)
    count = 0
    for r in report.selisih:
        if r["tabel"] != t.nomor or r["tahun"] not in wanted:
            continue
        n = t.note(_difference(r))
        count += 1
        keys: list[tuple] = []
        if r.get("indikator_kode"):
            keys += [("ind", r["indikator_kode"], r["periode"]), ("ind", r["indikator_kode"])]
        if r.get("kelompok_ringkasan"):
            keys.append(("rata", r["kelompok_ringkasan"]))
        keys += [("ukuran", r["ukuran"], r["periode"]), ("nama", _norm(r["baris"]))]
        row = t.find(keys)
        if row is None:
            continue
        column = None
        for key in (
            (r["ukuran"], r["tahun"], r["periode"], r.get("kelompok_ringkasan")),
            (r["ukuran"], r["tahun"], r["periode"]),
            (r["ukuran"], r["tahun"]),
        ):
            if key in t.column_keys:
                column = t.column_keys[key]
                break
        cell = row.cells[column] if column is not None and column < len(row.cells) else None
        cell = cell or next(c for c in row.cells if c is not None)
        if n not in cell.notes:
            cell.notes.append(n)
    return count


LKIP_TABLES: tuple[tuple[Callable[[Report], Table], str], ...] = (
    (tabel_3_2, "y"),
    (tabel_3_3, "y"),
    (tabel_3_5, "py"),
    (tabel_3_6, "py"),
    (tabel_3_7, "py"),
    (tabel_3_8, "py"),
    (tabel_3_9, "py"),
    (tabel_3_10, "py"),
    (tabel_3_11, "y"),
    (tabel_3_12, "py"),
    (tabel_3_13, "y"),
    (tabel_3_14, "y"),
    (tabel_3_19, "y"),
)


def lkip_tables(report: Report) -> list[Table]:
    """The chapter-3 tables, each with the footnotes of its reconciliation differences."""
    tables = []
    for build, years in LKIP_TABLES:
        t = build(report)
        attach_differences(t, report, [report.tahun] if years == "y" else [report.tahun_lalu, report.tahun])
        tables.append(t)
    return tables


def all_tables(report: Report) -> list[Table]:
    return lkip_tables(report) + [perubahan(report), selisih(report), status_sumber(report)]
