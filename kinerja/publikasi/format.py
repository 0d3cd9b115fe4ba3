"""Numbers, dates and codes as a planner reads them in Indonesian: 102,36 %, Rp346.143.869.517,
TW III, "belum rilis". One place, used by the workbook labels, the page, the narrative and the notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

WIB = timezone(timedelta(hours=7), "WIB")
KOSONG = "-"

PERIODE = {"TW1": "TW I", "TW2": "TW II", "TW3": "TW III", "TW4": "TW IV", "TAHUNAN": "Tahunan"}
STATUS_DATA = {"TERSEDIA": "tersedia", "BELUM_RILIS": "belum rilis", "TANPA_TARGET": "tanpa target"}
JENIS_TARGET = {"PERKIN": "Perjanjian Kinerja", "RENSTRA": "Renstra", "RENAKSI": "Rencana Aksi"}
JENIS_PERUBAHAN = {"BARU": "baru", "BERUBAH": "berubah", "DIHAPUS": "dihapus", "DITARIK": "ditarik", "DIPULIHKAN": "dipulihkan"}
KELOMPOK_RINGKASAN = {
    "PERKIN": "Rata-rata capaian Perjanjian Kinerja",
    "PROGRAM": "Rata-rata capaian indikator program",
    "KSD": "Rata-rata capaian Rencana Aksi KSD",
    "OUTLOOK_PERKIN": "Rata-rata outlook terhadap Perjanjian Kinerja",
    "OUTLOOK_RENSTRA": "Rata-rata outlook terhadap Renstra tahun berjalan",
    "OUTLOOK_AKHIR_PERIODE": "Rata-rata outlook terhadap target akhir periode Renstra",
    "EFISIENSI": "Rata-rata efisiensi",
}
OBJEK = {
    "capaian_indikator": "Capaian indikator",
    "ringkasan_capaian": "Rata-rata capaian",
    "perbandingan_nasional": "Perbandingan nasional (Tabel 3.14)",
    "batch": "Batch data (kinerja batch retract/restore)",
}
STATUS_BATCH = {"DIPAKAI": "dipakai", "DITARIK": "ditarik"}  # log_perubahan rows of objek batch
SUMBER = {
    "bps": "BPS (PDRB)",
    "emonev": "E-Monev",
    "sipd": "SIPD (anggaran)",
    "jakpreneur": "Jakpreneur",
    "eorder": "e-Order BPPBJ",
    "katalog": "Katalog indikator",
    "BPS": "BPS",
    "EMONEV": "E-Monev",
    "SIPD": "SIPD",
    "JAKPRENEUR": "Jakpreneur",
    "EORDER": "e-Order",
}
TANDA = {
    "REALISASI_10X_TARGET": "realisasi sepuluh kali targetnya atau lebih",
    "REALISASI_MELEBIHI_BATAS_SATUAN": "realisasi melebihi nilai terbesar yang dimungkinkan satuannya",
}


def _number(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return float(value)


def _grouped(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def angka(value, desimal: int = 3) -> str:
    """7.7498 -> "7,75"; 12.4 -> "12,4"; 11542072344 -> "11.542.072.344" (trailing zeros dropped)."""
    number = _number(value)
    if number is None:
        return KOSONG
    text = _grouped(round(number, desimal), desimal)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return "0" if text in ("-0", "") else text


def persen(value, desimal: int = 2) -> str:
    """102.3626 -> "102,36 %"."""
    number = _number(value)
    return KOSONG if number is None else f"{_grouped(number, desimal)} %"


def rupiah(value) -> str:
    """346143869517 -> "Rp346.143.869.517"."""
    number = _number(value)
    if number is None:
        return KOSONG
    sign = "-" if number < 0 else ""
    return f"{sign}Rp{_grouped(abs(round(number)), 0)}"


def bilangan(value) -> str:
    """5430 -> "5.430"."""
    number = _number(value)
    return KOSONG if number is None else _grouped(round(number), 0)


def periode(code: str | None) -> str:
    return PERIODE.get(code or "", code or KOSONG)


def sumber(code: str | None) -> str:
    return SUMBER.get(code or "", code or KOSONG)


def tanda(text: str | None) -> str:
    """``REALISASI_MELEBIHI_BATAS_SATUAN; REALISASI_10X_TARGET`` in words."""
    return "; ".join(TANDA.get(part.strip(), part.strip()) for part in (text or "").split(";") if part.strip())


BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")


def waktu(value) -> str:
    """A UTC timestamp (naive means UTC, as the marts store them) in WIB: "2 Desember 2026 14.05 WIB"."""
    if value is None:
        return KOSONG
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(WIB)
    return f"{moment.day} {BULAN[moment.month - 1]} {moment.year} {moment:%H.%M} WIB"


def nilai(value, satuan: str | None = None) -> str:
    """A target or realisasi in its unit's usual form: money as rupiah, the rest as a number."""
    if satuan and satuan.lower() in ("rupiah", "rp"):
        return rupiah(value)
    return angka(value)
