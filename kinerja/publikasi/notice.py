"""The planners' notice after a publish: what changed, in Indonesian, with the workbook attached
and where the report page is. Composed here, sent through :mod:`kinerja.notify` (apprise)."""

from __future__ import annotations

from kinerja.publikasi import format as fmt

MAX_LINES = 60


def _value(row: dict, which: str) -> str:
    value = row[f"nilai_{which}"]
    status = row[f"status_{which}"]
    if row["objek"] == "ringkasan_capaian":
        return fmt.persen(value) + (f" ({status})" if status else "")
    if value is None:
        return "N/A" + (f" ({fmt.STATUS_DATA.get(status, status)})" if status else "")
    shown = fmt.angka(value)
    if row["objek"] == "perbandingan_nasional":
        national = row[f"nilai_nasional_{which}"]
        return f"DKI {shown}; nasional {fmt.angka(national)}"
    return shown + (f" ({fmt.STATUS_DATA.get(status, status)})" if status else "")


def change_line(row: dict) -> str:
    """``- SS01 Kontribusi ... 2024 Tahunan (Perjanjian Kinerja): N/A (belum rilis) → 11,61 (tersedia)``"""
    if row["objek"] == "ringkasan_capaian":
        what = fmt.KELOMPOK_RINGKASAN.get(row["kode"], row["kode"])
    elif row["objek"] == "perbandingan_nasional":
        what = f"Tabel 3.14 {row['kode']} {row['nama']}"
    else:
        what = f"{row['kode']} {row['nama']}"
    when = f"{row['tahun']} {fmt.periode(row['periode'])}"
    target = f" ({fmt.JENIS_TARGET.get(row['jenis_target'], row['jenis_target'])})" if row.get("jenis_target") else ""
    capaian = ""
    if row["objek"] == "capaian_indikator" and row.get("capaian_baru") is not None:
        capaian = f", capaian {fmt.persen(row['capaian_lama']) if row.get('capaian_lama') is not None else 'N/A'} → {fmt.persen(row['capaian_baru'])}"
    return f"- {what}, {when}{target}: {_value(row, 'lama')} → {_value(row, 'baru')}{capaian}"


def batch_line(row: dict) -> str:
    """A retracted or restored batch (``objek`` batch): ``- Berkas x.csv (batch ...) ditarik: alasan``."""
    done = fmt.JENIS_PERUBAHAN.get(row["jenis_perubahan"], row["jenis_perubahan"])
    return f"- Berkas {row['nama'] or '-'} (batch {row['kode']}) {done}: {row.get('keterangan') or 'tanpa alasan tercatat'}"


def order(row: dict) -> tuple:
    """Averages first (Perjanjian Kinerja before the outlook), then indicators, then table 3.14; newest year first."""
    rank = {"ringkasan_capaian": 0, "capaian_indikator": 1, "perbandingan_nasional": 2}.get(row["objek"], 3)
    groups = list(fmt.KELOMPOK_RINGKASAN)
    group = groups.index(row["kode"]) if row["objek"] == "ringkasan_capaian" and row["kode"] in groups else len(groups)
    return (rank, -(row["tahun"] or 0), group, row["jenis_target"] != "PERKIN", row["periode"] != "TAHUNAN", row["kode"], row["periode"])


def compose(publication) -> tuple[str, str]:
    """Subject and body of the notice for a publication set (see :class:`PublicationSet`)."""
    y = publication.tahun
    rows = publication.changes if publication.new_publish else []
    changes = sorted((r for r in rows if r["objek"] != "batch"), key=order)
    batches = [r for r in rows if r["objek"] == "batch"]  # a retraction or restore, its own row also when no figure moved
    stale = publication.newly_stale
    parts = []
    if changes:
        parts.append(f"{len(changes)} angka berubah")
    for kind in ("DITARIK", "DIPULIHKAN"):
        count = sum(r["jenis_perubahan"] == kind for r in batches)
        if count:
            parts.append(f"{count} batch data {fmt.JENIS_PERUBAHAN[kind]}")
    if stale:
        parts.append("sumber data usang: " + ", ".join(fmt.sumber(s) for s in stale))
    subject = f"[Kinerja] LKIP {y}: " + "; ".join(parts)

    lines = ["Yth. Tim Perencanaan Dinas PPKUKM,", ""]
    when = fmt.waktu(publication.published_at)
    if changes:
        lines.append(f"Publikasi gudang data Kinerja pada {when} mengubah {len(changes)} angka LKIP (nilai lama → nilai baru):")
        lines += [change_line(r) for r in changes[:MAX_LINES]]
        if len(changes) > MAX_LINES:
            lines.append(f"- dan {len(changes) - MAX_LINES} perubahan lain (lihat lembar Perubahan di buku kerja).")
        lines.append("")
    if batches:
        lines.append(f"Publikasi pada {when} tidak lagi memakai, atau kembali memakai, batch data berikut (kinerja batch retract/restore):")
        lines += [batch_line(r) for r in batches]
        if not changes:
            lines.append("Tidak ada angka LKIP yang berubah karenanya.")
        lines.append("")
    for s in publication.stale:
        if s["sumber"] in stale:
            lines.append(
                f"Sumber {fmt.sumber(s['sumber'])} USANG: berkas {s.get('berkas_ditolak') or '-'} ditolak, sehingga tabel memakai data terakhir "
                f"yang valid. Alasan (pesan teknis, bahasa Inggris): {(s.get('alasan') or '-')[:800]}"
            )
            lines.append("")
    lines.append(f"Buku kerja tabel Bab III terlampir ({publication.workbook.name}).")
    lines.append(f"Laporan lengkap (tabel, grafik, draf narasi, apa yang berubah, hasil validasi): {publication.page}")
    lines.append(f"Draf narasi untuk disalin: {publication.narrative}")
    lines += ["", "Pesan ini dikirim otomatis oleh Kinerja setelah setiap publikasi yang mengubah angka."]
    return subject, "\n".join(lines)
