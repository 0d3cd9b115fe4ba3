"""Type the LKIP 2024's budget tables into a seed, from the report's text (../shared/spec).

    .venv/bin/python scripts/extract_budget_tables.py [path/to/lkip-2024-dppkukm.txt]

Writes ``dbt_project/seeds/rekonsiliasi/anggaran_terbitan.csv``: one row per published money cell
of tables 1.4, 1.5, 1.7 (2023 APBD / APBD-P and 2024 APBD / APBD-P), 2.7, 2.9, 2.10 (2024 APBD,
Pergeseran II, APBD-P) and 3.7, 3.8, 3.10 (APBD-P and realisasi 2023 and 2024), including the
TOTAL rows as printed, and the efficiency per sasaran of table 3.19 (percent). The seed is the acceptance data of the SIPD sample generator and of the
budget reconciliation; it is committed, so the report text is only needed to regenerate it.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "spec" / "lkip-2024-dppkukm.txt"
OUT = ROOT / "dbt_project" / "seeds" / "rekonsiliasi" / "anggaran_terbitan.csv"

# table -> (dimension, [(tahun, ukuran), ...] in the order of the money columns)
TABLES = {
    "1.4": ("UNIT", [(2023, "APBD"), (2023, "APBD_P"), (2024, "APBD"), (2024, "APBD_P")]),
    "1.5": ("JENIS_BELANJA", [(2023, "APBD"), (2023, "APBD_P"), (2024, "APBD"), (2024, "APBD_P")]),
    "1.7": ("PROGRAM", [(2023, "APBD"), (2023, "APBD_P"), (2024, "APBD"), (2024, "APBD_P")]),
    "2.7": ("UNIT", [(2024, "APBD"), (2024, "PERGESERAN"), (2024, "APBD_P")]),
    "2.9": ("PROGRAM", [(2024, "APBD"), (2024, "PERGESERAN"), (2024, "APBD_P")]),
    "2.10": ("JENIS_BELANJA", [(2024, "APBD"), (2024, "PERGESERAN"), (2024, "APBD_P")]),
    "3.7": ("UNIT", [(2023, "APBD_P"), (2023, "REALISASI"), (2024, "APBD_P"), (2024, "REALISASI")]),
    "3.8": ("JENIS_BELANJA", [(2023, "APBD_P"), (2023, "REALISASI"), (2024, "APBD_P"), (2024, "REALISASI")]),
    "3.10": ("PROGRAM", [(2023, "APBD_P"), (2023, "REALISASI"), (2024, "APBD_P"), (2024, "REALISASI")]),
}
MONEY = re.compile(r"^\d{1,3}(\.\d{3})+$")


def money_cells(cells: list[str]) -> list[int]:
    out = []
    for cell in cells:
        token = cell.strip()
        if MONEY.match(token):
            out.append(int(token.replace(".", "")))
        elif token == "-":
            out.append(0)
    return out


def main() -> None:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else SPEC
    lines = spec.read_text(encoding="utf-8").splitlines()
    rows = []
    for tabel, (dimensi, columns) in TABLES.items():
        start = next(i for i, line in enumerate(lines) if i > 400 and line.startswith(f"Tabel {tabel.replace('.', '. ')} "))
        urutan = 0
        for line in lines[start + 1 : start + 60]:
            cells = line.split("\t")
            if not any(c.strip() for c in cells):
                continue
            label = " ".join(c.strip() for c in cells[:2] if not MONEY.match(c.strip()) and c.strip() != "-").strip()
            is_total = bool(re.search(r"\bTOTAL\b", line, re.IGNORECASE))
            if tabel.startswith("3."):
                # APBD-P, realisasi, % for 2023, then for 2024; "-" may stand in any of them
                tokens = [c.strip() for c in cells[2:] if MONEY.match(c.strip()) or c.strip() == "-" or c.strip().endswith("%")]
                values = money_cells([tokens[i] for i in (0, 1, 3, 4)]) if len(tokens) >= 5 else money_cells(cells)
                if len(tokens) == 5 and not tokens[2].endswith("%"):  # a '-' row with an empty % cell
                    values = money_cells([tokens[0], tokens[1], tokens[2], tokens[3]])
            else:
                values = money_cells(cells)
            if is_total and len(values) < len(columns):
                values = [0] * 0 + money_cells(re.split(r"[\t ]+", line))[-len(columns) :]  # TOTAL cells run together in 1.5
            if len(values) != len(columns):
                continue
            urutan += 1
            kode = "TOTAL" if is_total else (cells[0].strip() if dimensi != "UNIT" else str(urutan))
            nama = "TOTAL" if is_total else (cells[1].strip() if dimensi != "UNIT" else label.lstrip("0123456789 ").strip())
            for (tahun, ukuran), value in zip(columns, values, strict=True):
                rows.append(
                    {
                        "tabel": tabel,
                        "dimensi": dimensi,
                        "kode": kode,
                        "nama": nama,
                        "tahun": tahun,
                        "ukuran": ukuran,
                        "nilai_terbitan": value,
                    }
                )
            if tabel.startswith("3."):
                percents = [c.strip() for c in cells if re.fullmatch(r"\d+(,\d+)?%", c.strip())]
                years = [2023, 2024] if len(percents) == 2 else ([2023] if len(percents) == 1 and values[3] == 0 else [])
                for tahun, text in zip(years, percents, strict=False):
                    pct = text.rstrip("%").replace(",", ".")
                    rows.append(
                        {
                            "tabel": tabel,
                            "dimensi": dimensi,
                            "kode": kode,
                            "nama": nama,
                            "tahun": tahun,
                            "ukuran": "SERAPAN",
                            "nilai_terbitan": pct,
                        }
                    )
            if is_total:
                break
    # Tables 1.6, 2.8 and 3.9 by sasaran strategis (their labels are split over cells in the text,
    # so the sasaran rows are typed here from the report).
    sasaran = {
        "S1.1": "Peningkatan Produktivitas dan Daya Saing Industri Berwawasan Lingkungan",
        "S2.2": "Peningkatan Daya Saing Sektor Perdagangan",
        "S3.3": "Penumbuhan Nilai-nilai Kewirausahaan Dalam Upaya Mencapai Kemandirian Ekonomi",
    }
    typed = {
        ("1.6", 2023, "APBD"): (147458798820, 61245966587, 278852423233),
        ("1.6", 2023, "APBD_P"): (110538966368, 48389858036, 232159565296),
        ("1.6", 2024, "APBD"): (65597605224, 44027007921, 261588916945),
        ("1.6", 2024, "APBD_P"): (66707296217, 55276957615, 247620698178),
        ("2.8", 2024, "APBD"): (65597605224, 44027007921, 261588916945),
        ("2.8", 2024, "PERGESERAN"): (65597605224, 44027007921, 261588718328),
        ("2.8", 2024, "APBD_P"): (66707296217, 55276957615, 247620698178),
        ("3.9", 2023, "APBD_P"): (110538966368, 48389858036, 232159565296),
        ("3.9", 2023, "REALISASI"): (102725851024, 46404185419, 218412113931),
        ("3.9", 2023, "SERAPAN"): ("92.93", "95.90", "94.08"),
        ("3.9", 2024, "APBD_P"): (66707296217, 55276957615, 247620698178),
        ("3.9", 2024, "REALISASI"): (62786804681, 50804885433, 232552179403),
        ("3.9", 2024, "SERAPAN"): ("94.12", "91.91", "93.91"),
    }
    for (tabel, tahun, ukuran), values in typed.items():
        for (kode, nama), value in zip(sasaran.items(), values, strict=True):
            rows.append(
                {
                    "tabel": tabel,
                    "dimensi": "SASARAN",
                    "kode": kode,
                    "nama": nama,
                    "tahun": tahun,
                    "ukuran": ukuran,
                    "nilai_terbitan": value,
                }
            )
    # Table 3.19's efficiency per sasaran and its average (percent, as printed; not a money table).
    for kode, nama, value in (
        ("S1.1", "Peningkatan Produktivitas dan Daya Saing Industri Berwawasan Lingkungan", "99.14"),
        ("S2.2", "Peningkatan Daya Saing Sektor Perdagangan", "99.08"),
        ("S3.3", "Penumbuhan Nilai-nilai Kewirausahaan Dalam Upaya Mencapai Kemandirian Ekonomi", "99.09"),
        ("TOTAL", "RATA-RATA EFISIENSI", "99.10"),
    ):
        rows.append(
            {
                "tabel": "3.19",
                "dimensi": "SASARAN",
                "kode": kode,
                "nama": nama,
                "tahun": 2024,
                "ukuran": "EFISIENSI",
                "nilai_terbitan": value,
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(rows)} cells)")


if __name__ == "__main__":
    main()
