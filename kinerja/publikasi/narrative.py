"""The narrative draft of chapter 3: the paragraphs a planner writes for each sasaran and each
strategic indicator, generated from the figures by templates (no model, no network).

The templates are data a planner edits: ``narasi.toml`` beside this module, or a copy named by
``KINERJA_NARASI``. Each section lists the words (placeholders) it may use; a template naming an
unknown word stops the publication with a message naming the template and the word.
"""

from __future__ import annotations

import os
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kinerja.publikasi import format as fmt
from kinerja.publikasi.data import KELOMPOK_SASARAN, Report
from kinerja.publikasi.tables import CAP, KELOMPOK_LABEL

DEFAULT_TEMPLATES = Path(__file__).with_name("narasi.toml")
ENV = "KINERJA_NARASI"

PLACEHOLDERS: dict[str, set[str]] = {
    "satuan": {"nilai", "satuan"},
    "pembuka": {
        "tahun",
        "jumlah_sasaran",
        "jumlah_indikator",
        "dihitung",
        "belum_rilis",
        "daftar_belum_rilis",
        "sumber_belum_rilis",
        "rata_rata",
        "kriteria",
        "tahun_lalu",
        "rata_rata_lalu",
        "kriteria_lalu",
    },
    "sasaran": {
        "nomor",
        "sasaran",
        "kelompok",
        "jumlah_indikator",
        "daftar_indikator",
        "terukur",
        "tercapai",
        "jumlah_menunggu",
        "daftar_menunggu",
        "sumber",
        "pagu",
        "realisasi_anggaran",
        "serapan",
        "efisiensi",
    },
    "indikator": {
        "indikator",
        "sasaran",
        "tahun",
        "target",
        "realisasi",
        "capaian",
        "kriteria",
        "sumber",
        "batas",
        "tahun_lalu",
        "realisasi_lalu",
        "capaian_lalu",
        "arah",
        "target_renstra",
        "capaian_renstra",
        "tahun_kondisi",
        "kondisi_akhir",
        "tahun_akhir",
        "target_akhir",
        "capaian_akhir",
        "tanda",
    },
    "arah": set(),
}
REQUIRED = {
    "satuan": {"lainnya"},
    "arah": {"naik", "turun", "tetap"},
    "pembuka": {"teks", "belum_rilis", "tahun_lalu"},
    "sasaran": {"pembuka", "tercapai", "tidak_tercapai", "menunggu", "anggaran"},
    "indikator": {"tersedia", "belum_rilis", "dibatasi", "tahun_lalu", "renstra", "akhir_periode", "kondisi_lama", "plausibilitas"},
}


class TemplateError(ValueError):
    """A narrative template that cannot be used; the message names the file, template and word."""


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    level: int = 2


def templates_path() -> Path:
    return Path(os.environ[ENV]) if os.environ.get(ENV) else DEFAULT_TEMPLATES


def load_templates(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Read and check the templates: every required template present, every word known."""
    path = path or templates_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"narrative templates {path} cannot be read: {exc}") from None
    for section, required in REQUIRED.items():
        missing = sorted(required - set(data.get(section, {})))
        if missing:
            raise TemplateError(f"narrative templates {path}: section [{section}] lacks {', '.join(missing)}")
    for section, items in data.items():
        allowed = PLACEHOLDERS.get(section)
        if allowed is None:
            raise TemplateError(f"narrative templates {path}: unknown section [{section}]; expected {', '.join(PLACEHOLDERS)}")
        for key, template in items.items():
            if not isinstance(template, str):
                raise TemplateError(f"narrative templates {path}: [{section}] {key} must be text")
            try:
                words = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
            except ValueError as exc:
                raise TemplateError(f"narrative templates {path}: [{section}] {key}: {exc} (braces must pair, as in {{capaian}})") from None
            unknown = sorted(w for w in words if w not in allowed)
            if unknown:
                raise TemplateError(
                    f"narrative templates {path}: [{section}] {key} uses {', '.join('{' + w + '}' for w in unknown)}, "
                    f"which is not known there; known: {', '.join(sorted(allowed))}"
                )
    return data


class _Writer:
    def __init__(self, report: Report, templates: dict[str, dict[str, str]]) -> None:
        self.report = report
        self.t = templates

    def unit(self, value, satuan: str | None) -> str:
        if value is None:
            return fmt.KOSONG
        pattern = self.t["satuan"].get(satuan or "", self.t["satuan"]["lainnya"])
        shown = fmt.angka(value)
        if (satuan or "").lower() == "rupiah":
            shown = fmt.bilangan(value)
        return pattern.format(nilai=shown, satuan=satuan or "")

    def fill(self, section: str, key: str, **values) -> str:
        return self.t[section][key].format(**values)

    def opening(self) -> Section:
        r, y = self.report, self.report.tahun
        rows = r.perkin(y)
        avg = r.rata_rata("PERKIN", y) or {}
        waiting = r.belum_rilis
        text = self.fill(
            "pembuka",
            "teks",
            **self._opening_values(y, rows, avg, waiting),
        )
        parts = [text]
        if waiting:
            parts.append(self.fill("pembuka", "belum_rilis", **self._opening_values(y, rows, avg, waiting)))
        before = r.rata_rata("PERKIN", r.tahun_lalu)
        if before:
            parts.append(self.fill("pembuka", "tahun_lalu", **self._opening_values(y, rows, avg, waiting)))
        return Section(f"Capaian Perjanjian Kinerja Tahun {y}", [" ".join(parts)])

    def _opening_values(self, y, rows, avg, waiting) -> dict:
        before = self.report.rata_rata("PERKIN", self.report.tahun_lalu) or {}
        return {
            "tahun": y,
            "jumlah_sasaran": len({row["sasaran_kode"] for row in rows}),
            "jumlah_indikator": len(rows),
            "dihitung": avg.get("jumlah_dihitung", fmt.KOSONG),
            "belum_rilis": len(waiting),
            "daftar_belum_rilis": ", ".join(row["indikator_nama"] for row in waiting),
            "sumber_belum_rilis": ", ".join(sorted({fmt.sumber(row["sumber_data"]) for row in waiting})),
            "rata_rata": fmt.persen(avg.get("rata_rata_capaian_persen")),
            "kriteria": avg.get("kriteria") or fmt.KOSONG,
            "tahun_lalu": self.report.tahun_lalu,
            "rata_rata_lalu": fmt.persen(before.get("rata_rata_capaian_persen")),
            "kriteria_lalu": before.get("kriteria") or fmt.KOSONG,
        }

    def sasaran(self, nomor: int, kode: str, rows: list[dict]) -> str:
        r = self.report
        measured = [row for row in rows if row["capaian_persen"] is not None]
        waiting = [row for row in rows if row["status_data"] == "BELUM_RILIS"]
        values = {
            "nomor": nomor,
            "sasaran": r.sasaran_nama(kode),
            "kelompok": KELOMPOK_LABEL.get(rows[0]["kelompok"], rows[0]["kelompok"]).lower(),
            "jumlah_indikator": len(rows),
            "daftar_indikator": "; ".join(row["indikator_nama"] for row in rows),
            "terukur": len(measured),
            "tercapai": sum(1 for row in measured if row["capaian_persen"] >= 100),
            "jumlah_menunggu": len(waiting),
            "daftar_menunggu": "; ".join(row["indikator_nama"] for row in waiting),
            "sumber": ", ".join(sorted({fmt.sumber(row["sumber_data"]) for row in waiting})),
        }
        budget = next((e for e in r.efisiensi if e["tahun"] == r.tahun and e["sasaran_kode"] == kode), None)
        values |= {
            "pagu": fmt.rupiah(budget["pagu"]) if budget else fmt.KOSONG,
            "realisasi_anggaran": fmt.rupiah(budget["realisasi_anggaran"]) if budget else fmt.KOSONG,
            "serapan": fmt.persen(budget["serapan_persen"]) if budget else fmt.KOSONG,
            "efisiensi": fmt.persen(budget["efisiensi_metode_lkip_persen"]) if budget else fmt.KOSONG,
        }
        parts = [self.fill("sasaran", "pembuka", **values)]
        if measured:
            parts.append(self.fill("sasaran", "tercapai" if values["tercapai"] else "tidak_tercapai", **values))
        if waiting:
            parts.append(self.fill("sasaran", "menunggu", **values))
        if budget:
            parts.append(self.fill("sasaran", "anggaran", **values))
        return " ".join(parts)

    def indicator(self, row: dict) -> str:
        r, y = self.report, self.report.tahun
        satuan = row.get("satuan")
        before = r.indikator(row["indikator_kode"], r.tahun_lalu)
        renstra = r.indikator(row["indikator_kode"], y, jenis="RENSTRA")
        outlook = next((o for o in r.outlook if o["indikator_kode"] == row["indikator_kode"]), None)
        arah = "tetap"
        if before and before["realisasi"] is not None and row["realisasi"] is not None:
            if row["realisasi"] > before["realisasi"]:
                arah = "naik"
            elif row["realisasi"] < before["realisasi"]:
                arah = "turun"
        values = {
            "indikator": row["indikator_nama"],
            "sasaran": r.sasaran_nama(row.get("sasaran_kode")),
            "tahun": y,
            "target": self.unit(row["target"], satuan),
            "realisasi": self.unit(row["realisasi"], satuan),
            "capaian": fmt.persen(row["capaian_persen"]),
            "kriteria": row.get("kriteria") or fmt.KOSONG,
            "sumber": fmt.sumber(row.get("sumber_data")),
            "batas": fmt.persen(CAP),
            "tahun_lalu": r.tahun_lalu,
            "realisasi_lalu": self.unit(before["realisasi"], satuan) if before else fmt.KOSONG,
            "capaian_lalu": fmt.persen(before["capaian_persen"]) if before else fmt.KOSONG,
            "arah": self.t["arah"][arah],
            "target_renstra": self.unit(renstra["target"], satuan) if renstra else fmt.KOSONG,
            "capaian_renstra": fmt.persen(renstra["capaian_persen"]) if renstra else fmt.KOSONG,
            "tahun_kondisi": (outlook or {}).get("kondisi_akhir_tahun_data") or y,
            "kondisi_akhir": self.unit((outlook or {}).get("kondisi_akhir"), satuan),
            "tahun_akhir": r.katalog.renstra_tahun[1] if r.katalog.renstra_tahun else fmt.KOSONG,
            "target_akhir": self.unit((outlook or {}).get("target_akhir_periode"), satuan),
            "capaian_akhir": fmt.persen((outlook or {}).get("capaian_akhir_periode_persen")),
            "tanda": fmt.tanda(row.get("tanda_plausibilitas")),
        }
        if row["status_data"] == "BELUM_RILIS":
            parts = [self.fill("indikator", "belum_rilis", **values)]
        else:
            parts = [self.fill("indikator", "tersedia", **values)]
            if row["capaian_persen"] is not None and row["capaian_persen"] > CAP:
                parts.append(self.fill("indikator", "dibatasi", **values))
        if before and before["realisasi"] is not None and row["realisasi"] is not None:
            parts.append(self.fill("indikator", "tahun_lalu", **values))
        if renstra and renstra["capaian_persen"] is not None:
            parts.append(self.fill("indikator", "renstra", **values))
        if outlook and outlook.get("capaian_akhir_periode_persen") is not None:
            parts.append(self.fill("indikator", "akhir_periode", **values))
            if outlook.get("kondisi_akhir_tahun_data") and outlook["kondisi_akhir_tahun_data"] < y:
                parts.append(self.fill("indikator", "kondisi_lama", **values))
        if row.get("tanda_plausibilitas"):
            parts.append(self.fill("indikator", "plausibilitas", **values))
        return " ".join(parts)


def write_sections(report: Report, templates: dict[str, dict[str, str]] | None = None) -> list[Section]:
    """The opening paragraph, then per kelompok one paragraph per sasaran and, for the strategic
    sasaran, one per indicator."""
    writer = _Writer(report, templates or load_templates())
    sections = [writer.opening()]
    nomor = 0
    for kelompok in KELOMPOK_SASARAN:
        rows = [r for r in report.perkin(report.tahun) if r["kelompok"] == kelompok]
        if not rows:
            continue
        sections.append(Section(KELOMPOK_LABEL[kelompok].capitalize(), []))
        order: list[str] = []
        for r in rows:
            if r["sasaran_kode"] not in order:
                order.append(r["sasaran_kode"])
        for kode in order:
            nomor += 1
            mine = [r for r in rows if r["sasaran_kode"] == kode]
            section = Section(f"{nomor}. {report.sasaran_nama(kode)}", [writer.sasaran(nomor, kode, mine)], level=3)
            if kelompok == "SASARAN_STRATEGIS":
                section.paragraphs += [writer.indicator(r) for r in mine]
            sections.append(section)
    return sections


def markdown(report: Report, sections: list[Section], published: str) -> str:
    lines = [
        f"# Draf narasi Bab III LKIP Tahun {report.tahun}",
        "",
        f"_Draf otomatis dari publikasi gudang data Kinerja {published}. Angka diambil dari tabel yang sama dengan buku kerja; "
        "periksa, lengkapi dengan analisis dan salin ke laporan._",
        "",
    ]
    for s in sections:
        lines += ["#" * s.level + " " + s.title, ""]
        for p in s.paragraphs:
            lines += [p, ""]
    return "\n".join(lines)
