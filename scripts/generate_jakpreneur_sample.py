"""Generate Jakpreneur and e-Order exports: the bundled sample, or large synthetic volumes.

    .venv/bin/python scripts/generate_jakpreneur_sample.py                 # the bundled sample
    .venv/bin/python scripts/generate_jakpreneur_sample.py --out /tmp/big \\
        --umkm 1000000 --transactions 100000000 --file-per month            # scale benchmark input

**Sample** (deterministic, seed 2024): written into ``sample_inbox/jakpreneur/`` and
``sample_inbox/eorder/`` so that the warehouse reproduces the report (LKIP 2024):

- registry: 36,000 UMKM registered by the end of 2022, 38,646 by the end of 2023 (pertumbuhan
  7.35 %), then 39,929 / 40,650 / 41,641 at the end of TW II / III / IV 2024 (3.32 / 5.19 / 7.75 %);
- capacity assessments: 1,602 of the 1,800 binaan with a baseline before 2023 grow in 2023 (89 %);
  1,103 / 1,362 / 1,780 of 2,000 by the end of TW II / III / IV 2024 (55.15 / 68.1 / 89 %);
- QRIS and e-Order turnover of DPPKUKM binaan: 2024 per quarter Rp4,216,268,608 /
  Rp5,464,144,010 / Rp8,569,234,473 / Rp9,460,757,322 net of refunds and reversals; 5,430 of the
  6,500 binaan that sold in both years sold more in 2024 than in 2023 (naik kelas);
- e-Order orders completed in 2024 for binaan of the six PKT agencies: 60 UMKM, 416 orders,
  Rp1,394,308,310 (cancelled orders and orders to other UMKM are in the files and do not count).

Transactions come as one file per month plus a re-delivered second half of December that
overlaps the December file (a no-op on ingest). The e-Order export of June is overtaken by the
December export (orders still DIPROSES in June are SELESAI in December).

**Scale** (``--umkm``/``--transactions``): synthetic files of the same format written by DuckDB,
evenly spread over 2023-2024, about 1 % refunds of an earlier sale of the same UMKM; the first
10 % of UMKM are DPPKUKM binaan. Files are one per month or per day (``--file-per``).
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WILAYAH = ["JAKARTA PUSAT", "JAKARTA UTARA", "JAKARTA BARAT", "JAKARTA SELATAN", "JAKARTA TIMUR", "KEPULAUAN SERIBU"]
PKT = ["DPPKUKM", "DKPKP", "DTKTE", "DISPAREKRAF", "DPPAPP", "DINSOS"]
REGISTRY_COLUMNS = ["umkm_id", "nama_usaha", "tanggal_daftar", "wilayah", "status_binaan", "perangkat_daerah_pembina", "diperbarui_pada"]
TRANSACTION_COLUMNS = ["transaksi_id", "umkm_id", "waktu", "kanal", "jenis", "nominal", "transaksi_asal_id"]
ASSESSMENT_COLUMNS = ["penilaian_id", "umkm_id", "tanggal_penilaian", "omzet_tahunan", "aset", "tenaga_kerja", "nilai_invoice_ekspor_usd"]
ORDER_COLUMNS = [
    "nomor_pesanan", "tanggal_pesanan", "perangkat_daerah_pemesan", "umkm_id", "nilai_pesanan", "status", "diperbarui_pada",
]  # fmt: skip

# What the report publishes (LKIP 2024), reproduced by the sample.
# Counts chosen so that the exact percentages round to the printed ones and so do the capaian the
# report computed from its rounded 7.75 (105.44 % of 7.35, 140.91 % of 5.5): 2,995 / 38,646 = 7.7498 %.
REGISTERED_END = {(2022, 4): 36_000, (2023, 4): 38_646, (2024, 1): 39_146, (2024, 2): 39_929, (2024, 3): 40_650, (2024, 4): 41_641}
OMZET_2024 = {1: 4_216_268_608, 2: 5_464_144_010, 3: 8_569_234_473, 4: 9_460_757_322}
NAIK_KELAS_2024 = 5_430
BOTH_YEARS = 6_500
MENINGKAT_2023 = (1_800, 1_602)
MENINGKAT_2024 = (2_000, {1: 500, 2: 603, 3: 259, 4: 418})  # cumulative 500 / 1,103 / 1,362 / 1,780
EORDER_2024 = {"umkm": {"DPPKUKM": 22, "DKPKP": 11, "DTKTE": 11, "DISPAREKRAF": 6, "DPPAPP": 5, "DINSOS": 5}, "orders": 416}
EORDER_2024_VALUE = 1_394_308_310
PEMESAN = ["BIRO UMUM DAN ADMINISTRASI", "DPPKUKM", "DINAS KESEHATAN", "DINAS PENDIDIKAN", "BPPBJ", "BIRO PEREKONOMIAN DAN KEUANGAN"]


def quarter_bounds(year: int, q: int) -> tuple[datetime, datetime]:
    start = datetime(year, 3 * q - 2, 1)
    end = datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(seconds=1)
    return start, end


def split(total: int, parts: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """``total`` as ``parts`` positive integers with random weights (largest remainder), each >= minimum."""
    free = total - minimum * parts
    assert free >= 0, (total, parts, minimum)
    weights = [rng.random() + 0.05 for _ in range(parts)]
    scale = free / sum(weights)
    raw = [w * scale for w in weights]
    floors = [int(r) for r in raw]
    order = sorted(range(parts), key=lambda i: raw[i] - floors[i], reverse=True)
    for i in order[: free - sum(floors)]:
        floors[i] += 1
    return [minimum + f for f in floors]


def random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))


def write_csv(path: Path, columns: list[str], rows: list[dict], encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def registry(rng: random.Random) -> list[dict]:
    """41,641 UMKM with registration dates matching REGISTERED_END; binaan assigned later."""
    rows = []
    periods = [((2019, 1), (2022, 4)), ((2023, 1), (2023, 4)), ((2024, 1), (2024, 1)), ((2024, 2), (2024, 2))]
    periods += [((2024, 3), (2024, 3)), ((2024, 4), (2024, 4))]
    previous = 0
    for (y0, q0), (y1, q1) in periods:
        count = REGISTERED_END[(y1, q1)] - previous
        previous = REGISTERED_END[(y1, q1)]
        start, end = quarter_bounds(y0, q0)[0], quarter_bounds(y1, q1)[1]
        days = sorted(random_moment(rng, start, end).date() for _ in range(count))
        for day in days:
            n = len(rows) + 1
            rows.append(
                {
                    "umkm_id": f"JP{n:07d}",
                    "nama_usaha": f"Usaha {rng.choice(['Berkah', 'Maju', 'Sejahtera', 'Mandiri', 'Jaya', 'Lestari'])} {n}",
                    "tanggal_daftar": day.isoformat(),
                    "wilayah": WILAYAH[min(int(rng.random() * 5.2), 5)],
                    "status_binaan": "NON_BINAAN",
                    "perangkat_daerah_pembina": "",
                    "diperbarui_pada": "2024-12-31 23:00:00",
                }
            )
    return rows


def make_binaan(rows: list[dict], ids: list[str], agency: str) -> None:
    index = {r["umkm_id"]: r for r in rows}
    for umkm in ids:
        index[umkm].update(status_binaan="BINAAN", perangkat_daerah_pembina=agency)


class Transactions:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[dict] = []
        self.next_id = 1

    def _add(self, umkm: str, moment: datetime, kanal: str, jenis: str, nominal: int, asal: str = "") -> str:
        prefix = "QR" if kanal == "QRIS" else "EO"
        tid = f"{prefix}{self.next_id:09d}"
        self.next_id += 1
        self.rows.append(
            {
                "transaksi_id": tid,
                "umkm_id": umkm,
                "waktu": moment.strftime("%Y-%m-%d %H:%M:%S"),
                "kanal": kanal,
                "jenis": jenis,
                "nominal": nominal,
                "transaksi_asal_id": asal,
            }
        )
        return tid

    def quarter(self, umkm: str, year: int, q: int, net: int) -> None:
        """Sales of one UMKM in one quarter netting to exactly ``net``, with the odd refund or reversal."""
        rng = self.rng
        start, end = quarter_bounds(year, q)
        end = end - timedelta(hours=2)
        parts = split(net, min(rng.randint(1, 4), max(net // 1000, 1)), rng)
        for amount in parts:
            moment = random_moment(rng, start, end)
            kanal = "EORDER" if rng.random() < 0.15 else "QRIS"
            luck = rng.random()
            if luck < 0.03 and amount > 2000:  # a partial refund: the sale was larger
                refund = rng.randint(1000, max(1000, amount // 2))
                tid = self._add(umkm, moment, kanal, "PENJUALAN", amount + refund)
                self._add(umkm, moment + timedelta(minutes=rng.randint(5, 100)), kanal, "REFUND", -refund, tid)
            else:
                self._add(umkm, moment, kanal, "PENJUALAN", amount)
            if luck > 0.99:  # a sale reversed in full a few minutes later
                extra = rng.randint(10_000, 90_000)
                tid = self._add(umkm, moment + timedelta(minutes=1), kanal, "PENJUALAN", extra)
                self._add(umkm, moment + timedelta(minutes=3), kanal, "REVERSAL", -extra, tid)


def sample(out: Path) -> None:
    rng = random.Random(2024)
    umkm = registry(rng)
    old = [r["umkm_id"] for r in umkm if r["tanggal_daftar"] <= "2022-12-31"]
    new_2023_h1 = [r["umkm_id"] for r in umkm if "2023-01-01" <= r["tanggal_daftar"] <= "2023-06-30"]
    rng.shuffle(old)
    binaan_old, rest = old[:8_000], old[8_000:]
    binaan_new = new_2023_h1[:200]
    make_binaan(umkm, binaan_old + binaan_new, "DPPKUKM")
    others: dict[str, list[str]] = {}
    cursor = 0
    for agency, count in zip(PKT[1:], (40, 40, 30, 25, 25), strict=True):
        others[agency] = rest[cursor : cursor + count]
        cursor += count
        make_binaan(umkm, others[agency], agency)
    non_binaan = rest[cursor : cursor + 3_000]

    # --- turnover: who sells when, netting to the report's quarterly figures
    both, only_2024_old, only_2023 = binaan_old[:BOTH_YEARS], binaan_old[BOTH_YEARS : BOTH_YEARS + 500], binaan_old[7_000:7_300]
    active_2024 = both + only_2024_old + binaan_new
    quarters_of = {u: sorted(rng.sample([1, 2, 3, 4], rng.randint(1, 4))) for u in active_2024}
    omzet_2024: dict[str, int] = {u: 0 for u in active_2024}
    per_quarter: dict[tuple[str, int], int] = {}
    for q in (1, 2, 3, 4):
        sellers = [u for u in active_2024 if q in quarters_of[u]]
        for u, amount in zip(sellers, split(OMZET_2024[q], len(sellers), rng, minimum=20_000), strict=True):
            per_quarter[(u, q)] = amount
            omzet_2024[u] += amount
    naik = set(rng.sample(both, NAIK_KELAS_2024))
    omzet_2023 = {}
    for u in both:
        factor = rng.uniform(0.4, 0.95) if u in naik else rng.uniform(1.0, 1.6)
        value = int(omzet_2024[u] * factor)
        omzet_2023[u] = min(value, omzet_2024[u] - 1) if u in naik else max(value, omzet_2024[u])
    for u in only_2023:
        omzet_2023[u] = rng.randint(500_000, 9_000_000)
    trx = Transactions(rng)
    for u, total in omzet_2023.items():
        qs = sorted(rng.sample([1, 2, 3, 4], rng.randint(1, 4)))
        for q, amount in zip(qs, split(total, len(qs), rng), strict=True):
            trx.quarter(u, 2023, q, amount)
    for (u, q), amount in per_quarter.items():
        trx.quarter(u, 2024, q, amount)
    for u in non_binaan + others["DKPKP"] + others["DTKTE"]:  # turnover that is not DPPKUKM binaan
        for year in (2023, 2024):
            if rng.random() < 0.7:
                trx.quarter(u, year, rng.randint(1, 4), rng.randint(50_000, 3_000_000))
    trx.rows.sort(key=lambda r: (r["waktu"], r["transaksi_id"]))
    folder = out / "jakpreneur"
    for year in (2023, 2024):
        for month in range(1, 13):
            key = f"{year}-{month:02d}"
            rows = [r for r in trx.rows if r["waktu"].startswith(key)]
            write_csv(folder / f"transaksi_{key}.csv", TRANSACTION_COLUMNS, rows)
    late_december = [r for r in trx.rows if r["waktu"] >= "2024-12-16"]
    write_csv(folder / "transaksi_2024-12-16_2024-12-31.csv", TRANSACTION_COLUMNS, late_december)

    # --- capacity assessments
    assessments = []
    state: dict[str, dict] = {}

    def assess(u: str, day: date, grow: bool) -> None:
        last = state.get(u) or {"omzet_tahunan": rng.randint(20, 400) * 1_000_000, "aset": rng.randint(10, 300) * 1_000_000}
        last.setdefault("tenaga_kerja", rng.randint(1, 12))
        now = {"omzet_tahunan": last["omzet_tahunan"], "aset": last["aset"], "tenaga_kerja": last["tenaga_kerja"]}
        export = ""
        if u in state:
            how = rng.choice(["omzet_tahunan", "aset", "tenaga_kerja", "ekspor"]) if grow else "tidak"
            if how == "tenaga_kerja":
                now["tenaga_kerja"] += rng.randint(1, 3)
            elif how in ("omzet_tahunan", "aset"):
                now[how] = int(now[how] * rng.uniform(1.05, 1.6))
            elif how == "ekspor":
                export = f"{rng.randint(200, 9000)}.{rng.randint(0, 99):02d}"
            else:  # no growth: the same or lower, sometimes an export invoice under USD 200
                now["omzet_tahunan"] = int(now["omzet_tahunan"] * rng.uniform(0.7, 1.0))
                export = f"{rng.randint(20, 199)}.00" if rng.random() < 0.1 else ""
        state[u] = now
        assessments.append(
            {"penilaian_id": "", "umkm_id": u, "tanggal_penilaian": day.isoformat(), **now, "nilai_invoice_ekspor_usd": export}
        )

    def day_in(year: int, q: int) -> date:
        return random_moment(rng, *quarter_bounds(year, q)).date()

    dppkukm = list(binaan_old)
    rng.shuffle(dppkukm)
    cohort_2023 = dppkukm[: MENINGKAT_2023[0]]
    for u in cohort_2023:
        assess(u, day_in(2022, rng.randint(1, 4)), False)
    grew_2023 = set(cohort_2023[: MENINGKAT_2023[1]])
    for u in cohort_2023:
        if u in grew_2023 or rng.random() < 0.7:
            assess(u, day_in(2023, rng.randint(1, 4)), u in grew_2023)
    joiners = dppkukm[MENINGKAT_2023[0] : MENINGKAT_2024[0]]  # first assessed in 2023: baseline for 2024
    for u in joiners:
        assess(u, day_in(2023, rng.randint(1, 4)), False)
    cohort_2024 = cohort_2023 + joiners
    rng.shuffle(cohort_2024)
    cursor = 0
    for q, count in MENINGKAT_2024[1].items():
        for u in cohort_2024[cursor : cursor + count]:
            assess(u, day_in(2024, q), True)
            if rng.random() < 0.2 and q < 4:  # assessed again later in the year: counted once
                assess(u, day_in(2024, 4), False)
        cursor += count
    for u in cohort_2024[cursor:]:
        if rng.random() < 0.8:
            assess(u, day_in(2024, rng.randint(1, 4)), False)
    for u in dppkukm[MENINGKAT_2024[0] : MENINGKAT_2024[0] + 100]:  # first assessed in 2024: no baseline yet
        assess(u, day_in(2024, rng.randint(1, 4)), False)
    for u in others["DISPAREKRAF"]:  # binaan of another agency: not in the DPPKUKM indicator
        assess(u, day_in(2023, 2), False)
        assess(u, day_in(2024, 2), True)
    assessments.sort(key=lambda r: (r["tanggal_penilaian"], r["umkm_id"]))
    for n, row in enumerate(assessments, start=1):
        row["penilaian_id"] = f"PK{n:07d}"
    write_csv(folder / "penilaian_kapasitas_2022-2024.csv", ASSESSMENT_COLUMNS, assessments)

    # --- e-Order
    orders = []
    binaan_of = {"DPPKUKM": binaan_old[7_300:8_000], **others}
    counted = {a: rng.sample(binaan_of[a], n) for a, n in EORDER_2024["umkm"].items()}
    sellers = [u for a in PKT for u in counted[a]]
    per_seller = [1 + c for c in split(EORDER_2024["orders"] - len(sellers), len(sellers), rng, minimum=0)]
    values = split(EORDER_2024_VALUE, EORDER_2024["orders"], rng, minimum=50_000)
    for u, count in zip(sellers, per_seller, strict=True):
        for _ in range(count):
            orders.append((u, 2024, "SELESAI", values.pop()))
    cancelled_only = [binaan_of["DPPKUKM"][0], binaan_of["DTKTE"][0]]
    for u in cancelled_only + rng.sample(sellers, 10):
        orders.append((u, 2024, "DIBATALKAN", rng.randint(100_000, 900_000)))
    for u in rng.sample(non_binaan, 25):
        orders.append((u, 2024, "SELESAI", rng.randint(100_000, 2_000_000)))
    for u in rng.sample(sellers, 30):
        orders.append((u, 2023, "SELESAI", rng.randint(100_000, 2_000_000)))
    rows = []
    for u, year, status, value in orders:
        ordered = random_moment(rng, datetime(year, 1, 2), datetime(year, 12, 20))
        rows.append(
            {
                "umkm_id": u,
                "tanggal_pesanan": ordered.date().isoformat(),
                "perangkat_daerah_pemesan": rng.choice(PEMESAN),
                "nilai_pesanan": value,
                "status": status,
                "diperbarui_pada": (ordered + timedelta(days=rng.randint(1, 9))).strftime("%Y-%m-%d %H:%M:%S"),
            }
        )
    rows.sort(key=lambda r: (r["tanggal_pesanan"], r["umkm_id"], r["nilai_pesanan"]))
    for n, row in enumerate(rows, start=1):
        row["nomor_pesanan"] = f"EO-{row['tanggal_pesanan'][:4]}-{n:06d}"
    june = []
    for row in rows:  # the June export: what existed then, recent orders still being processed
        if row["diperbarui_pada"] <= "2024-06-30 23:59:59" or ("2024-06-20" <= row["tanggal_pesanan"] <= "2024-06-30"):
            status = "DIPROSES" if row["diperbarui_pada"] > "2024-06-30 23:59:59" else row["status"]
            moment = row["tanggal_pesanan"] + " 09:00:00" if status == "DIPROSES" else row["diperbarui_pada"]
            june.append({**row, "status": status, "diperbarui_pada": moment})
    write_csv(out / "eorder" / "pesanan_2024-06.csv", ORDER_COLUMNS, june)
    write_csv(out / "eorder" / "pesanan_2024-12.csv", ORDER_COLUMNS, rows)
    # the registry last: written in the Windows code page many exports use
    umkm[0]["nama_usaha"] = "Kedai Kopi Sédap"
    write_csv(folder / "umkm_2024-12-31.csv", REGISTRY_COLUMNS, umkm, encoding="cp1252")
    print(f"sample: {len(umkm)} UMKM, {len(trx.rows)} transactions, {len(assessments)} assessments, {len(rows)} e-Order orders -> {out}")


def scale(out: Path, umkm: int, transactions: int, file_per: str) -> None:
    """Synthetic volumes written by DuckDB straight to CSV, one file per month or day."""
    import duckdb

    folder = out / "jakpreneur"
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    binaan = max(umkm // 10, 1)
    con.execute(
        f"""
        copy (
            select printf('JP%09d', i) as umkm_id, 'Usaha ' || i as nama_usaha,
                date '2018-01-01' + cast(i * 2000 // {umkm} as integer) as tanggal_daftar,
                ['JAKARTA PUSAT', 'JAKARTA UTARA', 'JAKARTA BARAT', 'JAKARTA SELATAN', 'JAKARTA TIMUR'][1 + i % 5] as wilayah,
                case when i < {binaan} then 'BINAAN' else 'NON_BINAAN' end as status_binaan,
                case when i < {binaan} then 'DPPKUKM' else '' end as perangkat_daerah_pembina,
                timestamp '2024-12-31 23:00:00' as diperbarui_pada
            from range({umkm}) as t(i)
        ) to '{folder / "umkm_2024-12-31.csv"}' (header, timestampformat '%Y-%m-%d %H:%M:%S')
        """
    )
    seconds = 2 * 365 * 86400  # 2023-2024, evenly spread so files split by time
    # Transaction i: a sale of UMKM hash(i) % umkm; every 100th is a refund of half of sale i - 7.
    body = f"""
        select
            printf('TX%012d', i) as transaksi_id,
            printf('JP%09d', hash(case when i % 100 = 99 then i - 7 else i end) % {umkm}) as umkm_id,
            timestamp '2023-01-01' + to_seconds(cast(i * {seconds} // {transactions} as bigint)) as waktu,
            case when i % 7 = 0 then 'EORDER' else 'QRIS' end as kanal,
            case when i % 100 = 99 then 'REFUND' else 'PENJUALAN' end as jenis,
            case when i % 100 = 99 then -((1000 + cast(hash(i - 7) % 500000 as bigint)) // 2) else 1000 + cast(hash(i) % 500000 as bigint) end as nominal,
            case when i % 100 = 99 then printf('TX%012d', i - 7) else '' end as transaksi_asal_id
        from range({{lo}}, {{hi}}) as t(i)
    """
    start = datetime(2023, 1, 1)
    bounds = []
    moment = start
    while moment < datetime(2025, 1, 1):
        nxt = moment + timedelta(days=1) if file_per == "day" else datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1)
        bounds.append((moment, nxt))
        moment = nxt
    written = 0
    for lo_t, hi_t in bounds:
        lo = -(-int((lo_t - start).total_seconds()) * transactions // seconds)
        hi = -(-int((hi_t - start).total_seconds()) * transactions // seconds)
        name = lo_t.strftime("%Y-%m-%d" if file_per == "day" else "%Y-%m")
        con.execute(
            f"copy ({body.format(lo=lo, hi=min(hi, transactions))}) to '{folder / f'transaksi_{name}.csv'}' "
            "(header, timestampformat '%Y-%m-%d %H:%M:%S')"
        )
        written += min(hi, transactions) - lo
    print(f"scale: {umkm} UMKM, {written} transactions in {len(bounds)} files -> {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "sample_inbox")
    parser.add_argument("--umkm", type=int, help="scale mode: number of UMKM in the registry")
    parser.add_argument("--transactions", type=int, help="scale mode: number of transactions")
    parser.add_argument("--file-per", choices=["month", "day"], default="month")
    args = parser.parse_args()
    if args.umkm or args.transactions:
        scale(args.out, args.umkm or 1_000_000, args.transactions or 10_000_000, args.file_per)
    else:
        sample(args.out)


if __name__ == "__main__":
    main()
