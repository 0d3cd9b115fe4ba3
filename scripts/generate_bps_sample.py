"""Generate the bundled BPS PDRB sample and the later-release test fixture, deterministically.

    .venv/bin/python scripts/generate_bps_sample.py

Writes WebAPI-shaped answers (``list/model/data``, the JSON BPS returns) for DKI Jakarta (3100)
and Indonesia (0000), ADHB and ADHK, 17 lapangan usaha plus the oil-and-gas part of industri
pengolahan, quarterly with the annual figure (turtahun 31-35), in calls of two years:

- ``sample_inbox/bps/``: the release as of the 2024 LKIP: annual 2019-2023, quarterly up to
  2024 Q3. It reproduces what the report publishes: Jakarta 2023 kontribusi industri non-migas
  11.87 % and perdagangan 17.67 %, pertumbuhan 4.49 % and 9.49 %; table 3.14's 2024 Q3 y-on-y
  values (Jakarta 11.56 / 18.22 / 1.33 / 7.99, Indonesia 19.02 / 13.09 / 4.72 / 4.82).
- ``tests/fixtures/bps/rilis_2025_02/``: the later release (2024 Q4 and annual 2024, and a
  revision of 2023 Q4): Jakarta as CSV tables saved from the BPS website, Indonesia as JSON.
  ``tests/fixtures/bps/rilis_2025_02_json/`` holds the same Jakarta data as JSON answers.

The figures are synthetic (shaped like the real series), not BPS's published numbers, except
for the ratios above, which are what the report prints.
"""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
D = Decimal
CENT = D("0.01")

SEKTOR = [  # (vervar val, label, share of the rest at 2018 constant prices, real growth per year)
    (1, "A. Pertanian, Kehutanan, dan Perikanan", D("0.10"), D("0.010")),
    (2, "B. Pertambangan dan Penggalian", D("0.20"), D("0.005")),
    (3, "C. Industri Pengolahan", None, None),
    (4, "D. Pengadaan Listrik dan Gas", D("0.30"), D("0.030")),
    (5, "E. Pengadaan Air; Pengelolaan Sampah, Limbah dan Daur Ulang", D("0.10"), D("0.040")),
    (6, "F. Konstruksi", D("12.50"), D("0.035")),
    (7, "G. Perdagangan Besar dan Eceran; Reparasi Mobil dan Sepeda Motor", None, None),
    (8, "H. Transportasi dan Pergudangan", D("3.40"), D("0.060")),
    (9, "I. Penyediaan Akomodasi dan Makan Minum", D("5.00"), D("0.055")),
    (10, "J. Informasi dan Komunikasi", D("9.40"), D("0.080")),
    (11, "K. Jasa Keuangan dan Asuransi", D("10.80"), D("0.045")),
    (12, "L. Real Estate", D("6.70"), D("0.030")),
    (13, "M,N. Jasa Perusahaan", D("8.30"), D("0.065")),
    (14, "O. Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib", D("4.60"), D("0.020")),
    (15, "P. Jasa Pendidikan", D("4.70"), D("0.040")),
    (16, "Q. Jasa Kesehatan dan Kegiatan Sosial", D("1.40"), D("0.070")),
    (17, "R,S,T,U. Jasa Lainnya", D("2.60"), D("0.050")),
]
MIGAS = (301, "1. Industri Batubara dan Pengilangan Migas")
TOTAL_VAL = 9999
MUSIM = [D("0.985"), D("0.995"), D("1.005"), D("1.015")]
TAHUN = range(2018, 2025)

# Per domain: level of the rest of the economy (2018 quarterly, constant prices), price index,
# the oil-and-gas share of industry, and the series the indicators are computed from:
# kontribusi (ADHB share, %) of industri non-migas and perdagangan per quarter, and y-on-y real
# growth (%) of both per quarter. Values the report publishes are marked.
DOMAIN = {
    "3100": {
        "nama": "DKI Jakarta",
        "total_label": "Produk Domestik Regional Bruto",
        "var": {"ADHB": 2536, "ADHK": 2537},
        "rest_2018": D("310000"),
        "migas": None,  # Jakarta has no refinery: BPS prints "-"
        "kontribusi_industri": {
            2018: "12.40",
            2019: "12.30",
            2020: "12.20",
            2021: "12.10",
            2022: "11.95",
            2023: "11.87",  # 2023: LKIP table 3.12
            (2024, 1): "11.70",
            (2024, 2): "11.62",
            (2024, 3): "11.56",
        },  # 2024 Q3: table 3.14
        "kontribusi_perdagangan": {
            2018: "16.60",
            2019: "16.50",
            2020: "16.30",
            2021: "16.60",
            2022: "17.10",
            2023: "17.67",
            (2024, 1): "18.00",
            (2024, 2): "18.10",
            (2024, 3): "18.22",
        },
        "pertumbuhan_industri": {
            2019: "3.20",
            2020: "-4.10",
            2021: "2.80",
            2022: "3.90",
            2023: "4.49",
            (2024, 1): "2.40",
            (2024, 2): "1.90",
            (2024, 3): "1.33",
        },
        "pertumbuhan_perdagangan": {
            2019: "5.80",
            2020: "-5.20",
            2021: "4.60",
            2022: "7.10",
            2023: "9.49",
            (2024, 1): "8.30",
            (2024, 2): "8.10",
            (2024, 3): "7.99",
        },
        # later release: annual 2024 targets and the 2023 Q4 revision of perdagangan ADHK (+0.3 %)
        "rilis_2024": {
            "kontribusi_industri": "11.61",
            "kontribusi_perdagangan": "17.93",
            "pertumbuhan_industri": "3.12",
            "pertumbuhan_perdagangan": "6.24",
        },
        "revisi_2023q4_perdagangan": D("1.003"),
    },
    "0000": {
        "nama": "Indonesia",
        "total_label": "Produk Domestik Bruto",
        "var": {"ADHB": 1955, "ADHK": 1956},
        "rest_2018": D("1900000"),
        "migas": D("0.115"),  # oil and gas part of industri pengolahan, share of C
        "kontribusi_industri": {
            2018: "17.60",
            2019: "17.58",
            2020: "17.90",
            2021: "17.34",
            2022: "16.48",
            2023: "16.90",
            (2024, 1): "19.28",
            (2024, 2): "18.52",
            (2024, 3): "19.02",
        },  # 2024 Q3: table 3.14
        "kontribusi_perdagangan": {
            2018: "13.00",
            2019: "12.90",
            2020: "12.93",
            2021: "12.97",
            2022: "12.85",
            2023: "12.94",
            (2024, 1): "13.20",
            (2024, 2): "13.00",
            (2024, 3): "13.09",
        },
        "pertumbuhan_industri": {
            2019: "4.34",
            2020: "-2.52",
            2021: "3.67",
            2022: "5.01",
            2023: "4.64",
            (2024, 1): "4.64",
            (2024, 2): "4.63",
            (2024, 3): "4.72",
        },
        "pertumbuhan_perdagangan": {
            2019: "4.62",
            2020: "-3.72",
            2021: "4.63",
            2022: "5.52",
            2023: "4.85",
            (2024, 1): "4.58",
            (2024, 2): "4.86",
            (2024, 3): "4.82",
        },
        "rilis_2024": {
            "kontribusi_industri": "18.98",
            "kontribusi_perdagangan": "13.10",
            "pertumbuhan_industri": "4.43",
            "pertumbuhan_perdagangan": "4.86",
        },
        "revisi_2023q4_perdagangan": D("1.001"),
    },
}


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _rate(series: dict, year: int, q: int) -> Decimal | None:
    value = series.get((year, q), series.get(year))
    return None if value is None else D(value) / 100


def build(kode: str, release: str) -> dict[tuple[str, int, int, int], Decimal]:
    """Quarterly values {(harga, vervar, year, quarter): miliar rupiah}; release 'awal' or 'akhir'."""
    p = DOMAIN[kode]
    quarters = [(y, q) for y in TAHUN for q in range(1, 5) if (y, q) <= ((2024, 3) if release == "awal" else (2024, 4))]
    out: dict[tuple[str, int, int, int], Decimal] = {}
    deflator = {(y, q): D("1.45") * (D("1.035") ** (y - 2018)) * (1 + D("0.008") * q) for y, q in quarters}
    industri = {}
    dagang = {}
    for y, q in quarters:
        rest_k = D(0)
        rest_b = D(0)
        for val, _label, share, growth in SEKTOR:
            if share is None:
                continue
            k = r2(p["rest_2018"] * share / 100 * MUSIM[q - 1] * ((1 + growth) ** (y - 2018)))
            b = r2(k * deflator[(y, q)])
            out[("ADHK", val, y, q)], out[("ADHB", val, y, q)] = k, b
            rest_k += k
            rest_b += b
        # ADHK of the two series from their growth rates; the base year from a plain level.
        for name, store, level in (("industri", industri, D("0.16")), ("perdagangan", dagang, D("0.21"))):
            if y == 2018:
                store[(y, q)] = r2(p["rest_2018"] * level * MUSIM[q - 1])
            elif (y, q) == (2024, 4):
                store[(y, q)] = None  # solved below from the annual target
            else:
                store[(y, q)] = r2(store[(y - 1, q)] * (1 + _rate(p[f"pertumbuhan_{name}"], y, q)))
        out[("ADHK_REST", 0, y, q)], out[("ADHB_REST", 0, y, q)] = rest_k, rest_b
    if release == "akhir":
        dagang[(2023, 4)] = r2(dagang[(2023, 4)] * p["revisi_2023q4_perdagangan"])
        for name, store in (("industri", industri), ("perdagangan", dagang)):
            growth = D(p["rilis_2024"][f"pertumbuhan_{name}"]) / 100
            store[(2024, 4)] = r2((1 + growth) * sum(store[(2023, q)] for q in range(1, 5)) - sum(store[(2024, q)] for q in range(1, 4)))

    # ADHB of the two series from their shares: total T = rest / (1 - a - b).
    for y, q in quarters:
        rest_b = out[("ADHB_REST", 0, y, q)]
        migas_b = r2(rest_b * p["migas"] / 4) if p["migas"] else D(0)  # part of industry, in the rest of the total
        migas_k = r2(out[("ADHK_REST", 0, y, q)] * p["migas"] / 4) if p["migas"] else D(0)
        if (y, q) == (2024, 4):
            continue
        a, b = _rate(p["kontribusi_industri"], y, q), _rate(p["kontribusi_perdagangan"], y, q)
        total = (rest_b + migas_b) / (1 - a - b)
        out[("ADHB", 3, y, q)], out[("ADHB", 7, y, q)] = r2(total * a), r2(total * b)
        out[("ADHB_MIGAS", 0, y, q)], out[("ADHK_MIGAS", 0, y, q)] = migas_b, migas_k
    if release == "akhir":
        y, q = 2024, 4
        rest_b = out[("ADHB_REST", 0, y, q)]
        migas_b = r2(rest_b * p["migas"] / 4) if p["migas"] else D(0)
        out[("ADHB_MIGAS", 0, y, q)] = migas_b
        out[("ADHK_MIGAS", 0, y, q)] = r2(out[("ADHK_REST", 0, y, q)] * p["migas"] / 4) if p["migas"] else D(0)
        a, b = (D(p["rilis_2024"][f"kontribusi_{n}"]) / 100 for n in ("industri", "perdagangan"))
        # annual shares: (S + x) / T = a over the year, T = (rest + migas) of the year / (1 - a - b)
        rest_year = sum(out[("ADHB_REST", 0, y, k)] + out[("ADHB_MIGAS", 0, y, k)] for k in range(1, 5))
        total = rest_year / (1 - a - b)
        out[("ADHB", 3, y, q)] = r2(total * a - sum(out[("ADHB", 3, y, k)] for k in range(1, 4)))
        out[("ADHB", 7, y, q)] = r2(total * b - sum(out[("ADHB", 7, y, k)] for k in range(1, 4)))
    for y, q in quarters:
        out[("ADHK", 3, y, q)] = industri[(y, q)]
        out[("ADHK", 7, y, q)] = dagang[(y, q)]
        for harga in ("ADHB", "ADHK"):
            migas = out[(f"{harga}_MIGAS", 0, y, q)]
            out[(harga, 3, y, q)] = out[(harga, 3, y, q)] + migas  # C = non-migas + migas
            out[(harga, MIGAS[0], y, q)] = migas
            out[(harga, TOTAL_VAL, y, q)] = sum(
                v for (h, val, yy, qq), v in out.items() if h == harga and yy == y and qq == q and val not in (MIGAS[0], TOTAL_VAL)
            )
    return {k: v for k, v in out.items() if k[0] in ("ADHB", "ADHK") and k[2] >= 2019}


def vervar_list(kode: str) -> list[tuple[int, str]]:
    rows = []
    for val, label, _, _ in SEKTOR:
        rows.append((val, label))
        if val == 3:
            rows.append(MIGAS)
    rows.append((TOTAL_VAL, DOMAIN[kode]["total_label"]))
    return rows


def answer(kode: str, harga: str, years: list[int], values: dict, status: dict[int, str]) -> dict:
    p = DOMAIN[kode]
    var = p["var"][harga]
    harga_nama = "Atas Dasar Harga Berlaku" if harga == "ADHB" else "Atas Dasar Harga Konstan 2010"
    content = {}
    for val, _label in vervar_list(kode):
        for y in years:
            quarters = [q for q in range(1, 5) if (harga, val, y, q) in values]
            for q in quarters:
                v = values[(harga, val, y, q)]
                content[f"{val}{var}0{y - 1900}{30 + q}"] = "-" if (val == MIGAS[0] and p["migas"] is None) else float(v)
            if len(quarters) == 4:
                v = sum(values[(harga, val, y, q)] for q in range(1, 5))
                content[f"{val}{var}0{y - 1900}35"] = "-" if (val == MIGAS[0] and p["migas"] is None) else float(v)
    return {
        "status": "OK",
        "data-availability": "available",
        "last_update": "2025-02-05 00:00:00" if 2024 in years and any(k.endswith("12434") for k in content) else "2024-11-05 00:00:00",
        "subject": [{"val": 52, "label": "Produk Domestik Regional Bruto (Lapangan Usaha)"}],
        "var": [
            {
                "val": var,
                "label": f"[Seri 2010] PDRB Triwulanan {harga_nama} Menurut Lapangan Usaha, {p['nama']} (Milyar Rupiah)",
                "unit": "Milyar Rupiah",
                "subj": "Produk Domestik Regional Bruto (Lapangan Usaha)",
                "def": "",
                "decimal": 2,
                "note": "Angka * sementara, ** sangat sementara",
            }
        ],
        "turvar": [{"val": "0", "label": "Tidak ada"}],
        "labelvervar": "Lapangan Usaha ",
        "vervar": [{"val": val, "label": label} for val, label in vervar_list(kode)],
        "tahun": [{"val": y - 1900, "label": f"{y}{status.get(y, '')}"} for y in years],
        "turtahun": [
            {"val": 31, "label": "Triwulan I"},
            {"val": 32, "label": "Triwulan II"},
            {"val": 33, "label": "Triwulan III"},
            {"val": 34, "label": "Triwulan IV"},
            {"val": 35, "label": "Tahunan"},
        ],
        "datacontent": content,
        "related": [],
    }


def table_csv(kode: str, harga: str, years: list[int], values: dict, status: dict[int, str]) -> str:
    """The same data as the BPS website's CSV download of a table page."""
    p = DOMAIN[kode]
    harga_nama = "Atas Dasar Harga Berlaku" if harga == "ADHB" else "Atas Dasar Harga Konstan 2010"
    lines = [[f"[Seri 2010] PDRB Triwulanan {harga_nama} Menurut Lapangan Usaha (Milyar Rupiah), {p['nama']}"]]
    head, sub = ["Lapangan Usaha"], [""]
    for y in years:
        head += [f"{y}{status.get(y, '')}", "", "", "", ""]
        sub += ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV", "Tahunan"]
    lines += [head, sub]
    for val, label in vervar_list(kode):
        row = [label]
        for y in years:
            qs = [values.get((harga, val, y, q)) for q in range(1, 5)]
            cells = [("-" if (val == MIGAS[0] and p["migas"] is None) else f"{v:.2f}") if v is not None else "" for v in qs]
            annual = sum(qs) if all(v is not None for v in qs) else None
            cells.append(("-" if (val == MIGAS[0] and p["migas"] is None) else f"{annual:.2f}") if annual is not None else "")
            row += cells
        lines.append(row)
    lines += [[""], ["Sumber: Badan Pusat Statistik Provinsi DKI Jakarta"], ["Catatan: * angka sementara, ** angka sangat sementara"]]
    buffer = []
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    buffer.append(out.getvalue())
    return "".join(buffer)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    sample = ROOT / "sample_inbox" / "bps"
    later = ROOT / "tests" / "fixtures" / "bps" / "rilis_2025_02"
    later_json = ROOT / "tests" / "fixtures" / "bps" / "rilis_2025_02_json"
    for kode in DOMAIN:
        awal, akhir = build(kode, "awal"), build(kode, "akhir")
        for harga in ("ADHB", "ADHK"):
            for years in ([2019, 2020], [2021, 2022], [2023, 2024]):
                status = {2023: "*", 2024: "**"}
                body = answer(kode, harga, years, awal, status)
                write(sample / f"pdrb_{kode}_{harga.lower()}_{years[0]}-{years[1]}.json", json.dumps(body, indent=1) + "\n")
            status = {2023: "*", 2024: "**"}
            if kode == "3100":
                write(later / f"pdrb_{kode}_{harga.lower()}_2023-2024.csv", table_csv(kode, harga, [2023, 2024], akhir, status))
                write(
                    later_json / f"pdrb_{kode}_{harga.lower()}_2023-2024.json",
                    json.dumps(answer(kode, harga, [2023, 2024], akhir, status), indent=1) + "\n",
                )
            else:
                write(
                    later / f"pdrb_{kode}_{harga.lower()}_2023-2024.json",
                    json.dumps(answer(kode, harga, [2023, 2024], akhir, status), indent=1) + "\n",
                )


if __name__ == "__main__":
    main()
